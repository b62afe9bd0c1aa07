"""Entity lookups: describe an entity, list its neighbors, search names, summarize the graph.

Every lookup is a few SPARQL SELECT queries sent through a
:class:`~mxgraph.backend.SparqlBackend` (a store is wrapped in a
:class:`~mxgraph.backend.LocalBackend`); names typed by users are resolved
by :mod:`mxgraph.resolve` and never pasted into query text. Functions return
frozen dataclasses and never print; :mod:`mxgraph.lookup_format` renders them.

>>> from mxgraph.store import open_store
>>> store = open_store()
>>> [r.other.label for r in describe_entity(store, "USAID").relations if r.relation.label == "runs"]
['USAID programs under the Merida Initiative']
>>> search_entities(store, "merida").hits[0].entity.curie
'mxd:merida-initiative'
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from mxgraph.backend import (
    LocalBackend,
    Source,
    SparqlBackend,
    as_backend,
    check_deadline,
    int_value,
    is_true,
    values_block,
)
from mxgraph.direction import Direction as Direction  # re-exported: lookup.Direction
from mxgraph.errors import EntityNotFound, MxGraphError
from mxgraph.inverses import Inverses, load_inverses, one_per_link
from mxgraph.namespaces import DCT, MX, OWL, RDF, SCHEMA, SKOS, TIME, WD, curie
from mxgraph.provenance import Citation, Statement, statement_sources
from mxgraph.query import Term
from mxgraph.resolve import (
    NON_ENTITY_CLASSES,
    EntityRef,
    TermRef,
    best_label,
    entity_condition,
    normalize_name,
    parse_iri,
    resolve_class,
    resolve_entity,
    resolve_relation,
)


@dataclass(frozen=True)
class Relation:
    """A link between the entity looked at and another node, which way it runs, and the
    sentences that state it (empty for a link no sentence states, such as an inferred one)."""

    direction: Direction
    relation: TermRef
    other: EntityRef
    sources: tuple[Citation, ...] = ()
    two_way: bool = False  # a symmetric relation, stated both ways

    def to_json(self) -> dict[str, object]:
        """``{"direction": "out"|"in", "relation": ref, "entity": ref, "sources": [...],
        "two_way": bool}``."""
        return {
            "direction": self.direction.value,
            "relation": self.relation.to_json(),
            "entity": self.other.to_json(),
            "sources": [citation.to_json() for citation in self.sources],
            "two_way": self.two_way,
        }

    def statement(self, entity: str) -> Statement:
        """The triple behind the link, for ``entity`` the entity looked at."""
        if self.direction is Direction.OUT:
            return (entity, self.relation.iri, self.other.iri)
        return (self.other.iri, self.relation.iri, entity)


@dataclass(frozen=True)
class Attribute:
    """A literal-valued property: lexical value, with a datatype CURIE or a language tag."""

    property: TermRef
    value: str
    datatype: str | None = None
    language: str | None = None

    def to_json(self) -> dict[str, object]:
        """``{"property": ref, "value": str, "datatype": curie|null, "language": tag|null}``."""
        return {
            "property": self.property.to_json(),
            "value": self.value,
            "datatype": self.datatype,
            "language": self.language,
        }


Number = int | float


@dataclass(frozen=True)
class QuantitativeFact:
    """A quantitative fact about an entity: value or bounds, unit, qualifier, time and sources."""

    fact: EntityRef
    types: tuple[TermRef, ...]
    role: TermRef
    value: Number | None
    lower_bound: Number | None
    upper_bound: Number | None
    ordinal: int | None
    unit: TermRef | None
    currency: str | None
    qualifier: TermRef | None
    qualifier_text: str | None
    per: TermRef | None
    time: EntityRef | None
    links: tuple[Relation, ...]
    sources: tuple[Citation, ...]
    #: Bounds the figure lies strictly beyond ("more than 3,500"; "hundreds of thousands"
    #: stays below 1,000,000).
    exclusive_lower_bound: Number | None = None
    exclusive_upper_bound: Number | None = None

    def to_json(self) -> dict[str, object]:
        """The fact as JSON (see :mod:`mxgraph.lookup_format` for the schema)."""
        return {
            "fact": self.fact.to_json(),
            "types": [t.to_json() for t in self.types],
            "role": self.role.to_json(),
            "value": self.value,
            "lower_bound": self.lower_bound,
            "upper_bound": self.upper_bound,
            "exclusive_lower_bound": self.exclusive_lower_bound,
            "exclusive_upper_bound": self.exclusive_upper_bound,
            "ordinal": self.ordinal,
            "unit": self.unit.to_json() if self.unit else None,
            "currency": self.currency,
            "qualifier": self.qualifier.to_json() if self.qualifier else None,
            "qualifier_text": self.qualifier_text,
            "per": self.per.to_json() if self.per else None,
            "time": self.time.to_json() if self.time else None,
            "links": [
                {"relation": r.relation.to_json(), "entity": r.other.to_json()} for r in self.links
            ],
            "sources": [c.to_json() for c in self.sources],
        }


@dataclass(frozen=True)
class EntityDescription:
    """Everything the graph says about one entity (see :func:`describe_entity`)."""

    entity: EntityRef
    types: tuple[TermRef, ...]
    aliases: tuple[str, ...]
    description: str | None
    wikidata: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    relations: tuple[Relation, ...]
    facts: tuple[QuantitativeFact, ...]
    sources: tuple[Citation, ...]


# --- describe ---------------------------------------------------------------------------

# The triples of some nodes, with labels for predicates and objects and the text of
# objects that are source sentences. Several labels multiply rows; callers dedupe.
# Every OPTIONAL is one triple pattern: Oxigraph evaluates a group of patterns inside an
# OPTIONAL on its own and joins afterwards, which read every sentence of a large graph
# (2 s at 10^6 triples); single patterns are looked up per row.
_TRIPLES_QUERY = """
SELECT ?node ?p ?o ?plabel ?opref ?olabel ?exact ?start ?end ?sentence WHERE {{
  {values}
  ?node ?p ?o .
  OPTIONAL {{ ?p rdfs:label ?plabel }}
  OPTIONAL {{ ?o skos:prefLabel ?opref }}
  OPTIONAL {{ ?o rdfs:label ?olabel }}
  OPTIONAL {{ ?o oa:hasSelector/oa:exact ?exact }}
  OPTIONAL {{ ?o oa:hasSelector/oa:start ?start }}
  OPTIONAL {{ ?o oa:hasSelector/oa:end ?end }}
  BIND(EXISTS {{ ?o a mx:SourceSentence }} AS ?sentence)
}}"""

# The nodes pointing at ?e (source sentences aside), flagged when they are quantitative facts.
_INCOMING_QUERY = """
SELECT ?e ?s ?p ?spref ?plabel ?fact WHERE {
  ?s ?p ?e .
  FILTER(isIRI(?s) && ?p != rdf:type)
  FILTER NOT EXISTS { ?s a mx:SourceSentence }
  OPTIONAL { ?s skos:prefLabel ?spref }
  OPTIONAL { ?p rdfs:label ?plabel }
  # One EXISTS over a UNION, not two joined by ||: Virtuoso cannot compile the latter (SQ074).
  BIND(EXISTS { { ?s mx:value|mx:lowerBound|mx:upperBound|mx:exclusiveLowerBound
                    |mx:exclusiveUpperBound|mx:ordinal ?amount }
                UNION { ?s a/rdfs:subClassOf* mx:QuantitativeFact } } AS ?fact)
}"""

_CITATION = MX.citation
_WIKIDATA_LINKS = frozenset({SCHEMA.sameAs, SKOS.closeMatch, OWL.sameAs})
_NAME_PROPERTIES = frozenset({SKOS.prefLabel, SKOS.altLabel, DCT.description})
_QUANTITY_PROPERTIES = frozenset(
    {
        MX.value,
        MX.lowerBound,
        MX.upperBound,
        MX.exclusiveLowerBound,
        MX.exclusiveUpperBound,
        MX.ordinal,
        MX.unit,
        SCHEMA.currency,
        MX.qualifier,
        MX.qualifierText,
        MX.perTimeUnit,
        MX.referenceTime,
    }
)


@dataclass
class _NodeTriples:
    """The triples of one node, read from :data:`_TRIPLES_QUERY` rows."""

    objects: dict[str, list[Term]]
    labels: dict[str, list[ox.Literal]]  # by IRI: predicates' and objects' labels
    preferred: dict[str, list[ox.Literal]]  # by IRI: objects' skos:prefLabel
    citations: dict[str, Citation]

    def term(self, iri: str) -> TermRef:
        return TermRef.of(iri, best_label(self.preferred.get(iri, []) or self.labels.get(iri, [])))

    def ref(self, iri: str) -> EntityRef:
        return EntityRef.of(
            iri, best_label(self.preferred.get(iri, []) or self.labels.get(iri, []))
        )

    def iris(self, predicate: str) -> list[str]:
        return sorted(
            {o.value for o in self.objects.get(predicate, []) if isinstance(o, ox.NamedNode)}
        )

    def literals(self, predicate: str) -> list[ox.Literal]:
        found = {o for o in self.objects.get(predicate, []) if isinstance(o, ox.Literal)}
        return sorted(found, key=lambda lit: (lit.language or "", lit.value))


def _node_triples(backend: SparqlBackend, iris: Sequence[str]) -> dict[str, _NodeTriples]:
    sparql = _TRIPLES_QUERY.format(values=values_block("node", [ox.NamedNode(i) for i in iris]))
    nodes = {iri: _NodeTriples({}, {}, {}, {}) for iri in iris}
    for node, p, o, plabel, opref, olabel, exact, start, end, sentence in backend.select(
        sparql
    ).rows:
        if not isinstance(node, ox.NamedNode) or not isinstance(p, ox.NamedNode) or o is None:
            continue
        triples = nodes[node.value]
        values = triples.objects.setdefault(p.value, [])
        if o not in values:
            values.append(o)
        for iri, label, table in (
            (p.value, plabel, triples.labels),
            (o.value if isinstance(o, ox.NamedNode) else "", opref, triples.preferred),
            (o.value if isinstance(o, ox.NamedNode) else "", olabel, triples.labels),
        ):
            if iri and isinstance(label, ox.Literal):
                found = table.setdefault(iri, [])
                if label not in found:
                    found.append(label)
        if isinstance(o, ox.NamedNode) and isinstance(exact, ox.Literal) and is_true(sentence):
            triples.citations[o.value] = Citation(
                int_value(start), int_value(end), EntityRef.of(o.value), exact.value
            )
    return nodes


def _number(term: Term | None) -> Number | None:
    """A numeric literal as an int when it is whole, else a float (JSON-ready)."""
    if not isinstance(term, ox.Literal):
        return None
    try:
        number = Decimal(term.value.strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def describe_entity(source: Source, name: str) -> EntityDescription:
    """What the graph says about the entity ``name`` (see :func:`~mxgraph.resolve.resolve_entity`).

    Relations to quantitative facts are listed as :attr:`EntityDescription.facts`.
    Each relation has the sentences that state it; :attr:`EntityDescription.sources`
    holds every sentence that mentions the entity (``mx:citation``) or states one
    of its relations.

    >>> from mxgraph.store import open_store
    >>> usaid = describe_entity(open_store(), "USAID")
    >>> usaid.entity.label, usaid.wikidata
    ('U.S. Agency for International Development', ('http://www.wikidata.org/entity/Q217072',))
    >>> usaid.aliases
    ('USAID', 'United States Agency for International Development')
    >>> [(c.sentence.curie, c.start, c.end) for c in usaid.sources][0]
    ('mxd:p19s1', ...)
    """
    backend = as_backend(source)
    try:
        entity = resolve_entity(backend, name)
    except EntityNotFound as error:
        raise _with_search_hits(backend, name, error) from None
    check_deadline(backend)
    incoming = backend.select(_INCOMING_QUERY, {"e": ox.NamedNode(entity.iri)}).rows
    in_relations: list[Relation] = []
    fact_roles: dict[str, list[str]] = {}
    in_labels: dict[str, list[ox.Literal]] = {}
    subject_labels: dict[str, list[ox.Literal]] = {}
    in_edges: set[tuple[str, str]] = set()
    for _, s, p, spref, plabel, fact in incoming:
        if not isinstance(s, ox.NamedNode) or not isinstance(p, ox.NamedNode):
            continue
        for iri, label, table in ((p.value, plabel, in_labels), (s.value, spref, subject_labels)):
            if isinstance(label, ox.Literal) and label not in table.setdefault(iri, []):
                table[iri].append(label)
        if is_true(fact):
            roles = fact_roles.setdefault(s.value, [])
            if p.value not in roles:
                roles.append(p.value)
        else:
            in_edges.add((p.value, s.value))
    for p_iri, s_iri in in_edges:
        in_relations.append(
            Relation(
                Direction.IN,
                TermRef.of(p_iri, best_label(in_labels.get(p_iri, []))),
                EntityRef.of(s_iri, best_label(subject_labels.get(s_iri, []))),
            )
        )
    check_deadline(backend)
    facts_iris = sorted(fact_roles)
    nodes = _node_triples(backend, [entity.iri, *facts_iris])
    own = nodes[entity.iri]
    types = tuple(sorted(own.term(iri) for iri in own.iris(RDF.type)))
    wikidata = tuple(
        sorted(iri for p in _WIKIDATA_LINKS for iri in own.iris(p) if iri.startswith(str(WD)))
    )
    out_relations: list[Relation] = []
    attributes: list[Attribute] = []
    for p_iri in sorted(own.objects):
        if p_iri in (RDF.type, _CITATION) or p_iri in _NAME_PROPERTIES:
            continue
        for iri in own.iris(p_iri):
            if not (p_iri in _WIKIDATA_LINKS and iri.startswith(str(WD))):
                out_relations.append(Relation(Direction.OUT, own.term(p_iri), own.ref(iri)))
        for literal in own.literals(p_iri):
            attributes.append(_attribute(own.term(p_iri), literal))
    descriptions = own.literals(DCT.description)
    facts = [
        _quantitative_fact(nodes[iri], iri, role, in_labels, entity.iri)
        for iri in facts_iris
        for role in fact_roles[iri]
    ]
    relations = in_relations + out_relations
    check_deadline(backend)
    sources = statement_sources(backend, [r.statement(entity.iri) for r in relations])
    relations = [replace(r, sources=sources[r.statement(entity.iri)]) for r in relations]
    relations = _one_per_link(relations, load_inverses(backend))
    return EntityDescription(
        entity=entity,
        types=types,
        aliases=tuple(dict.fromkeys(lit.value for lit in own.literals(SKOS.altLabel))),
        description=best_label(descriptions),
        wikidata=wikidata,
        attributes=tuple(sorted(attributes, key=lambda a: (a.property.label, a.value))),
        relations=tuple(sorted(relations, key=_relation_order)),
        facts=tuple(sorted(facts, key=lambda f: (f.fact.label, f.fact.iri, f.role.label))),
        sources=tuple(
            sorted(
                {own.citations[iri] for iri in own.iris(_CITATION) if iri in own.citations}
                | {citation for r in relations for citation in r.sources}
            )
        ),
    )


def _with_search_hits(backend: SparqlBackend, name: str, error: EntityNotFound) -> EntityNotFound:
    """A name no entity has: when its close spellings suggest nothing, the search's best
    matches for its words (``high-level border committee``: the Executive Steering
    Committee, whose description says high-level committee)."""
    hits = search_entities(backend, name, limit=3).hits
    if not hits:
        return error
    shown = "; ".join(f"{hit.entity.label} ({hit.entity.curie})" for hit in hits)
    message = f"no entity named {name.strip()!r}; the search finds: {shown}"
    _, close, spellings = str(error).partition("; did you mean: ")
    if close:
        found = {hit.entity.curie for hit in hits}
        others = [s for s in spellings.split(", ") if s.rpartition("(")[2].rstrip(")") not in found]
        if others:
            message += f"; close spellings: {', '.join(others)}"
    return EntityNotFound(message)


def _one_per_link(relations: list[Relation], links: Inverses) -> list[Relation]:
    """Each link stated both ways once (``←run by—`` beside ``—runs→`` goes)."""
    return one_per_link(
        relations,
        links,
        lambda r: r.direction is Direction.OUT,
        lambda r, predicate: (predicate, r.other.iri),
    )


def _relation_order(relation: Relation) -> tuple[bool, str, str, str]:
    return (
        relation.direction is Direction.IN,
        relation.relation.label,
        relation.other.label,
        relation.other.iri,
    )


def _attribute(prop: TermRef, literal: ox.Literal) -> Attribute:
    datatype = literal.datatype.value
    shown = None if literal.language or datatype.endswith("#string") else curie(datatype)
    return Attribute(prop, literal.value, shown, literal.language or None)


def _quantitative_fact(
    node: _NodeTriples, iri: str, role: str, labels: dict[str, list[ox.Literal]], entity: str
) -> QuantitativeFact:
    """The fact ``iri`` linked to ``entity`` by ``role``; that link is not repeated in links."""

    def first_iri(predicate: str) -> str | None:
        found = node.iris(predicate)
        return found[0] if found else None

    def first_literal(predicate: str) -> ox.Literal | None:
        found = node.literals(predicate)
        return found[0] if found else None

    unit, qualifier, per, time = (
        first_iri(p) for p in (MX.unit, MX.qualifier, MX.perTimeUnit, MX.referenceTime)
    )
    currency, qualifier_text = (first_literal(p) for p in (SCHEMA.currency, MX.qualifierText))
    ordinal = _number(first_literal(MX.ordinal))
    links = [
        Relation(Direction.OUT, node.term(p), node.ref(o))
        for p in sorted(node.objects)
        if p not in _QUANTITY_PROPERTIES and p not in (RDF.type, _CITATION)
        for o in node.iris(p)
        if (p, o) != (role, entity)
    ]
    return QuantitativeFact(
        fact=EntityRef.of(iri, best_label(node.literals(SKOS.prefLabel))),
        types=tuple(sorted(node.term(t) for t in node.iris(RDF.type))),
        role=TermRef.of(role, best_label(labels.get(role, []))),
        value=_number(first_literal(MX.value)),
        lower_bound=_number(first_literal(MX.lowerBound)),
        upper_bound=_number(first_literal(MX.upperBound)),
        ordinal=int(ordinal) if ordinal is not None else None,
        unit=node.term(unit) if unit else None,
        currency=currency.value if currency else None,
        qualifier=node.term(qualifier) if qualifier else None,
        qualifier_text=qualifier_text.value if qualifier_text else None,
        per=node.term(per) if per else None,
        time=node.ref(time) if time else None,
        links=tuple(sorted(links, key=_relation_order)),
        sources=tuple(
            sorted(node.citations[c] for c in node.iris(_CITATION) if c in node.citations)
        ),
        exclusive_lower_bound=_number(first_literal(MX.exclusiveLowerBound)),
        exclusive_upper_bound=_number(first_literal(MX.exclusiveUpperBound)),
    )


# --- neighbors --------------------------------------------------------------------------


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

_TYPED_QUERY = """
SELECT ?node ?class WHERE {{
  {values}
  ?node a/rdfs:subClassOf* ?class .
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
    from mxgraph.paths import graph_node_condition

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
            _add_label(p_labels, p.value, plabel)
            _add_label(next_labels, nxt.value, nextlabel)
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
        typed = _of_class(backend, [n.entity.iri for n in found], class_ref)
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


def _add_label(table: dict[str, list[ox.Literal]], iri: str, label: Term | None) -> None:
    found = table.setdefault(iri, [])
    if isinstance(label, ox.Literal) and label not in found:
        found.append(label)


def _of_class(backend: SparqlBackend, iris: Sequence[str], class_ref: TermRef) -> set[str]:
    """Which of ``iris`` are instances of the class (or of its subclasses)."""
    if not iris:
        return set()
    sparql = _TYPED_QUERY.format(values=values_block("node", [ox.NamedNode(i) for i in set(iris)]))
    rows = backend.select(sparql, {"class": ox.NamedNode(class_ref.iri)}).rows
    return {node.value for node, _ in rows if isinstance(node, ox.NamedNode)}


# --- search -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """An entity matching a search: its score, the field that matched and the matching text."""

    entity: EntityRef
    score: int
    field: str
    matched: str
    types: tuple[TermRef, ...]

    def to_json(self) -> dict[str, object]:
        """``{"entity": ref, "score": n, "field": "label"|"alias"|"description", ...}``."""
        return {
            "entity": self.entity.to_json(),
            "score": self.score,
            "field": self.field,
            "matched": self.matched,
            "types": [t.to_json() for t in self.types],
        }


@dataclass(frozen=True)
class SearchResult:
    """The answer to a search: what was asked, and the hits, best first."""

    query: str
    type: TermRef | None
    limit: int
    hits: tuple[SearchHit, ...]


#: Scores by kind of match; an entity scores its best match.
SCORES = {
    "exact label": 100,
    "exact alias": 95,
    "label prefix": 90,
    "alias prefix": 70,
    "label words": 60,
    "alias words": 55,
    "label substring": 50,
    "alias substring": 45,
    "description words": 30,
    "description substring": 20,
}

# {text_filter} keeps texts holding every word searched for (see _text_filter).
_SEARCH_QUERY = """
SELECT ?e ?field ?text ?label WHERE {{
  {{ ?e skos:prefLabel ?text BIND("label" AS ?field) }}
  UNION {{ ?e skos:altLabel ?text BIND("alias" AS ?field) }}
  UNION {{ ?e dct:description ?text BIND("description" AS ?field) }}
  {text_filter}
  {entity_condition}
  OPTIONAL {{ ?e skos:prefLabel ?label }}
}}"""


def _text_filter(query: str) -> str:
    """A FILTER keeping only texts that contain every word of the normalized ``query``.

    Every kind of match in :func:`match_score` needs each word of the query in
    the text, so the store can drop the other texts. The patterns (from
    :func:`~mxgraph.resolve.name_pattern`, accent and case variants included)
    are written as escaped literals; empty when a word has characters they
    do not cover, so every text is read.
    """
    from mxgraph.resolve import name_pattern

    patterns = [name_pattern(word, anchored=False) for word in _WORD.findall(query)]
    if not patterns or any(p is None for p in patterns):
        return ""
    tests = " && ".join(f"REGEX(LCASE(STR(?text)), {ox.Literal(p)})" for p in patterns if p)
    return f"FILTER({tests})"


_TYPES_QUERY = """
SELECT ?node ?type ?label WHERE {{
  {values}
  ?node a ?type .
  OPTIONAL {{ ?type rdfs:label ?label }}
}}"""

_WORD = re.compile(r"\w+")


def score_rules(field: str) -> tuple[tuple[str, int], ...]:
    """The kinds of match that score in ``field``, in the order they are tried, with scores.

    >>> score_rules("alias")
    (('exact', 95), ('prefix', 70), ('words', 55), ('substring', 45))
    >>> score_rules("description")
    (('words', 30), ('substring', 20))
    """
    kinds = ("words", "substring") if field == "description" else _KINDS
    keys = ((kind, f"exact {field}" if kind == "exact" else f"{field} {kind}") for kind in kinds)
    return tuple((kind, SCORES[key]) for kind, key in keys if key in SCORES)


_KINDS = ("exact", "prefix", "words", "substring")

#: The fields search reads, with their rules (see :func:`score_rules`).
SEARCH_RULES = {field: score_rules(field) for field in ("label", "alias", "description")}


def match_score(query: str, text: str, field: str) -> int:
    """How well the normalized ``query`` matches ``text`` in ``field`` (0: not at all).

    The first kind of match of :func:`score_rules` that holds gives the score;
    :mod:`mxgraph.search_index` applies the same rules in SQLite.

    >>> match_score("merida", "Merida Initiative", "label")
    90
    >>> match_score("merida", "USAID programs under the Merida Initiative", "label")
    60
    >>> match_score("merida", "Mérida", "alias")
    95
    """
    name = normalize_name(text)
    for kind, score in score_rules(field):
        if kind == "exact":
            matched = name == query
        elif kind == "prefix":
            matched = name.startswith(query)
        elif kind == "words":
            wanted = _WORD.findall(query)
            words = set(_WORD.findall(name))
            matched = bool(wanted) and all(w in words for w in wanted)
        else:
            matched = query in name
        if matched:
            return score
    return 0


def search_entities(
    source: Source, text: str, *, type: str | None = None, limit: int = 20
) -> SearchResult:
    """Entities whose labels, aliases or descriptions match ``text``, best first.

    Matching ignores case and accents. Ranking (see :data:`SCORES`): exact
    label > exact alias > label prefix > alias prefix > all words in a label
    or alias > substring of a label or alias > words or substring of a
    description; ties by label. ``type`` keeps entities of that class. An
    entity's hit is its best-scoring text (ties: the smaller text).

    On an on-disk store the texts come from its word index
    (:mod:`mxgraph.search_index`, built first when missing or stale);
    elsewhere the store reads them with one query.

    >>> from mxgraph.store import open_store
    >>> found = search_entities(open_store(), "usaid", limit=3)
    >>> [(h.entity.label, h.score, h.field) for h in found.hits]
    [('U.S. Agency for International Development', 95, 'alias'),
     ('USAID Mexico Page', 90, 'label'),
     ('USAID programs under the Merida Initiative', 90, 'label')]
    """
    backend = as_backend(source)
    query = normalize_name(text)
    if not query:
        raise MxGraphError("search text is empty")
    if limit < 1:
        raise MxGraphError("--limit must be at least 1")
    class_ref = resolve_class(backend, type) if type is not None else None
    found = _indexed_matches(backend, query, None if class_ref else limit)
    if found is None:
        found = _scanned_matches(backend, query)
    check_deadline(backend)
    if class_ref is not None:
        # The class is checked by a second query over the matches: joined into the
        # scan, Virtuoso 7.2 drops rows of a transitive path beside several patterns.
        of_class = _of_class(backend, [ref.iri for ref, *_ in found], class_ref)
        found = [match for match in found if match[0].iri in of_class]
    top = found[:limit]
    types = _types(backend, [ref.iri for ref, *_ in top])
    hits = tuple(
        SearchHit(ref, score, field, matched, types.get(ref.iri, ()))
        for ref, score, field, matched in top
    )
    return SearchResult(text, class_ref, limit, hits)


_Match = tuple[EntityRef, int, str, str]  # entity, score, field, text: one per entity


def _indexed_matches(backend: SparqlBackend, query: str, limit: int | None) -> list[_Match] | None:
    """The ranked matches from an on-disk store's word index; ``None`` when there is none."""
    if not isinstance(backend, LocalBackend) or backend.store.path is None:
        return None
    from mxgraph.search_index import open_search_index

    index = open_search_index(backend.store)
    if index is None:
        return None
    try:
        hits = index.search(query, SEARCH_RULES, limit=limit)
    finally:
        index.close()
    return [(EntityRef.of(h.iri, h.label), h.score, h.field, h.text) for h in hits]


def _scanned_matches(backend: SparqlBackend, query: str) -> list[_Match]:
    """Every entity matching ``query``, ranked, from one query over all names and descriptions."""
    sparql = _SEARCH_QUERY.format(
        entity_condition=entity_condition("e"),
        text_filter=_text_filter(query),
    )
    best: dict[str, tuple[int, str, str]] = {}
    labels: dict[str, list[ox.Literal]] = {}
    for entity, field, name, label in backend.select(sparql).rows:
        if not (
            isinstance(entity, ox.NamedNode)
            and isinstance(field, ox.Literal)
            and isinstance(name, ox.Literal)
        ):
            continue
        if isinstance(label, ox.Literal):
            _add_label(labels, entity.value, label)
        score = match_score(query, name.value, field.value)
        if not score:
            continue
        known = best.get(entity.value)
        if known is None or (-score, name.value) < (-known[0], known[2]):
            best[entity.value] = (score, field.value, name.value)
    refs = {iri: EntityRef.of(iri, best_label(labels.get(iri, []))) for iri in best}
    ranked = sorted(best, key=lambda iri: (-best[iri][0], normalize_name(refs[iri].label), iri))
    return [(refs[iri], *best[iri]) for iri in ranked]


def _types(backend: SparqlBackend, iris: Sequence[str]) -> dict[str, tuple[TermRef, ...]]:
    if not iris:
        return {}
    sparql = _TYPES_QUERY.format(values=values_block("node", [ox.NamedNode(i) for i in iris]))
    labels: dict[str, dict[str, list[ox.Literal]]] = {}
    for node, type_, label in backend.select(sparql).rows:
        if isinstance(node, ox.NamedNode) and isinstance(type_, ox.NamedNode):
            found = labels.setdefault(node.value, {}).setdefault(type_.value, [])
            if isinstance(label, ox.Literal):
                found.append(label)
    return {
        node: tuple(sorted(TermRef.of(t, best_label(found)) for t, found in by_type.items()))
        for node, by_type in labels.items()
    }


# --- stats ------------------------------------------------------------------------------


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
