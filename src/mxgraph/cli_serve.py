"""``mxgraph serve``: the graph as a SPARQL 1.1 Protocol endpoint and Linked Data pages.

The server is Starlette on uvicorn (imported when this command runs, never by
the other commands). It binds loopback unless another host is asked for,
prints its URL on standard output once it listens, logs one line per request
on standard error, and stops on Ctrl-C or SIGTERM with exit status 0.
"""

from __future__ import annotations

import contextlib
import sys
import urllib.parse
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from mxgraph.cli_common import (
    DEFAULT_TIMEOUT,
    DataFormatOption,
    DataOption,
    InferOption,
    MaxMemoryOption,
    MxGraphGroup,
    NoBundledOption,
    StoreOption,
    TimeoutOption,
    apply_max_memory,
    open_store_from_options,
    parse_size,
    start_deadline,
)
from mxgraph.errors import MxGraphError

if TYPE_CHECKING:
    import socket

    from mxgraph.server.site import Site

app = typer.Typer(cls=MxGraphGroup)


def _check_port(value: int) -> int:
    if not 0 <= value <= 65535:
        raise typer.BadParameter(f"{value} is not a port number from 0 (any free port) to 65535")
    return value


def _check_cache_size(value: str) -> str:
    try:
        parse_size(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a size such as 64M or 1G (0: keep no answers)"
        ) from None
    return value


def _check_base_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise typer.BadParameter(
            f"{value!r} is not an http(s) URL such as https://w3id.org/mxgraph/"
        )
    return value


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback name or address (only this machine can connect).

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost")
    (True, True, True)
    >>> is_loopback("0.0.0.0")
    False
    """
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_url(host: str, port: int) -> str:
    """The URL of a server listening on ``host`` and ``port`` (IPv6 in brackets).

    >>> server_url("::1", 7878), server_url("127.0.0.1", 80)
    ('http://[::1]:7878/', 'http://127.0.0.1:80/')
    """
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host`` and ``port`` (0: a free port); a one-line error if not.

    >>> listener = bind("127.0.0.1", 0)
    >>> listener.getsockname()[1] > 0
    True
    >>> bind("127.0.0.1", listener.getsockname()[1])
    Traceback (most recent call last):
    ...
    mxgraph.errors.MxGraphError: cannot listen on 127.0.0.1 port ...: it is in use (choose ...
    >>> listener.close()
    """
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise MxGraphError(f"cannot serve on {host}: {error.strerror}") from None
    family, kind, protocol, _, address = infos[0]
    listener = socket.socket(family, kind, protocol)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(2048)
    except OSError as error:
        listener.close()
        if error.errno == 98 or isinstance(error, PermissionError):  # EADDRINUSE, EACCES
            reason = "it is in use" if error.errno == 98 else "permission denied"
            raise MxGraphError(
                f"cannot listen on {host} port {port}: {reason} (choose another with --port, "
                "or --port 0 for any free one)"
            ) from None
        raise MxGraphError(f"cannot listen on {host} port {port}: {error.strerror}") from None
    listener.set_inheritable(False)
    return listener


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on; anything but loopback lets other machines connect.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option("--port", callback=_check_port, help="Port to listen on (0: any free port)."),
    ] = 7878,
    max_rows: Annotated[
        int,
        typer.Option(
            "--max-rows",
            min=1,
            help="Refuse (never cut) answers with more rows or triples than N.",
            metavar="N",
        ),
    ] = 100_000,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            callback=_check_base_url,
            help="Where the IRIs' pages are served from (e.g. https://w3id.org/mxgraph/): links "
            "to entities, sentences and the ontology, and the service description, go there; the "
            "server's own pages, styles and queries are linked relatively, so it may sit behind a "
            "proxy at a path prefix (default: every link relative to this server).",
            metavar="URL",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=256,
            help="User queries evaluated at once, each in its own walled process "
            "(the pages' lookups have two more of their own, so slow queries cannot stall them).",
            metavar="N",
        ),
    ] = 8,
    answer_cache: Annotated[
        str,
        typer.Option(
            "--answer-cache",
            callback=_check_cache_size,
            help="Keep up to SIZE of query answers (e.g. 64M; 0: none) for clients asking the "
            "same query again in the same format: the served graph does not change, so the "
            "answer is sent again without evaluating the query.",
            metavar="SIZE",
        ),
    ] = "64M",
    request_timeout: Annotated[
        float,
        typer.Option(
            "--request-timeout",
            min=0.1,
            max=3600,
            help="Seconds a client has to send a whole request (line, headers, body) once its "
            "connection opens or its previous answer is sent; past it the connection is closed "
            "(408 if the request had begun), so slow or silent clients cannot hold connections.",
            metavar="SECONDS",
        ),
    ] = 20.0,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory: MaxMemoryOption = None,
    infer: InferOption = False,
) -> None:
    """Serve the graph: a SPARQL 1.1 endpoint at /sparql and a page for every entity.

    Read-only: updates, SERVICE, LOAD and FROM of outside graphs are refused as
    'mxgraph query' refuses them, and each query has --timeout (503 past it) and
    --max-rows (refused past it). Prints the URL once listening, logs one line per
    request on standard error; Ctrl-C or SIGTERM stops it.
    """
    from mxgraph.server.site import ServeConfig, Site

    apply_max_memory(max_memory)
    deadline = start_deadline(timeout)
    graph = open_store_from_options(
        data, data_format, no_bundled, store, infer=infer, timeout=timeout, deadline=deadline
    )
    config = ServeConfig(
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        base_url=base_url,
        infer=infer,
        workers=workers,
        answer_cache=parse_size(answer_cache) or 0,
    )
    site = Site(graph, config)
    # The worker processes are forked before any thread (and before the socket, which
    # they must not hold) exists.
    site.start()
    with _closing(site):
        if not is_loopback(host):
            print(
                f"warning: listening on {host}: other machines can connect "
                "(the default, 127.0.0.1, lets only this one)",
                file=sys.stderr,
                flush=True,
            )
        run_server(site, bind(host, port), request_timeout=request_timeout)
    if site.failure is not None:
        raise MxGraphError(site.failure)


