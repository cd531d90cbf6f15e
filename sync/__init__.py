"""The forum's Python package: content model, GitHub sync, site pages and the `forum` command."""
