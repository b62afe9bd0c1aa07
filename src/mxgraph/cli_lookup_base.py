"""What the lookup commands do, without typer: ``describe``, ``neighbors``, ``path``, ``search``
and ``stats``, given their options as typer converts them.

:mod:`mxgraph.cli_lookup` declares the commands for typer (help, option names, checks) and
calls these functions; :mod:`mxgraph.cli_fast` calls them directly for a plain command line,
so a lookup runs without importing typer. Each opens the store the data options describe (or
the ``--endpoint`` server), calls one library function through a
:class:`~mxgraph.backend.SparqlBackend` bounded by ``--timeout``, and prints the result with
:func:`mxgraph.output.render_report` (see :func:`run_lookup`). Only the modules of the lookup
that runs are imported.

>>> backend = open_backend(None, None, False, None, 30.0, (None, None, None))
>>> type(backend).__name__, len(backend.store) > 3000
('LocalBackend', True)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from mxgraph.backend import LocalBackend, SparqlBackend
from mxgraph.cli_base import (
    DEFAULT_TIMEOUT,
    emit_bytes,
    open_endpoint,
    open_store_from_options,
    start_deadline,
    stdout_is_terminal,
    terminal_width,
)
from mxgraph.direction import Direction
from mxgraph.errors import MxGraphError, QueryTimeout
from mxgraph.output import Report, ReportFormat, render_report
from mxgraph.rdf_formats import RdfSyntax

#: A lookup: its report and exit status, from the backend it reads.
Lookup = Callable[[SparqlBackend], tuple[Report, int]]


def open_backend(
    data: list[Path] | None,
    data_format: RdfSyntax | None,
    no_bundled: bool,
    store: Path | None,
    timeout: float,
    remote: tuple[str | None, str | None, str | None],
    infer: bool = False,
) -> SparqlBackend:
    """A local store from the data options, or the server of ``(endpoint, graph, user)``."""
    endpoint, graph, user = remote
    if endpoint is not None:
        if infer:
            raise MxGraphError("--infer reasons over a local store; it cannot take --endpoint")
        return open_endpoint(
            endpoint,
            graph=graph,
            user=user,
            deadline=start_deadline(timeout),
            local_options=(data, no_bundled, store),
        )
    if graph is not None or user is not None:
        raise MxGraphError("--graph and --user apply to --endpoint only")
    deadline = start_deadline(timeout)
    local_store = open_store_from_options(
        data, data_format, no_bundled, store, infer=infer, timeout=timeout, deadline=deadline
    )
    return LocalBackend(local_store, deadline)


def run_lookup(backend: SparqlBackend, lookup: Lookup, fmt: ReportFormat) -> int:
    """Run ``lookup`` on ``backend``, write its report to standard output (coloured, and as
    wide as a terminal) and return its exit status.

    On a local store other than the bundled graph alone, with a time limit, the whole
    lookup runs in one walled child killed at the limit
    (:func:`~mxgraph.deadline.run_in_child`), its queries evaluated in process there,
    instead of a child per query (a fork each, and a cold store cache: a path on the
    bundled graph and one more file sends about 13 queries). Elsewhere it runs here (the
    bundled graph's queries are mxgraph's own texts on known data, see
    :func:`~mxgraph.query.run_query`; a server is asked over the network).
    """
    to_terminal = stdout_is_terminal()
    width = terminal_width() if to_terminal else None

    def answer(source: SparqlBackend) -> bytes:
        report, code = lookup(source)
        return bytes([code]) + render_report(report, fmt, color=to_terminal, width=width)

    if (
        isinstance(backend, LocalBackend)
        and not backend.store.shipped_only
        and backend.deadline.at is not None
    ):
        from mxgraph.deadline import run_in_child

        # The parent stops the child at the deadline: inside, no limit, so no child either.
        inside = LocalBackend(backend.store, timeout=None)
        outcome = run_in_child(lambda: answer(inside), backend.deadline, offline=True)
    else:
        outcome = answer(backend)
    emit_bytes(outcome[1:], None)
    return outcome[0]


def describe_command(
    entity: str,
    fmt: ReportFormat = ReportFormat.TABLE,
    data: list[Path] | None = None,
    data_format: RdfSyntax | None = None,
    no_bundled: bool = False,
    store: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
    graph: str | None = None,
    user: str | None = None,
    infer: bool = False,
) -> None:
    """What ``mxgraph describe`` does (see its help)."""
    from mxgraph.describe import describe_entity
    from mxgraph.lookup_format import describe_report

    backend = open_backend(
        data, data_format, no_bundled, store, timeout, (endpoint, graph, user), infer
    )
    run_lookup(backend, lambda source: (describe_report(describe_entity(source, entity)), 0), fmt)


def neighbors_command(
    entity: str,
    depth: int = 1,
    relation: str | None = None,
    direction: Direction = Direction.BOTH,
    type_: str | None = None,
    sources: bool = False,
    fmt: ReportFormat = ReportFormat.TABLE,
    data: list[Path] | None = None,
    data_format: RdfSyntax | None = None,
    no_bundled: bool = False,
    store: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
    graph: str | None = None,
    user: str | None = None,
    infer: bool = False,
) -> None:
    """What ``mxgraph neighbors`` does (see its help)."""
    from mxgraph.lookup_format import neighbors_report
    from mxgraph.neighbors import neighbors

    def lookup(source: SparqlBackend) -> tuple[Report, int]:
        found = neighbors(
            source, entity, depth=depth, relation=relation, direction=direction, type=type_
        )
        return neighbors_report(found, sources=sources), 0

    backend = open_backend(
        data, data_format, no_bundled, store, timeout, (endpoint, graph, user), infer
    )
    run_lookup(backend, lookup, fmt)


def path_command(
    start: str,
    end: str,
    max_length: int | None = None,
    all_paths: bool = False,
    exclude: list[str] | None = None,
    via: str | None = None,
    documents: bool = False,
    sources: bool = False,
    fmt: ReportFormat = ReportFormat.TABLE,
    data: list[Path] | None = None,
    data_format: RdfSyntax | None = None,
    no_bundled: bool = False,
    store: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
    graph: str | None = None,
    user: str | None = None,
    infer: bool = False,
) -> int:
    """What ``mxgraph path`` does (see its help); the exit status: 1 when there is no path."""
    from mxgraph.lookup_format import path_report
    from mxgraph.paths import shortest_paths

    def lookup(source: SparqlBackend) -> tuple[Report, int]:
        result = shortest_paths(
            source,
            start,
            end,
            max_length=max_length,
            all_paths=all_paths,
            exclude=exclude or (),
            via=via,
            documents=documents,
        )
        return path_report(result, sources=sources), 1 if result.length is None else 0

    backend = open_backend(
        data, data_format, no_bundled, store, timeout, (endpoint, graph, user), infer
    )
    return run_lookup(backend, lookup, fmt)


def search_command(
    text: str,
    type_: str | None = None,
    limit: int = 20,
    fmt: ReportFormat = ReportFormat.TABLE,
    data: list[Path] | None = None,
    data_format: RdfSyntax | None = None,
    no_bundled: bool = False,
    store: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
    graph: str | None = None,
    user: str | None = None,
    infer: bool = False,
) -> None:
    """What ``mxgraph search`` does (see its help)."""
    from mxgraph.lookup_format import search_report
    from mxgraph.search import search_entities

    def lookup(source: SparqlBackend) -> tuple[Report, int]:
        return search_report(search_entities(source, text, type=type_, limit=limit)), 0

    backend = open_backend(
        data, data_format, no_bundled, store, timeout, (endpoint, graph, user), infer
    )
    run_lookup(backend, lookup, fmt)


def stats_command(
    top: int = 10,
    fmt: ReportFormat = ReportFormat.TABLE,
    data: list[Path] | None = None,
    data_format: RdfSyntax | None = None,
    no_bundled: bool = False,
    store: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
    graph: str | None = None,
    user: str | None = None,
    infer: bool = False,
) -> None:
    """What ``mxgraph stats`` does (see its help)."""
    from mxgraph.lookup_format import stats_report
    from mxgraph.stats import graph_stats

    backend = open_backend(
        data, data_format, no_bundled, store, timeout, (endpoint, graph, user), infer
    )
    started = time.monotonic()
    try:
        run_lookup(backend, lambda source: (stats_report(graph_stats(source, top=top)), 0), fmt)
    except QueryTimeout as error:
        raise QueryTimeout(_stats_hint(error, backend, time.monotonic() - started)) from None


def _stats_hint(error: QueryTimeout, backend: SparqlBackend, seconds: float) -> str:
    """The timeout message, with the graph's size and how to give stats the time it needs."""
    # The deadline has passed: a local store is counted directly, without it.
    size = f" of {len(backend.store):,} triples" if isinstance(backend, LocalBackend) else ""
    return (
        f"{error}: stats reads the whole graph{size} and had not finished after {seconds:.0f} "
        "s; give it more time with --timeout SECONDS, or --timeout 0 for no limit"
    )
