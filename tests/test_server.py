"""``mxgraph serve``'s SPARQL 1.1 Protocol endpoint, through real clients and a real server.

The server is a real ``mxgraph serve`` process on 127.0.0.1 (see
``tests/servers.py``); the clients are httpx, SPARQLWrapper, rdflib's
``SPARQLStore`` and curl; every answer is read by a real parser (json,
xml.etree, csv, pyoxigraph, rdflib) and compared with what the same query
gives locally.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest

from mxgraph.namespaces import PREFIXES
from mxgraph.query import GraphResult, SelectResult, run_query
from mxgraph.store import ONTOLOGY_GRAPH, open_store

from .conftest import Listener
from .servers import Server, start_mxgraph

#: Limits of the server under test: short enough to test, long enough for every fast query.
TIMEOUT = 2
MAX_ROWS = 1000

#: Hashes and matches 2765² pairs: about 16 s of work, so it always runs into the limit.
LONG = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
    "FILTER(REGEX(SHA512(CONCAT(STR(?c), STR(?f))), '^(a|b)+c')) }"
)

COUNTRIES = "SELECT ?c ?l WHERE { ?c a mx:Country ; skos:prefLabel ?l } ORDER BY ?l"
CONSTRUCT = "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a mx:Country ; skos:prefLabel ?l }"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``mxgraph serve`` on the bundled graph with a 2 s time limit and 1,000 rows at most."""
    folder = tmp_path_factory.mktemp("serve")
    server = start_mxgraph(folder, "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(served: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.base, timeout=30) as http:
        yield http


@pytest.fixture(scope="module")
def local() -> SelectResult:
    result = run_query(open_store(), COUNTRIES)
    assert isinstance(result, SelectResult)
    return result


def _local_graph(sparql: str) -> set[tuple[str, str, str]]:
    result = run_query(open_store(), sparql)
    assert isinstance(result, GraphResult)
    return {(t.subject.value, t.predicate.value, t.object.value) for t in result}  # type: ignore[union-attr]


def _labels(result: SelectResult) -> list[tuple[str, str]]:
    return [(row[0].value, row[1].value) for row in result.rows]  # type: ignore[union-attr]


# -- result formats, each read by its own parser ----------------------------------------------


def test_select_as_json(client: httpx.Client, local: SelectResult) -> None:
    answer = client.get("/sparql", params={"query": COUNTRIES})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/sparql-results+json"
    document = json.loads(answer.content)
    assert document["head"]["vars"] == ["c", "l"]
    rows = [(b["c"]["value"], b["l"]["value"]) for b in document["results"]["bindings"]]
    assert rows == _labels(local)
    assert document["results"]["bindings"][0]["l"]["xml:lang"] == "en"


def test_select_as_xml(client: httpx.Client, local: SelectResult) -> None:
    answer = client.post(
        "/sparql", data={"query": COUNTRIES}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(answer.content)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["c", "l"]
    rows = [
        (
            result.find("r:binding[@name='c']/r:uri", ns).text,  # type: ignore[union-attr]
            result.find("r:binding[@name='l']/r:literal", ns).text,  # type: ignore[union-attr]
        )
        for result in root.findall("r:results/r:result", ns)
    ]
    assert rows == _labels(local)


def test_select_as_csv(client: httpx.Client, local: SelectResult) -> None:
    answer = client.post(
        "/sparql",
        content=COUNTRIES.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["c", "l"]
    assert [tuple(row) for row in rows[1:]] == _labels(local)


def test_select_as_tsv(client: httpx.Client, local: SelectResult) -> None:
    answer = client.get(
        "/sparql", params={"query": COUNTRIES}, headers={"Accept": "text/tab-separated-values"}
    )
    assert answer.status_code == 200
    parsed = ox.parse_query_results(answer.content, ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)
    rows = [tuple(solution[v] for v in ("c", "l")) for solution in parsed]
    assert rows == list(local.rows)  # TSV keeps the terms: language tags and all


@pytest.mark.parametrize(
    ("accept", "parse"),
    [
        ("application/sparql-results+json", lambda body: json.loads(body)["boolean"]),
        (
            "application/sparql-results+xml",
            lambda body: (
                ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text  # type: ignore[union-attr]
                == "true"
            ),
        ),
    ],
)
def test_ask(client: httpx.Client, accept: str, parse) -> None:  # type: ignore[no-untyped-def]
    for sparql, expected in (
        ("ASK { mxd:mexico a mx:Country }", True),
        ("ASK { mxd:mexico a mx:Treaty }", False),
    ):
        answer = client.get("/sparql", params={"query": sparql}, headers={"Accept": accept})
        assert answer.status_code == 200
        assert parse(answer.content) is expected


GRAPH_FORMATS = [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
    ("application/trig", "trig"),
    ("application/n-quads", "nquads"),
]


@pytest.mark.parametrize(("accept", "rdflib_format"), GRAPH_FORMATS)
def test_construct_in_every_rdf_format(
    client: httpx.Client, accept: str, rdflib_format: str
) -> None:
    import rdflib

    answer = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == accept
    graph = rdflib.Dataset() if rdflib_format in ("trig", "nquads") else rdflib.Graph()
    graph.parse(data=answer.content, format=rdflib_format)
    served = {(str(s), str(p), str(o)) for s, p, o, *_ in _triples(graph)}
    expected = _local_graph(CONSTRUCT)
    assert served == expected
    assert len(expected) > 5


def _triples(graph):  # type: ignore[no-untyped-def]
    import rdflib

    if isinstance(graph, rdflib.Dataset):
        return list(graph.quads((None, None, None, None)))
    return list(graph)


def test_construct_parsed_by_oxigraph(client: httpx.Client) -> None:
    answer = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
    served = {quad.triple for quad in ox.parse(answer.content, ox.RdfFormat.TURTLE)}
    local_result = run_query(open_store(), CONSTRUCT)
    assert served == set(local_result)  # type: ignore[arg-type]


def test_triple_terms_and_odd_literals_survive_every_result_format() -> None:
    from mxgraph.server.site import ResultFormat, write_results

    literal = ox.Literal('tab\there\nnewline "quoted" \\ back', language="es-mx")
    triple = ox.Triple(ox.NamedNode("http://ex.org/a"), ox.NamedNode("http://ex.org/p"), literal)
    rows = SelectResult(("x", "y"), ((literal, None), (triple, ox.BlankNode("b1"))))
    for result_format, parser in (
        (ResultFormat.JSON, ox.QueryResultsFormat.JSON),
        (ResultFormat.XML, ox.QueryResultsFormat.XML),
        (ResultFormat.TSV, ox.QueryResultsFormat.TSV),
    ):
        parsed = ox.parse_query_results(write_results(rows, result_format), parser)
        assert isinstance(parsed, ox.QuerySolutions)
        read = [(s["x"], s["y"]) for s in parsed]
        assert read[0] == (literal, None)
        assert read[1][0] == triple and isinstance(read[1][1], ox.BlankNode)


# -- content negotiation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/*;q=0.2, text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
    ],
)
def test_accept_with_q_values(client: httpx.Client, accept: str, expected: str) -> None:
    answer = client.get("/sparql", params={"query": "SELECT * {} "}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == expected


def test_negotiated_answers_vary_by_accept(client: httpx.Client) -> None:
    answer = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://app.example"}
    )
    assert {v.strip() for v in answer.headers["vary"].split(",")} == {"Accept", "Origin"}


def test_format_parameter_wins_over_accept(client: httpx.Client) -> None:
    answer = client.get(
        "/sparql", params={"query": COUNTRIES, "format": "csv"}, headers={"Accept": "text/xml"}
    )
    assert answer.headers["content-type"].startswith("text/csv")


def test_what_cannot_be_given_is_406_with_the_formats_there_are(client: httpx.Client) -> None:
    answer = client.get("/sparql", params={"query": COUNTRIES}, headers={"Accept": "text/html"})
    assert answer.status_code == 406
    assert answer.text == (
        "a SELECT or ASK answer is SPARQL results: accept one of application/sparql-results+json, "
        "application/sparql-results+xml, text/csv, text/tab-separated-values\n"
    )
    answer = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert answer.status_code == 406
    assert answer.text == (
        "a CONSTRUCT or DESCRIBE answer is RDF: accept one of text/turtle, "
        "application/n-triples, application/ld+json, application/rdf+xml, application/trig, "
        "application/n-quads\n"
    )


# -- read-only and offline --------------------------------------------------------------------


UPDATE = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
READ_ONLY = (
    "this endpoint is read-only: SPARQL updates are refused (load data with mxgraph load, "
    "then serve the store)\n"
)


def test_updates_are_refused_and_change_nothing(client: httpx.Client) -> None:
    answer = client.post("/sparql", data={"update": UPDATE})
    assert (answer.status_code, answer.text) == (400, READ_ONLY)
    answer = client.post(
        "/sparql", content=UPDATE, headers={"Content-Type": "application/sparql-update"}
    )
    assert (answer.status_code, answer.text) == (400, READ_ONLY)
    answer = client.get("/sparql", params={"query": UPDATE})
    assert answer.status_code == 400
    assert answer.text.startswith("INSERT is refused: queries are read-only")
    check = client.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"})
    assert check.json()["boolean"] is False


def test_service_load_and_outside_from_are_refused(
    client: httpx.Client, listener: Listener
) -> None:
    for sparql, start in (
        (f"SELECT * {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE is refused"),
        (f"SELECT * FROM <{listener.url}/x> {{ ?s ?p ?o }}", "FROM <"),
        (f"LOAD <{listener.url}/x.ttl>", "LOAD is refused"),
    ):
        answer = client.get("/sparql", params={"query": sparql})
        assert answer.status_code == 400, sparql
        assert answer.text.startswith(start) and answer.text.count("\n") == 1
    time.sleep(0.2)
    assert listener.connections == []


def test_refusals_give_no_command_line_advice(client: httpx.Client, listener: Listener) -> None:
    expected = {
        f"SELECT * {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}": (
            "SERVICE is refused: a local query may not call remote endpoints "
            "(this endpoint is read-only and offline)\n"
        ),
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }": (
            "INSERT is refused: queries are read-only (this endpoint is read-only and offline)\n"
        ),
    }
    for sparql, message in expected.items():
        answer = client.post("/sparql", data={"query": sparql})
        assert (answer.status_code, answer.text) == (400, message)
    time.sleep(0.2)
    assert listener.connections == []


