"""kaohe serve in a real browser: waitress on a free port, headless Chromium driven by Playwright."""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_web import ingested_store

from web.serve import create_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = os.environ.get("KAOHE_SCREENSHOTS")  # a folder to keep the screenshots in, for people to look at

if not CHROMIUM.exists():
    pytest.skip(f"no browser: {CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = create_server(ingested_store(tmp_path_factory), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def screenshot(page: Any, name: str, tmp_path: Path) -> bytes:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return bytes(page.screenshot(path=str(folder / f"{name}.png"), full_page=False))


def assert_not_blank(png: bytes) -> None:
    """A real page: a sizeable PNG whose pixels vary (a blank page compresses to almost nothing)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 20_000, f"screenshot of {len(png)} bytes: an empty page?"
    try:
        from PIL import Image, ImageStat
    except ImportError:
        return
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size[0] >= 1000
    assert ImageStat.Stat(image).stddev[0] > 10, "the screenshot is one flat colour"
    assert len(image.getcolors(maxcolors=1 << 16) or []) > 50


def test_search_then_department_in_a_browser(base_url: str, browser: Any, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    page.goto(base_url + "/")
    assert "目标责任考核指标查询" in page.title()
    page.fill("input[name=q]", "营造林面积")
    page.click("button[type=submit]")
    page.wait_for_url("**/owner?q=*")
    row = page.locator("tr", has=page.locator("td.text", has_text="营造林面积4万亩")).first
    assert "县林业局" in row.inner_text()
    assert_not_blank(screenshot(page, "owner", tmp_path))

    row.get_by_role("link", name="县林业局").click()
    page.wait_for_url("**/dept/**")
    assert page.locator("h1").inner_text() == "县林业局"
    totals = page.locator("table.totals-table").inner_text()
    # its own table (100) and the city tasks it leads (3) on lines of their own, never added up
    own = "承担 10 项，计 100 分（满分 100 分）"
    assert f"佳县\t2020\t县林业局\t本单位考核表\t县直部门目标责任考核指标\t{own}" in totals
    assert "佳县\t2020\t县林业局\t任务分解\t2020年度市考核县指标任务分解\t牵头 2 项，计 3 分" in totals
    assert "103" not in totals
    own_table = page.locator("section.group", has_text="县直部门目标责任考核指标").first
    assert "计 100 分" in own_table.locator(".totals").inner_text()
    assert_not_blank(screenshot(page, "dept", tmp_path))
    page.close()


def test_framework_and_diff_pages_render(base_url: str, browser: Any, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    page.goto(base_url + "/frameworks?region=佳县&kind=breakdown")
    page.get_by_role("link", name="2020年度市考核县指标任务分解").first.click()
    page.wait_for_url("**/framework/*")
    assert "生态文明：写明 20 分，各项合计 19 分" in page.locator(".warnings").inner_text()
    assert_not_blank(screenshot(page, "framework", tmp_path))
    page.get_by_role("button", name="查看对比").click()
    page.wait_for_url("**/diff?*")
    assert "生产总值增长6.5%" in page.locator("section", has_text="调整指标").first.inner_text()
    assert_not_blank(screenshot(page, "diff", tmp_path))
    page.goto(base_url + "/framework/99999")
    assert "页面不存在" in page.locator("h1").inner_text()
    page.close()
