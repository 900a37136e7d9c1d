"""OCR'd cells read where their columns are known (issue 17): units corrected or kept, points read, doubts flagged.

Each case is a small 佳县 table built in the test, its cells carrying the OCR ``confidence`` a scan would give them.
县发展改革和科技局, 县林业局, 县财政局 and 县民政局 are 佳县's (normalize/data/rosters.tsv). The same table with
``confidence=None`` everywhere is a text-layer document, which must read exactly as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from frameworks import Framework, extract_frameworks
from frameworks.ocr_review import LOW_CONFIDENCE
from parsers.document import Cell, Document, Paragraph, Source, Table
from store import Store
from store.queries import warnings

HEADER = ("序号", "考核指标", "分值", "责任单位", "配合单位")
CONFIDENT = 0.97
OCR_CODES = {"ocr_unit_corrected", "ocr_unit_unknown", "ocr_points_unread", "ocr_low_confidence"}


def table(rows: list[tuple[str, ...]], confidence: float | None = CONFIDENT, *, page: int = 3) -> Table:
    """A header and ``rows``; every data cell read at ``confidence`` (None: a text layer)."""
    cells = [Cell(text=t, row=0, col=c) for c, t in enumerate(HEADER)]
    cells += [
        Cell(text=t, row=r, col=c, confidence=confidence) for r, row in enumerate(rows, 1) for c, t in enumerate(row)
    ]
    return Table.from_cells(cells, page=page, row_pages=[page] * (len(rows) + 1))


def document(*tables: Table, title: str = "佳县2020年度目标责任考核指标") -> Document:
    ocr = any(c.confidence is not None for t in tables for row in t.rows for c in row)
    source = Source(path="/tmp/考核指标.pdf", sha256="0" * 64, format="pdf", size=1, ocr_pages=[3] if ocr else [])
    blocks: list[Paragraph | Table] = [Paragraph(text=title)]
    for t in tables:
        blocks += [Paragraph(text="2020年度重点工作考核指标"), t]
    return Document(source=source, blocks=blocks)


def read(*tables: Table) -> list[Framework]:
    return extract_frameworks(document(*tables))


def ocr_warnings(framework: Framework, code: str | None = None) -> list[str]:
    return [w.message for w in framework.warnings if w.code in OCR_CODES and code in (None, w.code)]


def said(framework: Framework, code: str) -> list[str]:
    """The messages with ``code``, after the framework's name: the place of the cell and what was done."""
    return [m.split(" / ", 1)[1] for m in ocr_warnings(framework, code)]


ROWS = [
    ("1", "营造林面积", "O.5", "县林韭局", "县友展改早和科技局"),
    ("2", "项目投资", "2分", "县友展改早和科技局", ""),
    ("3", "低保提标", "两分", "县X政局", ""),
    ("4", "红枣产业", "～", "县红枣产业研究所", ""),
    ("5", "财政收入", "l", "县财政局", "县民政局"),
]


FIXED = "已按单位名录更正为「县发展改革和科技局」，请核对"


@pytest.fixture(scope="module")
def scanned() -> Framework:
    (framework,) = read(table(ROWS))
    return framework


def test_a_misread_unit_is_corrected_and_reported_with_its_place(scanned: Framework) -> None:
    first, second = scanned.indicators[:2]
    assert (first.lead, first.cooperating) == ("县林业局", ["县发展改革和科技局"])
    assert first.lead_as_written == "县林业局"  # the misreading is never learnt as a spelling
    assert second.lead == "县发展改革和科技局"
    assert ocr_warnings(scanned, "ocr_unit_corrected")[0].startswith("2020年度重点工作考核指标 / ")
    assert said(scanned, "ocr_unit_corrected") == [
        "第 3 页 表 1 第 1 行「责任单位」：识别为「县林韭局」，已按单位名录更正为「县林业局」，请核对",
        "第 3 页 表 1 第 1 行「配合单位」：识别为「县友展改早和科技局」，" + FIXED,
        "第 3 页 表 1 第 2 行「责任单位」：识别为「县友展改早和科技局」，" + FIXED,
    ]


def test_an_ambiguous_unit_is_kept_as_read(scanned: Framework) -> None:
    third = scanned.indicators[2]
    assert third.lead == "县X政局" and third.unresolved_units == ["县X政局"]
    (message,) = [m for m in said(scanned, "ocr_unit_unknown") if "县X政局" in m]
    assert message == (
        "第 3 页 表 1 第 3 行「责任单位」：识别为「县X政局」，"
        "名录中有几个相近的单位（县民政局、县财政局），无法确定，按原样保存，请核对"
    )


def test_an_unknown_unit_is_kept_as_read(scanned: Framework) -> None:
    fourth = scanned.indicators[3]
    assert fourth.lead == "县红枣产业研究所"
    (message,) = [m for m in said(scanned, "ocr_unit_unknown") if "红枣" in m]
    assert message == (
        "第 3 页 表 1 第 4 行「责任单位」：识别为「县红枣产业研究所」，名录中没有相近的单位，按原样保存，请核对"
    )


