"""The search indexes behind ``kaohe owner`` and ``kaohe search``, kept in step with the indicators.

**One entry per answer.** An office stores the same notice as .docx, .pdf, .doc…; a query answers once per
indicator of the notice (``store.copies``). Every stored indicator carries ``copy_key``, a hash of what makes
rows copies of each other (``COPY_FIELDS``, the columns behind ``store.copies.same_notice_key``), and the first
copy stored (the lowest id) stands for its copies in the indexes: its ``search_rowid`` is set, the others' is
null. So counting the answers to a query is counting index hits, and the copies of a page of answers are one
look-up by ``copy_key``.

**Two contentless FTS5 tables** over ``search_folded`` (name, text and category path, each folded by
``normalize.fold`` — half-width, simplified, without spaces, lower case — one per line):

- ``search_trigrams`` (trigram tokenizer): queries of three characters or more, as a phrase of trigrams.
- ``search_bigrams``: each pair of neighbouring characters of a line as one token, written as hex code points
  (``5de5x4f5c`` is 工作, so punctuation and digits are tokens like the rest), the last character of a line
  as ``5de5x``; ``detail=none`` (no positions: a few MB). A two-character query is one token, a one-character
  query the prefix ``5de5x*``.

**Rowid = sort key**: ``(9999 - year) << 40 | id`` — answers are listed newest year first, then as stored (the
id order is the frameworks' order and each framework's row order), so a page of answers is ``order by rowid
limit ? offset ?`` and a year filter a rowid range, both answered inside FTS5 without reading a row.

Contentless tables forget the text they index: removing an entry repeats it (FTS5's ``'delete'`` command),
from ``search_folded``, which nothing changes after it is written. Only ``Store.save`` and the removal of a
document write here, inside their transaction, and migration m007 builds the indexes for an existing store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from typing import Any

from sqlite_utils import Database

from normalize.fold import fold

ID_BITS = 40  # indicator ids below 2**40 (10**12)
ID_MASK = (1 << ID_BITS) - 1
_NO_YEAR = 10_000  # frameworks without a year (or outside 0–9999) sort after every year, as SQL's NULL does
# What two copies of one indicator share (store.copies.same_notice_key, which adds the department relation).
COPY_FIELDS = ("text", "name", "points", "kind", "lead", "cooperating", "category", "category_path",
               "f_title", "f_region", "f_year", "f_assessee")  # fmt: skip
_JSON_FIELDS = frozenset({"cooperating", "category_path"})
_ROWS = """
select i.id, i.search_folded, i.text, i.name, i.points, i.kind, i.lead, i.cooperating, i.category, i.category_path,
       f.title as f_title, f.region as f_region, f.year as f_year, f.assessee as f_assessee
from indicators i join frameworks f on f.id = i.framework_id
"""
_CHUNK = 500  # host parameters per statement


def create_tables(db: Database) -> None:
    db.execute("create virtual table search_trigrams using fts5(folded, content='', tokenize='trigram')")
    db.execute(
        "create virtual table search_bigrams using fts5(tokens, content='', detail=none, columnsize=0, "
        "tokenize='ascii')"
    )


# -- pure helpers ---------------------------------------------------------------------------------------------


def folded_lines(name: str | None, text: str | None, category_path: Sequence[str]) -> str:
    """What a query is matched against: each part folded, one per line (no query spans two parts)."""
    return "\n".join(filter(None, (fold(part) for part in (name, text, *category_path) if part)))


def copy_key(row: dict[str, Any]) -> int:
    """A signed 64-bit hash of the row's ``COPY_FIELDS`` (JSON columns read, as the answers compare them)."""
    values = json.dumps([json.loads(row[f] or "[]") if f in _JSON_FIELDS else row[f] for f in COPY_FIELDS])
    return int.from_bytes(hashlib.blake2b(values.encode(), digest_size=8).digest(), "big", signed=True)


def sort_rowid(year: int | None, indicator_id: int) -> int:
    rank = 9999 - year if year is not None and 0 <= year <= 9999 else _NO_YEAR
    return rank << ID_BITS | indicator_id


def year_rowids(year: int) -> tuple[int, int]:
    """The rowid range of one year's answers."""
    low = sort_rowid(year, 0)
    return low, low | ID_MASK


def _hex(char: str) -> str:
    return f"{ord(char):x}"


