"""Paths between entities: breadth-first search over the entity graph, one query per level.

The **entity graph** has the entities of :mod:`mxgraph.resolve` as nodes,
except time nodes (``time:`` instants and intervals), and one edge per
IRI-to-IRI triple between two such nodes, ``rdf:type`` and ``mx:citation``
aside. Literals, source sentences and ontology terms (classes, units,
qualifiers) are never stepping stones. Paths ignore the direction of
relations; each step records which way its relations run.

:func:`shortest_paths` never reads the whole graph: it searches from both
ends at once and asks the store only for the neighbours of each level (so it
works the same on a remote endpoint or a large store). :func:`load_entity_graph`
reads the whole entity graph with one query, for statistics (PageRank).

>>> from mxgraph.store import open_store
>>> result = shortest_paths(open_store(), "Chile", "Canada")
>>> result.length
3
>>> print(result.paths[0].chain())
Chile —launched, participates in→ Pacific Alliance —launched by, participant→ Mexico ...
"""

from __future__ import annotations

import importlib.util
import itertools
import operator
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pyoxigraph as ox

from mxgraph.backend import Source, SparqlBackend, as_backend, check_deadline, values_block
from mxgraph.errors import MxGraphError
from mxgraph.inverses import Inverses, load_inverses, one_per_link
from mxgraph.namespaces import MX, RDF
from mxgraph.provenance import Citation, Statement, statement_sources
from mxgraph.resolve import (
    EntityIndex,
    EntityRef,
    TermRef,
    best_label,
    graph_node_condition,
    load_entity_index,
    resolve_class,
    resolve_relation,
    term_refs,
)

if TYPE_CHECKING:
    import networkx


#: Every triple that could be an edge of the entity graph. Which ends are nodes is decided
#: in Python from the entity index: :func:`graph_node_condition` per row read every IRI's
#: text and cost 50 s at 10^6 triples; this query takes 12 s there (as long as in the
#: oxigraph CLI) and the filter adds about 1 s.
EDGES_QUERY = """
SELECT ?s ?p ?o WHERE {
  ?s ?p ?o .
  FILTER(isIRI(?s) && isIRI(?o) && ?p != rdf:type && ?p != mx:citation)
}"""

#: Nodes typed with an OWL-Time class (instants, intervals): entities, but not graph nodes.
TIME_NODES_QUERY = """
SELECT DISTINCT ?e WHERE {
  { SELECT DISTINCT ?type { [] a ?type } }
  FILTER(STRSTARTS(STR(?type), "http://www.w3.org/2006/time#"))
  ?e a ?type .
}"""


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


def entity_links(source: Source, index: EntityIndex) -> set[tuple[str, str, str]]:
    """The edges of the entity graph as ``(subject, predicate, object)`` IRIs.

    >>> from mxgraph.store import open_store
    >>> store = open_store()
    >>> links = entity_links(store, load_entity_index(store))
    >>> ("https://w3id.org/mxgraph/id/mexico", "https://w3id.org/mxgraph/ontology#memberOf",
    ...  "https://w3id.org/mxgraph/id/oecd") in links
    True
    """
    backend = as_backend(source)
    timed = {
        e.value for (e,) in backend.select(TIME_NODES_QUERY).rows if isinstance(e, ox.NamedNode)
    }
    nodes = index.labels.keys() - timed
    links: set[tuple[str, str, str]] = set()
    for s, p, o in backend.select(EDGES_QUERY).rows:
        if (
            isinstance(s, ox.NamedNode)
            and isinstance(o, ox.NamedNode)
            and isinstance(p, ox.NamedNode)
            and s.value in nodes
            and o.value in nodes
            and s != o  # a self-loop connects nothing
        ):
            links.add((s.value, p.value, o.value))
    return links


#: The entity-graph candidates of :data:`EDGES_QUERY` without their predicates: one row per
#: triple, so counts and PageRank weights are the same, with a third less to read.
LINK_PAIRS_QUERY = """
SELECT ?s ?o WHERE {
  ?s ?p ?o .
  FILTER(isIRI(?s) && isIRI(?o) && ?p != rdf:type && ?p != mx:citation)
}"""