# -- limits -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_query_past_the_time_limit_is_an_error_not_a_cut_answer(client: httpx.Client) -> None:
    started = time.monotonic()
    answer = client.get("/sparql", params={"query": LONG})
    elapsed = time.monotonic() - started
    assert (answer.status_code, answer.text) == (
        503,
        f"query stopped after {TIMEOUT} s (the server's time limit)\n",
    )
    assert TIMEOUT <= elapsed < TIMEOUT + 1.5


def test_the_client_may_ask_for_a_shorter_limit(client: httpx.Client) -> None:
    started = time.monotonic()
    answer = client.get("/sparql", params={"query": LONG, "timeout": "500"})
    assert (answer.status_code, answer.text) == (
        503,
        "query stopped after 0.5 s (the timeout the request asked for)\n",
    )
    assert time.monotonic() - started < 1.5
    # and the server still answers at once afterwards (the worker was replaced)
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_answers_past_max_rows_are_refused(client: httpx.Client) -> None:
    answer = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert (answer.status_code, answer.text) == (
        422,
        f"the answer has more than {MAX_ROWS:,} rows (--max-rows {MAX_ROWS}); add a LIMIT or "
        "narrow the query\n",
    )
    answer = client.get("/sparql", params={"query": f"SELECT * {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"})
    assert answer.status_code == 200
    assert len(answer.json()["results"]["bindings"]) == MAX_ROWS
    answer = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert answer.status_code == 422
    assert answer.text.startswith(f"the answer has more than {MAX_ROWS:,} triples")


