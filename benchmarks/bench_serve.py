"""Requests per second and latency of ``mxgraph serve``, side by side with ``oxigraph serve``.

    python benchmarks/bench_serve.py [--seconds 3] [--clients 1 8 32] [--only NAME ...]

Both servers hold the bundled graph in memory (for Oxigraph: exported by
``mxgraph export --format nq`` and posted to its Graph Store endpoint) and
answer the same SPARQL text (three named queries, mxgraph's prefixes declared
in front) as SPARQL JSON; ``mxgraph
serve`` also serves an entity page (``/id/usaid`` as HTML) when it has pages.
For each case and number of concurrent clients, the clients send requests
back to back over keep-alive connections for ``--seconds``; the script prints
requests/s, p50 and p99 latency, errors, and the ratio of mxgraph's
throughput to oxigraph's, for ``mxgraph serve`` as it runs by default (a query
asked again is answered from the answers kept, ``--answer-cache``) and with
``--answer-cache 0`` (every request evaluated by a worker process).

The clients (:func:`run_load`) are one asyncio process writing raw HTTP/1.1
requests and reading each answer to its end: light enough that on a small
machine the servers, not the clients, are what is measured (they still share
the cores). ``tests/test_server_load.py`` uses the same load generator.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

#: The named queries measured (a quick one, a middling one, one with a subquery).
NAMED = ("areas-of-cooperation", "agreements", "usaid-programs")

#: The entity page measured, when the server has pages.
ENTITY_PAGE = "/id/usaid"


@dataclass
class Request:
    """One kind of request: a name for the report, and its raw HTTP/1.1 bytes (sans Host)."""

    name: str
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def raw(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.body:
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


def sparql_request(name: str, path: str, sparql: str) -> Request:
    """A form POST of ``sparql`` to ``path``, asking for SPARQL JSON."""
    return Request(
        name,
        "POST",
        path,
        urllib.parse.urlencode({"query": sparql}).encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )


def page_request(path: str) -> Request:
    return Request(f"page {path}", "GET", path, headers={"Accept": "text/html"})


@dataclass
class Outcome:
    """What a load run measured: latencies (s) of answers by request name, errors, duration."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def rate(self) -> float:
        return self.count() / self.seconds if self.seconds else 0.0


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            body += await reader.readexactly(size + 2)
            if size == 0:
                return status, body
    return status, await reader.readexactly(length or 0)


async def _client(
    host: str,
    port: int,
    requests: list[Request],
    offset: int,
    stop_at: float,
    outcome: Outcome,
    total: int | None,
    counter: list[int],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    raws = [r.raw(f"{host}:{port}") for r in requests]
    index = offset
    try:
        while time.perf_counter() < stop_at and (total is None or counter[0] < total):
            counter[0] += 1
            request = requests[index % len(requests)]
            raw = raws[index % len(requests)]
            index += 1
            started = time.perf_counter()
            try:
                writer.write(raw)
                status, _ = await _read_answer(reader)
            except (OSError, asyncio.IncompleteReadError) as error:
                outcome.errors.append(f"{request.name}: {error!r}")
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
            if status != 200:
                outcome.errors.append(f"{request.name}: HTTP {status}")
                continue
            outcome.latencies.setdefault(request.name, []).append(time.perf_counter() - started)
    finally:
        writer.close()


def run_load(
    host: str,
    port: int,
    requests: list[Request],
    clients: int,
    seconds: float,
    total: int | None = None,
) -> Outcome:
    """``clients`` connections sending ``requests`` in turn for ``seconds`` (or ``total``
    requests in all)."""
    outcome = Outcome()
    counter = [0]

    async def main() -> None:
        stop_at = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _client(host, port, requests, i, stop_at, outcome, total, counter)
                for i in range(clients)
            )
        )
        outcome.seconds = time.perf_counter() - started

    asyncio.run(main())
    return outcome


# -- the servers ---------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(port: int, path: str, seconds: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}{path}?query=ASK%7B%7D", timeout=2
            ) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no server answered on port {port}")


