"""The Linked Data pages of ``mxgraph serve``, fetched over HTTP from a real server.

``mxgraph serve`` (a real process on 127.0.0.1, a free port) serves the pages of
the bundled graph for the module, and others with other options for a test;
httpx fetches them as a browser or an RDF client would.
Pages are read with the standard library's HTML parser; RDF answers are parsed
by pyoxigraph and rdflib. Traversal attempts go through ``http.client``, which
sends a path exactly as written.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import os
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pyoxigraph as ox
import pytest

from mxgraph.lookup import graph_stats
from mxgraph.namespaces import MX, MXD, SCHEMA, WD
from mxgraph.query import list_named_queries
from mxgraph.resources import ontology_files, source_text_path
from mxgraph.server import pages
from mxgraph.server.site import CONTENT_SECURITY_POLICY
from mxgraph.store import MxStore, open_store

from .servers import start_mxgraph

USAID = MXD.usaid


# --- a real server ------------------------------------------------------------------------


@contextlib.contextmanager
def serving(folder: Path, *options: str) -> Iterator[httpx.Client]:
    """A client of ``mxgraph serve --port 0 OPTIONS`` (a real process), stopped afterwards."""
    server = start_mxgraph(folder, *options)
    try:
        with httpx.Client(base_url=server.base, timeout=30, headers={"Accept": "text/html"}) as c:
            yield c
    finally:
        server.stop()


@pytest.fixture(scope="module")
def store() -> MxStore:
    return open_store()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``mxgraph serve`` of the bundled graph, for the module."""
    server = start_mxgraph(tmp_path_factory.mktemp("serve"))
    yield server.base
    server.stop()


@pytest.fixture(scope="module")
def client(served: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served, timeout=30, headers={"Accept": "text/html"}) as c:
        yield c


# --- reading pages ------------------------------------------------------------------------


