"""Notice metadata (GB/T 9704 elements) from a Document's paragraphs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import seed_path

from parsers import txt_parser
from parsers.document import Cell, DocNumber, Document, Metadata, Paragraph, Source, Table
from parsers.metadata import extract_metadata, parse_date


def document(lines: list[str]) -> Document:
    """One Paragraph per non-empty line, as a backend would give them."""
    source = Source(path="built.txt", sha256="0" * 64, format="txt", size=0)
    return Document(source=source, blocks=[Paragraph(text=line) for line in lines if line.strip()])


def from_seed_lines(path: Path) -> Document:
    """The seed's non-empty lines that are not flattened table cells (TAB-led), one Paragraph each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return document([line for line in lines if not line.startswith("\t")])


def from_txt_backend(path: Path) -> Document:
    return txt_parser.parse(path)


@pytest.fixture(params=[from_seed_lines, from_txt_backend], ids=["lines", "txt"])
def seed_metadata(request: pytest.FixtureRequest) -> Callable[[str], Metadata]:
    def read(prefix: str) -> Metadata:
        return extract_metadata(request.param(seed_path(prefix)))

    return read


# --- seeds ---------------------------------------------------------------------------------


def test_seed_000_single_issuer_notice(seed_metadata: Callable[[str], Metadata]) -> None:
    meta = seed_metadata("000")
    assert meta.doc_number == "柞考办发〔2022〕2号"
    assert meta.doc_number_parts == DocNumber(code="柞考办发", year=2022, seq=2)
    assert meta.issuer == "柞水县考核委员会办公室"
    assert meta.co_issuers == []
    assert meta.title == "柞水县考核委员会办公室关于申报2022年度目标责任考核指标任务的通知"
    assert meta.recipients == ["县委各工作机关", "县级国家机关各部门", "各人民团体", "中央和省市驻柞各单位"]
    assert meta.date == "2022-05-23"  # not the 5月23日至5月31日 ranges of the body
    assert meta.attachments == [
        "镇办2022年度目标责任考核指标设置分工表",
        "县直部门及中央和省市驻柞单位2022年度考核指标设置样表",
        "镇办2022年度目标任务考核指标设置框架",
        "县直部门及中央和省市驻柞单位2022年度目标任务考核指标设置框架",
        "2022年度目标责任考核对象名单",
    ]
    assert (meta.printed_by, meta.printed_date) == ("柞水县考核委员会办公室", "2022-05-23")
    assert (meta.wenzhong, meta.genre, meta.assessment_year) == ("通知", None, 2022)
    assert meta.cc == []


def test_seed_001_joint_issue(seed_metadata: Callable[[str], Metadata]) -> None:
    meta = seed_metadata("001")
    assert meta.doc_number == "宁办字〔2019〕88号"
    assert meta.issuer == "中共宁陕县委办公室"
    assert meta.co_issuers == ["宁陕县人民政府办公室"]
    assert meta.title == (
        "中共宁陕县委办公室宁陕县人民政府办公室关于印发《2019年度市上考核我县指标任务和责任分解一览表》的通知"
    )
    assert meta.recipients[0] == "各镇党委、人民政府"
    assert meta.recipients[-1] == "省市驻宁各单位"
    assert meta.date == "2019-09-04"
    assert meta.attachments == ["2019年度市上考核我县指标任务和责任分解一览表"]
    assert meta.cc == ["县考核委员会主任", "各副主任", "各责任县级领导"]
    assert (meta.printed_by, meta.printed_date) == ("中共宁陕县委办公室", "2019-09-04")
    assert (meta.genre, meta.assessment_year) == ("一览表", 2019)


def test_seed_002_bare_content_document(seed_metadata: Callable[[str], Metadata]) -> None:
    meta = seed_metadata("002")
    assert meta.doc_number is None  # the body cites 榆办字〔2020〕20号, another file's number
    assert meta.doc_number_parts is None
    assert meta.issuer is None
    assert meta.date is None
    assert meta.title == "镇（办、中心）、县直部门和省市驻佳单位2020年度目标责任考核指标"
    assert (meta.wenzhong, meta.genre, meta.assessment_year) == (None, "考核指标", 2020)
    assert meta.recipients == meta.attachments == meta.cc == []


