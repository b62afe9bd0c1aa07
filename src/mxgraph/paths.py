"""Paths between entities: the entity graph from one SPARQL query, searched with networkx.

The **entity graph** has the entities of :mod:`mxgraph.resolve` as nodes,
except time nodes (``time:`` instants and intervals), and one edge per
IRI-to-IRI triple between two such nodes, ``rdf:type`` and ``mx:citation``
aside. Literals, source sentences and ontology terms (classes, units,
qualifiers) are never stepping stones. Paths ignore the direction of
relations; each step records which way its relations run. Nothing is cached
between processes: the graph is read afresh from the store each time.

>>> from mxgraph.store import open_store
>>> result = shortest_paths(open_store(), "Chile", "Canada")
>>> result.length
3
>>> print(result.paths[0].chain())
Chile ←launched by, participant— Pacific Alliance —launched by, participant→ Mexico ...
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from mxgraph.backend import LocalBackend, Source, SparqlBackend, as_backend, check_deadline
from mxgraph.errors import MxGraphError
from mxgraph.resolve import (
    EntityIndex,
    EntityRef,
    TermRef,
    best_label,
    entity_condition,
    load_entity_index,
)

if TYPE_CHECKING:
    import networkx


def graph_node_condition(variable: str) -> str:
    """SPARQL keeping ``?variable`` only if it is a node of the entity graph (a fixed name).

    >>> "2006/time#" in graph_node_condition("o")
    True
    """
    condition = entity_condition(variable)
    return condition + (
        f"  FILTER NOT EXISTS {{ ?{variable} a ?{variable}_time .\n"
        f'    FILTER(STRSTARTS(STR(?{variable}_time), "http://www.w3.org/2006/time#")) }}\n'
    )


#: Every edge of the entity graph, with the relation's label.
EDGES_QUERY = f"""
SELECT ?s ?p ?o ?plabel WHERE {{
  ?s ?p ?o .
  FILTER(isIRI(?o) && ?p != rdf:type && ?p != mx:citation)
  {graph_node_condition("s")}
  {graph_node_condition("o")}
  OPTIONAL {{ ?p rdfs:label ?plabel }}
}}"""


@dataclass(frozen=True, order=True)
class Edge:
    """One relation between two nodes of the entity graph, as stated: subject, predicate, object."""

    subject: str
    predicate: str
    object: str


@dataclass(frozen=True)
class EntityGraph:
    """The entity graph: its nodes (IRI to reference), relations and edges.

    Nodes are the entities that take part in at least one edge.
    """

    nodes: dict[str, EntityRef]
    relations: dict[str, TermRef]
    edges: tuple[Edge, ...]

    def to_networkx(self) -> networkx.Graph:
        """An undirected networkx graph; each edge keeps its list of stated :class:`Edge`."""
        import networkx

        graph = networkx.Graph()
        graph.add_nodes_from(sorted(self.nodes))
        for edge in self.edges:
            if graph.has_edge(edge.subject, edge.object):
                graph.edges[edge.subject, edge.object]["stated"].append(edge)
            else:
                graph.add_edge(edge.subject, edge.object, stated=[edge])
        return graph


def load_entity_graph(source: Source, index: EntityIndex | None = None) -> EntityGraph:
    """The entity graph of ``source``, read with one SPARQL query (plus the entity index).

    >>> from mxgraph.store import open_store
    >>> graph = load_entity_graph(open_store())
    >>> "https://w3id.org/mxgraph/id/p03s1" in graph.nodes  # a source sentence
    False
    >>> len(graph.edges) > 300
    True
    """
    backend = as_backend(source)
    index = index or load_entity_index(backend)
    labels: dict[str, list[ox.Literal]] = {}
    edges: set[Edge] = set()
    for s, p, o, plabel in backend.select(EDGES_QUERY).rows:
        if not (
            isinstance(s, ox.NamedNode)
            and isinstance(p, ox.NamedNode)
            and isinstance(o, ox.NamedNode)
        ):
            continue
        if s == o:
            continue  # a self-loop connects nothing
        edges.add(Edge(s.value, p.value, o.value))
        found = labels.setdefault(p.value, [])
        if isinstance(plabel, ox.Literal) and plabel not in found:
            found.append(plabel)
    nodes = {iri for edge in edges for iri in (edge.subject, edge.object)}
    return EntityGraph(
        nodes={iri: index.ref(iri) for iri in sorted(nodes)},
        relations={
            iri: TermRef.of(iri, best_label(found)) for iri, found in sorted(labels.items())
        },
        edges=tuple(sorted(edges)),
    )


@dataclass(frozen=True)
class StepRelation:
    """A relation along a step: ``forward`` when it is stated from the step's start to its end."""

    relation: TermRef
    forward: bool

    def to_json(self) -> dict[str, object]:
        """``{"relation": ref, "direction": "out"|"in"}``; ``out``: stated from ``from``."""
        return {"relation": self.relation.to_json(), "direction": "out" if self.forward else "in"}