@dataclass
class Page(HTMLParser):
    """What a test reads from HTML: links with their text, elements' ids and text by tag.

    Links are read as a browser follows them: resolved against the page's ``url``, and
    written as a path when they stay on the server (``../id/usaid`` from ``/id/chile`` is
    ``/id/usaid``); ``raw_links`` keeps the hrefs as written.
    """

    url: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    raw_links: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    scripts: list[dict[str, str | None]] = field(default_factory=list)
    styles: int = 0
    style_attributes: int = 0
    _open: list[tuple[str, dict[str, str | None], list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    _VOID = frozenset({"meta", "link", "input", "br", "img", "hr"})
    _BLOCKS = frozenset({"td", "th", "tr", "li", "dt", "dd", "p", "div", "blockquote", "h3"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts.append(found)
        if tag == "style":
            self.styles += 1
        if "style" in found:
            self.style_attributes += 1
        if tag not in self._VOID:
            self._open.append((tag, found, []))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            name, attrs, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if self._open:
                gap = " " if name in self._BLOCKS else ""
                self._open[-1][2].append(gap + "".join(parts) + gap)
            if name == "a" and attrs.get("href") is not None:
                self.links.append((self.resolve(str(attrs["href"])), text))
                self.raw_links.append(str(attrs["href"]))
            if attrs.get("id"):
                self.ids[str(attrs["id"])] = text
            self.texts.setdefault(name, []).append(text)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)

    def resolve(self, href: str) -> str:
        """``href`` as a browser on :attr:`url` reads it: a path when it stays on the server."""
        if not self.url:
            return href
        full = urljoin(self.url, href)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.url))
        return full[len(origin) :] if full.startswith(origin + "/") else full

    def hrefs(self) -> set[str]:
        return {href for href, _ in self.links}

    def link_to(self, href: str) -> str:
        """The text of the first link to ``href``."""
        return next(text for h, text in self.links if h == href)


def read(response: httpx.Response) -> Page:
    assert response.headers["content-type"].startswith("text/html"), response.text[:300]
    page = Page(url=str(response.url))
    page.feed(response.text)
    page.close()
    return page


# --- entity pages ---------------------------------------------------------------------------


def test_usaid_page_shows_label_types_aliases_wikidata_relations_and_sources(
    client: httpx.Client,
) -> None:
    response = client.get("/id/usaid")
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept"
    page = read(response)
    assert page.texts["h1"][0] == "U.S. Agency for International Development"
    assert page.link_to("/id/fact-sheet") == "Fact sheet"  # in every page's header
    assert page.link_to("/ontology#USGovernmentAgency") == "U.S. government agency"
    assert "USAID; United States Agency for International Development" in page.texts["dd"]
    assert page.link_to(str(WD.Q217072)) == "Q217072"
    # Each relation links to the other entity's page, once (runs / run by shown once).
    relations = [li.split(" “")[0] for li in page.texts["li"] if li.startswith(("—", "←"))]
    assert relations == [
        "—agency of→ United States",
        "—publishes→ USAID Mexico Page",
        "—runs→ USAID programs under the Merida Initiative",
    ]  # runs / run by: one link, shown once
    assert page.texts["h2"][:2] == ["Neighbourhood", "Relations (3)"]
    assert page.link_to("/id/united-states") == "United States"
    assert page.link_to("/id/usaid-merida-programs") == "USAID programs under the Merida Initiative"
    assert page.link_to("/id/usaid-mexico-page") == "USAID Mexico Page"
    # Under each relation, the sentence that states it, with offsets and a link into the source.
    quotes = page.texts["blockquote"]
    assert any(
        q.startswith("“U.S. Agency for International Development (USAID) programs under the "
                     "Merida Initiative support Mexican efforts")
        and "mxd:p19s1 characters 8724–8891 · in the source" in q
        for q in quotes
    )  # fmt: skip
    assert "/id/p19s1" in page.hrefs()
    assert "/id/fact-sheet#p19s1" in page.hrefs()
    assert {"/id/usaid?format=ttl", "/id/usaid?format=jsonld", "/id/usaid?format=nt"} <= (
        page.hrefs()
    )


def test_a_relation_link_leads_to_the_other_entity_with_its_sources(
    client: httpx.Client,
) -> None:
    start = read(client.get("/id/usaid"))
    target = next(
        h for h, text in start.links if text == "USAID programs under the Merida Initiative"
    )
    page = read(client.get(target))
    assert page.texts["h1"][0] == "USAID programs under the Merida Initiative"
    assert page.link_to("/id/usaid") == "U.S. Agency for International Development"
    assert any(
        li.startswith("—run by→ U.S. Agency for International Development")
        for li in page.texts["li"]
    )
    assert any("mxd:p19s2 characters 8892–9074" in q for q in page.texts["blockquote"])


def test_figures_show_value_unit_time_and_qualifier_words(client: httpx.Client) -> None:
    page = read(client.get("/id/us-mexico-border"))
    amounts = [dd for dd in page.texts["dd"] if "ports of entry" in dd or "miles" in dd]
    assert amounts == ["55 ports of entry", "2,000 miles"]
    assert (
        "100,000 to under 1,000,000 border crossings per day (hundreds of thousands)"
        in page.texts["dd"]
    )
    assert "“hundreds of thousands” (order of magnitude)" in page.texts["dd"]
    assert "the fact sheet's present (date not stated)" in page.texts["dd"]
    assert "/id/fact-ports-of-entry" in page.hrefs()


def test_the_fact_sheet_page_has_each_sentence_as_an_anchor_to_highlight(
    client: httpx.Client,
) -> None:
    page = read(client.get("/id/fact-sheet"))
    text = source_text_path().read_text(encoding="utf-8")
    assert page.ids["p19s1"] == text[8724:8891]
    assert page.ids["p03s2"].startswith("The two countries share a 2,000-mile border")
    css = client.get("/static/style.css").text
    assert re.search(r"a\.sentence:target[^{]*\{[^}]*background", css)


def test_a_sentence_iri_dereferences_to_its_text_and_statements(client: httpx.Client) -> None:
    page = read(client.get("/id/p19s1"))
    assert page.texts["h1"][0] == "Sentence mxd:p19s1"
    assert page.texts["blockquote"][0].startswith("“U.S. Agency for International Development")
    assert "characters 8724–8891" in page.texts["dd"]
    assert "/id/fact-sheet#p19s1" in page.hrefs()
    rows = [tr for tr in page.texts["tr"] if "agency of" in tr]
    assert rows == ["U.S. Agency for International Development agency of United States"]
    assert page.link_to("/ontology#runs") == "runs"


def test_other_nodes_list_their_triples(client: httpx.Client) -> None:
    page = read(client.get("/id/p19s1-position"))
    assert page.texts["h1"][0] == "mxd:p19s1-position"
    rows = page.texts["tr"]
    assert "mxd:p19s1-position start 8724 xsd:integer" in rows
    assert "mxd:p19s1 has selector mxd:p19s1-position" in rows
    assert page.link_to("/id/p19s1") == "mxd:p19s1"


def test_the_drawing_is_viz_offline_page_with_its_code_as_files(client: httpx.Client) -> None:
    page_html = client.get("/id/usaid")
    assert "frame-src 'self'" in page_html.headers["content-security-policy"]
    assert "/id/usaid/drawing" in read(page_html).hrefs()
    response = client.get("/id/usaid/drawing")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy and "script-src 'self'" in policy
    page = read(response)
    assert page.styles == 0 and page.style_attributes == 0
    assert [s.get("src") for s in page.scripts] == [None, "../../static/drawing.js"]
    assert page.link_to("/id/usaid") == "← U.S. Agency for International Development"
    assert page.scripts[0]["type"] == "application/json"
    data = response.text.split('type="application/json">', 1)[1].split("</script>", 1)[0]
    assert f'"id": "{USAID}"' in data and '"center": true' in data
    assert client.get("/static/drawing.js").text.lstrip().startswith("(function ()")
    assert client.get("/id/p19s1/drawing").status_code == 404


# --- content negotiation ------------------------------------------------------------------

RDF_CASES = [
    ("text/turtle", "ttl", ox.RdfFormat.TURTLE),
    ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    ("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML),
    ("application/trig", "trig", ox.RdfFormat.TRIG),
    ("application/n-quads", "nq", ox.RdfFormat.N_QUADS),
]


@pytest.mark.parametrize(
    ("media_type", "name", "rdf_format"), RDF_CASES, ids=[c[1] for c in RDF_CASES]
)
def test_rdf_by_accept_and_by_format_parameter(
    client: httpx.Client, media_type: str, name: str, rdf_format: ox.RdfFormat
) -> None:
    by_accept = client.get("/id/usaid", headers={"Accept": f"{media_type}, text/html;q=0.5"})
    by_name = client.get(f"/id/usaid?format={name}")
    for response in (by_accept, by_name):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        assert response.headers["vary"] == "Accept"
    assert by_accept.content == by_name.content
    quads = list(ox.parse(by_accept.content, rdf_format))
    triples = {q.triple for q in quads}
    usaid = ox.NamedNode(USAID)
    assert ox.Triple(usaid, ox.NamedNode(SCHEMA.sameAs), ox.NamedNode(WD.Q217072)) in triples
    runs = ox.Triple(usaid, ox.NamedNode(MX.runs), ox.NamedNode(MXD["usaid-merida-programs"]))
    assert runs in triples
    # Labels of linked entities, and the cited sentences with their quotes.
    assert (
        ox.Triple(ox.NamedNode(MXD["united-states"]),
                  ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                  ox.Literal("United States", language="en"))
        in triples
    )  # fmt: skip
    exact = ox.NamedNode("http://www.w3.org/ns/oa#exact")
    assert any(
        t.subject == ox.NamedNode(MXD["p19s1-quote"]) and t.predicate == exact for t in triples
    )
    graphs = {q.graph_name for q in quads if q.triple == runs}
    if name in ("trig", "nq", "jsonld"):  # each statement in the graph of each sentence
        assert graphs == {ox.DefaultGraph(), ox.NamedNode(MXD.p19s1), ox.NamedNode(MXD.p19s2)}
    else:
        assert graphs == {ox.DefaultGraph()}


def test_rdflib_reads_turtle_and_json_ld(client: httpx.Client) -> None:
    import rdflib

    for media_type, syntax in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        graph = rdflib.Graph()
        graph.parse(
            data=client.get("/id/usaid", headers={"Accept": media_type}).text, format=syntax
        )
        assert (
            rdflib.URIRef(USAID),
            rdflib.URIRef(SCHEMA.sameAs),
            rdflib.URIRef(WD.Q217072),
        ) in graph


@pytest.mark.parametrize("accept", ["image/png", "application/sparql-results+json"])
def test_what_cannot_be_given_is_406(client: httpx.Client, accept: str) -> None:
    response = client.get("/id/usaid", headers={"Accept": accept})
    assert response.status_code == 406
    assert response.text.startswith("error: cannot give any of ")
    assert "text/turtle" in response.text and response.text.count("\n") == 1


ACCEPT_CASES = [
    ("application/*", "application/ld+json"),
    ("application/json", "application/ld+json"),
    ("text/html;q=0, application/json", "application/ld+json"),
    ("application/xml", "application/rdf+xml"),
    ("text/plain", "application/n-triples"),
]


@pytest.mark.parametrize(("accept", "media_type"), ACCEPT_CASES, ids=[c[0] for c in ACCEPT_CASES])
def test_an_accept_header_gets_the_format_sparql_gives_for_it(
    client: httpx.Client, accept: str, media_type: str
) -> None:
    response = client.get("/id/usaid", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None
    triples = {q.triple for q in ox.parse(response.content, rdf_format)}
    usaid = ox.NamedNode(USAID)
    assert ox.Triple(usaid, ox.NamedNode(SCHEMA.sameAs), ox.NamedNode(WD.Q217072)) in triples
    if "*" not in accept:  # a wildcard is free to be answered in either's first choice
        # /sparql answers the same media type with the same format.
        described = client.get(
            "/sparql", params={"query": "DESCRIBE mxd:usaid"}, headers={"Accept": accept}
        )
        assert described.headers["content-type"].split(";")[0] == media_type


def test_application_xhtml_is_the_html_page(client: httpx.Client) -> None:
    response = client.get("/id/usaid", headers={"Accept": "application/xhtml+xml"})
    assert read(response).texts["h1"][0] == "U.S. Agency for International Development"


def test_an_unknown_format_parameter_is_406_naming_the_known_ones(client: httpx.Client) -> None:
    response = client.get("/id/usaid?format=xlsx")
    assert response.status_code == 406
    assert response.text == (
        "error: unknown format 'xlsx'; use one of html, ttl, jsonld, nt, rdf, trig, nq\n"
    )


def test_ontology_page_anchors_and_file(client: httpx.Client) -> None:
    page = read(client.get("/ontology"))
    assert page.ids["Country"].startswith("country mx:Country class")
    assert page.ids["runs"].startswith("runs mx:runs")
    assert "inverse of run by" in page.ids["runs"]
    # Every type an entity page links to has its anchor here.
    usaid = read(client.get("/id/usaid"))
    for href in usaid.hrefs():
        if href.startswith("/ontology#"):
            assert href.split("#")[1] in page.ids, href
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.content == ontology_files()[0].read_bytes()
    nt = client.get("/ontology?format=nt")
    triples = {q.triple for q in ox.parse(nt.content, ox.RdfFormat.N_TRIPLES)}
    assert ox.Triple(ox.NamedNode(MX.runs), ox.NamedNode("http://www.w3.org/2002/07/owl#inverseOf"),
                     ox.NamedNode(MX.runBy)) in triples  # fmt: skip


# --- base URL, 404, traversal ---------------------------------------------------------------


def test_base_url_makes_iri_links_point_there(tmp_path: Path) -> None:
    with serving(tmp_path, "--base-url", "https://example.org/mx/") as test_client:
        page = read(test_client.get("/id/usaid"))
    hrefs = page.hrefs()
    assert "https://example.org/mx/id/united-states" in hrefs
    assert "https://example.org/mx/id/fact-sheet#p19s1" in hrefs
    assert "https://example.org/mx/ontology#USGovernmentAgency" in hrefs
    assert page.link_to("https://example.org/mx/ontology") == "Ontology"
    assert page.link_to("https://example.org/mx/id/fact-sheet") == "Fact sheet"
    # The server's own pages stay on this server: the drawing, the data formats, the query page.
    own = {h for h in hrefs if h.startswith("/")}
    assert own == {
        "/", "/query", "/id/usaid/drawing",
        *(f"/id/usaid?format={f}" for f in ("ttl", "jsonld", "nt", "rdf", "trig", "nq")),
    }  # fmt: skip


def test_an_unknown_entity_is_404_with_search_results(client: httpx.Client) -> None:
    response = client.get("/id/merida")
    assert response.status_code == 404
    page = read(response)
    assert page.texts["h1"][0] == "Not found"
    assert "The graph says nothing about https://w3id.org/mxgraph/id/merida." in page.texts["p"]
    assert page.link_to("/id/merida-initiative") == "Merida Initiative"
    as_rdf = client.get("/id/merida", headers={"Accept": "text/turtle"})
    assert as_rdf.status_code == 404
    assert (
        as_rdf.text == "error: The graph says nothing about https://w3id.org/mxgraph/id/merida.\n"
    )


def test_any_unknown_path_is_404_with_search_results_for_its_last_segment(
    client: httpx.Client,
) -> None:
    response = client.get("/agencies/usaid")
    assert response.status_code == 404
    page = read(response)
    assert page.link_to("/id/usaid") == "U.S. Agency for International Development"


def test_a_named_query_that_does_not_exist_is_404(client: httpx.Client) -> None:
    response = client.get("/queries/no-such-query")
    assert response.status_code == 404
    assert "There is no named query 'no-such-query'." in read(response).texts["p"]


TRAVERSALS = [
    "/static/../pyproject.toml",
    "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%2f..%2f..%2f..%2fpyproject.toml",
    "/static/%2fetc%2fpasswd",
    "/static//etc/passwd",
    "/static/%252e%252e%252fpyproject.toml",
    "/static/style.css%00.txt",
    "/static/..\\..\\pyproject.toml",
    "/id/../../../../etc/passwd",
    "/id/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/id/..%2f..%2f..%2fetc%2fpasswd",
    "/ontology/../../pyproject.toml",
    "//etc/passwd",
    "/id/%2Fetc%2Fpasswd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_reads_a_file_outside_the_static_ones(served: str, path: str) -> None:
    host, port = served.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", path, headers={"Accept": "text/html"})
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    assert response.status in (400, 404), (path, response.status)
    assert "root:" not in body and "[project]" not in body and "[build-system]" not in body


# --- home, search, named queries --------------------------------------------------------------


def test_home_links_every_named_query_and_shows_the_statistics(
    client: httpx.Client, store: MxStore
) -> None:
    page = read(client.get("/"))
    hrefs = page.hrefs()
    for query in list_named_queries():
        assert f"/queries/{query.name}" in hrefs
    stats = graph_stats(store)
    assert f"{stats.triples:,}" in page.texts["dd"]
    assert page.texts["ol"][0].startswith("Mexico (")
    assert 'action="./search" method="get"' in client.get("/").text


def test_search_links_hits_to_pages(client: httpx.Client) -> None:
    page = read(client.get("/search", params={"q": "merida"}))
    assert (
        page.links[[h for h, _ in page.links].index("/id/merida-initiative")][1]
        == "Merida Initiative"
    )
    assert "merida" in client.get("/search", params={"q": "merida"}).text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zzqxv", "No entity's label, alias or description contains every word of “zzqxv” "
                  "(case and accents are ignored)."),
        ("", "Type a name, an alias or words of a description."),
    ],
)  # fmt: skip
def test_an_empty_search_says_why(client: httpx.Client, text: str, message: str) -> None:
    response = client.get("/search", params={"q": text})
    assert response.status_code == 200
    assert message in read(response).texts["p"]


def test_a_named_query_runs_and_links_iris_and_source_sentences(client: httpx.Client) -> None:
    response = client.get("/queries/usaid-programs")
    assert response.status_code == 200
    page = read(response)
    assert page.texts["h1"][0] == "USAID programs under the Merida Initiative"
    assert page.texts["th"] == ["program", "under", "aim", "source"]
    sources = [href for href in page.hrefs() if href.startswith("/id/fact-sheet#")]
    assert {"/id/fact-sheet#p19s1", "/id/fact-sheet#p19s2"} <= set(sources)
    table = read(client.get("/queries/agreements"))
    assert any(href.startswith("/id/") for href in table.hrefs() - {"/id/fact-sheet"})


# --- the query page -------------------------------------------------------------------------


def test_the_query_page_starts_with_the_prefixes_and_an_example(client: httpx.Client) -> None:
    response = client.get("/query")
    page = read(response)
    textarea = page.texts["textarea"][0]
    raw = re.search(r"<textarea[^>]*>(.*?)</textarea>", response.text, re.DOTALL)
    assert raw is not None
    lines = html.unescape(raw[1]).splitlines()
    assert lines[0] == "# These prefixes are predeclared (no PREFIX lines needed):"
    assert lines[1] == "#   mx: <https://w3id.org/mxgraph/ontology#>"
    assert "#   mxd: <https://w3id.org/mxgraph/id/>" in lines
    assert "mx:Country" in textarea
    label = page.texts["label"][0]
    assert "mx:, mxd:, org:, schema:" in label
    # The example runs as it stands.
    ran = read(client.post("/query", data={"query": html.unescape(raw[1])}))
    assert ran.texts["th"] == ["country", "organization"]
    assert ran.link_to("/id/oecd") == "Organization for Economic Cooperation and Development"


def test_a_submitted_query_shows_a_results_table_with_links(client: httpx.Client) -> None:
    sparql = "SELECT ?c ?label WHERE { ?c a mx:Country ; skos:prefLabel ?label } ORDER BY ?label"
    response = client.post("/query", data={"query": sparql})
    assert response.status_code == 200
    page = read(response)
    assert page.texts["th"] == ["c", "label"]
    assert page.link_to("/id/mexico") == "Mexico"
    assert page.texts["textarea"][0] == sparql
    ask = read(client.get("/query", params={"query": "ASK { mxd:mexico a mx:Country }"}))
    assert "The answer is yes." in ask.texts["p"]


def test_a_syntax_error_is_400_at_its_line_and_column_with_the_line_marked(
    client: httpx.Client,
) -> None:
    sparql = "SELECT ?x\nWHERE { ?x ?p ?o } LIMIT x\n# end"
    response = client.post("/query", data={"query": sparql})
    assert response.status_code == 400
    page = read(response)
    assert page.texts["p"][0] == (
        'SPARQL syntax error at line 2, column 26 (near "x"): expected one of HAVING, OFFSET, '
        "OPTIONAL, VALUES"
    )
    marked = re.search(r'<span class="bad">(.*?)</span>\n</span>', response.text, re.DOTALL)
    assert marked is not None
    assert "WHERE { ?x ?p ?o } LIMIT x" in marked[1]
    caret = re.search(r'<span class="caret"><span class="ln"></span>( *)\^</span>', response.text)
    assert caret is not None and len(caret[1]) == 25


@pytest.mark.parametrize(
    ("sparql", "status", "message"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 400, "SERVICE"),
        ("INSERT DATA { mxd:a mxd:b mxd:c }", 400, "update"),
        ("   ", 400, "the query is empty"),
    ],
    ids=["service", "update", "empty"],
)
def test_refusals_are_4xx_with_a_message(
    client: httpx.Client, sparql: str, status: int, message: str
) -> None:
    response = client.post("/query", data={"query": sparql})
    assert response.status_code == status
    error = read(response).texts["p"][0]
    assert message in error


