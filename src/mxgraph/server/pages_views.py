"""What the HTML pages show, read from the graph: one function per kind of page.

Each function is blocking (it runs the lookups' SPARQL through a
:class:`~mxgraph.backend.SparqlBackend`) and returns plain data for a Jinja2
template; :mod:`mxgraph.server.pages` calls them in a worker thread. Entity
pages reuse :func:`mxgraph.lookup.describe_entity`; the rest are small queries
with the node bound by a ``VALUES`` block, never pasted as text.

>>> from mxgraph.backend import LocalBackend
>>> from mxgraph.store import open_store
>>> backend = LocalBackend(open_store(), None)
>>> node_kind(backend, "https://w3id.org/mxgraph/id/usaid")
'entity'
>>> node_kind(backend, "https://w3id.org/mxgraph/id/p19s1")
'sentence'
>>> node_kind(backend, "https://w3id.org/mxgraph/id/p19s1-quote")
'resource'
>>> node_kind(backend, "https://w3id.org/mxgraph/id/no-such-thing") is None
True
>>> view = sentence_view(backend, "https://w3id.org/mxgraph/id/p19s1")
>>> view.text[:22], view.start, view.end
('U.S. Agency for Intern', 8724, 8891)
>>> [(x.subject.text, x.predicate.text, x.object.text) for x in view.statements][1]
('U.S. Agency for International Development', 'agency of', 'United States')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from mxgraph import resources
from mxgraph.backend import SparqlBackend, int_value, is_true, values_block
from mxgraph.lookup import EntityDescription, describe_entity
from mxgraph.namespaces import MX, RDF, RDFS
from mxgraph.output import term_label
from mxgraph.provenance import Citation, citations
from mxgraph.query import GraphResult, QueryResult, SelectResult, Term
from mxgraph.resolve import NON_ENTITY_CLASSES, EntityRef, TermRef, best_label, parse_iri

_KIND_QUERY = """
SELECT ?type ?label ?out ?in WHERE {{
  {values}
  BIND(EXISTS {{ ?e ?p ?o }} AS ?out)
  BIND(EXISTS {{ ?s ?q ?e }} AS ?in)
  OPTIONAL {{ ?e a ?type }}
  OPTIONAL {{ ?e skos:prefLabel ?label }}
}}"""

_META_CLASSES = frozenset(iri for iri in map(parse_iri, NON_ENTITY_CLASSES.split(",")) if iri)


def node_kind(backend: SparqlBackend, iri: str) -> str | None:
    """What the page of ``iri`` shows: ``entity`` (described as ``mxgraph describe`` does),
    ``sentence`` (a source sentence), ``resource`` (any other node), or ``None`` when the
    graph does not mention ``iri``."""
    rows = backend.select(_KIND_QUERY.format(values=values_block("e", [ox.NamedNode(iri)]))).rows
    if not rows or not any(is_true(row[2]) or is_true(row[3]) for row in rows):
        return None
    types = {row[0].value for row in rows if isinstance(row[0], ox.NamedNode)}
    if MX.SourceSentence in types:
        return "sentence"
    labelled = any(isinstance(row[1], ox.Literal) for row in rows)
    if labelled and not iri.startswith(MX) and types.isdisjoint(_META_CLASSES):
        return "entity"
    return "resource"


# --- entity pages -----------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph of a source document: plain text, or a sentence of the graph."""

    text: str
    sentence: str | None = None  # the sentence's IRI; its local name is the anchor (p19s1)


@dataclass(frozen=True)
class Paragraph:
    """A non-blank line of a source document, cut at the sentences the graph knows."""

    number: int
    heading: bool
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class EntityView:
    """An entity page: its description, where each cited sentence is, and a document's text."""

    description: EntityDescription
    #: The document each cited sentence belongs to (sentence IRI -> document IRI).
    documents: dict[str, str]
    #: For a source document (``mx:sourceFile``): its text, sentence by sentence.
    text: tuple[Paragraph, ...] = ()


_DOCUMENTS_QUERY = """
SELECT ?sentence ?document WHERE {{
  {values}
  ?sentence oa:hasSource ?document .
}}"""

