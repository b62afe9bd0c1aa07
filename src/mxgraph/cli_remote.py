"""``mxgraph push``: upload the bundled graph (and ``--data`` files) to a SPARQL server."""

from __future__ import annotations

from typing import Annotated

import typer

from mxgraph.cli_common import (
    DataFormatOption,
    DataOption,
    MxGraphGroup,
    NoBundledOption,
    ProgressBar,
    TimeoutOption,
    UpdateEndpointOption,
    UserOption,
    emit_bytes,
    open_endpoint,
    open_store_from_options,
    start_deadline,
)

app = typer.Typer(cls=MxGraphGroup)


@app.command()
def push(
    endpoint: Annotated[
        str,
        typer.Option("--endpoint", "-e", help="The server's SPARQL query endpoint.", metavar="URL"),
    ],
    graph: Annotated[
        str | None,
        typer.Option(
            "--graph",
            help="Put the triples in this named graph (default: the server's default graph).",
            metavar="IRI",
            show_default=False,
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Empty the graph on the server first.")
    ] = False,
    update_endpoint: UpdateEndpointOption = None,
    store_endpoint: Annotated[
        str | None,
        typer.Option(
            "--store-endpoint",
            help="The server's Graph Store Protocol endpoint (default: .../store beside "
            ".../query when it answers; otherwise SPARQL Update INSERT DATA is used).",
            metavar="URL",
            show_default=False,
        ),
    ] = None,
    user: UserOption = None,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    timeout: TimeoutOption = 600.0,
) -> None:
    """Upload the graph to a SPARQL server, then check the server's triple count.

    The statements' sources go too: each sentence's named graph replaces the
    server's graph of that name (the sentence's IRI), so GRAPH ?source { ... }
    works there as locally. Blank nodes are sent as stable skolem IRIs, so
    pushing twice leaves the same triples. A progress bar shows on standard
    error when it is a terminal.
    """
    from mxgraph.push import push_source_graphs, push_triples

    local = open_store_from_options(data, data_format, no_bundled, None)
    triples = list(local)
    server = open_endpoint(
        endpoint,
        graph=graph,
        user=user,
        update_endpoint=update_endpoint,
        deadline=start_deadline(timeout),
    )
    with ProgressBar() as bar:
        result = push_triples(
            server,
            triples,
            graph=graph,
            replace=replace,
            store_url=store_endpoint,
            progress=lambda sent, total: bar("pushing triples", sent, total),
        )
        sources = push_source_graphs(
            server,
            local.named_graph_quads(),
            store_url=store_endpoint,
            progress=lambda sent, total: bar("pushing sources", sent, total),
        )
    where = f"graph <{graph}>" if graph else "the default graph"
    cited = f" and {sources} statements in their sentences' graphs" if sources else ""
    emit_bytes(
        f"pushed {result.sent} triples to {where}{cited} of {endpoint} by {result.method} "
        f"in {result.seconds:.2f} s; it holds {result.after} triples\n".encode(),
        None,
    )