def test_a_too_large_answer_and_a_timeout_are_messages_not_cut_results(tmp_path: Path) -> None:
    with serving(tmp_path, "--max-rows", "3", "--timeout", "1") as test_client:
        response = test_client.post("/query", data={"query": "SELECT ?c { ?c a mx:Country }"})
        assert response.status_code == 422
        assert read(response).texts["p"][0] == (
            "the answer has more than 3 rows (--max-rows 3); add a LIMIT or narrow the query"
        )
        assert "<table" not in response.text
        slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.monotonic()
        response = test_client.post("/query", data={"query": slow})
        assert time.monotonic() - started < 5
        assert response.status_code == 503
        assert read(response).texts["p"][0] == "query stopped after 1 s (--timeout)"


def test_a_huge_query_is_413(client: httpx.Client) -> None:
    response = client.post("/query", data={"query": "#" * (pages.MAX_QUERY + 1)})
    assert response.status_code == 413


# --- safety of what pages show --------------------------------------------------------------

HOSTILE = """\
@prefix mxd: <https://w3id.org/mxgraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix mx: <https://w3id.org/mxgraph/ontology#> .
mxd:evil skos:prefLabel "<script>alert(1)</script>" ;
    mx:partOf <javascript:alert(2)> , mxd:good ;
    <http://schema.org/address> [ <http://schema.org/streetAddress> "1 Main St" ;
                                  <http://schema.org/geo> [ <http://schema.org/latitude> 19.4 ] ] .
mxd:good skos:prefLabel "Good \\" onmouseover=\\"x" .
"""


