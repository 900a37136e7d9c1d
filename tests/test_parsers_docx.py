"""The Word backend: reading order, merged cells, cell text, page furniture, broken files."""

from __future__ import annotations

import time
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

import parsers
from parsers.document import Document, Paragraph, Table
from parsers.docx_parser import parse
from parsers.errors import ParseError

W_NS = nsdecls("w")


def assert_grid_covered_once(table: Table) -> None:
    """Every grid position belongs to exactly one cell, and each row lists only cells starting there."""
    owners: Counter[tuple[int, int]] = Counter()
    for r, cells in enumerate(table.rows):
        for cell in cells:
            assert cell.row == r
            for rr in range(cell.row, cell.row + cell.rowspan):
                for cc in range(cell.col, cell.col + cell.colspan):
                    owners[(rr, cc)] += 1
    expected = {(r, c) for r in range(table.n_rows) for c in range(table.n_cols)}
    assert set(owners) == expected
    assert set(owners.values()) == {1}


def spans(table: Table) -> list[tuple[int, int, int, int, str]]:
    return [(c.row, c.col, c.rowspan, c.colspan, c.text) for cells in table.rows for c in cells]


def save(document: docx.document.Document, path: Path) -> Path:
    document.save(str(path))
    return path


def append_body_xml(document: docx.document.Document, xml: str) -> None:
    """Insert raw WordprocessingML at the end of the body (before the section properties)."""
    element = parse_xml(xml)
    body = document.element.body
    if body.sectPr is not None:
        body.sectPr.addprevious(element)
    else:
        body.append(element)


def parsed(document: docx.document.Document, tmp_path: Path, name: str = "notice.docx") -> Document:
    return parse(save(document, tmp_path / name))


# --- merged cells -----------------------------------------------------------------------------


@pytest.fixture
def merged_table_doc(tmp_path: Path) -> Document:
    """5×5: header merge over cols 1-2, col 0 merged over rows 1-3, a 2×2 block, an empty cell at (1,4)."""
    document = docx.Document()
    table = document.add_table(rows=5, cols=5)
    for r in range(5):
        for c in range(5):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(1, 4).text = ""
    table.cell(0, 1).merge(table.cell(0, 2)).text = "考核内容"
    table.cell(1, 0).merge(table.cell(3, 0)).text = "经济发展"
    table.cell(1, 1).merge(table.cell(2, 2)).text = "块"
    return parsed(document, tmp_path)


def test_merges_become_spans_at_the_top_left(merged_table_doc: Document) -> None:
    (table,) = merged_table_doc.tables
    assert (table.n_rows, table.n_cols) == (5, 5)
    assert spans(table) == [
        (0, 0, 1, 1, "r0c0"), (0, 1, 1, 2, "考核内容"), (0, 3, 1, 1, "r0c3"), (0, 4, 1, 1, "r0c4"),
        (1, 0, 3, 1, "经济发展"), (1, 1, 2, 2, "块"), (1, 3, 1, 1, "r1c3"), (1, 4, 1, 1, ""),
        (2, 3, 1, 1, "r2c3"), (2, 4, 1, 1, "r2c4"),
        (3, 1, 1, 1, "r3c1"), (3, 2, 1, 1, "r3c2"), (3, 3, 1, 1, "r3c3"), (3, 4, 1, 1, "r3c4"),
        (4, 0, 1, 1, "r4c0"), (4, 1, 1, 1, "r4c1"), (4, 2, 1, 1, "r4c2"), (4, 3, 1, 1, "r4c3"), (4, 4, 1, 1, "r4c4"),
    ]  # fmt: skip


def test_empty_cell_is_a_cell_and_covered_positions_are_not(merged_table_doc: Document) -> None:
    (table,) = merged_table_doc.tables
    assert_grid_covered_once(table)
    grid = table.text_grid()
    assert grid[1][4] == ""  # empty, not merged
    assert grid[2][0] is None and grid[3][0] is None  # covered by 经济发展
    assert table.cell_at(3, 0).text == "经济发展"
    assert table.cell_at(2, 2).text == "块"
    assert table.page is None


