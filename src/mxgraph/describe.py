"""Describe one entity: its names, types, relations, attributes, quantitative facts and sources.

:func:`describe_entity` reads the entity's triples and those pointing at it
with a few SPARQL SELECT queries through a :class:`~mxgraph.backend.SparqlBackend`
(a store is wrapped in a :class:`~mxgraph.backend.LocalBackend`); the name a
user typed is resolved by :mod:`mxgraph.resolve` and never pasted into query
text. It returns frozen dataclasses and never prints;
:func:`mxgraph.lookup_format.describe_report` renders them.

>>> from mxgraph.store import open_store
>>> [r.other.label for r in describe_entity(open_store(), "USAID").relations
...  if r.relation.label == "runs"]
['USAID programs under the Merida Initiative']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from mxgraph.backend import (
    Source,
    SparqlBackend,
    as_backend,
    check_deadline,
    int_value,
    is_true,
    values_block,
)
from mxgraph.direction import Direction
from mxgraph.errors import EntityNotFound
from mxgraph.inverses import Inverses, load_inverses, one_per_link
from mxgraph.namespaces import DCT, MX, OWL, RDF, SCHEMA, SKOS, WD, curie
from mxgraph.provenance import Citation, Statement, statement_sources
from mxgraph.query import Term
from mxgraph.resolve import (
    EntityRef,
    TermRef,
    best_label,
    resolve_entity,
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
    from mxgraph.search import search_entities  # only when the name is unknown

    # Its own names and descriptions: an entity found through a sentence citing it is
    # too loose a guess for a name.
    hits = [h for h in search_entities(backend, name, limit=3).hits if h.field != "sentence"]
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
