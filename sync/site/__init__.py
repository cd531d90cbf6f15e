"""Everything a build needs, and nothing that calls GitHub or git.

PyCryptodome (the pages' AES, the credentials' PBKDF2; encryptcontent's too) reaches its C
code through cffi when cffi is installed, else through ctypes: the same code, called the
same way. With cffi, every one of its modules parses its C declarations with pycparser
when imported: 0.06 s at the start of every build, a fiftieth of a rebuild; with ctypes, a
library loaded. Timed on a 30 KB page or a 48-byte key entry, either calls as fast. So the
library is imported here first, before any module of the site, with cffi hidden from it
while it chooses; anything importing cffi afterwards gets it.
"""

import sys

if "Crypto.Util._raw_api" not in sys.modules:
    _cffi = sys.modules.get("cffi", False)
    sys.modules["cffi"] = None  # type: ignore[assignment]  # `import cffi` raises ImportError
    try:
        import Crypto.Util._raw_api  # noqa: F401
    finally:
        if _cffi is False:
            del sys.modules["cffi"]
        else:
            sys.modules["cffi"] = _cffi
