"""What a drawing shows: nodes (with a class for the colour, facts and sources) and edges.

:mod:`mxgraph.viz` collects a :class:`VizGraph` and renders it as DOT, SVG,
PNG or PDF; :mod:`mxgraph.viz_html` renders it as an HTML page. Both import the
model from here, so neither needs the other at import time.

>>> from mxgraph.resolve import EntityRef
>>> node = VizNode(EntityRef.of("http://ex.org/a", "A"), None)
>>> VizGraph("t", (node,), ()).node("http://ex.org/a").label
'A'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mxgraph.resolve import EntityRef, TermRef


@dataclass(frozen=True)
class Fact:
    """A literal-valued property of a node, as shown when it is clicked."""

    property: str
    value: str


@dataclass(frozen=True)
class VizNode:
    """A node to draw: who it is, the class that colours it, and what to show about it."""

    ref: EntityRef
    kind: TermRef | None
    types: tuple[TermRef, ...] = ()
    facts: tuple[Fact, ...] = ()
    sources: tuple[str, ...] = ()
    center: bool = False

    @property
    def iri(self) -> str:
        return self.ref.iri

    @property
    def label(self) -> str:
        return self.ref.label


@dataclass(frozen=True, order=True)
class VizEdge:
    """A relation from ``source`` to ``target`` (IRIs of drawn nodes)."""

    source: str
    relation: TermRef
    target: str


@dataclass(frozen=True)
class VizGraph:
    """Nodes and edges to draw, and a title."""

    title: str
    nodes: tuple[VizNode, ...]
    edges: tuple[VizEdge, ...]
    _index: dict[str, VizNode] = field(default_factory=dict, compare=False, repr=False)

    def node(self, iri: str) -> VizNode:
        """The node with this IRI."""
        if not self._index:
            self._index.update((n.iri, n) for n in self.nodes)
        return self._index[iri]

    def classes(self) -> list[TermRef]:
        """The classes that colour nodes, in legend order (by label)."""
        found = {n.kind.iri: n.kind for n in self.nodes if n.kind is not None}
        return sorted(found.values(), key=lambda t: (t.label.casefold(), t.iri))
