"""Build examples/progress/: monthly progress forms of the 佳县 2020 sample, filled deterministically.

    python scripts/make_example_progress.py [--out examples/progress]

Ingests the 佳县 2020 notice into a temporary store, writes the forms ``kaohe progress template`` writes
for May and June (one file per unit: ``--split``), and fills the cases listed in ``CASES`` and in
examples/progress/README.md: a unit behind twice running, a corrected resubmission, a ceiling breached,
a qualitative item, and a unit that does not report. Run it again after the samples or the form change.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
NOTICE = ROOT / "samples" / "佳县2020年度目标责任考核指标.docx"

# (period, unit, file suffix) → {indicator text start: (累计完成值, 完成率(%), 进展情况, 存在问题, 下步措施)}
CASES: dict[tuple[str, str, str], dict[str, tuple[object, ...]]] = {
    ("2020-05", "县林业局", ""): {
        "营造林面积4万亩": (1.0, None, "春季造林已完成1万亩", "苗木到位晚", "加快秋季造林准备"),
    },
    ("2020-06", "县林业局", ""): {
        "营造林面积4万亩": (1.2, None, "造林1.2万亩", "雨季未到，补植推迟", "7月集中补植"),
    },
    ("2020-06", "县林业局", "（更正）"): {  # the same month sent again: the earlier form becomes history
        "营造林面积4万亩": (2.1, None, "造林2.1万亩（含补报的飞播面积）", "", "7月集中补植"),
    },
    ("2020-06", "县交通运输局", ""): {
        "道路交通事故死亡人数不超过2人": (3, None, "上半年发生死亡事故3起", "超过全年控制数", "开展交通安全专项整治"),
        "农村公路优、良、中等路比例达到75%": (70, None, "路况评定中", "", ""),
    },
    ("2020-06", "县扶贫办", ""): {
        "脱贫攻坚工作成效": (None, None, "按计划推进，剩余贫困人口帮扶措施全部落实", "", "迎接省级考核"),
    },
}


def fill(path: Path, values: dict[str, tuple[object, ...]]) -> None:
    book = load_workbook(path)
    found = set()
    for sheet in book.worksheets[1:]:
        for row in sheet.iter_rows(min_row=3):
            text = str(row[2].value or "")
            for start, cells in values.items():
                if text.startswith(start):
                    for cell, value in zip(row[4:9], cells, strict=True):
                        cell.value = value if value != "" else None
                    found.add(start)
    missing = set(values) - found
    if missing:
        raise SystemExit(f"{path.name}: not in the form: {sorted(missing)}")
    book.save(path)


def main(argv: list[str] | None = None) -> int:
    from cli import cli
    from ingest.pipeline import ingest_paths
    from store import Store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "examples" / "progress")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kaohe.db"
        store = Store(db)
        try:
            ingest_paths([NOTICE], store)
        finally:
            store.close()
        for (period, unit, suffix), values in CASES.items():
            path = args.out / f"{period}-{unit}{suffix}.xlsx"
            command = ["progress", "template", "--period", period, "--region", "佳县", "--year", "2020"]
            result = CliRunner().invoke(cli, [*command, "--dept", unit, "-o", str(path), "--db", str(db)])
            if result.exit_code != 0:
                raise SystemExit(result.output)
            fill(path, values)
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
