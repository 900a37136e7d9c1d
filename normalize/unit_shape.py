"""Does a piece of text name a unit? Shape tests for names the registry does not know.

Notices from other counties name units the bundled registry has never seen (``区城管执法局``,
``市住建委``, ``县府办``). Table understanding needs to tell a column of such names from a column
of indicator texts, so these tests look at the *shape* of a name (DOMAIN §4.1): an optional
place or level prefix, a body of a few characters and a unit ending. They are deliberately
strict about sentences (punctuation, digits, verbs of targets) and lenient about endings.
Pure functions; the registry check is the caller's.
"""

from __future__ import annotations

import functools

import regex

# Endings of unit names (longest first so 管委会 is not read as 会). Not 部门 or 单位: 重点考核部门,
# 经济发展部门 name groups of units, 统计部门 a kind of unit.
_UNIT_ENDINGS = (
    "街道办事处", "便民服务中心", "管理委员会", "管委会", "办事处", "检察院", "法院", "党工委", "工委",
    "委员会", "办公室", "人武部", "武装部", "分公司", "分局", "支队", "大队", "中队", "公司", "集团",
    "中心", "街道", "联合会", "协会", "学会", "银行", "医院", "学校", "党校", "政府", "党委",
    "人大", "政协", "局", "委", "办", "部", "院", "会", "社", "队", "行", "馆", "处", "所", "站", "厅",
    "段", "镇", "乡", "台", "校", "联", "署", "司", "团", "场", "园区", "机关", "科协", "书店", "开发区", "经开区",
)  # fmt: skip
_ENDING = regex.compile("(?:" + "|".join(map(regex.escape, _UNIT_ENDINGS)) + r")$")
# Short forms that end otherwise: 县府办 and 团县委 end well; these do not.
_BARE_UNITS = frozenset({"各镇", "各乡镇", "各街道", "各镇街", "各镇（街道）", "各乡镇（街道）", "各部门", "各单位"})
_COLLECTIVE = regex.compile(r"^(?:各|全体|所有)\p{Han}{0,8}(?:单位|部门|镇|乡镇|街道|镇街|成员单位)(?:（\p{Han}+）)?$")
# Words that end like a unit but are people or tasks: 县委常委, 副县长, 分管副主任, 工作部署.
_PERSON = regex.compile(
    r"(?:书记|县长|区长|市长|镇长|乡长|主任|主席|部长|局长|常委|委员|组长|同志|领导|干部|负责人|秘书长|政委|旗长)$"
)
_NOT_A_NAME = regex.compile(r"[，。；：！？,.;:!?%％‰=<>≥≤\d“”\"]|以上|以下|完成|达到|增长|提高|不低于|不少于|确保")
# The commonest surnames: a 2–3 character name starting with one of them, in a unit cell, is a person
# (``市民政局\n伍泽国``: 牵头单位及主要负责人). Short unit words (公安, 税务, 移动) do not start so.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤伍"
)
_FILLERS = frozenset({"—", "——", "－", "--", "-", "/", "／", "无", "暂无", "…", "……", "···", "、", "·", "\\", "x", "X"})
_MAX_LEN = 24


@functools.lru_cache(maxsize=16384)
def is_filler(text: str) -> bool:
    """``——``, ``/``, ``无``, ``…``: a cell that says "nothing here" (not a merge, not a unit)."""
    key = "".join(text.split())
    return key in _FILLERS or (bool(key) and set(key) <= set("—－-/／…·.、_"))


def is_person_title(name: str) -> bool:
    """``县委常委``, ``副县长``, ``分管领导``: a person named in a unit column, not a unit."""
    return bool(_PERSON.search("".join(name.split())))


def is_person_name(name: str) -> bool:
    """``伍泽国``, ``陈宣群``: two or three characters starting with a common surname, no unit ending."""
    key = "".join(name.split())
    return (
        2 <= len(key) <= 3
        and key[0] in _SURNAMES
        and regex.fullmatch(r"\p{Han}+", key) is not None
        and not (_ENDING.search(key))
    )


def unit_ending(name: str) -> str | None:
    """The kind-of-unit word a name ends with (``局``, ``馆``, ``中心``, ``管委会``; the longest), or None."""
    match = _ENDING.search("".join(name.split()))
    return match.group() if match else None


@functools.lru_cache(maxsize=16384)
def looks_like_unit(name: str) -> bool:
    """True when ``name`` has the shape of a unit name: ``区城管执法局``, ``县府办``, ``各镇（街道）``.

    A sentence, a target (``增长7%``), a person (``副县长``) or a bare ending (``局``) is not.
    """
    key = "".join(name.split()).strip("“”\"'。；;，,")
    if not key or len(key) > _MAX_LEN or is_person_title(key):
        return False
    if key in _BARE_UNITS or _COLLECTIVE.match(key):
        return True
    main = regex.sub(r"[（(][^）)]*[）)]$", "", key)  # 县政府办（信访局）: the housing unit decides
    if _NOT_A_NAME.search(main) or len(main) < 2:
        return False
    return bool(_ENDING.search(main)) and len(main) > len(_ENDING.search(main).group())