def test_seed_003_title_only(seed_metadata: Callable[[str], Metadata]) -> None:
    meta = seed_metadata("003")
    assert meta.title == "关于申报2020年度考核指标及特色亮点工作的通知"
    assert (meta.doc_number, meta.issuer, meta.date, meta.printed_by) == (None, None, None, None)
    assert meta.recipients[0] == "各镇（街道办）党委、人民政府（街道办事处）"
    assert len(meta.attachments) == 6
    assert meta.attachments[0] == "申报2020年度目标责任考核建议指标单位名单"
    assert meta.attachments[5] == "申报2020年度镇（街道办）、部门（单位）特色亮点考核任务一览表"


def test_seed_004_issuers_from_signature(seed_metadata: Callable[[str], Metadata]) -> None:
    meta = seed_metadata("004")
    assert meta.doc_number is None  # the body cites the repealed 柞办发〔2013〕17号
    # The 标志 kept only the 政府办; the 署名 lists both, 县委办 (主办) first.
    assert meta.issuer == "中共柞水县委办公室"
    assert meta.co_issuers == ["柞水县人民政府办公室"]
    assert meta.title == "关于印发《柞水县年度目标责任考核工作办法》的通知"
    assert meta.date == "2022-03-21"
    assert (meta.printed_by, meta.printed_date) == ("中共柞水县委办公室", "2022-03-21")
    assert meta.attachments == []  # an 印发 notice appends the 办法 without an 附件说明
    assert (meta.genre, meta.assessment_year) == ("办法", None)


# --- built cases ---------------------------------------------------------------------------

HEADER = ["柞水县考核委员会办公室", "柞考办发〔2022〕2号"]
TITLE = "柞水县考核委员会办公室关于申报2022年度目标责任考核指标任务的通知"
BODY = ["各镇党委、政府：", "现就有关事项通知如下：", "一、基本原则", "请于6月1日前报送。"]

# fmt: off
DATES = (
    ("2022年3月21日", "2022-03-21"),
    ("2022 年 5 月 23 日", "2022-05-23"),
    ("２０２２年５月２３日", "2022-05-23"),
    ("二〇二二年三月二十一日", "2022-03-21"),
    ("二○一九年九月四日", "2019-09-04"),
    ("二零二一年十月十日", "2021-10-10"),
    ("二O二O年十二月三十一日", "2020-12-31"),
    ("二〇二二年十一月十九日", "2022-11-19"),
    ("二〇二二年十三月一日", None),
    ("2022年2月", None),
    ("于2022年3月21日", None),
)
NUMBERS = (
    ("宁办字[2019]88号", "宁办字〔2019〕88号"),
    ("宁办字［2019］88号", "宁办字〔2019〕88号"),
    ("陕政办发【2021】12 号", "陕政办发〔2021〕12号"),
    ("国办发（2023）5号", "国办发〔2023〕5号"),
    ("国办发(2023)5号", "国办发〔2023〕5号"),
    ("柞办发﹝2022﹞002号", "柞办发〔2022〕2号"),
    ("宁办字 〔 2019 〕第 88 号", "宁办字〔2019〕88号"),
    ("柞考办发〔2022〕2号    签发人：张三", "柞考办发〔2022〕2号"),
)
# fmt: on


@pytest.mark.parametrize(("text", "iso"), DATES)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(("line", "normalised"), NUMBERS)
def test_doc_number_variants(line: str, normalised: str) -> None:
    meta = extract_metadata(document(["柞水县人民政府办公室", line, TITLE, *BODY]))
    assert meta.doc_number == normalised
    assert meta.issuer == "柞水县人民政府办公室"
    assert meta.title == TITLE


@pytest.mark.parametrize("line", ["（国办发〔2023〕5号）", "国办发〔2023〕5号", "发文字号：国办发〔2023〕5号"])
def test_web_page_number_right_below_the_title(line: str) -> None:
    meta = extract_metadata(document([TITLE, line, *BODY]))
    assert meta.doc_number == "国办发〔2023〕5号"
    assert meta.recipients == ["各镇党委、政府"]


