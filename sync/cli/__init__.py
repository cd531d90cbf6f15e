"""The `forum` command: parses, calls, prints; the only place that names a flag."""
