"""Building and serving the site with MkDocs, safely.

A build goes into a fresh folder beside `site/` and replaces it only once it succeeded, so
that a broken content file never leaves a half-built site behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from sync.site import incremental
from sync.model.config import Project
from sync.model.content import load_forum_cached
from sync.model.credentials import CredentialError
from sync.model.domain import ContentError, Forum
from sync.site.protection import DEMO_ENVIRONMENT, protection_for_build
from sync.model.errors import ForumError


class BuildError(ForumError):
    """The site could not be built; the message says why in one line."""


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    site_dir: Path
    pages: int
    seconds: float
    copied: int = 0  # pages of unchanged topics copied from the previous site


def check_before_build(project: Project) -> Forum:
    """Read content/ and the credentials before MkDocs starts, for a message without
    MkDocs' noise: a broken file or missing credentials stop here."""
    try:
        forum = load_forum_cached(project.content, project.languages())
        protection_for_build(forum, project.root)
    except (ContentError, CredentialError) as error:
        raise BuildError(error.marked) from None  # the command line names its flags
    return forum


@contextmanager
def demo_mode(demo: bool) -> Iterator[None]:
    """Build with the documented demo credentials (the hook reads FORUM_DEMO)."""
    previous = os.environ.get(DEMO_ENVIRONMENT)
    os.environ[DEMO_ENVIRONMENT] = "1" if demo else "0"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DEMO_ENVIRONMENT, None)
        else:
            os.environ[DEMO_ENVIRONMENT] = previous


def build_site(
    project: Project,
    site_dir: Path | None = None,
    strict: bool = True,
    demo: bool = False,
    full: bool = False,
) -> BuildReport:
    """Build the site into `site_dir` (default: site/), replacing it only on success;
    pages of unchanged topics are copied from the site replaced, unless `full`."""
    with demo_mode(demo):
        return _build(project, (site_dir or project.root / "site").resolve(), strict, full)


def _build(project: Project, target: Path, strict: bool, full: bool) -> BuildReport:
    started = time.perf_counter()
    forum = check_before_build(project)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    try:
        config = load_config(str(project.mkdocs_yml), site_dir=str(staging), strict=strict)
        # Pages of unchanged topics may be copied from the site this build replaces.
        # The archive just read serves every language (not walked again for each).
        with incremental.rebuilding(target, staging, forum, full) as rebuild:
            mkdocs_build(config)
    except (Abort, PluginError, ConfigurationError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(_one_line(error)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace(staging, target)
    incremental.save(rebuild, target)
    pages = sum(1 for _ in target.rglob("index.html"))
    return BuildReport(target, pages, time.perf_counter() - started, rebuild.copied)


def _replace(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _one_line(error: BaseException) -> str:
    message = str(error).strip() or type(error).__name__
    if isinstance(error, Abort) and "warning" in message.lower():
        return f"{message} (the warnings above say what to fix)"
    return message


def serve_site(project: Project, address: str, demo: bool = False) -> None:
    """Serve the site on `address` with live reload while content/ is edited."""
    from mkdocs.commands.serve import serve

    with demo_mode(demo):
        check_before_build(project)
        serve(config_file=str(project.mkdocs_yml), dev_addr=address, livereload=True)


def show_mkdocs_log(verbose: bool) -> None:
    """Let MkDocs' own messages through: warnings always, progress with --verbose."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_forum", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._forum = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
