"""The weekly digest: one message per language, and its sending."""
