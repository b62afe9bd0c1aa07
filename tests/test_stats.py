"""stats counts a link stated both ways once (a property and its inverse, a symmetric one)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
import pytest

from mxgraph import stats
from mxgraph.backend import LocalBackend, select_rows
from mxgraph.errors import QueryTimeout
from mxgraph.inverses import load_inverses
from mxgraph.namespaces import MX, OA, RDF, TIME
from mxgraph.query import SelectResult, Term
from mxgraph.resolve import load_entity_index
from mxgraph.stats import graph_stats
from mxgraph.store import MxStore, load_into_store, open_store

LINKS = b"""
@prefix mx: <https://w3id.org/mxgraph/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
mx:runs owl:inverseOf mx:runBy .
mx:cooperatesWith a owl:SymmetricProperty .
ex:a skos:prefLabel "A" . ex:b skos:prefLabel "B" . ex:c skos:prefLabel "C" .
ex:d skos:prefLabel "D" . ex:e skos:prefLabel "E" . ex:p skos:prefLabel "P" .
ex:q skos:prefLabel "Q" .
ex:a mx:runs ex:p . ex:p mx:runBy ex:a .
ex:b mx:runs ex:q .
ex:q mx:runBy ex:a .
ex:c mx:cooperatesWith ex:d . ex:d mx:cooperatesWith ex:c .
ex:c mx:cooperatesWith ex:e .
ex:a mx:partner ex:b .
"""


def test_a_link_stated_both_ways_counts_once() -> None:
    store = open_store(bundled=False)
    store.load_bytes(LINKS, "links.ttl")
    stats = graph_stats(store, top=10)
    degrees = {c.entity.label: c.degree for c in stats.top_by_degree}
    # a-p (both ways), b-q, q-a (one way each), c-d (both ways), c-e, a-b: six links.
    assert stats.entity_links == 6
    assert degrees == {"A": 3, "B": 2, "C": 2, "D": 1, "E": 1, "P": 1, "Q": 2}


def _links_by_hand(store: MxStore) -> Counter[str]:
    """Degrees from every triple, each link stated both ways keyed once (as lookups show)."""
    inverses = load_inverses(store)
    types: dict[str, list[str]] = {}
    for quad in store.oxigraph.quads_for_pattern(None, ox.NamedNode(RDF.type), None):
        types.setdefault(quad.subject.value, []).append(quad.object.value)
    nodes = {
        iri
        for iri in load_entity_index(store).labels
        if not any(kind.startswith(TIME) for kind in types.get(iri, []))
    }
    links: set[tuple[str, str, str]] = set()
    for triple in store:
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if p in (RDF.type, MX.citation) or not (
            isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)
        ):
            continue
        if s.value not in nodes or o.value not in nodes or s == o:
            continue
        inverse = inverses.inverses.get(p)
        if inverses.is_symmetric(p):
            first, second = sorted((s.value, o.value))
            links.add((p, first, second))
        elif inverse is not None and inverse < p:
            links.add((inverse, o.value, s.value))
        else:
            links.add((p, s.value, o.value))
    degree: Counter[str] = Counter()
    for _, a, b in links:
        degree[a] += 1
        degree[b] += 1
    degree["links"] = len(links)
    return degree


def test_degrees_on_the_bundled_graph_count_each_link_once() -> None:
    store = open_store()
    expected = _links_by_hand(store)
    stats = graph_stats(store, top=1000)
    assert stats.entity_links == expected["links"] < 523  # 523 counted both ways twice
    assert {c.entity.iri: c.degree for c in stats.top_by_degree} == {
        iri: n for iri, n in expected.items() if iri != "links"
    }


class _Recording(LocalBackend):
    """A backend that keeps the text of every query sent, streamed or not."""

    def __init__(self, store: MxStore) -> None:
        super().__init__(store, timeout=None)
        self.sent: list[str] = []

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        self.sent.append(sparql)
        return super().select(sparql, bindings)

    def stream(self, sparql: str) -> Iterator[tuple[Term | None, ...]]:
        self.sent.append(sparql)
        return super().stream(sparql)


def test_large_predicates_read_objects_first_with_the_same_stats(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = open_store()
    whole = graph_stats(store, top=50)
    monkeypatch.setattr(stats, "OBJECTS_FIRST_FROM", 1)  # every predicate objects first
    recorded = _Recording(store)
    assert graph_stats(recorded, top=50) == whole
    # A sentence's selectors are no nodes of the entity graph: those pairs are never read.
    selectors = [q for q in recorded.sent if f"<{OA}hasSelector>" in q]
    assert len(selectors) == 1 and "DISTINCT ?o" in selectors[0]
    paired = [q for q in recorded.sent if f"?s <{MX}memberOf> ?o" in q and "DISTINCT" not in q]
    assert len(paired) == 1


def test_links_stated_both_ways_in_large_predicates_count_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stats, "OBJECTS_FIRST_FROM", 1)
    store = open_store(bundled=False)
    store.load_bytes(LINKS, "links.ttl")
    found = graph_stats(store, top=10)
    assert found.entity_links == 6
    degrees = {c.entity.label: c.degree for c in found.top_by_degree}
    assert degrees == {"A": 3, "B": 2, "C": 2, "D": 1, "E": 1, "P": 1, "Q": 2}


def test_many_tied_entities_have_their_labels_read_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = open_store()
    by_name = graph_stats(store, top=300)
    monkeypatch.setattr(stats, "LABELS_BY_NAME", 1)
    recorded = _Recording(store)
    assert graph_stats(recorded, top=300) == by_name
    assert sum("VALUES ?e" in q for q in recorded.sent) == 0


def test_ties_are_broken_by_label_then_iri() -> None:
    store = open_store(bundled=False)
    store.load_bytes(
        b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        b"@prefix ex: <http://example.org/> .\n"
        b'ex:hub skos:prefLabel "Hub" . ex:z skos:prefLabel "Alpha" .\n'
        b'ex:a skos:prefLabel "Beta" . ex:b skos:prefLabel "Alpha" .\n'
        b"ex:hub ex:to ex:z , ex:a , ex:b .\n",
        "ties.ttl",
    )
    found = graph_stats(store, top=3)
    assert [c.entity.iri for c in found.top_by_degree] == [
        "http://example.org/hub",
        "http://example.org/b",  # Alpha, before ex:z (Alpha too) by IRI
        "http://example.org/z",
    ]


def test_rows_stream_as_select_gives_them(tmp_path: Path) -> None:
    load_into_store([], tmp_path / "store")
    store = open_store(store_dir=tmp_path / "store")
    sparql = "SELECT ?e ?label WHERE { ?e skos:prefLabel ?label } ORDER BY ?e ?label"
    expected = LocalBackend(store, timeout=None).select(sparql).rows
    assert tuple(LocalBackend(store, timeout=None).stream(sparql)) == expected
    assert tuple(LocalBackend(store, timeout=30).stream(sparql)) == expected  # in a child
    assert tuple(select_rows(store, sparql)) == expected


def test_stats_on_a_store_on_disk_stops_at_its_deadline(tmp_path: Path) -> None:
    load_into_store([], tmp_path / "store")
    store = open_store(store_dir=tmp_path / "store")
    with pytest.raises(QueryTimeout):
        graph_stats(LocalBackend(store, timeout=0.000001))
    assert graph_stats(LocalBackend(store, timeout=None)) == graph_stats(open_store())
