"""Draw part of the graph: a neighbourhood, a CONSTRUCT result or everything.

:func:`neighborhood_graph`, :func:`construct_graph` and :func:`whole_graph`
collect a :class:`VizGraph` (nodes with labels, a class for the colour, facts
and source sentences; edges with relation labels) through a
:class:`~mxgraph.backend.SparqlBackend`. :func:`render` turns it into bytes
by the output file's extension (:data:`VIZ_FORMATS`): Graphviz DOT text,
SVG, PNG or PDF through the ``dot`` program, or one self-contained HTML page
that needs no network (:mod:`mxgraph.viz_html`).

>>> from mxgraph.store import open_store
>>> graph = neighborhood_graph(open_store(), "Chile")
>>> [node.label for node in graph.nodes]
['Chile', 'Pacific Alliance']
>>> [(e.relation.label, graph.node(e.target).label) for e in graph.edges]
[('launched', 'Pacific Alliance'), ('participates in', 'Pacific Alliance')]
>>> print(render_dot(graph).splitlines()[0])
digraph mxgraph {
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import PurePath

import pyoxigraph as ox

from mxgraph.backend import Source, SparqlBackend, as_backend, check_deadline, values_block
from mxgraph.errors import MxGraphError
from mxgraph.inverses import load_inverses
from mxgraph.namespaces import MX, RDF, SKOS
from mxgraph.query import GraphResult
from mxgraph.resolve import EntityRef, TermRef, best_label, humanize, resolve_class, term_refs

# The drawing model, re-exported: mxgraph.viz.VizGraph is public.
from mxgraph.viz_graph import Fact as Fact
from mxgraph.viz_graph import VizEdge as VizEdge
from mxgraph.viz_graph import VizGraph as VizGraph
from mxgraph.viz_graph import VizNode as VizNode


class VizFormat(str, Enum):
    """What :func:`render` can write, named by file extension."""

    SVG = "svg"
    PNG = "png"
    PDF = "pdf"
    DOT = "dot"
    HTML = "html"

    @property
    def needs_graphviz(self) -> bool:
        """Whether the ``dot`` program must be installed to write this format."""
        return self in (VizFormat.SVG, VizFormat.PNG, VizFormat.PDF)


#: Extensions and the formats they select (``.gv`` is DOT too, ``.htm`` HTML).
VIZ_FORMATS: dict[str, VizFormat] = {
    **{f".{f.value}": f for f in VizFormat},
    ".gv": VizFormat.DOT,
    ".htm": VizFormat.HTML,
}


def viz_format_for_path(path: str | PurePath) -> VizFormat:
    """The output format a file name asks for.

    >>> viz_format_for_path("docs/mexico.SVG").value
    'svg'
    >>> viz_format_for_path("out.txt")
    Traceback (most recent call last):
    ...
    mxgraph.errors.MxGraphError: cannot draw to out.txt: use one of .svg, .png, .pdf, ...
    """
    suffix = PurePath(path).suffix.lower()
    if suffix not in VIZ_FORMATS:
        known = ", ".join(VIZ_FORMATS)
        raise MxGraphError(f"cannot draw to {path}: use one of {known}")
    return VIZ_FORMATS[suffix]


# --- collecting nodes and edges ---------------------------------------------------------

_EDGES_AMONG = """
SELECT ?s ?p ?o ?plabel WHERE {{
  {subjects}
  {objects}
  ?s ?p ?o .
  FILTER(?p != rdf:type && ?p != mx:citation)
  OPTIONAL {{ ?p rdfs:label ?plabel }}
}}"""

_NODE_DETAILS = """
SELECT ?node ?p ?o ?plabel ?olabel ?exact WHERE {{
  {values}
  ?node ?p ?o .
  FILTER(isLiteral(?o) || ?p = rdf:type || ?p = mx:citation)
  OPTIONAL {{ ?p rdfs:label ?plabel }}
  OPTIONAL {{ ?o rdfs:label ?olabel }}
  OPTIONAL {{ ?o oa:hasSelector/oa:exact ?exact }}
}}"""

_SUPERCLASS_DEPTH = """
SELECT ?class (COUNT(?super) AS ?depth) WHERE {{
  {values}
  ?class rdfs:subClassOf* ?super .
}} GROUP BY ?class"""


def _edges_among(
    backend: SparqlBackend,
    iris: Sequence[str],
    relation: str | None = None,
    center: str | None = None,
) -> list[VizEdge]:
    """Every relation between two of ``iris`` (types and citations left out); a link stated
    both ways is drawn once, from ``center`` when it is one of its ends."""
    if not iris:
        return []
    nodes = [ox.NamedNode(iri) for iri in iris]
    sparql = _EDGES_AMONG.format(
        subjects=values_block("s", nodes), objects=values_block("o", nodes)
    )
    labels: dict[str, list[ox.Literal]] = {}
    triples: set[tuple[str, str, str]] = set()
    for s, p, o, plabel in backend.select(sparql).rows:
        if not (isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode)):
            continue
        if not isinstance(o, ox.NamedNode) or s == o:
            continue
        if relation is not None and p.value != relation:
            continue
        triples.add((s.value, p.value, o.value))
        if isinstance(plabel, ox.Literal) and plabel not in labels.setdefault(p.value, []):
            labels[p.value].append(plabel)
    # A link stated both ways (runs / run by, cooperates with) is drawn once: as stated from
    # the center, else the one of the two triples first in sort order.
    links = load_inverses(backend)

    def preferred(triple: tuple[str, str, str]) -> tuple[bool, tuple[str, str, str]]:
        return (triple[0] != center, triple)

    drawn = {
        (s, p, o)
        for s, p, o in triples
        if not (
            (inverse := links.inverse_of(p))
            and (o, inverse, s) in triples
            and preferred((o, inverse, s)) < preferred((s, p, o))
        )
    }
    return sorted(VizEdge(s, TermRef.of(p, best_label(labels.get(p, []))), o) for s, p, o in drawn)


def _details(
    backend: SparqlBackend, refs: Sequence[EntityRef], center: str | None
) -> tuple[VizNode, ...]:
    """Nodes with their types, literal facts and cited sentences."""
    if not refs:
        return ()
    sparql = _NODE_DETAILS.format(values=values_block("node", [ox.NamedNode(r.iri) for r in refs]))
    types: dict[str, set[str]] = {}
    facts: dict[str, set[tuple[str, str]]] = {}
    sources: dict[str, set[str]] = {}
    labels: dict[str, list[ox.Literal]] = {}
    for node, p, o, plabel, olabel, exact in backend.select(sparql).rows:
        if not (isinstance(node, ox.NamedNode) and isinstance(p, ox.NamedNode)):
            continue
        if p.value == RDF.type and isinstance(o, ox.NamedNode):
            types.setdefault(node.value, set()).add(o.value)
            if isinstance(olabel, ox.Literal) and olabel not in labels.setdefault(o.value, []):
                labels[o.value].append(olabel)
        elif p.value == MX.citation and isinstance(exact, ox.Literal):
            sources.setdefault(node.value, set()).add(exact.value)
        elif isinstance(o, ox.Literal) and p.value != SKOS.prefLabel:
            name = best_label([plabel] if isinstance(plabel, ox.Literal) else []) or humanize(
                p.value
            )
            facts.setdefault(node.value, set()).add((name, o.value))
    check_deadline(backend)
    depth = _class_depths(backend, {t for found in types.values() for t in found})
    nodes = []
    for ref in refs:
        own = sorted(
            (TermRef.of(t, best_label(labels.get(t, []))) for t in types.get(ref.iri, ())),
            key=lambda t: (t.label.casefold(), t.iri),
        )
        # Colour by the most specific class of mxgraph's own, else any class.
        ranked = sorted(
            own, key=lambda t: (not t.iri.startswith(str(MX)), -depth.get(t.iri, 0), t.label)
        )
        nodes.append(
            VizNode(
                ref=ref,
                kind=ranked[0] if ranked else None,
                types=tuple(own),
                facts=tuple(Fact(p, v) for p, v in sorted(facts.get(ref.iri, ()))),
                sources=tuple(sorted(sources.get(ref.iri, ()))),
                center=ref.iri == center,
            )
        )
    return tuple(nodes)


def _class_depths(backend: SparqlBackend, classes: Iterable[str]) -> dict[str, int]:
    """How many superclasses (itself included) each class has: more is more specific."""
    found = sorted(classes)
    if not found:
        return {}
    sparql = _SUPERCLASS_DEPTH.format(
        values=values_block("class", [ox.NamedNode(c) for c in found])
    )
    depths = {}
    for cls, n in backend.select(sparql).rows:
        if isinstance(cls, ox.NamedNode) and isinstance(n, ox.Literal):
            depths[cls.value] = int(n.value)
    return depths


def neighborhood_graph(
    source: Source,
    name: str,
    *,
    depth: int = 1,
    relation: str | None = None,
    type: str | None = None,
) -> VizGraph:
    """The entity ``name`` and its neighbours up to ``depth`` relations away, with every
    relation among them.

    ``relation`` and ``type`` work as for :func:`mxgraph.lookup.neighbors`:
    follow only that relation; keep only neighbours of that class.
    """
    from mxgraph.neighbors import neighbors

    backend = as_backend(source)
    around = neighbors(backend, name, depth=depth, relation=relation, type=type)
    refs = {around.entity.iri: around.entity}
    for neighbor in around.neighbors:
        refs.setdefault(neighbor.entity.iri, neighbor.entity)
    check_deadline(backend)
    ordered = [around.entity, *sorted(list(refs.values())[1:], key=lambda r: (r.label, r.iri))]
    edges = _edges_among(
        backend,
        list(refs),
        around.relation.iri if around.relation is not None else None,
        center=around.entity.iri,
    )
    title = f"{around.entity.label}: neighbours within {depth} relation{'s' * (depth > 1)}"
    if around.relation is not None:
        title += f" ({around.relation.label})"
    if around.type is not None:
        title += f", {around.type.label} only"
    return VizGraph(title, _details(backend, ordered, around.entity.iri), tuple(edges))


def construct_graph(
    source: Source, result: GraphResult, title: str = "CONSTRUCT result"
) -> VizGraph:
    """The triples of a CONSTRUCT (or DESCRIBE) result as a drawing.

    IRIs linked by a triple become nodes and edges; types and literals become
    the nodes' classes and facts (looked up in ``source`` too, with labels).
    """
    backend = as_backend(source)
    iris: dict[str, None] = {}
    pairs: set[tuple[str, str, str]] = set()
    for triple in result.triples:
        s, p, o = triple.subject, triple.predicate, triple.object
        if not isinstance(s, ox.NamedNode):
            continue
        iris.setdefault(s.value)
        if isinstance(o, ox.NamedNode) and p.value != RDF.type:
            iris.setdefault(o.value)
            pairs.add((s.value, p.value, o.value))
    if not iris:
        raise MxGraphError("the query's result has no IRIs to draw")
    refs = _refs(backend, list(iris))
    relations = term_refs(backend, {p for _, p, _ in pairs})
    edges = sorted(VizEdge(s, relations[p], o) for s, p, o in pairs)
    ordered = sorted(refs.values(), key=lambda r: (r.label, r.iri))
    return VizGraph(title, _details(backend, ordered, None), tuple(edges))


def whole_graph(source: Source) -> VizGraph:
    """Every node of the entity graph (see :mod:`mxgraph.paths`) and every relation among them."""
    from mxgraph.resolve import graph_node_condition

    backend = as_backend(source)
    condition = graph_node_condition("e")
    sparql = f"SELECT DISTINCT ?e WHERE {{ ?e skos:prefLabel ?label . {condition} }}"
    iris = [row[0].value for row in backend.select(sparql).rows if isinstance(row[0], ox.NamedNode)]
    refs = _refs(backend, iris)
    ordered = sorted(refs.values(), key=lambda r: (r.label, r.iri))
    edges = _edges_among(backend, [r.iri for r in ordered])
    return VizGraph("mxgraph: every entity", _details(backend, ordered, None), tuple(edges))


def _refs(backend: SparqlBackend, iris: Sequence[str]) -> dict[str, EntityRef]:
    sparql = (
        "SELECT ?node ?label WHERE { "
        + values_block("node", [ox.NamedNode(i) for i in iris])
        + " OPTIONAL { ?node skos:prefLabel ?label } }"
    )
    labels: dict[str, list[ox.Literal]] = {iri: [] for iri in iris}
    for node, label in backend.select(sparql).rows:
        if isinstance(node, ox.NamedNode) and isinstance(label, ox.Literal):
            labels[node.value].append(label)
    return {iri: EntityRef.of(iri, best_label(found)) for iri, found in labels.items()}


def only_class(source: Source, graph: VizGraph, type: str) -> VizGraph:
    """``graph`` keeping nodes of the class ``type`` (subclasses count); not used by
    neighbourhoods, which filter while walking."""
    backend = as_backend(source)
    class_ref = resolve_class(backend, type)
    sparql = (
        "SELECT ?node ?class WHERE { "
        + values_block("node", [ox.NamedNode(n.iri) for n in graph.nodes])
        + " ?node a/rdfs:subClassOf* ?class }"
    )
    rows = backend.select(sparql, {"class": ox.NamedNode(class_ref.iri)}).rows
    keep = {node.value for node, _ in rows if isinstance(node, ox.NamedNode)}
    nodes = tuple(n for n in graph.nodes if n.iri in keep or n.center)
    edges = tuple(e for e in graph.edges if e.source in keep and e.target in keep)
    return VizGraph(f"{graph.title}, {class_ref.label} only", nodes, edges)


# --- colours ----------------------------------------------------------------------------

#: Fill colours for classes, in legend order (light enough for black text).
PALETTE = (
    "#8ecae6",
    "#ffb703",
    "#90be6d",
    "#f4a3a8",
    "#cdb4db",
    "#f9e79f",
    "#76c7c0",
    "#ffd6a5",
    "#a9a9f5",
    "#d4a373",
    "#c7f9cc",
    "#e07a5f",
    "#b5d99c",
    "#f2cc8f",
    "#ffc8dd",
    "#81b29a",
    "#c9ada7",
    "#9ad1d4",
    "#e9c46a",
    "#f7b2ad",
    "#b8e0d2",
    "#d6a2e8",
    "#a2d2ff",
    "#eeb868",
    "#c5d86d",
    "#f6bd60",
    "#84a59d",
    "#f28482",
    "#bdb2ff",
    "#dde5b6",
    "#ffafcc",
    "#caffbf",
    "#fdffb6",
    "#9bf6ff",
    "#ffc6ff",
    "#e5989b",
    "#b7b7a4",
    "#a3c4f3",
    "#f1c0e8",
    "#cfbaf0",
)
OTHER_COLOUR = "#e0e0e0"


def class_colours(graph: VizGraph) -> dict[str, str]:
    """A fill colour per class IRI (cycling through :data:`PALETTE`)."""
    return {t.iri: PALETTE[i % len(PALETTE)] for i, t in enumerate(graph.classes())}


# --- rendering --------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as \\n."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def _dot_label(text: str) -> str:
    """A DOT string shown as text: Graphviz reads ``&name;`` entities in labels, so ``&`` is
    written ``&amp;`` to stay itself."""
    return _dot_string(text.replace("&", "&amp;"))


def _wrap(text: str, width: int = 24) -> str:
    """Break a long label into lines of about ``width`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines) or text


def render_dot(graph: VizGraph) -> str:
    """The drawing as Graphviz DOT: filled nodes by class, labelled edges, a legend.

    >>> g = VizGraph('say "hi"', (VizNode(EntityRef.of("http://ex.org/a", 'A "quoted" \\\\ name'),
    ...                                    None),), ())
    >>> print(render_dot(g))  # doctest: +ELLIPSIS
    digraph mxgraph {
      ...label="say \\"hi\\""...
      "http://ex.org/a" [label="A \\"quoted\\" \\\\ name", ...];
    ...
    """
    colours = class_colours(graph)
    lines = [
        "digraph mxgraph {",
        f"  graph [label={_dot_label(graph.title)}, labelloc=t, fontsize=20, "
        'fontname="Helvetica", layout=sfdp, overlap=prism, overlap_scaling=-6, sep="+12", '
        'splines=true, outputorder=edgesfirst, bgcolor="white", pad=0.3];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, '
        'penwidth=0.8, color="#555555"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#777777", fontcolor="#444444", '
        "arrowsize=0.6];",
    ]
    for node in graph.nodes:
        fill = colours.get(node.kind.iri, OTHER_COLOUR) if node.kind else OTHER_COLOUR
        extra = ", penwidth=2.5, fontsize=16" if node.center else ""
        tooltip = f"{node.ref.curie} ({node.kind.label})" if node.kind else node.ref.curie
        lines.append(
            f"  {_dot_string(node.iri)} [label={_dot_label(_wrap(node.label))}, "
            f'fillcolor="{fill}", tooltip={_dot_label(tooltip)}{extra}];'
        )
    for edge in graph.edges:
        lines.append(
            f"  {_dot_string(edge.source)} -> {_dot_string(edge.target)} "
            f"[label={_dot_label(edge.relation.label)}];"
        )
    classes = graph.classes()
    if classes:
        # The legend: one row per class, in a table-shaped node of its own.
        rows = "".join(
            f'<TR><TD BGCOLOR="{colours[c.iri]}" WIDTH="18"> </TD>'
            f'<TD ALIGN="LEFT">{_html_text(c.label)}</TD></TR>'
            for c in classes
        )
        lines.append(
            '  "mxgraph:legend" [shape=plaintext, style="", fontsize=10, label=<'
            '<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" COLOR="#999999">'
            f'<TR><TD COLSPAN="2"><B>classes</B></TD></TR>{rows}</TABLE>>];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _html_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def graphviz_program() -> str:
    """The path of Graphviz's ``dot``, or a one-line error naming the missing program."""
    found = shutil.which("dot")
    if found is None:
        raise MxGraphError(
            "Graphviz's 'dot' program is not installed (Debian: apt-get install graphviz); "
            "it draws .svg, .png and .pdf; .dot and .html need no Graphviz"
        )
    return found


def run_graphviz(dot_text: str, fmt: VizFormat, timeout: float | None = None) -> bytes:
    """Lay out and draw DOT text with Graphviz, as SVG, PNG or PDF."""
    program = graphviz_program()
    try:
        done = subprocess.run(
            [program, f"-T{fmt.value}"],
            input=dot_text.encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise MxGraphError(f"Graphviz did not finish within {timeout:g} s") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode(errors="replace").split())
        raise MxGraphError(f"Graphviz failed: {message}")
    return done.stdout


def render(graph: VizGraph, fmt: VizFormat, timeout: float | None = None) -> bytes:
    """The drawing in ``fmt``: DOT text, SVG/PNG/PDF (Graphviz) or an offline HTML page."""
    if fmt is VizFormat.HTML:
        from mxgraph.viz_html import render_html

        return render_html(graph, class_colours(graph), OTHER_COLOUR).encode()
    dot_text = render_dot(graph)
    if fmt is VizFormat.DOT:
        return dot_text.encode()
    return run_graphviz(dot_text, fmt, timeout)
