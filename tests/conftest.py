"""Shared fixtures: a tiny Turtle graph, its store, a CLI runner, a listener, real servers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mxgraph.store import MxStore, open_store

from .servers import Server, start_oxigraph, start_virtuoso

TINY_TURTLE = """\
@prefix ex: <http://example.org/> .
@prefix mx: <https://w3id.org/mxgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:mexico a mx:Country ;
    rdfs:label "Mexico"@en , "México"@es ;
    ex:population 126000000 ;
    ex:area "1972550.5"^^xsd:decimal .

ex:usa a mx:Country ;
    rdfs:label "United States"@en ;
    ex:neighbor ex:mexico .

ex:secret ex:code "s3cret" .
"""


@pytest.fixture(autouse=True, scope="session")
def inference_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache of entailments for the session: the closure is computed once, not per test."""
    folder = tmp_path_factory.mktemp("inference-cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("MXGRAPH_CACHE_DIR", str(folder))
    yield folder
    patch.undo()


@pytest.fixture
def tiny_ttl(tmp_path: Path) -> Path:
    """A small Turtle file: two countries with labels, and one secret."""
    path = tmp_path / "tiny.ttl"
    path.write_text(TINY_TURTLE, encoding="utf-8")
    return path


@pytest.fixture
def tiny_store(tiny_ttl: Path) -> MxStore:
    """An in-memory store holding only :data:`TINY_TURTLE`."""
    return open_store([tiny_ttl], bundled=False)


@pytest.fixture
def runner() -> CliRunner:
    """typer's test runner (stdout and stderr are kept apart)."""
    return CliRunner()


@dataclass
class Listener:
    """A TCP socket on 127.0.0.1 that records every connection made to it."""

    port: int
    connections: list[tuple[str, int]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A real listening socket (random port), to prove a query never connected anywhere."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.05)
    record = Listener(server.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except (TimeoutError, OSError):
                continue
            record.connections.append(address)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield record
    stop.set()
    thread.join()
    server.close()


# -- real SPARQL servers (see tests/servers.py) ----------------------------------------------


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An Oxigraph server on a free port, empty, for the whole session."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Virtuoso server on free ports over a fresh database (dba/dba), for the whole session."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


def _with_graph(server: Server) -> Server:
    """``server`` after the bundled graph has been pushed to it (once per session)."""
    from mxgraph.push import push_source_graphs, push_triples
    from mxgraph.remote import RemoteEndpoint

    if not server.pushed:
        endpoint = RemoteEndpoint(
            server.query_url,
            update_url=server.update_url,
            graph=server.graph,
            user=server.user,
            password=server.password,
            timeout=120,
        )
        store = open_store()
        push_triples(endpoint, store, graph=server.graph, replace=True)
        push_source_graphs(endpoint, store.named_graph_quads())
        server.pushed = True
    return server


@pytest.fixture(scope="session")
def oxigraph_with_graph(oxigraph_server: Server) -> Server:
    """The Oxigraph server holding the bundled graph in its default graph."""
    return _with_graph(oxigraph_server)


@pytest.fixture(scope="session")
def virtuoso_with_graph(virtuoso_server: Server) -> Server:
    """The Virtuoso server holding the bundled graph in its graph ``server.graph``."""
    return _with_graph(virtuoso_server)


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> Server:
    """Each server in turn, holding the bundled graph."""
    found: Server = request.getfixturevalue(f"{request.param}_with_graph")
    return found


@pytest.fixture(scope="session")
def wrong_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that answers 200 with what is not SPARQL results.

    ``/html`` sends a web page (as a proxy's login page would), ``/broken`` sends
    ``application/sparql-results+json`` that is not JSON. Returns the base URL.
    """

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            broken = self.path.startswith("/broken")
            body = b'{"head": {"vars": ["x"]}, "results": ' if broken else b"<html>Sign in</html>"
            self.send_response(200)
            kind = "application/sparql-results+json" if broken else "text/html; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    yield from serve_http(Handler)


def serve_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1 (free port) answering with ``handler``: yields its
    base URL, then stops. A client that gives up mid-answer is no error here."""
    from http.server import ThreadingHTTPServer

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass

    server = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def w3c_suites(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The W3C test suites shipped in rdflib's source distribution (see tests/w3c.py).

    Kept in pytest's cache between runs (in a temporary folder without the cache plugin).
    """
    from .w3c import w3c_suites_dir

    cache = pytestconfig.cache
    folder = cache.mkdir("downloads") if cache is not None else tmp_path_factory.mktemp("dl")
    return w3c_suites_dir(folder)
