"""Real SPARQL servers for the tests: Oxigraph server, OpenLink Virtuoso and mxgraph serve.

Each server runs in a temporary folder on a free port, is waited for until it
answers a query, and is stopped (terminated, then killed) afterwards. Where
Virtuoso is not installed its tests skip, except when the environment
variable ``CI`` is set: CI must run them, so there they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Virtuoso's limits in the test ini: rows per result and seconds per query.
VIRTUOSO_MAX_ROWS = 20_000
VIRTUOSO_MAX_SECONDS = 3

#: The graph mxgraph is pushed into on Virtuoso (its default graph is the union of all).
VIRTUOSO_GRAPH = "https://w3id.org/mxgraph/graph/test"


@dataclass
class Server:
    """A running server: its process, where to send queries and updates, and how to log in."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    query_url: str
    update_url: str
    graph: str | None = None
    user: str | None = None
    password: str | None = None
    pushed: bool = False
    #: Where the server writes its log (mxgraph serve: one line per request).
    log: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def query_options(self) -> list[str]:
        """CLI options that point a query or lookup command at this server's mxgraph graph."""
        return ["--endpoint", self.query_url, *(["--graph", self.graph] if self.graph else [])]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(server: Server, seconds: float, log: Path) -> None:
    """Poll the query endpoint with ``ASK {}`` until it answers HTTP 200."""
    deadline = time.monotonic() + seconds
    url = server.query_url + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    server.stop()
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"{server.name} did not start on port {server.port}:\n{tail}")


def oxigraph_binary() -> str:
    """The ``oxigraph`` command installed beside this Python (the PyPI package)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server command is missing: pip install oxigraph")
    return found


def start_oxigraph(folder: Path) -> Server:
    """``oxigraph serve`` over an empty store in ``folder``."""
    port = free_port()
    log = folder / "oxigraph.log"
    process = subprocess.Popen(
        [
            oxigraph_binary(),
            "serve",
            "--location",
            str(folder / "store"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    server = Server("oxigraph", process, port, f"{base}/query", f"{base}/update")
    wait_until_answering(server, 30, log)
    return server


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
MaxQueryCostEstimationTime = 400
DefaultQuery = SELECT 1
"""


def start_virtuoso(folder: Path) -> Server:
    """``virtuoso-t`` in the foreground over a fresh database in ``folder`` (dba/dba)."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        reason = (
            "virtuoso-t is not installed (Debian package virtuoso-opensource-7-bin; "
            ".ci/run installs it)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the Virtuoso tests")
        pytest.skip(reason)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            folder=folder,
            sql_port=sql_port,
            http_port=http_port,
            max_rows=VIRTUOSO_MAX_ROWS,
            max_seconds=VIRTUOSO_MAX_SECONDS,
        )
    )
    log = folder / "virtuoso.log"
    process = subprocess.Popen(
        [binary, "+configfile", str(ini), "+foreground"],
        cwd=folder,
        stdout=(folder / "stdout.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{http_port}"
    server = Server(
        "virtuoso",
        process,
        http_port,
        f"{base}/sparql",
        f"{base}/sparql-auth",
        graph=VIRTUOSO_GRAPH,
        user="dba",
        password="dba",
    )
    wait_until_answering(server, 90, log)
    return server


def mxgraph_binary() -> str:
    """The ``mxgraph`` command installed beside this Python."""
    beside = Path(sys.executable).parent / "mxgraph"
    return str(beside) if beside.exists() else "mxgraph"


def start_mxgraph(folder: Path, *options: str) -> Server:
    """``mxgraph serve --port 0`` with ``options``: the port is read from the URL it prints.

    Its log (one line per request) is ``folder/mxgraph.log``.
    """
    import select

    log = folder / "mxgraph.log"
    process = subprocess.Popen(
        [mxgraph_binary(), "serve", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline().decode() if ready else ""
    if not line.startswith("http://127.0.0.1:"):
        process.kill()
        process.wait()
        raise RuntimeError(f"mxgraph serve did not start: {line!r}\n{log.read_text()[-2000:]}")
    port = int(line.strip().rstrip("/").rpartition(":")[2])
    base = f"http://127.0.0.1:{port}"
    server = Server(
        "mxgraph", process, port, f"{base}/sparql", f"{base}/sparql", pushed=True, log=log
    )
    wait_until_answering(server, 30, log)
    return server
