"""``mxgraph viz``: draw a neighbourhood, a CONSTRUCT result or the whole graph to a file.

The output file's extension picks the kind: ``.svg``, ``.png``, ``.pdf``
(Graphviz's ``dot`` program), ``.dot`` (Graphviz source) or ``.html`` (one
offline, interactive page). On success one line on standard output says
what was drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mxgraph.backend import LocalBackend
from mxgraph.cli_common import (
    DEFAULT_TIMEOUT,
    DataFormatOption,
    DataOption,
    InferOption,
    MxGraphGroup,
    NoBundledOption,
    StoreOption,
    TimeoutOption,
    emit_bytes,
    open_store_from_options,
    start_deadline,
)
from mxgraph.errors import MxGraphError

app = typer.Typer(cls=MxGraphGroup)


@app.command()
def viz(
    entity: Annotated[
        str | None,
        typer.Argument(
            help="The entity at the centre: label or alias, CURIE or IRI.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="The file to write; its extension picks the kind: .svg, .png, .pdf, .dot, .html.",
            show_default=False,
        ),
    ] = ...,  # type: ignore[assignment]
    depth: Annotated[
        int, typer.Option("--depth", min=1, help="How many relations away to go.", metavar="N")
    ] = 1,
    relation: Annotated[
        str | None,
        typer.Option(
            "--relation",
            "-r",
            help="Follow and draw only this relation (CURIE, IRI or label).",
            show_default=False,
        ),
    ] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            "-t",
            help="Draw only nodes of this class (CURIE, IRI or label; subclasses count).",
            show_default=False,
        ),
    ] = None,
    query_file: Annotated[
        Path | None,
        typer.Option(
            "--query",
            "-q",
            dir_okay=False,
            help="Draw the result of the CONSTRUCT query in FILE instead of a neighbourhood.",
            show_default=False,
        ),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Draw every entity and every relation among them.")
    ] = False,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    infer: InferOption = False,
) -> None:
    """Draw part of the graph: nodes labelled and coloured by class, with a legend.

    Give an ENTITY (with --depth, --relation, --type), or --query FILE, or --all.
    """
    from mxgraph.query import GraphResult, run_query
    from mxgraph.viz import (
        construct_graph,
        neighborhood_graph,
        only_class,
        render,
        viz_format_for_path,
        whole_graph,
    )

    if sum((entity is not None, query_file is not None, everything)) != 1:
        raise MxGraphError("give exactly one of: ENTITY, --query FILE, --all")
    fmt = viz_format_for_path(output)
    if fmt.needs_graphviz:
        from mxgraph.viz import graphviz_program

        graphviz_program()  # fail before any work when Graphviz is missing
    deadline = start_deadline(timeout)
    graph_store = open_store_from_options(
        data, data_format, no_bundled, store, infer=infer, timeout=timeout, deadline=deadline
    )
    backend = LocalBackend(graph_store, deadline)
    if entity is not None:
        drawing = neighborhood_graph(backend, entity, depth=depth, relation=relation, type=type_)
    else:
        if query_file is not None:
            try:
                sparql = query_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise MxGraphError(f"cannot read query file {query_file}: {error}") from None
            result = run_query(graph_store, sparql, timeout=deadline)
            if not isinstance(result, GraphResult):
                raise MxGraphError(f"{query_file}: --query needs a CONSTRUCT or DESCRIBE query")
            drawing = construct_graph(backend, result, title=query_file.name)
        else:
            drawing = whole_graph(backend)
        if type_ is not None:
            drawing = only_class(backend, drawing, type_)
    emit_bytes(render(drawing, fmt, timeout=deadline.remaining()), output)
    emit_bytes(
        f"{output}: {len(drawing.nodes)} nodes, {len(drawing.edges)} relations, "
        f"{len(drawing.classes())} classes\n".encode(),
        None,
    )
