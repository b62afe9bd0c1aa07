"""Running queries: typed results, bound values, syntax errors, timeouts, named queries."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from mxgraph.deadline import Deadline
from mxgraph.errors import MxGraphError, QuerySyntaxError, QueryTimeout
from mxgraph.query import (
    AskResult,
    GraphResult,
    SelectResult,
    UpdateResult,
    list_named_queries,
    load_named_query,
    parse_binding,
    parse_term,
    run_query,
)
from mxgraph.store import MxStore, load_into_store, open_store

EX = "http://example.org/"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_select_rows_with_variables(tiny_store: MxStore) -> None:
    result = run_query(
        tiny_store, "SELECT ?c ?label { ?c a mx:Country ; rdfs:label ?label } ORDER BY ?label"
    )
    assert isinstance(result, SelectResult)
    assert result.variables == ("c", "label")
    assert [(str(c), str(label)) for c, label in result] == [
        (f"<{EX}mexico>", '"Mexico"@en'),
        (f"<{EX}mexico>", '"México"@es'),
        (f"<{EX}usa>", '"United States"@en'),
    ]


def test_unbound_values_are_none(tiny_store: MxStore) -> None:
    result = run_query(tiny_store, "SELECT ?s ?x { ?s <http://example.org/code> ?o }")
    assert isinstance(result, SelectResult)
    assert result.rows == ((ox.NamedNode(EX + "secret"), None),)


def test_ask_and_construct(tiny_store: MxStore) -> None:
    assert run_query(tiny_store, "ASK { ?s <http://example.org/neighbor> ?o }") == AskResult(True)
    assert not run_query(tiny_store, "ASK { ?s <http://example.org/nothing> ?o }")
    neighbor = "<http://example.org/neighbor>"
    graph = run_query(tiny_store, f"CONSTRUCT {{ ?o {neighbor} ?s }} WHERE {{ ?s {neighbor} ?o }}")
    assert isinstance(graph, GraphResult)
    assert [str(t) for t in graph] == [f"<{EX}mexico> <{EX}neighbor> <{EX}usa>"]
    described = run_query(tiny_store, "DESCRIBE <http://example.org/secret>")
    assert isinstance(described, GraphResult) and len(described) == 1


def test_results_are_the_same_with_and_without_a_child_process(tiny_store: MxStore) -> None:
    sparql = "SELECT * { ?s ?p ?o } ORDER BY ?s ?p ?o"
    assert run_query(tiny_store, sparql, timeout=None) == run_query(tiny_store, sparql, timeout=30)


@pytest.mark.parametrize(
    ("sparql", "message"),
    [
        (
            "SELECT ?x\nWHERE { ?x ?p ?o } LIMIT x",
            'SPARQL syntax error at line 2, column 26 (near "x"): expected one of HAVING, OFFSET, '
            "OPTIONAL, VALUES",
        ),
        (
            "SELECT ?x\nWHERE { ?x foo:bar ?o }",
            'SPARQL syntax error at line 2, column 12 (near "foo:bar ?o }"): undeclared prefix '
            "foo: (declare it with PREFIX foo: <...>, or use one of mxgraph's: dct, mx, mxd, oa, "
            "org, owl, prov, rdf, rdfs, schema, sh, skos, time, vann, wd, xsd)",
        ),
        (
            "SELEC ?x WHERE { ?x ?p ?o }",
            'SPARQL syntax error at line 1, column 1 (near "SELEC"): expected SELECT, CONSTRUCT, '
            "DESCRIBE or ASK; did you mean SELECT?",
        ),
        (
            "PREFIX ex: <http://example.org/>\n  construt { ?s ?p ?o } WHERE { ?s ?p ?o }",
            'SPARQL syntax error at line 2, column 3 (near "construt"): expected SELECT, '
            "CONSTRUCT, DESCRIBE or ASK; did you mean CONSTRUCT?",
        ),
        (
            'SELECT * { ?s ?p "ééé" . FILTER(?x = ) }',
            'SPARQL syntax error at line 1, column 38 (near ") }"): expected one of ABS, AVG, DAY, '
            "IRI, MAX, MD5, MIN, NOT, ...",
        ),
    ],
)
def test_syntax_errors_give_line_and_column(tiny_store: MxStore, sparql: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(tiny_store, sparql)
    assert str(caught.value) == message


def test_runaway_query_stops_at_the_timeout() -> None:
    store = open_store(bundled=False, data=[_ontology()])
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"^query stopped after 1 s \(--timeout\)$"):
        run_query(store, RUNAWAY, timeout=1)
    assert time.monotonic() - start < 3


def test_a_spent_deadline_stops_before_evaluating(tiny_store: MxStore) -> None:
    with pytest.raises(QueryTimeout):
        run_query(tiny_store, "SELECT * { ?s ?p ?o }", timeout=Deadline.start(0))


def test_bindings_give_values_without_pasting_text(tiny_store: MxStore) -> None:
    result = run_query(
        tiny_store,
        "SELECT ?c ?name { ?c rdfs:label ?name }",
        bindings={"name": ox.Literal("México", language="es")},
    )
    assert [str(row[0]) for row in result] == [f"<{EX}mexico>"]


HOSTILE = [
    'Mexico" . ?c ?p ?o } #',
    'Mexico"@en } UNION { ?c <http://example.org/code> ?name } #',
    "Mexico'}",
    "Mexico\n} SELECT * { ?s ?p ?o }",
    "Mexico\\u0022 } #",
    "x> } #",
    "}",
    "#",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_bound_values_match_nothing(tiny_store: MxStore, value: str) -> None:
    for term in (parse_term(value), ox.Literal(value, language="en")):
        result = run_query(tiny_store, "SELECT * { ?c rdfs:label ?name }", bindings={"name": term})
        assert isinstance(result, SelectResult)
        assert result.rows == ()


def test_hostile_iri_is_refused() -> None:
    with pytest.raises(MxGraphError, match="not a valid RDF term"):
        parse_term("<http://example.org/x> } #>")


def test_bound_variable_must_be_selected(tiny_store: MxStore) -> None:
    with pytest.raises(MxGraphError, match="cannot bind a variable the query does not select"):
        run_query(tiny_store, "SELECT ?c { ?c rdfs:label ?n }", bindings={"n": ox.Literal("x")})
    with pytest.raises(MxGraphError, match="not a SPARQL variable name"):
        run_query(tiny_store, "SELECT * { ?c ?p ?n }", bindings={"bad name": ox.Literal("x")})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c=<http://example.org/mexico>", ("c", ox.NamedNode(EX + "mexico"))),
        ("?c=mx:Country", ("c", ox.NamedNode("https://w3id.org/mxgraph/ontology#Country"))),
        ("n=nope:Country", ("n", ox.Literal("nope:Country"))),
        ('n="hola"@es', ("n", ox.Literal("hola", language="es"))),
        (
            'n="3"^^xsd:integer',
            (
                "n",
                ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            ),
        ),
        ("n=a=b", ("n", ox.Literal("a=b"))),
    ],
)
def test_parse_binding(text: str, expected: tuple[str, ox.NamedNode | ox.Literal]) -> None:
    assert parse_binding(text) == expected


def test_parse_binding_needs_a_name() -> None:
    with pytest.raises(MxGraphError, match="--bind expects NAME=VALUE"):
        parse_binding("novalue")


def test_updates_run_only_when_allowed(tmp_path: Path, tiny_ttl: Path) -> None:
    load_into_store([tiny_ttl], tmp_path / "s", bundled=False)
    store = open_store(store_dir=tmp_path / "s", writable=True)
    update = "DELETE WHERE { ?s <http://example.org/code> ?o }"
    result = run_query(store, update, allow_update=True)
    assert result == UpdateResult(9, 8)


def test_named_queries_read_their_header(tmp_path: Path) -> None:
    (tmp_path / "b.rq").write_text(
        "# title: Bees\n# question: Which bees?\n# description: All of them.\nSELECT * {}\n"
    )
    (tmp_path / "a.rq").write_text("# title: Ants\nASK {}\n")
    queries = list_named_queries(tmp_path)
    assert [(q.name, q.title, q.question, q.description) for q in queries] == [
        ("a", "Ants", "", ""),
        ("b", "Bees", "Which bees?", "All of them."),
    ]
    assert load_named_query("b", tmp_path).sparql.endswith("SELECT * {}\n")
    with pytest.raises(MxGraphError, match=r"^unknown named query 'c'; available: a, b$"):
        load_named_query("c", tmp_path)


def test_bundled_named_queries_all_run() -> None:
    store = open_store()
    for named in list_named_queries():
        assert named.title, named.name
        result = run_query(store, named.sparql)
        assert isinstance(result, SelectResult | AskResult | GraphResult)


def _ontology() -> Path:
    from mxgraph.resources import ontology_files

    return ontology_files()[0]