#: ``stats`` reads the edges of small predicates together, in parts of at most this many
#: triples (see :mod:`mxgraph.stats`).
LINK_CHUNK = 1_000_000

#: Predicates whose triples are never edges of the entity graph.
NOT_EDGES = frozenset({RDF.type, MX.citation})


@dataclass(frozen=True)
class LinkArrays:
    """The edges of the entity graph as integer ids, one ``(subject, object)`` per relation.

    ``nodes`` are the IRIs of the nodes with at least one edge, sorted; an id is a
    position in it. The pairs are sorted, as :func:`link_pagerank` wants them.
    """

    nodes: list[str]
    subjects: array[int]
    objects: array[int]


def link_arrays(source: Source, nodes: Collection[str]) -> LinkArrays:
    """The edges of the entity graph whose ends are ``nodes`` (entities but time nodes).

    >>> from mxgraph.store import open_store
    >>> store = open_store()
    >>> index = load_entity_index(store)
    >>> links = link_arrays(store, index.labels)
    >>> len(links.subjects) >= len(entity_links(store, index))
    True
    """
    backend = as_backend(source)
    ordered = sorted(nodes)
    ids = {iri: number for number, iri in enumerate(ordered)}
    count = len(ordered)
    keys: list[int] = []  # subject * count + object: one int per pair, sorted below
    for s, o in backend.select(LINK_PAIRS_QUERY).rows:
        if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
            a, b = ids.get(s.value), ids.get(o.value)
            if a is not None and b is not None and a != b:  # a self-loop connects nothing
                keys.append(a * count + b)
    check_deadline(backend)
    del ids
    keys.sort()  # in order: the same sums, the same ranks
    return links_from_keys(ordered, keys)


