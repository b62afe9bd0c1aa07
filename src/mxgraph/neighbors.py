"""The entities around one entity, breadth first, with the sentences stating each link.

:func:`neighbors` walks the entity graph (:mod:`mxgraph.paths`) one level per
SPARQL query through a :class:`~mxgraph.backend.SparqlBackend`; it returns a
frozen :class:`Neighborhood` and never prints
(:func:`mxgraph.lookup_format.neighbors_report` renders it).

>>> from mxgraph.store import open_store
>>> [n.entity.label for n in neighbors(open_store(), "Chile").neighbors]
['Pacific Alliance', 'Pacific Alliance']
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pyoxigraph as ox

from mxgraph.backend import (
    Source,
    as_backend,
    check_deadline,
    values_block,
)
from mxgraph.direction import Direction
from mxgraph.errors import MxGraphError
from mxgraph.inverses import Inverses, load_inverses, one_per_link
from mxgraph.provenance import Citation, Statement, statement_sources
from mxgraph.query import Term
from mxgraph.resolve import (
    EntityRef,
    TermRef,
    add_label,
    best_label,
    graph_node_condition,
    instances_of,
    resolve_class,
    resolve_entity,
    resolve_relation,
)


@dataclass(frozen=True)
class Neighbor:
    """A node reached at ``depth`` from ``via`` by one relation (``out``: ``via`` is subject),
    with the sentences that state that relation."""

    depth: int
    via: EntityRef
    direction: Direction
    relation: TermRef
    entity: EntityRef
    sources: tuple[Citation, ...] = ()
    two_way: bool = False  # a symmetric relation, stated both ways

    def to_json(self) -> dict[str, object]:
        """``{"depth", "from", "direction": "out"|"in", "relation", "entity", "sources",
        "two_way"}``."""
        return {
            "depth": self.depth,
            "from": self.via.to_json(),
            "direction": self.direction.value,
            "relation": self.relation.to_json(),
            "entity": self.entity.to_json(),
            "sources": [citation.to_json() for citation in self.sources],
            "two_way": self.two_way,
        }

    def statement(self) -> Statement:
        """The triple behind the relation."""
        if self.direction is Direction.OUT:
            return (self.via.iri, self.relation.iri, self.entity.iri)
        return (self.entity.iri, self.relation.iri, self.via.iri)


@dataclass(frozen=True)
class Neighborhood:
    """The entities around one entity, up to ``depth`` relations away (see :func:`neighbors`)."""

    entity: EntityRef
    depth: int
    direction: Direction
    relation: TermRef | None
    type: TermRef | None
    neighbors: tuple[Neighbor, ...]


# The direction comes from a VALUES row, not BIND: with BIND in the branches of a
# UNION, Virtuoso drops the bound nodes' VALUES block and answers for every node.
# The nodes' VALUES block is repeated inside each branch: outside, Oxigraph evaluated
# the branches over the whole graph before joining (1.4 s at 10^6 triples, not 1 ms).
_NEIGHBOR_BRANCHES = {
    Direction.OUT: '{{ {values} ?node ?p ?next VALUES ?dir {{ "out" }} }}',
    Direction.IN: '{{ {values} ?next ?p ?node VALUES ?dir {{ "in" }} }}',
}

_NEIGHBORS_QUERY = """
SELECT ?node ?p ?next ?dir ?plabel ?nextlabel {relation_var} WHERE {{
  {branches}
  FILTER(isIRI(?next) && ?p != rdf:type && ?p != mx:citation)
  {relation_filter}
  {next_condition}
  OPTIONAL {{ ?p rdfs:label ?plabel }}
  OPTIONAL {{ ?next skos:prefLabel ?nextlabel }}
}}"""


def neighbors(
    source: Source,
    name: str,
    *,
    depth: int = 1,
    relation: str | None = None,
    direction: Direction | str = Direction.BOTH,
    type: str | None = None,
) -> Neighborhood:
    """The entities up to ``depth`` relations from the entity ``name``, breadth first.

    ``relation`` (CURIE, IRI or label) keeps only that relation and
    ``direction`` only relations from (``out``) or to (``in``) each node;
    both restrict the walk. ``type`` (a class: CURIE, IRI or label, subclasses
    included) keeps only neighbors of that class in the answer, but the walk
    passes through others. Nodes are those of the entity graph
    (:mod:`mxgraph.paths`): no time nodes, sentences or ontology terms. Each
    row is a relation by which a node was first reached.

    >>> from mxgraph.store import open_store
    >>> around = neighbors(open_store(), "Chile")
    >>> [(n.direction.value, n.relation.label, n.entity.label) for n in around.neighbors]
    [('out', 'launched', 'Pacific Alliance'), ('out', 'participates in', 'Pacific Alliance')]
    """
    backend = as_backend(source)
    if depth < 1:
        raise MxGraphError("--depth must be at least 1")
    way = Direction(direction)
    entity = resolve_entity(backend, name)
    relation_ref = resolve_relation(backend, relation) if relation is not None else None
    class_ref = resolve_class(backend, type) if type is not None else None
    branches = [branch for d, branch in _NEIGHBOR_BRANCHES.items() if way in (d, Direction.BOTH)]
    bindings: dict[str, Term] = {}
    if relation_ref is not None:
        bindings["relation"] = ox.NamedNode(relation_ref.iri)
    seen = {entity.iri: entity}
    frontier = [entity.iri]
    found: list[Neighbor] = []
    for level in range(1, depth + 1):
        if not frontier:
            break
        check_deadline(backend)
        values = values_block("node", [ox.NamedNode(iri) for iri in frontier])
        sparql = _NEIGHBORS_QUERY.format(
            relation_var="?relation" if relation_ref else "",
            branches=" UNION ".join(branch.format(values=values) for branch in branches),
            relation_filter="FILTER(?p = ?relation)" if relation_ref else "",
            next_condition=graph_node_condition("next"),
        )
        edges: set[tuple[str, str, str, str]] = set()
        p_labels: dict[str, list[ox.Literal]] = {}
        next_labels: dict[str, list[ox.Literal]] = {}
        for node, p, nxt, dir_, plabel, nextlabel, *_ in backend.select(sparql, bindings).rows:
            if not (
                isinstance(node, ox.NamedNode)
                and isinstance(p, ox.NamedNode)
                and isinstance(nxt, ox.NamedNode)
                and isinstance(dir_, ox.Literal)
            ):
                continue
            if nxt.value in seen:
                continue  # the start, an earlier depth, or a node at this same depth
            edges.add((node.value, p.value, dir_.value, nxt.value))
            add_label(p_labels, p.value, plabel)
            add_label(next_labels, nxt.value, nextlabel)
        new_nodes: dict[str, EntityRef] = {}
        for node_iri, p_iri, dir_value, next_iri in edges:
            next_ref = new_nodes.setdefault(
                next_iri, EntityRef.of(next_iri, best_label(next_labels.get(next_iri, [])))
            )
            found.append(
                Neighbor(
                    level,
                    seen[node_iri],
                    Direction(dir_value),
                    TermRef.of(p_iri, best_label(p_labels.get(p_iri, []))),
                    next_ref,
                )
            )
        seen.update(new_nodes)
        frontier = sorted(new_nodes)
    if class_ref is not None:
        typed = instances_of(backend, [n.entity.iri for n in found], class_ref)
        found = [n for n in found if n.entity.iri in typed]
    check_deadline(backend)
    sources = statement_sources(backend, [n.statement() for n in found])
    cited = [replace(n, sources=sources[n.statement()]) for n in found]
    ordered = sorted(
        _one_neighbor_per_link(cited, load_inverses(backend)),
        key=lambda n: (
            n.depth,
            n.via.label,
            n.direction is Direction.IN,
            n.relation.label,
            n.entity.label,
            n.entity.iri,
        ),
    )
    return Neighborhood(entity, depth, way, relation_ref, class_ref, tuple(ordered))


def _one_neighbor_per_link(found: list[Neighbor], links: Inverses) -> list[Neighbor]:
    """Each link stated both ways once (see :func:`~mxgraph.inverses.one_per_link`)."""
    return one_per_link(
        found,
        links,
        lambda n: n.direction is Direction.OUT,
        lambda n, predicate: (n.depth, n.via.iri, predicate, n.entity.iri),
    )
