"""``mxgraph serve`` as a command: starting, stopping on signals, options and their errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from mxgraph.cli import app

from .servers import Server, mxgraph_binary, start_mxgraph

#: Hashes and matches 2765² pairs: about 16 s of work, so it always runs into the limit.
LONG = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
    "FILTER(REGEX(SHA512(CONCAT(STR(?c), STR(?f))), '^(a|b)+c')) }"
)


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children, ...), from /proc."""
    found: set[int] = set()
    pending = [pid]
    while pending:
        parent = pending.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.add(child)
            pending.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """The processes of ``pids`` that still exist (zombies count as gone)."""
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


@pytest.fixture
def started(tmp_path: Path) -> Iterator[Server]:
    server = start_mxgraph(tmp_path, "--workers", "3")
    yield server
    server.stop()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_it_cleanly_and_leaves_no_process(started: Server, sig: int) -> None:
    answer = httpx.get(started.query_url, params={"query": "ASK {}"}, timeout=10)
    assert answer.json() == {"head": {}, "boolean": True}
    below = descendants(started.process.pid)
    assert len(below) == 2 + 3 + 2  # two zygotes, three query workers, two lookup workers
    started.process.send_signal(sig)
    assert started.process.wait(timeout=10) == 0
    assert started.process.stdout is not None
    assert started.process.stdout.read() == b""  # the URL line was read by the fixture
    assert started.log is not None
    log = started.log.read_text()
    assert "Traceback" not in log and "error" not in log.lower()
    deadline = time.monotonic() + 5
    while alive(below) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(below) == set()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_every_process_of_the_server_stops_it_cleanly(
    started: Server, sig: int
) -> None:
    # A service manager stopping a unit, `pkill -f "mxgraph serve"` and Ctrl-C in a terminal
    # signal the query processes too (they are forks with the server's command line).
    assert httpx.get(started.query_url, params={"query": "ASK {}"}, timeout=10).status_code == 200
    below = descendants(started.process.pid)
    for pid in (started.process.pid, *below):
        os.kill(pid, sig)
    assert started.process.wait(timeout=10) == 0
    assert started.log is not None
    log = started.log.read_text()
    assert "Traceback" not in log and "error" not in log.lower(), log
    deadline = time.monotonic() + 5
    while alive(below) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(below) == set()


@pytest.mark.slow
def test_sigterm_during_a_slow_query(started: Server) -> None:
    import threading

    answers: list[int] = []

    def ask() -> None:
        try:
            answers.append(
                httpx.get(started.query_url, params={"query": LONG}, timeout=30).status_code
            )
        except httpx.HTTPError:
            answers.append(0)

    thread = threading.Thread(target=ask)
    thread.start()
    time.sleep(0.5)
    below = descendants(started.process.pid)
    began = time.monotonic()
    started.process.send_signal(signal.SIGTERM)
    assert started.process.wait(timeout=15) == 0
    assert time.monotonic() - began < 5
    thread.join(10)
    assert answers == [503]  # "the server is stopping", not a 500
    assert started.log is not None
    assert "Traceback" not in started.log.read_text()
    assert "GET /sparql 503 " in started.log.read_text()
    deadline = time.monotonic() + 5
    while alive(below) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(below) == set()


def test_it_prints_its_url_first_and_serves_the_data_given(tmp_path: Path, tiny_ttl: Path) -> None:
    server = start_mxgraph(tmp_path, "--no-bundled", "--data", str(tiny_ttl))
    try:
        answer = httpx.post(
            server.query_url,
            data={"query": "SELECT ?l { <http://example.org/usa> rdfs:label ?l }"},
            headers={"Accept": "text/csv"},
        )
        assert answer.text == "l\r\nUnited States\r\n"
    finally:
        server.stop()


def test_it_serves_an_on_disk_store(tmp_path: Path, tiny_ttl: Path, runner: CliRunner) -> None:
    store = tmp_path / "store"
    loaded = runner.invoke(app, ["load", str(tiny_ttl), "--store", str(store), "--no-bundled"])
    assert loaded.exit_code == 0, loaded.stderr
    server = start_mxgraph(tmp_path, "--store", str(store))
    try:
        answer = httpx.get(
            server.query_url,
            params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
            headers={"Accept": "text/csv"},
        )
        assert answer.text == "n\r\n9\r\n"  # TINY_TURTLE's triples
    finally:
        server.stop()


def test_base_url_names_the_endpoint(tmp_path: Path) -> None:
    server = start_mxgraph(tmp_path, "--base-url", "https://w3id.org/mxgraph/")
    try:
        description = httpx.get(server.query_url, headers={"Accept": "application/n-triples"})
        assert (
            "<https://w3id.org/mxgraph/sparql> <http://www.w3.org/ns/sparql-service-description#"
            "endpoint> <https://w3id.org/mxgraph/sparql> ." in description.text
        )
    finally:
        server.stop()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [mxgraph_binary(), "serve", *args], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_port_in_use_is_one_error_line(busy_port: int) -> None:
    done = _run("--port", str(busy_port))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"error: cannot listen on 127.0.0.1 port {busy_port}: it is in use (choose another "
        "with --port, or --port 0 for any free one)\n"
    )


