"""The forum's words in the reader's language."""
