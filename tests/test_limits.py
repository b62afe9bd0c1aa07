"""Hard stops: a query's process is bounded in memory and never outlives mxgraph (#13)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mxgraph import deadline
from mxgraph.cli import app
from mxgraph.errors import MemoryLimitExceeded, QueryTimeout
from mxgraph.query import run_query
from mxgraph.store import open_store

#: A cartesian product sorted as a whole: gigabytes within seconds on the bundled graph.
HUNGRY = "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"

#: Slow but small: compares every pair of triples (about 8 M pairs), for a minute or so.
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"

CLI = [sys.executable, "-c", "from mxgraph.cli import main; main()"]


def test_a_query_past_the_memory_limit_stops_with_one_line(runner: CliRunner) -> None:
    started = time.monotonic()
    result = runner.invoke(app, ["query", HUNGRY, "--max-memory", "200M"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: stopped: it needed more than 200 MB of memory (--max-memory)\n"
    assert time.monotonic() - started < 30


def test_the_library_applies_the_limit_too() -> None:
    default = deadline.default_memory_limit()
    assert default is not None and default >= 1024**3  # half the machine's memory
    deadline.set_memory_limit(200 * 1024**2)
    try:
        with pytest.raises(MemoryLimitExceeded):
            run_query(open_store(), HUNGRY, timeout=60)
    finally:
        deadline.set_memory_limit(default)


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found |= {int(child) for child in task.read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _query_with_child() -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [*CLI, "query", SLOW, "--timeout", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(200):
        children = _children(process.pid)
        if children:
            return process, children.pop()
        time.sleep(0.05)
    process.kill()
    pytest.fail("the query never started its evaluating process")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sent", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_the_query_process_dies_with_mxgraph(sent: signal.Signals) -> None:
    process, child = _query_with_child()
    time.sleep(0.3)
    os.kill(process.pid, sent)
    process.wait(timeout=10)
    for _ in range(100):
        if not _alive(child):
            break
        time.sleep(0.05)
    assert not _alive(child)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_stops_both_with_one_line() -> None:
    process, child = _query_with_child()
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 130
    assert err == "error: interrupted\n"
    for _ in range(100):
        if not _alive(child):
            break
        time.sleep(0.05)
    assert not _alive(child)


def test_reading_a_huge_query_counts_against_the_time_limit() -> None:
    # Three million VALUES, about 5 s of checking and evaluating on an idle machine (one
    # million took 1.8 s, under the limit); the check alone took 16 s for one million when
    # it ran before the limit started.
    values = " ".join(f'"v{i}"' for i in range(3_000_000))
    sparql = f"SELECT (COUNT(*) AS ?n) {{ VALUES ?x {{ {values} }} }}"
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"^query stopped after 2 s \(--timeout\)$"):
        run_query(open_store(bundled=False), sparql, timeout=2)
    assert time.monotonic() - started < 4


def test_parsing_data_counts_against_the_time_limit(runner: CliRunner, tmp_path: Path) -> None:
    # RDF/XML nested 50,000 deep: minutes in the parser when it ran before the limit.
    depth = 50_000
    nested = tmp_path / "nested.rdf"
    nested.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://ex.org/">'
        + "<rdf:Description><ex:p>" * depth
        + "x"
        + "</ex:p></rdf:Description>" * depth
        + "</rdf:RDF>"
    )
    started = time.monotonic()
    args = ["query", "ASK {}", "--no-bundled", "-d", str(nested), "--timeout", "2"]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "error: query stopped after 2 s (--timeout)\n"
    assert time.monotonic() - started < 3.5
