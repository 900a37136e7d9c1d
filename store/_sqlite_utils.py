"""Import sqlite-utils without numpy (or pandas), before any store module does.

sqlite-utils imports numpy and pandas whenever they are installed, only to map their scalar types to column
types. numpy is installed here (``frameworks.matching`` pairs indicators with it) and costs every query command
~0.1 s of CPU at start; the store never writes numpy or pandas values (it writes ``model_dump()`` of pydantic
models: Python numbers). ``store/__init__.py`` imports this module first, so sqlite-utils never sees them,
whatever was imported before; numpy itself stays importable for the code that uses it.
"""

from __future__ import annotations

import sys

HIDDEN = ("numpy", "pandas")


def _import_sqlite_utils() -> None:
    if "sqlite_utils.db" in sys.modules:  # already imported (a test or script that imported it first)
        return
    saved = {name: sys.modules[name] for name in HIDDEN if name in sys.modules}
    sys.modules.update(dict.fromkeys(HIDDEN))  # None: `import numpy` raises ImportError, as if not installed
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in HIDDEN:
            del sys.modules[name]
        sys.modules.update(saved)


_import_sqlite_utils()
