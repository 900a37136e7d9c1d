"""Every workbook and document kaohe writes, rendered by LibreOffice: pages, title, header, page numbers.

One LibreOffice run converts all the files (it is slow): the 一览表 (.xlsx and .docx, by category
and by department), the score report (from the committed example sheet, which has the English
headers of earlier templates), the diff workbook and the results template. Skipped with the reason
when ``soffice`` is absent. Page counts are checked as ranges: they depend on the CJK fonts
installed (here fonts-noto-cjk stands in for 仿宋_GB2312 and 方正小标宋简体). The layout itself is
``export/layout.py``; docs/reports.md shows the pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from cli import cli, ingest_command
from export import write_breakdown
from export.breakdown import build_breakdown
from store import Store
from store.breakdown_queries import frameworks_of

TITLE = "佳县2020年度市考核县指标任务和责任分解一览表"
BREAKDOWNS = {"cat-docx": ("category", "docx"), "dept-docx": ("dept", "docx"),
              "cat-xlsx": ("category", "xlsx"), "dept-xlsx": ("dept", "xlsx")}  # fmt: skip
CATEGORIES = ("经济发展", "民生保障", "乡村振兴", "文化建设", "生态文明", "县域特色指标")
NOTICES = ("佳县2020年度目标责任考核指标.docx", "佳县2021年度目标责任考核指标.docx")
_PAGE_NUMBER = re.compile(r"第(\d+)页，共(\d+)页")


@dataclass(frozen=True)
class Page:
    text: str  # without whitespace
    lines: list[str]
    landscape: bool


def _cli(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def pdf_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Page]]:
    """Each exported file's PDF pages."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot render the exports to PDF")
    work = tmp_path_factory.mktemp("render")
    notices = work / "notices"
    notices.mkdir()
    for name in NOTICES:
        shutil.copy(SAMPLES / name, notices)
    db = work / "kaohe.db"
    result = CliRunner().invoke(ingest_command, [str(notices), "--db", str(db), "-s"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store = Store(db)
    found = frameworks_of(store.db, "佳县", 2020)
    paths = []
    for name, (by, fmt) in BREAKDOWNS.items():
        path = work / f"{name}.{fmt}"
        write_breakdown(build_breakdown(store.db, found, by=by), path)  # type: ignore[arg-type]
        paths.append(str(path))
    example = ROOT / "examples" / "佳县2020年度考核结果.xlsx"  # English headers: an old sheet still scores
    where = ["--region", "佳县", "--db", str(db)]
    score = ["--results", str(example), "--format", "xlsx", "-o", str(work / "score.xlsx")]
    _cli("score", *where, "--year", "2020", *score)
    _cli("diff", *where, "--years", "2020", "2021", "--format", "xlsx", "-o", str(work / "diff.xlsx"))
    _cli("template", *where, "--year", "2020", "-o", str(work / "template.xlsx"))
    paths += [str(work / f"{name}.xlsx") for name in ("score", "diff", "template")]
    profile = (work / "lo-profile").as_uri()  # a private profile: parallel runs do not share a lock
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
               str(work / "pdf"), *paths]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    pages = {}
    for name in [*BREAKDOWNS, "score", "diff", "template"]:
        with pdfplumber.open(work / "pdf" / f"{name}.pdf") as pdf:
            pages[name] = [
                Page("".join(text.split()), text.splitlines(), p.width > p.height)
                for p in pdf.pages
                for text in [p.extract_text() or ""]
            ]
    return pages


def _numbered(pages: list[Page]) -> None:
    """Every page says 第 n 页，共 N 页, n counting up."""
    for index, page in enumerate(pages, start=1):
        found = _PAGE_NUMBER.search(page.text)
        assert found and found.groups() == (str(index), str(len(pages))), f"page {index}: no page number"


def _span(pages: list[Page], first: str, until: str | None = None) -> list[Page]:
    """The pages from the one whose text holds ``first`` up to (without) the one holding ``until``."""
    start = next(i for i, p in enumerate(pages) if first in p.text)
    end = next((i for i, p in enumerate(pages) if until and until in p.text and i > start), len(pages))
    return pages[start:end]


def _header_on_every_page(pages: list[Page], first: str, last: str) -> None:
    """The header row, its first and its last column (no column on a page of its own), landscape."""
    for number, page in enumerate(pages, start=1):
        assert first in page.text and last in page.text, f"page {number}: no header row {first}…{last}"
        assert page.landscape, f"page {number} is portrait"


@pytest.mark.parametrize("name", list(BREAKDOWNS))
def test_breakdown_pages(pdf_pages: dict[str, list[Page]], name: str) -> None:
    pages = pdf_pages[name]
    assert 2 <= len(pages) <= 10, f"{name}: {len(pages)} pages"
    assert TITLE in pages[0].text and pages[0].text.startswith("附件")
    text = "".join(p.text for p in pages)
    assert "营造林面积4万亩" in text and "县林业局" in text
    _header_on_every_page(pages, "考核指标", "来源")
    _numbered(pages)
    assert "来源：佳县2020年度目标责任考核指标.docx；生成日期：" in pages[-1].text  # the footer line
    for number, page in enumerate(pages, start=1):  # a category cut by a page break is named again
        assert any(c[:4] in page.text for c in CATEGORIES), f"{name} page {number}: no category label"


def test_breakdown_totals_and_numbers(pdf_pages: dict[str, list[Page]]) -> None:
    assert "合计96" in "".join(p.text for p in pdf_pages["cat-docx"])
    dept_text = "".join(p.text for p in pdf_pages["dept-xlsx"])
    assert "一、县发展改革和科技局（牵头14项，计27.5分；配合0项）" in dept_text
    assert "小计（牵头指标）27.5" in dept_text
    lines = [line for p in pdf_pages["dept-docx"] for line in p.lines]
    assert any(line.startswith("小计（牵头指标）") and line.split()[-1] == "27.5" for line in lines)  # not 27. / 5


def test_score_report_pages(pdf_pages: dict[str, list[Page]]) -> None:
    pages = pdf_pages["score"]
    _numbered(pages)
    summary = pages[0]
    assert summary.text.startswith("佳县2020年度目标责任考核得分与等次") and summary.landscape
    assert "类别名次单位" in summary.text and "等次标记" in summary.text  # the whole header on one page width
    assert "明细" not in summary.text.split("注：")[0]
    statements = [p for p in pages if "年度目标责任考核得分明细" in p.text]
    assert len(statements) == 10  # one page per unit
    for page in statements:
        assert "类别：" in page.text and "计算过程" in page.text and "适用规则及依据" in page.text
        assert "第二十四条" in page.text  # the rules applied, with their articles
    about = _span(pages, "目标责任考核计分说明")
    assert 1 <= len(about) <= 4 and all("参数编号取值来源说明" in p.text for p in about)
    assert len(pages) == 1 + 10 + len(about)


def test_diff_report_pages(pdf_pages: dict[str, list[Page]]) -> None:
    pages = pdf_pages["diff"]
    _numbered(pages)
    assert 4 <= len(pages) <= 14
    first = pages[0]
    assert first.text.startswith("佳县2020年度与2021年度考核指标对比") and first.landscape
    assert "一、变化统计新增" in first.text and "二、分值有变化的单位" in first.text
    assert "县乡村振兴局0→30（+30）" in first.text
    changes = _span(pages, "——调整指标", "——部门汇总")
    _header_on_every_page(changes, "原指标新指标变化内容", "匹配置信度")
    assert "原分值新分值" in changes[0].text


def test_template_pages(pdf_pages: dict[str, list[Page]]) -> None:
    pages = pdf_pages["template"]
    _numbered(pages)
    about = pages[0]
    assert about.text.startswith("佳县2020年度目标责任考核结果填报表——说明")
    assert "以前版本的模板（英文列名）填好的表仍可直接计分" in about.text  # the last line: nothing cut off
    lines = _span(pages, "——指标完成情况", "——负面清单扣分")
    assert 5 <= len(lines) <= 40
    _header_on_every_page(lines, "单位考核指标分值目标值完成值", "年终考核")
    text = "".join(p.text for p in pages)
    for english in ("indicator_id", "completion_pct", "qualitative_score", "routine_pct", "city_imposed"):
        assert english not in text
