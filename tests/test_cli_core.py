"""The core commands through typer's CliRunner: exit codes, exact output and error lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mxgraph.cli import app
from mxgraph.output import RESULT_FORMATS, OutputFormat
from mxgraph.query import list_named_queries
from mxgraph.rdf_formats import RDF_FORMATS, RdfSyntax

from .conftest import Listener

LABELS = "SELECT ?c ?label { ?c rdfs:label ?label } ORDER BY ?label"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _tiny(tiny_ttl: Path) -> list[str]:
    return ["--no-bundled", "--data", str(tiny_ttl)]


def test_query_csv(runner: CliRunner, tiny_ttl: Path) -> None:
    result = runner.invoke(app, ["query", LABELS, "--format", "CSV", *_tiny(tiny_ttl)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "c,label",
        "http://example.org/mexico,Mexico",
        "http://example.org/mexico,México",
        "http://example.org/usa,United States",
    ]
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_query_every_result_format(runner: CliRunner, tiny_ttl: Path, fmt: OutputFormat) -> None:
    result = runner.invoke(app, ["query", LABELS, "-f", fmt.value, *_tiny(tiny_ttl)])
    assert result.exit_code == 0, result.stderr
    assert "United States" in result.stdout
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_construct_in_every_format(runner: CliRunner, tiny_ttl: Path, fmt: OutputFormat) -> None:
    sparql = "CONSTRUCT WHERE { ?s <http://example.org/neighbor> ?o }"
    result = runner.invoke(app, ["query", sparql, "-f", fmt.value, *_tiny(tiny_ttl)])
    assert result.exit_code == 0, result.stderr
    assert "mexico" in result.stdout


def test_query_from_file_stdin_and_with_bindings(runner: CliRunner, tiny_ttl: Path) -> None:
    query_file = tiny_ttl.parent / "q.rq"
    query_file.write_text("SELECT ?c ?label { ?c rdfs:label ?label }")
    args = ["-f", "tsv", "--bind", 'label="México"@es', *_tiny(tiny_ttl)]
    expected = ["?c\t?label", '<http://example.org/mexico>\t"México"@es']
    from_file = runner.invoke(app, ["query", "-q", str(query_file), *args])
    assert from_file.stdout.splitlines() == expected
    from_stdin = runner.invoke(app, ["query", "-", *args], input=query_file.read_text())
    assert from_stdin.stdout.splitlines() == expected


@pytest.mark.parametrize(
    "value",
    [
        'Mexico" . ?c ?p ?o } #',
        "x> } #",
        "\\u0022 }",
        "Mexico\n}",
        '"Mexico"@en } UNION { ?c ?p ?label } #',
    ],
)
def test_hostile_bind_values_return_nothing(runner: CliRunner, tiny_ttl: Path, value: str) -> None:
    sparql = "SELECT ?c ?label { ?c rdfs:label ?label }"
    result = runner.invoke(
        app, ["query", sparql, "-f", "csv", "-b", f"label={value}", *_tiny(tiny_ttl)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["c,label"]


def test_ask_json(runner: CliRunner, tiny_ttl: Path) -> None:
    result = runner.invoke(app, ["query", "ASK { ?s ?p ?o }", "-f", "json", *_tiny(tiny_ttl)])
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}


def test_query_output_file(runner: CliRunner, tiny_ttl: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = runner.invoke(app, ["query", LABELS, "-f", "csv", "-o", str(target), *_tiny(tiny_ttl)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_bytes().startswith(b"c,label\r\n")


ERRORS = [
    (
        ["query", "SELECT * {\n  ?s ?p }"],
        "error: SPARQL syntax error at line 2, column 10: expected one of LATERAL, SERVICE",
    ),
    (
        ["query", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"],
        "error: SERVICE is refused",
    ),
    (["query", "DELETE WHERE { ?s ?p ?o }"], "error: DELETE is refused: queries are read-only"),
    (
        ["query", "--allow-update", "DELETE WHERE { ?s ?p ?o }"],
        "error: --allow-update needs --store",
    ),
    (
        ["query", "--named", "no-such-query"],
        "error: unknown named query 'no-such-query'; available: ",
    ),
    (["query"], "error: give exactly one of: SPARQL text (or - for stdin), --file, --named"),
    (
        ["query", "SELECT * {}", "-f", "turtle"],
        "error: --format turtle is for CONSTRUCT and DESCRIBE",
    ),
    (["query", "SELECT * {}", "--bind", "x"], "error: --bind expects NAME=VALUE, got 'x'"),
    (["query", "-q", "/nonexistent.rq"], "error: cannot read query file /nonexistent.rq"),
    (["query", "SELECT * {}", "-d", "/nonexistent.ttl"], "error: /nonexistent.ttl: no such file"),
    (["export", "--store", "/nonexistent"], "error: no store at /nonexistent"),
]


@pytest.mark.parametrize(("args", "message"), ERRORS)
def test_errors_are_one_line_on_stderr(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--no-bundled"] if args[0] == "query" else args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_bad_turtle_names_file_line_and_column(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c ;\n  ex:d  .\n")
    result = runner.invoke(app, ["query", "ASK {}", "-d", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {bad}:3:9: RDF syntax error: . is not a valid RDF object\n"


def test_timeout_stops_a_runaway_query(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["query", RUNAWAY, "--timeout", "1", "--no-bundled", "-d", _ontology()]
    )
    assert result.exit_code == 1
    assert result.stderr == "error: query stopped after 1 s (--timeout)\n"


def test_refused_queries_never_connect(runner: CliRunner, listener: Listener) -> None:
    for sparql in (
        f"SELECT * {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{listener.url}/x> {{ ?s ?p ?o }}",
        f"LOAD <{listener.url}/x>",
    ):
        result = runner.invoke(app, ["query", sparql, "--no-bundled"])
        assert result.exit_code == 1
        assert "is refused" in result.stderr
    assert listener.connections == []


def test_queries_lists_named_queries(runner: CliRunner) -> None:
    result = runner.invoke(app, ["queries", "--format", "json"])
    assert result.exit_code == 0
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["name"]["value"] for b in bindings] == [q.name for q in list_named_queries()]
    table = runner.invoke(app, ["queries"])
    assert table.exit_code == 0 and "question" in table.stdout


def test_named_query_runs_on_the_bundled_graph(runner: CliRunner) -> None:
    names = [q.name for q in list_named_queries()]
    if not names:
        pytest.skip("no named queries yet")
    result = runner.invoke(app, ["query", "--named", names[0], "-f", "csv"])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("syntax", list(RdfSyntax))
def test_export_every_format(runner: CliRunner, tiny_ttl: Path, syntax: RdfSyntax) -> None:
    import pyoxigraph as ox

    result = runner.invoke(app, ["export", "--format", syntax.value, *_tiny(tiny_ttl)])
    assert result.exit_code == 0, result.stderr
    assert len(list(ox.parse(result.stdout_bytes, RDF_FORMATS[syntax].oxigraph))) == 9


def test_export_data_only_to_file(runner: CliRunner, tiny_ttl: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.nt"
    target.write_text("old")
    result = runner.invoke(
        app, ["export", "-f", "nt", "--data-only", "-o", str(target), "-d", str(tiny_ttl)]
    )
    assert result.exit_code == 0, result.stderr
    everything = runner.invoke(app, ["export", "-f", "nt", "-d", str(tiny_ttl)]).stdout
    data = target.read_text()
    assert '<http://example.org/secret> <http://example.org/code> "s3cret" .' in data
    assert "owl#Class" not in data and "owl#Class" in everything


def test_load_then_query_the_store(runner: CliRunner, tiny_ttl: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    loaded = runner.invoke(app, ["load", str(tiny_ttl), "--store", str(store), "--no-bundled"])
    assert loaded.exit_code == 0, loaded.stderr
    assert loaded.stdout.startswith("9 triples in ")
    assert loaded.stdout.rstrip().endswith(" triples/s)")
    result = runner.invoke(
        app, ["query", "SELECT (COUNT(*) AS ?n) {?s ?p ?o}", "-f", "csv", "--store", str(store)]
    )
    assert result.stdout.splitlines() == ["n", "9"]
    update = runner.invoke(
        app,
        [
            "query",
            "DELETE WHERE { ?s <http://example.org/code> ?o }",
            "--allow-update",
            "--store",
            str(store),
        ],
    )
    assert update.exit_code == 0, update.stderr
    assert update.stdout == "update done: 9 triples before, 8 after\n"
    mixed = runner.invoke(app, ["query", "ASK {}", "--store", str(store), "-d", str(tiny_ttl)])
    assert mixed.stderr.startswith("error: --data cannot be combined with --store")


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["query", "--format", "yaml", "ASK {}"])
    assert result.exit_code == 2


def test_help_and_named_query_do_not_import_rdflib() -> None:
    names = [q.name for q in list_named_queries()]
    args = ["--help"] if not names else ["query", "--named", names[0], "-f", "csv"]
    code = (
        "import sys\n"
        "from mxgraph.cli import app\n"
        "from typer.testing import CliRunner\n"
        f"for args in (['--help'], {args!r}):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "heavy = {'rdflib', 'networkx', 'pyshacl', 'owlrl'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _ontology() -> str:
    from mxgraph.resources import ontology_files

    return str(ontology_files()[0])


def test_main_builds_only_the_command_named() -> None:
    from mxgraph.cli import _app_for

    single = _app_for(["describe", "USAID"])
    assert [info.callback.__name__ for info in single.registered_commands if info.callback] == [
        "describe"
    ]
    for argv in ([], ["--help"], ["querry"], ["-h", "query"]):
        assert _app_for(argv) is app


@pytest.mark.parametrize(
    ("args", "code", "out_start", "err"),
    [
        (["query", "ASK { mx:Country a owl:Class }"], 0, "true\n", ""),
        (["describe", "Atlantis"], 1, "", "error: no entity named 'Atlantis'"),
        (["querry"], 2, "", "No such command 'querry'"),
        (["path", "--help"], 0, "The shortest connection between two entities", ""),
    ],
)
def test_entry_point_runs_one_command_like_the_whole_app(
    args: list[str], code: int, out_start: str, err: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from mxgraph.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == code
    assert out_start in done.stdout if out_start else done.stdout == ""
    assert err in done.stderr if err else done.stderr == ""


# -- usage errors and --output targets (#13) --------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["query", "--timeout", "abc", "ASK {}"],
            "Invalid value for '--timeout': 'abc' is not a valid float",
        ),
        *(
            (
                ["query", "--timeout", given, "ASK {}"],
                f"Invalid value for '--timeout': {shown} is not a number of seconds from 0 "
                "(no limit) to 1,000,000",
            )
            for given, shown in (("nan", "nan"), ("inf", "inf"), ("1e300", "1e+300"))
        ),
        (["query", "--timeout", "-1", "ASK {}"], "Invalid value for '--timeout': -1.0 is not"),
        (["describe"], "Missing argument 'entity'"),
        (["no-such-command"], "No such command 'no-such-command'"),
        (["query", "--no-such-option"], "No such option: --no-such-option"),
    ],
)
def test_usage_errors_are_one_line_with_exit_status_2(
    runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(app, args, prog_name="mxgraph")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {message}")
    assert result.stderr.count("\n") == 1 and "╭" not in result.stderr
    command = "mxgraph" if args[0] == "no-such-command" else f"mxgraph {args[0]}"
    assert result.stderr.endswith(f" (see: {command} --help)\n")


def test_output_to_a_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "ASK {}", "--no-bundled", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.stderr and result.stderr.count("\n") == 1


def test_output_through_a_symbolic_link_replaces_its_target(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "answer.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = runner.invoke(app, ["query", "ASK {}", "--no-bundled", "-f", "csv", "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text() == "true\n"


def test_output_to_a_fifo_writes_through_it(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from mxgraph.cli import main; main()",
            "query",
            "ASK {}",
            "--no-bundled",
            "-f",
            "csv",
            "-o",
            str(fifo),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert received == [b"true\n"]
    assert fifo.is_fifo()  # still the pipe, not replaced by a regular file


def test_version(runner: CliRunner) -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"mxgraph {version('mxgraph')}\n")


@pytest.mark.parametrize(
    ("name", "first_bytes"),
    [("answer.csv", b"x\r\n"), ("answer.tsv", b"?x\n"), ("answer.json", b"{"), ("a.md", b"| x |")],
)
def test_query_output_format_follows_the_extension(
    runner: CliRunner, tmp_path: Path, name: str, first_bytes: bytes
) -> None:
    target = tmp_path / name
    sparql = "SELECT ?x { VALUES ?x { 1 } }"
    result = runner.invoke(app, ["query", sparql, "--no-bundled", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(first_bytes)
    # --format still decides when given.
    result = runner.invoke(app, ["query", sparql, "--no-bundled", "-o", str(target), "-f", "csv"])
    assert target.read_bytes().startswith(b"x\r\n")


@pytest.mark.parametrize("syntax", [s for s in RdfSyntax if s is not RdfSyntax.N3])
def test_export_format_follows_the_extension(
    runner: CliRunner, tmp_path: Path, tiny_ttl: Path, syntax: RdfSyntax
) -> None:
    spec = RDF_FORMATS[syntax]
    target = tmp_path / f"graph.{spec.extensions[0]}"
    result = runner.invoke(app, ["export", "--no-bundled", "-d", str(tiny_ttl), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    import pyoxigraph as ox

    assert len(list(ox.parse(path=str(target), format=spec.oxigraph))) == 9


def test_json_ld_export_is_compacted_with_the_prefixes(runner: CliRunner, tiny_ttl: Path) -> None:
    result = runner.invoke(app, ["export", "--no-bundled", "-d", str(tiny_ttl), "-f", "jsonld"])
    document = json.loads(result.stdout)
    assert document["@context"]["mx"] == "https://w3id.org/mxgraph/ontology#"
    usa = next(n for n in document["@graph"] if n["@id"] == "http://example.org/usa")
    assert usa["@type"] == ["mx:Country"]


def test_load_makes_a_store_of_the_bundled_graph_alone(runner: CliRunner, tmp_path: Path) -> None:
    from mxgraph.store import open_store

    result = runner.invoke(app, ["load", "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.stderr
    assert len(open_store(store_dir=tmp_path / "store")) == len(open_store())
    nothing = runner.invoke(app, ["load", "--store", str(tmp_path / "empty"), "--no-bundled"])
    assert nothing.exit_code == 1
    assert nothing.stderr == "error: nothing to load: give RDF files, or leave out --no-bundled\n"
    assert not (tmp_path / "empty").exists()
