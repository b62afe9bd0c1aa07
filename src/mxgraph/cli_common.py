"""What every command module of the CLI shares: options, store opening, output, errors.

A command module defines its own ``app = typer.Typer()`` with commands that
take these options, and ``mxgraph.cli`` merges it into the main app. This
module holds only typer plumbing; the work is done by the library.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

# The typer-free helpers, here for the command modules (one import for options and helpers).
from mxgraph.cli_base import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
from mxgraph.cli_base import MAX_TIMEOUT as MAX_TIMEOUT
from mxgraph.cli_base import PASSWORD_VARIABLE as PASSWORD_VARIABLE
from mxgraph.cli_base import apply_max_memory as apply_max_memory
from mxgraph.cli_base import check_timeout
from mxgraph.cli_base import emit_bytes as emit_bytes
from mxgraph.cli_base import emit_result as emit_result
from mxgraph.cli_base import endpoint_password as endpoint_password
from mxgraph.cli_base import open_endpoint as open_endpoint
from mxgraph.cli_base import open_store_from_options as open_store_from_options
from mxgraph.cli_base import parse_size as parse_size
from mxgraph.cli_base import print_error as print_error
from mxgraph.cli_base import start_deadline as start_deadline
from mxgraph.cli_base import stdout_is_terminal as stdout_is_terminal
from mxgraph.errors import MxGraphError
from mxgraph.output import OutputFormat
from mxgraph.rdf_formats import RdfSyntax

DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        help="RDF file to load besides the bundled graph (repeatable; - reads standard input).",
        show_default=False,
    ),
]
DataFormatOption = Annotated[
    RdfSyntax | None,
    typer.Option(
        "--data-format",
        case_sensitive=False,
        help="Format of the --data files (default: from each file's extension; Turtle for -).",
        show_default=False,
    ),
]
NoBundledOption = Annotated[
    bool, typer.Option("--no-bundled", help="Do not load the bundled ontology and graph.")
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Use an on-disk store made with 'mxgraph load' instead of loading files.",
        file_okay=False,
        show_default=False,
    ),
]


def _check_timeout(value: float) -> float:
    try:
        return check_timeout(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def check_size(value: str | None) -> str | None:
    if value is not None:
        try:
            parse_size(value)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None
    return value


MaxMemoryOption = Annotated[
    str | None,
    typer.Option(
        "--max-memory",
        callback=check_size,
        help="Stop a query that needs more than SIZE of memory (e.g. 500M, 4G; 0: no limit; "
        "default: half the machine's memory).",
        metavar="SIZE",
        show_default=False,
    ),
]

TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        callback=_check_timeout,
        help="Stop after SECONDS, evaluation and output included (0: no limit).",
        metavar="SECONDS",
    ),
]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format (default: from the --output file's extension, else table for "
        "SELECT/ASK and turtle for CONSTRUCT/DESCRIBE); csv and tsv are the W3C SPARQL 1.1 "
        "result formats (CRLF line ends for csv).",
        show_default=False,
    ),
]


class TableFormat(str, Enum):
    """The formats of a table of rows (a SELECT result, a listing)."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    MARKDOWN = "markdown"


TableFormatOption = Annotated[
    TableFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format (default: from the --output file's extension, else table).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        dir_okay=False,
        help="Write to FILE (replaced atomically) instead of standard output.",
        show_default=False,
    ),
]

EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        "-e",
        help="Ask this SPARQL endpoint (SPARQL 1.1 Protocol) instead of a local store.",
        metavar="URL",
        show_default=False,
    ),
]
GraphOption = Annotated[
    str | None,
    typer.Option(
        "--graph",
        help="With --endpoint: the server's graph holding mxgraph (sent as default-graph-uri).",
        metavar="IRI",
        show_default=False,
    ),
]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        help="With --endpoint: user name for basic or digest auth; the password comes from "
        "MXGRAPH_ENDPOINT_PASSWORD or a prompt.",
        show_default=False,
    ),
]
UpdateEndpointOption = Annotated[
    str | None,
    typer.Option(
        "--update-endpoint",
        help="With --endpoint: where updates go when the server takes them elsewhere.",
        metavar="URL",
        show_default=False,
    ),
]
InferOption = Annotated[
    bool,
    typer.Option(
        "--infer",
        help="Add the OWL 2 RL entailments of ontology and data (owlrl) first: inverse, "
        "super-properties, types from subclasses, domains and ranges (slower).",
    ),
]


class MxGraphGroup(TyperGroup):
    """The command group: every error is one ``error:`` line on stderr and an exit code.

    An :class:`MxGraphError` exits with its code (1); a usage error (unknown
    option, bad value, missing argument) with 2, naming the command's help; an
    interrupt (Ctrl-C) with 130. typer's boxed error panels are not used.
    """

    def invoke(self, ctx: Any) -> Any:  # ctx: click's Context, vendored by typer
        try:
            return super().invoke(ctx)
        except MxGraphError as error:
            print_error(str(error))
            raise typer.Exit(code=error.exit_code) from None
        except KeyboardInterrupt:
            print_error("interrupted")
            raise typer.Exit(code=130) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
        from typer.exceptions import Abort

        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except NoArgsIsHelpError as error:  # no arguments: the help on stdout, status 2
            sys.stdout.write(error.format_message() + "\n")
            sys.exit(error.exit_code)
        except UsageError as error:
            command = error.ctx.command_path if error.ctx is not None else "mxgraph"
            print_error(f"{error.format_message().rstrip('.')} (see: {command} --help)")
            sys.exit(2)
        except ClickException as error:
            print_error(error.format_message())
            sys.exit(error.exit_code)
        except (Abort, KeyboardInterrupt):
            print_error("interrupted")
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


class ProgressBar:
    """A rich progress bar on standard error when it is a terminal; otherwise silent.

    Called with (what is being done, units done, units in all).
    """

    def __enter__(self) -> ProgressBar:
        self._bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._task = self._bar.add_task("loading", total=None)
            self._bar.start()
        return self

    def __call__(self, source: str, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total, description=source)

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()
