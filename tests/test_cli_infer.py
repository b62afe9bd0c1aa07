"""``--infer`` through the CLI: query, export and lookups answer from the entailed graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mxgraph.cli import app

NOTE = re.compile(r"^inferred (\d+) triples \(OWL 2 RL(, cached)?, [\d.]+ s; filtered \d+: .*\)$")
COUNT_ORGANIZATIONS = "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a mx:Organization }"


def test_query_organizations_only_with_infer(runner: CliRunner) -> None:
    plain = runner.invoke(app, ["query", COUNT_ORGANIZATIONS, "-f", "csv"])
    assert plain.exit_code == 0, plain.stderr
    assert plain.stdout.splitlines() == ["n", "0"]
    assert plain.stderr == ""
    inferred = runner.invoke(app, ["query", COUNT_ORGANIZATIONS, "-f", "csv", "--infer"])
    assert inferred.exit_code == 0, inferred.stderr
    assert inferred.stdout.splitlines() == ["n", "30"]
    assert NOTE.match(inferred.stderr.strip()), inferred.stderr


def test_has_member_from_member_of(runner: CliRunner) -> None:
    sparql = "SELECT ?member { mxd:oecd mx:hasMember ?member } ORDER BY ?member"
    result = runner.invoke(app, ["query", sparql, "-f", "csv", "--infer"])
    assert result.stdout.splitlines() == [
        "member",
        "https://w3id.org/mxgraph/id/mexico",
        "https://w3id.org/mxgraph/id/united-states",
    ]


def test_export_writes_the_materialised_graph(runner: CliRunner) -> None:
    plain = runner.invoke(app, ["export", "-f", "nt"])
    inferred = runner.invoke(app, ["export", "-f", "nt", "--infer"])
    assert inferred.exit_code == 0, inferred.stderr
    added = int(NOTE.match(inferred.stderr.strip())[1])  # type: ignore[index]
    assert len(inferred.stdout.splitlines()) == len(plain.stdout.splitlines()) + added
    assert (
        "<https://w3id.org/mxgraph/id/imf> <https://w3id.org/mxgraph/ontology#hasMember> "
        "<https://w3id.org/mxgraph/id/mexico> ." in inferred.stdout.splitlines()
    )


def test_lookup_with_infer(runner: CliRunner) -> None:
    # org:hasMember comes only from mx:hasMember's super-property.
    plain = runner.invoke(app, ["neighbors", "OECD", "--relation", "org:hasMember"])
    assert "Mexico" not in plain.stdout
    inferred = runner.invoke(app, ["neighbors", "OECD", "--relation", "org:hasMember", "--infer"])
    assert inferred.exit_code == 0, inferred.stderr
    assert "Mexico" in inferred.stdout and "United States" in inferred.stdout
    search = runner.invoke(app, ["search", "commission", "--type", "mx:Organization", "--infer"])
    assert "International Boundary and Water Commission" in search.stdout


def test_infer_refuses_updates(runner: CliRunner, tmp_path: object) -> None:
    result = runner.invoke(
        app, ["query", "INSERT DATA {}", "--allow-update", "--store", "x", "--infer"]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --infer answers from an in-memory copy; it cannot take --allow-update\n"
    )


def test_infer_is_bounded_by_timeout(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MXGRAPH_CACHE_DIR", str(tmp_path))  # a cold cache: the closure runs
    result = runner.invoke(app, ["query", COUNT_ORGANIZATIONS, "--infer", "--timeout", "0.5"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: inference stopped after 0.5 s (--timeout); the first run computes the "
        "closure, later runs of the same graph read it from the cache\n"
    )
    assert list(tmp_path.iterdir()) == []
