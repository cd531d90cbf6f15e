"""mkdocs-encryptcontent's plugin module, imported without BeautifulSoup until it is used.

encryptcontent imports BeautifulSoup at its top for its `on_post_page`, which the forum's
encrypted pages never reach (sync.site.encryption cuts their parts out itself), and
BeautifulSoup imports Soup Sieve, which compiles its grammar of CSS selectors: a tenth of a
second at the start of every build, a thirtieth of a rebuild. So the module is imported
with a stand-in for `bs4` whose BeautifulSoup imports the real one when first called; the
stand-in is gone from the modules once encryptcontent is imported, and anything else
importing `bs4` gets the real one. Where the stand-in would not do (another version asking
more of `bs4`), encryptcontent is imported as it is.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


def _beautiful_soup(*arguments: Any, **options: Any) -> Any:
    return importlib.import_module("bs4").BeautifulSoup(*arguments, **options)


def _imported() -> types.ModuleType:
    if "bs4" in sys.modules or "encryptcontent.plugin" in sys.modules:
        return importlib.import_module("encryptcontent.plugin")
    stand_in = types.ModuleType("bs4", "stands in for BeautifulSoup while encryptcontent is imported")
    stand_in.BeautifulSoup = _beautiful_soup  # type: ignore[attr-defined]
    sys.modules["bs4"] = stand_in
    try:
        return importlib.import_module("encryptcontent.plugin")
    except ImportError:
        sys.modules.pop("bs4", None)
        sys.modules.pop("encryptcontent.plugin", None)
        return importlib.import_module("encryptcontent.plugin")
    finally:
        if sys.modules.get("bs4") is stand_in:
            del sys.modules["bs4"]


upstream = _imported()
