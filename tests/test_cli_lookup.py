"""The lookup commands through typer's CliRunner: exact output, JSON documents, error lines."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mxgraph.cli import app
from mxgraph.output import ReportFormat

from .test_resolve import HOSTILE_NAMES

USAID_QUOTE = (
    "U.S. Agency for International Development (USAID) programs under the Merida Initiative "
    "support Mexican efforts to address key challenges to improving citizen security."
)

USAID_QUOTE_2 = (
    "USAID programs help communities resist the effects of crime and violence and support "
    "Mexico’s implementation of criminal justice constitutional reforms that protect citizens’ "
    "rights."
)

DESCRIBE_USAID = f"""\
U.S. Agency for International Development
  curie:    mxd:usaid
  iri:      https://w3id.org/mxgraph/id/usaid
  type:     U.S. government agency (mx:USGovernmentAgency)
  aliases:  USAID; United States Agency for International Development
  wikidata: Q217072 <http://www.wikidata.org/entity/Q217072>

Relations (3)
  —agency of→ United States (mxd:united-states)  [mxd:p19s1, mxd:p19s2, mxd:p28s1]
  —publishes→ USAID Mexico Page (mxd:usaid-mexico-page)  [mxd:p28s1]
  —runs→ USAID programs under the Merida Initiative (mxd:usaid-merida-programs)  \
[mxd:p19s1, mxd:p19s2]

Sources (3)
  mxd:p19s1 [8724–8891] "{USAID_QUOTE}"
  mxd:p19s2 [8892–9074] "{USAID_QUOTE_2}"
  mxd:p28s1 [10073–10090] "USAID Mexico Page"
"""

PATH_CHILE_CANADA = """\
From Chile (mxd:chile) to Canada (mxd:canada)
  1 shortest path of length 3
  Chile —launched, participates in→ Pacific Alliance —launched by, participant→ Mexico \
←cooperates with→ Canada
"""

NEIGHBORS_CHILE = """\
Neighbors of Chile (mxd:chile) within 1 step
  2 relations (direction both)
┏━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┓
┃ depth ┃ from  ┃ relation          ┃ neighbor         ┃ curie                ┃
┡━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━┩
│ 1     │ Chile │ —launched→        │ Pacific Alliance │ mxd:pacific-alliance │
│ 1     │ Chile │ —participates in→ │ Pacific Alliance │ mxd:pacific-alliance │
└───────┴───────┴───────────────────┴──────────────────┴──────────────────────┘
"""

SEARCH_2_8_BILLION = """\
Search '2.8 billion'
  5 entities
┏━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━┓
┃ score ┃ entity                                                     ┃ curie                         ┃ type          ┃ field    ┃ matched   ┃
┡━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━┩
│ 80    │ U.S. appropriations under the Merida Initiative, 2008–2018 │ mxd:fact-merida-appropriation │ appropriation │ figure   │ mxd:p18s3 │
│ 18    │ capacity building support                                  │ mxd:topic-capacity-building   │ topic         │ sentence │ mxd:p18s3 │
│ 18    │ equipment                                                  │ mxd:topic-equipment           │ topic         │ sentence │ mxd:p18s3 │
│ 18    │ Merida Initiative                                          │ mxd:merida-initiative         │ initiative    │ sentence │ mxd:p18s3 │
│ 18    │ training                                                   │ mxd:topic-training            │ topic         │ sentence │ mxd:p18s3 │
└───────┴────────────────────────────────────────────────────────────┴───────────────────────────────┴───────────────┴──────────┴───────────┘

Sentences
  mxd:p18s3 "From 2008-2018, the United States has appropriated «$2.8 billion» in equipment, training and capacity building support under the Merida Initiative."
"""  # noqa: E501

SEARCH_678_BILLION = """\
Search '678 billion'
  1 entity
┏━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━┓
┃ score ┃ entity                                                ┃ curie                       ┃ type        ┃ field  ┃ matched   ┃
┡━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━┩
│ 80    │ Two-way U.S.–Mexico trade in goods and services, 2018 │ mxd:fact-two-way-trade-2018 │ trade value │ figure │ mxd:p05s2 │
└───────┴───────────────────────────────────────────────────────┴─────────────────────────────┴─────────────┴────────┴───────────┘

