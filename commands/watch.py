"""``kaohe watch``: ingest what lands in a folder, as it lands."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from commands.options import (
    OUTPUT,
    FloatIn,
    db_option,
    writing,
)

# -- watch -------------------------------------------------------------------


@click.command(name="watch")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@click.option("--poll", is_flag=True, help="定时查看文件夹，而不是等待文件系统通知（网络共享文件夹用）。")
@click.option("--settle", type=FloatIn(0, 3600, "秒数"), default=2.0, show_default=True,
              help="文件须保持不变多少秒才读取。")  # fmt: skip
@click.option("--log", "log_file", type=OUTPUT, help="同时把日志写入这个文件。")
def watch_command(folder: Path, db: Path, poll: bool, settle: float, log_file: Path | None) -> None:
    """持续导入存入 FOLDER 的每份通知（已有的和新到的），直到停止。

    文件写完后导入，再移到 FOLDER/processed/（重复的也是），失败的移到 FOLDER/failed/ 并附
    文件名.error.txt 说明。每个文件在标准错误输出上记一行日志。

    \b
    示例：
        kaohe watch /srv/考核/收件 --db /srv/考核/kaohe.db
        kaohe watch /mnt/share/考核 --poll --log watch.log
    """
    import logging

    from ingest.watch import Watcher, WatchOptions

    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        with writing(log_file):
            handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    watch_log = logging.getLogger("ingest.watch")
    watch_log.setLevel(logging.INFO)
    for handler in handlers:
        watch_log.addHandler(handler)
    Watcher(folder, db, WatchOptions(settle=settle, poll=poll)).run()  # says why and exits 1 when it cannot go on
