"""Shortest paths by a bidirectional breadth-first search driven by neighbor queries.

Where :func:`mxgraph.paths.shortest_paths` reads the whole entity graph with
one query (cheap on a local store), this search asks a
:class:`~mxgraph.backend.SparqlBackend` only for the neighbors of the nodes
it reaches, one level at a time, from both ends, always widening the smaller
side. It stops at ``max_length`` steps or after ``node_budget`` nodes, so a
large graph on a server is never downloaded. Nodes, edges, labels and the
order of paths are those of :mod:`mxgraph.paths`, so both give the same answer.

>>> from mxgraph.store import open_store
>>> result = bidirectional_shortest_paths(open_store(), "Chile", "Canada")
>>> result.length
3
>>> print(result.paths[0].chain())
Chile ←launched by, participant— Pacific Alliance —launched by, participant→ Mexico ...
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from mxgraph.backend import Source, SparqlBackend, as_backend, check_deadline, values_block
from mxgraph.errors import MxGraphError
from mxgraph.lookup import _NEIGHBOR_BRANCHES, _NEIGHBORS_QUERY
from mxgraph.paths import (
    MAX_PATHS,
    Edge,
    Path,
    PathResult,
    Step,
    StepRelation,
    _resolve,
    graph_node_condition,
)
from mxgraph.resolve import EntityIndex, TermRef, best_label, load_entity_index

#: How many nodes a search may reach before it gives up.
NODE_BUDGET = 20_000

#: Nodes per neighbor query.
BATCH = 200

_NODE_QUERY = """
SELECT ?e WHERE {{
  {values}
  {condition}
}}"""


class _Search:
    """The state of the search: edges met so far and, per side, distances and parents."""

    def __init__(self, backend: SparqlBackend, node_budget: int) -> None:
        self.backend = backend
        self.node_budget = node_budget
        self.stated: dict[frozenset[str], set[Edge]] = {}
        self.relation_labels: dict[str, list[ox.Literal]] = {}

    def neighbors(self, nodes: Sequence[str]) -> dict[str, set[str]]:
        """The neighbors of each node in ``nodes``, recording the edges met."""
        found: dict[str, set[str]] = {node: set() for node in nodes}
        for start in range(0, len(nodes), BATCH):
            check_deadline(self.backend)
            batch = nodes[start : start + BATCH]
            # The query of `mxgraph neighbors`, both ways, every relation.
            sparql = _NEIGHBORS_QUERY.format(
                relation_var="",
                values=values_block("node", [ox.NamedNode(n) for n in batch]),
                branches=" UNION ".join(_NEIGHBOR_BRANCHES.values()),
                relation_filter="",
                next_condition=graph_node_condition("next"),
            )
            for node, p, nxt, direction, plabel, *_ in self.backend.select(sparql).rows:
                if (
                    not (
                        isinstance(node, ox.NamedNode)
                        and isinstance(p, ox.NamedNode)
                        and isinstance(nxt, ox.NamedNode)
                        and isinstance(direction, ox.Literal)
                    )
                    or node == nxt
                ):
                    continue  # a self-loop connects nothing
                forward = direction.value == "out"
                subject, object_ = (node, nxt) if forward else (nxt, node)
                edge = Edge(subject.value, p.value, object_.value)
                self.stated.setdefault(frozenset((node.value, nxt.value)), set()).add(edge)
                labels = self.relation_labels.setdefault(p.value, [])
                if isinstance(plabel, ox.Literal) and plabel not in labels:
                    labels.append(plabel)
                found[node.value].add(nxt.value)
        return found

    def is_graph_node(self, iri: str) -> bool:
        sparql = _NODE_QUERY.format(
            values=values_block("e", [ox.NamedNode(iri)]), condition=graph_node_condition("e")
        )
        return bool(self.backend.select(sparql).rows)


class _Side:
    """One end's breadth-first search: distance and parents of every node reached."""

    def __init__(self, root: str) -> None:
        self.distance = {root: 0}
        self.parents: dict[str, set[str]] = {root: set()}
        self.frontier = [root]
        self.depth = 0

    def expand(self, search: _Search, reached: int) -> None:
        """Reach the next level; ``reached`` counts nodes both sides have reached before."""
        self.depth += 1
        found = search.neighbors(self.frontier)
        level: set[str] = set()
        for node in self.frontier:
            for neighbor in found[node]:
                if neighbor not in self.distance:
                    self.distance[neighbor] = self.depth
                    self.parents[neighbor] = set()
                    level.add(neighbor)
                if self.distance[neighbor] == self.depth:
                    self.parents[neighbor].add(node)
        if reached + len(level) > search.node_budget:
            raise MxGraphError(
                f"path search stopped after reaching {search.node_budget} nodes "
                "(node budget); give a smaller --max-length"
            )
        self.frontier = sorted(level)

    def chains_to_root(self, node: str) -> Iterator[list[str]]:
        """Every shortest chain from ``node`` back to this side's root."""
        if not self.parents[node]:
            yield [node]
            return
        for parent in sorted(self.parents[node]):
            for chain in self.chains_to_root(parent):
                yield [node, *chain]