def test_a_huge_answer_is_refused_at_the_cap_not_read_to_the_time_limit(
    client: httpx.Client,
) -> None:
    # Billions of rows: reading them all would take the whole time limit and gigabytes.
    huge = "SELECT * { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    started = time.monotonic()
    answer = client.get("/sparql", params={"query": huge})
    assert answer.status_code == 422, answer.text
    assert time.monotonic() - started < TIMEOUT
    answer = client.get("/sparql", params={"query": "CONSTRUCT { ?a ?p ?f } WHERE " + huge[9:]})
    assert answer.status_code == 422, answer.text
    assert answer.text.startswith(f"the answer has more than {MAX_ROWS:,} triples")


# -- datasets -------------------------------------------------------------------------------------


def test_default_and_named_graph_parameters(client: httpx.Client) -> None:
    store = open_store()
    sentence = "https://w3id.org/mxgraph/id/p19s1"
    graph = ox.NamedNode(sentence)
    expected = {str(q.triple) for q in store.oxigraph.quads_for_pattern(None, None, None, graph)}
    assert expected
    answer = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "default-graph-uri": sentence},
        headers={"Accept": "application/n-triples"},
    )
    assert answer.status_code == 200
    served = {str(q.triple) for q in ox.parse(answer.content, ox.RdfFormat.N_TRIPLES)}
    assert served == expected
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    answer = client.post(
        "/sparql",
        data={
            "query": graphs,
            "named-graph-uri": [sentence, ONTOLOGY_GRAPH.value],
        },
    )
    found = [b["g"]["value"] for b in answer.json()["results"]["bindings"]]
    assert found == sorted([sentence, ONTOLOGY_GRAPH.value])
    # Only named graphs: the default graph is empty.
    answer = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }", "named-graph-uri": sentence})
    assert answer.json()["boolean"] is False
    # Without parameters every sentence graph is there.
    answer = client.get("/sparql", params={"query": graphs})
    assert len(answer.json()["results"]["bindings"]) == sum(
        1 for _ in store.oxigraph.named_graphs()
    )