Sentences
  mxd:p05s2 "In 2018, two-way trade in goods and services totaled «$678 billion»."
"""  # noqa: E501

SEARCH_CROSSINGS_PER_DAY = """\
Search 'crossings per day'
  6 entities
┏━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━┓
┃ score ┃ entity                             ┃ curie                           ┃ type                   ┃ field    ┃ matched   ┃
┡━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━┩
│ 57    │ Legal border crossings each day    │ mxd:fact-daily-border-crossings │ count                  │ label    │           │
│ 12    │ commercial ties                    │ mxd:topic-commercial-ties       │ topic                  │ sentence │ mxd:p03s4 │
│ 12    │ cultural ties                      │ mxd:topic-cultural-ties         │ topic                  │ sentence │ mxd:p03s4 │
│ 12    │ educational ties                   │ mxd:topic-educational-ties      │ topic                  │ sentence │ mxd:p03s4 │
│ 12    │ U.S.–Mexico relations              │ mxd:us-mexico-relations         │ bilateral relationship │ sentence │ mxd:p03s4 │
│ 12    │ Two-way U.S.–Mexico trade each day │ mxd:fact-daily-two-way-trade    │ trade value            │ sentence │ mxd:p03s4 │
└───────┴────────────────────────────────────┴─────────────────────────────────┴────────────────────────┴──────────┴───────────┘

Sentences
  mxd:p03s4 "It encompasses extensive commercial, cultural, and educational ties, with some 1.7 billion dollars of two-way trade and hundreds of thousands of legal border «crossings» each «day»."
"""  # noqa: E501

SEARCH_FENTANYL = """\
Search 'fentanyl'
  4 entities
┏━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ score ┃ entity                                        ┃ curie                              ┃ type        ┃ field       ┃ matched                                                     ┃
┡━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ 100   │ fentanyl                                      │ mxd:fentanyl                       │ drug        │ label       │                                                             │
│ 30    │ U.S.–Mexico cooperation against illicit drugs │ mxd:us-mexico-security-cooperation │ cooperation │ description │ Our cooperation with Mexico, never more vital in the fight… │
│ 15    │ heroin                                        │ mxd:heroin                         │ drug        │ sentence    │ mxd:p18s5                                                   │
│ 15    │ synthetic drugs                               │ mxd:synthetic-drugs                │ drug        │ sentence    │ mxd:p18s5                                                   │
└───────┴───────────────────────────────────────────────┴────────────────────────────────────┴─────────────┴─────────────┴─────────────────────────────────────────────────────────────┘

Sentences
  mxd:p18s5 "Our cooperation with Mexico has never been more vital in the fight to combat the deadly threat of illicit «fentanyl», heroin, and synthetic drugs."
