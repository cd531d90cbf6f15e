"""Everything a build needs, and nothing that calls GitHub or git."""
