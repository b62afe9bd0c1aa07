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
import itertools
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from mxgraph.backend import (
    Source,
    SparqlBackend,
    as_backend,
    check_deadline,
    int_value,
    select_rows,
    values_block,
)
from mxgraph.errors import MxGraphError
from mxgraph.namespaces import MX, SKOS, TIME, curie
from mxgraph.query import Term
from mxgraph.resolve import (
    NON_ENTITY_CLASSES,
    EntityRef,
    TermRef,
    best_label,
    parse_iri,
)

if TYPE_CHECKING:
    from mxgraph.inverses import Inverses
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


# The graph is read with plain triple patterns and sorted out in Python. In Oxigraph, a
# FILTER or a join on a term reads the term's text from the store like a result does, and at
# 10^7 triples such reads dominate (a store lookup each, tens of microseconds): the filtered
# types and labels queries took 60 s and 51 s there, these 18 s and 39 s.
_PREF_LABELS_QUERY = "SELECT ?e ?label WHERE { ?e skos:prefLabel ?label }"

_ALL_TYPES_QUERY = "SELECT ?e ?type WHERE { ?e a ?type }"

_TYPE_LABELS_QUERY = "SELECT ?type ?label WHERE {{ {values} ?type rdfs:label ?label }}"

# Counts every triple once: the sum over predicates is the number of triples.
_PREDICATES_QUERY = """
SELECT ?p ?n ?label WHERE {
  { SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p }
  OPTIONAL { ?p rdfs:label ?label }
}"""

# Edges, predicate by predicate (a link stated both ways is found from the pairs of a property
# and its inverse). Only the object is tested in the query: a literal object costs one read,
# and the subject's text is read only for rows that keep it.
_PREDICATE_PAIRS_QUERY = "SELECT ?s ?o WHERE {{ ?s {predicate} ?o FILTER(isIRI(?o)) }}"
_FEW_PAIRS_QUERY = "SELECT ?p ?s ?o WHERE {{ {values} ?s ?p ?o FILTER(isIRI(?o)) }}"
# A large predicate's distinct objects are read first: when none is a node of the entity
# graph (a sentence's selectors, time points), its subjects are never read. At 10^7 triples
# this took 9 s for oa:hasSelector, against 55 s for its pairs.
_PREDICATE_OBJECTS_QUERY = "SELECT DISTINCT ?o WHERE {{ ?s {predicate} ?o FILTER(isIRI(?o)) }}"

#: From this many triples a predicate's objects are read before its pairs; smaller ones are
#: read together, in parts of at most :data:`mxgraph.paths.LINK_CHUNK` triples.
OBJECTS_FIRST_FROM = 10_000


def graph_stats(source: Source, *, top: int = 10) -> GraphStats:
    """Triples, entities by class, predicates by use, and the ``top`` most connected entities.

    Degree counts the relations of an entity in the entity graph
    (:mod:`mxgraph.paths`), a link stated both ways once; PageRank is
    :func:`mxgraph.paths.array_pagerank`. Plain queries read the graph:
    predicates with counts (their sum is the number of triples), preferred
    labels, types, class labels, the ontology's inverse properties and each
    predicate's edges; their rows are read one at a time where the backend
    streams them.

    >>> from mxgraph.store import open_store
    >>> stats = graph_stats(open_store(), top=2)
    >>> [(c.entity.label, c.degree) for c in stats.top_by_degree]
    [('Mexico', ...), ('United States', ...)]
    """
    from mxgraph.paths import array_pagerank

    backend = as_backend(source)
    if top < 1:
        raise MxGraphError("--top must be at least 1")
    relations = [
        RelationCount(term, n) for term, n in _counted(backend.select(_PREDICATES_QUERY).rows)
    ]
    triples = sum(r.uses for r in relations)
    check_deadline(backend)
    entities = _read_entities(backend)
    check_deadline(backend)
    links = _entity_links(backend, entities, {r.relation.iri: r.uses for r in relations})
    check_deadline(backend)
    nodes = links.nodes
    degree = [0] * len(nodes)
    for n in itertools.chain(links.subjects, links.objects):
        degree[n] += 1
    ranks = array_pagerank(len(nodes), links.subjects, links.objects)
    # Ranked on 12 decimals: equal ranks summed in another order differ in the last bits,
    # and their order should not depend on that.
    rounded = [round(rank, 12) for rank in ranks]
    check_deadline(backend)

    by_degree = _tied(top, len(nodes), lambda n: (-degree[n], -rounded[n]))
    by_rank = _tied(top, len(nodes), lambda n: (-rounded[n], -degree[n]))
    labels = _labels(backend, [nodes[n] for n in {*by_degree, *by_rank}])
    by_degree = sorted(
        by_degree, key=lambda n: (-degree[n], -rounded[n], labels[nodes[n]], nodes[n])
    )
    by_rank = sorted(by_rank, key=lambda n: (-rounded[n], -degree[n], labels[nodes[n]], nodes[n]))

    def central(found: list[int]) -> tuple[Centrality, ...]:
        return tuple(
            Centrality(EntityRef.of(nodes[n], labels[nodes[n]]), degree[n], ranks[n])
            for n in found[:top]
        )

    return GraphStats(
        triples=triples,
        entities=entities.count,
        entity_links=len(links.subjects),
        classes=tuple(
            sorted(entities.classes, key=lambda c: (-c.entities, c.type.label, c.type.iri))
        ),
        relations=tuple(sorted(relations, key=lambda r: (-r.uses, r.relation.curie))),
        top_by_degree=central(by_degree),
        top_by_pagerank=central(by_rank),
    )