def test_chinese_numeral_date_after_signature() -> None:
    lines = [*HEADER, TITLE, *BODY, "柞水县考核委员会办公室", "二〇二二年三月二十一日"]
    meta = extract_metadata(document(lines))
    assert meta.date == "2022-03-21"
    assert meta.issuer == "柞水县考核委员会办公室"


def test_joint_issue_header_on_one_line() -> None:
    lines = ["中共宁陕县委办公室  宁陕县人民政府办公室  文件", "宁办字〔2019〕88号", TITLE, *BODY]
    meta = extract_metadata(document(lines))
    assert meta.issuer == "中共宁陕县委办公室"
    assert meta.co_issuers == ["宁陕县人民政府办公室"]
    assert meta.doc_number == "宁办字〔2019〕88号"


def test_letter_spaced_mark_from_a_pdf() -> None:
    lines = ["柞 水 县 人 民 政 府 办 公 室 文 件", "柞政办发〔2022〕9号", "关 于 开 展 考 核 工 作 的 通 知", *BODY]
    meta = extract_metadata(document(lines))
    assert meta.issuer == "柞水县人民政府办公室"
    assert meta.title == "关于开展考核工作的通知"


@pytest.mark.parametrize(
    ("signature", "issuers"),
    [
        ("中共宁陕县委办公室宁陕县人民政府办公室", ["中共宁陕县委办公室", "宁陕县人民政府办公室"]),
        ("中共柞水县委柞水县人民政府", ["中共柞水县委", "柞水县人民政府"]),
        ("柞水县考核委员会办公室", ["柞水县考核委员会办公室"]),
        ("柞水县人民政府国有资产监督管理委员会", ["柞水县人民政府国有资产监督管理委员会"]),
    ],
)
def test_signature_names_run_together(signature: str, issuers: list[str]) -> None:
    """PDF text loses the space between joint signatures."""
    meta = extract_metadata(document([TITLE, *BODY, signature, "2019年9月4日"]))
    assert [meta.issuer, *meta.co_issuers] == issuers


def test_signature_adds_issuers_missing_from_mark() -> None:
    lines = ["柞水县人民政府办公室", TITLE, *BODY, "中共柞水县委办公室 柞水县人民政府办公室", "2022年3月21日"]
    meta = extract_metadata(document(lines))
    assert [meta.issuer, *meta.co_issuers] == ["中共柞水县委办公室", "柞水县人民政府办公室"]


def test_number_only_in_body_is_not_the_documents() -> None:
    lines = [TITLE, *BODY, "根据《关于印发考核办法的通知》（柞办发〔2013〕17号）规定。", "柞办发〔2013〕17号"]
    meta = extract_metadata(document(lines))
    assert meta.doc_number is None
    assert meta.title == TITLE


def test_no_header_at_all() -> None:
    lines = ["一、指导思想", "以高质量发展为导向，突出重点。", "二、考核对象", "各镇、各部门。"]
    assert extract_metadata(document(lines)) == Metadata()


def test_empty_document() -> None:
    assert extract_metadata(document([])) == Metadata()


def test_title_wrapped_over_lines_with_spaces() -> None:
    lines = ["柞水县人民政府办公室", "关于印发《柞水县 2022 年度目标", "责任考核实施方案》的通知", *BODY]
    meta = extract_metadata(document(lines))
    assert meta.title == "关于印发《柞水县2022年度目标责任考核实施方案》的通知"
    assert (meta.wenzhong, meta.genre, meta.assessment_year) == ("通知", "实施方案", 2022)


def test_recipients_must_be_a_list_of_organs() -> None:
    meta = extract_metadata(document([*HEADER, TITLE, "现将有关事项通知如下：", "一、基本原则"]))
    assert meta.recipients == []


def test_recipients_wrapped_and_split_outside_brackets() -> None:
    lines = [*HEADER, TITLE, "各镇（办、中心）党委、政府，县委各工作机关，中央和省市", "驻柞各单位：", "正文。"]
    meta = extract_metadata(document(lines))
    assert meta.recipients == ["各镇（办、中心）党委、政府", "县委各工作机关", "中央和省市驻柞各单位"]