def links_from_keys(names: Sequence[str], keys: Iterable[int]) -> LinkArrays:
    """The links ``subject * len(names) + object`` (in the order given) between the nodes
    ``names``, as arrays over the nodes some link touches, numbered in ``names``' order.

    >>> links = links_from_keys(["a", "b", "c"], [0 * 3 + 2, 2 * 3 + 0])
    >>> links.nodes, list(links.subjects), list(links.objects)
    (['a', 'c'], [0, 1], [1, 0])
    """
    count = len(names)
    subjects, objects = array("q"), array("q")
    for key in keys:
        subjects.append(key // count)
        objects.append(key % count)
    linked = sorted(set(subjects).union(objects))
    if len(linked) < count:  # ids of the linked nodes only
        renumber = {old: new for new, old in enumerate(linked)}
        subjects = array("q", map(renumber.__getitem__, subjects))
        objects = array("q", map(renumber.__getitem__, objects))
    return LinkArrays([names[i] for i in linked], subjects, objects)


def load_entity_graph(source: Source, index: EntityIndex | None = None) -> EntityGraph:
    """The entity graph of ``source``: :func:`entity_links` with labels for nodes and relations.

    >>> from mxgraph.store import open_store
    >>> graph = load_entity_graph(open_store())
    >>> "https://w3id.org/mxgraph/id/p03s1" in graph.nodes  # a source sentence
    False
    >>> len(graph.edges) > 300
    True
    """
    backend = as_backend(source)
    index = index or load_entity_index(backend)
    edges = entity_links(backend, index)
    check_deadline(backend)
    used = {s for s, _, _ in edges} | {o for _, _, o in edges}
    return EntityGraph(
        nodes={iri: index.ref(iri) for iri in sorted(used)},
        relations=term_refs(backend, {p for _, p, _ in edges}),
        edges=tuple(Edge(*edge) for edge in sorted(edges)),  # tuples sort 10x faster than Edges
    )


@dataclass(frozen=True)
class StepRelation:
    """A relation along a step: ``forward`` when it is stated from the step's start to its end;
    ``sources``: the sentences that state it."""

    relation: TermRef
    forward: bool
    sources: tuple[Citation, ...] = ()
    two_way: bool = False  # a symmetric relation, stated both ways

    def to_json(self) -> dict[str, object]:
        """``{"relation": ref, "direction": "out"|"in", "sources": [...], "two_way": bool}``;
        ``out``: stated from ``from``."""
        return {
            "relation": self.relation.to_json(),
            "direction": "out" if self.forward else "in",
            "sources": [citation.to_json() for citation in self.sources],
            "two_way": self.two_way,
        }


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
        forward = [r.relation.label for r in self.relations if r.forward and not r.two_way]
        backward = [r.relation.label for r in self.relations if not r.forward]
        both = [r.relation.label for r in self.relations if r.two_way]
        arrows = []
        if forward:
            arrows.append(f"—{', '.join(forward)}→")
        if backward:
            arrows.append(f"←{', '.join(backward)}—")
        if both:
            arrows.append(f"←{', '.join(both)}→")
        return " / ".join(arrows)

    def statement(self, relation: StepRelation) -> Statement:
        """The triple behind one of the step's relations."""
        subject, object_ = (self.start, self.end) if relation.forward else (self.end, self.start)
        return (subject.iri, relation.relation.iri, object_.iri)

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
    #: Through ``--via``: the entities the paths pass twice, when the search found no path
    #: that visits each entity once (see :func:`_through`); empty otherwise.
    revisits: tuple[EntityRef, ...] = ()


#: More shortest paths than this are not listed (``PathResult.truncated`` tells).
MAX_PATHS = 100

#: A path search that has reached this many nodes gives up (see :func:`shortest_paths`).
NODE_BUDGET = 200_000

# The entity-graph edges at one BFS frontier, either way, with labels. The frontier
# travels as a VALUES block of IRIs; ?node must itself be a node of the entity graph
# (the start or end may be an entity that is not, such as a time node). The
# direction is a VALUES constant, not BIND(true): Virtuoso has no boolean and
# mixes up BINDs in UNION branches beside a VALUES block. The frontier's VALUES block
# sits inside each branch: outside, Oxigraph evaluated the branches over the whole
# graph before joining (1.4 s per step at 10^6 triples, not 1 ms).
_FRONTIER_QUERY = """
SELECT ?node ?p ?next ?forward ?plabel ?nextlabel WHERE {{
  {{ {values} ?node ?p ?next VALUES ?forward {{ "out" }} }}
  UNION {{ {values} ?next ?p ?node VALUES ?forward {{ "in" }} }}
  FILTER(isIRI(?next) && ?next != ?node && ?p != rdf:type && ?p != mx:citation)
  {next_condition}
  OPTIONAL {{ ?p rdfs:label ?plabel }}
  OPTIONAL {{ ?next skos:prefLabel ?nextlabel }}
}}"""

_NODE_QUERY = """
SELECT ?node WHERE {{
  {values}
  {node_condition}
}}"""


class _Search:
    """One side of a bidirectional breadth-first search, and what both sides have learnt.

    ``distance`` maps each node reached from this side's root to its distance;
    ``parents`` maps a node to the nodes one step closer to the root that reach
    it. ``shared`` (both sides) holds the stated edges between explored pairs,
    node labels and relation labels.
    """

    def __init__(self, root: str, shared: _Explored, avoid: Avoid | None = None) -> None:
        self.distance = {root: 0}
        self.parents: dict[str, set[str]] = {root: set()}
        self.frontier = [root]
        self.depth = 0
        self.shared = shared
        self.avoid = avoid or Avoid()

    def expand(self, backend: SparqlBackend) -> list[str]:
        """Reach the next level with one query; returns the nodes first reached."""
        rows = backend.select(
            _FRONTIER_QUERY.format(
                values=values_block("node", [ox.NamedNode(iri) for iri in self.frontier]),
                next_condition=graph_node_condition("next"),
            )
        ).rows
        self.depth += 1
        reached: list[str] = []
        reachable = {row[2].value for row in rows if isinstance(row[2], ox.NamedNode)}
        avoided = self.avoid.nodes(backend, reachable)
        for node, p, nxt, forward, plabel, nextlabel in rows:
            if not (
                isinstance(node, ox.NamedNode)
                and isinstance(p, ox.NamedNode)
                and isinstance(nxt, ox.NamedNode)
            ):
                continue
            if p.value in self.avoid.relations or nxt.value in avoided:
                continue
            known = self.distance.get(nxt.value)
            if known is not None and known < self.depth:
                continue  # an edge back up the tree or within a level: on no shortest path
            if known is None:
                self.distance[nxt.value] = self.depth
                self.parents[nxt.value] = set()
                reached.append(nxt.value)
            self.parents[nxt.value].add(node.value)
            is_forward = isinstance(forward, ox.Literal) and forward.value == "out"
            edge = (
                Edge(node.value, p.value, nxt.value)
                if is_forward
                else Edge(nxt.value, p.value, node.value)
            )
            self.shared.add(edge, p.value, plabel, nxt.value, nextlabel)
        self.frontier = sorted(reached)
        return reached


@dataclass(frozen=True)
class Avoid:
    """What a path may not go through: relations, and nodes of some classes (the start and
    the end excepted)."""

    relations: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    ends: frozenset[str] = frozenset()
    #: Entities not to go through (a path through ``--via`` avoids the nodes of its other leg).
    entities: frozenset[str] = frozenset()

    def nodes(self, backend: SparqlBackend, iris: set[str]) -> set[str]:
        """Which of ``iris`` are avoided entities or of an avoided class (``classes`` holds
        their subclasses too)."""
        found = (iris - self.ends) & self.entities
        candidates = sorted(iris - self.ends - found)
        if not self.classes or not candidates:
            return found
        sparql = _TYPES_QUERY.format(
            values=values_block("node", [ox.NamedNode(iri) for iri in candidates])
        )
        return found | {
            node.value
            for node, kind in backend.select(sparql).rows
            if isinstance(node, ox.NamedNode)
            and isinstance(kind, ox.NamedNode)
            and kind.value in self.classes
        }


# Direct types only, matched against the classes' subclass closure read once: a VALUES
# block joined with a transitive path loses rows on Virtuoso 7.2.
_TYPES_QUERY = """
SELECT ?node ?type WHERE {{
  {values}
  ?node a ?type .
}}"""

_SUBCLASSES_QUERY = """
SELECT DISTINCT ?class WHERE {{
  {values}
  ?class rdfs:subClassOf* ?top .
}}"""

#: Not hops unless asked for: documents and web pages (further reading, sources).
DOCUMENTS = MX.Document


@dataclass
class _Explored:
    """Edges, node labels and relation labels seen by a path search."""

    edges: dict[frozenset[str], set[Edge]]
    node_labels: dict[str, list[ox.Literal]]
    relation_labels: dict[str, list[ox.Literal]]

    def add(self, edge: Edge, predicate: str, plabel: object, node: str, nodelabel: object) -> None:
        self.edges.setdefault(frozenset((edge.subject, edge.object)), set()).add(edge)
        for table, key, label in (
            (self.relation_labels, predicate, plabel),
            (self.node_labels, node, nodelabel),
        ):
            found = table.setdefault(key, [])
            if isinstance(label, ox.Literal) and label not in found:
                found.append(label)


def shortest_paths(
    source: Source,
    start: str,
    end: str,
    *,
    max_length: int | None = None,
    all_paths: bool = False,
    limit: int = MAX_PATHS,
    node_budget: int = NODE_BUDGET,
    exclude: Sequence[str] = (),
    via: str | None = None,
    documents: bool = False,
) -> PathResult:
    """The shortest connection between the entities named ``start`` and ``end``.

    One path (the first by labels, so the answer is stable) or, with
    ``all_paths``, every shortest path up to ``limit``, first by labels. No
    path, or none of at most ``max_length`` steps, gives a result with
    ``length`` ``None``.

    Documents and web pages (further reading, the fact sheet) are not gone
    through unless ``documents``; ``exclude`` names more relations or classes
    (CURIE, IRI or label) not to go through; ``via`` names an entity the path
    must pass (the shortest path to it, then the shortest from it, visiting no
    entity twice when the search finds such a path: see :func:`_through`).

    The search is breadth first from both ends at once, one SPARQL query per
    level of the smaller side, so it reads only the neighbourhoods it needs
    and never the whole graph. A search that reaches more than
    ``node_budget`` nodes stops with an error suggesting ``--max-length``.

    >>> from mxgraph.store import open_store
    >>> store = open_store()
    >>> [p.chain() for p in shortest_paths(store, "USAID", "Fulbright", all_paths=True).paths]
    ['U.S. Agency for International Development —agency of→ United States ←cooperates with→ ...']
    >>> shortest_paths(store, "Chile", "Canada", max_length=2).paths
    ()
    """
    backend = as_backend(source)
    start_ref, end_ref = _resolve(backend, start), _resolve(backend, end)
    avoid = _avoid(backend, exclude, documents)
    if via is not None:
        via_ref = _resolve(backend, via)
        return _through(
            backend,
            (start_ref, via_ref, end_ref),
            max_length,
            avoid,
            all_paths=all_paths,
            limit=limit,
            node_budget=node_budget,
        )
    return _search(
        backend,
        start_ref,
        end_ref,
        max_length,
        avoid,
        all_paths=all_paths,
        limit=limit,
        node_budget=node_budget,
    )


def _avoid(backend: SparqlBackend, exclude: Sequence[str], documents: bool) -> Avoid:
    """The relations and classes (with every subclass) a path may not go through."""
    relations, classes = set(), set() if documents else {DOCUMENTS}
    for name in exclude:
        try:
            relations.add(resolve_relation(backend, name).iri)
        except MxGraphError:
            try:
                classes.add(resolve_class(backend, name).iri)
            except MxGraphError:
                raise MxGraphError(
                    f"--exclude {name!r} names no relation or class of the graph"
                ) from None
    if classes:
        sparql = _SUBCLASSES_QUERY.format(
            values=values_block("top", [ox.NamedNode(iri) for iri in sorted(classes)])
        )
        rows = backend.select(sparql).rows
        classes |= {row[0].value for row in rows if isinstance(row[0], ox.NamedNode)}
    return Avoid(frozenset(relations), frozenset(classes))


def _through(
    backend: SparqlBackend,
    ends: tuple[EntityRef, EntityRef, EntityRef],
    max_length: int | None,
    avoid: Avoid,
    *,
    all_paths: bool,
    limit: int,
    node_budget: int,
) -> PathResult:
    """Paths from ``start`` through ``via`` to ``end``, visiting no entity twice when
    this search finds such a path.

    The shortest path to ``via`` joined with the shortest from it; when every such
    pair meets again (Fulbright → Mexico → Pacific Alliance → Mexico → Canada), one leg
    (its first shortest path) is kept and the other searched again around its entities,
    each way round, and the shorter outcome is the answer. That can miss a path on which
    both legs leave their shortest routes: then, as when there is none, the shortest
    walks are the answer, with the entities they pass twice (``revisits``).
    """
    start, via, end = ends
    options = {"all_paths": all_paths, "limit": limit, "node_budget": node_budget}

    def leg(a: EntityRef, b: EntityRef, around: Avoid = avoid) -> PathResult:
        return _search(backend, a, b, max_length, around, **options)  # type: ignore[arg-type]

    shown = limit if all_paths else 1
    first, second = leg(start, via), leg(via, end)
    joined = _joined([first, second], start, end, max_length, shown)
    if joined.paths or not first.paths or not second.paths:
        return joined
    answers = []
    for kept_first, kept in ((True, first), (False, second)):
        path = kept.paths[0]
        used = frozenset(_entities_of(path)) - {via.iri}
        around = replace(avoid, entities=avoid.entities | used)
        only = replace(kept, paths=(path,))
        legs = [only, leg(via, end, around)] if kept_first else [leg(start, via, around), only]
        answers.append(_joined(legs, start, end, max_length, shown))
    found = [a for a in answers if a.paths]
    if found:
        return min(found, key=lambda a: a.length or 0)
    # Every way through ``via`` found passes an entity twice: the shortest such walks,
    # saying which entities they pass twice.
    walks = _joined([first, second], start, end, max_length, shown, simple=False)
    refs: dict[str, EntityRef] = {}
    twice: dict[str, None] = {}  # in order, each once, over every walk listed
    for walk in walks.paths:
        refs.update((ref.iri, ref) for step in walk.steps for ref in (step.start, step.end))
        seen = Counter(_entities_of(walk))
        twice.update((iri, None) for iri, n in seen.items() if n > 1)
    return replace(walks, revisits=tuple(refs[iri] for iri in twice))


def _entities_of(path: Path) -> list[str]:
    """The IRIs of the entities ``path`` goes through, in order, both ends included."""
    if not path.steps:
        return []
    return [path.steps[0].start.iri, *(step.end.iri for step in path.steps)]


def _joined(
    legs: list[PathResult],
    start: EntityRef,
    end: EntityRef,
    max_length: int | None,
    limit: int,
    *,
    simple: bool = True,
) -> PathResult:
    """Paths through a middle entity: each path of the first leg followed by each of the
    second, but (when ``simple``) for those that visit an entity twice."""
    first, second = legs
    if first.length is None or second.length is None:
        return PathResult(start, end, None, (), max_length)
    length = first.length + second.length
    if max_length is not None and length > max_length:
        return PathResult(start, end, None, (), max_length)
    paths = []
    for a in first.paths:
        for b in second.paths:
            path = Path(a.steps + b.steps)
            entities = _entities_of(path)
            if not simple or len(set(entities)) == len(entities):
                paths.append(path)
    return PathResult(
        start,
        end,
        length,
        tuple(paths[:limit]),
        max_length,
        len(paths) > limit or first.truncated or second.truncated,
    )


def _search(
    backend: SparqlBackend,
    start_ref: EntityRef,
    end_ref: EntityRef,
    max_length: int | None,
    avoid: Avoid,
    *,
    all_paths: bool,
    limit: int,
    node_budget: int,
) -> PathResult:
    """The bidirectional search between two resolved entities (see :func:`shortest_paths`)."""
    check_deadline(backend)
    if start_ref.iri == end_ref.iri:
        return PathResult(start_ref, end_ref, 0, (Path(()),), max_length)
    empty = PathResult(start_ref, end_ref, None, (), max_length)
    if not _are_graph_nodes(backend, (start_ref.iri, end_ref.iri)):
        return empty
    explored = _Explored({}, {}, {})
    avoid = replace(avoid, ends=frozenset({start_ref.iri, end_ref.iri}))
    forward = _Search(start_ref.iri, explored, avoid)
    backward = _Search(end_ref.iri, explored, avoid)
    meeting: list[str] = []
    while not meeting:
        if max_length is not None and forward.depth + backward.depth >= max_length:
            return empty
        if not forward.frontier or not backward.frontier:
            return empty
        check_deadline(backend)
        side, other = (
            (forward, backward)
            if len(forward.frontier) <= len(backward.frontier)
            else (backward, forward)
        )
        reached = side.expand(backend)
        meeting = sorted(iri for iri in reached if iri in other.distance)
        if len(forward.distance) + len(backward.distance) > node_budget and not meeting:
            raise MxGraphError(
                f"path search gave up after reaching {node_budget} entities without "
                "connecting them; give a smaller --max-length"
            )
    check_deadline(backend)
    length = forward.depth + backward.depth
    refs = {start_ref.iri: start_ref, end_ref.iri: end_ref}

    def ref(iri: str) -> EntityRef:
        if iri not in refs:
            refs[iri] = EntityRef.of(iri, best_label(explored.node_labels.get(iri, [])))
        return refs[iri]

    # Forward links of the shortest-path DAG: first from the start to the meeting
    # nodes (reversed parent links of the forward side, kept only where they lead
    # to a meeting node), then from the meeting nodes to the end (parents of the
    # backward side).
    children: dict[str, set[str]] = {}
    useful, level = set(meeting), set(meeting)
    while level:
        above: set[str] = set()
        for iri in level:
            for parent in forward.parents[iri]:
                children.setdefault(parent, set()).add(iri)
                above.add(parent)
        useful |= above
        level = above
    for iri, parents in backward.parents.items():
        children.setdefault(iri, set()).update(parents)
    paths: list[Path] = []
    wanted = limit + 1 if all_paths else 1
    for nodes in _paths_in_label_order(start_ref.iri, end_ref.iri, length, children, ref):
        paths.append(_path(explored, ref, nodes))
        if len(paths) >= wanted:
            break
    truncated = all_paths and len(paths) > limit
    check_deadline(backend)
    paths = _with_sources(backend, paths[:limit])
    return PathResult(start_ref, end_ref, length, tuple(paths), max_length, truncated)


def _with_sources(backend: SparqlBackend, paths: list[Path]) -> list[Path]:
    """The paths with the source sentences of every relation along them, each link stated
    both ways (a property and its inverse, a symmetric property) kept once."""
    found = statement_sources(
        backend,
        [step.statement(r) for path in paths for step in path.steps for r in step.relations],
    )
    links = load_inverses(backend) if paths else None

    def cited(step: Step) -> Step:
        relations = [replace(r, sources=found[step.statement(r)]) for r in step.relations]
        return replace(step, relations=_one_per_link(relations, links))

    return [Path(tuple(cited(step) for step in path.steps)) for path in paths]


def _one_per_link(
    relations: list[StepRelation], links: Inverses | None
) -> tuple[StepRelation, ...]:
    """Each link of a step stated both ways once (see :func:`~mxgraph.inverses.one_per_link`)."""
    if links is None:
        return tuple(relations)
    return tuple(
        one_per_link(relations, links, lambda r: r.forward, lambda r, predicate: predicate)
    )


def _paths_in_label_order(
    start: str,
    end: str,
    length: int,
    children: dict[str, set[str]],
    ref: Callable[[str], EntityRef],
) -> Iterator[list[str]]:
    """The paths of ``length`` steps from ``start`` to ``end``, ordered by their nodes' labels.

    Depth first, children in label order: paths come out sorted by the list
    of (label, IRI) of their nodes, and the first is found without listing
    the others.
    """
    stack: list[tuple[list[str], Iterator[str]]] = []

    def ordered(iri: str) -> Iterator[str]:
        following = children.get(iri, set())
        return iter(sorted(following, key=lambda n: (ref(n).label, n)))

    stack.append(([start], ordered(start)))
    while stack:
        nodes, pending = stack[-1]
        nxt = next(pending, None)
        if nxt is None:
            stack.pop()
            continue
        if nxt in nodes:
            continue
        extended = [*nodes, nxt]
        if nxt == end:
            if len(extended) - 1 == length:
                yield extended
            continue
        if len(extended) - 1 < length:
            stack.append((extended, ordered(nxt)))


def _are_graph_nodes(backend: SparqlBackend, iris: Sequence[str]) -> bool:
    """Whether every one of ``iris`` is a node of the entity graph (see the module docstring)."""
    sparql = _NODE_QUERY.format(
        values=values_block("node", [ox.NamedNode(iri) for iri in iris]),
        node_condition=graph_node_condition("node"),
    )
    found = {
        row[0].value for row in backend.select(sparql).rows if isinstance(row[0], ox.NamedNode)
    }
    return found == set(iris)


def _resolve(backend: SparqlBackend, name: str) -> EntityRef:
    from mxgraph.resolve import resolve_entity

    return resolve_entity(backend, name)


def _path(explored: _Explored, ref: Callable[[str], EntityRef], nodes: list[str]) -> Path:
    steps = []
    for a, b in itertools.pairwise(nodes):
        stated = explored.edges[frozenset((a, b))]
        relations = sorted(
            {
                StepRelation(
                    TermRef.of(
                        e.predicate, best_label(explored.relation_labels.get(e.predicate, []))
                    ),
                    e.subject == a,
                )
                for e in stated
            },
            key=lambda r: (not r.forward, r.relation.label),
        )
        steps.append(Step(ref(a), ref(b), tuple(relations)))
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
    return link_pagerank(
        ((edge.subject, edge.object) for edge in graph.edges),
        alpha=alpha,
        tolerance=tolerance,
        max_iterations=max_iterations,
    )


#: From this many nodes PageRank runs in numpy when it is installed (importing it costs
#: about 100 ms; the pure-Python loop takes 2 s for 100,000 nodes, numpy 0.1 s).
NUMPY_FROM = 20_000


def link_pagerank(
    links: Iterable[tuple[str, str]],
    *,
    alpha: float = 0.85,
    tolerance: float = 1e-9,
    max_iterations: int = 200,
) -> dict[str, float]:
    """:func:`pagerank` over ``(subject, object)`` pairs, one per relation."""
    index: dict[str, int] = {}
    subjects: array[int] = array("q")
    objects: array[int] = array("q")
    for subject, obj in links:
        if subject == obj:
            continue
        subjects.append(index.setdefault(subject, len(index)))
        objects.append(index.setdefault(obj, len(index)))
    rank = array_pagerank(
        len(index),
        subjects,
        objects,
        alpha=alpha,
        tolerance=tolerance,
        max_iterations=max_iterations,
    )
    return {node: rank[i] for node, i in sorted(index.items())}


def array_pagerank(
    count: int,
    subjects: Sequence[int],
    objects: Sequence[int],
    *,
    alpha: float = 0.85,
    tolerance: float = 1e-9,
    max_iterations: int = 200,
) -> list[float]:
    """PageRank of nodes ``0 .. count-1`` linked both ways by ``subjects[k]``, ``objects[k]``.

    Each node sums its neighbours' shares in the order of the pairs. From
    :data:`NUMPY_FROM` nodes, in numpy when it is installed (the same sums in
    the same order).

    >>> [round(r, 3) for r in array_pagerank(3, [0, 1], [1, 2])]
    [0.257, 0.486, 0.257]
    """
    if not count:
        return []
    if count >= NUMPY_FROM and importlib.util.find_spec("numpy") is not None:
        return _numpy_pagerank(count, subjects, objects, alpha, tolerance, max_iterations)
    neighbors: list[list[int]] = [[] for _ in range(count)]  # once per relation
    for a, b in zip(subjects, objects, strict=True):
        neighbors[a].append(b)
        neighbors[b].append(a)
    base = (1.0 - alpha) / count
    weights = [alpha / len(found) for found in neighbors]
    # Pull form: each node sums its neighbours' shares, picked by one itemgetter per node
    # (C code; a lone neighbour is paired with a 0.0 kept at the end of the shares).
    pick = [
        operator.itemgetter(*found) if len(found) > 1 else operator.itemgetter(found[0], count)
        for found in neighbors
    ]
    del neighbors
    rank = [1.0 / count] * count
    for _ in range(max_iterations):
        share = list(map(operator.mul, rank, weights))
        share.append(0.0)
        new = [base + sum(neighbors_of(share)) for neighbors_of in pick]
        change = sum(map(abs, map(operator.sub, new, rank)))
        rank = new
        if change < count * tolerance:
            return rank
    raise MxGraphError(f"PageRank did not converge in {max_iterations} iterations")


def _numpy_pagerank(
    count: int,
    subjects: Sequence[int],
    objects: Sequence[int],
    alpha: float,
    tolerance: float,
    max_iterations: int,
) -> list[float]:
    """:func:`array_pagerank`'s iteration over numpy arrays (numpy imported only here).

    Every pair gives each end the other as a neighbour; a stable sort by node
    keeps each node's neighbours in pair order, and ``bincount`` adds them in
    that order: the pure-Python sums, in C (about 20x faster).
    """
    import numpy

    pairs = len(subjects)
    targets = numpy.empty(2 * pairs, dtype=numpy.int64)
    sources = numpy.empty(2 * pairs, dtype=numpy.int64)
    targets[0::2], targets[1::2] = subjects, objects
    sources[0::2], sources[1::2] = objects, subjects
    order = numpy.argsort(targets, kind="stable")
    targets, sources = targets[order], sources[order]
    del order
    weights = alpha / numpy.bincount(targets, minlength=count)
    base = (1.0 - alpha) / count
    rank = numpy.full(count, 1.0 / count)
    for _ in range(max_iterations):
        share = rank * weights
        new = base + numpy.bincount(targets, weights=share[sources], minlength=count)
        change = float(numpy.abs(new - rank).sum())
        rank = new
        if change < count * tolerance:
            return [float(r) for r in rank]
    raise MxGraphError(f"PageRank did not converge in {max_iterations} iterations")