"""  # noqa: E501

#: Each command with arguments that succeed, for checks common to all of them.
COMMANDS = [
    ["describe", "USAID"],
    ["neighbors", "Chile"],
    ["path", "Chile", "Canada"],
    ["search", "merida"],
    ["stats", "--top", "3"],
]


def invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_describe_usaid_table(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "describe", "USAID")
    assert (code, err) == (0, "")
    assert out == DESCRIBE_USAID


def test_describe_json(runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "describe", "usaid", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == [
        "entity",
        "types",
        "aliases",
        "description",
        "wikidata",
        "attributes",
        "relations",
        "facts",
        "sources",
    ]
    assert document["entity"] == {
        "label": "U.S. Agency for International Development",
        "curie": "mxd:usaid",
        "iri": "https://w3id.org/mxgraph/id/usaid",
    }
    assert document["wikidata"] == [
        {"id": "Q217072", "iri": "http://www.wikidata.org/entity/Q217072"}
    ]
    runs = [r for r in document["relations"] if r["relation"]["curie"] == "mx:runs"]
    assert [(r["direction"], r["entity"]["label"]) for r in runs] == [
        ("out", "USAID programs under the Merida Initiative")
    ]
    assert document["sources"][0] == {
        "sentence": {
            "label": "mxd:p19s1",
            "curie": "mxd:p19s1",
            "iri": "https://w3id.org/mxgraph/id/p19s1",
        },
        "quote": USAID_QUOTE,
        "start": 8724,
        "end": 8891,
    }


def test_describe_facts_in_both_formats(runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "describe", "Mérida Initiative")
    assert code == 0
    assert (
        "Fact: U.S. appropriations under the Merida Initiative, 2008–2018 "
        "(mxd:fact-merida-appropriation)\n"
        "  type:      appropriation (mx:Appropriation)\n"
        "  linked by: about\n"
        "  amount:    $2.8 billion\n"
        "  time:      2008–2018\n"
        "  origin:    United States (mxd:united-states)\n"
        '  source:    mxd:p18s3 [7909–8054] "From 2008-2018, the United States has appropriated '
        "$2.8 billion in equipment, training and capacity building support under the Merida "
        'Initiative."\n'
    ) in out
    code, out, _ = invoke(runner, "describe", "mxd:us-mexico-border", "-f", "json")
    facts = {f["fact"]["curie"]: f for f in json.loads(out)["facts"]}
    crossings = facts["mxd:fact-daily-border-crossings"]
    fields = ("value", "lower_bound", "upper_bound", "exclusive_upper_bound", "qualifier_text")
    assert {k: crossings[k] for k in fields} == {
        "value": None,
        "lower_bound": 100000,
        "upper_bound": None,
        "exclusive_upper_bound": 1000000,
        "qualifier_text": "hundreds of thousands",
    }
    assert crossings["unit"]["curie"] == "mx:BorderCrossing"
    assert crossings["per"]["label"] == "day"
    assert crossings["time"]["curie"] == "mxd:fact-sheet-present"
    assert facts["mxd:fact-border-length"]["value"] == 2000


def test_path_chile_canada(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "path", "Chile", "Canada")
    assert (code, out, err) == (0, PATH_CHILE_CANADA, "")


def test_path_json(runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "path", "chile", "CANADA", "--all", "-f", "json")
    assert code == 0
    document = json.loads(out)
    assert (document["length"], document["max_length"], document["truncated"]) == (3, None, False)
    (path,) = document["paths"]
    assert path["length"] == 3
    assert [step["to"]["curie"] for step in path["steps"]] == [
        "mxd:pacific-alliance",
        "mxd:mexico",
        "mxd:canada",
    ]
    assert path["steps"][0]["relations"][0] == {
        "relation": {
            "label": "launched",
            "curie": "mx:launched",
            "iri": "https://w3id.org/mxgraph/ontology#launched",
        },
        "direction": "out",
        "sources": [
            {
                "sentence": {
                    "label": "mxd:p07s2",
                    "curie": "mxd:p07s2",
                    "iri": "https://w3id.org/mxgraph/id/p07s2",
                },
                "quote": "In 2012, Mexico joined Chile, Colombia, and Peru to launch an ambitious "
                "regional economic integration effort, the Pacific Alliance, focused on "
                "liberalizing trade and investment, as well as facilitating the movement of "
                "citizens.",
                "start": 2441,
                "end": 2668,
            }
        ],
        "two_way": False,
    }


def test_path_and_neighbors_print_the_sentence_under_each_relation(runner: CliRunner) -> None:
    quote = (
        "In 2012, Mexico joined Chile, Colombia, and Peru to launch an ambitious regional "
        "economic integration effort, the Pacific Alliance, focused on liberalizing trade and "
        "investment, as well as facilitating the movement of citizens."
    )
    code, out, err = invoke(runner, "neighbors", "Chile", "--sources")
    assert (code, err) == (0, "")
    assert out == (
        "Neighbors of Chile (mxd:chile) within 1 step\n"
        "  2 relations (direction both)\n"
        "  1  Chile —launched→ Pacific Alliance (mxd:pacific-alliance)\n"
        f'       mxd:p07s2 [2441–2668] "{quote}"\n'
        "  1  Chile —participates in→ Pacific Alliance (mxd:pacific-alliance)\n"
        f'       mxd:p07s2 [2441–2668] "{quote}"\n'
    )
    code, out, err = invoke(runner, "path", "Chile", "Canada", "--sources")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[3:5] == [
        "    Chile —launched, participates in→ Pacific Alliance",
        f'      mxd:p07s2 [2441–2668] "{quote}"',
    ]
    assert lines[-2:] == [
        "    Mexico ←cooperates with→ Canada",
        '      mxd:p06s1 [1877–2103] "The United States, Canada, and Mexico cooperate on '
        "hemispheric and global challenges, such as managing trans-border infectious diseases "
        "and seeking greater cooperation to respond to challenges of transnational organized "
        'crime."',
    ]


def test_path_too_long_exits_1(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "path", "Chile", "Canada", "--max-length", "2")
    assert (code, err) == (1, "")
    assert out == "From Chile (mxd:chile) to Canada (mxd:canada)\n  no path within 2 steps\n"
    code, out, _ = invoke(runner, "path", "Chile", "Canada", "-m", "2", "-f", "json")
    assert code == 1
    assert json.loads(out)["paths"] == []


def test_neighbors_table_and_json(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "neighbors", "Chile")
    assert (code, out, err) == (0, NEIGHBORS_CHILE, "")
    code, out, _ = invoke(
        runner,
        "neighbors",
        "Chile",
        "--depth",
        "2",
        "--relation",
        "launched by",
        "--direction",
        "both",
        "--type",
        "mx:Country",
        "-f",
        "json",
    )
    assert code == 0
    document = json.loads(out)
    assert document["relation"]["curie"] == "mx:launchedBy"
    assert document["type"]["curie"] == "mx:Country"
    assert [
        (n["depth"], n["from"]["label"], n["direction"], n["entity"]["label"])
        for n in document["neighbors"]
    ] == [
        (2, "Pacific Alliance", "out", "Colombia"),
        (2, "Pacific Alliance", "out", "Mexico"),
        (2, "Pacific Alliance", "out", "Peru"),
    ]


def test_neighbors_relation_by_iri_and_direction(runner: CliRunner) -> None:
    iri = "<https://w3id.org/mxgraph/ontology#memberOf>"
    code, out, _ = invoke(runner, "neighbors", "Mexico", "-r", iri, "--direction", "out")
    assert code == 0
    assert "8 relations (direction out, relation member of (mx:memberOf))" in out
    assert "│ 1     │ Mexico │ —member of→ │ World Trade Organization " in out


def test_search_table_and_json(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "search", "merida")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == ["Search 'merida'", "  20 entities"]
    assert lines[5].startswith("│ 95    │ Merida Initiative ")
    assert "│ mxd:merida-initiative " in lines[5]
    # After the entities' own names and descriptions, those citing a sentence on Merida.
    assert lines[9].startswith("│ 15    │ capacity building support ")
    assert lines[9].endswith(
        " │ sentence    │ mxd:p18s3                                                    │"
    )
    assert lines[lines.index("Sentences") + 1] == (
        '  mxd:p18s3 "From 2008-2018, the United States has appropriated $2.8 billion in '
        'equipment, training and capacity building support under the «Merida» Initiative."'
    )
    code, out, _ = invoke(runner, "search", "merida", "--limit", "2", "-f", "json")
    document = json.loads(out)
    assert (document["query"], document["type"], document["limit"]) == ("merida", None, 2)
    assert [(h["entity"]["curie"], h["score"], h["field"]) for h in document["hits"]] == [
        ("mxd:merida-initiative", 95, "alias"),
        # At equal score the programs come before the figure about them.
        ("mxd:usaid-merida-programs", 60, "label"),
    ]
    assert [(h["sentence"], h["spans"]) for h in document["hits"]] == [
        (None, [[0, 6]]),
        (None, [[25, 31]]),
    ]


def test_search_by_type(runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "search", "méxico", "--type", "country", "-f", "json")
    assert code == 0
    document = json.loads(out)
    assert document["type"]["curie"] == "mx:Country"
    assert [(h["entity"]["curie"], h["field"]) for h in document["hits"][:3]] == [
        ("mxd:mexico", "label"),
        ("mxd:canada", "sentence"),  # "Mexico is the United States’ second-largest export..."
        ("mxd:chile", "sentence"),
    ]
    assert {h["field"] for h in document["hits"][1:]} == {"sentence"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.8 billion", SEARCH_2_8_BILLION),
        ("678 billion", SEARCH_678_BILLION),
        ("crossings per day", SEARCH_CROSSINGS_PER_DAY),
        ("fentanyl", SEARCH_FENTANYL),
    ],
)
def test_search_finds_facts_figures_and_sentences(
    runner: CliRunner, text: str, expected: str
) -> None:
    """The issue's examples: the fact or entity first, the cited sentence with «the match»."""
    code, out, err = invoke(runner, "search", text)
    assert (code, err) == (0, "")
    assert out == expected


