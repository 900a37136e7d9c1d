"""Which assessee category (镇办 / 县直部门 / 驻县单位) a unit belongs to, from how notices name it."""

from __future__ import annotations

import regex

from scoring.model import UnitCategory

# 驻县 units: 中央和省市驻县单位, 省市驻佳单位, 垂管 bodies (税务局, 供电分公司, 邮政, 银行…).
_RESIDENT = regex.compile(r"驻[县佳柞宁]|垂管|税务局|供电|邮政|电信|移动|联通|银行|保险|烟草|气象局|分公司|支行")
# 镇（办、街道、中心）: 螅镇, 金明寺镇, 乾佑街道办事处, 上高寨便民服务中心.
_TOWN = regex.compile(r"(?:镇|乡|街道(?:办事处)?|便民服务中心|镇（办、中心）|镇办)$")
_TOWN_HEADING = regex.compile(r"镇（办|镇办|乡镇|街道")


def guess_category(unit: str, framework_title: str | None = None, group: str | None = None) -> UnitCategory:
    """The category a unit most likely belongs to; the results sheet can always override it."""
    if _RESIDENT.search(unit) or (group and "驻" in group):
        return "resident"
    if _TOWN.search(unit):
        return "town"
    heading = f"{framework_title or ''} {group or ''}"
    if _TOWN_HEADING.search(heading) and not regex.search(r"部门|县直", heading):
        return "town"
    return "dept"
