"""The command line's helpers that need no typer: store opening, output, errors, limits.

Every command module uses them through :mod:`mxgraph.cli_common` (which adds
the typer options); :mod:`mxgraph.cli_fast` uses them directly, so a plain
``mxgraph query`` line runs without importing typer.

>>> parse_size("500M"), parse_size("0")
(524288000, None)
>>> check_timeout(30.0)
30.0
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mxgraph.deadline import Deadline
from mxgraph.errors import MxGraphError
from mxgraph.output import OutputFormat, format_for_output, render_result
from mxgraph.query import QueryResult, UpdateResult
from mxgraph.rdf_formats import RdfSyntax
from mxgraph.store import MxStore, open_store

if TYPE_CHECKING:
    from mxgraph.remote import RemoteEndpoint

#: ``--timeout`` when not given, in seconds.
DEFAULT_TIMEOUT = 30.0

#: The longest --timeout taken (about 11 days): larger values overflow the system's timers.
MAX_TIMEOUT = 1_000_000.0

#: Where the endpoint password is read from (never from the command line).
PASSWORD_VARIABLE = "MXGRAPH_ENDPOINT_PASSWORD"


def check_timeout(value: float) -> float:
    """``--timeout`` must be a finite number of seconds from 0 (no limit) to MAX_TIMEOUT.

    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: nan is not a number of seconds from 0 (no limit) to 1,000,000
    """
    if not math.isfinite(value) or not 0 <= value <= MAX_TIMEOUT:
        raise ValueError(
            f"{value!r} is not a number of seconds from 0 (no limit) to {MAX_TIMEOUT:,.0f}"
        )
    return value


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$", re.IGNORECASE)


def parse_size(value: str) -> int | None:
    """Bytes in ``500M``, ``4G``, ``1.5G``, ``200MB`` (``0``: None, no limit).

    >>> parse_size("1.5G"), parse_size("200MB")
    (1610612736, 209715200)
    >>> parse_size("lots")
    Traceback (most recent call last):
    ...
    ValueError: 'lots' is not a size such as 500M or 4G (0: no limit)
    """
    match = _SIZE.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not a size such as 500M or 4G (0: no limit)")
    scale = 1024 ** ("KMGT".find(match[2].upper()) + 1) if match[2] else 1
    return int(float(match[1]) * scale) or None


def apply_max_memory(value: str | None) -> None:
    """Set the memory cap of query processes from ``--max-memory`` (default when not given)."""
    from mxgraph.deadline import default_memory_limit, set_memory_limit

    set_memory_limit(default_memory_limit() if value is None else parse_size(value))


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

    >>> len(open_store_from_options(None, None, False, None)) > 3000
    True
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
    """The password for ``--user``: from the environment, else asked for on a terminal.

    >>> endpoint_password(None) is None
    True
    """
    if user is None:
        return None
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise MxGraphError(f"--user needs a password: set {PASSWORD_VARIABLE} (no terminal to ask)")
    import typer

    return str(typer.prompt(f"password for {user}", hide_input=True, err=True))


def start_deadline(timeout: float) -> Deadline:
    """The deadline for ``--timeout SECONDS`` (0 means no limit).

    >>> start_deadline(0).at is None
    True
    """
    return Deadline.start(timeout or None)


def stdout_is_terminal() -> bool:
    """Whether standard output is an interactive terminal (colours and width apply)."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def terminal_width() -> int:
    """The terminal's width in columns (``COLUMNS`` first, as :func:`shutil.get_terminal_size`).

    >>> terminal_width() > 0
    True
    """
    import shutil  # here: with its archive modules, a few milliseconds of every start

    return shutil.get_terminal_size().columns


def emit_result(
    result: QueryResult | UpdateResult,
    fmt: OutputFormat | None,
    output: Path | None,
    deadline: Deadline | None = None,
) -> None:
    """Format a result with the one formatter and write it to standard output or ``output``
    (in the format its extension names, unless ``fmt`` is given).

    >>> import pathlib, tempfile
    >>> from mxgraph.query import AskResult
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     emit_result(AskResult(True), None, pathlib.Path(folder) / "answer.json")
    ...     (pathlib.Path(folder) / "answer.json").read_text()
    '{"head": {}, "boolean": true}\\n'
    """
    if fmt is None and output is not None:
        fmt = _fitting_format(result, format_for_output(str(output)))
    to_terminal = output is None and stdout_is_terminal()
    width = terminal_width() if to_terminal else None
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
    """Write bytes to standard output, or atomically to ``output``.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     emit_bytes(b"hello\\n", pathlib.Path(folder) / "out.txt")
    ...     (pathlib.Path(folder) / "out.txt").read_bytes()
    b'hello\\n'
    """
    if output is not None:
        from mxgraph.atomic import write_atomically

        write_atomically(output, data)
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def print_error(message: str) -> None:
    """One line ``error: message`` on standard error (white space, line breaks included,
    collapsed to single spaces).

    >>> import contextlib, io
    >>> with contextlib.redirect_stderr(io.StringIO()) as err:
    ...     print_error("no entity named\\n 'Atlantis'")
    >>> err.getvalue()
    "error: no entity named 'Atlantis'\\n"
    """
    print(f"error: {' '.join(message.split())}", file=sys.stderr, flush=True)