@pytest.mark.parametrize("text", ["$2.8 billion", "2,800,000,000", "2800000000", "2.8 Billion"])
def test_search_matches_a_number_by_value(runner: CliRunner, text: str) -> None:
    code, out, _ = invoke(runner, "search", text)
    assert code == 0
    title, rest = out.split("\n", 1)
    assert title == f"Search {text!r}"
    assert rest == SEARCH_2_8_BILLION.split("\n", 1)[1]


def test_search_json_gives_the_sentence_and_the_match_offsets(runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "search", "2.8 billion", "--limit", "1", "-f", "json")
    assert code == 0
    (hit,) = json.loads(out)["hits"]
    assert (hit["field"], hit["score"], hit["sentence"]["curie"]) == (
        "figure",
        80,
        "mxd:p18s3",
    )
    assert [hit["matched"][start:end] for start, end in hit["spans"]] == ["$2.8 billion"]
    assert hit["spans"] == [[51, 63]]


def test_search_highlights_bold_on_a_terminal() -> None:
    from mxgraph.lookup_format import search_report
    from mxgraph.output import render_report
    from mxgraph.search import search_entities
    from mxgraph.store import open_store

    report = search_report(search_entities(open_store(), "678 billion"))
    shown = render_report(report, ReportFormat.TABLE, color=True).decode()
    assert shown.splitlines()[-1] == (
        '  mxd:p05s2 "In 2018, two-way trade in goods and services totaled '
        '\x1b[1m$678 billion\x1b[0m."'
    )