def test_explicit_continue_gridbefore_and_short_rows(tmp_path: Path) -> None:
    """vMerge val="continue", a row starting late (gridBefore) and one missing its last cell."""
    tc = "<w:tc>{pr}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    restart = tc.format(pr='<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>', text="甲")
    cont = tc.format(pr='<w:tcPr><w:vMerge w:val="continue"/></w:tcPr>', text="")
    plain = [tc.format(pr="", text=t) for t in ("a", "b", "c", "d")]
    wide = tc.format(pr='<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>', text="e")
    append_body_xml(
        document := docx.Document(),
        f"<w:tbl {W_NS}><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr>{restart}{plain[0]}{plain[1]}</w:tr>"
        f"<w:tr>{cont}{plain[2]}</w:tr>"  # missing its last cell
        f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{plain[3]}'
        f"{wide}</w:tr>"
        "</w:tbl>",
    )
    (table,) = parsed(document, tmp_path).tables
    assert_grid_covered_once(table)
    # "e" spans two columns past the 3-column tblGrid: the table is 4 wide, short rows are padded.
    assert table.text_grid() == [["甲", "a", "b", ""], [None, "c", "", ""], ["", "d", "e", None]]


def test_legacy_hmerge_is_a_colspan(tmp_path: Path) -> None:
    cell = "<w:tc><w:tcPr>{merge}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    start = cell.format(merge='<w:hMerge w:val="restart"/>', text="合并")
    append_body_xml(
        document := docx.Document(),
        f"<w:tbl {W_NS}><w:tr>{start}"
        f"{cell.format(merge='<w:hMerge/>', text='')}{cell.format(merge='', text='右')}</w:tr></w:tbl>",
    )
    (table,) = parsed(document, tmp_path).tables
    assert spans(table) == [(0, 0, 1, 2, "合并"), (0, 2, 1, 1, "右")]


# --- cell text --------------------------------------------------------------------------------