def test_labels_are_escaped_only_http_links_are_made_and_blank_nodes_described(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hostile.ttl"
    path.write_text(HOSTILE, encoding="utf-8")
    with serving(tmp_path, "--data", str(path), "--no-bundled") as test_client:
        response = test_client.get("/id/evil")
        turtle = test_client.get("/id/evil", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    page = read(response)
    assert not any(h.lower().startswith("javascript:") for h in page.hrefs())
    assert page.link_to("/id/good") == 'Good " onmouseover="x'
    assert "Fact sheet" not in page.texts["a"]  # no fact sheet in this graph
    # The description holds the blank nodes it points to, nested ones too.
    triples = {q.triple for q in ox.parse(turtle.content, ox.RdfFormat.TURTLE)}
    values = {t.object.value for t in triples if isinstance(t.object, ox.Literal)}
    assert {"1 Main St", "19.4"} <= values


def test_pages_have_no_inline_code_and_use_only_this_servers_files(client: httpx.Client) -> None:
    for path in ("/", "/id/usaid", "/id/fact-sheet", "/id/p19s1", "/query", "/ontology",
                 "/search?q=usaid", "/queries/embassy", "/id/nowhere"):  # fmt: skip
        response = client.get(path)
        page = read(response)
        policy = response.headers["content-security-policy"]
        assert policy.startswith(CONTENT_SECURITY_POLICY), path
        assert page.styles == 0 and page.style_attributes == 0, path
        assert all(s.get("src") or s.get("type") == "application/json" for s in page.scripts)
        for tag in re.findall(r"<(?:link|script|img|iframe)\b[^>]*>", response.text):
            for url in re.findall(r'(?:src|href)="([^"]*)"', tag):
                if url == "data:,":  # the empty icon: no /favicon.ico request
                    continue
                # Relative, so that the page works under a proxy's path prefix too.
                assert not url.startswith("/") and ":" not in url, (path, tag)
                if tag.startswith("<link"):
                    assert client.get(page.resolve(url)).status_code == 200, url


def test_a_kept_page_is_the_page_rendered_first(client: httpx.Client) -> None:
    for path, accept in (("/id/chile", "text/html"), ("/id/chile", "text/turtle")):
        first = client.get(path, headers={"Accept": accept})
        again = client.get(path, headers={"Accept": accept})
        assert again.content == first.content
        for name in ("content-type", "content-security-policy", "vary", "content-length"):
            assert again.headers[name] == first.headers[name]
    html = client.get("/id/chile", headers={"Accept": "text/html"})
    turtle = client.get("/id/chile", headers={"Accept": "text/turtle"})
    assert html.content != turtle.content


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("GET", "/id/%FF", None, "the path is not UTF-8 once percent-decoded"),
        ("GET", "/search?q=%FF%FE", None, "the query string is not UTF-8 once percent-decoded"),
        ("GET", "/query?query=%C3", None, "the query string is not UTF-8 once percent-decoded"),
        ("POST", "/query", b"query=%FF", "the form is not UTF-8 text"),
    ],
    ids=["path", "search", "query", "form"],
)
def test_bad_percent_encoding_is_400_with_a_message(
    client: httpx.Client, method: str, path: str, body: bytes | None, message: str
) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    response = client.request(method, path, content=body, headers=headers)
    assert response.status_code == 400
    if response.headers["content-type"].startswith("text/plain"):
        assert response.text == f"error: {message}\n"
    else:
        assert message in read(response).texts["p"]


