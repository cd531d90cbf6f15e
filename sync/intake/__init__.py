"""`forum sync`: what GitHub's discussions bring into content/, moderated, as one pull request."""