def test_cell_text_paragraphs_and_line_breaks(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    paragraphs = table.cell(0, 0)
    paragraphs.text = "县财政局"
    paragraphs.add_paragraph("")  # an empty paragraph adds no blank line
    paragraphs.add_paragraph("　县税务局 ")
    first = table.cell(0, 1).paragraphs[0]
    first.add_run("GDP增速")
    first.add_run().add_break()
    first.add_run("7.5%")
    table.cell(0, 2).text = "考    核    内    容"
    (parsed_table,) = parsed(document, tmp_path).tables
    assert [c.text for c in parsed_table.rows[0]] == ["县财政局\n县税务局", "GDP增速\n7.5%", "考    核    内    容"]


def test_nested_table_follows_its_outer_table(tmp_path: Path) -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外层"
    outer.cell(0, 1).text = "评分细则"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"内{r}{c}"
    document.add_paragraph("表后段落")
    blocks = parsed(document, tmp_path).blocks
    assert [type(b).__name__ for b in blocks] == ["Table", "Table", "Paragraph"]
    outer_table, inner_table, after = blocks
    assert isinstance(outer_table, Table) and isinstance(inner_table, Table) and isinstance(after, Paragraph)
    assert outer_table.text_grid() == [["外层", "评分细则"]]  # the inner text is not repeated
    assert inner_table.text_grid() == [["内00", "内01"], ["内10", "内11"]]
    assert after.text == "表后段落"


# --- reading order and page furniture ---------------------------------------------------------


def test_paragraphs_and_tables_in_document_order_without_header_footer(tmp_path: Path) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "柞水县考核委员会办公室页眉"
    section.footer.paragraphs[0].text = "— 1 —"
    document.add_heading("关于申报2022年度目标责任考核指标的通知", level=1)
    document.add_paragraph("")
    document.add_paragraph("各镇办、县级各部门：")
    document.add_table(rows=1, cols=2).cell(0, 0).text = "表一"
    document.add_paragraph("— 2 —")  # a page number typed into the body
    document.add_paragraph("附件：考核指标分解表")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "表二"
    document.add_paragraph("　　柞水县考核委员会办公室")
    blocks = parsed(document, tmp_path).blocks
    summary = [b.text if isinstance(b, Paragraph) else b.rows[0][0].text for b in blocks]
    assert summary == [
        "关于申报2022年度目标责任考核指标的通知",
        "各镇办、县级各部门：",
        "表一",
        "附件：考核指标分解表",
        "表二",
        "柞水县考核委员会办公室",
    ]
    assert all(b.page is None for b in blocks)


_RUN = "<w:r><w:t xml:space='preserve'>{}</w:t></w:r>"
_PAGE_FIELD = (
    "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
    "<w:r><w:fldChar w:fldCharType='separate'/></w:r>"
    + _RUN.format("3")
    + "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
)

# fmt: off
PARAGRAPH_CASES = (
    ("page field between dashes", _RUN.format("— ") + _PAGE_FIELD + _RUN.format(" —"), None),
    ("simple page field", "<w:fldSimple w:instr=' PAGE '>" + _RUN.format("4") + "</w:fldSimple>", None),
    ("第N页 共M页", _RUN.format("第") + _PAGE_FIELD + _RUN.format("页 共") + _PAGE_FIELD + _RUN.format("页"), None),
    ("other field keeps its result", "<w:fldSimple w:instr='DATE'>" + _RUN.format("2022年3月1日") + "</w:fldSimple>",
     "2022年3月1日"),
    ("tracked deletion dropped", _RUN.format("县财政局") + "<w:del>" + _RUN.replace("w:t", "w:delText").format("旧")
     + "</w:del><w:ins>" + _RUN.format("牵头") + "</w:ins>", "县财政局牵头"),
    ("hidden run dropped", _RUN.format("可见") + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>", "可见"),
    ("run-level content control", "<w:sdt><w:sdtContent>" + _RUN.format("控件内文字") + "</w:sdtContent></w:sdt>",
     "控件内文字"),
    ("hyperlink and tab", "<w:hyperlink>" + _RUN.format("附件") + "</w:hyperlink><w:r><w:tab/></w:r>"
     + _RUN.format("1"), "附件\t1"),
)
# fmt: on


@pytest.mark.parametrize(("runs", "expected"), [c[1:] for c in PARAGRAPH_CASES], ids=[c[0] for c in PARAGRAPH_CASES])
def test_paragraph_text(tmp_path: Path, runs: str, expected: str | None) -> None:
    document = docx.Document()
    append_body_xml(document, f"<w:p {W_NS}>{runs}</w:p>")
    texts = [p.text for p in parsed(document, tmp_path).paragraphs]
    assert texts == ([] if expected is None else [expected])


def test_text_box_read_once_before_its_anchor(tmp_path: Path) -> None:
    """A red-head issuer mark in a text box: Word writes it twice (mc:Choice and the VML mc:Fallback)."""
    box = f"<w:txbxContent><w:p>{_RUN.format('柞水县考核委员会办公室文件')}</w:p></w:txbxContent>"
    document = docx.Document()
    append_body_xml(
        document,
        f"<w:p {W_NS} xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'"
        " xmlns:wps='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'"
        " xmlns:v='urn:schemas-microsoft-com:vml'>"
        f"<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        f"</mc:AlternateContent></w:r>{_RUN.format('柞考办发〔2022〕2号')}</w:p>",
    )
    texts = [p.text for p in parsed(document, tmp_path).paragraphs]
    assert texts == ["柞水县考核委员会办公室文件", "柞考办发〔2022〕2号"]


def test_body_content_controls_are_read(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("控件前")
    append_body_xml(
        document,
        f"<w:sdt {W_NS}><w:sdtPr/><w:sdtContent><w:p>{_RUN.format('控件段落')}</w:p>"
        f"<w:tbl><w:tr><w:tc><w:p>{_RUN.format('控件表格')}</w:p></w:tc></w:tr></w:tbl></w:sdtContent></w:sdt>",
    )
    document.add_paragraph("控件后")
    blocks = parsed(document, tmp_path).blocks
    assert [b.text if isinstance(b, Paragraph) else b.text_grid() for b in blocks] == [
        "控件前",
        "控件段落",
        [["控件表格"]],
        "控件后",
    ]


def test_docm_is_read(tmp_path: Path) -> None:
    """A macro-enabled document has a main part content type python-docx refuses by default."""
    document = docx.Document()
    document.add_paragraph("宏文档正文")
    plain = save(document, tmp_path / "plain.docx")
    docm = tmp_path / "notice.docm"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(docm, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
                assert b"macroEnabled" in data
            dst.writestr(item, data)
    assert [p.text for p in parse(docm).paragraphs] == ["宏文档正文"]


# --- broken files -----------------------------------------------------------------------------


@pytest.fixture
def valid_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    for i in range(50):
        document.add_paragraph(f"第{i}段：考核指标与责任单位。")
    return save(document, tmp_path / "valid.docx")


@pytest.fixture
def truncated_docx(valid_docx: Path, tmp_path: Path) -> Path:
    truncated = tmp_path / "半截.docx"
    data = valid_docx.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    return truncated


def test_truncated_docx_raises_parse_error_naming_the_file(truncated_docx: Path) -> None:
    with pytest.raises(ParseError, match=r"不是有效的 \.docx 文件") as caught:
        parse(truncated_docx)
    assert str(caught.value).endswith(
        "半截.docx：不是有效的 .docx 文件（ZIP 容器无法读取），文件可能已损坏或未下载完整；"
        "请重新下载，或用 Word/WPS 打开后另存为 .docx"
    )


def test_truncated_docx_through_parsers_parse(truncated_docx: Path) -> None:
    """Detection rejects the broken ZIP before the backend runs."""
    with pytest.raises(ParseError, match=r"不是有效的 \.docx 文件（ZIP 容器无法读取）") as caught:
        parsers.parse(truncated_docx)
    assert "半截.docx" in str(caught.value)


def test_corrupt_document_xml_raises_parse_error(valid_docx: Path, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.docx"
    with zipfile.ZipFile(valid_docx) as src, zipfile.ZipFile(corrupt, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(ParseError, match=r"不是有效的 \.docx 文件") as caught:
        parse(corrupt)
    assert "corrupt.docx：不是有效的 .docx 文件（XML 有语法错误：" in str(caught.value)


# --- size -------------------------------------------------------------------------------------


def test_a_thousand_row_table_parses_quickly(tmp_path: Path) -> None:
    row = "<w:tr>" + "".join(f"<w:tc><w:p>{_RUN.format('单元格{}')}</w:p></w:tc>" for _ in range(5)) + "</w:tr>"
    merged_row = (
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
        + "".join(f"<w:tc><w:p>{_RUN.format('x')}</w:p></w:tc>" for _ in range(4))
        + "</w:tr>"
    )
    rows = "".join(row.format(*[f"{r}-{c}" for c in range(5)]) if r % 10 == 0 else merged_row for r in range(1000))
    document = docx.Document()
    append_body_xml(document, f"<w:tbl {W_NS}>{rows}</w:tbl>")
    path = save(document, tmp_path / "big.docx")
    started = time.perf_counter()
    (table,) = parse(path).tables
    elapsed = time.perf_counter() - started
    assert (table.n_rows, table.n_cols) == (1000, 5)
    assert table.rows[0][0].rowspan == 10 and table.rows[990][0].text == "单元格990-0"
    assert_grid_covered_once(table)
    assert elapsed < 10, f"1,000-row table took {elapsed:.1f} s"
