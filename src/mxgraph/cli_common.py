"""What every command module of the CLI shares: options, store opening, output, errors.

A command module defines its own ``app = typer.Typer()`` with commands that
take these options, and ``mxgraph.cli`` merges it into the main app. This
module holds only typer plumbing; the work is done by the library.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from mxgraph.atomic import write_atomically
from mxgraph.deadline import Deadline
from mxgraph.errors import MxGraphError
from mxgraph.output import OutputFormat, render_result
from mxgraph.query import QueryResult, UpdateResult
from mxgraph.rdf_formats import RdfSyntax
from mxgraph.store import MxStore, open_store

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
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=0,
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
        help="Output format (default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE).",
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

InferOption = Annotated[
    bool,
    typer.Option(
        "--infer",
        help="Add the OWL 2 RL entailments of ontology and data (owlrl) first: inverse, "
        "super-properties, types from subclasses, domains and ranges (slower).",
    ),
]

DEFAULT_TIMEOUT = 30.0


def open_store_from_options(
    data: Sequence[Path] | None,
    data_format: RdfSyntax | None,
    no_bundled: bool,
    store: Path | None,
    *,
    writable: bool = False,
) -> MxStore:
    """Open the store the data options describe (see :func:`mxgraph.store.open_store`)."""
    return open_store(
        list(data or ()),
        bundled=not no_bundled,
        store_dir=store,
        data_format=data_format,
        writable=writable,
    )


def infer_if_asked(store: MxStore, infer: bool, timeout: float = 0) -> MxStore:
    """With ``--infer``, a copy of ``store`` with its entailments; says how many on stderr.

    ``timeout`` (``--timeout``; 0: no limit) bounds the inference on its own.
    """
    if not infer:
        return store
    from mxgraph.infer import infer_store

    inference = infer_store(store, timeout=timeout or None)
    print(inference.summary(), file=sys.stderr)
    return inference.store


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
    """Format a result with the one formatter and write it to standard output or ``output``."""
    to_terminal = output is None and stdout_is_terminal()
    width = shutil.get_terminal_size().columns if to_terminal else None
    emit_bytes(
        render_result(result, fmt, deadline=deadline, color=to_terminal, width=width), output
    )


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
    """The command group: an :class:`MxGraphError` becomes one stderr line and its exit code."""

    def invoke(self, ctx: Any) -> Any:  # ctx: click's Context, vendored by typer
        try:
            return super().invoke(ctx)
        except MxGraphError as error:
            print_error(str(error))
            raise typer.Exit(code=error.exit_code) from None
