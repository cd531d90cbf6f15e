"""Usage statistics: the figures, their tables and their charts."""
