"""Inference: what OWL 2 RL adds to the bundled graph, what is filtered, and that it validates."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from mxgraph.infer import FILTER_REASONS, Inference, infer_store
from mxgraph.namespaces import MX, MXD, OWL, RDF, RDFS
from mxgraph.query import SelectResult, run_query
from mxgraph.store import MxStore, open_store
from mxgraph.validate import validate_store

ORGANIZATIONS = "SELECT ?x { ?x a mx:Organization }"


@pytest.fixture(scope="module")
def bundled() -> MxStore:
    return open_store()


@pytest.fixture(scope="module")
def inferred(bundled: MxStore) -> Inference:
    return infer_store(bundled)


def _column(store: MxStore, sparql: str) -> set[str]:
    result = run_query(store, sparql)
    assert isinstance(result, SelectResult)
    return {row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)}


def test_organizations_need_inference(bundled: MxStore, inferred: Inference) -> None:
    assert _column(bundled, ORGANIZATIONS) == set()
    organizations = _column(inferred.store, ORGANIZATIONS)
    # A U.S. agency, a commission, a working group and an international organization.
    for name in ("usaid", "ibwc", "binational-bridges-group", "imf"):
        assert MXD[name] in organizations
    assert MXD.mexico not in organizations


def test_inverse_of_member_of(tmp_path: Path) -> None:
    # The bundled data states both directions (#9); one direction alone gets the other.
    data = tmp_path / "one-way.ttl"
    data.write_text(
        "@prefix mx: <https://w3id.org/mxgraph/ontology#> .\n"
        "<http://ex.org/a> mx:memberOf <http://ex.org/org> .\n"
    )
    store = open_store([data])
    query = "SELECT ?member { <http://ex.org/org> mx:hasMember ?member }"
    assert _column(store, query) == set()
    assert _column(infer_store(store).store, query) == {"http://ex.org/a"}


def test_the_bundled_data_states_inverses_itself(bundled: MxStore, inferred: Inference) -> None:
    query = "SELECT ?member { mxd:imf mx:hasMember ?member }"
    assert _column(bundled, query) == _column(inferred.store, query)
    assert _column(bundled, query) == {MXD.mexico, MXD["united-states"]}


def test_super_properties_and_symmetry(inferred: Inference) -> None:
    assert MXD.imf in _column(inferred.store, "SELECT ?o { mxd:mexico org:memberOf ?o }")
    assert MXD.mexico in _column(inferred.store, "SELECT ?o { mxd:canada mx:cooperatesWith ?o }")


def test_transitive_property(tmp_path: Path) -> None:
    chain = tmp_path / "chain.ttl"
    chain.write_text(
        "@prefix mx: <https://w3id.org/mxgraph/ontology#> .\n"
        "<http://ex.org/a> mx:partOf <http://ex.org/b> .\n"
        "<http://ex.org/b> mx:partOf <http://ex.org/c> .\n"
    )
    store = open_store([chain], bundled=False)
    inference = infer_store(store)
    parts = "SELECT ?x { <http://ex.org/a> mx:partOf ?x }"
    assert _column(store, parts) == {"http://ex.org/b"}
    assert _column(inference.store, parts) == {"http://ex.org/b", "http://ex.org/c"}
    # The ontology was used for reasoning but not added to the answer.
    assert not inference.store.has_ontology()
    assert _column(inference.store, "SELECT ?x { <http://ex.org/c> mx:hasPart ?x }") == {
        "http://ex.org/a",
        "http://ex.org/b",
    }


def test_counts_and_noise_filtered(bundled: MxStore, inferred: Inference) -> None:
    assert inferred.asserted == len(bundled)
    assert inferred.inferred > 1000
    assert set(inferred.filtered) <= set(FILTER_REASONS)
    assert inferred.filtered["literal subject"] > 0
    assert inferred.filtered["reflexive"] > 0
    store = inferred.store.oxigraph
    thing = ox.NamedNode(OWL.Thing)
    assert not list(store.quads_for_pattern(None, ox.NamedNode(RDF.type), thing))
    same_as = store.quads_for_pattern(None, ox.NamedNode(OWL.sameAs), None)
    assert all(q.subject != q.object for q in same_as)
    sub_class = store.quads_for_pattern(None, ox.NamedNode(RDFS.subClassOf), None)
    assert all(q.subject != q.object for q in sub_class)
    assert inferred.summary().startswith(f"inferred {inferred.inferred} triples (OWL 2 RL")


def test_data_only_export_still_leaves_the_ontology_out(inferred: Inference) -> None:
    assert inferred.store.has_ontology()
    ontology = set(inferred.store.ontology_triples())
    assert (
        ox.Triple(ox.NamedNode(MX.Country), ox.NamedNode(RDF.type), ox.NamedNode(OWL.Class))
        in ontology
    )


def test_inferred_graph_passes_shacl(inferred: Inference) -> None:
    report = validate_store(inferred.store)
    assert report.violations == []
    assert report.undeclared_terms == []


def test_cache_gives_the_same_triples(bundled: MxStore, inferred: Inference) -> None:
    again = infer_store(bundled)
    assert again.cached
    assert set(again.store) == set(inferred.store)
    assert again.filtered == inferred.filtered


def test_damaged_cache_entry_is_recomputed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MXGRAPH_CACHE_DIR", str(tmp_path))
    store = open_store(bundled=False)
    first = infer_store(store)
    for entry in tmp_path.glob("infer-*.json"):
        entry.write_text("not json")
    second = infer_store(store)
    assert not second.cached
    assert set(second.store) == set(first.store)


def test_source_document_shape_still_checks_documents_of_sentences(tmp_path: Path) -> None:
    data = tmp_path / "sentence.ttl"
    data.write_text(
        "@prefix mx: <https://w3id.org/mxgraph/ontology#> .\n"
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "<http://ex.org/s1> a mx:SourceSentence ; oa:hasSource <http://ex.org/doc> ;\n"
        "    oa:hasSelector <http://ex.org/s1-quote> , <http://ex.org/s1-position> ;\n"
        "    mx:paragraph 1 ; mx:sentenceIndex 1 .\n"
        '<http://ex.org/s1-quote> a oa:TextQuoteSelector ; oa:exact "A sentence." .\n'
        "<http://ex.org/s1-position> a oa:TextPositionSelector ; oa:start 0 ; oa:end 11 .\n"
        "<http://ex.org/doc> a mx:Document .\n"
        "<http://ex.org/part> mx:partOf <http://ex.org/program> .\n"
    )
    # Under inference mx:partOf implies dct:isPartOf: the program must not become a "document".
    report = validate_store(infer_store(open_store([data], bundled=False)).store)
    found = {(v.focus, v.path, v.constraint) for v in report.violations}
    assert ("<http://ex.org/doc>", "mx:publishedBy", "MinCountConstraintComponent") in found
    assert ("<http://ex.org/doc>", "dct:title", "MinCountConstraintComponent") in found
    assert not any(
        v.focus == "<http://ex.org/program>" and v.path in ("dct:title", "mx:publishedBy")
        for v in report.violations
    )
