"""Building and serving the site with MkDocs, safely.

A build goes into a fresh folder beside `site/` and replaces it only once it succeeded, so
that a broken content file never leaves a half-built site behind.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from sync.i18n.interface import Interface
from sync.model.config import Project
from sync.model.credentials import CredentialError
from sync.model.domain import ContentError, Forum
from sync.model.errors import ForumError
from sync.site import gate_memory, incremental
from sync.site.build_plan import INPUTS, PLAN, BuildInputs, BuildPlan
from sync.site.collector import archive_apart
from sync.site.docs_folder import check_docs_folder, public_page_paths
from sync.site.encryption import NAME as ENCRYPTION
from sync.site.forum_texts import forum_secrets
from sync.site.protection import protection_for_build
from sync.site.publish_gate import GateInputs, PublishError, check_site
from sync.site.topics_cache import load_forum_cached, texts_of

# A project site of github.io shares its origin, and so the readers' sessionStorage (where
# their keys are kept), with every other Pages site of the same owner.
_SHARED_ORIGIN = re.compile(r"https?://[^/]+\.github\.io/[^/]+", re.IGNORECASE)


class BuildError(ForumError):
    """The site could not be built; the message says why in one line."""


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    site_dir: Path
    pages: int
    seconds: float
    copied: int = 0  # pages copied from the previous site, unchanged
    later: int = 0  # of them, pages copied as they were that the next build makes afresh
    warnings: list[str] = field(default_factory=list)  # for the moderator, in one line each


def site_warnings(project: Project) -> list[str]:
    """What the moderator should know about where the site is published."""
    site_url = project.site_url() or ""
    if _SHARED_ORIGIN.match(site_url):
        return [
            f"site_url {site_url} is a github.io project site: its origin, where signed-in readers' "
            "keys are kept, is shared with every other Pages site of that owner; publish the forum "
            "on a custom domain or an organization site of its own"
        ]
    return []


def check_before_build(project: Project, demo: bool = False, remember: bool = False) -> Forum:
    """Read content/ and the credentials before MkDocs starts, for a message without
    MkDocs' noise: a broken file or missing credentials stop here. `remember`: the archive
    read is kept for the process's next build (sync.site.topics_cache.load_forum_cached)."""
    try:
        check_docs_folder(project.content / "pages", project.languages())
        forum = load_forum_cached(project.content, project.languages(), remember)
        protection_for_build(forum, project.root, demo)
    except (ContentError, CredentialError) as error:
        raise BuildError(error.marked) from None  # the command line names its flags
    return forum


def build_site(
    project: Project,
    site_dir: Path | None = None,
    strict: bool = True,
    demo: bool = False,
    full: bool = False,
    stats_as_of: date | None = None,
    today: date | None = None,
    later: frozenset[str] = frozenset(),
    remember: bool = False,
) -> BuildReport:
    """Build the site into `site_dir` (default: site/), replacing it only once the publish
    gate passed every file; pages of unchanged topics are copied from the site replaced,
    unless `full`. The statistics count up to `stats_as_of` (default: today); the home page's
    topic of the week is that of `today`'s week (default: `stats_as_of`, else today). Pages
    of the kinds `later` (`forum serve`'s statistics) are copied as the last build made them,
    when it made them, and left for the next build. `remember`: the process builds again
    (`forum serve`), and keeps the archive read while no file of it changes."""
    target = (site_dir or project.root / "site").resolve()
    started = time.perf_counter()
    with archive_apart() as archive_read:  # the collector kept off the archive (collector.py)
        forum = check_before_build(project, demo, remember)
        archive_read()
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
        # Pages of unchanged topics may be copied from the site this build replaces.
        # The archive just read serves every language (not walked again for each).
        rebuild = incremental.Rebuild(target, staging, forum, full)
        try:
            config = load_config(str(project.mkdocs_yml), site_dir=str(staging), strict=strict)
            config.extra[INPUTS] = BuildInputs(demo, stats_as_of, rebuild, today, later)
            mkdocs_build(config)
            incremental.finish_carrying(rebuild)
            memory = gate_memory.memory_file(project.root, target)
            checked = check_site(staging, _gate_inputs(config, project), memory)
        except (Abort, PluginError, ConfigurationError, PublishError, incremental.CarryError) as error:
            incremental.stop_carrying(rebuild)
            shutil.rmtree(staging, ignore_errors=True)
            raise BuildError(_one_line(error) + _copied_hint(error, rebuild)) from None
        except BaseException:
            incremental.stop_carrying(rebuild)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _replace(staging, target)
        incremental.save(rebuild, target)
    pages = sum(1 for path in checked if path.rpartition("/")[2] == "index.html")
    seconds = time.perf_counter() - started
    return BuildReport(target, pages, seconds, rebuild.copied, len(rebuild.later), site_warnings(project))


def _gate_inputs(config: object, project: Project) -> GateInputs:
    """What the publish gate checks the new site against: this build's keys and texts."""
    plan: BuildPlan = config.extra[PLAN]  # type: ignore[attr-defined]
    keys = config.plugins[ENCRYPTION].content_keys()  # type: ignore[attr-defined]
    people = [text for invitation in plan.invitations for text in (invitation.name, invitation.organization)]
    public = [path.read_text(encoding="utf-8") for path in sorted((project.content / "pages").glob("*.md"))]
    for language in plan.forum.languages:
        public += Interface(language).strings.values()
    public.append(str(config.site_name))  # type: ignore[attr-defined]
    return GateInputs(
        keys=keys,
        public_pages=public_page_paths(plan.forum.languages),
        secrets=forum_secrets(plan.forum, people, texts_of),
        public_texts="\n".join(public),
        credentials=config.plugins[ENCRYPTION].entry_keys(),  # type: ignore[attr-defined]
    )


def _replace(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _copied_hint(error: BaseException, rebuild: incremental.Rebuild) -> str:
    """For a page the gate refused that was copied from the last build (changed there since):
    the way out."""
    if isinstance(error, PublishError) and str(error).partition(":")[0] in rebuild.carried:
        return " (a page copied from the last build: `forum build --full` makes every page afresh)"
    return ""


def _one_line(error: BaseException) -> str:
    message = str(error).strip() or type(error).__name__
    if isinstance(error, Abort) and "warning" in message.lower():
        return f"{message} (the warnings above say what to fix)"
    return message


def show_mkdocs_log(verbose: bool) -> None:
    """Let MkDocs' own messages through: warnings always, progress with --verbose."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_forum", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._forum = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
