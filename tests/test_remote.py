"""mxgraph against real SPARQL servers (Oxigraph server, Virtuoso, mxgraph serve): same answers,
clear errors.

Every test that takes ``server`` runs once per server, after the bundled graph
has been pushed to it (see ``conftest.server``), or, for ``mxgraph serve``, with
the bundled graph it serves itself (see :func:`server` here). Differences between servers
that mxgraph cannot undo are normalised here, each with the reason:

* Virtuoso stores ``"55"^^xsd:decimal`` as a number and answers
  ``"55"^^xsd:integer``: numbers are compared by value.
* ``GROUP_CONCAT`` joins in no defined order, and Oxigraph keeps the language
  tag its parts share while Virtuoso answers a plain string: concatenations
  are compared as sets of parts.
"""

from __future__ import annotations

import collections
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from mxgraph.cli import app
from mxgraph.cli_fast import parse_line
from mxgraph.errors import EndpointError
from mxgraph.query import AskResult, SelectResult, list_named_queries, run_query
from mxgraph.remote import RemoteEndpoint
from mxgraph.store import open_store

from .conftest import serve_http
from .servers import VIRTUOSO_MAX_ROWS, Server, free_port, start_mxgraph, start_oxigraph
from .test_resolve import HOSTILE_NAMES

NAMED_QUERIES = list_named_queries()
NUMERIC = {
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "nonNegativeInteger",
    )
}
_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\((?:DISTINCT\s+)?\?\w+\s*(?:;\s*SEPARATOR\s*=\s*"([^"]*)")?\s*\)\s+AS\s+\?(\w+)',
    re.IGNORECASE,
)


@pytest.fixture(scope="session")
def mxgraph_with_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``mxgraph serve`` on the bundled graph, for the whole session."""
    server = start_mxgraph(tmp_path_factory.mktemp("mxgraph-serve"))
    yield server
    server.stop()


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso", "mxgraph"])
def server(request: pytest.FixtureRequest) -> Server:
    """Each server in turn, holding the bundled graph: conftest's two, and mxgraph serve."""
    found: Server = request.getfixturevalue(f"{request.param}_with_graph")
    return found


def endpoint(server: Server, **options: object) -> RemoteEndpoint:
    return RemoteEndpoint(server.query_url, graph=server.graph, timeout=60, **options)  # type: ignore[arg-type]


def canonical(term: object, separator: str | None) -> object:
    """A term as compared across servers (see the module docstring)."""
    if not isinstance(term, ox.Literal):
        return term
    if separator is not None:
        return ("concat", tuple(sorted(term.value.split(separator))))
    if term.datatype.value in NUMERIC:
        return ("number", Decimal(term.value))
    return term


def canonical_rows(result: SelectResult, sparql: str) -> list[tuple[object, ...]]:
    concat = {name: separator or " " for separator, name in _CONCAT.findall(sparql)}
    return [
        tuple(
            canonical(term, concat.get(var))
            for var, term in zip(result.variables, row, strict=True)
        )
        for row in result.rows
    ]


@pytest.fixture(scope="module")
def local_store():  # type: ignore[no-untyped-def]
    return open_store()


def run_cli(runner: CliRunner, *args: str, server: Server | None = None) -> tuple[int, str, str]:
    env = {"MXGRAPH_ENDPOINT_PASSWORD": server.password} if server and server.password else {}
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


# -- the same answers --------------------------------------------------------------------------


#: Named queries Virtuoso 7.2 answers wrongly. A transitive path (``a/rdfs:subClassOf*``,
#: ``rdfs:subClassOf+``) joined with other patterns and an OPTIONAL or a subquery comes back
#: as one row (or none); the named queries now test classes in ``FILTER EXISTS`` (inside
#: the subquery where they have one), which Virtuoso answers right, so none is left. Not
#: mxgraph's to fix; strict, so a query added here must really be answered wrongly.
VIRTUOSO_WRONG: set[str] = set()


