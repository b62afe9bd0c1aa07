"""A plain ``mxgraph query`` or lookup line runs without typer (mxgraph.cli_fast), exactly as
typer would run it: the same arguments reach the same function, and every other line goes to
typer."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from mxgraph import query, resources
from mxgraph.cli import app
from mxgraph.cli_base import check_timeout, parse_size
from mxgraph.cli_fast import COMMANDS, parse_line

RUN = [sys.executable, "-m", "mxgraph"]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_option_table_is_typers(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    fast_command = COMMANDS[name]
    table = fast_command.options
    options = [param for param in command.params if param.param_type_name == "option"]
    names = {name for param in options for name in [*param.opts, *param.secondary_opts]}
    assert names == set(table)
    for param in options:
        for name in param.opts:
            fast = table[name]
            assert fast.keyword == param.name, name
            assert fast.multiple == param.multiple, name
            kind = type(param.type).__name__
            expected = {
                "BoolParamType": "flag",
                "FloatParamType": "float",
                "IntRange": "int",
                "StringParamType": "text",
                "TyperChoice": "choice",
                "TyperPath": "path",
            }[kind]
            assert fast.kind == expected, name
            assert param.is_flag == (fast.kind == "flag"), name
            if fast.kind == "int":
                assert (param.type.min, param.type.max) == (fast.minimum, None), name
                assert not param.type.min_open and not param.type.clamp, name
            if fast.kind == "path":
                assert (fast.file_okay, fast.dir_okay) == (
                    param.type.file_okay,
                    param.type.dir_okay,
                )
                assert param.type.readable and not param.type.exists and not param.type.allow_dash
                assert not param.type.writable and not param.type.resolve_path
            if fast.kind == "choice":
                assert fast.choices is not None
                assert [m.value for m in fast.choices] == list(param.type.choices), name
                assert not param.type.case_sensitive
            assert param.envvar is None
    # The checks the table runs itself are typer's only callbacks, and run the same test.
    checks = {param.keyword: param.check for param in table.values() if param.check}
    assert {param.name for param in options if param.callback} == set(checks)
    assert checks.get("timeout", check_timeout) is check_timeout
    assert checks.get("max_memory", parse_size) is parse_size
    arguments = [param for param in command.params if param.param_type_name == "argument"]
    assert tuple(param.name for param in arguments) == fast_command.arguments
    assert [param.required for param in arguments] == [
        index < fast_command.required for index in range(len(arguments))
    ]
    assert all(param.nargs == 1 for param in arguments)
    keywords = set(inspect.signature(fast_command.function()).parameters)
    assert keywords == {param.name for param in command.params}


PLAIN_LINES = [
    ["query", "--named", "embassy", "--format", "csv"],
    ["query", "-n", "embassy", "-f", "CSV"],
    ["query", "ASK {}", "--timeout=5", "--quiet", "-f", "json"],
    ["query", "--timeout", "0", "SELECT * { ?s ?p ?o } LIMIT 1"],
    ["query", "-", "--no-bundled", "--data-format", "NT", "--max-memory", "500M"],
    ["query", "ASK {}", "-d", "a.ttl", "--data", "b.trig", "--data=c.nt", "--infer"],
    ["query", "ASK {}", "-b", "x=1", "--bind", 'y="two"', "-o", "out.csv"],
    ["query", "ASK {}", "--store", "nowhere", "--allow-update", "--allow-network"],
    ["query", "ASK {}", "-e", "http://localhost:1/sparql", "--graph", "urn:g", "--user", "u"],
    ["query", "ASK {}", "--update-endpoint", "http://localhost:1/u", "--named", "--quiet"],
    ["query", "--file", "q.rq", "--format", "xml", "--format", "Turtle"],
    ["query"],
    ["describe", "USAID"],
    ["describe", "-f", "JSON", "mxd:usaid", "--timeout", "0", "--no-bundled", "-d", "a.ttl"],
    ["describe", "USAID", "-e", "http://localhost:1/sparql", "--graph", "urn:g", "--user", "u"],
    ["neighbors", "Chile", "--depth", "2", "-r", "member of", "--direction", "IN", "-t", "x"],
    ["neighbors", "Chile", "--sources", "--format=json", "--store", "nowhere", "--infer"],
    ["path", "Chile", "Canada", "-m", "3", "--all", "-x", "a", "--exclude=b", "--via", "Peru"],
    ["path", "--documents", "Chile", "--sources", "Canada", "--data-format", "TriG"],
    ["search", "merida", "-l", "3", "--type", "mx:Program", "--limit", " 4"],
    ["search", "-", "--timeout=1.5"],
    ["stats", "--top", "5", "-f", "table"],
    ["stats"],
]

#: Lines the fast path leaves to typer, and whether typer runs the command (True) or
#: refuses the line or shows help (False).
NOT_PLAIN_LINES = [
    (["query", "--help"], False),
    (["query", "-h"], False),
    (["query", "ASK {}", "--no-such-option"], False),
    (["query", "ASK {}", "--timeout", "nan"], False),
    (["query", "ASK {}", "--timeout", "-1"], False),
    (["query", "ASK {}", "--timeout", "abc"], False),
    (["query", "ASK {}", "--max-memory", "lots"], False),
    (["query", "ASK {}", "--format", "yaml"], False),
    (["query", "ASK {}", "ASK {}"], False),
    (["query", "ASK {}", "--quiet=yes"], False),
    (["query", "ASK {}", "--format"], False),
    (["query", "ASK {}", "-o", "."], False),
    (["query", "--store", "pyproject.toml", "ASK {}"], False),
    (["query", "ASK {}", "-fcsv"], True),
    (["query", "ASK {}", "-f=csv"], False),
    (["query", "--", "ASK {}"], True),
    (["describe"], False),
    (["describe", "USAID", "Mexico"], False),
    (["describe", "USAID", "--help"], False),
    (["describe", "USAID", "--quiet"], False),
    (["describe", "USAID", "-f", "csv"], False),
    (["neighbors", "Chile", "--depth", "0"], False),
    (["neighbors", "Chile", "--depth", "1.5"], False),
    (["neighbors", "Chile", "--direction", "up"], False),
    (["neighbors", "Chile", "--sources=yes"], False),
    (["path", "Chile"], False),
    (["path", "Chile", "Canada", "-m", "-1"], False),
    (["path", "Chile", "Canada", "--store", "pyproject.toml"], False),
    (["path", "Chile", "Canada", "--data-format", "ttl"], False),
    (["search", "merida", "--limit", "0"], False),
    (["search", "merida", "-l"], False),
    (["search", "--", "-merida"], True),
    (["stats", "extra"], False),
    (["stats", "--top", "ten"], False),
    (["stats", "--timeout", "inf"], False),
    (["queries"], True),
    (["validate"], True),
    (["--help"], False),
    (["--version"], False),
    ([], False),
]


def _typer_arguments(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> dict[str, Any] | None:
    """The keyword arguments typer passes to the command's function for ``argv`` (None: it
    refused)."""
    seen: list[dict[str, Any]] = []
    module, _, function = COMMANDS[argv[0]].run.partition(":")
    monkeypatch.setattr(
        importlib.import_module(module), function, lambda **kwargs: seen.append(kwargs)
    )
    result = CliRunner().invoke(app, argv)
    monkeypatch.undo()
    if not seen:
        assert result.exit_code in (0, 2), result.output
        return None
    assert result.exit_code == 0, result.output
    return seen[0]


@pytest.mark.parametrize("argv", PLAIN_LINES, ids=" ".join)
def test_a_plain_line_gives_the_arguments_typer_gives(
    monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    parsed = parse_line(argv)
    assert parsed is not None
    command, fast = parsed
    assert command is COMMANDS[argv[0]]
    defaults = {
        name: param.default
        for name, param in inspect.signature(command.function()).parameters.items()
        if param.default is not inspect.Parameter.empty
    }
    assert {**defaults, **fast} == _typer_arguments(monkeypatch, argv)


@pytest.mark.parametrize(("argv", "runs"), NOT_PLAIN_LINES, ids=lambda v: str(v))
def test_any_other_line_is_left_to_typer(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], runs: bool
) -> None:
    assert parse_line(argv) is None
    if argv[:1] and argv[0] in COMMANDS:
        assert (_typer_arguments(monkeypatch, argv) is not None) == runs


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RUN, *args], capture_output=True, text=True, input=stdin, check=False)


@pytest.mark.parametrize(
    ("argv", "code", "start"),
    [
        (["query", "--named", "embassy", "-f", "csv"], 0, "embassy,country,street,city"),
        (
            ["describe", "USAID"],
            0,
            "U.S. Agency for International Development\n  curie:    mxd:usaid",
        ),
        (["describe", "USAID", "-f", "json"], 0, '{\n  "entity": {'),
        (["neighbors", "Chile", "--sources"], 0, "Neighbors of Chile (mxd:chile) within 1 step"),
        (
            ["path", "Chile", "Canada"],
            0,
            "From Chile (mxd:chile) to Canada (mxd:canada)\n  1 shortest",
        ),
        (
            ["path", "Chile", "Canada", "-m", "1"],
            1,
            "From Chile (mxd:chile) to Canada (mxd:canada)\n  no path",
        ),
        (["search", "merida"], 0, "Search 'merida'\n"),
        (["stats", "-f", "json"], 0, '{\n  "triples": '),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_a_plain_line_imports_neither_typer_nor_click_nor_rich(
    argv: list[str], code: int, start: str
) -> None:
    program = (
        "import atexit, sys\n"
        "def report():\n"
        "    heavy = {m.split('.')[0] for m in sys.modules} & {'typer', 'rich', 'click'}\n"
        "    print('heavy:', sorted(heavy), file=sys.stderr)\n"
        "atexit.register(report)\n"
        f"sys.argv = ['mxgraph', *{argv!r}]\n"
        "from mxgraph.cli_fast import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (code, "heavy: []\n")
    assert done.stdout.startswith(start)


@pytest.mark.parametrize(
    ("args", "code", "stdout", "stderr"),
    [
        (["query", "ASK { mx:Country a owl:Class }", "-f", "csv"], 0, "true\n", ""),
        (
            ["query", "SELEC ?x { ?x ?p ?o }"],
            1,
            "",
            'error: SPARQL syntax error at line 1, column 1 (near "SELEC"): expected SELECT, '
            "CONSTRUCT, DESCRIBE or ASK; did you mean SELECT?\n",
        ),
        (
            ["query", "--named", "nope"],
            1,
            "",
            "error: unknown named query 'nope'; available: agreements,",
        ),
        (["query", "ASK {}", "ASK {}"], 2, "", "error: Got unexpected extra argument(s) (ASK {})"),
        (
            ["query", "ASK {}", "--timeout", "nan"],
            2,
            "",
            "error: Invalid value for '--timeout': nan is not a number of seconds",
        ),
        (["query", "-h"], 0, "Usage: python -m mxgraph query [OPTIONS] [sparql]", ""),
        (["describe", "Atlantis"], 1, "", "error: no entity named 'Atlantis'; did you mean"),
        (
            ["search", "merida", "--limit", "0"],
            2,
            "",
            "error: Invalid value for '--limit' / '-l': 0 is not in the range x>=1 (see: ",
        ),
        (["describe"], 2, "", "error: Missing argument 'entity' (see: "),
        (["path", "Chile", "Canada", "-m", "1"], 1, "From Chile (mxd:chile) to Canada", ""),
        (["stats", "--help"], 0, "Usage: python -m mxgraph stats [OPTIONS]", ""),
    ],
)
def test_the_command_ends_as_before(args: list[str], code: int, stdout: str, stderr: str) -> None:
    done = _run(*args)
    assert done.returncode == code, done.stderr
    assert done.stdout.startswith(stdout) if stdout else done.stdout == ""
    assert done.stderr.startswith(stderr) if stderr else done.stderr == ""


def test_a_closed_output_pipe_ends_with_status_1_and_no_traceback() -> None:
    # (Writes to a closed pipe do not fail in every sandbox, so the write fails on purpose.)
    code = (
        "import errno, sys\n"
        "from mxgraph import cli_fast\n"
        "def write(**kwargs):\n"
        "    sys.stdout.write('partial')\n"
        "    raise BrokenPipeError(errno.EPIPE, 'Broken pipe')\n"
        "cli_fast.query_command = write\n"
        "cli_fast.run_plain_line(['query', 'ASK {}'])\n"
    )
    # Buffered, the text written before the failure would be flushed at exit into the closed
    # pipe (a second error on stderr); it goes nowhere instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (1, b"", b"")


def test_named_queries_on_the_bundled_graph_answer_as_in_the_walled_child(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A named query on the bundled graph alone runs in process; the same text given as a file
    (a user's query) runs in the walled child: the outputs are the same, byte for byte."""
    children: list[str] = []
    real = query.run_in_child

    def counted(*args: Any, **kwargs: Any) -> Any:
        children.append("child")
        return real(*args, **kwargs)

    monkeypatch.setattr(query, "run_in_child", counted)
    runner = CliRunner()
    for path in sorted(resources.queries_dir().glob("*.rq")):
        named = runner.invoke(app, ["query", "--named", path.stem, "-f", "csv", "--quiet"])
        assert named.exit_code == 0, named.output
        assert children == [], path.stem
        by_file = runner.invoke(app, ["query", "--file", str(path), "-f", "csv", "--quiet"])
        assert by_file.exit_code == 0, by_file.output
        assert children == ["child"], path.stem
        children.clear()
        assert named.stdout == by_file.stdout, path.stem
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/b> 'c' .\n", encoding="utf-8")
    with_data = runner.invoke(app, ["query", "--named", "embassy", "-d", str(extra), "-f", "csv"])
    assert with_data.exit_code == 0, with_data.output
    assert children == ["child"]  # other data: the named query is walled and bounded again