_SOURCE_FILE_QUERY = """
SELECT ?file ?sentence ?start ?end WHERE {{
  {values}
  ?doc mx:sourceFile ?file .
  OPTIONAL {{
    ?sentence oa:hasSource ?doc ;
              oa:hasSelector ?position .
    ?position oa:start ?start ;
              oa:end ?end .
  }}
}}"""


def entity_view(backend: SparqlBackend, iri: str) -> EntityView:
    """What an entity page shows (see :func:`~mxgraph.lookup.describe_entity`)."""
    described = describe_entity(backend, f"<{iri}>")
    cited = {c.sentence.iri for c in described.sources}
    for fact in described.facts:
        cited.update(c.sentence.iri for c in fact.sources)
    documents = sentence_documents(backend, sorted(cited))
    return EntityView(described, documents, document_text(backend, iri))


def sentence_documents(backend: SparqlBackend, sentences: Sequence[str]) -> dict[str, str]:
    """The source document of each sentence (``oa:hasSource``), by sentence IRI."""
    if not sentences:
        return {}
    sparql = _DOCUMENTS_QUERY.format(
        values=values_block("sentence", [ox.NamedNode(s) for s in sentences])
    )
    return {
        s.value: d.value
        for s, d in backend.select(sparql).rows
        if isinstance(s, ox.NamedNode) and isinstance(d, ox.NamedNode)
    }


@cache
def _source_texts() -> dict[str, Path]:
    """The bundled source documents by file name: the only files a page reads."""
    folder = resources.source_text_path().parent
    return {path.name: path for path in folder.glob("*.txt")}


@cache
def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def document_text(backend: SparqlBackend, iri: str) -> tuple[Paragraph, ...]:
    """The text of a source document (``mx:sourceFile`` naming a bundled file), cut into
    paragraphs and sentences; empty for any other node."""
    sparql = _SOURCE_FILE_QUERY.format(values=values_block("doc", [ox.NamedNode(iri)]))
    rows = backend.select(sparql).rows
    names = {row[0].value for row in rows if isinstance(row[0], ox.Literal)}
    known = _source_texts()
    path = next((known[name] for name in sorted(names) if name in known), None)
    if path is None:
        return ()
    spans = sorted(
        (start, end, row[1].value)
        for row in rows
        if isinstance(row[1], ox.NamedNode)
        and (start := int_value(row[2])) is not None
        and (end := int_value(row[3])) is not None
    )
    return split_text(_read_text(path), spans)


def split_text(text: str, spans: Sequence[tuple[int, int, str]]) -> tuple[Paragraph, ...]:
    """``text`` as paragraphs (non-blank lines, numbered from 1), each cut at ``spans``
    (start, end, sentence: code point offsets into ``text``, end exclusive).

    >>> [[(s.text, s.sentence) for s in p.segments]
    ...  for p in split_text("A b. C d.\\n\\nE.", [(5, 9, "p1s2")])]
    [[('A b. ', None), ('C d.', 'p1s2')], [('E.', None)]]
    """
    paragraphs = []
    offset = 0
    number = 0
    for line in text.splitlines(keepends=True):
        start, body = offset, line.rstrip("\r\n")
        offset += len(line)
        if not body.strip():
            continue
        number += 1
        end = start + len(body)
        segments: list[Segment] = []
        at = start
        for s, e, anchor in spans:
            if s < start or e > end or s < at:
                continue
            if s > at:
                segments.append(Segment(text[at:s]))
            segments.append(Segment(text[s:e], anchor))
            at = e
        if at < end:
            segments.append(Segment(text[at:end]))
        heading = body.isupper() and len(body) < 80
        paragraphs.append(Paragraph(number, heading, tuple(segments)))
    return tuple(paragraphs)


# --- sentence pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A node or literal as a page shows it: text, and the IRI to link when it is one."""

    text: str
    iri: str | None = None
    note: str = ""  # a literal's language or datatype, a node's CURIE


@dataclass(frozen=True)
class Link:
    """One triple as a page row."""

    subject: Value
    predicate: Value
    object: Value