@pytest.mark.parametrize("named", NAMED_QUERIES, ids=[q.name for q in NAMED_QUERIES])
def test_named_query_gives_the_same_rows(server: Server, local_store, named, request) -> None:  # type: ignore[no-untyped-def]
    if server.name == "virtuoso" and named.name in VIRTUOSO_WRONG:
        reason = "Virtuoso 7.2: transitive path joined with many patterns gives too few rows"
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    local = run_query(local_store, named.sparql)
    remote = endpoint(server).query(named.sparql)
    assert isinstance(local, SelectResult) and isinstance(remote, SelectResult)
    assert remote.variables == local.variables
    assert collections.Counter(canonical_rows(remote, named.sparql)) == collections.Counter(
        canonical_rows(local, named.sparql)
    )


LOOKUPS = [
    ["describe", "USAID"],
    ["describe", "Mexico"],
    ["describe", "mxd:fact-sheet"],
    ["neighbors", "Chile"],
    ["neighbors", "Mexico", "--depth", "2"],
    ["neighbors", "usaid", "--relation", "runs"],
    ["neighbors", "Mexico", "--type", "Country", "--depth", "2"],
    ["neighbors", "usaid", "--direction", "in", "--depth", "3"],
    ["path", "Chile", "Canada", "--all"],
    ["path", "USAID", "Fulbright", "--all"],
    ["path", "Chile", "Canada", "--max-length", "2"],
    ["path", "Mexico", "Mexico"],
    ["search", "merida"],
    ["search", "border", "--type", "Program"],
    ["search", "mexico", "--limit", "5"],
    ["search", "2.8 billion"],
    ["search", "crossings per day"],
    ["search", "fentanyl", "--type", "drug"],
    ["stats"],
    ["stats", "--top", "30"],
    ["describe", "Atlantis"],
    ["neighbors", "USAID", "--relation", "no such relation"],
]


@pytest.mark.parametrize("args", LOOKUPS, ids=[" ".join(a) for a in LOOKUPS])
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_lookup_gives_the_same_output(server: Server, runner: CliRunner, args, fmt) -> None:  # type: ignore[no-untyped-def]
    local = run_cli(runner, *args, "--format", fmt)
    remote = run_cli(runner, *args, "--format", fmt, *server.query_options())
    assert remote == local


@pytest.mark.parametrize(
    "args",
    [["describe", "USAID"], ["path", "Chile", "Canada", "--max-length", "2"], ["stats"]],
    ids=" ".join,
)
def test_a_plain_endpoint_line_runs_without_typer_and_prints_the_same(  # type: ignore[no-untyped-def]
    server: Server, runner: CliRunner, args
) -> None:
    line = [*args, "--format", "json", *server.query_options()]
    assert parse_line(line) is not None  # the typer-free path runs it (mxgraph.cli_fast)
    password = {"MXGRAPH_ENDPOINT_PASSWORD": server.password} if server.password else {}
    env = {**os.environ, **password}
    done = subprocess.run(
        [sys.executable, "-m", "mxgraph", *line], capture_output=True, text=True, env=env
    )
    assert (done.returncode, done.stdout, done.stderr) == run_cli(runner, *line, server=server)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_bound_not_pasted(server: Server, runner: CliRunner, name: str) -> None:
    local = run_cli(runner, "describe", name)
    remote = run_cli(runner, "describe", name, *server.query_options())
    assert remote == local
    assert remote[0] == 1 and remote[2].startswith("error: ")


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [("ASK { mxd:mexico a mx:Country }", True), ("ASK { mxd:mexico a mx:Treaty }", False)],
)
def test_ask_is_a_boolean_on_every_server(server: Server, sparql: str, expected: bool) -> None:
    assert endpoint(server).query(sparql) == AskResult(expected)


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv", "markdown", "turtle"])
def test_query_command_output_is_the_same(server: Server, runner: CliRunner, fmt: str) -> None:
    sparql = (
        "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a mx:Country ; skos:prefLabel ?l }"
        if fmt == "turtle"
        else "SELECT ?c ?l WHERE { ?c a mx:Country ; skos:prefLabel ?l } ORDER BY ?l"
    )
    local = run_cli(runner, "query", sparql, "--format", fmt)
    remote = run_cli(runner, "query", sparql, "--format", fmt, *server.query_options())
    assert remote == local