def _tied(top: int, count: int, rank: Callable[[int], tuple[float, float]]) -> list[int]:
    """The ids of ``0 .. count-1`` ranked at least as high as the ``top``-th by ``rank``:
    the ``top`` first, once ties are broken by label and IRI, are among them."""
    first = heapq.nsmallest(top, range(count), key=rank)
    if not first:
        return []
    last = rank(first[-1])
    return [n for n in range(count) if rank(n) <= last]


#: Labels of up to this many entities are asked for by name; more are read with all labels.
LABELS_BY_NAME = 10_000

_LABELS_OF_QUERY = "SELECT ?e ?label WHERE {{ {values} ?e skos:prefLabel ?label }}"


def _labels(backend: SparqlBackend, iris: Collection[str]) -> dict[str, str]:
    """The label of each of ``iris`` (entities), as :func:`~mxgraph.resolve.best_label` picks it."""
    if len(iris) > LABELS_BY_NAME:
        queries = [_PREF_LABELS_QUERY]
    else:
        ordered = sorted(iris)
        queries = [
            _LABELS_OF_QUERY.format(values=values_block("e", map(ox.NamedNode, part)))
            for part in (ordered[i : i + 1000] for i in range(0, len(ordered), 1000))
        ]
    found: dict[str, list[ox.Literal]] = {iri: [] for iri in iris}
    for query in queries:
        for entity, label in select_rows(backend, query):
            if isinstance(entity, ox.NamedNode) and isinstance(label, ox.Literal):
                known = found.get(entity.value)
                if known is not None:
                    known.append(label)
    return {iri: best_label(literals) or curie(iri) for iri, literals in found.items()}


@dataclass
class _Entities:
    """The entities, as :func:`~mxgraph.resolve.load_entity_index` finds them, numbered.

    ``iris`` are sorted, an id is a position in it; ``nodes`` flags the ids that
    are nodes of the entity graph (entities but time nodes); ``label_links`` are
    ``skos:prefLabel`` values that are IRIs (the label query reads that predicate's
    edges too).
    """

    iris: list[str]
    ids: dict[str, int]
    nodes: bytearray
    count: int
    classes: list[ClassCount]
    label_links: list[tuple[str, str]]


def _read_entities(backend: SparqlBackend) -> _Entities:
    """Entities as :data:`~mxgraph.resolve.ENTITY_CONDITION` says (a literal preferred label,
    outside mxgraph's ontology, of no meta class), their classes, and which are time nodes."""
    found: set[str] = set()  # labels are read for the ranked entities only (see _labels)
    label_links: list[tuple[str, str]] = []
    for entity, label in select_rows(backend, _PREF_LABELS_QUERY):
        if not isinstance(entity, ox.NamedNode):
            continue
        if isinstance(label, ox.NamedNode):
            label_links.append((entity.value, label.value))
        elif isinstance(label, ox.Literal) and not entity.value.startswith(MX):
            found.add(entity.value)
    check_deadline(backend)
    iris = sorted(found)
    ids = {iri: n for n, iri in enumerate(iris)}
    del found
    meta_classes = {iri for iri in map(parse_iri, NON_ENTITY_CLASSES.split(",")) if iri}
    meta: set[int] = set()
    timed: set[int] = set()
    members: dict[str, array[int]] = {}
    get = ids.get
    for entity, kind in select_rows(backend, _ALL_TYPES_QUERY):
        if isinstance(entity, ox.NamedNode) and isinstance(kind, ox.NamedNode):
            n = get(entity.value)
            if n is None:
                continue
            if kind.value in meta_classes:
                meta.add(n)
            elif kind.value.startswith(TIME):
                timed.add(n)
            members.setdefault(kind.value, array("q")).append(n)
    check_deadline(backend)
    counts = {kind: len(set(found_ids) - meta) for kind, found_ids in members.items()}
    counts = {kind: n for kind, n in counts.items() if n}
    type_labels: dict[str, list[ox.Literal]] = {}
    if counts:
        values = values_block("type", map(ox.NamedNode, sorted(counts)))
        for kind, label in select_rows(backend, _TYPE_LABELS_QUERY.format(values=values)):
            if isinstance(kind, ox.NamedNode) and isinstance(label, ox.Literal):
                type_labels.setdefault(kind.value, []).append(label)
    nodes = bytearray(len(iris))
    for n in range(len(iris)):
        nodes[n] = n not in meta and n not in timed
    return _Entities(
        iris=iris,
        ids=ids,
        nodes=nodes,
        count=len(iris) - len(meta),
        classes=[
            ClassCount(TermRef.of(kind, best_label(type_labels.get(kind, []))), n)
            for kind, n in counts.items()
        ],
        label_links=label_links,
    )


