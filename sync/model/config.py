"""Where the forum's settings live: the project's folders and the languages of `mkdocs.yml`.

mkdocs-static-i18n reads the languages from `mkdocs.yml`; so does every other part of the
forum (content validation, sync, the command line), so that switching a language on is
an edit of that one file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sync.model.domain import ContentError
from sync.model.errors import ForumError
from sync.model.roster import FAST_LOADER


class ProjectError(ForumError):
    """No forum checkout where the command was asked to work."""


class _LenientLoader(FAST_LOADER):  # type: ignore[misc,valid-type]
    """Reads mkdocs.yml without executing its tags (`!ENV`, `!!python/name:`), with
    libyaml where the machine has it (a build reads it once per language)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_LenientLoader.add_multi_constructor("!", _ignore_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class Project:
    """A forum checkout: its root, `content/` and `mkdocs.yml`."""

    root: Path

    @property
    def content(self) -> Path:
        """The archive: topics, replies, translations, roster, categories, protocol."""
        return self.root / "content"

    @property
    def mkdocs_yml(self) -> Path:
        """The site's configuration, home of the forum's languages."""
        return self.root / "mkdocs.yml"

    def languages(self) -> tuple[str, ...]:
        """The forum's languages as switched on in mkdocs.yml, default language first."""
        return forum_languages(self.mkdocs_yml)

    def site_url(self) -> str | None:
        """The published site's address (`site_url` in mkdocs.yml), if it is set."""
        config = _settings(self.mkdocs_yml.read_text(encoding="utf-8")) or {}
        return str(config.get("site_url") or "") or None


def find_project(start: Path | None = None) -> Project:
    """The forum checkout containing `start` (default: the current folder)."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "mkdocs.yml").is_file() and (folder / "content").is_dir():
            return Project(folder)
    raise ProjectError(f"{here}: is not inside a forum checkout (no mkdocs.yml beside content/)")


def forum_languages(mkdocs_yml: Path) -> tuple[str, ...]:
    """The locales of the i18n plugin in mkdocs.yml, the default one first."""
    try:
        config = _settings(mkdocs_yml.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(mkdocs_yml, None, f"could not be read: {error}") from None
    for plugin in (config or {}).get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = (plugin["i18n"] or {}).get("languages") or []
            break
    else:
        raise ContentError(mkdocs_yml, "plugins", "expected the i18n plugin with its languages")
    locales = [e["locale"] for e in entries if isinstance(e, dict) and e.get("build", True)]
    defaults = [e["locale"] for e in entries if isinstance(e, dict) and e.get("default")]
    if not locales or len(defaults) != 1:
        raise ContentError(mkdocs_yml, "plugins.i18n.languages", "expected exactly one default")
    return (defaults[0], *[locale for locale in locales if locale != defaults[0]])


@functools.lru_cache(maxsize=8)
def _settings(text: str) -> Any:
    """mkdocs.yml's settings, read once per text (its callers only read them)."""
    return yaml.load(text, Loader=_LenientLoader)
