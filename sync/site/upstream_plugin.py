"""mkdocs-encryptcontent's plugin module, imported without what the forum never calls.

encryptcontent imports at its top, for features the forum's pages never reach:
- BeautifulSoup, for its `on_post_page` (sync.site.encryption cuts the encrypted parts out
  itself), and BeautifulSoup imports Soup Sieve, which compiles its grammar of CSS
  selectors: a tenth of a second;
- `urllib.request`, to download assets named by URL (which imports `ssl`, `http.client` and
  `email`), and PyCryptodome's elliptic curves and EdDSA, to sign files: 0.07 s together.

So the module is imported with stand-ins for those modules, each importing the real one
when first used (`BeautifulSoup(...)`, `urlopen(...)`, `ECC.generate`, `eddsa.new`); the
stand-ins are gone from the modules once encryptcontent is imported, and anything else
importing them gets the real ones. A module already imported is used as it is. Where a
stand-in would not do (another version asking more of them), encryptcontent is imported as
it is.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any


def _calls_real(module: str, name: str) -> Callable[..., Any]:
    """A function standing in for `module.name`: calls the real one, imported then."""

    def call(*arguments: Any, **options: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*arguments, **options)

    return call


def _attributes_of_real(module: str) -> Callable[[str], Any]:
    """A module's `__getattr__` that takes every attribute from the real module."""
    return lambda name: getattr(importlib.import_module(module), name)


# Module → the names encryptcontent imports from it (each a function calling the real one);
# None: the module itself, whose attributes are the real module's.
_STAND_INS: dict[str, tuple[str, ...] | None] = {
    "bs4": ("BeautifulSoup",),
    "urllib.request": ("urlopen",),
    "Crypto.PublicKey.ECC": None,
    "Crypto.Signature.eddsa": None,
}


def _stand_in(module: str, names: tuple[str, ...] | None) -> types.ModuleType:
    stand_in = types.ModuleType(module, f"stands in for {module} while encryptcontent is imported")
    if names is None:
        stand_in.__getattr__ = _attributes_of_real(module)  # type: ignore[attr-defined]
    for name in names or ():
        setattr(stand_in, name, _calls_real(module, name))
    return stand_in


def _imported() -> types.ModuleType:
    if "encryptcontent.plugin" in sys.modules:
        return sys.modules["encryptcontent.plugin"]
    stand_ins = {
        module: _stand_in(module, names) for module, names in _STAND_INS.items() if module not in sys.modules
    }
    sys.modules.update(stand_ins)
    try:
        return importlib.import_module("encryptcontent.plugin")
    except ImportError:
        _remove(stand_ins)
        sys.modules.pop("encryptcontent.plugin", None)
        return importlib.import_module("encryptcontent.plugin")
    finally:
        _remove(stand_ins)


def _remove(stand_ins: dict[str, types.ModuleType]) -> None:
    for module, stand_in in stand_ins.items():
        if sys.modules.get(module) is stand_in:
            del sys.modules[module]


upstream = _imported()
