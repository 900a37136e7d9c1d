"""What every request of ``kaohe serve`` passes through: the Host allow-list, the security headers, and
parameters checked before any query sees them (bad ones are a Chinese 400, never a 500).

A page on another site can reach a server on 127.0.0.1 through DNS rebinding (its own name made to
resolve to 127.0.0.1), but the browser then sends that name as ``Host``; only the names this server
is known by are answered. An IP address typed in the address bar cannot come from rebinding, so a
server listening on every interface (``--host 0.0.0.0``) also answers its addresses.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask, Response, abort, request

from progress.levels import Period

log = logging.getLogger(__name__)
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_EVERY_INTERFACE = frozenset({"0.0.0.0", "::", ""})
SECURITY_HEADERS = {
    # Nothing but this server's own files; no inline script or style, no frames, forms post here only.
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
MAX_REQUEST_BYTES = 64 * 1024  # a form (the /sql statement) is far smaller
YEARS = (1000, 9999)
IDS = (1, 2**63 - 1)  # SQLite's integers
TEXT_LIMITS = {"q": 200, "region": 50, "kind": 30, "name": 100, "period": 20}
_SHOWN = 40  # characters of a bad value echoed in a message


def host_name(header: str) -> str:
    """The host of a ``Host`` header, lower case, without port, brackets or trailing dot."""
    header = header.strip().lower()
    if header.startswith("["):
        header = header[1:].split("]", 1)[0]
    elif header.count(":") == 1:
        header = header.split(":", 1)[0]
    return header.rstrip(".")


@dataclass(frozen=True)
class AllowedHosts:
    """The names a request's ``Host`` may carry."""

    names: frozenset[str] = LOCAL_NAMES
    any_address: bool = False  # listening on every interface: any IP address is fine

    @classmethod
    def for_server(cls, bound: str, extra: Iterable[str] = ()) -> AllowedHosts:
        """The local names, the address the server listens on, and the names given with ``--allowed-host``."""
        names = LOCAL_NAMES | {host_name(bound)} | {host_name(n) for n in extra if n.strip()}
        return cls(names=frozenset(names - {""}), any_address=host_name(bound) in _EVERY_INTERFACE)

    def allows(self, header: str | None) -> bool:
        if not header:  # an HTTP/1.0 client without Host: not a browser, so not rebinding
            return True
        name = host_name(header)
        return name in self.names or (self.any_address and _is_address(name))


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def install(app: Flask, hosts: AllowedHosts) -> None:
    """Refuse unknown hosts before anything else runs, and put the security headers on every response."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    @app.before_request
    def check_host() -> None:
        header = request.environ.get("HTTP_HOST")
        if not hosts.allows(header):
            name = shown(host_name(header or ""))
            log.warning("拒绝 Host 头 %r（来自 %s）", header, request.remote_addr)
            abort(400, f"此服务不接受以“{name}”为地址的请求。请用本机地址打开；如确需用这个名称访问，"
                       f"请在启动时加上 --allowed-host {name}。")  # fmt: skip

    @app.after_request
    def security_headers(response: Response) -> Response:
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        return response


def shown(value: str) -> str:
    """A bad value as a message may echo it: at most a few dozen characters."""
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def int_arg(name: str, what: str, bounds: tuple[int, int] = IDS) -> int | None:
    """A whole number from the query string (absent or empty: None); anything else is a 400."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    low, high = bounds
    if len(raw) > 20 or not raw.isdecimal() or not low <= int(raw) <= high:
        abort(400, f"参数 {name}（{what}）应为 {low} 到 {high} 之间的整数，收到的是“{shown(raw)}”。")
    return int(raw)


def year_arg(name: str = "year", what: str = "年度") -> int | None:
    return int_arg(name, what, YEARS)


def period_arg(name: str = "period", what: str = "报告期") -> Period | None:
    """A reporting month (``2020-06``, ``2020年6月``; absent or empty: None); anything else is a 400."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    check_length(raw, TEXT_LIMITS[name], what)
    try:
        period = Period.parse(raw)
    except ValueError:
        period = None
    if period is None or not YEARS[0] <= period.year <= YEARS[1]:
        abort(400, f"参数 {name}（{what}）应写作 年-月，月份在 1 到 12 之间，如 2020-06；收到的是“{shown(raw)}”。")
    return period


def text_arg(name: str, what: str) -> str | None:
    """A text from the query string, stripped (absent or empty: None); longer than its limit is a 400."""
    value = request.args.get(name, "").strip()
    check_length(value, TEXT_LIMITS[name], what)
    return value or None


def check_length(value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        abort(400, f"{what}过长（{len(value)} 字，最多 {limit} 字）。")
