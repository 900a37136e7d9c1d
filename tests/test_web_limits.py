"""kaohe serve under hostile input (issue 13): /sql in a killable worker with hard limits, the Host
allow-list, security headers, and bad parameters as a Chinese 400, never a 500."""

from __future__ import annotations

import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from test_web import ingested_store

from cli import cli
from web.app import create_app
from web.guard import SECURITY_HEADERS, AllowedHosts, host_name
from web.serve import create_server
from web.sql_worker import SECONDS, SqlFailed, SqlRunner

# One C call the progress handler cannot interrupt (a 1 MB needle searched in a 4 MB haystack):
# only killing the worker stops it.
UNINTERRUPTIBLE = "select instr(hex(zeroblob(1999999)), substr(hex(zeroblob(1999999)), 1, 1000000) || '1')"
ENDLESS = "with recursive r(x) as (select 1 union all select x + 1 from r) select count(*) from r"
HOSTILE_PRINTF = "select printf('%.*c', 900000000, 'x')"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested_store(tmp_path_factory)


@pytest.fixture(scope="module")
def client(db: Path) -> FlaskClient:
    return create_app(db).test_client()


@pytest.fixture(scope="module")
def sql_client(db: Path) -> FlaskClient:
    return create_app(db, allow_sql=True).test_client()


def post_sql(client: FlaskClient, sql: str, status: int) -> str:
    response = client.post("/sql", data={"sql": sql})
    text = response.get_data(as_text=True)
    assert response.status_code == status, (sql, text[-600:])
    return text


# --- /sql: denied functions, value and result caps, time and memory limits ---


@pytest.mark.parametrize("function", ["fts3_tokenizer('simple')", "load_extension('x')", "FTS3_TOKENIZER('porter')"])
def test_sql_refuses_dangerous_functions(sql_client: FlaskClient, function: str) -> None:
    name = function.split("(")[0].lower()
    assert f"不允许调用函数 {name}()" in post_sql(sql_client, f"select {function}", 403)


@pytest.mark.parametrize(
    "sql",
    [
        HOSTILE_PRINTF,
        "select printf('%900000000d', 1)",
        "select format('%.*c', '900000000', 'x')",
        "select printf('%s %.*c', 'a', 1e9, 'x')",
        "select printf(x'252e2a63', 900000000, 'x')",  # the format as a blob
    ],
)
def test_sql_printf_with_a_huge_width_is_refused_at_once(sql_client: FlaskClient, sql: str) -> None:
    started = time.monotonic()
    assert "printf/format 的宽度或精度超过上限（1000）" in post_sql(sql_client, sql, 400)
    assert time.monotonic() - started < 2


def test_sql_printf_still_formats(sql_client: FlaskClient) -> None:
    sql = "select printf('%5d|%-3s|%.2f|%%|%,d|%.*c', 42, 'ab', 3.14159, 1234567, 3, 'x') as p"
    assert "<td>   42|ab |3.14|%|1,234,567|xxx</td>" in post_sql(sql_client, sql, 200)


@pytest.mark.parametrize("sql", ["select zeroblob(900000000)", "select length(randomblob(900000000))"])
def test_sql_values_are_capped(sql_client: FlaskClient, sql: str) -> None:
    assert "字节的上限，已中止" in post_sql(sql_client, sql, 400)


def test_sql_result_is_capped_and_blobs_shown_as_hex(sql_client: FlaskClient) -> None:
    many = "with recursive r(x) as (select 1 union all select x + 1 from r limit 1500) select x from r"
    text = post_sql(sql_client, many, 200)
    assert text.count("<tr><td>") == 1000 and "已截断，只显示前 1000 行" in text
    text = post_sql(sql_client, "select hex(zeroblob(20000)) as long, x'00ff' as blob", 200)
    assert "1 个值过长" in text and "<td>X&#39;00FF&#39;</td>" in text
    assert "0" * 10_001 not in text


def test_sql_that_runs_too_long_is_stopped_within_the_limit(sql_client: FlaskClient) -> None:
    started = time.monotonic()
    assert f"查询超过 {SECONDS:g} 秒，已中止" in post_sql(sql_client, ENDLESS, 400)
    assert time.monotonic() - started < SECONDS + 1


def test_one_uninterruptible_call_is_killed_at_the_deadline(db: Path) -> None:
    runner = SqlRunner(db, seconds=1.5)
    started = time.monotonic()
    with pytest.raises(SqlFailed, match=r"查询超过 1\.5 秒，已中止") as stopped:
        runner.run(UNINTERRUPTIBLE)
    assert stopped.value.status == 400
    assert time.monotonic() - started < 2.5


