"""requirements.lock, from which the workflows install: every dependency of pyproject.toml at
its pinned version, and every package of the lock with the hashes pip checks (read offline)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
_ENTRY = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)", re.MULTILINE
)


def normal(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes), from the lock file."""
    text = LOCK.read_text(encoding="utf-8")
    return {
        normal(match[1]): (match[2], re.findall(r"sha256:([0-9a-f]{64})", match[3]))
        for match in _ENTRY.finditer(text)
    }


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        match = re.fullmatch(
            r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;]+)", requirement.strip()
        )
        assert match, f"{requirement}: pin it with == in pyproject.toml"
        found[normal(match[1])] = match[2]
    return found


def test_the_lock_pins_every_dependency_and_build_requirement_of_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = pins(project["project"]["dependencies"])
    lock = locked()
    assert {name: lock.get(name, ("missing", []))[0] for name in wanted} == wanted
    # `pip install --no-build-isolation -e .` builds with what the lock installed.
    for requirement in project["build-system"]["requires"]:
        name = normal(re.split(r"[<>=!~ ]", requirement)[0])
        assert name in lock, f"{requirement}: not in requirements.lock"


def test_every_package_of_the_lock_is_pinned_with_its_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    lock = locked()
    assert len(lock) == len(lines) > 40, "every requirement line is name==version with hashes"
    assert all(hashes for _, hashes in lock.values())
    # pip's own options stay out of the file: the index is the ordinary one, no local paths.
    assert not re.search(r"^--(index-url|extra-index-url|find-links|trusted-host)", text, re.MULTILINE)
    assert "file://" not in text and "/opt/" not in text
