"""What a page's URL gives an RDF client: the formats it can ask for, and an entity's description.

Content negotiation: :func:`negotiate` picks a :class:`PageFormat` from the
``Accept`` header (or a ``?format=`` parameter, which wins), HTML first when
the client likes several equally; ``None`` means nothing the client accepts
can be given (HTTP 406).

An entity's description (:func:`description`) is what the graph says about it,
bounded so that a client can follow links rather than receive the graph:

- every triple with the entity as subject, and every triple with it as object
  (the links stated toward it, such as a fact's ``mx:about``), and the triples of
  the blank nodes it points to (three levels deep, as a concise bounded description);
- the labels (``skos:prefLabel``, ``rdfs:label``) of every other node in those triples;
- each source sentence cited by the entity or stating one of those triples: its
  type, its document, and its quote and position selectors;
- in the dataset formats (TriG, N-Quads, JSON-LD) each of those triples again in the
  named graph of every sentence that states it, as the bundled graph keeps them
  (:mod:`mxgraph.provenance`).

>>> from mxgraph.store import open_store
>>> from mxgraph.backend import LocalBackend
>>> found = description(LocalBackend(open_store(), None), "https://w3id.org/mxgraph/id/usaid")
>>> len(found.triples) > 10, len(found.quads) > 0
(True, True)
>>> negotiate("text/turtle;q=0.9, application/ld+json").name
'jsonld'
>>> negotiate("image/png") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from mxgraph.backend import SparqlBackend, values_block
from mxgraph.namespaces import MX, RDFS, SKOS
from mxgraph.output import serialize_dataset, serialize_triples
from mxgraph.rdf_formats import RdfSyntax
from mxgraph.server.site import GraphFormat
from mxgraph.server.sparql import GRAPH_TYPES, parse_accept


@dataclass(frozen=True)
class PageFormat:
    """One representation a page's URL can give: its ``?format=`` name and media types."""

    name: str
    label: str
    #: The media type sent; the first of ``accepts``.
    media_type: str
    #: Media types in ``Accept`` that select this format.
    accepts: tuple[str, ...]
    #: The RDF syntax written (``None``: the HTML page).
    syntax: RdfSyntax | None

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header: text types say their charset."""
        return self.media_type + ("; charset=utf-8" if self.media_type.startswith("text/") else "")


def _rdf(name: str, label: str, graph_format: GraphFormat, syntax: RdfSyntax) -> PageFormat:
    """A page's RDF format, taking the media types that select it from ``/sparql``'s table
    (:data:`~mxgraph.server.sparql.GRAPH_TYPES`), so both answer one ``Accept`` alike."""
    accepts = tuple(media for media, found in GRAPH_TYPES if found is graph_format)
    return PageFormat(name, label, graph_format.value, accepts, syntax)


HTML = PageFormat("html", "HTML", "text/html", ("text/html", "application/xhtml+xml"), None)

#: Every representation, the server's preference first (HTML for browsers and ``*/*``).
PAGE_FORMATS: tuple[PageFormat, ...] = (
    HTML,
    _rdf("ttl", "Turtle", GraphFormat.TURTLE, RdfSyntax.TURTLE),
    _rdf("jsonld", "JSON-LD", GraphFormat.JSONLD, RdfSyntax.JSONLD),
    _rdf("nt", "N-Triples", GraphFormat.NT, RdfSyntax.NT),
    _rdf("rdf", "RDF/XML", GraphFormat.XML, RdfSyntax.XML),
    _rdf("trig", "TriG", GraphFormat.TRIG, RdfSyntax.TRIG),
    _rdf("nq", "N-Quads", GraphFormat.NQ, RdfSyntax.NQ),
)

FORMATS_BY_NAME = {f.name: f for f in PAGE_FORMATS}


def negotiate(
    accept: str | None, formats: Iterable[PageFormat] = PAGE_FORMATS
) -> PageFormat | None:
    """The format to send for ``accept``: the highest quality, then the most specific
    match, then the server's order; ``None`` when the client accepts none of ``formats``.

    The header is read by ``/sparql``'s parser (:func:`~mxgraph.server.sparql.parse_accept`).
    A wildcard (``application/*``, ``*/*``) matches the media type a format is sent as,
    not its other names: ``application/*`` gets JSON-LD, not HTML (which
    ``application/xhtml+xml`` names too).

    >>> negotiate(None).name, negotiate("*/*").name, negotiate("text/*;q=0.5").name
    ('html', 'html', 'html')
    >>> negotiate("application/*").name, negotiate("application/json").name
    ('jsonld', 'jsonld')
    >>> negotiate("application/n-triples, text/html;q=0.1").name
    'nt'
    >>> negotiate("text/html;q=0") is None
    True
    """
    offered = list(formats)
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen: PageFormat | None = None
    for order, fmt in enumerate(offered):
        for media_type in fmt.accepts:
            match = _match(media_type, ranges, wildcards=media_type == fmt.media_type)
            if match is None or match[0] <= 0:
                continue
            key = (match[0], match[1], -order)
            if best is None or key > best:
                best, chosen = key, fmt
    return chosen


def _match(
    media_type: str, ranges: list[tuple[str, float]], *, wildcards: bool
) -> tuple[float, int] | None:
    """The quality the most specific range matching ``media_type`` gives, and how specific
    (``wildcards``: whether ``type/*`` and ``*/*`` may match it)."""
    main = media_type.split("/")[0]
    found: tuple[int, float] | None = None
    for media, quality in ranges:
        if media == media_type:
            specificity = 2
        elif wildcards and media == f"{main}/*":
            specificity = 1
        elif wildcards and media == "*/*":
            specificity = 0
        else:
            continue
        if found is None or specificity > found[0]:
            found = (specificity, quality)
    return None if found is None else (found[1], found[0])


@dataclass(frozen=True)
class Description:
    """An entity's description: default-graph triples, and the quads naming their sources."""

    triples: tuple[ox.Triple, ...]
    quads: tuple[ox.Quad, ...]

    def serialize(self, syntax: RdfSyntax) -> bytes:
        """The description in ``syntax``; the dataset formats carry the named graphs too."""
        if syntax in (RdfSyntax.TRIG, RdfSyntax.NQ, RdfSyntax.JSONLD):
            return serialize_dataset(self.triples, self.quads, syntax)
        return serialize_triples(self.triples, syntax)