def test_another_host_than_loopback_is_said(busy_port: int) -> None:
    # The port is taken, so the server never really listens on every interface.
    done = _run("--host", "0.0.0.0", "--port", str(busy_port))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "warning: listening on 0.0.0.0: other machines can connect (the default, 127.0.0.1, "
        "lets only this one)",
        f"error: cannot listen on 0.0.0.0 port {busy_port}: it is in use (choose another with "
        "--port, or --port 0 for any free one)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--port", "70000"],
            "error: Invalid value for '--port': 70000 is not a port number from 0 (any free "
            "port) to 65535 (see: mxgraph serve --help)",
        ),
        (
            ["--max-rows", "0"],
            "error: Invalid value for '--max-rows': 0 is not in the range x>=1 "
            "(see: mxgraph serve --help)",
        ),
        (
            ["--base-url", "ftp://example.org/"],
            "error: Invalid value for '--base-url': 'ftp://example.org/' is not an http(s) URL "
            "such as https://w3id.org/mxgraph/ (see: mxgraph serve --help)",
        ),
        (
            ["--answer-cache", "lots"],
            "error: Invalid value for '--answer-cache': 'lots' is not a size such as 64M or 1G "
            "(0: keep no answers) (see: mxgraph serve --help)",
        ),
        (
            ["--timeout", "-1"],
            "error: Invalid value for '--timeout': -1.0 is not a number of seconds from 0 (no "
            "limit) to 1,000,000 (see: mxgraph serve --help)",
        ),
    ],
)
def test_bad_options_are_one_error_line_exit_2(args: list[str], message: str) -> None:
    done = _run(*args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == message + "\n"


def test_a_missing_store_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: no store at {tmp_path / 'none'}")


def test_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "SPARQL 1.1 endpoint at /sparql" in result.stdout


def test_other_commands_do_not_import_the_server_stack() -> None:
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, mxgraph.cli; heavy = ('starlette', 'uvicorn', 'jinja2', 'anyio'); "
            "print(sorted(m for m in heavy if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "[]\n"


def test_a_query_past_the_memory_limit_is_an_error_and_the_server_goes_on(tmp_path: Path) -> None:
    server = start_mxgraph(tmp_path, "--max-memory", "300M", "--workers", "1")
    try:
        # Sorting 2765² rows needs far more than 300 MB.
        hungry = "SELECT ?a ?d ?c ?f { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
        answer = httpx.get(server.query_url, params={"query": hungry}, timeout=60)
        assert (answer.status_code, answer.text) == (
            503,
            "stopped: the process evaluating the query died: it needed more memory than the "
            "server's limit of 300 MB, or it was killed from outside\n",
        )
        # the one worker was replaced
        answer = httpx.get(server.query_url, params={"query": "ASK {}"}, timeout=10)
        assert answer.json()["boolean"] is True
    finally:
        server.stop()


@pytest.mark.slow
def test_when_every_worker_is_taken_a_query_waits_then_says_why(tmp_path: Path) -> None:
    import threading

    server = start_mxgraph(tmp_path, "--workers", "1", "--timeout", "3")
    try:
        busy = threading.Thread(
            target=lambda: httpx.get(server.query_url, params={"query": LONG}, timeout=30)
        )
        busy.start()
        time.sleep(0.3)
        # The one worker is taken for 3 s; this query may wait 1 s (its client's limit).
        started = time.monotonic()
        answer = httpx.get(
            server.query_url, params={"query": "ASK {}", "timeout": "1000"}, timeout=30
        )
        assert 1 <= time.monotonic() - started < 2
        assert (answer.status_code, answer.text) == (
            503,
            "the server was busy: its 1 query processes stayed taken for 1 s "
            "(the timeout the request asked for), "
            "so the query did not start\n",
        )
        busy.join()
        answer = httpx.get(server.query_url, params={"query": "ASK {}"}, timeout=30)
        assert answer.json()["boolean"] is True
    finally:
        server.stop()


def test_a_query_whose_client_goes_away_frees_its_worker(tmp_path: Path) -> None:
    server = start_mxgraph(tmp_path, "--workers", "1")  # and the default 30 s limit
    try:
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(server.query_url, params={"query": LONG}, timeout=0.5)
        started = time.monotonic()
        answer = httpx.get(server.query_url, params={"query": "ASK {}"}, timeout=30)
        assert answer.json()["boolean"] is True
        assert time.monotonic() - started < 2  # not the slow query's 30 s
        time.sleep(0.2)
        assert server.log is not None
        assert any(
            line.startswith("GET /sparql 499 ") for line in server.log.read_text().splitlines()
        )
    finally:
        server.stop()


def test_if_its_query_processes_are_killed_it_stops_with_one_error_line(started: Server) -> None:
    import os

    pid = started.process.pid
    zygotes = list(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))
    workers = sorted(
        len(Path(f"/proc/{zygote}/task/{zygote}/children").read_text().split())
        for zygote in zygotes
    )
    assert workers == [2, 3]  # the lookups' and the queries'
    os.kill(zygotes[0], signal.SIGKILL)
    # No worker could be replaced any more: the server stops, non-zero, for a supervisor
    # to start it again, rather than answering 503 for ever.
    assert started.process.wait(timeout=10) == 1
    assert started.log is not None
    lines = started.log.read_text().splitlines()
    assert lines[-1] == (
        "error: the process that makes the query processes died (killed?): "
        "the server stopped; start it again"
    )
    assert not any("Traceback" in line for line in lines)
