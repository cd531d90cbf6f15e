"""The theme's templates, compiled once rather than once per language and build.

MkDocs makes a new Jinja environment for each build, and static-i18n builds once per
language: Material's templates were compiled again each time (a second of a demo rebuild),
and its folder of templates and icons walked again to list them. Compiled code is kept in
memory for the process, and in Jinja's own cache folder of this user for the next process
(a quarter of a second of every rebuild at 520 topics): a folder of the temporary
directory that Jinja makes readable and writable by this user alone, and refuses to use
otherwise; never in the checkout, whose files arrive with branches (code there would run
whatever a branch holds). Either is used again only for the same template source (Jinja
checks the source's checksum), so an edited template of hooks/theme is compiled afresh.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sysconfig
from pathlib import Path
from typing import Any

import jinja2


class _Compiled(jinja2.BytecodeCache):
    """Jinja's compiled templates by template and source: this process's, then this user's."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._user: jinja2.BytecodeCache | None = None
        self._user_tried = False

    def _user_cache(self) -> jinja2.BytecodeCache | None:
        """Jinja's folder of compiled templates for this user, if it is safe to use."""
        if not self._user_tried:
            self._user_tried = True
            try:
                self._user = jinja2.FileSystemBytecodeCache()  # refuses a folder others can write
            except (OSError, RuntimeError):
                self._user = None
        return self._user

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja if the source changed
            return
        user = self._user_cache()
        if user is not None:
            try:
                user.load_bytecode(bucket)  # as ignored if the source changed
            except Exception:  # a damaged file: compile afresh
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        user = self._user_cache()
        if user is not None:
            with contextlib.suppress(OSError):
                user.dump_bytecode(bucket)


_COMPILED = _Compiled()
_INSTALLED = tuple(Path(sysconfig.get_path(name)).resolve() for name in ("purelib", "platlib"))


@functools.cache
def _installed_templates(folder: str) -> tuple[str, ...]:
    """The templates of an installed theme (Material's): its files do not change while we run.
    Hidden ones (Material's thousands of .icons) are left out here, their folders not even
    walked, rather than one by one by MkDocs, which publishes no hidden file of a theme."""
    found = []
    for place, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        where = os.path.relpath(place, folder).replace(os.sep, "/")
        prefix = "" if where == "." else f"{where}/"
        found += [prefix + name for name in names if not name.startswith(".")]
    return tuple(sorted(found))


class _ThemeLoader(jinja2.FileSystemLoader):
    """MkDocs' loader of the theme's folders, listing an installed theme's files once."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if any(Path(folder).resolve().is_relative_to(place) for place in _INSTALLED):
                found.update(_installed_templates(folder))
            else:  # the forum's own theme folder: read each time, it may be edited
                found.update(jinja2.FileSystemLoader(folder).list_templates())
        return sorted(found)


def remember_compiled_templates(theme: Any) -> None:
    """Make the environments of `theme` (an mkdocs Theme) share compiled templates."""
    if getattr(theme, "_forum_compiled_once", False):
        return
    make_environment = theme.get_env

    def get_env() -> jinja2.Environment:
        environment = make_environment()
        environment.bytecode_cache = _COMPILED
        if type(environment.loader) is jinja2.FileSystemLoader:
            environment.loader = _ThemeLoader(environment.loader.searchpath)
        return environment

    theme.get_env = get_env
    theme._forum_compiled_once = True


class RenderedOnce:
    """A part of the theme rendered once per key and reused (`{% call forum_once(key) %}`):
    the navigation of pages outside it, the same on every topic page of a language. A key
    of None renders every time. One per Jinja environment: MkDocs makes one per build and
    language, so nothing outlives the navigation it was rendered from."""

    def __init__(self) -> None:
        self._rendered: dict[Any, str] = {}

    def __call__(self, key: Any, caller: Any) -> str:
        if key is None:
            return caller()
        if key not in self._rendered:
            self._rendered[key] = caller()
        return self._rendered[key]


def navigation_key(language: str, page_url: str, in_navigation: bool) -> tuple[str, str] | None:
    """What the navigation of a page depends on, for a page outside it: the language and the
    folder its links are relative to (nothing is marked current). None for a page in it."""
    if in_navigation:
        return None
    return (language, page_url.rstrip("/").rpartition("/")[0])
