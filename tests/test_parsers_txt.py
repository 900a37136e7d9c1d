"""The plain-text backend: decoding, clean-up, paragraphs and the two flattened table layouts."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import seed_path

from parsers.detect import detect_format
from parsers.document import Document, Paragraph, Table
from parsers.errors import EncodingError, ParseError
from parsers.txt_parser import parse

NOTICE = (
    "柞水县考核委员会办公室\n\n关于申报2022年度目标责任考核指标任务的通知\n\n各镇党委、政府：\n\n"
    "现就有关事项通知如下。\n"
)


def write(tmp_path: Path, text: str, name: str = "notice.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def grid(table: Table) -> list[list[str | None]]:
    return table.text_grid()


def header(table: Table) -> list[str | None]:
    return grid(table)[0]


def texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def assert_plain_grid(table: Table) -> None:
    """Plain text has no spans: every position holds exactly one 1×1 cell."""
    for r, cells in enumerate(table.rows):
        assert [c.col for c in cells] == list(range(table.n_cols))
        assert all(c.row == r and c.rowspan == 1 and c.colspan == 1 for c in cells)


@pytest.fixture(scope="module")
def seed_002() -> Document:
    return parse(seed_path("002"))


@pytest.fixture(scope="module")
def seed_000() -> Document:
    return parse(seed_path("000"))


# --- seed 002: cell-per-line tables ------------------------------------------------------------


def test_seed_002_city_table(seed_002: Document) -> None:
    city = seed_002.tables[0]
    assert header(city) == ["考核内容", "考核指标", "责任单位"]
    assert (city.n_rows, city.n_cols) == (49, 3)  # 48 indicators + header
    assert grid(city)[1] == ["经济发展\n（20分）", "生产总值增长7%（2分）", "县发展改革和科技局"]
    assert grid(city)[2] == ["", "全社会固定资产投资增长12%（6分）", ""]
    # Three blank lines after a cell, then a TAB line: a new row, not the end of the table.
    assert grid(city)[39][2] == "县发改局、县卫健局、县民政局"
    assert grid(city)[-1] == [
        "",
        "广佳“区中园”标准化厂房项目建成，佳县玉泉聚合氯化铝（一期）实现投产。",
        "榆佳经济技术开发区",
    ]
    assert_plain_grid(city)


def test_seed_002_negative_list_is_one_table_without_the_repeated_header(seed_002: Document) -> None:
    negative = [t for t in seed_002.tables if header(t) == ["考核内容", "考核指标", "责任单位", "扣分\n分值"]]
    assert len(negative) == 1
    table = negative[0]
    assert (table.n_rows, table.n_cols) == (41, 4)
    data = grid(table)[1:]
    assert header(table) not in data
    assert data[0] == ["全面建成小康社会", "未完成全面建成小康社会补短板工作年度任务的", "县委办", "-1.5"]
    assert data[23][0] == "禁毒工作" and data[24][0] == "文物安全"  # around the page break
    assert data[-1][0] == "脱贫攻坚" and data[-1][2:] == ["相关单位", ""]
    assert_plain_grid(table)


def test_seed_002_table_ends_at_text_after_two_blank_lines(seed_002: Document) -> None:
    blocks = seed_002.blocks
    city_index = blocks.index(seed_002.tables[0])
    assert blocks[city_index + 1] == Paragraph(text="负面清单考核指标")
    assert isinstance(blocks[city_index + 2], Table)
    assert blocks[city_index + 3].text.startswith("注：所有负面考核指标")  # type: ignore[union-attr]


def test_seed_002_township_tables(seed_002: Document) -> None:
    townships = [t for t in seed_002.tables if header(t) == ["类别", "指标及分值", "目   标   要   求"]]
    assert len(townships) == 20  # 12 镇 + 佳州街道办 + 7 便民服务中心
    for table in townships:
        assert (table.n_rows, table.n_cols) == (21, 3)
        assert_plain_grid(table)
        # The two short rows are category cells spanning the item column: the item column is left empty.
        assert grid(table)[-1][:2] == ["自然资源和规划工作5分", ""]
        assert any(row[:3] == ["脱贫攻坚分5分", "", "完成年度脱贫攻坚任务。"] for row in grid(table))
    first = grid(townships[0])
    assert first[1] == ["乡村振兴\n20分", "农业农村工作\n5分", first[1][2]]
    assert first[7][0] == "安全\n稳定\n30分"
    short = [w for w in seed_002.warnings if w.code == "short_row" and "放在第 1、3 列" in w.message]
    assert len(short) == 40
    assert (
        short[1].message
        == "表4行20（文件第 590 行，“自然资源和规划工作5分”）：表头 3 列，此行只有 2 格，放在第 1、3 列，缺的格留空"
    )


def test_seed_002_department_tables_each_sum_to_100(seed_002: Document) -> None:
    # 48 departments (党委工作部门 9, 群团组织 8, 执法监督部门 8, 民生保障部门 9, 经济发展部门 8,
    # 涉农部门 6) + 2 产业园区管委会 = 50 tables of 类别 / 考核内容 / 分值 (DOMAIN.md §2.4). Two of
    # them name the middle column differently (目标责任指标, 考核内容 without spaces). Each sums to
    # exactly 100, which only holds when no row is split, merged or misaligned.
    departments = [
        t
        for t in seed_002.tables
        if t.n_cols == 3
        and header(t)[0] == "类别"
        and header(t)[2] == "分值"
        and re.sub(r"\s", "", header(t)[1] or "") != "目标任务"  # the 驻佳 common table
    ]
    assert len(departments) == 50
    for table in departments:
        scores = [row[2] for row in grid(table)[1:]]
        assert all(re.fullmatch(r"\d+", s or "") for s in scores), scores
        assert sum(int(s or 0) for s in scores) == 100
    # A row whose score is separated from its text by blank lines is still one row.
    bianban = next(t for t in departments if any("机构编制管理手册" in (row[1] or "") for row in grid(t)))
    assert grid(bianban)[1][0] == "职能\n工作" and grid(bianban)[1][2] == "10"


def test_seed_002_resident_units_common_table(seed_002: Document) -> None:
    table = seed_002.tables[-1]
    assert header(table) == ["类别", "目   标   任   务", "分值"]
    # Spaces before a TAB open a new row; only the first item has points, so short rows
    # lack the score column and are left-aligned.
    assert [row[0] for row in grid(table)[1:]] == [
        "落实全面从严治党主体责任",
        "领导班子\n和干部队伍建设",
        "基层党组织建设",
        "党风\n廉政\n建设",
        "意识\n形态\n工作",
        "法制建设",
    ]
    assert [row[2] for row in grid(table)[1:]] == ["20", "", "", "", "", ""]
    assert grid(table)[3][1].startswith("强化党委（党组）中心组学习")  # type: ignore[union-attr]
    left = [w for w in seed_002.warnings if w.code == "short_row" and "靠左排列" in w.message]
    assert len(left) == 5


def test_seed_002_table_count_and_paragraphs(seed_002: Document) -> None:
    # 市考 + 负面清单 + 镇 common + 20 townships + 县直 common + 50 departments + 驻佳 common.
    assert len(seed_002.tables) == 75
    paragraphs = texts(seed_002)
    assert "1.县税务局           2.县环保局" in paragraphs  # side-by-side list stays text
    assert "（20分）" not in paragraphs and "分值" not in paragraphs  # continuations stay in cells
    assert not any("\t" in p for p in paragraphs)
    assert all(p.page is None for p in seed_002.paragraphs)
    assert seed_002.source.encoding == "utf-8" and seed_002.source.format == "txt"


def test_seed_002_parses_fast() -> None:
    path = seed_path("002")
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        parse(path)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.1


# --- seed 000: TAB-separated rows, markdown residue --------------------------------------------


def test_seed_000_tables(seed_000: Document) -> None:
    assert seed_000.source.encoding == "utf-8"
    division, form, towns, departments = seed_000.tables
    assert header(division) == ["指标类别", "指标内容", "责任部门"]
    assert (division.n_rows, division.n_cols) == (37, 3)
    assert grid(division)[2] == ["", "招商引资", "县招商局"]
    assert grid(division)[-1] == ["", "农村人居环境整治", "县农业农村局"]
    assert form.n_cols == 2
    assert grid(form)[-1][1] == (
        "（各申报单位在此栏申报年度目标任务，并按 650 分值对相应职能任务进行分解设置）"
        "\n1. ; (x 分)\n2. ; (x 分)\n3. 。 (x 分)"
    )
    assert header(towns) == ["总体目标", "考核内容", "", "考核指标", "分值", "任务下达部门"]
    assert (towns.n_rows, towns.n_cols) == (13, 6)
    assert grid(towns)[-1][-2:] == ["县政府办等", ""]  # trailing TAB = empty last cell
    assert (departments.n_rows, departments.n_cols) == (11, 6)
    for table in seed_000.tables:
        assert_plain_grid(table)
    assert not seed_000.warnings


def test_seed_000_markdown_residue(seed_000: Document) -> None:
    paragraphs = texts(seed_000)
    assert "附件：" in paragraphs
    assert not any("**" in p or p.startswith("- ") for p in paragraphs)
    assert any("对县直有关部门承担的实施乡村振兴战略" in p for p in paragraphs)
    # A sentence broken over a blank line is kept as two paragraphs.
    assert "驻柞各单位主要考核以下任务：" in paragraphs


@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_other_seeds_are_prose(prefix: str) -> None:
    document = parse(seed_path(prefix))
    assert len(document.paragraphs) > 15
    assert document.tables == []
    assert not any(re.search(r"\[image:|\*\*|<p>", p) for p in texts(document))


def test_seed_003_image_reference_removed() -> None:
    paragraphs = texts(parse(seed_path("003")))
    assert "6、申报2020年度镇（街道办）、部门（单位）特色亮点考核任务一览表。" in paragraphs


# --- encodings ---------------------------------------------------------------------------------


def test_gbk_text_is_decoded_as_gb18030(tmp_path: Path) -> None:
    document = parse(write(tmp_path, NOTICE, encoding="gbk"))
    assert document.source.encoding == "gb18030"
    assert texts(document)[:2] == ["柞水县考核委员会办公室", "关于申报2022年度目标责任考核指标任务的通知"]


def test_utf8_bom_is_recorded_and_dropped(tmp_path: Path) -> None:
    document = parse(write(tmp_path, NOTICE, encoding="utf-8-sig"))
    assert document.source.encoding == "utf-8-sig"
    assert texts(document)[0] == "柞水县考核委员会办公室"


def test_undecodable_bytes_raise_encoding_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken-notice.txt"
    path.write_bytes("通知".encode("gbk") * 20 + b"\x80\xff\xfe\xff")
    with pytest.raises(EncodingError, match=r"broken-notice\.txt"):
        parse(path)


def test_utf8_cut_inside_a_character_stays_utf8_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(NOTICE.encode("utf-8") + "知".encode()[:2])
    document = parse(path)
    assert document.source.encoding == "utf-8"
    assert texts(document)[0] == "柞水县考核委员会办公室"
    assert [w.code for w in document.warnings] == ["encoding_errors"]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_are_normalised(tmp_path: Path, newline: str) -> None:
    document = parse(write(tmp_path, "甲\t乙\n1\t2\n\n正文一段".replace("\n", newline)))
    assert grid(document.tables[0]) == [["甲", "乙"], ["1", "2"]]
    assert texts(document) == ["正文一段"]


@pytest.mark.parametrize("content", [" \n\t\n\u3000\r\n", "— 3 —\n\n———\n"])
def test_file_without_text_is_a_parse_error(tmp_path: Path, content: str) -> None:
    with pytest.raises(ParseError, match=r"notice\.txt"):
        parse(write(tmp_path, content))


# --- clean-up ----------------------------------------------------------------------------------

CELL_TABLE = (
    "标题\n\n\t考核内容\n\t考核指标\n\t责任单位\n\n\t经济发展\n\n（20分）\n\t生产总值增长7%（2分）\n\t县发改局\n\n"
    "\t\n\t固定资产投资增长12%（6分）\n\t\n\n\n正文\n"
)


@pytest.mark.parametrize("page_number", ["— 3 —", "-3-", "－ 3 －", "  – 12 –  "])
@pytest.mark.parametrize(
    ("where", "polluted"),
    [
        ("\t县发改局\n\n\t\n", "\t县发改局\n\n{}\n\n\t\n"),  # between two rows
        ("\t经济发展\n\n（20分）", "\t经济发展\n\n{}\n\n（20分）"),  # between a cell and its continuation
        ("（2分）\n\t县发改局", "（2分）\n{}\n\t县发改局"),  # between two cells of a row
    ],
)
def test_page_number_inside_a_table_changes_nothing(
    tmp_path: Path, page_number: str, where: str, polluted: str
) -> None:
    expected = parse(write(tmp_path, CELL_TABLE, "plain.txt"))
    document = parse(write(tmp_path, CELL_TABLE.replace(where, polluted.format(page_number))))
    assert document.blocks == expected.blocks
    assert len(document.tables) == 1 and document.tables[0].n_rows == 3
    assert grid(document.tables[0])[1] == ["经济发展\n（20分）", "生产总值增长7%（2分）", "县发改局"]


def test_page_number_inside_a_tab_separated_table(tmp_path: Path) -> None:
    document = parse(write(tmp_path, "类别\t内容\t部门\n甲\t一\t县委办\n\n— 2 —\n\n\t二\t县政府办\n"))
    assert len(document.blocks) == 1
    assert grid(document.tables[0])[-1] == ["", "二", "县政府办"]


def test_artefact_lines_are_deleted_and_markup_stripped(tmp_path: Path) -> None:
    content = (
        "中共某县委办公室\n★\n——————————\n某办发〔2022〕1号\n**关于**印发的通知\n"
        "- 附件：1. 一览表\n[image: image1]\n[image: image2]第二段\n<p>甲</p> <p>乙</p>\n- 12 -\n"
    )
    assert texts(parse(write(tmp_path, content))) == [
        "中共某县委办公室",
        "某办发〔2022〕1号",
        "关于印发的通知",
        "附件：1. 一览表",
        "第二段",
        "甲",
        "乙",
    ]


def test_negative_numbers_and_spaced_text_are_kept(tmp_path: Path) -> None:
    document = parse(write(tmp_path, "-1.5\n\n  目   标   要   求  \n\n2022 年 5 月 23 日\n"))
    assert texts(document) == ["-1.5", "目   标   要   求", "2022 年 5 月 23 日"]


# --- table shapes ------------------------------------------------------------------------------


def test_cell_per_line_short_row_without_evidence_is_left_aligned_with_a_warning(tmp_path: Path) -> None:
    content = "\t甲\n\t乙\n\t丙\n\n\t一\n\t二\n\n\t三\n\t四\n\t五\n\t六\n"
    document = parse(write(tmp_path, content))
    # The long row widens the table; the other rows get empty cells up to its width.
    assert grid(document.tables[0]) == [["甲", "乙", "丙", ""], ["一", "二", "", ""], ["三", "四", "五", "六"]]
    assert [w.code for w in document.warnings] == ["short_row", "long_row"]
    assert [w.message for w in document.warnings] == [
        "表1行1（文件第 5 行，“一”）：表头 3 列，此行只有 2 格，靠左排列，缺的格留空",
        "表1行2（文件第 8 行，“三”）：表头 3 列，此行有 4 格，多出的格保留（其他行在末尾补空单元格）",
    ]


def test_short_row_goes_to_the_columns_of_its_kind(tmp_path: Path) -> None:
    # A score column of bare numbers: a short text row leaves the score empty, a lone number fills it.
    content = "\t类别\n\t内容\n\t分值\n\n\t甲\n\t任务一\n\t10\n\n\t乙\n\t任务二\n\n\t\n\t任务三\n\t5\n"
    document = parse(write(tmp_path, content))
    assert grid(document.tables[0])[2] == ["乙", "任务二", ""]
    short_score = parse(write(tmp_path, content.replace("\t乙\n\t任务二\n", "\t任务二\n\t20\n"), "b.txt"))
    # A missing cell is a horizontal merge: the first cell spans it, the number keeps to the score column.
    assert grid(short_score.tables[0])[2] == ["任务二", "", "20"]


def test_row_split_by_blank_lines_is_rejoined(tmp_path: Path) -> None:
    content = "\t类别\n\t内容\n\t分值\n\n\t职能\n\n工作\n\t任务一\n\n\n\t10\n\n\t\n\t任务二\n\t5\n"
    document = parse(write(tmp_path, content))
    assert grid(document.tables[0])[1:] == [["职能\n工作", "任务一", "10"], ["", "任务二", "5"]]
    assert not document.warnings


def test_tab_separated_short_and_long_rows(tmp_path: Path) -> None:
    document = parse(write(tmp_path, "甲\t乙\t丙\n一\t二\n三\t四\t五\t六\n七\t八\t\n"))
    table = document.tables[0]
    assert grid(table)[1] == ["一", "二", "", ""]  # padded on the right, to the widest row
    assert grid(table)[3] == ["七", "八", "", ""]
    assert table.n_cols == 4
    assert_plain_grid(table)
    assert [w.code for w in document.warnings] == ["short_row", "long_row"]


def test_tab_indented_prose_is_not_a_table(tmp_path: Path) -> None:
    document = parse(write(tmp_path, "\t第一段正文。\n\n\t第二段正文。\n\n\t第三段正文。\n"))
    assert document.tables == []
    assert texts(document) == ["第一段正文。", "第二段正文。", "第三段正文。"]


# --- format detection routes text here ---------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_detection_reads_every_seed_as_text(prefix: str) -> None:
    # The 8 KiB sample ends inside a UTF-8 character in four of the five seeds.
    path = seed_path(prefix)
    with path.open("rb") as f:
        assert detect_format(path, f.read(8192)) == "txt"


def test_detection_reads_gbk_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, NOTICE * 400, encoding="gbk")
    with path.open("rb") as f:
        head = f.read(8192)
    with pytest.raises(UnicodeDecodeError):
        head.decode("gb18030")  # the sample ends inside a GBK pair
    assert detect_format(path, head) == "txt"
