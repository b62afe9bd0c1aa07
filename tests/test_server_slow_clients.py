"""``mxgraph serve --request-timeout``: a client that sends its request too slowly, or
sends nothing, cannot hold a connection; one that sent its request is never cut by it."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .servers import Server, start_mxgraph

#: The request timeout of the server under test (seconds).
LIMIT = 1.0

#: Hashes and matches 2765² pairs: far more than the 2.5 s the client allows it.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
    "FILTER(REGEX(SHA512(CONCAT(STR(?c), STR(?f))), '^(a|b)+c')) }"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("slow-clients")
    server = start_mxgraph(folder, "--request-timeout", str(LIMIT), "--timeout", "20")
    yield server
    server.stop()


def _connect(server: Server) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    return connection


def _read_until_closed(connection: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and when it closed."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received, time.monotonic()


def test_a_request_sent_too_slowly_gets_408_and_is_closed(served: Server) -> None:
    with _connect(served) as connection:
        started = time.monotonic()
        connection.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
        received, closed = _read_until_closed(connection)
    assert LIMIT * 0.9 <= closed - started < LIMIT + 5
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert body == (
        b"the request did not arrive within 1 s (--request-timeout): send it whole, at once\n"
    )


def test_a_silent_connection_is_closed(served: Server) -> None:
    connections = [_connect(served) for _ in range(8)]
    try:
        started = time.monotonic()
        outcomes = [_read_until_closed(c) for c in connections]
    finally:
        for connection in connections:
            connection.close()
    assert [received for received, _ in outcomes] == [b""] * 8
    assert all(closed - started < LIMIT + 5 for _, closed in outcomes)


def test_a_body_sent_too_slowly_ends_the_request(served: Server) -> None:
    body = b"query=ASK%7B%7D"
    with _connect(served) as connection:
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(len(body) + 10).encode() + b"\r\n\r\n" + body
        )
        received, _ = _read_until_closed(connection)
    assert received == b""  # the query never came whole: nothing was answered
    assert served.log is not None
    time.sleep(0.2)
    assert "POST /sparql 499 " in served.log.read_text()


def test_a_request_received_whole_is_not_cut_and_keep_alive_resets_the_clock(
    served: Server,
) -> None:
    with httpx.Client(base_url=served.base, timeout=30) as client:
        first = client.get("/sparql", params={"query": "ASK {}"})
        time.sleep(LIMIT * 1.5)  # idle past the request timeout, within uvicorn's keep-alive
        again = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        # A query running past the request timeout runs to its own limit.
        slow = client.get("/sparql", params={"query": SLOW, "timeout": "2500"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["boolean"] is True
    assert slow.status_code == 503
    assert slow.text.startswith("query stopped after 2.5 s")


def test_bad_request_timeout_is_one_error_line(tmp_path: Path) -> None:
    import subprocess

    from .servers import mxgraph_binary

    done = subprocess.run(
        [mxgraph_binary(), "serve", "--request-timeout", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("error: Invalid value for '--request-timeout': 0.0 is not in")
    assert len(done.stderr.splitlines()) == 1


def test_a_pipelined_request_whose_body_stalls_is_timed_too(served: Server) -> None:
    body = b"query=ASK%7B%7D"
    with _connect(served) as connection:
        started = time.monotonic()
        connection.sendall(
            b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(len(body) + 10).encode() + b"\r\n\r\n" + body
        )
        received, closed = _read_until_closed(connection)
    assert received.startswith(b"HTTP/1.1 200 ")  # the first request's answer
    assert received.count(b"HTTP/1.1 ") == 1
    assert closed - started < LIMIT + 5  # not held until the client gives up (15 s)


def test_an_early_answer_is_the_only_answer_to_a_stalled_upload(served: Server) -> None:
    with _connect(served) as connection:
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 99999999\r\n\r\nquery="
        )
        for _ in range(8):  # the upload goes on, slowly, past the request timeout
            time.sleep(0.3)
            try:
                connection.sendall(b"x" * 100)
            except OSError:
                break
        received, _ = _read_until_closed(connection)
    assert received.startswith(b"HTTP/1.1 413 ")
    assert received.count(b"HTTP/1.1 ") == 1  # no 408 after it
