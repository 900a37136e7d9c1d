"""A filled progress form into the store: read, check every cell, store all of it or nothing.

Shared by ``kaohe progress add`` and the watch folder (which recognises a form by its header row).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import regex
from pydantic import BaseModel, Field

from parsers.detect import file_sha256
from parsers.docx_package import check_zip_directory
from parsers.errors import IngestError, LimitExceeded
from parsers.limits import check_file_size, limits
from progress.levels import Period
from progress.sheets import SheetProblem, check_rows, read_form
from store.progress_queries import NewReport, Stored, indicators_exist, owners_of, store_reports

FORM_SUFFIXES = (".xlsx", ".csv")


NOT_A_FORM = "不是月度进度填报表（没有 指标编号、单位、累计完成值… 这一表头），kaohe 不读取这类文件"


class Intake(BaseModel):
    file: str
    form: bool = True  # False: no sheet carries the form's header (or the file cannot be read as a sheet at all)
    period: str | None = None
    stored: Stored | None = None  # None when the form was refused
    problems: list[SheetProblem] = Field(default_factory=list)

    def message(self) -> str:
        """One Chinese line (stored), or the problems under a first line (refused)."""
        if self.stored is not None:
            replaced = "；".join(f"{unit} 此前的 {n} 行改为历史" for unit, n in self.stored.replaced.items())
            done = f"已读入 {self.file}：{self.period} {len(self.stored.units)} 个单位 {self.stored.rows} 行"
            return done + (f"（更正报送：{replaced}）" if replaced else "")
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  ……共 {len(self.problems)} 处" if len(self.problems) > 50 else ""
        return f"{self.file}：有 {len(self.problems)} 处需要更正，未存入任何内容\n{shown}{more}"


_PERIOD_IN_NAME = regex.compile(r"(?<!\d)(20\d\d)\s*(?:[-._年]\s*)(1[0-2]|0?[1-9])(?!\d)")


def period_in_name(path: Path) -> str | None:
    """The month a file's name states (``2020-06-县林业局.csv``, ``2020年6月进度.csv``): a .csv form has no
    title, so in the watch folder its name says which month it reports."""
    found = _PERIOD_IN_NAME.search(path.stem)
    return f"{found[1]}-{int(found[2]):02d}" if found else None


def size_problem(path: Path) -> str | None:
    """Why ``path`` is too big to read (file size; an .xlsx's inflated parts, read from its ZIP directory), or None."""
    lim = limits()
    try:
        check_file_size(path, lim=lim)
        if path.suffix.lower() == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                check_zip_directory(path, archive, lim)
    except LimitExceeded as e:
        return e.problem
    except (zipfile.BadZipFile, OSError) as e:
        return f"不是有效的 .xlsx 文件（{type(e).__name__}），文件可能已损坏"
    return None


def take_in(store: object, path: Path, period: Period | None = None, received: str | None = None) -> Intake:
    """Read ``path``, check it against the store, and store its reports in one transaction when all is well."""
    if (too_big := size_problem(path)) is not None:
        return Intake(file=str(path), problems=[SheetProblem(file=str(path), message=too_big)])
    try:
        rows, problems, stated = read_form(path, str(period) if period else None)
    except IngestError as e:  # not a workbook, an encoding no sheet is in
        return Intake(file=str(path), form=False, problems=[SheetProblem(file=str(path), message=e.problem)])
    form = bool(rows) or any(p.row is not None for p in problems)
    if not form and not problems:
        problems = [SheetProblem(file=str(path), message=NOT_A_FORM)]
    if period is None:
        stated = stated or period_in_name(path)
        if stated is None:
            message = "表中和文件名中都没有写明填报月份（如 2020-06）：请用 --period 指定，或在文件名中写明"
            problems = [SheetProblem(file=str(path), message=message), *problems]
            return Intake(file=str(path), form=form, problems=problems)
        period = Period.parse(stated)
    db = store.db  # type: ignore[attr-defined]
    ids = [r.indicator_id for r in rows]
    owners = owners_of(db, ids)
    problems += check_rows(rows, {i: owners.get(i, set()) for i in indicators_exist(db, ids)})
    if problems:
        return Intake(file=str(path), form=form, period=str(period), problems=problems)
    reports = [
        NewReport(**r.model_dump(include=set(NewReport.model_fields))) for r in rows
    ]  # the file is the submission's
    stored = store_reports(store, str(period), reports, str(path), file_sha256(path), received)
    return Intake(file=str(path), period=str(period), stored=stored)