@dataclass(frozen=True)
class SentenceView:
    """A source sentence: its text and place, what it states, and who cites it."""

    sentence: EntityRef
    text: str
    start: int | None
    end: int | None
    document: str | None
    facts: tuple[tuple[str, str], ...]  # (property label, value): section, paragraph...
    statements: tuple[Link, ...]
    cited_by: tuple[Value, ...]


_STATED_QUERY = """
SELECT ?s ?p ?o ?slabel ?plabel ?olabel WHERE {{
  {values}
  GRAPH ?g {{ ?s ?p ?o }}
  OPTIONAL {{ ?s skos:prefLabel ?slabel }}
  OPTIONAL {{ ?p rdfs:label ?plabel }}
  OPTIONAL {{ ?o skos:prefLabel ?olabel }}
}}"""

_CITED_BY_QUERY = """
SELECT ?e ?label WHERE {{
  {values}
  ?e mx:citation ?sentence .
  OPTIONAL {{ ?e skos:prefLabel ?label }}
}}"""

_SENTENCE_FACTS_QUERY = """
SELECT ?p ?plabel ?o WHERE {{
  {values}
  VALUES ?p {{ mx:section mx:paragraph mx:sentenceIndex }}
  ?sentence ?p ?o .
  OPTIONAL {{ ?p rdfs:label ?plabel }}
}}"""


def sentence_view(backend: SparqlBackend, iri: str) -> SentenceView:
    """What a sentence page shows: the quote, its offsets and document, the statements in
    the sentence's named graph, and the entities that cite it."""
    node = ox.NamedNode(iri)
    found = citations(backend, [iri]).get(iri) or Citation(None, None, EntityRef.of(iri), "")
    document = sentence_documents(backend, [iri]).get(iri)
    facts = [
        (best_label([label] if isinstance(label, ox.Literal) else []) or term_label(p), o.value)
        for p, label, o in backend.select(
            _SENTENCE_FACTS_QUERY.format(values=values_block("sentence", [node]))
        ).rows
        if isinstance(p, ox.NamedNode) and isinstance(o, ox.Literal)
    ]
    rows = backend.select(_STATED_QUERY.format(values=values_block("g", [node]))).rows
    statements = _links(rows)
    cited: dict[str, list[ox.Literal]] = {}
    for e, label in backend.select(
        _CITED_BY_QUERY.format(values=values_block("sentence", [node]))
    ).rows:
        if isinstance(e, ox.NamedNode):
            found_labels = cited.setdefault(e.value, [])
            if isinstance(label, ox.Literal):
                found_labels.append(label)
    cited_by = sorted(
        (_node_value(e, best_label(labels)) for e, labels in cited.items()),
        key=lambda v: (v.text.casefold(), v.iri or ""),
    )
    return SentenceView(
        sentence=EntityRef.of(iri),
        text=found.quote,
        start=found.start,
        end=found.end,
        document=document,
        facts=tuple(sorted(set(facts))),
        statements=statements,
        cited_by=tuple(cited_by),
    )


def _node_value(iri: str, label: str | None) -> Value:
    ref = EntityRef.of(iri, label)
    return Value(ref.label, iri, ref.curie)


def _value(term: Term | None, labels: Sequence[ox.Literal] = ()) -> Value:
    if isinstance(term, ox.NamedNode):
        return _node_value(term.value, best_label(list(labels)))
    if isinstance(term, ox.Literal):
        if term.language:
            note = f"@{term.language}"
        elif term.datatype.value.endswith("#string"):
            note = ""
        else:
            note = term_label(term.datatype)
        return Value(term.value, None, note)
    return Value(term_label(term))


