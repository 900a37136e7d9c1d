"""Resource limits on every input, checked before the work they guard (issue 13).

One ``Limits`` model holds every limit with its default; each can be raised with the
environment variable ``KAOHE_`` + its name in capitals (``KAOHE_MAX_FILE_MB=300``), read in
:func:`limits` and nowhere else. The defaults are far above any real notice (the largest
benchmark notice has 1,038 table rows, 1.2 MB of Word XML) and keep the parse of any input
under about 500 MB. A file over a limit raises :class:`parsers.errors.LimitExceeded`, whose
Chinese message names the limit, its value and the variable that raises it.

Also here, because every format needs them: :class:`Budget`, which counts the paragraphs,
table cells (grid positions, so that a merge spanning 10,000 columns counts as 10,000) and
tables of one document while a parser builds it, and :func:`read_capped`, which reads a
stream in chunks and stops at a cap instead of trusting a declared size.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import IO

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from parsers.errors import LimitExceeded

logger = logging.getLogger(__name__)

ENV_PREFIX = "KAOHE_"
_CHUNK = 1 << 20


class Limits(BaseModel):
    """Every limit kaohe puts on an input; each field's ``description`` is its Chinese name."""

    model_config = ConfigDict(frozen=True)

    max_file_mb: float = Field(100, gt=0, description="文件大小（MB）")
    max_text_mb: float = Field(10, gt=0, description=".txt/.html 文件大小（MB）")
    max_xml_mb: float = Field(20, gt=0, description=".docx 正文 XML 解压后大小（MB）")
    max_unzipped_mb: float = Field(200, gt=0, description=".docx 全部部件解压后总大小（MB）")
    max_zip_ratio: float = Field(100, gt=0, description=".docx 部件压缩比")
    max_paragraphs: int = Field(50_000, gt=0, description="段落数")
    max_cells: int = Field(100_000, gt=0, description="表格单元格数（按网格位置计）")
    max_tables: int = Field(2_000, gt=0, description="表格数")
    max_html_depth: int = Field(100, gt=0, description="HTML 嵌套层数")
    max_pdf_pages: int = Field(500, gt=0, description="PDF 页数")
    max_page_content_mb: float = Field(2, gt=0, description="PDF 单页内容流解压后大小（MB）")
    max_image_megapixels: float = Field(80, gt=0, description="图像单页像素数（百万）")  # A3 at 600 dpi is 70
    worker_memory_mb: int = Field(500, gt=0, description="解析进程可另用的内存（MB）")  # the issue-13 goal
    worker_timeout_s: float = Field(180, gt=0, description="单个文件（扫描件为每页）的解析时限（秒）")
    # Two OCR threads map ~800 MB (ONNX Runtime sessions, glibc arenas, page images); RSS stays ~550 MB.
    ocr_memory_mb: int = Field(1500, gt=0, description="文字识别另可使用的内存（MB）")

    @staticmethod
    def env_name(field: str) -> str:
        return ENV_PREFIX + field.upper()

    def exceeded(self, path: str | Path, field: str, found: str) -> LimitExceeded:
        """The error for ``path`` over the limit ``field``; ``found`` says what was found."""
        info = type(self).model_fields[field]
        value = getattr(self, field)
        shown = f"{value:g}" if isinstance(value, float) else f"{value:,}"
        return LimitExceeded(
            path,
            f"超出限制：{info.description}上限为 {shown}，{found}",
            f"确属正常文件时，可设环境变量 {self.env_name(field)} 调高上限",
            limit=field,
        )


def limits() -> Limits:
    """The limits in force: the defaults, raised or lowered by ``KAOHE_*`` environment variables.

    Read at every call (a dozen ``getenv``), so a changed environment applies to the next file. A
    value that is not a positive number is ignored with a warning, and the default stays.
    """
    values: dict[str, str] = {}
    for field in Limits.model_fields:
        raw = os.environ.get(Limits.env_name(field))
        if raw is None or not raw.strip():
            continue
        try:
            Limits.model_validate({field: raw.strip()})
        except ValidationError:
            logger.warning("环境变量 %s=%r 不是正数，已忽略，沿用默认值", Limits.env_name(field), raw)
            continue
        values[field] = raw.strip()
    return Limits.model_validate(values)


def check_file_size(path: Path, field: str = "max_file_mb", lim: Limits | None = None) -> int:
    """The file's size, after checking it against a size limit in MB (before anything is read)."""
    lim = lim or limits()
    size = path.stat().st_size
    if size > getattr(lim, field) * 2**20:
        raise lim.exceeded(path, field, f"该文件 {size / 2**20:.1f} MB")
    return size


def read_capped(stream: IO[bytes], cap: int, on_over: LimitExceeded) -> bytes:
    """All of ``stream``, read in chunks; ``on_over`` is raised as soon as more than ``cap`` bytes came."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(min(_CHUNK, cap + 1 - total)):
        total += len(chunk)
        if total > cap:
            raise on_over
        chunks.append(chunk)
    return b"".join(chunks)


class Budget:
    """Counts what one document holds while it is built; raises once a limit is passed."""

    def __init__(self, path: str | Path, lim: Limits | None = None) -> None:
        self.path = path
        self.limits = lim or limits()
        self.paragraphs = self.cells = self.tables = 0

    def paragraph(self, n: int = 1) -> None:
        self.paragraphs += n
        if self.paragraphs > self.limits.max_paragraphs:
            raise self.limits.exceeded(self.path, "max_paragraphs", f"该文件多于 {self.limits.max_paragraphs:,} 段")

    def table(self, rows: int, cols: int) -> None:
        """One more table of ``rows`` × ``cols`` grid positions (checked before the grid is built)."""
        if self.tables + 1 > self.limits.max_tables:
            raise self.limits.exceeded(self.path, "max_tables", f"该文件多于 {self.limits.max_tables:,} 个表格")
        self.cells_ahead(rows * cols, f"第 {self.tables + 1} 个表格 {rows:,} 行 × {cols:,} 列")
        self.tables += 1
        self.cells += rows * cols

    def cells_ahead(self, area: int, where: str) -> None:
        """Raise before ``area`` more grid positions are built, if they would pass ``max_cells``."""
        if self.cells + area > self.limits.max_cells:
            found = f"该文件的表格至少有 {self.cells + area:,} 个单元格（{where}）"
            raise self.limits.exceeded(self.path, "max_cells", found)

    def count(self, blocks: list[object]) -> None:
        """Count finished blocks (paragraphs and tables) after the fact."""
        from parsers.document import Table

        for block in blocks:
            if isinstance(block, Table):
                self.table(block.n_rows, block.n_cols)
            else:
                self.paragraph()


def check_html_depth(path: str | Path, text: str, lim: Limits) -> None:
    """Refuse a page nested deeper than ``max_html_depth`` elements, found by lxml's own (C, iterative)
    parser before any tree is built in Python, where such depth would overflow the stack."""
    from lxml import etree

    parser = etree.HTMLPullParser(events=("start", "end"), recover=True, no_network=True)
    depth = 0
    for start in range(0, len(text), _CHUNK):
        parser.feed(text[start : start + _CHUNK])
        for event, _ in parser.read_events():
            depth += 1 if event == "start" else -1
            if depth > lim.max_html_depth:
                raise lim.exceeded(path, "max_html_depth", f"该网页的元素嵌套超过 {lim.max_html_depth} 层")
    parser.close()