def test_bound_values_travel_as_values(server: Server, runner: CliRunner) -> None:
    args = ["query", "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l }", "--bind", 'l="Mexico"@en']
    assert run_cli(runner, *args, *server.query_options()) == run_cli(runner, *args)
    hostile = [
        "query",
        "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l }",
        "--bind",
        'l=x" } ?s ?p ?o #',
    ]
    code, out, _ = run_cli(runner, *hostile, *server.query_options())
    assert code == 0 and out.count("\n") <= 4  # an empty table, nothing leaked


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/tab-separated-values",
        "text/csv",
    ],
)
def test_every_result_format_is_read(server: Server, accept: str) -> None:
    sparql = "SELECT ?c ?l WHERE { ?c a mx:Country ; skos:prefLabel ?l } ORDER BY ?l"
    rows = endpoint(server, accept=accept).select(sparql).rows
    labels = [row[1].value for row in rows if isinstance(row[1], ox.Literal)]
    assert labels[:2] == ["Canada", "Chile"]
    assert all(isinstance(row[0], ox.NamedNode) for row in rows)


# -- push ----------------------------------------------------------------------------------------


def test_push_twice_leaves_the_same_count(server: Server, runner: CliRunner) -> None:
    if server.name == "mxgraph":
        pytest.skip("mxgraph serve is read-only (see test_push_to_mxgraph_serve_is_refused)")
    graph = "urn:mxgraph:push-test"
    push = [
        "push",
        "--endpoint",
        server.query_url,
        "--update-endpoint",
        server.update_url,
        "--graph",
        graph,
        *(["--user", server.user] if server.user else []),
    ]
    expected = len(open_store())
    first = run_cli(runner, *push, "--replace", server=server)
    assert first[0] == 0, first
    assert f"pushed {expected} triples to graph <{graph}>" in first[1]
    assert first[1].endswith(f"it holds {expected} triples\n")
    second = run_cli(runner, *push, server=server)
    assert second[0] == 0, second
    assert second[1].endswith(f"it holds {expected} triples\n")
    method = "graph store protocol" if server.name == "oxigraph" else "SPARQL update"
    assert method in first[1]


def test_graph_option_on_mxgraph_serve_is_its_default_graph_uri(
    mxgraph_with_graph: Server, runner: CliRunner
) -> None:
    sentence = "https://w3id.org/mxgraph/id/p19s1"
    count = "SELECT (COUNT(*) AS ?n) {} {{ ?s ?p ?o }}"
    local = run_cli(runner, "query", count.format(f"FROM <{sentence}>"), "--format", "csv")
    remote = run_cli(
        runner,
        "query",
        count.format(""),
        "--format",
        "csv",
        "--endpoint",
        mxgraph_with_graph.query_url,
        "--graph",
        sentence,
    )
    assert remote == local
    assert local[0] == 0 and int(local[1].split()[1]) > 0


def test_push_to_mxgraph_serve_is_refused(mxgraph_with_graph: Server, runner: CliRunner) -> None:
    url = mxgraph_with_graph.query_url
    code, out, err = run_cli(runner, "push", "--endpoint", url)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "read-only" in err