def test_body_dates_are_not_the_date_of_writing() -> None:
    lines = [*HEADER, TITLE, *BODY, "2022年5月23日至5月31日申报。", "二、要求"]
    assert extract_metadata(document(lines)).date is None


def test_attachment_note_numbered_on_the_same_line() -> None:
    lines = [
        *HEADER,
        TITLE,
        *BODY,
        "附件：1. 考核指标分工表",
        "2.考核对象名单",
        "柞水县考核委员会办公室",
        "2022年5月23日",
    ]
    meta = extract_metadata(document(lines))
    assert meta.attachments == ["考核指标分工表", "考核对象名单"]


def test_signature_and_date_on_one_line_and_printed_on_two() -> None:
    lines = [
        *HEADER,
        TITLE,
        *BODY,
        "柞水县考核委员会办公室    2022年5月23日",
        "（此件公开发布）",
        "抄送：县委办，县政府办、",
        "县人大办。",
        "柞水县考核委员会办公室",
        "2022年5月24日印发",
    ]
    meta = extract_metadata(document(lines))
    assert meta.date == "2022-05-23"
    assert meta.cc == ["县委办", "县政府办", "县人大办"]
    assert (meta.printed_by, meta.printed_date) == ("柞水县考核委员会办公室", "2022-05-24")


def test_header_marks_and_signer_before_the_number() -> None:
    lines = ["000123", "机密★1年", "特急", "柞水县人民政府文件", "柞政字〔2022〕9号  签发人：张三 李四", TITLE, *BODY]
    meta = extract_metadata(document(lines))
    assert meta.doc_number == "柞政字〔2022〕9号"
    assert meta.issuer == "柞水县人民政府"
    assert meta.signers == ["张三", "李四"]
    assert meta.title == TITLE


def test_layout_table_header_is_read() -> None:
    """Word files often lay a joint 标志 out as a small table: issuers left, 文件 right."""
    from parsers.document import Cell

    mark = Table.from_cells(
        [
            Cell(text="中共宁陕县委办公室", row=0, col=0),
            Cell(text="文件", row=0, col=1, rowspan=2),
            Cell(text="宁陕县人民政府办公室", row=1, col=0),
        ]
    )
    doc = document(["宁办字〔2019〕88号", TITLE, *BODY])
    doc.blocks.insert(0, mark)
    meta = extract_metadata(doc)
    assert [meta.issuer, *meta.co_issuers] == ["中共宁陕县委办公室", "宁陕县人民政府办公室"]


def test_found_fields_override_but_missing_ones_keep_the_backends() -> None:
    doc = document([TITLE, *BODY])
    doc.metadata = Metadata(title="core-properties title", printed_by="某办公室")
    meta = extract_metadata(doc)
    assert meta.title == TITLE
    assert meta.printed_by == "某办公室"


# --- web copies: site chrome, 文号 after the title, 附件 labels, info boxes --------------------

WEBTEXT = Path(__file__).parent / "data" / "webtext"

# fmt: off
CHROME = (
    ["XX县人民政府", "当前位置：首页 > 政务公开 > 通知公告"],
    ["温州督考网", "设为首页 | 加入收藏", "文章正文"],
    ["您现在所在的位置: 网站首页> 政府信息公开首页 > 县政府办公室", "【字体：大 中 小】"],
    ["无障碍辅助浏览工具条", "首页 > 政务公开 > 政府文件 > 柞政办发文件", "柞政办发文件"],
    ["返 回", "所在位置: 杭州网 > 热点专题"],
)
BYLINES = (
    "发布时间：2022-05-24 09:30 来源：县考核办 浏览次数：128",
    "2022年05月24日来源:柞水县人民政府办公室",
    "[字体: ] 打印",
    "分享到:",
)
# fmt: on


@pytest.mark.parametrize("chrome", CHROME)
@pytest.mark.parametrize("byline", BYLINES)
def test_site_chrome_neither_becomes_nor_joins_the_title(chrome: list[str], byline: str) -> None:
    meta = extract_metadata(document([*chrome, TITLE, byline, *BODY]))
    assert meta.title == TITLE
    assert meta.issuer == "柞水县考核委员会办公室"  # from the title, not the site's name
    assert meta.co_issuers == []
    assert meta.recipients == ["各镇党委、政府"]  # the byline between title and 主送 is skipped


