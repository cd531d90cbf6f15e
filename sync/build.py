"""Building and serving the site with MkDocs, safely.

A build goes into a fresh folder beside `site/` and replaces it only once it succeeded, so
that a broken content file never leaves a half-built site behind.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from .config import Project
from .content import load_forum
from .model import ContentError


class BuildError(Exception):
    """The site could not be built; the message says why in one line."""


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    site_dir: Path
    pages: int
    seconds: float


def check_content(project: Project) -> None:
    """Read and validate content/ before MkDocs starts, for a message without MkDocs' noise."""
    load_forum(project.content, project.languages())


def build_site(project: Project, site_dir: Path | None = None, strict: bool = True) -> BuildReport:
    """Build the site into `site_dir` (default: site/), replacing it only on success."""
    target = (site_dir or project.root / "site").resolve()
    started = time.perf_counter()
    try:
        check_content(project)
    except ContentError as error:
        raise BuildError(str(error)) from None
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    try:
        config = load_config(str(project.mkdocs_yml), site_dir=str(staging), strict=strict)
        mkdocs_build(config)
    except (Abort, PluginError, ConfigurationError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(_one_line(error)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace(staging, target)
    pages = sum(1 for _ in target.rglob("index.html"))
    return BuildReport(target, pages, time.perf_counter() - started)


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


def serve_site(project: Project, address: str) -> None:
    """Serve the site on `address` with live reload while content/ is edited."""
    from mkdocs.commands.serve import serve

    try:
        check_content(project)
    except ContentError as error:
        raise BuildError(str(error)) from None
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
