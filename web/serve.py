"""Run the web interface with waitress (pure Python: also runs on the office's Windows PCs)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from waitress import create_server as waitress_server

from web.app import create_app
from web.guard import LOCAL_NAMES, AllowedHosts

log = logging.getLogger(__name__)
LOCAL_HOSTS = LOCAL_NAMES
THREADS = 6  # at most web.sql_worker.WORKERS of them wait on /sql statements; the rest serve the pages


def is_local(host: str) -> bool:
    """Whether only this computer can reach ``host`` (anything else exposes the store to the network)."""
    return host in LOCAL_HOSTS


def create_server(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    allow_sql: bool = False,
    allowed_hosts: Iterable[str] = (),
) -> Any:
    """A waitress server for the store (``port=0``: a free port, see ``server.effective_port``); call ``run()``.

    Requests must name the server by a local name, ``host`` or one of ``allowed_hosts`` (see web.guard).
    """
    app = create_app(db_path, allow_sql=allow_sql, hosts=AllowedHosts.for_server(host, allowed_hosts))
    return waitress_server(app, host=host, port=port, threads=THREADS, ident="kaohe")


def url_of(server: Any, host: str, port: int) -> str:
    """The address to open (a name resolving to several addresses gives a multi-socket server without one)."""
    host, port = getattr(server, "effective_host", host), getattr(server, "effective_port", port)
    shown = f"[{host}]" if ":" in str(host) else host
    return f"http://{shown}:{port}/"