# The entity's triples either way, each with the source sentences whose graph holds it,
# and the triples of the blank nodes it points to (three levels deep), as a concise
# bounded description has them: a blank node has no page of its own to link to.
_LINKS_QUERY = """
SELECT ?s ?p ?o ?g WHERE {{
  {values}
  {{ ?e ?p ?o BIND(?e AS ?s) }}
  UNION {{ ?s ?p ?e BIND(?e AS ?o) }}
  UNION {{ ?e ?p0 ?s FILTER(isBlank(?s)) ?s ?p ?o }}
  UNION {{ ?e ?p0 ?b1 FILTER(isBlank(?b1)) ?b1 ?p1 ?s FILTER(isBlank(?s)) ?s ?p ?o }}
  UNION {{
    ?e ?p0 ?b1 FILTER(isBlank(?b1)) ?b1 ?p1 ?b2 FILTER(isBlank(?b2))
    ?b2 ?p2 ?s FILTER(isBlank(?s)) ?s ?p ?o
  }}
  OPTIONAL {{ GRAPH ?g {{ ?s ?p ?o }} ?g a mx:SourceSentence }}
}}"""

_LABELS_QUERY = """
SELECT ?node ?p ?label WHERE {{
  {values}
  VALUES ?p {{ skos:prefLabel rdfs:label }}
  ?node ?p ?label .
}}"""

# A sentence's own triples and its selectors'.
_SENTENCES_QUERY = """
SELECT ?s ?p ?o WHERE {{
  {values}
  {{ ?sentence ?p ?o BIND(?sentence AS ?s) }}
  UNION {{ ?sentence oa:hasSelector ?s . ?s ?p ?o }}
}}"""

_CITATION = ox.NamedNode(MX.citation)
_LABELS = (ox.NamedNode(SKOS.prefLabel), ox.NamedNode(RDFS.label))


def description(backend: SparqlBackend, iri: str) -> Description:
    """What a client gets for ``iri`` asking for RDF (see the module's docstring)."""
    node = ox.NamedNode(iri)
    triples: dict[ox.Triple, None] = {}
    quads: dict[ox.Quad, None] = {}
    sentences: set[ox.NamedNode] = set()
    rows = backend.select(_LINKS_QUERY.format(values=values_block("e", [node]))).rows
    for s, p, o, g in rows:
        if not isinstance(p, ox.NamedNode) or s is None or o is None:
            continue
        if not isinstance(s, ox.NamedNode | ox.BlankNode) or isinstance(o, ox.Triple):
            continue
        triple = ox.Triple(s, p, o)
        triples[triple] = None
        if isinstance(g, ox.NamedNode):
            quads[ox.Quad(s, p, o, g)] = None
            sentences.add(g)
        if p == _CITATION and isinstance(o, ox.NamedNode):
            sentences.add(o)
    others = {
        term
        for triple in triples
        for term in (triple.subject, triple.object)
        if isinstance(term, ox.NamedNode) and term != node
    }
    if others:
        sparql = _LABELS_QUERY.format(values=values_block("node", sorted(others, key=str)))
        for other, p, label in backend.select(sparql).rows:
            if isinstance(other, ox.NamedNode) and p in _LABELS and isinstance(label, ox.Literal):
                triples[ox.Triple(other, p, label)] = None  # type: ignore[arg-type]
    if sentences:
        sparql = _SENTENCES_QUERY.format(
            values=values_block("sentence", sorted(sentences, key=str))
        )
        for s, p, o in backend.select(sparql).rows:
            named = isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode)
            if named and o is not None and not isinstance(o, ox.Triple):
                triples[ox.Triple(s, p, o)] = None  # type: ignore[arg-type]
    return Description(tuple(triples), tuple(quads))