@contextlib.contextmanager
def _closing(site: Site) -> Iterator[None]:
    try:
        yield
    finally:
        site.close()


#: The most connections served at once (each holds at most ~100 KiB of unread request).
LIMIT_CONNECTIONS = 512


def run_server(site: Site, listener: socket.socket, *, request_timeout: float) -> None:
    """Serve ``site`` on ``listener`` with uvicorn until Ctrl-C or SIGTERM; a client has
    ``request_timeout`` seconds to send each request (:mod:`mxgraph.server.protocol`)."""
    import uvicorn

    from mxgraph.server.app import build_app
    from mxgraph.server.protocol import timed_protocol
    from mxgraph.server.sparql import MAX_QUERY_STRING

    host, port = listener.getsockname()[:2]
    url = server_url(host, port)

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if not self.should_exit:
                print(url, flush=True)
                print(
                    f"serving the graph: SPARQL endpoint {url}sparql; Ctrl-C stops",
                    file=sys.stderr,
                    flush=True,
                )

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            # uvicorn raises a caught SIGINT or SIGTERM again once it has stopped, which
            # would end the process with a traceback and status 130: stopping is success.
            import signal

            handled = (signal.SIGINT, signal.SIGTERM)
            original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
            try:
                yield
            finally:
                for sig, handler in original.items():
                    signal.signal(sig, handler)

    config = uvicorn.Config(
        build_app(site),
        log_level="warning",
        access_log=False,  # ServerMiddleware logs each request once
        lifespan="off",
        timeout_graceful_shutdown=2,
        server_header=False,
        # h11 always (httptools, where installed, would not keep these limits), timed so
        # each request arrives within request_timeout. A request line and headers up to
        # the query string taken plus 32 KiB of headers, so a longer GET query gets the
        # endpoint's 414 telling to POST it, and an unfinished request holds at most that
        # much memory; at most LIMIT_CONNECTIONS connections (and requests) at once, past
        # which uvicorn answers 503.
        http=timed_protocol(request_timeout),
        h11_max_incomplete_event_size=MAX_QUERY_STRING + (32 << 10),
        limit_concurrency=LIMIT_CONNECTIONS,
    )
    Server(config).run(sockets=[listener])
