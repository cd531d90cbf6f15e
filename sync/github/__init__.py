"""The only code that talks to GitHub; GitHub's answers end here."""
