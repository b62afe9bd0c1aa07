"""An empty answer says why: the triple pattern that matches nothing, and the likely fix."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mxgraph.cli import app
from mxgraph.diagnose import explain_empty
from mxgraph.store import MxStore, open_store


@pytest.fixture(scope="module")
def store() -> MxStore:
    return open_store()


@pytest.mark.parametrize(
    ("sparql", "reason"),
    [
        (
            "SELECT ?x { ?x mx:hasMembr ?y }",
            "the pattern ?x mx:hasMembr ?y matches nothing: mx:hasMembr is not in the ontology; "
            "did you mean mx:hasMember?",
        ),
        (
            "SELECT ?x { ?x a mx:Countryy }",
            "the pattern ?x rdf:type mx:Countryy matches nothing: mx:Countryy is not in the "
            "ontology; did you mean mx:Country?",
        ),
        (
            "SELECT ?x { ?x skos:prefLable 'Mexico'@en }",
            'the pattern ?x skos:prefLable "Mexico"@en matches nothing: skos:prefLable is not in '
            "the ontology; did you mean skos:prefLabel?",
        ),
        (
            "SELECT ?f { ?f mx:value 2800000000 }",
            "the pattern ?f mx:value 2800000000 matches nothing: the data holds this number as "
            "xsd:decimal (2800000000.0): write 2800000000.0, or compare values with "
            "FILTER(?value = 2800000000)",
        ),
        (
            "SELECT ?x { ?x skos:prefLabel 'trading partner' }",
            'the pattern ?x skos:prefLabel "trading partner" matches nothing: the data tags this '
            'text with a language: write "trading partner"@en, or compare with '
            'FILTER(STR(?value) = "trading partner")',
        ),
        (
            "SELECT ?x { ?x mx:administers ?y }",
            "the pattern ?x mx:administers ?y matches nothing: mx:administers is declared in the "
            "ontology but no triple uses it",
        ),
        (
            "ASK { mxd:mexico mx:memberOf mxd:nato }",
            "the pattern mxd:mexico mx:memberOf mxd:nato matches nothing: mxd:nato names nothing "
            "in the graph; look for the entity with: mxgraph search nato",
        ),
        (
            "SELECT ?x { ?x mx:memberOf mxd:oas }",
            "the pattern ?x mx:memberOf mxd:oas matches nothing: no mx:memberOf there; mxd:oas is "
            "linked by mx:supports",
        ),
        (
            "SELECT ?x { ?x a mx:Organization }",
            "the pattern ?x rdf:type mx:Organization matches nothing: mx:Organization has no "
            "direct instances, only instances of its subclasses: write ?x a/rdfs:subClassOf* "
            "mx:Organization",
        ),
        (
            "SELECT ?x { ?x mx:memberOf mxd:oecd . ?x mx:memberOf mxd:un }",
            "the pattern ?x mx:memberOf mxd:un matches nothing: mxd:un names nothing in the "
            "graph; look for the entity with: mxgraph search un",
        ),
    ],
)
def test_each_kind_of_empty_answer_is_explained(store: MxStore, sparql: str, reason: str) -> None:
    assert explain_empty(store, sparql) == [reason]


def test_patterns_that_match_alone_but_not_together(store: MxStore) -> None:
    sparql = "SELECT ?x { ?x mx:memberOf mxd:oecd . ?x a mx:InternationalOrganization }"
    assert explain_empty(store, sparql) == [
        "each of the 2 triple patterns matches on its own, but no solution satisfies them all "
        "together (check the variables they share, and the FILTERs)"
    ]


def test_the_cli_says_why_on_stderr_and_keeps_exit_status_0() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["query", "SELECT ?x { ?x mx:hasMembr ?y }", "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout == "x\n"
    assert result.stderr == (
        "empty answer: the pattern ?x mx:hasMembr ?y matches nothing: mx:hasMembr is not in the "
        "ontology; did you mean mx:hasMember?\n"
    )
    quiet = runner.invoke(app, ["query", "SELECT ?x { ?x mx:hasMembr ?y }", "--quiet"])
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    found = runner.invoke(app, ["query", "ASK { mxd:mexico mx:memberOf mxd:oecd }"])
    assert (found.exit_code, found.stdout, found.stderr) == (0, "true\n", "")
