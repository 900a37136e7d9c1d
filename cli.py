"""kaohe command line: the entry point (``kaohe`` = ``cli``, ``kaohe-ingest`` = ``ingest_command``).

Exit codes: 0 ok, 1 a file failed, the store could not answer or nothing was found, 2 usage error.
A bad argument or a store/file that cannot be used is one `错误：…` line, never a traceback. Everything a
person reads is Chinese (click's own words too: commands.click_zh); ``--json`` carries English codes.

The commands live by concern under ``commands/`` (shared types and options: ``commands/options.py``); this
module only assembles the group. Start fast: each command imports what it needs (the parsers, the table
reader, spaCy/jieba, openpyxl…) when it runs (tests/test_fast_start.py checks what `kaohe owner` loads).
"""

from __future__ import annotations

import click

from commands.diff import diff_command
from commands.export import breakdown_command
from commands.ingest import ingest_command, parse_command
from commands.options import CONTEXT, Group
from commands.progress import progress_group
from commands.query import dept_command, frameworks_command, owner_command, search_command, warnings_command
from commands.scoring import rules_command, score_command, template_command
from commands.serve import serve_command
from commands.watch import watch_command


@click.group(context_settings=CONTEXT, cls=Group)
@click.version_option(package_name="kaohe")
def cli() -> None:
    """kaohe：把目标责任考核通知读入存储，回答谁牵头、单位承担什么、年度对比、得分与等次。"""


for _command in (
    parse_command,
    ingest_command,
    owner_command,
    dept_command,
    frameworks_command,
    search_command,
    warnings_command,
    diff_command,
    watch_command,
    score_command,
    template_command,
    rules_command,
    breakdown_command,
    progress_group,
    serve_command,
):
    cli.add_command(_command)

__all__ = ["cli", "ingest_command"]