def test_number_printed_after_the_title_and_a_byline() -> None:
    lines = ["当前位置：首页 > 文件", TITLE, "发布时间：2019-03-12 来源：县政府办", "柞政办发〔2019〕12号", *BODY]
    meta = extract_metadata(document(lines))
    assert meta.doc_number == "柞政办发〔2019〕12号"
    assert meta.title == TITLE
    assert meta.recipients == ["各镇党委、政府"]


@pytest.mark.parametrize(
    "head",
    [
        ["附件2", "2022年度考核指标设置样表"],
        ["附件 2：", "2022年度考核指标设置样表"],
        ["附件2：2022年度考核指标设置样表"],
    ],
)
def test_attachment_label_is_not_glued_to_the_attachment_title(head: list[str]) -> None:
    meta = extract_metadata(document(["文章正文", *head, "考核项目", "考核内容及分值"]))
    assert meta.title == "2022年度考核指标设置样表"
    assert meta.genre == "表"


def test_info_box_fields_stand_in_for_a_missing_number_and_title() -> None:
    """A page's info box may be the only place with the 文号 (`名称: … 文号: …`) or the title (`标 题: | …`)."""
    lines = [
        "索引号: 11341729003257952H/202301-00044 组配分类: 年度重点工作任务分解",
        "名称: 泾县人民政府关于分解落实政府工作报告目标任务的通知 文号: 泾政〔2023〕1号",
        "发布日期: 2023-01-30 08:56",
        "各乡镇人民政府,县政府各部门、各直属机构:",
        "《政府工作报告》已经县十八届人民代表大会第二次会议审议通过。",
    ]
    meta = extract_metadata(document(lines))
    assert meta.doc_number == "泾政〔2023〕1号"
    assert meta.title == "泾县人民政府关于分解落实政府工作报告目标任务的通知"
    box = Table.from_cells(
        [
            Cell(text=text, row=r, col=c)
            for r, row in enumerate(
                [["标 题:", "谯城区人民政府办公室关于印发重点工作任务分解表的通知"], ["发文字号:", "无"]]
            )
            for c, text in enumerate(row)
        ]
    )
    doc = document(["各乡镇人民政府、街道办事处:", "现将分解表印发给你们。"])
    doc.blocks.insert(0, box)
    meta = extract_metadata(doc)
    assert meta.title == "谯城区人民政府办公室关于印发重点工作任务分解表的通知"
    assert meta.doc_number is None


def test_real_web_copies() -> None:
    liaozhong = extract_metadata(txt_parser.parse(WEBTEXT / "liaozhong_2024_tasks.txt"))
    assert liaozhong.title == "沈阳市辽中区人民政府关于印发2024年政府工作报告主要工作任务分解表的通知"
    assert liaozhong.doc_number == "沈辽中政发〔2024〕1号"  # below the title
    assert liaozhong.recipients == ["各镇人民政府、街道办事处", "区政府各部门、各直属单位"]  # below the byline
    shenhe = extract_metadata(txt_parser.parse(WEBTEXT / "shenhe_2024_tasks.txt"))
    assert shenhe.title == "沈河区人民政府关于印发2024年政府工作报告主要工作任务分解表的通知"  # not `沈河政发文件…`
    assert (shenhe.issuer, shenhe.date) == ("沈河区人民政府", "2024-03-15")
    assert shenhe.recipients == ["区政府各部门", "各街道办事处", "各有关单位"]
    wenzhou = extract_metadata(txt_parser.parse(WEBTEXT / "wzdkw_2013_11_colspan.txt"))
    assert wenzhou.doc_number == "温委发〔2013〕72号"
    assert wenzhou.title is not None and wenzhou.title.startswith("中共温州市委温州市人民政府关于印发《完善2013年度")
    assert [wenzhou.issuer, *wenzhou.co_issuers] == ["中共温州市委", "温州市人民政府"]
    attachment = extract_metadata(txt_parser.parse(WEBTEXT / "wzdkw_2012_items.txt"))
    assert attachment.title == "2012年度工作绩效考核项目表"  # not `文章正文附件2 2012…`