def test_points_cells_read_as_numbers_or_not_at_all(scanned: Framework) -> None:
    assert [i.points for i in scanned.indicators] == [0.5, 2.0, None, None, 1.0]
    assert said(scanned, "ocr_points_unread") == [
        "第 3 页 表 1 第 3 行「分值」：识别为「两分」，不是数字，未作为分值，请核对原件",
        "第 3 页 表 1 第 4 行「分值」：识别为「～」，不是数字，未作为分值，请核对原件",
    ]


def test_a_known_unit_needs_nothing(scanned: Framework) -> None:
    fifth = scanned.indicators[4]
    assert (fifth.lead, fifth.cooperating) == ("县财政局", ["县民政局"])
    assert not [m for m in ocr_warnings(scanned) if "第 5 行" in m]


def test_a_low_confidence_cell_is_flagged() -> None:
    t = table([("1", "财政收入", "3", "县财政局", "")])
    doubtful = t.rows[1][1].model_copy(update={"confidence": 0.62})
    t.rows[1][1] = doubtful
    (framework,) = read(t)
    assert said(framework, "ocr_low_confidence") == [
        "第 3 页 表 1 第 1 行「考核指标」：识别可信度 62%：「财政收入」，请核对原件"
    ]
    assert len(ocr_warnings(framework)) == 1
    assert LOW_CONFIDENCE > 0.62


def test_the_same_table_from_a_text_layer_is_untouched() -> None:
    (framework,) = read(table(ROWS, confidence=None))
    assert ocr_warnings(framework) == []
    assert [i.lead for i in framework.indicators] == [row[3] for row in ROWS]  # as written, unresolved or not
    assert [i.points for i in framework.indicators] == [None, 2.0, None, None, None]


def test_a_unit_written_in_the_text_layer_is_known_and_a_candidate() -> None:
    text_layer = table([("1", "红枣产业", "2", "县红枣产业研究所", "")], confidence=None, page=1)
    scanned = table([("1", "红枣加工", "2", "县红枣产业研究所", ""), ("2", "红枣销售", "1", "县红枣产业研兖所", "")])
    _, framework = read(text_layer, scanned)
    assert [i.lead for i in framework.indicators] == ["县红枣产业研究所", "县红枣产业研究所"]
    assert said(framework, "ocr_unit_corrected") == [
        "第 3 页 表 2 第 2 行「责任单位」：识别为「县红枣产业研兖所」，已按单位名录更正为「县红枣产业研究所」，请核对"
    ]
    assert len(ocr_warnings(framework)) == 1


def test_a_unit_read_alike_in_two_confident_cells_is_kept_quietly() -> None:
    rows = [("1", "红枣加工", "2", "县红枣产业研究所", ""), ("2", "红枣销售", "1", "县红枣产业研究所", "")]
    (framework,) = read(table(rows))
    assert ocr_warnings(framework) == []  # a real unit the registry lacks: only unknown_units names it
    assert [w.code for w in framework.warnings] == ["unknown_units"]


def test_elided_prefixes_and_tails_survive_a_correction() -> None:
    (framework,) = read(table([("1", "营造林面积", "2", "县友展改早和科技局、林韭局等单位", "")]))
    (indicator,) = framework.indicators
    assert [indicator.lead, *indicator.cooperating] == ["县发展改革和科技局", "县林业局"]
    assert len(ocr_warnings(framework, "ocr_unit_corrected")) == 2


def test_a_district_matches_its_own_level() -> None:
    rows = [("1", "营造林面积", "2", "区林韭局", ""), ("2", "财政收入", "3", "县林韭局", "")]
    (framework,) = extract_frameworks(document(table(rows), title="南郑区2020年度目标责任考核指标"))
    assert framework.region == "南郑区"
    assert [i.lead for i in framework.indicators] == ["区林业局", "县林业局"]


def test_a_repeated_header_is_not_read_as_data() -> None:
    t = table([("1", "营造林面积", "2", "县林业局", ""), HEADER, ("2", "财政收入", "3", "县财政局", "")])
    (framework,) = read(t)
    assert ocr_warnings(framework) == []
    assert [i.points for i in framework.indicators] == [2.0, 3.0]


def test_ocr_warnings_are_stored_with_the_framework(tmp_path: Path, scanned: Framework) -> None:
    store = Store(tmp_path / "kaohe.db")
    try:
        result = store.save(document(table(ROWS)), [scanned], region="佳县")
        rows = warnings(store.db)
    finally:
        store.close()
    assert result.warnings == len(scanned.warnings)
    stored = {(w.code, w.message) for w in rows if w.framework_id is not None}
    assert {(w.code, w.message) for w in scanned.warnings} == stored
    assert {"ocr_unit_corrected", "ocr_unit_unknown", "ocr_points_unread"} <= {w.code for w in rows}