def bigram_tokens(folded: str) -> str:
    """The ``search_bigrams`` document of a folded text: its distinct character pairs, and each line's end."""
    tokens: dict[str, None] = {}
    for line in folded.split("\n"):
        codes = [_hex(c) for c in line]
        tokens.update((f"{a}x{b}", None) for a, b in pairwise(codes))
        if codes:
            tokens[f"{codes[-1]}x"] = None
    return " ".join(tokens)


def bigram_query(needle: str) -> str:
    """The ``search_bigrams`` MATCH expression for a folded query of one or two characters."""
    codes = [_hex(c) for c in needle]
    return f"{codes[0]}x{codes[1]}" if len(codes) == 2 else f"{codes[0]}x*"


def trigram_query(needle: str) -> str:
    return '"' + needle.replace('"', '""') + '"'


# -- index maintenance (inside Store.save's and the removal's transaction) -------------------------------------


def add_document(db: Database, document_id: int) -> None:
    """Fold and key a just-written document's indicators; index those that are no copy of a stored answer."""
    _index(db, "where i.document_id = ?", [document_id], after_others=True)


def rebuild(db: Database) -> None:
    """Every indicator folded, keyed and indexed anew (migration m007, or an index to repair)."""
    for table in ("search_trigrams", "search_bigrams"):
        db.execute(f"insert into {table}({table}) values ('delete-all')")
    db.execute("update indicators set search_rowid = null")
    _index(db, "", [], after_others=False)


def _index(db: Database, where: str, params: list[Any], after_others: bool) -> None:
    rows = [dict(r) for r in db.query(f"{_ROWS} {where} order by i.id", params)]
    for row in rows:
        row["folded"] = folded_lines(row["name"], row["text"], json.loads(row["category_path"] or "[]"))
        row["copy_key"] = copy_key(row)
    db.conn.executemany(
        "update indicators set search_folded = ?, copy_key = ? where id = ?",
        [(r["folded"], r["copy_key"], r["id"]) for r in rows],
    )
    answered = _answered_keys(db, {r["copy_key"] for r in rows}) if after_others else set()
    firsts = []
    for row in rows:  # in id order: the first copy of each new answer
        if row["copy_key"] not in answered:
            answered.add(row["copy_key"])
            firsts.append(row)
    _insert(db, firsts)


def _answered_keys(db: Database, keys: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(sorted(keys)):
        marks = ",".join("?" * len(chunk))
        sql = f"select copy_key from indicators where copy_key in ({marks}) and search_rowid is not null"
        found.update(r[0] for r in db.execute(sql, chunk))
    return found


def _insert(db: Database, rows: Sequence[dict[str, Any]]) -> None:
    """Index ``rows`` (dicts with id, f_year, folded) as their answers' entries."""
    entries = [(sort_rowid(r["f_year"], r["id"]), r["folded"], r["id"]) for r in rows]
    db.conn.executemany("update indicators set search_rowid = ? where id = ?", [(e[0], e[2]) for e in entries])
    db.conn.executemany("insert into search_trigrams(rowid, folded) values (?, ?)", [e[:2] for e in entries])
    db.conn.executemany(
        "insert into search_bigrams(rowid, tokens) values (?, ?)", [(e[0], bigram_tokens(e[1])) for e in entries]
    )


def remove_document(db: Database, document_id: int) -> None:
    """Before a document's indicators are deleted: drop the answers they stand for, and let the next stored
    copy of each (another file of the same notice) stand for it instead."""
    sql = "select copy_key, search_rowid, search_folded from indicators where document_id = ? and search_rowid"
    gone = list(db.query(f"{sql} is not null", [document_id]))
    entries = [(r["search_rowid"], r["search_folded"] or "") for r in gone]
    db.conn.executemany("insert into search_trigrams(search_trigrams, rowid, folded) values ('delete', ?, ?)", entries)
    db.conn.executemany(
        "insert into search_bigrams(search_bigrams, rowid, tokens) values ('delete', ?, ?)",
        [(rowid, bigram_tokens(folded)) for rowid, folded in entries],
    )
    next_copies: list[int] = []
    for chunk in _chunks(sorted({r["copy_key"] for r in gone})):
        marks = ",".join("?" * len(chunk))
        sql = f"select min(id) from indicators where copy_key in ({marks}) and document_id != ? group by copy_key"
        next_copies += [r[0] for r in db.execute(sql, [*chunk, document_id])]
    for chunk in _chunks(sorted(next_copies)):
        marks = ",".join("?" * len(chunk))
        rows = db.query(f"{_ROWS} where i.id in ({marks}) order by i.id", chunk)
        _insert(db, [{**r, "folded": r["search_folded"]} for r in rows])


def _chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])