def _links(rows: Sequence[tuple[Term | None, ...]]) -> tuple[Link, ...]:
    """Rows of (s, p, o, s label, p label, o label) as page rows, one per triple."""
    triples: dict[tuple[Term, Term, Term], tuple[list[ox.Literal], ...]] = {}
    for s, p, o, *labels in rows:
        if s is None or p is None or o is None:
            continue
        found = triples.setdefault((s, p, o), ([], [], []))
        for kept, label in zip(found, labels, strict=False):
            if isinstance(label, ox.Literal) and label not in kept:
                kept.append(label)
    links = []
    for (s, p, o), (slabels, plabels, olabels) in triples.items():
        predicate = None
        if isinstance(p, ox.NamedNode):
            predicate = TermRef.of(p.value, best_label(plabels))
        links.append(
            Link(
                _value(s, slabels),
                Value(predicate.label, predicate.iri, predicate.curie) if predicate else _value(p),
                _value(o, olabels),
            )
        )
    return tuple(sorted(links, key=lambda x: (x.subject.text, x.predicate.text, x.object.text)))


# --- other nodes ------------------------------------------------------------------------

_RESOURCE_QUERY = """
SELECT ?s ?p ?o ?slabel ?plabel ?olabel WHERE {{
  {values}
  {{ ?e ?p ?o BIND(?e AS ?s) }} UNION {{ ?s ?p ?e BIND(?e AS ?o) }}
  OPTIONAL {{ ?s skos:prefLabel ?slabel }}
  OPTIONAL {{ ?p rdfs:label ?plabel }}
  OPTIONAL {{ ?o skos:prefLabel ?olabel }}
}}"""


@dataclass(frozen=True)
class ResourceView:
    """A node that is neither an entity nor a sentence (a selector, a time): its triples."""

    node: EntityRef
    outgoing: tuple[Link, ...]
    incoming: tuple[Link, ...]


def resource_view(backend: SparqlBackend, iri: str) -> ResourceView:
    """Every triple with ``iri`` as subject, then every one with it as object."""
    rows = backend.select(
        _RESOURCE_QUERY.format(values=values_block("e", [ox.NamedNode(iri)]))
    ).rows
    links = _links(rows)
    return ResourceView(
        EntityRef.of(iri),
        tuple(x for x in links if x.subject.iri == iri),
        tuple(x for x in links if x.subject.iri != iri),
    )


