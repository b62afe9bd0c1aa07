"""Local queries stay read-only and offline: refused before they run, never connecting."""

from __future__ import annotations

import pytest

from mxgraph.errors import QueryRefused
from mxgraph.query import run_query
from mxgraph.safety import check_query
from mxgraph.store import MxStore

from .conftest import Listener
from .test_offline import refused_network_queries


def test_network_access_is_refused_and_nothing_connects(
    tiny_store: MxStore, listener: Listener
) -> None:
    for sparql in refused_network_queries(listener.url):
        with pytest.raises(QueryRefused):
            run_query(tiny_store, sparql)
        with pytest.raises(QueryRefused):
            run_query(tiny_store, sparql, allow_update=True)
    assert listener.connections == []


@pytest.mark.parametrize(
    ("sparql", "word"),
    [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <http://a>", "DROP"),
        ("CREATE GRAPH <http://a>", "CREATE"),
        ("ADD DEFAULT TO <http://a>", "ADD"),
        ("MOVE DEFAULT TO <http://a>", "MOVE"),
        ("COPY DEFAULT TO <http://a>", "COPY"),
        ("WITH <http://a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ],
)
def test_updates_are_refused(tiny_store: MxStore, sparql: str, word: str) -> None:
    with pytest.raises(QueryRefused, match=rf"^{word} is refused: queries are read-only"):
        run_query(tiny_store, sparql)
    assert len(tiny_store) == 9


def test_messages_are_one_line_and_name_the_feature() -> None:
    with pytest.raises(QueryRefused) as caught:
        check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    assert str(caught.value) == (
        "SERVICE is refused: a local query may not call remote endpoints (use --allow-network)"
    )
    with pytest.raises(QueryRefused, match=r"^LOAD is refused"):
        check_query("LOAD <http://x/>", allow_update=True)


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * { ?s ?p 'SERVICE <http://x/>' }",
        'SELECT * { ?s ?p """multi\nline LOAD <http://x/> INSERT""" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://x/> { } DELETE",
        "SELECT ?service ?load { ?service ?p ?load }",
        "PREFIX ex: <http://example.org/>\nSELECT * { ?s ex:service ex:insert }",
        'SELECT * { ?s ?p "x"@drop }',
        "SELECT * { ?s <http://example.org/SERVICE> ?o }",
        "SELECT * FROM <https://w3id.org/mxgraph/graph/ontology> { ?s ?p ?o }",
        "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
        'SELECT * { ?s ?p "it\'s \\" SERVICE" }',
    ],
)
def test_keywords_inside_strings_comments_iris_and_names_are_not_refused(sparql: str) -> None:
    assert check_query(sparql, store_graphs=("https://w3id.org/mxgraph/graph/ontology",)) == "query"


def test_allowed_when_asked() -> None:
    assert check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", allow_network=True)
    assert check_query("DELETE WHERE { ?s ?p ?o }", allow_update=True) == "update"
    assert check_query("LOAD <http://x/>", allow_update=True, allow_network=True) == "update"


def test_escaped_keyword_is_not_a_keyword_to_oxigraph_either(tiny_store: MxStore) -> None:
    from mxgraph.errors import QuerySyntaxError

    with pytest.raises(QuerySyntaxError):
        run_query(tiny_store, "SELECT * { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
