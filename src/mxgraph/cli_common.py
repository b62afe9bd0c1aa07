"""What every command module of the CLI shares: options, store opening, output, errors.

A command module defines its own ``app = typer.Typer()`` with commands that
take these options, and ``mxgraph.cli`` merges it into the main app. This
module holds only typer plumbing; the work is done by the library.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from mxgraph.atomic import write_atomically
from mxgraph.deadline import Deadline
from mxgraph.errors import MxGraphError
from mxgraph.output import OutputFormat, format_for_output, render_result
from mxgraph.query import QueryResult, UpdateResult
from mxgraph.rdf_formats import RdfSyntax
from mxgraph.store import MxStore, open_store

if TYPE_CHECKING:
    from mxgraph.remote import RemoteEndpoint

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
#: The longest --timeout taken (about 11 days): larger values overflow the system's timers.
MAX_TIMEOUT = 1_000_000.0


def _check_timeout(value: float) -> float:
    """``--timeout`` must be a finite number of seconds from 0 (no limit) to MAX_TIMEOUT."""
    if not math.isfinite(value) or not 0 <= value <= MAX_TIMEOUT:
        raise typer.BadParameter(
            f"{value!r} is not a number of seconds from 0 (no limit) to {MAX_TIMEOUT:,.0f}"
        )
    return value


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$", re.IGNORECASE)


def parse_size(value: str) -> int | None:
    """Bytes in ``500M``, ``4G``, ``1.5G``, ``200MB`` (``0``: None, no limit).

    >>> parse_size("500M"), parse_size("0")
    (524288000, None)
    """
    match = _SIZE.match(value)
    if match is None:
        raise typer.BadParameter(f"{value!r} is not a size such as 500M or 4G (0: no limit)")
    scale = 1024 ** ("KMGT".find(match[2].upper()) + 1) if match[2] else 1
    return int(float(match[1]) * scale) or None


def _check_size(value: str | None) -> str | None:
    if value is not None:
        parse_size(value)
    return value


def apply_max_memory(value: str | None) -> None:
    """Set the memory cap of query processes from ``--max-memory`` (default when not given)."""
    from mxgraph.deadline import default_memory_limit, set_memory_limit

    set_memory_limit(default_memory_limit() if value is None else parse_size(value))


MaxMemoryOption = Annotated[
    str | None,
    typer.Option(
        "--max-memory",
        callback=_check_size,
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

DEFAULT_TIMEOUT = 30.0

#: Where the endpoint password is read from (never from the command line).
PASSWORD_VARIABLE = "MXGRAPH_ENDPOINT_PASSWORD"


def open_store_from_options(
    data: Sequence[Path] | None,
    data_format: RdfSyntax | None,
    no_bundled: bool,
    store: Path | None,
    *,
    writable: bool = False,
    infer: bool = False,
    timeout: float = 0,
    deadline: Deadline | None = None,
) -> MxStore:
    """Open the store the data options describe (see :func:`mxgraph.store.open_store`).

    With ``infer`` (``--infer``) it is an in-memory copy with the entailments
    added (see :func:`mxgraph.infer.infer_store`), and how many goes to stderr;
    ``deadline`` (the command's, started from ``--timeout``) bounds the parsing of the
    ``--data`` files; ``timeout`` bounds the inference on its own.
    """
    opened = open_store(
        list(data or ()),
        bundled=not no_bundled,
        store_dir=store,
        data_format=data_format,
        writable=writable,
        deadline=deadline if deadline is not None else Deadline.start(timeout or None),
    )
    if not infer:
        return opened
    from mxgraph.infer import infer_store

    inference = infer_store(opened, timeout=timeout or None)
    print(inference.summary(), file=sys.stderr)
    return inference.store


def open_endpoint(
    endpoint: str,
    *,
    graph: str | None = None,
    user: str | None = None,
    update_endpoint: str | None = None,
    deadline: Deadline,
    local_options: Sequence[object] = (),
) -> RemoteEndpoint:
    """The server ``--endpoint`` names; local data options given with it are an error."""
    from mxgraph.remote import RemoteEndpoint

    if any(local_options):
        raise MxGraphError("--endpoint cannot be combined with --data, --no-bundled or --store")
    return RemoteEndpoint(
        endpoint,
        update_url=update_endpoint,
        graph=graph,
        user=user,
        password=endpoint_password(user),
        timeout=deadline,
    )


def endpoint_password(user: str | None) -> str | None:
    """The password for ``--user``: from the environment, else asked for on a terminal."""
    if user is None:
        return None
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise MxGraphError(f"--user needs a password: set {PASSWORD_VARIABLE} (no terminal to ask)")
    return str(typer.prompt(f"password for {user}", hide_input=True, err=True))


def start_deadline(timeout: float) -> Deadline:
    """The deadline for ``--timeout SECONDS`` (0 means no limit)."""
    return Deadline.start(timeout or None)


def stdout_is_terminal() -> bool:
    """Whether standard output is an interactive terminal (colours and width apply)."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def emit_result(
    result: QueryResult | UpdateResult,
    fmt: OutputFormat | None,
    output: Path | None,
    deadline: Deadline | None = None,
) -> None:
    """Format a result with the one formatter and write it to standard output or ``output``
    (in the format its extension names, unless ``fmt`` is given)."""
    if fmt is None and output is not None:
        fmt = _fitting_format(result, format_for_output(str(output)))
    to_terminal = output is None and stdout_is_terminal()
    width = shutil.get_terminal_size().columns if to_terminal else None
    emit_bytes(
        render_result(result, fmt, deadline=deadline, color=to_terminal, width=width), output
    )


def _fitting_format(
    result: QueryResult | UpdateResult, fmt: OutputFormat | None
) -> OutputFormat | None:
    """``fmt`` if it can hold ``result`` (a table format for rows, RDF for triples), else None."""
    from mxgraph.query import GraphResult

    if fmt is None or fmt.is_rdf == isinstance(result, GraphResult):
        return fmt
    return None


def emit_bytes(data: bytes, output: Path | None) -> None:
    """Write bytes to standard output, or atomically to ``output``."""
    if output is not None:
        write_atomically(output, data)
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def print_error(message: str) -> None:
    """One line ``error: message`` on standard error."""
    from rich.console import Console

    Console(stderr=True, soft_wrap=True, highlight=False).print(
        f"error: {' '.join(message.split())}", markup=False
    )


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
        except NoArgsIsHelpError as error:  # no arguments: the help, as typer shows it
            from typer import rich_utils

            rich_utils.rich_format_error(error)
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
