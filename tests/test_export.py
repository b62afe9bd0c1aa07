"""Export: every RDF format round-trips through rdflib and Oxigraph; writes are atomic."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from mxgraph.atomic import write_atomically
from mxgraph.errors import MxGraphError
from mxgraph.export import export_graph
from mxgraph.rdf_formats import RDF_FORMATS, RdfSyntax
from mxgraph.resources import ontology_files
from mxgraph.store import MxStore, open_store

BLANK_NODES = """\
@prefix ex: <http://example.org/> .
ex:treaty ex:signedBy ( ex:mexico ex:usa ) ;
    ex:term [ ex:years 5 ; ex:note "renewable"@en ] ;
    ex:amount 10.0 , 2.5e3 , true .
"""


@pytest.fixture(scope="module")
def rich_store(tmp_path_factory: pytest.TempPathFactory) -> MxStore:
    """The ontology, blank nodes, a list and numbers of every kind (small: isomorphism is slow)."""
    path = tmp_path_factory.mktemp("data") / "blank.ttl"
    path.write_text(BLANK_NODES)
    store = open_store([path], bundled=False)
    for ontology in ontology_files():
        store.load_ontology(ontology)
    return store


def _as_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return rdflib.Graph().parse(data=data, format="nt")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own TriG/N-Quads parsers
@pytest.mark.parametrize("syntax", list(RdfSyntax))
def test_export_round_trips_in_every_format(rich_store: MxStore, syntax: RdfSyntax) -> None:
    exported = export_graph(rich_store, syntax)
    expected = _as_rdflib(list(rich_store))
    spec = RDF_FORMATS[syntax]
    by_rdflib = rdflib.Dataset() if spec.dataset else rdflib.Graph()
    by_rdflib.parse(data=exported, format=spec.rdflib)
    if spec.dataset:
        by_rdflib = rdflib.Graph().parse(data=by_rdflib.serialize(format="nquads"), format="nquads")
    assert isomorphic(by_rdflib, expected)
    assert _canonical(ox.parse(exported, spec.oxigraph)) == _canonical(
        ox.Quad(t.subject, t.predicate, t.object) for t in rich_store
    )


def _canonical(quads: Iterable[ox.Quad]) -> ox.Dataset:
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def test_data_only_leaves_out_the_ontology(rich_store: MxStore) -> None:
    everything = set(ox.parse(export_graph(rich_store, RdfSyntax.NT), ox.RdfFormat.N_TRIPLES))
    data = set(ox.parse(export_graph(rich_store, RdfSyntax.NT, True), ox.RdfFormat.N_TRIPLES))
    ontology = {ox.Quad(t.subject, t.predicate, t.object) for t in rich_store.ontology_triples()}
    assert data == everything - ontology
    assert (
        ox.Quad(
            ox.NamedNode("https://w3id.org/mxgraph/ontology#Country"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://www.w3.org/2002/07/owl#Class"),
        )
        in everything - data
    )


def test_turtle_export_declares_only_used_prefixes(tiny_store: MxStore) -> None:
    lines = export_graph(tiny_store).decode().splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix")]
    assert prefixes == [
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix mx: <https://w3id.org/mxgraph/ontology#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    ]


def test_atomic_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.ttl"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"precious")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(MxGraphError, match=r"cannot write .*out\.ttl: No space left on device"):
        write_atomically(target, b"partial")
    assert target.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["out.ttl"]


def test_write_into_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MxGraphError, match="cannot write"):
        write_atomically(tmp_path / "nope" / "out.ttl", b"x")