def test_a_graph_the_store_does_not_hold_is_refused(client: httpx.Client) -> None:
    answer = client.get(
        "/sparql", params={"query": "ASK {}", "default-graph-uri": "http://example.org/none"}
    )
    assert answer.status_code == 400
    assert answer.text.startswith(
        "default-graph-uri <http://example.org/none> names no graph in the store"
    )


def test_from_a_sentence_graph_is_allowed(client: httpx.Client) -> None:
    sparql = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/mxgraph/id/p19s1> { ?s ?p ?o }"
    answer = client.get("/sparql", params={"query": sparql})
    assert answer.status_code == 200
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 0


# -- CORS, headers, log -------------------------------------------------------------------------


def test_cors_preflight_and_answer(client: httpx.Client) -> None:
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "http://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    answer = client.post(
        "/sparql",
        content="ASK {}",
        headers={"Origin": "http://app.example", "Content-Type": "application/sparql-query"},
    )
    assert answer.headers["access-control-allow-origin"] == "*"


def test_head_and_plain_options(client: httpx.Client) -> None:
    options = client.options("/sparql")
    assert options.status_code == 204
    assert options.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    get = client.get("/sparql", params={"query": "ASK {}"})
    head = client.head("/sparql", params={"query": "ASK {}"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]
    assert client.head("/sparql").headers["content-type"].startswith("text/turtle")
    refused = client.delete("/sparql")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD, POST, OPTIONS"


@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/sparql?query=%zz", "/nowhere"])
def test_every_response_has_the_security_headers(client: httpx.Client, path: str) -> None:
    answer = client.get(path)
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"


def test_one_log_line_per_request(served: Server, client: httpx.Client) -> None:
    client.get("/sparql", params={"query": "ASK { ?s ?p 'log-marker' }"})
    client.get("/no-such-page-for-the-log")
    time.sleep(0.2)
    assert served.log is not None
    lines = served.log.read_text().splitlines()
    assert any(
        line.startswith("GET /no-such-page-for-the-log 404 ") and line.endswith(" ms")
        for line in lines
    )
    assert any(line.startswith("GET /sparql 200 ") for line in lines)
    assert all("log-marker" not in line for line in lines)  # paths only, no query text


def test_a_path_cannot_forge_a_log_line(served: Server) -> None:
    import http.client

    # Sent as is (httpx would re-encode it): a newline, a fake line, a colour escape and a NUL.
    forged = "/id/x%0aGET%20/admin%20200%201.0%20ms%0d%1b%5b31mRED%00"
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    connection.request("GET", forged)
    assert connection.getresponse().status == 404
    connection.close()
    time.sleep(0.2)
    assert served.log is not None
    text = served.log.read_text()
    assert f"GET {forged} 404 " in text  # the path as it was sent, on its own line
    assert not any(line.startswith("GET /admin") for line in text.splitlines())
    assert "\x1b" not in text and "\x00" not in text and "\r" not in text


# -- the service description -------------------------------------------------------------------


def test_service_description(served: Server, client: httpx.Client) -> None:
    import rdflib

    answer = client.get("/sparql")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=answer.content, format="turtle")
    sd = rdflib.Namespace(SD)
    service = rdflib.URIRef(served.query_url)
    assert (service, rdflib.RDF.type, sd.Service) in graph
    assert (service, sd.endpoint, service) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    formats = {str(o) for o in graph.objects(service, sd.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert len(formats) == 10
    dataset = graph.value(service, sd.defaultDataset)
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    default = graph.value(dataset, sd.defaultGraph)
    assert int(graph.value(default, void.triples)) == len(open_store())
    names = {str(graph.value(named, sd.name)) for named in graph.objects(dataset, sd.namedGraph)}
    assert ONTOLOGY_GRAPH.value in names
    assert len(names) == sum(1 for _ in open_store().oxigraph.named_graphs())


def test_the_service_description_does_not_reflect_the_host_header(
    served: Server, client: httpx.Client
) -> None:
    answer = client.get("/sparql", headers={"Host": "evil.example"})
    assert answer.status_code == 200
    assert b"evil.example" not in answer.content
    assert f"<{served.query_url}>".encode() in answer.content


def test_a_browser_is_sent_to_the_query_page(client: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    answer = client.get("/sparql", headers={"Accept": browser})
    assert (answer.status_code, answer.headers["location"]) == (303, "query")
    page = client.get("/sparql", headers={"Accept": browser}, follow_redirects=True)
    assert page.status_code == 200 and "<textarea" in page.text


def test_service_description_in_json_ld(client: httpx.Client) -> None:
    answer = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert answer.status_code == 200
    quads = list(ox.parse(answer.content, ox.RdfFormat.JSON_LD))
    assert any(q.object == ox.NamedNode(SD + "SPARQL11Query") for q in quads)


# -- bad requests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status", "message"),
    [
        (
            "GET",
            "/sparql?query=SELECT%20*%20%7B",
            None,
            None,
            400,
            "SPARQL syntax error at line 1, column 11: expected ",
        ),
        (
            "GET",
            "/sparql?query=ASK%7B%7D%0ASELECT",
            None,
            None,
            400,
            "SPARQL syntax error at line 2, column 7: expected one of HAVING",
        ),
        ("GET", "/sparql?query=%zz", None, None, 400, "malformed percent-encoding in the value"),
        ("GET", "/sparql?query=%ff", None, None, 400, "the value of query is not UTF-8"),
        (
            "GET",
            "/sparql?query=ASK%7B%7D&query=ASK%7B%7D",
            None,
            None,
            400,
            "the request holds 2 query parameters; send one",
        ),
        ("GET", "/sparql?query=%20", None, None, 400, "the query is empty"),
        (
            "POST",
            "/sparql",
            b"",
            "application/x-www-form-urlencoded",
            400,
            "the request holds no query",
        ),
        (
            "POST",
            "/sparql",
            b"ASK {}",
            "text/plain",
            415,
            "cannot read a POST body of type text/plain",
        ),
        (
            "POST",
            "/sparql",
            b"ASK {}",
            "application/sparql-query; charset=latin-1",
            415,
            "the body must be UTF-8",
        ),
        ("POST", "/sparql", b"\xff", "application/sparql-query", 400, "the query is not UTF-8"),
        ("GET", "/sparql?query=ASK%7B%7D&timeout=soon", None, None, 400, "timeout must be"),
        ("PUT", "/sparql", b"x", "text/turtle", 405, "PUT is not allowed here"),
    ],
)
def test_bad_requests_are_4xx_with_one_line(
    client: httpx.Client,
    method: str,
    path: str,
    body: bytes | None,
    content_type: str | None,
    status: int,
    message: str,
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    answer = client.request(method, path, content=body, headers=headers)
    assert answer.status_code == status
    assert answer.text.startswith(message), answer.text
    assert answer.text.count("\n") == 1
    assert answer.headers["content-type"].startswith("text/plain")


def test_a_huge_body_is_413(client: httpx.Client) -> None:
    body = b"query=" + b"x" * (2 << 20)
    answer = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert answer.status_code == 413
    assert answer.text.startswith("the request body (")


def _get(served: Server, target: str) -> tuple[int, str]:
    import http.client

    # httpx refuses long URLs itself; http.client sends them.
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.request("GET", target, headers={"Accept": "application/sparql-results+json"})
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        connection.close()


def test_a_long_url_is_414_telling_to_post(served: Server) -> None:
    status, text = _get(served, "/sparql?query=" + "x" * (64 << 10))
    assert status == 414
    assert text == (
        "the URL's query string (65,542 bytes) is longer than the 65,536 bytes taken: send a "
        "long query by POST (as application/sparql-query or a form, up to 1,048,576 bytes)\n"
    )


def test_a_huge_url_is_refused_before_it_is_read_whole(served: Server) -> None:
    # Far past the 64 KiB taken: refused by the HTTP layer while reading the headers.
    try:
        status, _ = _get(served, "/sparql?query=" + "x" * (1 << 20))
    except (ConnectionResetError, BrokenPipeError):
        status = 400  # the server answered 400 and closed while the client still wrote
    assert status == 400
    status, text = _get(served, "/sparql?query=ASK%20%7B%7D")  # the server goes on
    assert status == 200, text


def test_a_get_query_of_60_kib_is_answered(served: Server) -> None:
    padding = "#" + "x" * (60 << 10) + "\n"
    status, text = _get(served, "/sparql?query=" + quote(padding + "ASK {}"))
    assert status == 200, text
    assert json.loads(text)["boolean"] is True


@pytest.mark.slow
def test_the_time_limit_of_one_query_does_not_hold_up_others(client: httpx.Client) -> None:
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = pool.submit(client.get, "/sparql", params={"query": LONG})
        time.sleep(0.2)
        started = time.monotonic()
        for _ in range(20):
            assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        fast = time.monotonic() - started
        assert slow.result().status_code == 503
    assert fast < 1.5  # 20 small queries while the slow one runs


# -- real clients ---------------------------------------------------------------------------------


def test_sparqlwrapper(served: Server, local: SelectResult) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    wrapper = SPARQLWrapper(served.query_url)
    wrapper.setQuery(f"PREFIX mx: <{PREFIXES['mx']}> PREFIX skos: <{PREFIXES['skos']}> {COUNTRIES}")
    wrapper.setReturnFormat(JSON)
    document = wrapper.query().convert()
    rows = [(b["c"]["value"], b["l"]["value"]) for b in document["results"]["bindings"]]  # type: ignore[index]
    assert rows == _labels(local)


def test_rdflib_sparqlstore(served: Server, local: SelectResult) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(served.query_url)
    rows = [
        (str(c), str(label))
        for c, label in store.query(
            f"PREFIX mx: <{PREFIXES['mx']}> PREFIX skos: <{PREFIXES['skos']}> {COUNTRIES}"
        )
    ]
    assert rows == _labels(local)
    assert bool(store.query("ASK { ?s ?p ?o }")) is True


def test_curl(served: Server, local: SelectResult) -> None:
    curl = shutil.which("curl")
    if curl is None:
        if os.environ.get("CI"):
            pytest.fail("curl is missing; CI must run this test")
        pytest.skip("curl is not installed")
    done = subprocess.run(
        [
            curl,
            "-s",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            f"query={COUNTRIES}",
            served.query_url,
        ],
        capture_output=True,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(done.stdout.decode())))
    assert [tuple(row) for row in rows[1:]] == _labels(local)
    big = subprocess.run(
        [
            curl,
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--data-binary",
            "@-",
            "-H",
            "Content-Type: application/sparql-query",
            served.query_url,
        ],
        input=b"#" * (3 << 20),
        capture_output=True,
        check=True,
    )
    assert big.stdout == b"413"


# -- answers kept for the next request ---------------------------------------------------


def _site_without_workers(answer_cache: int) -> tuple[object, list[str]]:
    """A Site whose queries are recorded as they reach evaluation (in a child per query)."""
    from mxgraph.server.site import ServeConfig, Site

    site = Site(open_store(), ServeConfig(answer_cache=answer_cache))
    evaluated: list[str] = []
    run = site._run

    def recorded(request, deadline, ticket=None):  # type: ignore[no-untyped-def]
        evaluated.append(request.sparql)
        return run(request, deadline, ticket)

    site._run = recorded  # type: ignore[method-assign]
    return site, evaluated


def test_the_same_query_in_the_same_format_is_answered_once() -> None:
    from mxgraph.server.site import GraphFormat, ResultFormat

    site, evaluated = _site_without_workers(64 << 20)
    first = site.render(COUNTRIES, ResultFormat.CSV, None)  # type: ignore[attr-defined]
    again = site.render(COUNTRIES, ResultFormat.CSV, None)  # type: ignore[attr-defined]
    assert again == first and first.media_type == "text/csv"
    assert len(evaluated) == 1
    # Another format, another dataset or another text is another question.
    as_json = site.render(COUNTRIES, ResultFormat.JSON, GraphFormat.TURTLE)  # type: ignore[attr-defined]
    assert json.loads(as_json.body)["results"]["bindings"]
    from mxgraph.query import Dataset

    ontology_only = site.render(  # type: ignore[attr-defined]
        COUNTRIES, ResultFormat.CSV, None, dataset=Dataset((ONTOLOGY_GRAPH.value,))
    )
    assert ontology_only.body.splitlines() == [b"c,l"]
    site.render(COUNTRIES + " LIMIT 1", ResultFormat.CSV, None)  # type: ignore[attr-defined]
    assert len(evaluated) == 4


def test_errors_are_not_kept_and_a_zero_cache_keeps_nothing() -> None:
    from mxgraph.errors import QuerySyntaxError
    from mxgraph.server.site import ResultFormat

    site, evaluated = _site_without_workers(64 << 20)
    for _ in range(2):
        with pytest.raises(QuerySyntaxError):
            site.render("SELEC ?x {}", ResultFormat.CSV, None)  # type: ignore[attr-defined]
    assert len(evaluated) == 2
    site, evaluated = _site_without_workers(0)
    for _ in range(2):
        site.render(COUNTRIES, ResultFormat.CSV, None)  # type: ignore[attr-defined]
    assert len(evaluated) == 2


def test_a_repeated_request_gets_the_same_bytes_and_each_format_its_own(
    client: httpx.Client,
) -> None:
    query = COUNTRIES + " # asked twice"
    answers = [
        client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        for accept in ("text/csv", "text/csv", "application/sparql-results+json", "text/csv")
    ]
    assert [a.status_code for a in answers] == [200] * 4
    assert answers[0].content == answers[1].content == answers[3].content
    assert answers[1].headers["content-type"].startswith("text/csv")
    assert answers[2].headers["content-type"].startswith("application/sparql-results+json")
    assert json.loads(answers[2].content)["results"]["bindings"]


def test_answers_that_change_each_time_are_not_kept() -> None:
    from mxgraph.server.site import ResultFormat

    site, evaluated = _site_without_workers(64 << 20)
    query = "SELECT (STRUUID() AS ?u) {}"
    for _ in range(2):
        site.render(query, ResultFormat.CSV, None)  # type: ignore[attr-defined]
    assert len(evaluated) == 2 and len(site.answers) == 0  # type: ignore[attr-defined]


def test_a_long_query_counts_its_text_against_the_cache() -> None:
    from mxgraph.server.site import GraphFormat, ResultFormat

    site, _ = _site_without_workers(64 << 20)
    long_query = "ASK {} #" + "x" * 500_000
    site.render(long_query, ResultFormat.JSON, None)  # type: ignore[attr-defined]
    assert site.answers.weight > 500_000  # type: ignore[attr-defined]
    small, _ = _site_without_workers(100_000)
    small.render(long_query, ResultFormat.JSON, None)  # type: ignore[attr-defined]
    assert len(small.answers) == 0  # type: ignore[attr-defined]
    none, _ = _site_without_workers(0)
    empty = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(false) }"
    assert none.render(empty, None, GraphFormat.NT).body == b""  # type: ignore[attr-defined]
    assert len(none.answers) == 0  # type: ignore[attr-defined]
