"""Mutated Turtle and SPARQL never crash the CLI: exit 0, or exit 1 with one ``error:`` line.

Inputs are the ontology, every bundled graph file and named query (found by
glob, so new ones are fuzzed automatically) and a few queries written here.
The random generator is seeded, so a failure reproduces.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mxgraph import resources
from mxgraph.cli import app

# About 30 ms per CLI run (typer builds its command on every invoke): ~550 runs in all.
TURTLE_MUTATIONS = 20
SPARQL_MUTATIONS = 12
NOISE = [*"{}<>\"'#\\.;,:@^_?$()[] \n\t", "\u00e9", "\u0000", '"""', "PREFIX", "a", "0"]

QUERIES = {
    "labels": "SELECT ?c ?label { ?c a mx:Country ; rdfs:label ?label } ORDER BY ?label",
    "optional": (
        "PREFIX ex: <http://example.org/>\n"
        "SELECT ?c (COUNT(?n) AS ?k) { ?c a mx:Country OPTIONAL { ?c ex:neighbor ?n } }\n"
        "GROUP BY ?c HAVING (COUNT(?n) >= 0) LIMIT 10"
    ),
    "construct": 'CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c rdfs:label ?l FILTER(lang(?l) = "") }',
    "ask": 'ASK { ?s ?p "México"@es }',
    "values": 'SELECT * { VALUES ?x { 1 "two" <http://example.org/three> } ?s ?p ?o } LIMIT 3',
}


def mutate(text: str, rng: random.Random) -> str:
    """One random edit: delete, insert, duplicate, truncate or swap two tokens."""
    if not text:
        return rng.choice(NOISE)
    kind = rng.randrange(5)
    at = rng.randrange(len(text))
    if kind == 0:
        return text[:at] + text[at + rng.randint(1, 8) :]
    if kind == 1:
        return text[:at] + rng.choice(NOISE) + text[at:]
    if kind == 2:
        end = min(len(text), at + rng.randint(1, 40))
        return text[:end] + text[at:end] + text[end:]
    if kind == 3:
        return text[:at]
    tokens = text.split(" ")
    i, j = rng.randrange(len(tokens)), rng.randrange(len(tokens))
    tokens[i], tokens[j] = tokens[j], tokens[i]
    return " ".join(tokens)


def assert_clean_outcome(runner: CliRunner, args: list[str], case: str) -> None:
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{case}: {result.exception!r}"
    )
    if result.exit_code == 0:
        return
    assert result.exit_code == 1, f"{case}: exit {result.exit_code}: {result.stderr}"
    assert result.stderr.startswith("error: "), f"{case}: {result.stderr!r}"
    assert result.stderr.count("\n") == 1, f"{case}: {result.stderr!r}"
    assert "Traceback" not in result.stderr


def _turtle_inputs() -> list[Path]:
    return resources.ontology_files() + resources.graph_files()


@pytest.mark.parametrize("source", _turtle_inputs(), ids=lambda path: path.name)
def test_mutated_turtle(runner: CliRunner, tmp_path: Path, source: Path) -> None:
    rng = random.Random(f"turtle:{source.name}")
    original = source.read_text(encoding="utf-8")
    target = tmp_path / source.name
    for number in range(TURTLE_MUTATIONS):
        target.write_text(mutate(original, rng), encoding="utf-8")
        args = ["query", "ASK { ?s ?p ?o }", "--no-bundled", "-d", str(target)]
        assert_clean_outcome(runner, args, f"{source.name} mutation {number}")


def _query_inputs() -> dict[str, str]:
    queries = dict(QUERIES)
    for path in sorted(resources.queries_dir().glob("*.rq")):
        queries[path.name] = path.read_text(encoding="utf-8")
    return queries


@pytest.mark.parametrize(("name", "sparql"), list(_query_inputs().items()))
def test_mutated_sparql(runner: CliRunner, tiny_ttl: Path, name: str, sparql: str) -> None:
    rng = random.Random(f"sparql:{name}")
    for number in range(SPARQL_MUTATIONS):
        mutated = mutate(sparql, rng)
        args = [
            "query",
            mutated,
            "--timeout",
            "5",
            "-f",
            "csv",
            "--no-bundled",
            "-d",
            str(tiny_ttl),
        ]
        assert_clean_outcome(runner, args, f"{name} mutation {number}: {mutated!r}")
