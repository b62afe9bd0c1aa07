"""The pages of ``mxgraph serve`` in real headless Chromium: follow links, run queries, draw.

``mxgraph serve`` (a real process on 127.0.0.1) serves the bundled graph;
Playwright drives Debian's chromium (never a
downloaded browser). Every request the browser makes is recorded: none may go
to another host, and the console must stay free of errors (a script or style
the Content-Security-Policy refused would show there). Without chromium or
Playwright these tests skip, except in CI, where they fail.

With ``MXGRAPH_SCREENSHOT`` set, the entity page's screenshot is written to
``docs/serve-entity-page.png`` (the README's picture); otherwise to a temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .servers import start_mxgraph
from .test_viz_browser import _assert_not_blank, chromium_context

pytestmark = pytest.mark.slow

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "serve-entity-page.png"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``mxgraph serve`` of the bundled graph (a real process), for the module."""
    server = start_mxgraph(tmp_path_factory.mktemp("serve"))
    yield server.base
    server.stop()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from chromium_context(tmp_path_factory, 1280, 860)


class Recorder:
    """A page's requests and console errors, for the checks at the end of a test."""

    def __init__(self, page: Any) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.failed: list[tuple[int, str]] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "response",
            lambda r: (
                self.failed.append((r.status, urlsplit(r.url).path)) if r.status >= 400 else None
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )

    def check(self, served: str, failed: tuple[tuple[int, str], ...] = ()) -> None:
        """No request left the server, only the ``failed`` answers were errors, and no
        script failed or was refused."""
        server = urlsplit(served).netloc
        elsewhere = [url for url in self.requests if urlsplit(url).netloc != server]
        assert elsewhere == [], f"requests to other hosts: {elsewhere}"
        assert self.failed == list(failed)
        # An error answer is also a console line; anything else there is a script error or a
        # CSP refusal.
        others = [e for e in self.errors if not e.startswith("Failed to load resource")]
        assert others == []


def test_follow_a_relation_to_the_other_entity_and_its_source_sentence(
    chromium: Any, served: str, tmp_path: Path
) -> None:
    page = chromium.new_page()
    record = Recorder(page)
    page.goto(f"{served}/id/usaid")
    assert page.locator("h1").inner_text() == "U.S. Agency for International Development"
    assert page.locator("a.wikidata").get_attribute("href") == (
        "http://www.wikidata.org/entity/Q217072"
    )
    # The stylesheet applied (served from /static/ under the CSP).
    colour = page.locator("header.site").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(18, 55, 42)"

    # The neighbourhood drawing renders in its frame (its script is a file of this server).
    frame = page.frame_locator("iframe.drawing")
    frame.locator("body[data-rendered=true]").wait_for(timeout=20_000)
    labels = frame.locator("g.node").evaluate_all("nodes => nodes.map(n => n.dataset.label)")
    assert labels[0] == "U.S. Agency for International Development"
    assert "United States" in labels

    shot = tmp_path / "entity.png"
    if os.environ.get("MXGRAPH_SCREENSHOT"):
        shot = SCREENSHOT
    # The top of the page: the entity, its drawing, and its first relations with their sources.
    png = page.screenshot(
        path=str(shot), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": 1300}
    )

    page.locator("li.relation a", has_text="USAID programs under the Merida Initiative").click()
    page.wait_for_url(f"{served}/id/usaid-merida-programs")
    assert page.locator("h1").inner_text() == "USAID programs under the Merida Initiative"
    relation = page.locator("li.relation", has_text="run by")
    assert "—run by→ U.S. Agency for International Development" in relation.inner_text()
    quote = relation.locator("blockquote.cite").first
    assert quote.inner_text().startswith("“U.S. Agency for International Development (USAID)")
    assert "mxd:p19s1 characters 8724–8891" in quote.inner_text()

    # "in the source" opens the fact sheet with that sentence highlighted (CSS :target).
    quote.locator("a.in-source").click()
    page.wait_for_url(f"{served}/id/fact-sheet#p19s1")
    target = page.locator("a.sentence:target")
    assert target.get_attribute("id") == "p19s1"
    assert target.inner_text().startswith("U.S. Agency for International Development (USAID)")
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 229, 138)"
    other = page.locator("#p19s2").evaluate("e => getComputedStyle(e).backgroundColor")
    assert other == "rgba(0, 0, 0, 0)"

    record.check(served)
    page.close()
    _assert_not_blank(chromium, png)


def test_run_a_named_query_and_a_query_of_ones_own_from_the_home_page(
    chromium: Any, served: str
) -> None:
    page = chromium.new_page()
    record = Recorder(page)
    page.goto(f"{served}/")
    assert "Triples" in page.locator("#statistics").inner_text()
    page.locator('a[href$="queries/usaid-programs"]').click()  # a relative link
    page.wait_for_url(f"{served}/queries/usaid-programs")
    headers = page.locator("table.results th").all_inner_texts()
    assert headers == ["program", "under", "aim", "source"]
    rows = page.locator("table.results tbody tr")
    assert rows.count() >= 2
    source = rows.first.locator("q.source a").first
    source.wait_for(timeout=5000)
    assert source.evaluate("a => a.href") in {
        f"{served}/id/fact-sheet#p19s1",
        f"{served}/id/fact-sheet#p19s2",
    }

    page.goto(f"{served}/query")
    page.locator("textarea#sparql").fill(
        "SELECT ?org WHERE { mxd:mexico mx:memberOf ?org } ORDER BY ?org"
    )
    page.locator("form.query button").click()
    page.wait_for_selector("table.results")
    links = page.locator("table.results a").evaluate_all(
        "links => links.map(a => [a.href, a.textContent])"
    )
    oecd = [f"{served}/id/oecd", "Organization for Economic Cooperation and Development"]
    assert oecd in links

    page.locator("textarea#sparql").fill("SELECT ?x\nWHERE { ?x ?p ?o } LIMIT x")
    page.locator("form.query button").click()
    page.wait_for_selector(".error-box")
    assert (
        page.locator(".error-box p.error")
        .inner_text()
        .startswith("SPARQL syntax error at line 2, column 26")
    )
    assert page.locator("pre.listing .bad").inner_text().startswith("2WHERE { ?x ?p ?o } LIMIT x")

    page.locator("header.site input[name=q]").fill("merida")
    page.locator("header.site input[name=q]").press("Enter")
    page.wait_for_url(f"{served}/search?q=merida")
    assert page.locator("ol.hits li").first.locator("a").inner_text() == "Merida Initiative"

    record.check(served, ((400, "/query"),))
    page.close()