def test_sql_that_needs_too_much_memory_is_stopped(sql_client: FlaskClient) -> None:
    pytest.importorskip("resource", reason="no address-space limit on this system (Windows)")
    grow = (
        "with recursive r(x) as (select randomblob(1000000) union select randomblob(1000000) from r) "
        "select count(*) from r"
    )
    assert "查询所需内存超过上限（256 MB）" in post_sql(sql_client, grow, 400)


def test_sql_statement_length_and_other_sites_are_refused(sql_client: FlaskClient) -> None:
    assert "SQL 语句过长" in post_sql(sql_client, "select '" + "x" * 20_000 + "'", 400)
    response = sql_client.post("/sql", data={"sql": "select 1"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403 and "只接受本页面提交" in response.get_data(as_text=True)
    assert sql_client.post("/sql", data={"sql": "x" * 100_000}).status_code == 413


# --- Host allow-list and security headers ---

# fmt: off
HOST_NAMES = (
    ("localhost:8001", "localhost"), ("[::1]:8001", "::1"), ("[::1]", "::1"), ("127.0.0.1", "127.0.0.1"),
    ("Kaohe.Office.LAN.", "kaohe.office.lan"), ("192.168.1.20:8080", "192.168.1.20"), ("::1", "::1"),
)
# fmt: on


@pytest.mark.parametrize(("header", "name"), HOST_NAMES)
def test_host_name(header: str, name: str) -> None:
    assert host_name(header) == name


def test_unknown_hosts_get_a_chinese_400(client: FlaskClient) -> None:
    for host in ("localhost", "localhost:8001", "127.0.0.1:8001", "[::1]:8001"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8001", "127.0.0.1.nip.io", "192.168.1.20"):
        response = client.get("/depts", headers={"Host": host})
        text = response.get_data(as_text=True)
        assert response.status_code == 400, host
        assert "此服务不接受以" in text and "--allowed-host" in text and "县林业局" not in text


def test_allowed_hosts_of_a_server_on_the_network() -> None:
    hosts = AllowedHosts.for_server("0.0.0.0", ["kaohe.office.lan", "KAOHE-PC"])
    assert all(hosts.allows(h) for h in ("kaohe.office.lan:8080", "kaohe-pc", "192.168.1.20:8080", "[fe80::1]", None))
    assert not hosts.allows("evil.example") and not hosts.allows("kaohe.office.lan.evil.example")
    lan = AllowedHosts.for_server("192.168.1.20")
    assert lan.allows("192.168.1.20:8001") and lan.allows("localhost") and not lan.allows("10.0.0.1")


def test_allowed_host_option_reaches_the_server(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    seen: dict[str, object] = {}

    class Server:
        def run(self) -> None:
            pass

    def fake_server(*args: object, **kwargs: object) -> Server:
        seen.update(kwargs)
        return Server()

    monkeypatch.setattr("web.serve.create_server", fake_server)
    args = ["serve", "--db", str(db), "--allowed-host", "kaohe.office.lan", "--allowed-host", "kaohe-pc"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert seen["allowed_hosts"] == ("kaohe.office.lan", "kaohe-pc")


ANY_RESPONSE = [
    "/",
    "/owner?q=营造林面积",
    "/depts",
    "/static/style.css",
    "/static/autosubmit.js",
    "/nope",
    "/owner?year=x",
]
PAGES_SHOWN = ["/", "/owner?q=营造林面积", "/depts", "/dept/县林业局", "/frameworks", "/framework/1", "/diff"]


@pytest.mark.parametrize("url", ANY_RESPONSE)
def test_security_headers_on_every_response(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, (url, header)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", PAGES_SHOWN)
def test_pages_need_nothing_the_policy_blocks(client: FlaskClient, url: str) -> None:
    text = client.get(url).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert "<style" not in text and " style=" not in text, "inline style"
    assert not re.search(r"(src|href)=\"(https?:)?//", text), "something from another site"


# --- bad parameters: a Chinese 400 (404 for ids that are not there), never a 500 ---

BAD = [
    ("/owner?q=x&year=" + "9" * 30, "年度"),
    ("/owner?q=x&year=abc", "年度"),
    ("/owner?q=x&year=-1", "年度"),
    ("/owner?q=营造&region=" + "佳" * 50_000, "地区过长"),
    ("/owner?q=" + "营" * 50_000, "查询内容过长"),
    ("/frameworks?year=" + "9" * 30, "年度"),
    ("/frameworks?kind=" + "x" * 100, "类型过长"),
    ("/dept/县林业局?year=" + "9" * 30, "年度"),
    ("/dept/" + "县" * 5000, "单位名称过长"),
    ("/diff?old=" + "9" * 30 + "&new=1", "旧框架编号"),
    ("/diff?old=abc&new=1", "旧框架编号"),
    ("/diff?compare=1&with=" + "9" * 30, "对比框架编号"),
    ("/diff?region=佳县&old_year=" + "9" * 30 + "&new_year=2020", "旧年度"),
]


@pytest.mark.parametrize(("url", "what"), BAD, ids=[u[:40] for u, _ in BAD])
def test_bad_parameters_are_a_chinese_400(client: FlaskClient, url: str, what: str) -> None:
    response = client.get(url)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "400 · 请求有误" in text and what in text and "Traceback" not in text


def test_full_width_digits_are_a_year(client: FlaskClient) -> None:
    assert client.get("/owner?q=营造林面积&year=２０２０").status_code == 200


@pytest.mark.parametrize("url", ["/framework/" + "9" * 30, "/framework/0", "/diff?old=1&new=999999"])
def test_unknown_ids_stay_404(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 404


VALUES = ["", " ", "0", "-1", "9" * 25, "１２", "%", "_", "'", "%00", "%ED%A0%80", "<b>", "a" * 60, "2020.5"]
PAGES = [
    "/owner?q=营造&year={}",
    "/owner?q={}&region={}",
    "/frameworks?region={}&year={}&kind={}",
    "/dept/{}",
    "/dept/县林业局?year={}",
    "/diff?old={}&new={}",
    "/diff?compare={}&with=1",
    "/diff?region={}&old_year={}&new_year=2021",
    "/framework/{}",
]


@pytest.mark.parametrize("page", PAGES)
def test_no_value_makes_a_500(client: FlaskClient, page: str) -> None:
    for value in VALUES:
        url = page.format(*[value] * page.count("{}"))
        response = client.get(url)
        assert response.status_code in (200, 308, 400, 404), url
        assert "Traceback" not in response.get_data(as_text=True)


def test_an_error_in_a_view_is_a_chinese_500_without_traceback(db: Path) -> None:
    app = create_app(db)

    def broken() -> str:
        raise RuntimeError("secret detail")

    app.add_url_rule("/broken", "broken", broken)
    response = app.test_client().get("/broken")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "500 · 服务器内部错误" in text and "错误已记入服务器日志" in text
    assert "secret detail" not in text and "Traceback" not in text
    assert response.headers["X-Frame-Options"] == "DENY"


# --- a real server: four hostile statements at once leave the pages free ---


def wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@pytest.fixture(scope="module")
def base_url(db: Path) -> Iterator[str]:
    server = create_server(db, host="127.0.0.1", port=0, allow_sql=True)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for_port(server.effective_port)
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def fetch(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> tuple[int, float]:
    body = urllib.parse.urlencode(data).encode() if data else None
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers or {}), timeout=20) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, time.monotonic() - started


def test_four_hostile_statements_leave_the_pages_free(base_url: str) -> None:
    hostile: list[tuple[int, float]] = []
    threads = [
        threading.Thread(target=lambda: hostile.append(fetch(base_url + "/sql", {"sql": UNINTERRUPTIBLE})), daemon=True)
        for _ in range(4)
    ]
    owner = base_url + "/owner?q=" + urllib.parse.quote("营造林面积")
    pages: list[tuple[int, float]] = []
    try:
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            pages.append(fetch(owner))
    finally:
        for thread in threads:
            thread.join(timeout=20)
    assert sorted(status for status, _ in hostile) == [400, 400, 503, 503]  # two killed at the limit, two turned away
    assert max(took for _, took in hostile) < SECONDS + 1.5
    assert len(pages) >= 5 and all(status == 200 for status, _ in pages)
    assert max(took for _, took in pages) < 2, pages


def test_a_real_server_refuses_other_hosts(base_url: str) -> None:
    assert fetch(base_url + "/", headers={"Host": "attacker.example"})[0] == 400
    assert fetch(base_url + "/", headers={"Host": "localhost"})[0] == 200


def test_the_year_menu_works_under_the_policy_in_a_browser(base_url: str) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip(f"no browser: {chromium} is missing")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            blocked: list[str] = []
            page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
            for url in ("/", "/depts", "/frameworks", "/framework/1", "/diff", "/sql"):
                page.goto(base_url + url)
            page.goto(base_url + "/dept/" + urllib.parse.quote("县林业局"))
            page.select_option("select[name=year]", "2020")  # the script submits the form
            page.wait_for_url("**/dept/**year=2020", timeout=10_000)
            assert not blocked, blocked
        finally:
            browser.close()
