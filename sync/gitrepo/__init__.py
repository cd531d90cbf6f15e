"""The only code that runs git: the sync's worktree, commit and push, the history purge."""