def test_push_reports_a_count_mismatch(
    oxigraph_server: Server, runner: CliRunner, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # The triples go to another server's Graph Store Protocol endpoint, so the server
    # counted holds none of them: the push must say so.
    other = start_oxigraph(tmp_path)
    try:
        code, _, err = run_cli(
            runner,
            "push",
            "--endpoint",
            oxigraph_server.query_url,
            "--store-endpoint",
            other.base + "/store",
            "--graph",
            "urn:mxgraph:counted",
        )
    finally:
        other.stop()
    assert code == 1
    assert err == (
        f"error: after the upload {oxigraph_server.query_url} holds 0 triples in "
        f"<urn:mxgraph:counted>, expected {len(open_store())}\n"
    )


# -- errors ----------------------------------------------------------------------------------------


def test_refused_connection(runner: CliRunner) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    code, out, err = run_cli(runner, "stats", "--endpoint", url)
    assert (code, out) == (1, "")
    assert err == f"error: cannot connect to {url}: connection refused (is the server running?)\n"


def test_stopped_server(tmp_path, runner: CliRunner) -> None:  # type: ignore[no-untyped-def]
    stopped = start_oxigraph(tmp_path)
    stopped.stop()
    code, _, err = run_cli(runner, "query", "ASK {}", "--endpoint", stopped.query_url)
    assert code == 1
    assert err == (
        f"error: cannot connect to {stopped.query_url}: "
        "connection refused (is the server running?)\n"
    )


def test_retries_with_backoff_then_gives_up(oxigraph_server: Server) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    started = time.monotonic()
    with pytest.raises(EndpointError, match="connection refused"):
        RemoteEndpoint(url, retries=2).query("ASK {}")
    assert time.monotonic() - started >= 0.25 + 0.5


def test_wrong_path(server: Server, runner: CliRunner) -> None:
    url = server.base + "/no-such-endpoint"
    code, _, err = run_cli(runner, "search", "merida", "--endpoint", url)
    assert code == 1
    assert err == (
        f"error: {url}: HTTP 404 Not Found: no SPARQL endpoint at this path "
        "(check the URL, e.g. /sparql or /query)\n"
    )


def test_not_sparql_results(wrong_server: str, runner: CliRunner) -> None:
    url = wrong_server + "/html"
    code, out, err = run_cli(runner, "query", "SELECT * {}", "--endpoint", url)
    assert (code, out) == (1, "")
    assert err == (
        f"error: {url} did not answer with SPARQL results (got text/html): "
        "is this a SPARQL endpoint?\n"
    )
    code, _, err = run_cli(runner, "query", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", url)
    assert (
        err == f"error: {url} did not answer with RDF (got text/html): is this a SPARQL endpoint?\n"
    )
    url = wrong_server + "/broken"
    code, _, err = run_cli(runner, "stats", "--endpoint", url)
    assert code == 1
    assert err.startswith(
        f"error: {url} sent an answer that is not valid SPARQL results "
        "(application/sparql-results+json): "
    )


def test_missing_and_bad_credentials(virtuoso_server: Server, runner: CliRunner) -> None:
    url = virtuoso_server.update_url  # /sparql-auth: digest auth
    code, _, err = run_cli(runner, "query", "ASK {}", "--endpoint", url)
    assert code == 1
    assert err == (
        f"error: {url}: HTTP 401 Unauthorized: the server wants credentials; give --user "
        "(password from MXGRAPH_ENDPOINT_PASSWORD or a prompt)\n"
    )
    result = runner.invoke(
        app,
        ["query", "ASK {}", "--endpoint", url, "--user", "dba"],
        env={"MXGRAPH_ENDPOINT_PASSWORD": "wrong"},
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {url}: HTTP 401 Unauthorized: the server refused the credentials; "
        "check --user and MXGRAPH_ENDPOINT_PASSWORD\n"
    )
    good = run_cli(
        runner, "query", "ASK {}", "--endpoint", url, "--user", "dba", server=virtuoso_server
    )
    assert good == (0, "true\n", "")


def test_password_is_never_an_option(runner: CliRunner) -> None:
    result = runner.invoke(app, ["stats", "--endpoint", "http://127.0.0.1:1/q", "--password", "x"])
    assert result.exit_code == 2


def test_password_without_terminal_or_variable(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["stats", "--endpoint", "http://127.0.0.1:1/q", "--user", "dba"], env={}
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --user needs a password: set MXGRAPH_ENDPOINT_PASSWORD (no terminal to ask)\n"
    )


def test_server_row_limit_is_an_error(virtuoso_with_graph: Server, runner: CliRunner) -> None:
    virtuoso_server = virtuoso_with_graph
    code, out, err = run_cli(
        runner,
        "query",
        # Past the row cap with little to write per row, so the time limit never comes first.
        "SELECT ?copy { ?s ?p ?o VALUES ?copy { 1 2 3 4 5 6 7 8 } }",
        *virtuoso_server.query_options(),
    )
    assert (code, out) == (1, "")
    assert err == (
        f"error: {virtuoso_server.query_url} cut the result at {VIRTUOSO_MAX_ROWS} rows (its "
        "ResultSetMaxRows limit): the answer is incomplete; narrow the query or raise the limit\n"
    )


#: Hashes and matches 2765² pairs: about 16 s of work without a limit (5x Virtuoso's time
#: limit, so a faster machine still runs into it), yet within its cost estimate. A lighter
#: filter (string comparison, 4 s here) finished under the limit on a faster CI machine.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
    "FILTER(REGEX(SHA512(CONCAT(STR(?c), STR(?f))), '^(a|b)+c')) }"
)

#: Compares 2765² pairs: 4 s in Virtuoso, 6 s in Oxigraph; enough to outlast a 1 s client
#: timeout without keeping the Oxigraph server busy long after the client has gone.
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"

#: Counts 2765³ rows: Virtuoso refuses it outright on its cost estimate.
HOPELESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_server_time_limit_is_an_error(virtuoso_with_graph: Server, runner: CliRunner) -> None:
    virtuoso_server = virtuoso_with_graph
    code, out, err = run_cli(runner, "query", SLOW, *virtuoso_server.query_options())
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {virtuoso_server.query_url} sent a partial result (HTTP ")
    assert "X-SQL-State S1TAT" in err
    started = time.monotonic()
    code, out, err = run_cli(runner, "query", HOPELESS, *virtuoso_server.query_options())
    assert (code, out) == (1, "")
    refused = re.fullmatch(
        rf"error: {re.escape(virtuoso_server.query_url)}: the query ran into the server's time "
        r"limit: Virtuoso 42000 Error The estimated execution time \d+ \(sec\) exceeds the "
        r"limit of 400 \(sec\)\.\n",
        err,
    )
    if refused:
        assert time.monotonic() - started < 2  # refused at once, and not retried
    else:
        # Virtuoso's estimate rests on sampled statistics: on some machines it starts the
        # query and cuts it at the limit instead, which must be the same error as for SLOW.
        assert err.startswith(f"error: {virtuoso_server.query_url} sent a partial result (HTTP ")
        assert "X-SQL-State S1TAT" in err


def test_client_timeout(oxigraph_with_graph: Server, runner: CliRunner) -> None:
    oxigraph_server = oxigraph_with_graph  # Oxigraph server has no time limit of its own
    started = time.monotonic()
    code, out, err = run_cli(
        runner, "query", LONG, "--timeout", "1", *oxigraph_server.query_options()
    )
    assert (code, out) == (1, "")
    assert err == f"error: {oxigraph_server.query_url} did not answer within 1 s (--timeout)\n"
    assert time.monotonic() - started < 5


# -- safety ----------------------------------------------------------------------------------------


def test_updates_need_the_flag(oxigraph_server: Server, runner: CliRunner) -> None:
    update = "INSERT DATA { GRAPH <urn:mxgraph:scratch> { <urn:a> <urn:b> <urn:c> } }"
    options = [
        "--endpoint",
        oxigraph_server.query_url,
        "--update-endpoint",
        oxigraph_server.update_url,
    ]
    code, _, err = run_cli(runner, "query", update, *options)
    assert code == 1 and err.startswith("error: INSERT is refused")
    code, _, err = run_cli(runner, "query", "LOAD <http://127.0.0.1:1/x.ttl>", *options)
    assert code == 1 and err.startswith("error: LOAD is refused")
    code, out, _ = run_cli(runner, "query", update, *options, "--allow-update")
    assert code == 0 and out.startswith("update done")
    check = "ASK { GRAPH <urn:mxgraph:scratch> { <urn:a> <urn:b> <urn:c> } }"
    assert run_cli(runner, "query", check, *options) == (0, "true\n", "")


def test_local_options_do_not_mix_with_an_endpoint(runner: CliRunner) -> None:
    code, _, err = run_cli(runner, "stats", "--endpoint", "http://127.0.0.1:1/q", "--no-bundled")
    assert (code, err) == (
        1,
        "error: --endpoint cannot be combined with --data, --no-bundled or --store\n",
    )


def test_json_output_is_parseable_remote(server: Server, runner: CliRunner) -> None:
    code, out, _ = run_cli(runner, "stats", "--format", "json", *server.query_options())
    assert code == 0
    assert json.loads(out)["triples"] == len(open_store())


# -- hostile servers and URLs (#13) -----------------------------------------------------------

ASK_TRUE = b'{"head": {}, "boolean": true}'


@pytest.fixture(scope="module")
def odd_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that misbehaves by path (see each branch)."""
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path.startswith("/partial"):
                self.do_POST_partial()
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            port = self.server.server_address[1]
            if self.path.startswith("/drip"):  # one byte every half second, for a minute
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                for byte in (ASK_TRUE * 4)[:120]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.5)
                return
            if self.path.startswith("/away"):  # to another server, as an empty GET would go
                self.send_response(302)
                self.send_header("Location", f"http://localhost:{port}/ok")
                self.end_headers()
                return
            if self.path.startswith("/moved"):  # a 301 on the same server
                self.send_response(301)
                self.send_header("Location", "/ok")
                self.end_headers()
                return
            if self.path.startswith("/kept"):  # a 307 on the same server: resent as it was
                self.send_response(307)
                self.send_header("Location", "/ok")
                self.end_headers()
                return
            if self.path.startswith("/deep"):
                payload = b"[" * 100_000 + b"]" * 100_000
            elif self.path.startswith("/ok") and b"query=" in body:
                payload = ASK_TRUE
            else:
                payload = b"{}"
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_PUT(self) -> None:  # /partial: the first batch of a push is taken...
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(204)
            self.end_headers()

        def do_POST_partial(self) -> None:  # ...and the next one refused
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(400)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"disk full")

        def log_message(self, *args: object) -> None:
            pass

    yield from serve_http(Handler)


def test_a_dripping_server_cannot_outlast_the_time_limit(
    odd_server: str, runner: CliRunner
) -> None:
    started = time.monotonic()
    code, out, err = run_cli(
        runner, "query", "ASK {}", "-e", odd_server + "/drip", "--timeout", "2"
    )
    elapsed = time.monotonic() - started
    assert (code, out) == (1, "")
    assert err == f"error: {odd_server}/drip did not answer within 2 s (--timeout)\n"
    assert elapsed < 3  # within 1 s of the limit


def test_redirects_only_within_the_same_server(odd_server: str, runner: CliRunner) -> None:
    code, out, err = run_cli(runner, "query", "ASK {}", "-e", odd_server + "/away")
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {odd_server}/away redirected the request to another server ")
    code, out, err = run_cli(runner, "query", "ASK {}", "-e", odd_server + "/moved")
    assert (code, out) == (1, "")
    assert "would resend the query without its body" in err and err.count("\n") == 1
    code, out, err = run_cli(runner, "query", "ASK {}", "-e", odd_server + "/kept")
    assert (code, out, err) == (0, "true\n", "")


def test_an_answer_nested_too_deep_is_one_line(odd_server: str, runner: CliRunner) -> None:
    code, out, err = run_cli(runner, "query", "ASK {}", "-e", odd_server + "/deep")
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {odd_server}/deep sent an answer that is not valid SPARQL")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://alice:secret@127.0.0.1:9/sparql",
            "error: the endpoint URL http://127.0.0.1:9/sparql holds a user name or password;",
        ),
        ("http://[::1/sparql", "error: not a valid endpoint URL: http://[::1/sparql"),
        ("http://127.0.0.1:abc/", "error: not a valid endpoint URL: http://127.0.0.1:abc/"),
        ("ftp://example.org/x", "error: not an http(s) endpoint URL: ftp://example.org/x"),
    ],
)
def test_bad_endpoint_urls_are_one_line_and_never_show_a_password(
    runner: CliRunner, url: str, expected: str
) -> None:
    for command in (["query", "ASK {}"], ["describe", "Mexico"], ["push"]):
        code, out, err = run_cli(runner, *command, "-e", url)
        assert (code, out) == (1, "")
        assert err.startswith(expected) and err.count("\n") == 1
        assert "secret" not in err


def test_a_push_that_stops_halfway_says_what_is_left_and_how_to_finish(
    odd_server: str, runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "many.nt"
    data.write_text(
        "".join(f'<http://ex.org/s{i}> <http://ex.org/p> "{i}" .\n' for i in range(45_000))
    )
    args = ["push", "-e", odd_server + "/ok", "--store-endpoint", odd_server + "/partial"]
    code, out, err = run_cli(runner, *args, "--replace", "--no-bundled", "-d", str(data))
    assert (code, out) == (1, "")
    assert err == (
        f"error: {odd_server}/partial?default rejected the query (HTTP 400): disk full; the push "
        "stopped after 20000 of 45000 triples, so the default graph on the server holds part "
        "of the data: run the same push with --replace to finish it, or empty the default "
        "graph to undo it\n"
    )