def _entity_links(
    backend: SparqlBackend, entities: _Entities, predicates: Mapping[str, int]
) -> LinkArrays:
    """The edges of the entity graph, each link stated both ways once (see
    :mod:`mxgraph.inverses`): for a property and its inverse the statement of the
    later property (by IRI) is left out, for a symmetric property the one from the
    later IRI to the earlier. Pairs are sorted, as :func:`~mxgraph.paths.array_pagerank`
    wants them (the same sums in the same order)."""
    from mxgraph import paths
    from mxgraph.inverses import load_inverses

    ids, is_node = entities.ids, entities.nodes
    count = len(entities.iris)
    stated: dict[str, array[int]] = {}  # per predicate: subject * count + object

    def add(predicate: str, s: str, o: str) -> None:
        a, b = ids.get(s), ids.get(o)
        if a is not None and b is not None and a != b and is_node[a] and is_node[b]:
            stated.setdefault(predicate, array("q")).append(a * count + b)

    for subject, obj in entities.label_links:
        add(SKOS.prefLabel, subject, obj)
    few: dict[str, int] = {}
    for predicate, uses in sorted(predicates.items()):
        if predicate in paths.NOT_EDGES or predicate == SKOS.prefLabel:
            continue
        if uses < OBJECTS_FIRST_FROM:
            few[predicate] = uses
            continue
        term = ox.NamedNode(predicate)
        found = select_rows(backend, _PREDICATE_OBJECTS_QUERY.format(predicate=term))
        if not any(_is_node(o, ids, is_node) for (o,) in found):
            continue
        pairs = select_rows(backend, _PREDICATE_PAIRS_QUERY.format(predicate=term))
        _add_pairs(stated.setdefault(predicate, array("q")), pairs, ids, is_node)
        check_deadline(backend)
    for part in _parts(few, paths.LINK_CHUNK):
        values = values_block("p", map(ox.NamedNode, part))
        for p, s, o in select_rows(backend, _FEW_PAIRS_QUERY.format(values=values)):
            if (
                isinstance(p, ox.NamedNode)
                and isinstance(s, ox.NamedNode)
                and isinstance(o, ox.NamedNode)
            ):
                add(p.value, s.value, o.value)
        check_deadline(backend)
    second = _second_statements(stated, load_inverses(backend), count)
    keys = sorted(itertools.chain.from_iterable(stated.values()))
    stated.clear()

    def first_statements() -> Iterator[int]:
        for key in keys:
            if second and second.get(key, 0) > 0:
                second[key] -= 1
                continue
            yield key

    return paths.links_from_keys(entities.iris, first_statements())


def _add_pairs(
    keys: array[int],
    rows: Iterable[tuple[Term | None, ...]],
    ids: Mapping[str, int],
    is_node: bytearray,
) -> None:
    """Add the ``(subject, object)`` rows linking two nodes to ``keys``, as
    ``subject * count + object`` (the object first: most rows that do not link two nodes
    end in a sentence, a selector or a time, and their subject's text is never read)."""
    get, append, count = ids.get, keys.append, len(is_node)
    for s, o in rows:
        if isinstance(o, ox.NamedNode) and isinstance(s, ox.NamedNode):
            b = get(o.value)
            if b is not None and is_node[b]:
                a = get(s.value)
                if a is not None and a != b and is_node[a]:
                    append(a * count + b)


def _is_node(term: Term | None, ids: Mapping[str, int], is_node: bytearray) -> bool:
    if not isinstance(term, ox.NamedNode):
        return False
    n = ids.get(term.value)
    return n is not None and bool(is_node[n])


def _parts(sizes: Mapping[str, int], limit: int) -> Iterator[list[str]]:
    """``sizes``' keys in order, in parts whose sizes add up to at most ``limit`` (or one key)."""
    part: list[str] = []
    size = 0
    for key, n in sizes.items():
        if part and size + n > limit:
            yield part
            part, size = [], 0
        part.append(key)
        size += n
    if part:
        yield part


def _second_statements(
    stated: Mapping[str, array[int]], inverses: Inverses, count: int
) -> Counter[int]:
    """The statements left out as the second of a link stated both ways, as
    ``subject * count + object`` with how many times (once per pair of statements)."""
    second: Counter[int] = Counter()

    def reverse(key: int) -> int:
        return (key % count) * count + key // count

    for p, q in sorted({(p, q) for p, q in inverses.inverses.items() if p < q}):
        if p in stated and q in stated:
            backwards = Counter(map(reverse, stated[q]))  # q's statements, object to subject
            for key, n in Counter(stated[p]).items():
                if backwards[key]:
                    second[reverse(key)] += n * backwards[key]  # q's statement, from the object
    for p in sorted(inverses.symmetric):
        if p in stated:
            either = Counter(stated[p])
            for key, n in either.items():
                a, b = divmod(key, count)
                if a > b and either[reverse(key)]:  # ids are in IRI order
                    second[key] += n * either[reverse(key)]
    return second


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
