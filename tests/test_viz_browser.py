"""The HTML drawing in real headless Chromium: it renders offline, and a click shows facts.

Driven by Playwright with Debian's chromium (never a downloaded browser). Without
chromium or Playwright these tests skip, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mxgraph.store import open_store
from mxgraph.viz import VizFormat, neighborhood_graph, render

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable() -> str | None:
    if not Path(CHROMIUM).is_file():
        return "chromium is not installed (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright; no browser download needed)"
    return None


def chromium_context(
    tmp_path_factory: pytest.TempPathFactory, width: int, height: int
) -> Iterator[Any]:
    """A headless Chromium context with a fresh profile (skips, or fails in CI, without one)."""
    reason = _unavailable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": width, "height": height},
        )
        yield context
        context.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from chromium_context(tmp_path_factory, 1400, 900)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("viz") / "mexico.html"
    path.write_bytes(render(neighborhood_graph(open_store(), "Mexico"), VizFormat.HTML))
    return path


def test_page_renders_offline_and_shows_facts_on_click(
    browser: Any, page_file: Path, tmp_path: Path
) -> None:
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-rendered=true]", timeout=20_000)

    labels = page.locator("g.node").evaluate_all("nodes => nodes.map(n => n.dataset.label)")
    assert labels[0] == "Mexico"
    assert {"United States", "Pacific Alliance", "World Bank", "Canada"} <= set(labels)
    shown = page.locator("g.node text").all_text_contents()
    assert "Pacific Alliance" in shown and "World Bank" in shown
    legend = page.locator("#legend").inner_text()
    assert "country" in legend and "international organization" in legend

    page.locator('g.node[data-label="Pacific Alliance"]').click()
    details = page.locator("#details")
    details.locator("h2").wait_for()
    text = details.inner_text()
    assert text.startswith("Pacific Alliance\nmxd:pacific-alliance")
    assert "launch date\t2012" in text
    assert "←launched— Mexico" in text  # drawn as stated from Mexico, the drawing's center
    assert "In 2012, Mexico joined Chile, Colombia, and Peru" in text
    assert page.locator("g.node.selected").get_attribute("data-label") == "Pacific Alliance"

    # Zoom and pan change the view's transform.
    before = page.locator("#viewport").get_attribute("transform")
    page.mouse.move(500, 400)
    page.mouse.wheel(0, -400)
    page.mouse.down()
    page.mouse.move(600, 450)
    page.mouse.up()
    assert page.locator("#viewport").get_attribute("transform") != before

    shot = page.screenshot(path=str(tmp_path / "mexico.png"))
    assert errors == []
    assert requests == [page_file.as_uri()], f"the page fetched: {requests}"
    page.close()
    _assert_not_blank(browser, shot)


def _assert_not_blank(browser: Any, png: bytes) -> None:
    """The screenshot has many colours, not one flat fill (decoded by the browser itself)."""
    import base64

    page = browser.new_page()
    colours, most, total = page.evaluate(
        """async (data) => {
            const image = new Image();
            image.src = "data:image/png;base64," + data;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.width; canvas.height = image.height;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, image.width, image.height).data;
            const counts = new Map();
            for (let i = 0; i < pixels.length; i += 4) {
                const key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
                counts.set(key, (counts.get(key) || 0) + 1);
            }
            return [counts.size, Math.max(...counts.values()), pixels.length / 4];
        }""",
        base64.b64encode(png).decode(),
    )
    page.close()
    assert colours > 50
    assert most < 0.97 * total