# --- query results ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One value of a results table: text, a link for IRIs, and the sentences a quote is."""

    text: str = ""
    iri: str | None = None
    note: str = ""
    #: For a ``source`` column: each quoted sentence with its IRI (when the graph has it).
    quotes: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class ResultsTable:
    """A query's answer as a table: columns, rows, and a sentence for ASK."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    kind: str  # select, ask or graph
    answer: bool | None = None
    #: Sentence IRI -> its source document IRI, for links that highlight a quote.
    documents: dict[str, str] = field(default_factory=dict)
    #: How many rows the answer has (``rows`` holds the first :data:`SHOWN_ROWS`).
    total: int = 0


_LABEL_LOOKUP = """
SELECT ?node ?label WHERE {{
  {values}
  VALUES ?p {{ skos:prefLabel rdfs:label }}
  ?node ?p ?label .
}}"""

_QUOTES_QUERY = """
SELECT ?exact ?sentence WHERE {{
  {values}
  ?selector oa:exact ?exact .
  ?sentence oa:hasSelector ?selector ;
            a mx:SourceSentence .
}}"""

#: IRIs whose labels a results table looks up (past this many, cells show CURIEs).
LABELLED_IRIS = 2000

#: Rows a results page shows; the page says when the answer has more (``/sparql`` gives all).
SHOWN_ROWS = 1000

_SOURCE_SEPARATOR = re.compile(r"\s+\|\s+")


def results_table(backend: SparqlBackend, result: QueryResult) -> ResultsTable:
    """A query result as a table whose IRIs show labels and whose ``source`` column (the
    named queries' sentence texts, several joined by `` | ``) links each quoted sentence;
    the first :data:`SHOWN_ROWS` rows of it (:attr:`ResultsTable.total` counts them all).

    >>> from mxgraph.backend import LocalBackend
    >>> from mxgraph.store import open_store
    >>> table = results_table(LocalBackend(open_store(), None),
    ...                       SelectResult(("x",), ((ox.NamedNode(MX.Country),),) * 1500))
    >>> len(table.rows), table.total, table.rows[0][0].text
    (1000, 1500, 'country')
    """
    if isinstance(result, SelectResult):
        columns, every = result.variables, result.rows
        kind = "select"
    elif isinstance(result, GraphResult):
        columns = ("subject", "predicate", "object")
        every = tuple((t.subject, t.predicate, t.object) for t in result.triples)
        kind = "graph"
    else:
        return ResultsTable((), (), "ask", bool(result))
    raw = every[:SHOWN_ROWS]
    iris = sorted({term.value for row in raw for term in row if isinstance(term, ox.NamedNode)})[
        :LABELLED_IRIS
    ]
    labels: dict[str, list[ox.Literal]] = {}
    if iris:
        sparql = _LABEL_LOOKUP.format(values=values_block("node", [ox.NamedNode(i) for i in iris]))
        for node, label in backend.select(sparql).rows:
            if isinstance(node, ox.NamedNode) and isinstance(label, ox.Literal):
                labels.setdefault(node.value, []).append(label)
    source_columns = {i for i, name in enumerate(columns) if name.lower() == "source"}
    quotes = {
        part
        for row in raw
        for i in source_columns
        if isinstance(row[i], ox.Literal)
        for part in _SOURCE_SEPARATOR.split(row[i].value)  # type: ignore[union-attr]
    }
    sentences: dict[str, str] = {}
    if quotes:
        sparql = _QUOTES_QUERY.format(
            values=values_block("exact", [ox.Literal(q) for q in sorted(quotes)][:LABELLED_IRIS])
        )
        for exact, sentence in backend.select(sparql).rows:
            if isinstance(exact, ox.Literal) and isinstance(sentence, ox.NamedNode):
                sentences.setdefault(exact.value, sentence.value)
    rows = []
    for row in raw:
        cells = []
        for i, term in enumerate(row):
            if i in source_columns and isinstance(term, ox.Literal):
                parts = _SOURCE_SEPARATOR.split(term.value)
                cells.append(Cell(term.value, quotes=tuple((p, sentences.get(p)) for p in parts)))
                continue
            named = labels.get(term.value, []) if isinstance(term, ox.NamedNode) else []
            shown = _value(term, named)
            cells.append(Cell(shown.text, shown.iri, shown.note))
        rows.append(tuple(cells))
    documents = sentence_documents(backend, sorted(set(sentences.values())))
    return ResultsTable(tuple(columns), tuple(rows), kind, None, documents, len(every))


# --- the ontology -----------------------------------------------------------------------


@dataclass(frozen=True)
class OntologyTerm:
    """A class or property of mxgraph's ontology as its page lists it."""

    anchor: str
    ref: TermRef
    kinds: tuple[str, ...]
    comment: str
    #: (label, values) rows: superclasses, domain, range, inverse...
    facts: tuple[tuple[str, tuple[Value, ...]], ...]


@dataclass(frozen=True)
class OntologyView:
    """The ontology's title and description, then its classes and its properties."""

    title: str
    description: str
    version: str
    classes: tuple[OntologyTerm, ...]
    properties: tuple[OntologyTerm, ...]


_TERMS_QUERY = """
SELECT ?term ?p ?o ?member ?label WHERE {
  ?term ?p ?o .
  FILTER(STRSTARTS(STR(?term), STR(mx:)))
  OPTIONAL { ?o owl:unionOf/rdf:rest*/rdf:first ?member }
  OPTIONAL { ?o rdfs:label ?label }
}"""

_HEADER_QUERY = """
SELECT ?title ?description ?version WHERE {
  ?o a owl:Ontology .
  OPTIONAL { ?o dct:title ?title }
  OPTIONAL { ?o dct:description ?description }
  OPTIONAL { ?o owl:versionInfo ?version }
}"""

_SHOWN = {
    RDFS.subClassOf: "subclass of",
    RDFS.subPropertyOf: "subproperty of",
    RDFS.domain: "domain",
    RDFS.range: "range",
    "http://www.w3.org/2002/07/owl#inverseOf": "inverse of",
    "http://www.w3.org/2002/07/owl#equivalentClass": "equivalent to",
    "http://www.w3.org/2002/07/owl#disjointWith": "disjoint with",
}

_RDFS_LABEL = ox.NamedNode(RDFS.label)

_KINDS = {
    "http://www.w3.org/2002/07/owl#Class": "class",
    "http://www.w3.org/2002/07/owl#ObjectProperty": "object property",
    "http://www.w3.org/2002/07/owl#DatatypeProperty": "datatype property",
    "http://www.w3.org/2002/07/owl#AnnotationProperty": "annotation property",
    "http://www.w3.org/2002/07/owl#SymmetricProperty": "symmetric",
    "http://www.w3.org/2002/07/owl#TransitiveProperty": "transitive",
    "http://www.w3.org/2002/07/owl#FunctionalProperty": "functional",
    RDF.Property: "property",
}


@cache
def ontology_store() -> ox.Store:
    """The bundled ontology file, parsed once into a store of its own."""
    store = ox.Store()
    for path in resources.ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


@dataclass
class _TermFacts:
    kinds: set[str] = field(default_factory=set)
    comment: str = ""
    facts: dict[str, set[str]] = field(default_factory=dict)


def ontology_view() -> OntologyView:
    """The classes and properties of ``ontology/mxgraph.ttl``, each with its anchor."""
    from mxgraph.namespaces import PREFIXES

    store = ontology_store()
    header = store.query(_HEADER_QUERY, prefixes=PREFIXES)
    first = next(iter(header), None) if isinstance(header, ox.QuerySolutions) else None

    def text(index: int) -> str:
        term = first[index] if first is not None else None
        return term.value if isinstance(term, ox.Literal) else ""

    found = store.query(_TERMS_QUERY, prefixes=PREFIXES)
    assert isinstance(found, ox.QuerySolutions)
    rows = [tuple(row) for row in found]
    labels: dict[str, list[ox.Literal]] = {}
    for term, p, o, _, label in rows:
        if isinstance(o, ox.NamedNode) and isinstance(label, ox.Literal):
            labels.setdefault(o.value, []).append(label)
        if isinstance(term, ox.NamedNode) and p == _RDFS_LABEL and isinstance(o, ox.Literal):
            labels.setdefault(term.value, []).append(o)
    terms: dict[str, _TermFacts] = {}
    for term, p, o, member, _ in rows:
        if not isinstance(term, ox.NamedNode) or not isinstance(p, ox.NamedNode):
            continue
        entry = terms.setdefault(term.value, _TermFacts())
        if p.value == RDF.type and isinstance(o, ox.NamedNode) and o.value in _KINDS:
            entry.kinds.add(_KINDS[o.value])
        elif p.value == RDFS.comment and isinstance(o, ox.Literal):
            entry.comment = o.value
        elif p.value in _SHOWN:
            if isinstance(member, ox.NamedNode):
                entry.facts.setdefault(_SHOWN[p.value] + " (one of)", set()).add(member.value)
            elif isinstance(o, ox.NamedNode):
                entry.facts.setdefault(_SHOWN[p.value], set()).add(o.value)
    classes: list[OntologyTerm] = []
    properties: list[OntologyTerm] = []
    for iri, entry in sorted(terms.items()):
        if not entry.kinds:
            continue
        shown = tuple(
            (name, tuple(_node_value(v, best_label(labels.get(v, []))) for v in sorted(values)))
            for name, values in sorted(entry.facts.items())
        )
        ref = TermRef.of(iri, best_label(labels.get(iri, [])))
        item = OntologyTerm(iri[len(MX) :], ref, tuple(sorted(entry.kinds)), entry.comment, shown)
        (classes if "class" in entry.kinds else properties).append(item)

    def order(term: OntologyTerm) -> tuple[str, str]:
        return (term.ref.label.casefold(), term.anchor)

    return OntologyView(
        title=text(0) or "mxgraph ontology",
        description=text(1),
        version=text(2),
        classes=tuple(sorted(classes, key=order)),
        properties=tuple(sorted(properties, key=order)),
    )


def ontology_file() -> Path:
    """The ontology's Turtle file, sent as is to clients that ask for Turtle."""
    return resources.ontology_files()[0]
