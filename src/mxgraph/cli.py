"""The ``mxgraph`` command line: thin typer commands over the library.

Each command parses its arguments, calls one library function and hands the
result to the formatter (:mod:`mxgraph.output`). Errors are
:class:`~mxgraph.errors.MxGraphError`, printed once as ``error: ...`` (exit 1).

Commands from other modules: see the end of this file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mxgraph.cli_common import (
    DEFAULT_TIMEOUT,
    DataFormatOption,
    DataOption,
    EndpointOption,
    FormatOption,
    GraphOption,
    InferOption,
    MaxMemoryOption,
    MxGraphGroup,
    NoBundledOption,
    OutputOption,
    ProgressBar,
    StoreOption,
    TableFormatOption,
    TimeoutOption,
    UpdateEndpointOption,
    UserOption,
    emit_bytes,
    emit_result,
    open_store_from_options,
    print_error,
    start_deadline,
)
from mxgraph.errors import MxGraphError
from mxgraph.export import export_graph
from mxgraph.output import format_for_output
from mxgraph.query import (
    SelectResult,
    list_named_queries,
)
from mxgraph.rdf_formats import RdfSyntax


def _new_app() -> typer.Typer:
    """An empty command group with mxgraph's settings."""
    return typer.Typer(
        cls=MxGraphGroup,
        help=(
            "A knowledge graph of U.S.–Mexico relations: query it, look up entities and the"
            " paths between them, validate, export and draw it, load it into a store or push"
            " it to a SPARQL server."
        ),
        no_args_is_help=True,
        add_completion=False,
        # click's plain help: typer's rich help imports rich.markdown, markdown_it and
        # pygments (about 160 modules, 100 ms); the text is the same, without boxes.
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _new_app()


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"mxgraph {version('mxgraph')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    pass


@app.command()
def query(
    sparql: Annotated[
        str | None,
        typer.Argument(
            help="SPARQL query text, or - to read it from standard input.", show_default=False
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", "-q", dir_okay=False, help="Read the query from FILE.", show_default=False
        ),
    ] = None,
    named: Annotated[
        str | None,
        typer.Option(
            "--named",
            "-n",
            help="Run a bundled named query (see 'mxgraph queries').",
            show_default=False,
        ),
    ] = None,
    bind: Annotated[
        list[str] | None,
        typer.Option(
            "--bind",
            "-b",
            help="Give variable NAME the value VALUE before evaluation (repeatable): "
            '<iri>, prefix:local, "text"@lang, "text"^^datatype, or plain text.',
            metavar="NAME=VALUE",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    allow_network: Annotated[
        bool, typer.Option("--allow-network", help="Allow SERVICE and FROM of remote graphs.")
    ] = False,
    allow_update: Annotated[
        bool,
        typer.Option("--allow-update", help="Allow SPARQL updates (needs --store or --endpoint)."),
    ] = False,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory: MaxMemoryOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    graph: GraphOption = None,
    user: UserOption = None,
    infer: InferOption = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", help="Say nothing on standard error when a local answer is empty."),
    ] = False,
) -> None:
    """Run a SPARQL query on the graph (read-only and offline unless allowed).

    When a local answer is empty (no rows, ASK false, no triples), each triple
    pattern is tried on its own, and the one that matches nothing is named on
    standard error with the likely fix (a misspelt term, a number or a text
    written with another datatype or language than the data's); the exit
    status stays 0.

    With --endpoint the query goes to a SPARQL server, which may call other
    servers (SERVICE) as it likes; updates and LOAD still need --allow-update.
    """
    from mxgraph import cli_fast

    cli_fast.query_command(
        sparql=sparql,
        file=file,
        named=named,
        bind=bind,
        fmt=fmt,
        output=output,
        allow_network=allow_network,
        allow_update=allow_update,
        data=data,
        data_format=data_format,
        no_bundled=no_bundled,
        store=store,
        timeout=timeout,
        max_memory=max_memory,
        endpoint=endpoint,
        update_endpoint=update_endpoint,
        graph=graph,
        user=user,
        infer=infer,
        quiet=quiet,
    )


@app.command()
def queries(fmt: TableFormatOption = None, output: OutputOption = None) -> None:
    """List the bundled named queries with the question each answers."""
    from pyoxigraph import Literal

    from mxgraph.output import OutputFormat

    rows = tuple(
        (Literal(q.name), Literal(q.title), Literal(q.question)) for q in list_named_queries()
    )
    chosen = OutputFormat(fmt.value) if fmt is not None else None
    emit_result(SelectResult(("name", "title", "question"), rows), chosen, output)


@app.command()
def export(
    fmt: Annotated[
        RdfSyntax | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="RDF format (default: from the --output file's extension, else turtle).",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    data_only: Annotated[
        bool, typer.Option("--data-only", help="Leave out the ontology's triples.")
    ] = False,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    infer: InferOption = False,
) -> None:
    """Write the whole graph (ontology included unless --data-only) as RDF.

    With --infer the entailments are written too (the materialised graph).
    """
    deadline = start_deadline(timeout)
    graph = open_store_from_options(
        data, data_format, no_bundled, store, infer=infer, timeout=timeout, deadline=deadline
    )
    if fmt is None:
        implied = format_for_output(str(output)) if output is not None else None
        fmt = RdfSyntax(implied.value) if implied is not None and implied.is_rdf else None
    syntax = fmt or RdfSyntax.TURTLE
    emit_bytes(export_graph(graph, syntax, data_only, timeout=deadline), output)


@app.command()
def load(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="RDF files to add (- reads standard input; none: the bundled graph alone).",
            show_default=False,
        ),
    ] = None,
    *,
    store: Annotated[
        Path,
        typer.Option(
            "--store",
            file_okay=False,
            help="The store's folder (created if missing).",
            metavar="DIR",
        ),
    ],
    data_format: Annotated[
        RdfSyntax | None,
        typer.Option(
            "--data-format",
            case_sensitive=False,
            help="Format of the files (default: from each file's extension; Turtle for -).",
            show_default=False,
        ),
    ] = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Bulk-load RDF files into an on-disk store (with the bundled graph unless --no-bundled).

    All or nothing: the store is built beside the folder and swapped in when every
    file has loaded, so a failed or interrupted load leaves the store as it was.
    """
    from mxgraph.store import load_into_store

    if not files and no_bundled:
        raise MxGraphError("nothing to load: give RDF files, or leave out --no-bundled")
    with ProgressBar() as progress:
        added, seconds = load_into_store(
            files or [], store, bundled=not no_bundled, data_format=data_format, progress=progress
        )
    rate = added / seconds if seconds > 0 else 0.0
    emit_bytes(f"{added} triples in {seconds:.2f} s ({rate:.0f} triples/s)\n".encode(), None)


# Commands defined in other modules. Each such module defines
# ``app = typer.Typer()`` with its commands (using the shared options of
# mxgraph.cli_common) and is merged here with one import and one add_typer.

from mxgraph import cli_validate  # noqa: E402  (registered after the core commands)

app.add_typer(cli_validate.app)

from mxgraph import cli_lookup  # noqa: E402

app.add_typer(cli_lookup.app)

from mxgraph import cli_remote  # noqa: E402

app.add_typer(cli_remote.app)

from mxgraph import cli_viz  # noqa: E402

app.add_typer(cli_viz.app)

from mxgraph import cli_serve  # noqa: E402  (starlette and uvicorn are imported when it runs)

app.add_typer(cli_serve.app)


def _app_for(argv: list[str]) -> typer.Typer:
    """The app to run for ``argv``: only the command it names, when it names one.

    Typer builds every registered command (signatures, types, options) before
    parsing; building one saves tens of milliseconds per run. Help, no
    arguments or an unknown name get the whole app, so listings, suggestions
    and errors are unchanged.
    """
    if not argv:
        return app
    commands = [*app.registered_commands]
    for group in app.registered_groups:
        # add_typer without a name merges the commands (typer keeps a placeholder name).
        unnamed = getattr(group.name, "value", group.name) is None
        if unnamed and group.typer_instance is not None:
            commands += group.typer_instance.registered_commands
    for info in commands:
        name = info.name or (info.callback.__name__ if info.callback else "")
        if name.lower().replace("_", "-") == argv[0]:
            single = _new_app()
            single.registered_commands.append(info)
            return single
    return app


def main() -> None:
    """The ``mxgraph`` entry point (typer exits 130 on Ctrl-C and 1 on a closed pipe); a plain
    ``query`` line runs without the typer app (see :mod:`mxgraph.cli_fast`)."""
    from mxgraph.cli_fast import run_plain_line

    run_plain_line(sys.argv[1:])
    try:
        chosen = _app_for(sys.argv[1:])
        if chosen is app:
            app()
        else:
            # A group even for one command, so the command is still named on the line.
            typer.main.get_group(chosen)()
    except MxGraphError as error:  # raised outside a command
        print_error(str(error))
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
