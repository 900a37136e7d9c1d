"""``kaohe serve``: the read-only web interface (web/app.py, web/serve.py)."""

from __future__ import annotations

from pathlib import Path

import click

from commands.options import (
    db_option,
)

# ---------------------------------------------------------------------------------------------
# kaohe serve: the read-only web interface (web/app.py, web/serve.py)


@click.command(name="serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="监听的地址（0.0.0.0：所有地址）。")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--allow-sql", is_flag=True, help="另外提供 /sql 页面：在只读存储上逐条执行 SELECT。")
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="浏览器访问本服务时可用的另一个名称（Host 头），如 kaohe.office.lan；可重复。",
)
def serve_command(db: Path, host: str, port: int, allow_sql: bool, allowed_hosts: tuple[str, ...]) -> None:
    """在浏览器中只读查看存储：指标归属、单位、考核框架、年度对比、月度进度。

    除非 --host 另有指定，只在本机监听。只应答发往 localhost、127.0.0.1、[::1]、--host 地址或
    --allowed-host 名称的请求（--host 0.0.0.0 时也应答 IP 地址）；其他名称一律返回 400。

    \b
    示例：
        kaohe serve                                   # then open http://127.0.0.1:8001/
        kaohe serve --db /srv/考核/kaohe.db --host 0.0.0.0 --port 8080 --allowed-host kaohe.office.lan
    """
    from web.app import StoreMissing
    from web.serve import create_server, is_local, url_of

    try:
        server = create_server(db, host=host, port=port, allow_sql=allow_sql, allowed_hosts=allowed_hosts)
    except StoreMissing as e:
        raise click.ClickException(str(e)) from e
    except OSError as e:
        raise click.ClickException(f"无法在 {host}:{port} 监听：{e.strerror or e}") from e
    if not is_local(host):
        click.echo(f"警告：在 {host} 上监听：能连到本机的每台计算机都能读取存储", err=True)
    if allow_sql:
        click.echo("警告：--allow-sql：/sql 可在存储上执行任意 SELECT（只读）", err=True)
    click.echo(f"kaohe serve：{url_of(server, host, port)}  （存储 {db}，只读；按 Ctrl+C 停止）")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("已停止", err=True)