def test_every_label_search_prints_can_be_looked_up(runner: CliRunner) -> None:
    """describe "<a label search printed>" describes that entity, or names it among the
    entities sharing the label, with their types and the CURIE that picks it."""
    from mxgraph.errors import AmbiguousEntity
    from mxgraph.resolve import resolve_entity
    from mxgraph.store import open_store

    code, out, _ = invoke(runner, "search", "border", "--limit", "100", "-f", "json")
    assert code == 0
    hits = json.loads(out)["hits"]
    assert len(hits) > 40
    store = open_store()
    ambiguous = []
    for hit in hits:
        label, curie = hit["entity"]["label"], hit["entity"]["curie"]
        try:
            assert resolve_entity(store, label).curie == curie
        except AmbiguousEntity as error:
            types = ", ".join(t["label"] for t in hit["types"])
            assert f"{label} ({types}, {curie})" in str(error)
            ambiguous.append((label, curie))
    assert [curie for _, curie in ambiguous] == ["mxd:border-states", "mxd:fact-border-states"]
    # As a user sees it: the error line, then the CURIE it gives describes the entity.
    label, curie = ambiguous[1]
    code, out, err = invoke(runner, "describe", label)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {label!r} is ambiguous: it names ") and curie in err
    code, out, _ = invoke(runner, "describe", curie, "-f", "json")
    assert (code, json.loads(out)["entity"]["curie"]) == (0, curie)