def start_oxigraph(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``oxigraph serve`` in memory (as ``mxgraph serve`` holds the graph), loaded with the
    bundled graph exported as N-Quads by mxgraph, through its Graph Store endpoint."""
    import urllib.request

    binary = Path(sys.executable).parent / "oxigraph"
    mxgraph = Path(sys.executable).parent / "mxgraph"
    data = folder / "bundled.nq"
    subprocess.run([str(mxgraph), "export", "--format", "nq", "-o", str(data)], check=True)
    port = _free_port()
    process = subprocess.Popen(
        [str(binary), "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait(port, "/query")
    upload = urllib.request.Request(
        f"http://127.0.0.1:{port}/store",
        data=data.read_bytes(),
        method="POST",
        headers={"Content-Type": "application/n-quads"},
    )
    with urllib.request.urlopen(upload, timeout=60) as answer:
        assert answer.status in (200, 201, 204), answer.status
    return process, port


def start_mxgraph(*options: str) -> tuple[subprocess.Popen[bytes], int]:
    """``mxgraph serve --port 0`` (the port read from the URL it prints)."""
    mxgraph = Path(sys.executable).parent / "mxgraph"
    process = subprocess.Popen(
        [str(mxgraph), "serve", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    url = process.stdout.readline().decode().strip()
    port = int(url.rstrip("/").rpartition(":")[2])
    _wait(port, "/sparql")
    return process, port


def has_pages(port: int) -> bool:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{ENTITY_PAGE}", headers={"Accept": "text/html"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def named_sparql(name: str) -> str:
    from mxgraph.namespaces import sparql_prologue
    from mxgraph.query import load_named_query

    return sparql_prologue() + "\n" + load_named_query(name).sparql


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--only", nargs="*", default=None, help="case names to run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        oxigraph, ox_port = start_oxigraph(folder)
        # Two mxgraph servers: as run by default (an answer asked for again is sent from
        # the answers kept), and with --answer-cache 0 (every request evaluated by a worker).
        mxgraph, mx_port = start_mxgraph()
        evaluating, ev_port = start_mxgraph("--answer-cache", "0")
        try:
            cases: list[tuple[str, Request | None, Request]] = [
                (
                    name,
                    sparql_request(name, "/query", named_sparql(name)),
                    sparql_request(name, "/sparql", named_sparql(name)),
                )
                for name in NAMED
            ]
            if has_pages(mx_port):
                cases.append((f"page {ENTITY_PAGE}", None, page_request(ENTITY_PAGE)))
            if args.only:
                cases = [case for case in cases if case[0] in args.only]
            print(
                "| case | clients | oxigraph req/s | p50 ms | p99 ms | mxgraph req/s | p50 ms "
                "| p99 ms | mxgraph/oxigraph | evaluated each time: req/s | p50 ms | p99 ms "
                "| mxgraph/oxigraph | errors |"
            )
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for name, ox_request, mx_request in cases:
                for clients in args.clients:
                    cells, rates, errors = [], [], 0
                    for port, request in (
                        (ox_port, ox_request),
                        (mx_port, mx_request),
                        (ev_port, mx_request),
                    ):
                        if request is None or (port == ev_port and ox_request is None):
                            cells += ["–"] * 3
                            rates.append(None)
                            continue
                        measured = run_load("127.0.0.1", port, [request], clients, args.seconds)
                        latencies = measured.latencies.get(request.name, [])
                        rates.append(measured.rate())
                        errors += len(measured.errors)
                        cells += [
                            f"{measured.rate():.0f}",
                            f"{percentile(latencies, 0.5) * 1000:.1f}",
                            f"{percentile(latencies, 0.99) * 1000:.1f}",
                        ]
                    ox_rate, mx_rate, ev_rate = rates

                    def ratio(rate: float | None, ox_rate: float | None = ox_rate) -> str:
                        return f"{rate / ox_rate:.2f}" if rate and ox_rate else "–"

                    print(
                        f"| {name} | {clients} | {' | '.join(cells[:6])} | {ratio(mx_rate)} "
                        f"| {' | '.join(cells[6:])} | {ratio(ev_rate)} | {errors} |",
                        flush=True,
                    )
        finally:
            for process in (oxigraph, mxgraph, evaluating):
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
