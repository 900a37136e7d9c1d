"""Run the web interface with waitress (pure Python: also runs on the office's Windows PCs)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from waitress import create_server as waitress_server

from web.app import create_app

log = logging.getLogger(__name__)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
THREADS = 4


def is_local(host: str) -> bool:
    """Whether only this computer can reach ``host`` (anything else exposes the store to the network)."""
    return host in LOCAL_HOSTS


def create_server(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, allow_sql: bool = False) -> Any:
    """A waitress server for the store (``port=0``: a free port, see ``server.effective_port``); call ``run()``."""
    app = create_app(db_path, allow_sql=allow_sql)
    return waitress_server(app, host=host, port=port, threads=THREADS, ident="kaohe")


def url_of(server: Any, host: str, port: int) -> str:
    """The address to open (a name resolving to several addresses gives a multi-socket server without one)."""
    host, port = getattr(server, "effective_host", host), getattr(server, "effective_port", port)
    shown = f"[{host}]" if ":" in str(host) else host
    return f"http://{shown}:{port}/"
