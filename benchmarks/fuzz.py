"""Fuzz the parsers (issue 13): random and mutated inputs per format, and the hostile files at full size.

Every case is parsed by ``parsers.parse`` in a forked child with an address-space ceiling
(``--memory-mb``) and a time limit (``--timeout``); the child's own peak RSS comes back from
``wait4``. Per format: cases, parsed, typed errors (``IngestError``: the expected refusal), other
exceptions (each a bug: its traceback is printed once per place), timeouts and deaths, the peak
RSS and the slowest case. Inputs that found a bug, a timeout or a death are kept in ``--out``.

Cases (deterministic for a given ``--seed``): random bytes; a sample with bytes flipped, cut or a
chunk repeated; for .docx the sample's document.xml so mutated and re-zipped, or given random
table attributes (spans, merges, nesting); for .html random tag soup with spans; for .txt random
lines of TABs, pipes, numbers and Chinese words. ``--large`` adds the builders of
``tests/hostile.py`` at four times the size the tests use (a 1 GB paragraph bomb, a 2 GB image).

Usage: python benchmarks/fuzz.py [--iterations N] [--seed S] [--formats docx,html] [--large] [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

from measure import HERE, machine, markdown_table

ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
SAMPLE = ROOT / "samples" / "佳县2020年度目标责任考核指标"
FORMATS = ("docx", "pdf", "txt", "html", "doc")
WORDS = ("考核", "指标", "县林业局", "分值", "责任单位", "5", "10分", "——", "（一）", "合计", "|", "\t", " ", "　")
TAGS = ("table", "tr", "td", "th", "div", "p", "span", "tbody", "caption", "article", "br", "b")


# --- inputs -------------------------------------------------------------------------------------


def mutate(data: bytes, rng: random.Random) -> bytes:
    """``data`` with bytes flipped, cut short, or a chunk repeated or dropped."""
    choice = rng.randrange(4)
    if choice == 0:
        out = bytearray(data)
        for _ in range(rng.randint(1, 50)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if choice == 1:
        return data[: rng.randrange(len(data))]
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randint(1, 4096))
    return data[:end] + data[start:end] * rng.randint(1, 200) + data[end:] if choice == 2 else data[:start] + data[end:]


def docx_case(rng: random.Random) -> bytes:
    """The sample .docx with its document.xml mutated (bytes, or random table attributes), re-zipped."""
    with zipfile.ZipFile(f"{SAMPLE}.docx") as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    xml = parts["word/document.xml"]
    if rng.random() < 0.3:
        xml = mutate(xml, rng)
    else:
        for _ in range(rng.randint(1, 20)):
            attribute = rng.choice(
                (b'<w:gridSpan w:val="%d"/>', b'<w:vMerge w:val="restart"/><w:gridSpan w:val="%d"/>')
            )
            value = rng.choice((0, 1, 2, 63, 64, 10**6, -5))
            at = xml.find(b"<w:tcPr>", rng.randrange(len(xml)))
            if at != -1:
                xml = xml[: at + 8] + (attribute % value if b"%d" in attribute else attribute) + xml[at + 8 :]
    parts["word/document.xml"] = xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return buffer.getvalue()


def html_case(rng: random.Random) -> bytes:
    out, depth = ["<html><body>"], 0
    for _ in range(rng.randint(10, 3000)):
        if depth and rng.random() < 0.4:
            out.append(f"</{rng.choice(TAGS)}>")
            depth -= 1
            continue
        tag = rng.choice(TAGS)
        spans = "".join(
            f' {a}="{rng.choice((0, 1, 2, 3, 1000, 65534, -1))}"' for a in ("rowspan", "colspan") if rng.random() < 0.3
        )
        out.append(f"<{tag}{spans}>{rng.choice(WORDS)}")
        depth += 1
    return "".join(out).encode(rng.choice(("utf-8", "gb18030", "utf-16")))


def txt_case(rng: random.Random) -> bytes:
    lines = ["".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40))) for _ in range(rng.randint(1, 2000))]
    text = "\n".join(lines)
    return text.encode(rng.choice(("utf-8", "gb18030", "utf-16-le", "utf-16")))


def make_case(fmt: str, rng: random.Random) -> bytes:
    """One input for ``fmt``: random bytes one time in five, else a mutation or a generated document."""
    if rng.random() < 0.2:
        return rng.randbytes(rng.randint(1, 100_000))
    generated: dict[str, Callable[[random.Random], bytes]] = {"docx": docx_case, "html": html_case, "txt": txt_case}
    if fmt in generated and rng.random() < 0.6:
        return generated[fmt](rng)
    return mutate(Path(f"{SAMPLE}.{fmt}").read_bytes(), rng)


# --- running one case ---------------------------------------------------------------------------


def run_case(path: Path, memory_mb: int, timeout: int) -> dict[str, object]:
    """Parse ``path`` in a forked child: its outcome, seconds and own peak RSS (MB)."""
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: parse, write one JSON line, leave without cleanup
        os.close(read_end)
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.alarm(timeout)
        with os.fdopen(write_end, "w") as out:
            out.write(json.dumps(_parse(path), ensure_ascii=False))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        text = answer.read()
    _, status, usage = os.wait4(pid, 0)
    outcome: dict[str, object] = json.loads(text) if text else {"outcome": "death"}
    if os.WIFSIGNALED(status):
        killed = os.WTERMSIG(status)
        outcome = {"outcome": "timeout" if killed == signal.SIGALRM else "death", "detail": signal.Signals(killed).name}
    return {**outcome, "seconds": time.perf_counter() - started, "peak_mb": usage.ru_maxrss / 1024}


def _parse(path: Path) -> dict[str, object]:
    from parsers import parse
    from parsers.errors import IngestError

    try:
        document = parse(path)
        return {"outcome": "parsed", "detail": f"{len(document.blocks)} blocks"}
    except IngestError as e:
        return {"outcome": "typed", "detail": f"{type(e).__name__}: {e.problem}"}
    except MemoryError:
        return {"outcome": "memory", "detail": "MemoryError"}
    except Exception as e:
        frame = traceback.extract_tb(e.__traceback__)[-1]
        place = f"{type(e).__name__} at {Path(frame.filename).name}:{frame.lineno}"
        return {"outcome": "bug", "detail": place, "trace": traceback.format_exc()}


# --- the runs and the report --------------------------------------------------------------------


def fuzz(formats: list[str], iterations: int, seed: int, out: Path, args: argparse.Namespace) -> dict[str, list]:
    results: dict[str, list] = {fmt: [] for fmt in formats}
    with tempfile.TemporaryDirectory(prefix="kaohe-fuzz-") as tmp:
        for fmt in formats:
            rng = random.Random(f"{seed}-{fmt}")
            for i in range(iterations):
                path = Path(tmp) / f"{fmt}-{i}.{fmt}"
                path.write_bytes(make_case(fmt, rng))
                result = run_case(path, args.memory_mb, args.timeout)
                results[fmt].append({**result, "case": path.name})
                _keep(path, result, out)
                path.unlink(missing_ok=True)
    return results


def large(out: Path, args: argparse.Namespace) -> list[dict[str, object]]:
    import hostile

    rows = []
    with tempfile.TemporaryDirectory(prefix="kaohe-fuzz-large-") as tmp:
        for name, (make, _) in hostile.OVER_LIMITS.items():
            folder = Path(tmp) / name.replace(" ", "-")
            folder.mkdir()
            built = time.perf_counter()
            path = make(folder, 4)
            result = run_case(path, args.memory_mb, args.timeout)
            size = path.stat().st_size
            rows.append({**result, "case": name, "size_mb": size / 2**20, "built_s": time.perf_counter() - built})
            _keep(path, result, out)
            path.unlink(missing_ok=True)
    return rows


def _keep(path: Path, result: dict[str, object], out: Path) -> None:
    if result["outcome"] in ("bug", "timeout", "death", "memory"):
        out.mkdir(parents=True, exist_ok=True)
        path.replace(out / path.name)


def report(results: dict[str, list], rows: list[dict[str, object]]) -> int:
    table, seen, bad = [], set(), 0
    for fmt, cases in results.items():
        count = {
            k: sum(1 for c in cases if c["outcome"] == k)
            for k in ("parsed", "typed", "bug", "timeout", "death", "memory")
        }
        slowest = max(cases, key=lambda c: c["seconds"])
        table.append([fmt, len(cases), *count.values(), f"{max(c['peak_mb'] for c in cases):.0f}",
                      f"{slowest['seconds']:.2f} ({slowest['case']})"])  # fmt: skip
        bad += count["bug"] + count["timeout"] + count["death"] + count["memory"]
        for case in cases:
            if case["outcome"] == "bug" and case["detail"] not in seen:
                seen.add(case["detail"])
                print(f"\n{case['case']}: {case['trace']}")
    header = [
        "format",
        "cases",
        "parsed",
        "typed error",
        "bug",
        "timeout",
        "death",
        "memory",
        "peak RSS (MB)",
        "slowest (s)",
    ]
    print(markdown_table(header, table))
    if rows:
        print("\nHostile inputs at 4× the tests' size:\n")
        print(markdown_table(["input", "on disk (MB)", "outcome", "seconds", "peak RSS (MB)"], [
            [r["case"], f"{r['size_mb']:.1f}", f"{r['outcome']}: {str(r.get('detail', ''))[:90]}",
             f"{r['seconds']:.2f}", f"{r['peak_mb']:.0f}"] for r in rows]))  # fmt: skip
        bad += sum(1 for r in rows if r["outcome"] != "typed")
    print(f"\n{machine()}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200, help="cases per format (default 200)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--formats", default=",".join(FORMATS[:-1]), help="comma-separated (default: all but doc)")
    parser.add_argument("--large", action="store_true", help="also the hostile files of tests/hostile.py at 4×")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address-space ceiling of each case")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per case")
    parser.add_argument("--out", type=Path, default=Path("/tmp/kaohe-fuzz"), help="where failing inputs are kept")
    args = parser.parse_args(argv)
    import parsers  # imported once, before the forks

    for fmt in ("docx", "pdf", "txt", "html"):
        parsers.backend(fmt)
    import parsers.metadata

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings about damaged streams are expected here

    results = fuzz(args.formats.split(","), args.iterations, args.seed, args.out, args)
    return report(results, large(args.out, args) if args.large else [])


if __name__ == "__main__":
    sys.exit(main())
