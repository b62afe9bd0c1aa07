"""Skolemizing blank nodes for push: stable names, nothing merged, nothing left blank."""

from __future__ import annotations

import pyoxigraph as ox

from mxgraph.push import GENID, skolemize
from mxgraph.store import open_store


def test_blank_nodes_get_the_same_names_in_every_load() -> None:
    first, second = skolemize(open_store()), skolemize(open_store())
    assert set(first) == set(second)
    assert len(first) == len(open_store())
    assert not any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in first
    )
    assert any(str(t.subject).startswith(f"<{GENID}") for t in first)


def test_lists_under_different_owners_stay_apart() -> None:
    a, b, p = (
        ox.NamedNode("http://ex.org/a"),
        ox.NamedNode("http://ex.org/b"),
        ox.NamedNode("http://ex.org/p"),
    )
    first, rest = (
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first"),
        ox.NamedNode("http://ex.org/o"),
    )
    x, y = ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(a, p, x),
        ox.Triple(x, first, rest),
        ox.Triple(b, p, y),
        ox.Triple(y, first, rest),
    ]
    assert len(skolemize(triples)) == 4


def test_cycles_of_blank_nodes_end() -> None:
    p = ox.NamedNode("http://ex.org/p")
    x, y = ox.BlankNode(), ox.BlankNode()
    named = skolemize([ox.Triple(x, p, y), ox.Triple(y, p, x)])
    assert len(named) == 2
