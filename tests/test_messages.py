"""Issue 14 point 5: everything a person reads is Chinese; programs get stable English codes.

Two nets: every command's human output on the samples (answers, summaries, errors, help) has no English
sentence; and no message literal in the code handed to an exception, ``click.echo`` or a log call is one.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES

from cli import cli, ingest_command

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "cli.py",
    "commands",
    "ingest",
    "parsers",
    "normalize",
    "frameworks",
    "store",
    "scoring",
    "export",
    "web",
    "textview",
)
HAN = re.compile(r"[\u4e00-\u9fff]")
# Three English words in a row: a sentence (``no such frameworks``), not a code or a file name.
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?:[\s,;:.\d]+[A-Za-z]{2,}){2}\b")
# Words of the command line itself, which stay as typed: options, metavars, commands, formats.
COMMAND_WORDS = re.compile(
    r"--?[a-z][a-z-]*|\b[A-Z_]{2,}\b|\bkaohe(-ingest)?\b|\b(xlsx|docx|csv|md|txt|pdf|html|toml|text|table)\b"
    r"|\[[^\]]*\]|\bSQLite\b|\bJSON\b|\bUTF-8\b|\bBOM\b|\bCtrl\+C\b|\bSELECT\b|\bHost\b|\bREADME\b"
)
# Exceptions that signal a bug in kaohe (never shown as a message: the CLI reports them as 内部错误).
PROGRAMMING_ERRORS = {"ValueError", "TypeError", "AttributeError", "AssertionError", "KeyError", "RuntimeError"}
SINKS = re.compile(r"(Error|Exception|echo|abort|warn|warning|info|error|critical|fail)$")


def english_sentences(text: str) -> list[str]:
    """Lines of ``text`` that say something in English (once the command line's own words are set aside)."""
    found = []
    for line in text.splitlines():
        prose = COMMAND_WORDS.sub(" ", line)
        prose = re.sub(r"\S*[/\\]\S*|\S+\.\w{2,4}\b", " ", prose)  # paths and file names
        if ENGLISH_SENTENCE.search(prose) and not HAN.search(prose):
            found.append(line)
    return found


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notices")
    for path in SAMPLES.iterdir():
        if path.suffix in (".docx", ".txt", ".html"):
            shutil.copy(path, folder / path.name)
    store = tmp_path_factory.mktemp("store") / "kaohe.db"
    result = CliRunner().invoke(ingest_command, [str(folder), "--db", str(store), "-s"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert not english_sentences(result.output), result.output
    return store


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db)] if args[0] not in ("parse",) else list(args))


ANSWERS = [
    ("owner", "营造林面积"),
    ("owner", "營造林面積"),
    ("owner", "生产总值增长"),
    ("owner", "工作", "--limit", "3"),
    ("dept", "林业局", "--region", "佳县"),
    ("dept", "发改局"),
    ("dept", "县体育局"),
    ("frameworks",),
    ("frameworks", "--year", "1999"),
    ("search", "脱贫攻坚"),
    ("search", "没有这样的指标内容"),
    ("warnings",),
    ("diff", "--region", "佳县", "--years", "2020", "2021"),
    ("diff", "99998", "99999"),
    ("rules", "--region", "柞水县"),
    ("breakdown", "--region", "佳县", "--year", "2030", "-o", "x.md"),
]


@pytest.mark.parametrize("args", ANSWERS, ids=" ".join)
def test_answers_and_errors_are_chinese(db: Path, args: tuple[str, ...]) -> None:
    result = run(db, *args)
    assert "Traceback" not in result.output
    assert not english_sentences(result.output), result.output


@pytest.mark.parametrize("command", [None, *sorted(cli.commands)])
def test_help_is_chinese(command: str | None) -> None:
    result = CliRunner().invoke(cli, [command, "--help"] if command else ["--help"])
    assert result.exit_code == 0
    assert result.output.startswith("用法: ")
    assert not english_sentences(result.output), result.output


@pytest.mark.parametrize(
    "args",
    [["owner"], ["owner", "x", "--bogus"], ["ownr", "x"], ["diff", "1"], ["owner", "x", "--year", "abc"]],
    ids=" ".join,
)
def test_click_usage_errors_are_chinese(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "错误：" in result.stderr and "用法: " in result.stderr
    assert not english_sentences(result.stderr), result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [(("owner", "没有这样的指标内容啊"), 1), (("search", "没有这样的指标内容啊"), 1),
     (("frameworks", "--year", "1999"), 1), (("dept", "县体育局"), 1), (("dept", "发改局"), 1),
     (("owner", "营造林面积"), 0), (("frameworks",), 0)],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else str(v),
)  # fmt: skip
def test_nothing_found_is_exit_1(db: Path, args: tuple[str, ...], code: int) -> None:
    assert run(db, *args).exit_code == code


def test_warnings_carry_stable_codes_for_programs(db: Path) -> None:
    items = json.loads(run(db, "warnings", "--json").stdout)
    codes = {w["code"] for w in items}
    assert {"points_mismatch", "missing_points"} <= codes
    assert all(re.fullmatch(r"[a-z_]+", code) for code in codes)
    assert all(HAN.search(w["message"]) for w in items)


def message_literals() -> list[tuple[str, int, str, str]]:
    """(file, line, callee, text) of each literal message handed to an exception, echo or log call."""
    found = []
    for package in PACKAGES:
        path = ROOT / package
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if SINKS.search(callee or "") and callee not in PROGRAMMING_ERRORS:
                    text = _literal(node.args[0])
                    if text:
                        found.append((str(file.relative_to(ROOT)), node.lineno, callee, text))
    return found


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def test_no_message_in_the_code_is_english() -> None:
    literals = message_literals()
    assert len(literals) > 50  # the walk finds the messages
    english = [f"{f}:{line} {callee}({text!r})" for f, line, callee, text in literals if english_sentences(text)]
    assert english == []


def test_the_detector_finds_english() -> None:
    assert english_sentences("no framework with id 3; see `kaohe frameworks`")
    assert english_sentences("wrote x.xlsx: 12 rows in 3 sections")
    assert not english_sentences("错误：没有编号为 3 的框架；见 kaohe frameworks")
    assert not english_sentences("  --db FILE   SQLite 存储文件。  [默认：50]")


def test_ingest_json_gives_each_failure_and_warning_a_code(tmp_path: Path) -> None:
    (tmp_path / "坏.docx").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "乱码.pdf").write_bytes(b"%PDF-1.4 nothing else")
    shutil.copy(SAMPLES / "佳县2020年度目标责任考核指标.txt", tmp_path / "通知.txt")
    result = CliRunner().invoke(ingest_command, [str(tmp_path), "--db", str(tmp_path / "k.db"), "--json"])
    assert result.exit_code == 1
    files = {Path(f["file"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["坏.docx"]["error_code"] == files["乱码.pdf"]["error_code"] == "unreadable_file"
    assert HAN.search(files["坏.docx"]["error"])
    notice = files["通知.txt"]
    assert notice["error_code"] is None and "points_mismatch" in notice["warning_codes"]
    assert len(notice["warning_codes"]) == len(notice["warnings"])
