"""A summary of the graph: triples, entities by class, predicates by use, most connected entities.

:func:`graph_stats` reads the graph with a few plain SPARQL queries and ranks
entities by degree and PageRank (:mod:`mxgraph.paths`); it returns a frozen
:class:`GraphStats` (:func:`mxgraph.lookup_format.stats_report` renders it).

>>> from mxgraph.store import open_store
>>> graph_stats(open_store(), top=1).top_by_degree[0].entity.label
'Mexico'
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from mxgraph.backend import (
    Source,
    SparqlBackend,
    as_backend,
    check_deadline,
    int_value,
    values_block,
)
from mxgraph.errors import MxGraphError
from mxgraph.namespaces import MX, TIME, curie
from mxgraph.query import Term
from mxgraph.resolve import (
    NON_ENTITY_CLASSES,
    EntityRef,
    TermRef,
    best_label,
    parse_iri,
)

if TYPE_CHECKING:
    from mxgraph.paths import LinkArrays


@dataclass(frozen=True)
class ClassCount:
    """How many entities a class has (direct instances)."""

    type: TermRef
    entities: int


@dataclass(frozen=True)
class RelationCount:
    """How many triples use a predicate."""

    relation: TermRef
    uses: int


@dataclass(frozen=True)
class Centrality:
    """How connected an entity is: its degree and PageRank in the entity graph."""

    entity: EntityRef
    degree: int
    pagerank: float

    def to_json(self) -> dict[str, object]:
        """``{"entity": ref, "degree": n, "pagerank": x}`` (PageRank rounded to 6 places)."""
        return {
            "entity": self.entity.to_json(),
            "degree": self.degree,
            "pagerank": round(self.pagerank, 6),
        }


@dataclass(frozen=True)
class GraphStats:
    """A summary of the graph (see :func:`graph_stats`)."""

    triples: int
    entities: int
    entity_links: int
    classes: tuple[ClassCount, ...]
    relations: tuple[RelationCount, ...]
    top_by_degree: tuple[Centrality, ...]
    top_by_pagerank: tuple[Centrality, ...]


# Types are read once, with plain queries, and filtered in Python: which nodes are entities
# (not of a meta class), which are time nodes (not nodes of the entity graph) and how many
# entities each class has. An entity condition per row in the store read every IRI's text
# (5 s at 10^6 triples against 1.5 s for this).
_ALL_TYPES_QUERY = "SELECT ?e ?type WHERE { ?e a ?type FILTER(isIRI(?e) && isIRI(?type)) }"

_PREF_LABELS_QUERY = "SELECT ?e ?label WHERE { ?e skos:prefLabel ?label FILTER(isIRI(?e)) }"

_TYPE_LABELS_QUERY = """
SELECT ?type ?label WHERE {
  { SELECT DISTINCT ?type { [] a ?type } }
  ?type rdfs:label ?label .
}"""

# A link stated both ways (USAID runs a program and the program is run by USAID; Mexico
# cooperates with Canada and Canada with Mexico) is one link: these queries find the links
# stated both ways, whose second statement is then left out of degree and PageRank.
_INVERSE_BOTH_WAYS = "SELECT ?s ?o WHERE {{ {values} ?s ?p ?o . ?o ?q ?s }}"
_SYMMETRIC_BOTH_WAYS = "SELECT ?s ?o WHERE {{ {values} ?s ?p ?o . ?o ?p ?s }}"

# Counts every triple once: the sum over predicates is the number of triples.
_PREDICATES_QUERY = """
SELECT ?p ?n ?label WHERE {
  { SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p }
  OPTIONAL { ?p rdfs:label ?label }
}"""


def graph_stats(source: Source, *, top: int = 10) -> GraphStats:
    """Triples, entities by class, predicates by use, and the ``top`` most connected entities.

    Degree counts the relations of an entity in the entity graph
    (:mod:`mxgraph.paths`); PageRank is :func:`mxgraph.paths.pagerank`.
    Five queries read the graph: predicates with counts (their sum is the
    number of triples), preferred labels, types, class labels and the
    candidate edges.

    >>> from mxgraph.store import open_store
    >>> stats = graph_stats(open_store(), top=2)
    >>> [(c.entity.label, c.degree) for c in stats.top_by_degree]
    [('Mexico', ...), ('United States', ...)]
    """
    from mxgraph.paths import array_pagerank, link_arrays

    backend = as_backend(source)
    if top < 1:
        raise MxGraphError("--top must be at least 1")
    relations = [
        RelationCount(term, n) for term, n in _counted(backend.select(_PREDICATES_QUERY).rows)
    ]
    triples = sum(r.uses for r in relations)
    check_deadline(backend)
    types: dict[str, list[str]] = {}
    for entity, kind in backend.select(_ALL_TYPES_QUERY).rows:
        if isinstance(entity, ox.NamedNode) and isinstance(kind, ox.NamedNode):
            types.setdefault(entity.value, []).append(kind.value)
    check_deadline(backend)
    labels = _entity_labels(backend, types)
    check_deadline(backend)
    members: dict[str, int] = {}
    for iri in labels:
        for kind_iri in set(types.get(iri, [])):
            members[kind_iri] = members.get(kind_iri, 0) + 1
    type_labels: dict[str, list[ox.Literal]] = {}
    for kind, label in backend.select(_TYPE_LABELS_QUERY).rows:
        if isinstance(kind, ox.NamedNode) and isinstance(label, ox.Literal):
            type_labels.setdefault(kind.value, []).append(label)
    classes = [
        ClassCount(TermRef.of(kind, best_label(type_labels.get(kind, []))), found)
        for kind, found in members.items()
    ]
    timed = {e for e, kinds in types.items() if any(k.startswith(TIME) for k in kinds)}
    del types
    check_deadline(backend)
    links = link_arrays(backend, labels.keys() - timed, {r.relation.iri: r.uses for r in relations})
    check_deadline(backend)
    links = _one_per_link(backend, links)
    check_deadline(backend)
    nodes = links.nodes
    degree = Counter(links.subjects)
    degree.update(links.objects)
    ranks = array_pagerank(len(nodes), links.subjects, links.objects)
    # Ranked on 12 decimals: equal ranks summed in another order differ in the last bits,
    # and their order should not depend on that.
    rounded = [round(rank, 12) for rank in ranks]

    def name(n: int) -> str:
        return labels.get(nodes[n], nodes[n])

    ids = range(len(nodes))
    by_degree = heapq.nsmallest(
        top, ids, key=lambda n: (-degree[n], -rounded[n], name(n), nodes[n])
    )
    by_rank = heapq.nsmallest(top, ids, key=lambda n: (-rounded[n], -degree[n], name(n), nodes[n]))

    def central(found: list[int]) -> tuple[Centrality, ...]:
        return tuple(
            Centrality(EntityRef.of(nodes[n], labels.get(nodes[n])), degree[n], ranks[n])
            for n in found
        )

    return GraphStats(
        triples=triples,
        entities=len(labels),
        entity_links=len(links.subjects),
        classes=tuple(sorted(classes, key=lambda c: (-c.entities, c.type.label, c.type.iri))),
        relations=tuple(sorted(relations, key=lambda r: (-r.uses, r.relation.curie))),
        top_by_degree=central(by_degree),
        top_by_pagerank=central(by_rank),
    )


def _one_per_link(backend: SparqlBackend, links: LinkArrays) -> LinkArrays:
    """``links`` with each link stated both ways counted once (see :mod:`mxgraph.inverses`):
    for a property and its inverse the statement of the later property (by IRI) is left out,
    for a symmetric property the one from the later IRI to the earlier."""
    from mxgraph.inverses import load_inverses
    from mxgraph.paths import LinkArrays

    inverses = load_inverses(backend)
    pairs = sorted({(p, q) for p, q in inverses.inverses.items() if p < q})
    symmetric = sorted(inverses.symmetric)
    ids = {iri: number for number, iri in enumerate(links.nodes)}
    count = len(links.nodes)
    second: Counter[int] = Counter()  # subject * count + object of each statement left out

    def both_ways(query: str, values: str) -> Iterator[tuple[int, int, str, str]]:
        for s, o in backend.select(query.format(values=values)).rows:
            if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
                a, b = ids.get(s.value), ids.get(o.value)
                if a is not None and b is not None and a != b:
                    yield a, b, s.value, o.value

    if pairs and count:
        rows = " ".join(f"({ox.NamedNode(p)} {ox.NamedNode(q)})" for p, q in pairs)
        for a, b, _, _ in both_ways(_INVERSE_BOTH_WAYS, f"VALUES (?p ?q) {{ {rows} }}"):
            second[b * count + a] += 1  # the inverse's statement, from the object
    if symmetric and count:
        values = values_block("p", map(ox.NamedNode, symmetric))
        for a, b, s_iri, o_iri in both_ways(_SYMMETRIC_BOTH_WAYS, values):
            if s_iri > o_iri:
                second[a * count + b] += 1
    if not second:
        return links
    subjects, objects = array("q"), array("q")
    for a, b in zip(links.subjects, links.objects, strict=True):
        key = a * count + b
        if second[key] > 0:
            second[key] -= 1
            continue
        subjects.append(a)
        objects.append(b)
    return LinkArrays(links.nodes, subjects, objects)


def _entity_labels(backend: SparqlBackend, types: dict[str, list[str]]) -> dict[str, str]:
    """Every entity's label, as :func:`~mxgraph.resolve.load_entity_index` gives it.

    Entities as :data:`~mxgraph.resolve.ENTITY_CONDITION` says: a preferred
    label, outside mxgraph's ontology, of no meta class (read from ``types``).
    """
    meta = {iri for iri in map(parse_iri, NON_ENTITY_CLASSES.split(",")) if iri}
    found: dict[str, list[ox.Literal]] = {}
    for entity, label in backend.select(_PREF_LABELS_QUERY).rows:
        if (
            isinstance(entity, ox.NamedNode)
            and isinstance(label, ox.Literal)
            and not entity.value.startswith(MX)
        ):
            found.setdefault(entity.value, []).append(label)
    return {
        iri: best_label(literals) or curie(iri)
        for iri, literals in found.items()
        if meta.isdisjoint(types.get(iri, []))
    }


def _counted(rows: Sequence[tuple[Term | None, ...]]) -> list[tuple[TermRef, int]]:
    """``(IRI, count, label)`` rows as terms with counts; several labels per IRI collapse."""
    counts: dict[str, int] = {}
    labels: dict[str, list[ox.Literal]] = {}
    for iri, n, label in rows:
        if isinstance(iri, ox.NamedNode):
            counts[iri.value] = int_value(n) or 0
            found = labels.setdefault(iri.value, [])
            if isinstance(label, ox.Literal):
                found.append(label)
    return [(TermRef.of(iri, best_label(labels[iri])), n) for iri, n in counts.items()]
