"""Shared fixtures: a tiny Turtle graph, a store over it, a CLI runner, a local listener."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mxgraph.store import MxStore, open_store

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