def bidirectional_shortest_paths(
    source: Source,
    start: str,
    end: str,
    *,
    max_length: int | None = None,
    all_paths: bool = False,
    limit: int = MAX_PATHS,
    node_budget: int = NODE_BUDGET,
    index: EntityIndex | None = None,
) -> PathResult:
    """The shortest connection between two entities, as :func:`~mxgraph.paths.shortest_paths`.

    >>> from mxgraph.store import open_store
    >>> bidirectional_shortest_paths(open_store(), "Chile", "Canada", max_length=2).paths
    ()
    """
    backend = as_backend(source)
    index = index or load_entity_index(backend)
    start_ref, end_ref = _resolve(backend, index, start), _resolve(backend, index, end)
    empty = PathResult(start_ref, end_ref, None, (), max_length)
    if start_ref.iri == end_ref.iri:
        return PathResult(start_ref, end_ref, 0, (Path(()),), max_length)
    search = _Search(backend, node_budget)
    if not (search.is_graph_node(start_ref.iri) and search.is_graph_node(end_ref.iri)):
        return empty
    ahead, behind = _Side(start_ref.iri), _Side(end_ref.iri)
    while True:
        meeting = set(ahead.distance) & set(behind.distance)
        if meeting:
            break
        if max_length is not None and ahead.depth + behind.depth >= max_length:
            return empty
        if not ahead.frontier or not behind.frontier:
            return empty
        side = ahead if len(ahead.frontier) <= len(behind.frontier) else behind
        side.expand(search, len(ahead.distance) + len(behind.distance))
    length = ahead.depth + behind.depth
    middles = sorted(
        m
        for m in meeting
        if ahead.distance[m] == ahead.depth and behind.distance[m] == behind.depth
    )
    node_lists = itertools.islice(
        (
            [*reversed(first), *second[1:]]
            for middle in middles
            for first in ahead.chains_to_root(middle)
            for second in behind.chains_to_root(middle)
        ),
        10 * limit + 1,
    )
    ordered = sorted(node_lists, key=lambda nodes: [(index.ref(n).label, n) for n in nodes])
    paths = [_path(search, index, nodes) for nodes in ordered]
    chosen = paths[:limit] if all_paths else paths[:1]
    truncated = all_paths and len(paths) > limit
    return PathResult(start_ref, end_ref, length, tuple(chosen), max_length, truncated)


def _path(search: _Search, index: EntityIndex, nodes: list[str]) -> Path:
    steps = []
    for a, b in itertools.pairwise(nodes):
        relations = sorted(
            {
                StepRelation(
                    TermRef.of(
                        e.predicate, best_label(search.relation_labels.get(e.predicate, []))
                    ),
                    e.subject == a,
                )
                for e in search.stated[frozenset((a, b))]
            },
            key=lambda r: (not r.forward, r.relation.label),
        )
        steps.append(Step(index.ref(a), index.ref(b), tuple(relations)))
    return Path(tuple(steps))
