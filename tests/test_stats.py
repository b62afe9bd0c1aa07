"""stats counts a link stated both ways once (a property and its inverse, a symmetric one)."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from mxgraph.inverses import load_inverses
from mxgraph.namespaces import MX, RDF, TIME
from mxgraph.resolve import load_entity_index
from mxgraph.stats import graph_stats
from mxgraph.store import MxStore, open_store

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
