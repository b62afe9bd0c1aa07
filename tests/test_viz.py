"""Drawings: what a neighbourhood holds, and each output kind (DOT, SVG, PNG, PDF, HTML)."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mxgraph.errors import MxGraphError
from mxgraph.query import GraphResult, run_query
from mxgraph.resolve import EntityRef, TermRef
from mxgraph.store import MxStore, open_store
from mxgraph.viz import (
    VIZ_FORMATS,
    VizEdge,
    VizFormat,
    VizGraph,
    VizNode,
    class_colours,
    construct_graph,
    neighborhood_graph,
    render,
    render_dot,
    viz_format_for_path,
    whole_graph,
)

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) not installed")
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def bundled() -> MxStore:
    return open_store()


@pytest.fixture(scope="module")
def mexico(bundled: MxStore) -> VizGraph:
    return neighborhood_graph(bundled, "Mexico", depth=1)


def test_neighbourhood_nodes_edges_and_classes(mexico: VizGraph) -> None:
    labels = {node.label for node in mexico.nodes}
    assert mexico.nodes[0].label == "Mexico" and mexico.nodes[0].center
    assert {"United States", "Pacific Alliance", "World Bank", "Canada"} <= labels
    relations = {
        (mexico.node(e.source).label, e.relation.label, mexico.node(e.target).label)
        for e in mexico.edges
    }
    assert ("Mexico", "member of", "World Bank") in relations
    # Relations among neighbours are drawn too, not only those from the centre.
    assert ("United States", "member of", "World Bank") in relations
    kinds = {node.label: node.kind.label for node in mexico.nodes if node.kind}
    assert kinds["Mexico"] == "country"
    assert kinds["World Bank"] == "international organization"
    assert len(set(class_colours(mexico).values())) == len(mexico.classes())


def test_node_details_hold_facts_and_sources(mexico: VizGraph) -> None:
    alliance = next(n for n in mexico.nodes if n.label == "Pacific Alliance")
    assert ("launch date", "2012") in {(f.property, f.value) for f in alliance.facts}
    assert any(s.startswith("In 2012, Mexico joined Chile") for s in alliance.sources)


def test_relation_and_type_filters(bundled: MxStore) -> None:
    members = neighborhood_graph(bundled, "Mexico", relation="member of")
    assert {e.relation.label for e in members.edges} == {"member of"}
    assert len(members.nodes) == 9
    organizations = neighborhood_graph(bundled, "Mexico", type="mx:InternationalOrganization")
    assert all(
        n.center or n.kind.label == "international organization"  # type: ignore[union-attr]
        for n in organizations.nodes
    )
    assert organizations.title.endswith("international organization only")


def test_construct_result_and_whole_graph(bundled: MxStore) -> None:
    result = run_query(bundled, "CONSTRUCT { ?a mx:launchedBy ?b } WHERE { ?a mx:launchedBy ?b }")
    assert isinstance(result, GraphResult)
    drawing = construct_graph(bundled, result)
    assert {"Pacific Alliance", "Peru"} <= {n.label for n in drawing.nodes}
    assert {e.relation.label for e in drawing.edges} == {"launched by"}
    with pytest.raises(MxGraphError, match="no IRIs to draw"):
        construct_graph(bundled, GraphResult(()))
    everything = whole_graph(bundled)
    assert len(everything.nodes) > 200 and len(everything.edges) > 300


@pytest.mark.parametrize(("name", "fmt"), sorted(VIZ_FORMATS.items()))
def test_format_table(name: str, fmt: VizFormat) -> None:
    assert viz_format_for_path(f"out{name.upper()}") is fmt


def test_unknown_extension_is_refused() -> None:
    with pytest.raises(MxGraphError, match=r"cannot draw to out\.jpg: use one of \.svg"):
        viz_format_for_path("out.jpg")


HOSTILE = VizGraph(
    'quotes " and \\ backslash',
    (
        VizNode(EntityRef.of("http://ex.org/a", 'A "label" with \\ and\nnewline'), None),
        VizNode(
            EntityRef.of("http://ex.org/b", "<b>&amp; tags</b>"),
            TermRef.of("http://ex.org/C", "class <i>&</i>"),
        ),
    ),
    (VizEdge("http://ex.org/a", TermRef.of("http://ex.org/p", 'rel "x"'), "http://ex.org/b"),),
)


@needs_dot
@pytest.mark.parametrize("graph", [HOSTILE], ids=["hostile labels"])
def test_dot_is_valid_for_graphviz(graph: VizGraph, mexico: VizGraph) -> None:
    for drawing in (graph, mexico):
        done = subprocess.run(
            ["dot", "-Tcanon"], input=render_dot(drawing).encode(), capture_output=True
        )
        assert done.returncode == 0, done.stderr.decode()
        assert b"Warning" not in done.stderr and b"Error" not in done.stderr


def _svg_node_texts(svg: bytes) -> dict[str, str]:
    """Graphviz SVG: the text of each node group, keyed by its title (the node id)."""
    root = ET.fromstring(svg)
    texts = {}
    for group in root.iter(f"{SVG_NS}g"):
        if group.get("class") != "node":
            continue
        title = group.find(f"{SVG_NS}title")
        assert title is not None
        words = " ".join(t.text or "" for t in group.iter(f"{SVG_NS}text"))
        texts[title.text or ""] = " ".join(words.split())
    return texts


@needs_dot
def test_svg_parses_and_holds_every_label(mexico: VizGraph) -> None:
    svg = render(mexico, VizFormat.SVG)
    texts = _svg_node_texts(svg)
    for node in mexico.nodes:
        assert texts[node.iri] == " ".join(node.label.split())
    legend = texts["mxgraph:legend"]
    for cls in mexico.classes():
        assert cls.label in legend
    edge_labels = {t.text for t in ET.fromstring(svg).iter(f"{SVG_NS}text")}
    assert {"member of", "launched"} <= edge_labels  # as stated from Mexico
    hostile = _svg_node_texts(render(HOSTILE, VizFormat.SVG))
    assert hostile["http://ex.org/b"] == "<b>&amp; tags</b>"


@needs_dot
@pytest.mark.parametrize(("fmt", "magic"), [(VizFormat.PNG, b"\x89PNG"), (VizFormat.PDF, b"%PDF")])
def test_png_and_pdf(mexico: VizGraph, fmt: VizFormat, magic: bytes) -> None:
    assert render(mexico, fmt).startswith(magic)


def test_missing_graphviz_is_one_clear_line(
    mexico: VizGraph, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MxGraphError) as caught:
        render(mexico, VizFormat.SVG)
    assert str(caught.value) == (
        "Graphviz's 'dot' program is not installed (Debian: apt-get install graphviz); "
        "it draws .svg, .png and .pdf; .dot and .html need no Graphviz"
    )
    assert render(mexico, VizFormat.DOT).startswith(b"digraph")
    assert render(mexico, VizFormat.HTML).startswith(b"<!DOCTYPE html>")


def test_html_is_self_contained(mexico: VizGraph) -> None:
    page = render(mexico, VizFormat.HTML).decode()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for forbidden in ("http://", "https://", "src=", "@import", "url(http"):
        remaining = page.replace("http://www.w3.org/2000/svg", "")
        if forbidden in ("http://", "https://"):
            # IRIs appear only inside the graph's JSON data, never as resources to load.
            data = remaining[remaining.index('"application/json">') :]
            code = remaining[: remaining.index('"application/json">')]
            assert forbidden not in code
            assert data
        else:
            assert forbidden not in remaining
    hostile = render(HOSTILE, VizFormat.HTML).decode()
    assert "<b>&amp; tags</b>" not in hostile


def test_html_page_renderer_does_not_import_the_collector() -> None:
    """viz imports viz_html (to render) and both import the model from viz_graph: no cycle."""
    import sys

    code = "import sys, mxgraph.viz_html; print('mxgraph.viz' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
    import mxgraph.viz
    import mxgraph.viz_graph

    assert mxgraph.viz.VizGraph is mxgraph.viz_graph.VizGraph
