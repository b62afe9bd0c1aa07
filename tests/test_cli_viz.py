"""``mxgraph viz`` through the CLI: files written, the summary line, one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mxgraph.cli import app

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) not installed")


@needs_dot
def test_viz_svg_of_a_neighbourhood(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "chile.svg"
    result = runner.invoke(app, ["viz", "Chile", "--depth", "2", "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{out}: ")
    assert result.stdout.endswith(" classes\n")
    assert out.read_bytes().startswith(b"<?xml")
    assert b"Pacific Alliance" in out.read_bytes()


@pytest.mark.parametrize(("suffix", "start"), [(".dot", b"digraph"), (".html", b"<!DOCTYPE")])
def test_viz_dot_and_html(runner: CliRunner, tmp_path: Path, suffix: str, start: bytes) -> None:
    out = tmp_path / f"chile{suffix}"
    result = runner.invoke(app, ["viz", "Chile", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out}: 2 nodes, 2 relations, 2 classes\n"
    assert out.read_bytes().startswith(start)


def test_viz_relation_and_type(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "members.dot"
    result = runner.invoke(app, ["viz", "Mexico", "-r", "member of", "-o", str(out)])
    assert result.stdout == f"{out}: 9 nodes, 8 relations, 2 classes\n"
    typed = runner.invoke(
        app, ["viz", "Mexico", "-t", "mx:InternationalOrganization", "-o", str(out)]
    )
    assert typed.exit_code == 0, typed.stderr
    assert "international organization only" in out.read_text()


def test_viz_query_and_all(runner: CliRunner, tmp_path: Path) -> None:
    query = tmp_path / "launched.rq"
    query.write_text("CONSTRUCT { ?a mx:launchedBy ?b } WHERE { ?a mx:launchedBy ?b }")
    out = tmp_path / "launched.dot"
    result = runner.invoke(app, ["viz", "--query", str(query), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert '[label="launched by"]' in out.read_text()
    everything = runner.invoke(app, ["viz", "--all", "-o", str(tmp_path / "all.html")])
    assert everything.exit_code == 0, everything.stderr
    countries = runner.invoke(app, ["viz", "--all", "-t", "country", "-o", str(out)])
    assert countries.stdout.endswith(" classes\n") and " 1 classes" in countries.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["viz", "-o", "x.svg"], "give exactly one of: ENTITY, --query FILE, --all"),
        (
            ["viz", "Mexico", "--all", "-o", "x.svg"],
            "give exactly one of: ENTITY, --query FILE, --all",
        ),
        (
            ["viz", "Mexico", "-o", "x.jpg"],
            "cannot draw to x.jpg: use one of .svg, .png, .pdf, .dot, .html, .gv, .htm",
        ),
        (["viz", "Nowhere Land", "-o", "x.dot"], None),
    ],
)
def test_viz_errors(runner: CliRunner, args: list[str], message: str | None) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    if message is not None:
        assert result.stderr == f"error: {message}\n"


def test_viz_select_query_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    query = tmp_path / "select.rq"
    query.write_text("SELECT * { ?s ?p ?o } LIMIT 1")
    result = runner.invoke(app, ["viz", "--query", str(query), "-o", str(tmp_path / "x.dot")])
    assert result.stderr == f"error: {query}: --query needs a CONSTRUCT or DESCRIBE query\n"


def test_viz_without_graphviz(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "x.png"
    result = runner.invoke(app, ["viz", "Chile", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: Graphviz's 'dot' program is not installed (Debian: apt-get install graphviz); "
        "it draws .svg, .png and .pdf; .dot and .html need no Graphviz\n"
    )
    assert not out.exists()