def test_search_nothing_found(runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "search", "zzzz")
    assert (code, out) == (
        0,
        "Search 'zzzz'\n  0 entities: no name, alias, description or figure, nor a sentence "
        "one cites, matches it\n",
    )
    code, out, _ = invoke(runner, "search", "fentanyl", "--type", "country")
    assert out.splitlines()[1] == (
        "  0 entities: no name, alias, description or figure of country (mx:Country), nor a "
        "sentence one cites, matches it"
    )


def test_stats_table_and_json(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "stats", "--top", "2")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:4] == [
        "Graph",
        "  triples:      3,482",
        "  entities:     260",
        "  entity links: 394",
    ]
    assert "│ 1 │ Mexico        │ mxd:mexico        │ 80     │ 0.0821   │" in lines
    code, out, _ = invoke(runner, "stats", "--top", "2", "-f", "json")
    document = json.loads(out)
    assert (document["triples"], document["entities"], document["entity_links"]) == (3482, 260, 394)
    assert document["top_by_degree"][0] == {
        "entity": {
            "label": "Mexico",
            "curie": "mxd:mexico",
            "iri": "https://w3id.org/mxgraph/id/mexico",
        },
        "degree": 80,
        "pagerank": 0.082142,
    }
    assert document["classes"][0] == {
        "class": {
            "label": "topic",
            "curie": "mx:Topic",
            "iri": "https://w3id.org/mxgraph/ontology#Topic",
        },
        "entities": 84,
    }
    assert {"relation", "uses"} == set(document["relations"][0])


@pytest.mark.parametrize("fmt", list(ReportFormat))
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_every_command_in_every_format(
    runner: CliRunner, args: list[str], fmt: ReportFormat
) -> None:
    code, out, err = invoke(runner, *args, "--format", fmt.value)
    assert (code, err) == (0, "")
    assert "\x1b[" not in out  # no colours when not a terminal
    if fmt is ReportFormat.JSON:
        assert isinstance(json.loads(out), dict)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_every_command_takes_the_data_options(
    runner: CliRunner, args: list[str], tmp_path: Path
) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://example.org/x> skos:prefLabel "Extra" ; <http://example.org/p> '
        "<https://w3id.org/mxgraph/id/chile> .\n",
        encoding="utf-8",
    )
    code, _, err = invoke(
        runner, *args, "--data", str(extra), "--data-format", "turtle", "--timeout", "20"
    )
    assert (code, err) == (0, "")


def test_data_options_change_the_answer(runner: CliRunner, tiny_ttl: Path) -> None:
    code, out, _ = invoke(runner, "describe", "México", "--no-bundled", "-d", str(tiny_ttl))
    # The tiny graph labels with rdfs:label only: it has no entities.
    assert (code, out) == (1, "")
    code, out, _ = invoke(runner, "stats", "--no-bundled", "-d", str(tiny_ttl), "-f", "json")
    assert (code, json.loads(out)["entities"]) == (0, 0)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["describe", "U.S. and Mexican border states"],
            "error: 'U.S. and Mexican border states' is ambiguous: it names U.S. and Mexican "
            "border states (participant group, mxd:border-states), U.S. and Mexican border "
            "states (count, mxd:fact-border-states); give the CURIE or IRI of the one you mean",
        ),
        (
            ["describe", "Mexcio"],
            "error: no entity named 'Mexcio'; did you mean: Mexico (mxd:mexico)",
        ),
        (["describe", "mxd:p03s1"], "error: no entity with IRI 'mxd:p03s1'"),
        (["neighbors", "Chile", "--relation", "nope"], "error: no relation named 'nope'"),
        (
            ["neighbors", "Chile", "--type", "contry"],
            "error: no class named 'contry'; did you mean: country (mx:Country), count (mx:Count)",
        ),
        (["path", "Chile", "Zzyzx"], "error: no entity named 'Zzyzx'"),
        (["search", " "], "error: search text is empty"),
        (["search", "x", "--type", "nope"], "error: no class named 'nope'"),
        (
            ["describe", "<http://example.org/a b>"],
            "error: not a valid IRI: '<http://example.org/a b>'",
        ),
    ],
)
def test_errors_are_one_line_and_exit_1(runner: CliRunner, args: list[str], error: str) -> None:
    code, out, err = invoke(runner, *args)
    assert (code, out, err) == (1, "", error + "\n")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("command", ["describe", "neighbors", "path"])
