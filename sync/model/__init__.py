"""The forum's domain and its files: knows no GitHub, git, MkDocs or click, and prints nothing."""
