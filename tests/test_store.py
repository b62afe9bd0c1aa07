"""Loading RDF into the store: every format, errors with file:line:col, on-disk stores."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from mxgraph.errors import MxGraphError, RdfSyntaxError
from mxgraph.rdf_formats import RDF_FORMATS, RdfSyntax, rdf_format_for_path
from mxgraph.store import ONTOLOGY_GRAPH, MxStore, load_into_store, open_store

from .conftest import TINY_TURTLE

TINY_TRIPLES = 9


def _tiny_in(syntax: RdfSyntax) -> bytes:
    quads = ox.parse(TINY_TURTLE.encode(), ox.RdfFormat.TURTLE)
    spec = RDF_FORMATS[syntax]
    if spec.dataset:  # put the triples in a named graph: loading merges it into the default graph
        graph = ox.NamedNode("http://example.org/g")
        quads = (ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        return ox.serialize(quads, format=spec.oxigraph) or b""
    return ox.serialize((q.triple for q in quads), format=spec.oxigraph) or b""


@pytest.mark.parametrize("syntax", list(RDF_FORMATS))
def test_every_format_loads_by_extension(tmp_path: Path, syntax: RdfSyntax) -> None:
    for extension in RDF_FORMATS[syntax].extensions:
        path = tmp_path / f"tiny.{extension}"
        path.write_bytes(_tiny_in(syntax))
        store = open_store([path], bundled=False)
        assert len(store) == TINY_TRIPLES, extension
        assert {t.subject for t in store} >= {ox.NamedNode("http://example.org/mexico")}


def test_data_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_bytes(_tiny_in(RdfSyntax.NT))
    with pytest.raises(MxGraphError, match=r"unknown RDF file extension '\.txt'"):
        open_store([path], bundled=False)
    assert len(open_store([path], bundled=False, data_format=RdfSyntax.NT)) == TINY_TRIPLES


def test_stdin_is_read_as_turtle(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(TINY_TURTLE.encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert len(open_store(["-"], bundled=False)) == TINY_TRIPLES


def test_format_for_path_is_case_insensitive() -> None:
    assert rdf_format_for_path("X.TTL").name == "turtle"
    assert rdf_format_for_path("x.owl").name == "xml"


@pytest.mark.parametrize(
    ("text", "line", "column", "detail"),
    [
        (
            "@prefix ex: <http://e/> .\nex:a ex:b ex:c ;\n  ex:d  .\n",
            3,
            9,
            ". is not a valid RDF object",
        ),
        ("ex:a ex:b ex:c .\n", 1, 1, "The prefix ex: has not been declared"),
        ('<http://a> <http://b> "open .\n', 1, 23, None),
    ],
)
def test_turtle_errors_name_file_line_and_column(
    tmp_path: Path, text: str, line: int, column: int, detail: str | None
) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RdfSyntaxError) as caught:
        open_store([path], bundled=False)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), line, column)
    assert str(caught.value).startswith(f"{path}:{line}:{column}: RDF syntax error: ")
    if detail:
        assert str(caught.value) == f"{path}:{line}:{column}: RDF syntax error: {detail}"
    assert "\n" not in str(caught.value)


def test_dataset_format_errors_are_located_too(tmp_path: Path) -> None:
    path = tmp_path / "bad.nq"
    path.write_text("<http://a> <http://b> <http://c> <http://g> .\n<http://a> <http://b> .\n")
    with pytest.raises(RdfSyntaxError, match=r"bad\.nq:2:23: RDF syntax error: The object"):
        open_store([path], bundled=False)


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(MxGraphError, match=r"missing\.ttl: no such file"):
        open_store([tmp_path / "missing.ttl"], bundled=False)


def test_bundled_store_keeps_the_ontology_apart(tiny_ttl: Path) -> None:
    store = open_store([tiny_ttl])
    ontology = set(store.ontology_triples())
    assert ontology and ontology <= set(store)
    assert store.has_ontology()
    data = open_store([tiny_ttl], bundled=False)
    assert not data.has_ontology()
    # The other named graphs are the source sentences of the bundled statements.
    graphs = set(store.oxigraph.named_graphs()) - {ONTOLOGY_GRAPH}
    assert ONTOLOGY_GRAPH in set(store.oxigraph.named_graphs())
    assert all(str(g.value).startswith("https://w3id.org/mxgraph/id/p") for g in graphs)
    assert not set(data.oxigraph.named_graphs())


def test_loading_the_same_file_twice_counts_each_triple_once(tiny_ttl: Path) -> None:
    assert len(open_store([tiny_ttl, tiny_ttl], bundled=False)) == TINY_TRIPLES


def test_on_disk_store_round_trip(tmp_path: Path, tiny_ttl: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    folder = tmp_path / "store"
    added, seconds = load_into_store([tiny_ttl], folder, progress=lambda *args: calls.append(args))
    assert seconds > 0
    assert calls[-1] == (str(tiny_ttl), 2, 2)
    store = open_store(store_dir=folder)
    assert len(store) == added == len(open_store([tiny_ttl]))
    assert store.path == folder
    del store
    # Loading again neither re-adds the bundled graph nor duplicates anything.
    again, _ = load_into_store([tiny_ttl], folder)
    assert again == 0


def test_on_disk_store_without_bundled(tmp_path: Path, tiny_ttl: Path) -> None:
    added, _ = load_into_store([tiny_ttl], tmp_path / "s", bundled=False)
    assert added == TINY_TRIPLES
    assert not open_store(store_dir=tmp_path / "s").has_ontology()


def test_store_errors(tmp_path: Path, tiny_ttl: Path) -> None:
    with pytest.raises(MxGraphError, match="no store at"):
        open_store(store_dir=tmp_path)
    with pytest.raises(MxGraphError, match="--data cannot be combined with --store"):
        open_store([tiny_ttl], store_dir=tmp_path)


def test_to_rdflib_is_isomorphic(tiny_store: MxStore) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    expected = rdflib.Graph().parse(data=TINY_TURTLE, format="turtle")
    assert isomorphic(tiny_store.to_rdflib(), expected)
