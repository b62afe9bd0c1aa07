"""``mxgraph push``: upload the bundled graph (and ``--data`` files) to a SPARQL server."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mxgraph.cli_common import (
    DataFormatOption,
    DataOption,
    MxGraphGroup,
    NoBundledOption,
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

    Blank nodes are sent as stable skolem IRIs, so pushing twice leaves the
    same triples. A progress bar shows on standard error when it is a terminal.
    """
    from mxgraph.push import push_triples

    triples = list(open_store_from_options(data, data_format, no_bundled, None))
    server = open_endpoint(
        endpoint,
        graph=graph,
        user=user,
        update_endpoint=update_endpoint,
        deadline=start_deadline(timeout),
    )
    with _PushProgress() as progress:
        result = push_triples(
            server,
            triples,
            graph=graph,
            replace=replace,
            store_url=store_endpoint,
            progress=progress,
        )
    where = f"graph <{graph}>" if graph else "the default graph"
    emit_bytes(
        f"pushed {result.sent} triples to {where} of {endpoint} by {result.method} "
        f"in {result.seconds:.2f} s; it holds {result.after} triples\n".encode(),
        None,
    )


class _PushProgress:
    """A rich progress bar of triples sent, on standard error when it is a terminal."""

    def __enter__(self) -> _PushProgress:
        self._bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._task = self._bar.add_task("pushing", total=None)
            self._bar.start()
        return self

    def __call__(self, sent: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=sent, total=total)

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()
