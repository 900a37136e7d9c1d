"""Owner cells into unit mentions: separators, prefix elision, co-location, glued names (DOMAIN §2.6).

Pure text work, before any name is resolved (``normalize.departments``):

* separators ``、，;`` and spaces; parentheses hold a co-located name, never a second unit
  (``县政府办（信访局）``);
* **prefix elision**: ``县乡村振兴局、财政局`` → 县财政局 (the first item's 县/区/市, or 县委 for party organs);
* **suffix elision**: ``城乡一体化示范区、高新区党工委和管委会`` → each zone's 党工委和管委会;
* **glued names**: ``市海洋渔业局市农业农村局`` or ``区发改局区统计局`` (separators lost in copying) are two
  units; a person's name glued after a unit (``市民政局伍泽国``) is dropped;
* the open-ended tail ``等…``, and owners that are not departments (``相关单位``, ``被考核单位``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict

from normalize.unit_shape import is_person_name, looks_like_unit

SpecialOwner = Literal["related_units", "assessee"]

SPECIAL_OWNERS: dict[str, SpecialOwner] = {
    "相关单位": "related_units",
    "相关部门": "related_units",
    "有关单位": "related_units",
    "有关部门": "related_units",
    "各相关单位": "related_units",
    "各相关部门": "related_units",
    "被考核单位": "assessee",
    "各被考核单位": "assessee",
}


class UnitMention(BaseModel):
    """One unit in an owner cell. ``text`` has the elided prefix re-attached and no parenthesis."""

    model_config = ConfigDict(frozen=True)  # shared through parse_unit_list's cache

    text: str
    as_written: str
    also_known_as: str | None = None  # co-located name from the parenthesis: 县政府办（信访局） → 县信访局
    position: int  # 1-based; position 1 leads when several units share a task (DOMAIN §2.6)
    special: SpecialOwner | None = None  # 相关单位 / 被考核单位: an owner that is not a department


class UnitList(BaseModel):
    """An owner cell split into mentions, plus what its trailing ``等…`` words said."""

    model_config = ConfigDict(frozen=True)  # shared through parse_unit_list's cache

    mentions: tuple[UnitMention, ...]
    open_ended: bool = False  # the list ended with 等: more units than those named
    tail: str | None = None  # the stripped trailing words, e.g. 等牵头部门
    all_lead: bool = False  # 等牵头部门: every listed unit leads, not only the first


# --- splitting owner cells -------------------------------------------------------------------

_OPEN = "（(【["
_CLOSE = "）)】]"
_SEPARATORS = frozenset("、，,;；\n\r\t \u3000")
_OPEN_TAIL = regex.compile(r"等(?:(?:相关|有关|其他|其它)?(?:牵头|责任|配合)?(?:部门|单位))?$")
_JUNK = "*＊\"“”'‘’。.:："
_LEVEL_PREFIX = regex.compile(r"^(?:中共|共青团|团)?(?P<level>县|区|市|旗)(?P<party>委)?")
_HAS_PREFIX = regex.compile(r"^(?:中共|共青团|团|国家|中国|国网|省|县|区|市|旗)")
_UNIT_SUFFIX = regex.compile(r"(?:局|办|委|部|中心|段|院|站|所|队|会|社|馆|处|办公室)$")
_PARTY_ORGANS = regex.compile(r"^(?:组织部|宣传部|统战部|政法委|编办|深改办|巡察办|督查办|史志办|党校|办公室|办)$")
_COLOCATION = regex.compile(r"^(?P<main>[^（(【\[]+)[（(【\[](?P<inner>[^）)】\]]+)[）)】\]]$")
_TOWNSHIP = regex.compile(r"[镇乡区]|街道")
_PLACE_LIKE = regex.compile(r"开发区|示范区|高新区|新区|园区|景区|管委会|街道|[镇区县市]$|^\p{Han}{1,3}[镇乡]")
_ELIDED_MAX_LEN = 6  # 财政局, 政府办, 经办中心: longer chunks (榆佳经济技术开发区…) carry their own name
_ELIDED_BODY_MAX_LEN = 10  # 工业和信息化委, 住房和城乡建设局: a body's full name after 市发展改革委、
_BODY_ENDING = regex.compile(r"(?:局|委|办|中心)$")
# Where a name glued to the next one ends: a unit ending followed by a level prefix (局|市…, 办|区…).
_GLUE = regex.compile(r"(?<=(?:局|委|办|部|院|中心|公司|厅|会|社|队|站|所|处))(?=(?:省|市|县|区|州|旗)\p{Han}{2,})")
# A branch of a higher level's body (自然资源分局, 生态环境分局: the city bureau's) is not the county's.
_BRANCH = regex.compile(r"(?:分局|分公司|支队|分中心)$")
_WHOLLY_BRACKETED = regex.compile(r"^[（(【\[][^）)】\]]+[）)】\]]$")
# Endings that name no body by themselves: the end of a name wrapped onto a new line.
_BARE_ENDINGS = frozenset(
    {"办公室", "委员会", "管委会", "管理委员会", "工作委员会", "管理局", "服务中心", "办事处", "分局"}
)
_LEVEL_START = regex.compile(r"^(?:中共)?(?:省|市|县|区|州|旗)")
# Endings a list writes once for several places: 城乡一体化示范区、高新区党工委和管委会.
_SHARED_SUFFIX = regex.compile(r"(?:党工委和管委会|党委和人民政府|党委和政府|党工委|管委会|人民政府|党委)$")


def _rejoin(chunks: list[str]) -> list[str]:
    """Pieces that are not names on their own belong to the name before them: a co-located name on
    its own line (经开区⏎(邹区镇)), or a name wrapped in a narrow column (市委⏎办公室)."""
    out: list[str] = []
    for chunk in chunks:
        if out and chunk and (_WHOLLY_BRACKETED.match(chunk) or chunk in _BARE_ENDINGS):
            out[-1] += chunk
        elif chunk:
            out.append(chunk)
    return out


def _raw_chunks(text: str) -> Iterator[str]:
    """Split on separators outside parentheses."""
    depth, current = 0, list[str]()
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        if depth == 0 and char in _SEPARATORS:
            if current:
                yield "".join(current)
            current = []
        else:
            current.append(char)
    if current:
        yield "".join(current)


def split_colocation(name: str) -> tuple[str, str | None]:
    """``县政府办（信访局）`` → (``县政府办``, ``信访局``); a name without parenthesis → (name, None)."""
    match = _COLOCATION.match(name)
    if not match:
        return name, None
    return match["main"], match["inner"]


def _prefix_of(name: str) -> str | None:
    """The jurisdiction prefix a following elided item inherits: ``县`` or ``县委`` (party organs)."""
    match = _LEVEL_PREFIX.match(name)
    if not match:
        return None
    return match["level"] + ("委" if match["party"] else "")


def _needs_prefix(chunk: str) -> bool:
    if _HAS_PREFIX.match(chunk) or not _UNIT_SUFFIX.search(chunk) or _BRANCH.search(chunk):
        return False
    if len(chunk) <= _ELIDED_MAX_LEN:
        return not _TOWNSHIP.search(chunk)
    # A longer chunk is a body's full name (工业和信息化委) unless it names a place of its own (副中心区协调办).
    return (
        len(chunk) <= _ELIDED_BODY_MAX_LEN
        and bool(_BODY_ENDING.search(chunk))
        and not _PLACE_LIKE.search(chunk)
        and not regex.search(r"[区县市旗州]", chunk)
    )


def _unglue(chunk: str) -> list[str]:
    """``市海洋渔业局市农业农村局`` → two names; ``市民政局伍泽国`` → the unit without the person."""
    parts = [p for p in _GLUE.split(chunk) if p]
    if len(parts) > 1 and all(looks_like_unit(p) and _LEVEL_START.match(p) for p in parts):
        return parts
    for match in regex.finditer(r"(?:局|委|办|部|院|中心|公司)(?=\p{Han}{2,3}$)", chunk):
        if is_person_name(chunk[match.end() :]) and looks_like_unit(chunk[: match.end()]):
            return [chunk[: match.end()]]
    return [chunk]


def _share_suffix(chunks: list[str]) -> list[str]:
    """A place written without the ending the last item carries gets it: 示范区 + 党工委和管委会."""
    if len(chunks) < 2 or not (shared := _SHARED_SUFFIX.search(chunks[-1])):
        return chunks
    suffix = shared.group()
    return [
        chunk + suffix
        if index < len(chunks) - 1 and _PLACE_LIKE.search(chunk) and not looks_like_unit(chunk)
        else chunk
        for index, chunk in enumerate(chunks)
    ]


def _attach(chunk: str, prefix: str | None) -> str:
    if prefix is None or not _needs_prefix(chunk):
        return chunk
    if prefix.endswith("委") and not _PARTY_ORGANS.match(chunk):
        prefix = prefix[:-1]  # 县委办 政府办 → 县政府办
    return prefix + chunk


def _strip_tail(chunks: list[str]) -> str | None:
    """Remove the trailing 等… words from the last chunk in place; return them."""
    while chunks:
        match = _OPEN_TAIL.search(chunks[-1])
        if not match:
            return None
        chunks[-1] = chunks[-1][: match.start()]
        if not chunks[-1]:
            chunks.pop()
        return match.group()
    return None


@functools.lru_cache(maxsize=16384)  # owner cells repeat across rows, tables and notices
def parse_unit_list(cell_text: str) -> UnitList:
    """Split an owner cell into unit mentions (DOMAIN §2.6) and record an open-ended ``等…`` tail."""
    chunks = _rejoin([chunk.strip(_JUNK) for chunk in _raw_chunks(cell_text)])
    chunks = [part for chunk in chunks if chunk for part in _unglue(chunk)]
    tail = _strip_tail(chunks)
    chunks = _share_suffix(chunks)
    mentions: list[UnitMention] = []
    # A list whose first names drop the level the later ones write (发改局⏎区工信局) shares that level.
    prefix: str | None = next((p for c in chunks if (p := _prefix_of(split_colocation(c)[0]))), None)
    for chunk in chunks:
        position = len(mentions) + 1
        if chunk in SPECIAL_OWNERS:
            mentions.append(UnitMention(text=chunk, as_written=chunk, position=position, special=SPECIAL_OWNERS[chunk]))
            continue
        main, inner = split_colocation(chunk)
        text = _attach(main, prefix)
        prefix = _prefix_of(text) or prefix
        aka = _attach(inner, _prefix_of(text)) if inner else None
        mentions.append(UnitMention(text=text, as_written=chunk, also_known_as=aka, position=position))
    return UnitList(
        mentions=tuple(mentions),
        open_ended=tail is not None,
        tail=tail,
        all_lead=tail is not None and "牵头" in tail,
    )


def split_units(cell_text: str) -> list[UnitMention]:
    """The mentions of :func:`parse_unit_list` (use that one to see whether the list was open-ended)."""
    return list(parse_unit_list(cell_text).mentions)
