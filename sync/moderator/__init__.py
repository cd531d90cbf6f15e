"""The moderator's work: weekly topics, proposals, invitations, erasure, translations."""
