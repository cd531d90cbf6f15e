"""Code the site ships from npm is the pinned package's, byte for byte."""

from __future__ import annotations

import json

from archive import ROOT


def test_the_vendored_minisearch_is_the_pinned_npm_release() -> None:
    pinned = json.loads((ROOT / "tests" / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    installed = ROOT / "tests" / "node_modules" / "minisearch"

    assert pinned["minisearch"] == "7.2.0"
    assert json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"] == "7.2.0"
    vendored = ROOT / "hooks" / "theme" / "assets" / "vendor" / "minisearch-7.2.0.js"
    assert vendored.read_bytes() == (installed / "dist" / "umd" / "index.js").read_bytes()
    assert (
        (ROOT / "hooks" / "theme" / "assets" / "vendor" / "minisearch-LICENSE.txt")
        .read_text()
        .startswith("Copyright 2022 Luca Ongaro")
    )