@dataclass(frozen=True)
class Step:
    """One step of a path: from an entity to the next, with every relation between the two."""

    start: EntityRef
    end: EntityRef
    relations: tuple[StepRelation, ...]

    def arrow(self) -> str:
        """``—a, b→`` for relations stated forward, ``←c—`` backward, both joined by ``/``.

        >>> ref = EntityRef.of("http://example.org/x", "x")
        >>> Step(ref, ref, (StepRelation(TermRef.of("http://example.org/p", "p"), False),)).arrow()
        '←p—'
        """
        forward = [r.relation.label for r in self.relations if r.forward]
        backward = [r.relation.label for r in self.relations if not r.forward]
        arrows = []
        if forward:
            arrows.append(f"—{', '.join(forward)}→")
        if backward:
            arrows.append(f"←{', '.join(backward)}—")
        return " / ".join(arrows)

    def to_json(self) -> dict[str, object]:
        """``{"from": ref, "to": ref, "relations": [step relation, ...]}``."""
        return {
            "from": self.start.to_json(),
            "to": self.end.to_json(),
            "relations": [r.to_json() for r in self.relations],
        }


@dataclass(frozen=True)
class Path:
    """A chain of steps from one entity to another."""

    steps: tuple[Step, ...]

    def chain(self) -> str:
        """The path as ``A —relation→ B ←relation— C``."""
        if not self.steps:
            return ""
        parts = [self.steps[0].start.label]
        for step in self.steps:
            parts += [step.arrow(), step.end.label]
        return " ".join(parts)

    def to_json(self) -> dict[str, object]:
        """``{"length": n, "steps": [step, ...]}``."""
        return {"length": len(self.steps), "steps": [s.to_json() for s in self.steps]}


@dataclass(frozen=True)
class PathResult:
    """The shortest path(s) between two entities; ``length`` is ``None`` when there is none."""

    start: EntityRef
    end: EntityRef
    length: int | None
    paths: tuple[Path, ...]
    max_length: int | None = None
    truncated: bool = False


#: More shortest paths than this are not listed (``PathResult.truncated`` tells).
MAX_PATHS = 100