def test_a_long_answer_shows_its_first_thousand_rows_and_says_so(client: httpx.Client) -> None:
    response = client.post("/query", data={"query": "SELECT * { ?s ?p ?o } LIMIT 1500"})
    assert response.status_code == 200
    page = read(response)
    assert (
        "1,500 rows; the first 1,000 are shown here (/sparql gives the whole answer)"
        in page.texts["p"]
    )
    assert len(page.texts["tr"]) == 1 + 1000  # the header and the rows shown


def test_the_readme_shows_what_the_server_answers(client: httpx.Client) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Serve it", 1)[1].split("\n## ", 1)[0]
    refused = client.get("/id/usaid", headers={"Accept": "image/png"})
    shown = next(line for line in section.splitlines() if line.startswith("error: cannot give"))
    assert refused.text == shown + "\n"
    asked = client.post(
        "/sparql",
        data={"query": "ASK { mxd:mexico a mx:Country }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert asked.text.strip() in section.splitlines()
    assert "![" in section and (Path(__file__).resolve().parent.parent / "docs" /
                                "serve-entity-page.png").is_file()  # fmt: skip


# --- behind a proxy at a path prefix ----------------------------------------------------------


@contextlib.contextmanager
def prefix_proxy(prefix: str) -> Iterator[tuple[str, list[str]]]:
    """A reverse proxy on 127.0.0.1 that serves what ``target[0]`` serves under ``prefix``
    (as a web server in front of ``mxgraph serve`` would); yields its base URL and the
    one-element list to put the target's base URL in, once known."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    target: list[str] = []

    class Forward(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if not self.path.startswith(prefix):
                self.send_error(404, "outside the proxy's prefix")
                return
            upstream = httpx.get(
                target[0] + "/" + self.path[len(prefix) :],
                headers={"Accept": self.headers.get("Accept", "*/*")},
                timeout=30,
            )
            self.send_response(upstream.status_code)
            for name in ("content-type", "location"):
                if name in upstream.headers:
                    self.send_header(name, upstream.headers[name])
            self.send_header("Content-Length", str(len(upstream.content)))
            self.end_headers()
            self.wfile.write(upstream.content)

        def log_message(self, *args: object) -> None:
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    thread = Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}{prefix}", target
    finally:
        proxy.shutdown()
        proxy.server_close()


@pytest.mark.slow
def test_behind_a_proxy_at_a_path_prefix_every_link_stays_under_it(tmp_path: Path) -> None:
    with prefix_proxy("/mx/") as (base, target):
        server = start_mxgraph(tmp_path, "--base-url", base)
        target.append(server.base)
        try:
            checked: dict[str, int] = {}
            kinds: dict[str, int] = {}
            for path in ("", "id/usaid", "id/usaid/drawing", "id/p19s1", "id/fact-sheet",
                         "query", "search?q=usaid", "ontology", "queries/embassy",
                         "id/nowhere"):  # fmt: skip
                response = httpx.get(base + path, headers={"Accept": "text/html"}, timeout=30)
                assert response.status_code == (404 if path == "id/nowhere" else 200), path
                # Every link, stylesheet, script, frame and form of the page, as the browser
                # resolves it: on this server it is under the prefix; and it answers there
                # (checked for the first three of each kind: static, id, query, ...).
                urls = re.findall(r'(?:href|src|action)="([^"]*)"', response.text)
                for url in sorted({urljoin(str(response.url), html.unescape(u)) for u in urls}):
                    if url == "data:," or not url.startswith("http://127.0.0.1"):
                        continue
                    assert url.startswith(base), (path, url)
                    page_url = url.split("#")[0]
                    kind = page_url[len(base) :].split("/")[0].split("?")[0]
                    if page_url in checked or kinds.get(kind, 0) >= 3:
                        continue
                    kinds[kind] = kinds.get(kind, 0) + 1
                    checked[page_url] = httpx.get(page_url, timeout=30).status_code
                    assert checked[page_url] == 200, (path, url)
            assert {base + "static/style.css", base + "static/drawing.js"} <= set(checked)
            assert {base, base + "ontology", base + "query"} <= set(checked)
            assert sum(url.startswith(base + "id/") for url in checked) == 3
        finally:
            server.stop()


# --- what a POST to /query costs the server -------------------------------------------------


def _peak_memory_kb(pid: int) -> int:
    """The process's peak resident memory (VmHWM), in kB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None
    return int(match[1])


def _post_huge(port: int, declared: bool, size: int) -> bytes:
    """POST ``size`` bytes of form to /query over a raw socket (with a Content-Length, or
    chunked), writing until the server answers or closes; the server's answer."""
    import socket
    import threading

    head = "POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    head += "Content-Type: application/x-www-form-urlencoded\r\n"
    head += f"Content-Length: {size}\r\n\r\n" if declared else "Transfer-Encoding: chunked\r\n\r\n"
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    chunk = b"query=" + b"%23" * ((1 << 20) // 3)

    def write() -> None:
        try:
            connection.sendall(head.encode())
            sent = 0
            while sent < size:
                piece = chunk[: size - sent]
                if declared:
                    connection.sendall(piece)
                else:
                    connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            if not declared:
                connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed: the rest is not read

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            data = connection.recv(65536)
            if not data:
                break
            answer += data
    finally:
        connection.close()
        writer.join(30)
    return answer


@pytest.mark.slow
def test_a_huge_form_is_413_without_the_server_reading_it_into_memory(tmp_path: Path) -> None:
    server = start_mxgraph(tmp_path)
    try:
        pid = server.process.pid
        httpx.post(f"{server.base}/query", data={"query": "ASK {}"}, timeout=30)
        before = _peak_memory_kb(pid)
        for declared in (True, False):
            answer = _post_huge(server.port, declared, 400 << 20)
            assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
        grown = _peak_memory_kb(pid) - before
        # 400 MB were sent twice; at most 16 MiB of one are read (and dropped).
        assert grown < 40 << 10, f"the server grew by {grown:,} kB"
        response = httpx.post(f"{server.base}/query", data={"query": "#" * (2 << 20)}, timeout=30)
        assert response.status_code == 413
        assert read(response).texts["p"][0] == (
            "the request body (6,291,462 bytes or more) is larger than the 1,048,576 bytes taken"
        )
    finally:
        server.stop()


@pytest.mark.parametrize("path", ["/query", "/sparql"])
def test_a_client_leaving_while_it_posts_is_no_error_in_the_log(tmp_path: Path, path: str) -> None:
    import socket

    server = start_mxgraph(tmp_path)
    try:
        connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode() + b""
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
            b"query=SELECT"
        )
        time.sleep(0.3)
        connection.close()
        deadline = time.monotonic() + 10
        assert server.log is not None
        while f"POST {path}" not in server.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert httpx.get(f"{server.base}/query", timeout=30).status_code == 200
        log = server.log.read_text()
        assert f"POST {path} 499 " in log
        assert "Traceback" not in log and " 500 " not in log, log[-2000:]
    finally:
        server.stop()


@pytest.mark.slow
def test_abandoned_slow_queries_on_the_query_page_free_their_workers(tmp_path: Path) -> None:
    import threading

    server = start_mxgraph(tmp_path, "--workers", "2", "--timeout", "20")
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

    def abandon() -> None:
        with contextlib.suppress(httpx.TimeoutException):
            httpx.post(f"{server.base}/query", data={"query": slow}, timeout=1)

    try:
        clients = [threading.Thread(target=abandon) for _ in range(4)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        started = time.monotonic()
        response = httpx.get(
            f"{server.base}/search",
            params={"q": "usaid"},
            headers={"Accept": "text/html"},
            timeout=30,
        )
        waited = time.monotonic() - started
        assert response.status_code == 200
        # Each abandoned query's worker is stopped within a poll (0.25 s) of its client
        # leaving; without that, the search would wait for their 20 s limit.
        assert waited < 3, f"the search waited {waited:.1f} s"
        assert server.log is not None
        deadline = time.monotonic() + 5
        while server.log.read_text().count("POST /query 499 ") < 4:
            assert time.monotonic() < deadline, server.log.read_text()[-2000:]
            time.sleep(0.1)
    finally:
        server.stop()


# --- statuses of pages that fail ---------------------------------------------------------------


def test_a_query_whose_process_dies_is_503(tmp_path: Path) -> None:
    import threading

    server = start_mxgraph(tmp_path, "--workers", "1", "--max-memory", "4G")
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    answers: list[httpx.Response] = []
    try:
        pid = server.process.pid
        # Two zygotes: the user queries' (one worker, --workers 1) and the lookups' (two).
        zygotes = map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
        workers = [
            [int(w) for w in Path(f"/proc/{z}/task/{z}/children").read_text().split()]
            for z in zygotes
        ]
        ((worker,),) = [below for below in workers if len(below) == 1]
        asking = threading.Thread(
            target=lambda: answers.append(
                httpx.post(f"{server.base}/query", data={"query": slow}, timeout=30)
            )
        )
        asking.start()
        time.sleep(1)
        os.kill(worker, signal.SIGKILL)
        asking.join(30)
        (response,) = answers
        assert response.status_code == 503
        assert read(response).texts["p"][0] == (
            "stopped: the process evaluating the query died: it needed more memory than the "
            "server's limit of 4 GB, or it was killed from outside"
        )
    finally:
        server.stop()


def test_a_page_whose_lookups_fail_is_503_whatever_the_failure() -> None:
    import asyncio

    from mxgraph.errors import MemoryLimitExceeded, MxGraphError, QueryTimeout
    from mxgraph.server.site import ServeConfig, Site

    handlers = pages.Pages(Site(open_store(bundled=False), ServeConfig()))
    for error, heading in (
        (MemoryLimitExceeded("stopped: it needed more than 1 GB of memory"), "Not available"),
        (MxGraphError("query failed: the evaluating process died"), "Not available"),
        (QueryTimeout("query stopped after 1 s (--timeout)"), "Too slow"),
    ):

        def work(error: MxGraphError = error) -> httpx.Response:
            raise error

        response = asyncio.run(handlers.run(work, "../"))  # type: ignore[arg-type]
        assert response.status_code == 503
        page = Page()
        page.feed(bytes(response.body).decode())
        assert page.texts["h1"] == [heading] and page.texts["p"][0] == str(error)
        assert 'href="../static/style.css"' in bytes(response.body).decode()


def test_a_404_page_runs_one_bounded_search(monkeypatch: pytest.MonkeyPatch) -> None:
    from mxgraph.server.site import ServeConfig, Site

    searches: list[tuple[str, float | None]] = []
    real = pages.search_entities

    def counted(source: object, text: str, **options: object) -> object:
        searches.append((text, source.deadline.remaining()))  # type: ignore[attr-defined]
        return real(source, text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(pages, "search_entities", counted)
    handlers = pages.Pages(Site(open_store(), ServeConfig()))
    path = "merida-initiative-and-more-words-than-anyone-types"
    response = handlers.not_found(path, "There is no page.", "../")
    assert response.status_code == 404
    ((text, left),) = searches
    assert text == "merida initiative and more words than"
    assert left is not None and left <= pages.NOT_FOUND_SECONDS


def test_warming_builds_the_pages_of_labelled_nodes_before_they_are_asked_for(
    tmp_path: Path,
) -> None:
    import asyncio

    from mxgraph.server.site import ServeConfig, Site

    path = tmp_path / "small.ttl"
    path.write_text(
        "@prefix mxd: <https://w3id.org/mxgraph/id/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix mx: <https://w3id.org/mxgraph/ontology#> .\n"
        'mxd:alpha skos:prefLabel "Alpha" ; mx:partOf mxd:beta .\n'
        'mxd:beta skos:prefLabel "Beta" .\n'
        "mxd:gamma mx:partOf mxd:beta .\n",  # no label: no page built ahead
        encoding="utf-8",
    )
    handlers = pages.Pages(Site(open_store([path], bundled=False), ServeConfig()))
    assert asyncio.run(handlers.warm()) == 2
    kept = handlers.cache.get(("node", "alpha", "html", "../"))
    assert kept is not None and kept.status_code == 200
    page = Page(url="http://127.0.0.1/id/alpha")
    page.feed(bytes(kept.body).decode())
    assert page.texts["h1"] == ["Alpha"] and page.link_to("/id/beta") == "Beta"
    assert handlers.cache.get(("node", "gamma", "html", "../")) is None
    assert asyncio.run(handlers.warm()) == 0  # every page is kept already
