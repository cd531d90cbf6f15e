"""The only code that talks to GitHub; GitHub's answers end here."""

# Here rather than in sync.github.client, whose PyGithub a command that never calls GitHub
# (`forum build`) does not import: the command line names it as its --api-url default.
DEFAULT_API_URL = "https://api.github.com"  # GitHub Enterprise Server: https://HOST/api/v3
