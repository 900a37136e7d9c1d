"""Issue 13: every bad argument or environment is one Chinese `错误：…` line and the documented exit code.

2 when the command line is wrong (a number out of range, an empty query, a folder given for a file),
1 when the place is wrong (not an SQLite file, a folder that is missing or cannot be written, a store
locked by another process). Never a traceback: checked through CliRunner for every command, and
through a real process for a few, where stderr is exactly what a person sees.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SAMPLES

from cli import cli, ingest_command
from store import errors
from store.errors import LockWait

NOTICE = SAMPLES / "佳县2020年度目标责任考核指标.txt"
NOTICE_2021 = SAMPLES / "佳县2021年度目标责任考核指标.txt"
RESULTS = ROOT / "examples" / "佳县2020年度考核结果.xlsx"
BIG = str(10**30)
SQLITE_MAX = 2**63 - 1
NOT_A_STORE = "不是 SQLite 数据库（或已损坏）；请指向 kaohe 的库，或换一个新文件名"
NOT_KAOHE = "是 SQLite 数据库，但不是 kaohe 的库；请指向 kaohe 的库，或换一个新文件名"


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A store with the 佳县 2020 notice, a text file posing as a store, a folder, a path in a missing folder."""
    tmp = tmp_path_factory.mktemp("errors")
    db = tmp / "kaohe.db"
    result = CliRunner().invoke(ingest_command, [str(NOTICE), "--db", str(db), "-s"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (tmp / "notes.txt").write_text("这不是数据库\n", encoding="utf-8")
    foreign = sqlite3.connect(tmp / "other-app.db")
    foreign.execute("create table notes (text)")
    foreign.commit()
    foreign.close()
    return {"db": str(db), "notdb": str(tmp / "notes.txt"), "dir": str(tmp), "missing": str(tmp / "无此文件夹"),
            "results": str(RESULTS), "notice": str(NOTICE), "foreign": str(tmp / "other-app.db")}  # fmt: skip


def run(entry: str, args: list[str]) -> Result:
    command = ingest_command if entry == "kaohe-ingest" else cli
    return CliRunner().invoke(command, args, prog_name=entry)


def expand(text: str, places: dict[str, str]) -> str:
    return text.format(**places)


def year(option: str, value: object) -> str:
    return f"错误：{option}：年份应为 1949–2100 之间的整数，收到 {value}"


def framework_id(value: object) -> str:
    return f"错误：框架编号应为 1–{SQLITE_MAX} 之间的整数，收到 {value}"


def is_folder(option: str, path: str) -> str:
    return f"错误：{option}：{path} 是文件夹，请给出文件名"


# -- exit 2: the command line is wrong -------------------------------------------------------------

# fmt: off
USAGE = (
    ("owner", "owner 营造林 --year " + BIG, year("--year", BIG)),
    ("owner", "owner 营造林 --year 1948", year("--year", 1948)),
    ("owner", "owner 营造林 --year 二〇二〇", year("--year", "二〇二〇")),
    ("owner", "owner 营造林 --limit -1", "错误：--limit：条数应为 0–10000 之间的整数，收到 -1"),  # 0: all
    ("owner", "owner 营造林 --limit " + BIG, f"错误：--limit：条数应为 0–10000 之间的整数，收到 {BIG}"),
    ("owner", "owner", "错误：查询内容不能为空"),  # the query is the empty string
    ("owner", "owner 营造林 --db {dir}", is_folder("--db", "{dir}")),
    ("dept", "dept", "错误：单位名称不能为空"),
    ("dept", "dept 县林业局 --year 2101", year("--year", 2101)),
    ("dept", "dept 县林业局 -o {dir}", is_folder("--output", "{dir}")),
    ("frameworks", "frameworks --year -1", year("--year", -1)),
    ("search", "search", "错误：搜索内容不能为空"),
    ("search", "search 营造 --limit -5", "错误：--limit：条数应为 0–10000 之间的整数，收到 -5"),
    ("warnings", "warnings --db {dir}", is_folder("--db", "{dir}")),
    ("diff", "diff 0 1", framework_id(0)),
    ("diff", f"diff 1 {SQLITE_MAX + 1}", framework_id(SQLITE_MAX + 1)),
    ("diff", "diff --region 佳县 --years 2020 " + BIG, year("--years", BIG)),
    ("diff", "diff 1 2 --threshold 101", "错误：--threshold：配对阈值应为 0–100 之间的数，收到 101"),
    ("diff", "diff 1 2 --threshold nan", "错误：--threshold：配对阈值应为 0–100 之间的数，收到 nan"),
    ("diff", "diff 1 2 -o {dir}", is_folder("--output", "{dir}")),
    ("watch", "watch {dir} --settle -1", "错误：--settle：秒数应为 0–3600 之间的数，收到 -1"),
    ("watch", "watch {dir} --settle inf", "错误：--settle：秒数应为 0–3600 之间的数，收到 inf"),
    ("watch", "watch {dir} --log {dir}", is_folder("--log", "{dir}")),
    ("breakdown", "breakdown 0 -o x.md", framework_id(0)),
    ("breakdown", "breakdown --region 佳县 --year 3000 -o x.md", year("--year", 3000)),
    ("breakdown", "breakdown 1 -o {dir}", is_folder("--output", "{dir}")),
    ("rules", "rules --region 佳县 --db {dir}", is_folder("--db", "{dir}")),
    ("template", "template --region 佳县 --year " + BIG + " -o x.xlsx", year("--year", BIG)),
    ("template", f"template {SQLITE_MAX + 1} -o x.xlsx", framework_id(SQLITE_MAX + 1)),
    ("score", "score --region 佳县 --year 1 --results {results}", year("--year", 1)),
    ("score", "score 0 --results {results}", framework_id(0)),
    ("parse", "parse {dir}", "错误：'FILE' 的值无效：文件 '{dir}' 是文件夹。"),  # click's own words, in Chinese
    ("serve", "serve --db {dir}", is_folder("--db", "{dir}")),
    ("kaohe-ingest", "{notice} --db {dir}", is_folder("--db", "{dir}")),
)
# fmt: on


def split(command: str, places: dict[str, str]) -> tuple[str, list[str]]:
    words = [expand(w, places) for w in command.split(" ")]
    if words[0] in ("owner", "dept", "search") and len(words) == 1:
        words.append("")  # the empty query
    return ("kaohe-ingest", words) if command.startswith("{notice}") else ("kaohe", words)


@pytest.mark.parametrize(("name", "command", "line"), USAGE, ids=[f"{c[0]}: {c[1]}" for c in USAGE])
def test_a_bad_argument_is_one_chinese_line_and_exit_2(
    places: dict[str, str], name: str, command: str, line: str
) -> None:
    entry, args = split(command, places)
    result = run(entry, args if "--db" in args or name in ("parse", "watch") else [*args, "--db", places["db"]])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # not an uncaught exception
    assert result.stdout == ""
    errors_shown = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert errors_shown == [expand(line, places)]
    assert result.stderr.splitlines()[-1] == expand(line, places)


# -- exit 1: the store or the output file cannot be used -------------------------------------------

_NO_FOLDER = "无法写入，文件夹 {missing} 不存在"
# fmt: off
ENVIRONMENT = (
    ("owner", "owner 营造林 --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("dept", "dept 县林业局 --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("frameworks", "frameworks --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("search", "search 营造 --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("warnings", "warnings --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("diff", "diff 1 2 --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("breakdown", "breakdown 1 -o x.md --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("rules", "rules --region 佳县 --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("template", "template 1 -o {dir}/t.xlsx --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("score", "score 1 --results {results} --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("serve", "serve --port 0 --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("kaohe-ingest", "{notice} --db {notdb}", "错误：{notdb}：" + NOT_A_STORE),
    ("kaohe-ingest", "{notice} --db {foreign}", "错误：{foreign}：" + NOT_KAOHE),
    ("owner", "owner 营造林 --db {foreign}", "错误：{foreign}：" + NOT_KAOHE),
    ("kaohe-ingest", "{notice} --db {missing}/k.db", "错误：{missing}/k.db：无法创建数据库，文件夹 {missing} 不存在"),
    ("kaohe-ingest", "{notice} --db {notdb}/k.db", "错误：{notdb}/k.db：无法创建数据库，{notdb} 不是文件夹"),
    ("dept", "dept 县林业局 -o {missing}/x.docx --db {db}", "错误：{missing}/x.docx：" + _NO_FOLDER),
    ("diff", "diff 1 2 -o {missing}/x.md --db {db}", "错误：{missing}/x.md：" + _NO_FOLDER),
    ("breakdown", "breakdown 1 -o {missing}/x.md --db {db}", "错误：{missing}/x.md：" + _NO_FOLDER),
    ("template", "template 1 -o {missing}/x.xlsx --db {db}", "错误：{missing}/x.xlsx：" + _NO_FOLDER),
    ("score", "score 1 --results {results} -o {missing}/x.txt --db {db}", "错误：{missing}/x.txt：" + _NO_FOLDER),
    ("watch", "watch {dir} --log {notdb}/watch.log", "错误：{notdb}/watch.log：无法写入，{notdb} 不是文件夹"),
)
# fmt: on


@pytest.mark.parametrize(("name", "command", "line"), ENVIRONMENT, ids=[f"{c[0]}: {c[1]}" for c in ENVIRONMENT])
def test_a_store_or_file_that_cannot_be_used_is_one_chinese_line_and_exit_1(
    places: dict[str, str], name: str, command: str, line: str
) -> None:
    others = [Path(places["notdb"]), Path(places["foreign"])]
    before = [p.read_bytes() for p in others]
    entry, args = split(command, places)
    result = run(entry, args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [expand(line, places)]
    assert [p.read_bytes() for p in others] == before  # a file that is not a store is left as it was
    assert not Path(places["foreign"] + "-wal").exists()
    assert not Path(places["missing"]).exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_an_output_the_system_refuses_at_write_time_is_one_line(places: dict[str, str]) -> None:
    """/proc: for root the folder looks writable, and only the write itself fails."""
    result = run("kaohe", ["breakdown", "1", "-o", "/proc/kaohe-test.md", "--db", places["db"]])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("错误：/proc/kaohe-test.md：无法写入，")
    assert len(result.stderr.splitlines()) == 1


# -- through a real process: nothing but the line reaches stderr ----------------------------------

ENTRY = {"kaohe": "from cli import cli as c", "kaohe-ingest": "from cli import ingest_command as c"}


def process(entry: str, args: list[str], setup: str = "") -> subprocess.CompletedProcess[str]:
    code = f"import sys; {setup}{ENTRY[entry]}; sys.exit(c(sys.argv[1:], prog_name='{entry}'))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


# fmt: off
PROCESSES = (
    ("kaohe", "owner 营造林 --year " + BIG + " --db {db}", 2, year("--year", BIG)),
    ("kaohe", "frameworks --db {notdb}", 1, "错误：{notdb}：" + NOT_A_STORE),
    ("kaohe-ingest", "{notice} --db {missing}/k.db", 1,
     "错误：{missing}/k.db：无法创建数据库，文件夹 {missing} 不存在"),
    ("kaohe", "breakdown 1 -o {missing}/x.md --db {db}", 1, "错误：{missing}/x.md：无法写入，文件夹 {missing} 不存在"),
)
# fmt: on


@pytest.mark.parametrize(("entry", "command", "code", "line"), PROCESSES, ids=[p[1] for p in PROCESSES])
def test_no_traceback_reaches_stderr(places: dict[str, str], entry: str, command: str, code: int, line: str) -> None:
    result = process(entry, [expand(w, places) for w in command.split(" ")])
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == expand(line, places)
    assert [s for s in result.stderr.splitlines() if s.startswith("错误：")] == [expand(line, places)]


@pytest.fixture
def read_only_folder(places: dict[str, str], tmp_path: Path) -> Iterator[Path]:
    """A folder holding a store, neither of which can be written. Root writes through permissions, so there
    both are made immutable (``chattr +i``, refused even to root) and the test skips where that is not possible."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    folder = tmp_path / "只读"
    folder.mkdir()
    db = folder / "kaohe.db"
    shutil.copy(places["db"], db)

    def chattr(flag: str) -> bool:
        done = subprocess.run(["chattr", flag, str(db), str(folder)], capture_output=True, check=False)
        return done.returncode == 0

    if os.geteuid() == 0:
        if shutil.which("chattr") is None or not chattr("+i"):
            pytest.skip("root writes anywhere, and chattr +i is not available on this file system")
    else:
        db.chmod(0o444)
        folder.chmod(0o555)
    try:
        yield folder
    finally:
        if os.geteuid() == 0:
            chattr("-i")
        else:
            folder.chmod(0o755)


def test_a_read_only_store_folder_is_one_line(read_only_folder: Path) -> None:
    folder = read_only_folder
    new, old, out = folder / "新.db", folder / "kaohe.db", folder / "一览表.md"
    read_only, no_write = "无法打开数据库，文件只读（没有写权限）", f"文件夹 {folder} 没有写权限"
    cases = (
        ("kaohe-ingest", [str(NOTICE), "--db", str(new)], f"错误：{new}：无法创建数据库，{no_write}"),
        ("kaohe", ["frameworks", "--db", str(old)], f"错误：{old}：{read_only}"),
        ("kaohe-ingest", [str(NOTICE), "--db", str(old)], f"错误：{old}：{read_only}"),
        ("kaohe", ["breakdown", "1", "-o", str(out), "--db", str(old)], f"错误：{out}：无法写入，{no_write}"),
    )  # fmt: skip
    for entry, args, line in cases:
        result = process(entry, args)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", line + "\n")
    assert sorted(p.name for p in folder.iterdir()) == ["kaohe.db"]


# -- a store locked by another writer ---------------------------------------------------------------


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> LockWait:
    wait = LockWait(timeout=0.1, retries=1, backoff=0.1, after_give_up=0.1)
    monkeypatch.setattr(errors, "LOCK_WAIT", wait)
    return wait


@pytest.fixture
def locked_store(places: dict[str, str], tmp_path: Path) -> Iterator[Path]:
    """A copy of the store, with another connection holding ``BEGIN EXCLUSIVE`` until the test ends."""
    db = tmp_path / "locked.db"
    shutil.copy(places["db"], db)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        try:
            connection.execute("BEGIN EXCLUSIVE")
            locked.set()
            release.wait(60)
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        assert locked.wait(10), "the other connection never took the lock"
        yield db
    finally:
        release.set()
        holder.join(10)


def table_rows(db: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        # Contentless FTS5 tables cannot be scanned: their shadow tables are counted instead.
        sql = "select name from sqlite_master where type = 'table' and sql not like 'CREATE VIRTUAL TABLE%'"
        names = [r[0] for r in connection.execute(sql)]
        return {n: connection.execute(f"select count(*) from [{n}]").fetchone()[0] for n in names}
    finally:
        connection.close()


def two_new_notices(folder: Path) -> tuple[Path, Path]:
    """Two notices not in the store yet: each needs a write."""
    folder.mkdir()
    first, second = folder / "a.txt", folder / "b.txt"
    shutil.copy(NOTICE_2021, first)
    second.write_text(NOTICE_2021.read_text(encoding="utf-8") + "\n附：另一份\n", encoding="utf-8")
    return first, second


def test_kaohe_ingest_into_a_locked_store_reports_every_file_and_the_summary(
    locked_store: Path, short_wait: LockWait, tmp_path: Path
) -> None:
    before = table_rows(locked_store)  # WAL: a reader is never locked out
    first, second = two_new_notices(tmp_path / "收件")
    result = run("kaohe-ingest", [str(first.parent), "--db", str(locked_store), "-s"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    locked = f"{locked_store}：数据库正被其他程序锁定"
    lines = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert lines[0] == f"错误：{first}：未入库——{locked}，等待 0.3 秒后放弃；请等它结束后再试"
    assert lines[1].startswith(f"错误：{second}：未入库——{locked}，等待 ")
    assert lines[2].startswith(f"错误：本次运行未记入 ingest_runs：{locked}，等待 ")
    assert len(lines) == 3
    assert "共 2 个文件：导入 0 个，未变 0 个，重复 0 个，失败 2 个" in result.stdout
    assert table_rows(locked_store) == before


HOLD = """import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(60)
"""
SHORT_WAIT = "from store import errors; errors.LOCK_WAIT = errors.LockWait(0.1, 1, 0.1, 0.1); "


@pytest.mark.skipif(not Path("/proc/locks").is_file(), reason="needs Linux /proc/locks")
def test_a_store_locked_by_another_process_names_it_and_the_batch_goes_on(
    places: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "held.db"
    shutil.copy(places["db"], db)
    before = table_rows(db)
    first, second = two_new_notices(tmp_path / "收件")
    (tmp_path / "hold.py").write_text(HOLD, encoding="utf-8")
    holder = subprocess.Popen([sys.executable, str(tmp_path / "hold.py"), str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = process("kaohe-ingest", [str(first.parent), "--db", str(db), "-s"], setup=SHORT_WAIT)
    finally:
        holder.kill()
        holder.wait(10)
    locked = f"{db}：数据库正被其他程序锁定（{Path(sys.executable).name} hold.py held.db，pid {holder.pid}）"
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("错误：")] == [
        f"错误：{first}：未入库——{locked}，等待 0.3 秒后放弃；请等它结束后再试",
        f"错误：{second}：未入库——{locked}，等待 0.1 秒后放弃；请等它结束后再试",  # refused once: later files try once
        f"错误：本次运行未记入 ingest_runs：{locked}，等待 0.1 秒后放弃；请等它结束后再试",
    ]
    assert "共 2 个文件：导入 0 个，未变 0 个，重复 0 个，失败 2 个" in result.stdout
    assert table_rows(db) == before
