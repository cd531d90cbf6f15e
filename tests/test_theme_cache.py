"""The theme's compiled templates: kept for the next process in Jinja's own folder for this
user, never in the checkout, and only where nobody else can write."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import jinja2
import pytest

from sync.site import theme_cache


@pytest.fixture
def temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary directory of this test's own, where Jinja makes its folder for this user."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def compiled_by(templates: dict[str, str]) -> tuple[jinja2.Environment, list[str]]:
    """An environment as a new process makes it, and the templates it compiles from source."""
    environment = jinja2.Environment(loader=jinja2.DictLoader(templates))
    environment.bytecode_cache = theme_cache._Compiled()
    compiled: list[str] = []
    real = environment.compile

    def compile(source: object, name: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(str(name))
        return real(source, name, *args, **kwargs)  # type: ignore[arg-type]

    environment.compile = compile  # type: ignore[method-assign]
    return environment, compiled


def test_a_template_compiled_by_one_process_is_not_compiled_again_by_the_next(
    temporary_directory: Path,
) -> None:
    templates = {"page.html": "<p>{{ title | e }}</p>"}
    first, compiled_first = compiled_by(templates)
    assert first.get_template("page.html").render(title="A & B") == "<p>A &amp; B</p>"

    second, compiled_second = compiled_by(templates)

    assert second.get_template("page.html").render(title="<b>") == "<p>&lt;b&gt;</p>"
    assert compiled_first == ["page.html"] and compiled_second == []
    (folder,) = temporary_directory.iterdir()
    assert folder.name == f"_jinja2-cache-{os.getuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700, "readable and writable by this user alone"


def test_an_edited_template_is_compiled_afresh(temporary_directory: Path) -> None:
    first, _ = compiled_by({"page.html": "<p>before</p>"})
    first.get_template("page.html")

    second, compiled = compiled_by({"page.html": "<p>after</p>"})

    assert second.get_template("page.html").render() == "<p>after</p>"
    assert compiled == ["page.html"]


def test_a_folder_someone_else_put_in_its_place_is_not_used_and_templates_still_render(
    temporary_directory: Path,
) -> None:
    # Another user of the machine made the name first: a link to a folder of theirs.
    theirs = temporary_directory / "someone-elses"
    theirs.mkdir()
    (temporary_directory / f"_jinja2-cache-{os.getuid()}").symlink_to(theirs)
    environment, _ = compiled_by({"page.html": "<p>{{ 1 + 1 }}</p>"})

    assert environment.get_template("page.html").render() == "<p>2</p>"
    assert list(theirs.iterdir()) == [], "nothing written to, or read from, their folder"


def test_a_damaged_compiled_template_is_compiled_afresh(temporary_directory: Path) -> None:
    first, _ = compiled_by({"page.html": "<p>{{ 2 * 3 }}</p>"})
    first.get_template("page.html")
    (folder,) = temporary_directory.iterdir()
    for file in folder.iterdir():
        file.write_bytes(file.read_bytes()[:40] + b"damaged")

    second, compiled = compiled_by({"page.html": "<p>{{ 2 * 3 }}</p>"})

    assert second.get_template("page.html").render() == "<p>6</p>"
    assert compiled == ["page.html"]
