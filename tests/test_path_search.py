"""The bidirectional search by neighbor queries: the same paths as networkx, within bounds."""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest

from mxgraph.backend import LocalBackend
from mxgraph.errors import MxGraphError
from mxgraph.path_search import bidirectional_shortest_paths
from mxgraph.paths import EDGES_QUERY, load_entity_graph, shortest_paths
from mxgraph.query import SelectResult, Term
from mxgraph.resolve import load_entity_index
from mxgraph.store import MxStore, open_store


class RecordingBackend:
    """A local backend that keeps every query sent through it."""

    def __init__(self, store: MxStore) -> None:
        self.local = LocalBackend(store, timeout=None)
        self.queries: list[str] = []

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        self.queries.append(sparql)
        return self.local.select(sparql, bindings)


@pytest.fixture(scope="module")
def store() -> MxStore:
    return open_store()


def test_same_paths_as_networkx(store: MxStore) -> None:
    index = load_entity_index(store)
    nodes = sorted(load_entity_graph(store, index).nodes)
    pairs = random.Random(4).sample([(a, b) for a in nodes for b in nodes if a != b], 40)
    for start, end in pairs:
        for max_length in (None, 2, 3):
            expected = shortest_paths(store, start, end, all_paths=True, max_length=max_length)
            found = bidirectional_shortest_paths(
                store, start, end, all_paths=True, max_length=max_length, index=index
            )
            assert found == expected, (start, end, max_length)


def test_never_reads_the_whole_graph(store: MxStore) -> None:
    backend = RecordingBackend(store)
    result = shortest_paths(backend, "Chile", "Canada")
    assert result.length == 3
    assert EDGES_QUERY not in backend.queries
    assert all("VALUES ?" in q for q in backend.queries[1:])  # the entity index, then lookups


def test_node_budget(store: MxStore) -> None:
    with pytest.raises(MxGraphError, match=r"path search stopped after reaching 5 nodes"):
        bidirectional_shortest_paths(store, "Chile", "Fulbright", node_budget=5)


def test_unconnected_and_non_entities(store: MxStore) -> None:
    same = bidirectional_shortest_paths(store, "Mexico", "mxd:mexico")
    assert same.length == 0
    time_node = bidirectional_shortest_paths(store, "Mexico", "mxd:year-1948")
    assert time_node.length is None and time_node.paths == ()
    assert time_node == shortest_paths(store, "Mexico", "mxd:year-1948")