def shortest_paths(
    source: Source,
    start: str,
    end: str,
    *,
    max_length: int | None = None,
    all_paths: bool = False,
    limit: int = MAX_PATHS,
) -> PathResult:
    """The shortest connection between the entities named ``start`` and ``end``.

    One path (the first by labels, so the answer is stable) or, with
    ``all_paths``, every shortest path up to ``limit``. No path, or none of at
    most ``max_length`` steps, gives a result with ``length`` ``None``.

    >>> from mxgraph.store import open_store
    >>> store = open_store()
    >>> [p.chain() for p in shortest_paths(store, "USAID", "Fulbright", all_paths=True).paths]
    ['U.S. Agency for International Development ←published by— USAID Mexico Page ...', ...]
    >>> shortest_paths(store, "Chile", "Canada", max_length=2).paths
    ()
    """
    backend = as_backend(source)
    if not isinstance(backend, LocalBackend):
        # A server: search from both ends by neighbor queries, never reading the whole graph.
        from mxgraph.path_search import bidirectional_shortest_paths

        return bidirectional_shortest_paths(
            backend, start, end, max_length=max_length, all_paths=all_paths, limit=limit
        )
    import networkx

    index = load_entity_index(backend)
    start_ref, end_ref = _resolve(backend, index, start), _resolve(backend, index, end)
    check_deadline(backend)
    graph = load_entity_graph(backend, index)
    check_deadline(backend)
    empty = PathResult(start_ref, end_ref, None, (), max_length)
    if start_ref.iri == end_ref.iri:
        return PathResult(start_ref, end_ref, 0, (Path(()),), max_length)
    nx_graph = graph.to_networkx()
    if start_ref.iri not in nx_graph or end_ref.iri not in nx_graph:
        return empty
    try:
        found = networkx.all_shortest_paths(nx_graph, start_ref.iri, end_ref.iri)
        first = next(found)
    except networkx.NetworkXNoPath:
        return empty
    if max_length is not None and len(first) - 1 > max_length:
        return empty
    # all_shortest_paths yields in an order that depends on insertion; sort for stable output.
    node_lists = sorted(
        itertools.chain([first], itertools.islice(found, 10 * limit)),
        key=lambda nodes: [(graph.nodes[n].label, n) for n in nodes],
    )
    paths = [_path(graph, nx_graph, nodes) for nodes in node_lists]
    chosen = paths[:limit] if all_paths else paths[:1]
    truncated = all_paths and len(paths) > limit
    return PathResult(start_ref, end_ref, len(first) - 1, tuple(chosen), max_length, truncated)


def _resolve(backend: SparqlBackend, index: EntityIndex, name: str) -> EntityRef:
    from mxgraph.resolve import parse_iri, resolve_entity

    if parse_iri(name) is not None:
        return resolve_entity(backend, name)
    return index.resolve(name)


def _path(graph: EntityGraph, nx_graph: networkx.Graph, nodes: list[str]) -> Path:
    steps = []
    for a, b in itertools.pairwise(nodes):
        stated: list[Edge] = nx_graph.edges[a, b]["stated"]
        relations = sorted(
            {StepRelation(graph.relations[e.predicate], e.subject == a) for e in stated},
            key=lambda r: (not r.forward, r.relation.label),
        )
        steps.append(Step(graph.nodes[a], graph.nodes[b], tuple(relations)))
    return Path(tuple(steps))


def pagerank(
    graph: EntityGraph, *, alpha: float = 0.85, tolerance: float = 1e-9, max_iterations: int = 200
) -> dict[str, float]:
    """PageRank of each node, with every relation counted as a link both ways (power iteration).

    Relations are stated in either direction (``runs`` / ``run by``), so the
    graph is taken as undirected, weighted by the number of relations between
    two nodes. Pure Python: networkx's own ``pagerank`` needs scipy.

    >>> g = EntityGraph({}, {}, (Edge("a", "p", "b"), Edge("b", "p", "c")))
    >>> {n: round(r, 3) for n, r in sorted(pagerank(g).items())}
    {'a': 0.257, 'b': 0.486, 'c': 0.257}
    """
    weights: dict[str, dict[str, float]] = {}
    for edge in graph.edges:
        if edge.subject == edge.object:
            continue
        for a, b in ((edge.subject, edge.object), (edge.object, edge.subject)):
            weights.setdefault(a, {}).setdefault(b, 0.0)
            weights[a][b] += 1.0
    nodes = sorted(weights)
    if not nodes:
        return {}
    count = len(nodes)
    totals = {n: sum(weights[n].values()) for n in nodes}
    rank = dict.fromkeys(nodes, 1.0 / count)
    for _ in range(max_iterations):
        new = dict.fromkeys(nodes, (1.0 - alpha) / count)
        for node in nodes:
            share = alpha * rank[node] / totals[node]
            for neighbor, weight in weights[node].items():
                new[neighbor] += share * weight
        change = sum(abs(new[n] - rank[n]) for n in nodes)
        rank = new
        if change < count * tolerance:
            break
    else:
        raise MxGraphError(f"PageRank did not converge in {max_iterations} iterations")
    return rank