def test_hostile_names_end_in_one_error_line(runner: CliRunner, command: str, name: str) -> None:
    args = [command, name] + (["Chile"] if command == "path" else [])
    code, out, err = invoke(runner, *args)
    assert (code, out) == (1, "")
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_timeout_stops_a_lookup(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "describe", "Mexico", "--timeout", "0.000001")
    assert (code, out) == (1, "")
    assert err == "error: query stopped after 1e-06 s (--timeout)\n"


def test_lookups_start_without_networkx() -> None:
    code = (
        "import sys\n"
        "from mxgraph.cli import app\n"
        "from typer.testing import CliRunner\n"
        "for args in (['describe', 'USAID'], ['search', 'merida'], ['neighbors', 'Chile'],\n"
        "             ['stats', '--top', '1']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
        "heavy = {'rdflib', 'networkx', 'pyshacl', 'owlrl'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_stats_past_its_limit_says_how_big_the_graph_is_and_how_to_allow_it(
    runner: CliRunner,
) -> None:
    code, out, err = invoke(runner, "stats", "--timeout", "0.01")
    assert (code, out) == (1, "")
    assert re.fullmatch(
        r"error: query stopped after 0\.01 s \(--timeout\): stats reads the whole graph of "
        r"[\d,]+ triples and had not finished after \d+ s; give it more time with --timeout "
        r"SECONDS, or --timeout 0 for no limit\n",
        err,
    )


def test_describe_an_unknown_name_falls_back_to_search(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "describe", "high-level border committee")
    assert (code, out) == (1, "")
    assert err == (
        "error: no entity named 'high-level border committee'; the search finds: Executive "
        "Steering Committee for 21st Century Border Management (mxd:executive-steering-committee)\n"
    )


def test_describe_suggests_the_thing_before_its_groups_and_figures(runner: CliRunner) -> None:
    # Four labels hold both words; the working group itself comes first, then the group
    # of its agencies, then the figures about border crossings.
    code, out, err = invoke(runner, "describe", "border crossings")
    assert (code, out) == (1, "")
    suggested = err.partition("the search finds: ")[2].partition("; close spellings")[0]
    assert suggested.split("; ") == [
        "U.S.-Mexico Binational Bridges and Border Crossings Group (mxd:binational-bridges-group)",
        "agencies of the multi-agency Binational Bridges and Border Crossings Group "
        "(mxd:bridges-group-agencies)",
        "Legal border crossings each day (mxd:fact-daily-border-crossings)",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["describe", "USAID"],
        ["neighbors", "Chile", "--depth", "2", "--sources"],
        ["path", "Chile", "Canada", "--format", "json"],
        ["path", "Chile", "Canada", "--max-length", "1"],
        ["search", "merida"],
        ["stats", "--format", "json"],
        ["describe", "Atlantis"],
    ],
    ids=" ".join,
)
def test_a_lookup_on_other_data_runs_in_one_walled_child(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str]
) -> None:
    """With a time limit on data other than the bundled graph alone, the whole lookup runs in
    one walled child, not a child per query, and answers as it does without a limit (in
    process)."""
    from mxgraph import deadline, query

    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/b> 'c' .\n", encoding="utf-8")
    unbounded = invoke(runner, *args, "--data", str(extra), "--timeout", "0")
    children: list[bool] = []
    real = deadline.run_in_child

    def counted(*given: Any, **options: Any) -> Any:
        children.append(options.get("offline", False))
        return real(*given, **options)

    monkeypatch.setattr(deadline, "run_in_child", counted)
    monkeypatch.setattr(query, "run_in_child", lambda *given, **options: pytest.fail("child"))
    assert invoke(runner, *args, "--data", str(extra)) == unbounded
    assert children == [True]
