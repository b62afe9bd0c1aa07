"""Every statement of the bundled graph is cited by the sentence that states it.

Each statement is in the named graph of each source sentence that states it (see
:mod:`mxgraph.provenance`). These tests check that every relation between two
nodes and every valued or dated attribute has such a sentence, that the
sentence names both ends of a relation, and that the sources survive export
in the formats that keep named graphs.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from mxgraph.export import export_graph
from mxgraph.namespaces import MXD
from mxgraph.query import SelectResult, run_query
from mxgraph.rdf_formats import RDF_FORMATS, RdfSyntax
from mxgraph.resolve import normalize_name
from mxgraph.store import MxStore, open_store

# Statements that are not claims of a sentence: what a node is and what it is called, the
# sentences' own description, and the definitions of times and controlled values.
NOT_STATEMENTS = """
  FILTER(?p NOT IN (rdf:type, mx:citation, skos:prefLabel, skos:altLabel, dct:title,
                    dct:description, skos:exactMatch, schema:sameAs, skos:inScheme,
                    skos:definition, rdfs:label, rdfs:comment, dct:language, mx:sourceFile))
  FILTER NOT EXISTS {
    ?s a ?described
    VALUES ?described { mx:SourceSentence oa:TextQuoteSelector oa:TextPositionSelector
                        time:Instant time:Interval }
  }
  FILTER NOT EXISTS { ?s a mx:FactSheet }
  FILTER NOT EXISTS { GRAPH <https://w3id.org/mxgraph/graph/ontology> { ?s ?p ?o } }
"""

STATEMENTS = f"""
SELECT ?s ?p ?o (GROUP_CONCAT(STR(?source); SEPARATOR=" ") AS ?sources) WHERE {{
  ?s ?p ?o .
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/mxgraph/id/"))
  {NOT_STATEMENTS}
  OPTIONAL {{ GRAPH ?source {{ ?s ?p ?o }} ?source a mx:SourceSentence }}
}} GROUP BY ?s ?p ?o"""

# Where a sentence names a node otherwise than by its label or an alias: by a pronoun, by
# "the two countries", "we" or "our", or as the heading of the list it is in. Each entry
# is (sentence, node): the node is named in that sentence as the comment says.
REFERRED_TO_OTHERWISE = {
    # "the two countries ... bilateral relations between the two"
    ("p03s2", "us-mexico-border"),  # "a 2,000-mile border"
    ("p03s2", "us-mexico-relations"),  # "bilateral relations between the two"
    # "It encompasses ...": the relations of p03s3
    ("p03s4", "us-mexico-relations"),
    ("p03s4", "united-states"),
    ("p03s4", "mexico"),
    ("p03s4", "us-mexico-border"),  # "legal border crossings"
    # "two-way trade", in the paragraph on U.S.-Mexico trade
    ("p05s2", "united-states"),
    ("p05s2", "mexico"),
    ("p08s4", "topic-ipr-enforcement"),  # "ineffective IP enforcement"
    ("p10s2", "topic-natural-resources"),  # "natural resource ... issues"
    ("p10s4", "topic-crossing-efficiency"),  # "improve the efficiency of existing crossings"
    ("p10s4", "topic-new-crossings-planning"),  # "coordinate planning for new ones"
    ("p10s4", "bridges-group-agencies"),  # "The multi-agency ... Group"
    ("p10s5", "binational-bridges-group"),  # "these meetings"
    ("p10s6", "border-cooperation"),  # "We have many mechanisms involving the border region"
    ("p10s6", "topic-infrastructure-and-development"),  # "coordinate infrastructure and ..."
    ("p11s1", "topic-environment"),  # "environmental ... issues"
    ("p11s1", "topic-natural-resources"),  # "natural resource issues"
    ("p11s2", "environmental-cooperation"),  # "Cooperative activities between ..."
    ("p11s2", "topic-environment"),  # "North American Commission for Environmental ..."
    ("p12s1", "telecommunications-cooperation"),  # "have cooperated on telecommunications"
    ("p12s2", "mobile-broadband-agreements"),  # "Agreements cover mobile broadband"
    ("p12s2", "telecommunications-cooperation"),  # the cooperation of p12s1
    ("p12s2", "united-states"),  # the two countries of p12s1
    ("p12s2", "mexico"),
    ("p12s3", "telecommunications-cooperation"),  # "regular consultations on telecom..."
    ("p14s2", "exchange-programs"),  # "These programs"
    ("p14s3", "exchange-programs"),  # "They"
    ("p14s4", "exchange-programs"),  # "They include"
    # "Because of our collaboration, ...": the Merida partnership of p18s1-p18s3 and its
    # results, each named in the sentence
    ("p18s4", "merida-initiative"),
    ("p18s4", "merida-outcomes"),
    ("p18s5", "us-mexico-security-cooperation"),  # "Our cooperation with Mexico"
    ("p19s2", "usaid-merida-programs"),  # "USAID programs"
    ("p23s1", "us-department-of-state"),  # "The Department's Key Officers List"
    ("p23s1", "us-consulates-in-mexico"),  # "U.S. embassy and consulate officials in Mexico"
    # Lines of the further-information list, published by U.S. agencies.
    ("p26s1", "united-states"),
    ("p33s1", "united-states"),
    ("p37s1", "united-states"),
}

# Names of the two countries in the fact sheet's own words besides their labels.
COUNTRY_WORDS = {
    "united-states": ("u.s.", "american", "two countries", "both sides", "we ", "our "),
    "mexico": ("mexican", "two countries", "both sides", "we ", "our "),
}
STOP_WORDS = {"the", "of", "and", "a", "an", "in", "on", "for", "to", "with", "by", "u", "s"}


def words(text: str) -> set[str]:
    """The content words of a text, lowercased, without accents and common endings."""
    found = set()
    for word in re.findall(r"[a-z0-9]+", normalize_name(text)):
        if word in STOP_WORDS:
            continue
        for ending in ("ing", "ed", "es", "s"):
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                word = word[: -len(ending)]
                break
        found.add(word)
    return found


@pytest.fixture(scope="module")
def store() -> MxStore:
    return open_store()


@pytest.fixture(scope="module")
def statements(store: MxStore) -> list[tuple[ox.NamedNode, ox.NamedNode, object, list[str]]]:
    result = run_query(store, STATEMENTS, timeout=None)
    assert isinstance(result, SelectResult)
    rows = []
    for s, p, o, sources in result.rows:
        assert isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode)
        cited = sources.value.split() if isinstance(sources, ox.Literal) else []
        rows.append((s, p, o, cited))
    return rows


def test_every_statement_has_a_source(
    statements: list[tuple[ox.NamedNode, ox.NamedNode, object, list[str]]],
) -> None:
    relations = [row for row in statements if isinstance(row[2], ox.NamedNode)]
    attributes = [row for row in statements if isinstance(row[2], ox.Literal)]
    assert len(relations) > 350 and len(attributes) > 40
    uncited = [f"{s.value} {p.value} {o}" for s, p, o, sources in statements if not sources]
    assert uncited == []


def test_the_cited_sentence_names_both_ends_of_each_relation(
    store: MxStore, statements: list[tuple[ox.NamedNode, ox.NamedNode, object, list[str]]]
) -> None:
    def table(sparql: str) -> dict[str, set[str]]:
        result = run_query(store, sparql, timeout=None)
        assert isinstance(result, SelectResult)
        found: dict[str, set[str]] = {}
        for node, value in result.rows:
            assert node is not None and value is not None
            found.setdefault(node.value, set()).add(value.value)  # type: ignore[union-attr]
        return found

    names = table("SELECT ?n ?name { ?n skos:prefLabel|skos:altLabel|dct:title ?name }")
    texts = {k: v.pop() for k, v in table("SELECT ?n ?t { ?n oa:hasSelector/oa:exact ?t }").items()}
    # Facts, designations and trade flows are statements themselves (n-ary); times, rank
    # categories and controlled values are parts of a fact: none is named in the text.
    parts = table(
        "SELECT DISTINCT ?n ?c { ?n a ?c . FILTER NOT EXISTS { ?n a mx:Country } "
        "?c rdfs:subClassOf* ?top VALUES ?top { mx:QuantitativeFact mx:Designation "
        "mx:TradeFlow time:Instant time:Interval mx:RankCategory mx:Unit mx:Qualifier "
        "mx:FactSheet } }"
    )

    def named_in(node: str, sentence: str) -> bool:
        local, key = node.removeprefix(MXD), sentence.removeprefix(MXD)
        text = normalize_name(texts[sentence])
        return (
            node in parts
            or not node.startswith(MXD)
            or (key, local) in REFERRED_TO_OTHERWISE
            or any(words(name) <= words(text) for name in names.get(node, ()) if words(name))
            or any(word in text for word in COUNTRY_WORDS.get(local, ()))
        )

    unnamed, used = [], set()
    for s, p, o, sources in statements:
        if not isinstance(o, ox.NamedNode):
            continue
        if not any(named_in(s.value, x) and named_in(o.value, x) for x in sources):
            unnamed.append(f"{s.value} {p.value} {o.value} {sources}")
        used |= {
            (x.removeprefix(MXD), n.removeprefix(MXD)) for x in sources for n in (s.value, o.value)
        }
    assert unnamed == []
    assert used >= REFERRED_TO_OTHERWISE  # no stale exception


def test_sources_are_sentences_and_their_statements_are_in_the_default_graph(
    store: MxStore,
) -> None:
    graphs = {quad.graph_name for quad in store.named_graph_quads()}
    sentences = {
        quad.subject
        for quad in store.oxigraph.quads_for_pattern(
            None,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("https://w3id.org/mxgraph/ontology#SourceSentence"),
            ox.DefaultGraph(),
        )
    }
    assert graphs and graphs <= sentences
    default = set(store)
    assert all(quad.triple in default for quad in store.named_graph_quads())


def test_the_one_pattern_finds_a_statement_s_sentence(store: MxStore) -> None:
    result = run_query(
        store, "SELECT ?source { GRAPH ?source { mxd:mexico mx:memberOf mxd:oecd } }"
    )
    assert [row[0].value for row in result] == [MXD + "p21s2"]  # type: ignore[union-attr]


@pytest.mark.parametrize("syntax", list(RdfSyntax), ids=lambda s: s.value)
def test_export_keeps_the_sources_in_dataset_formats(store: MxStore, syntax: RdfSyntax) -> None:
    data = export_graph(store, syntax)
    spec = RDF_FORMATS[syntax]
    again = open_store(bundled=False)
    again.load_bytes(data, f"export.{spec.extensions[0]}", spec)
    kept = sum(1 for _ in again.named_graph_quads())
    # TriG, N-Quads and JSON-LD keep every statement's sentence; triple formats cannot.
    assert kept == (sum(1 for _ in store.named_graph_quads()) if spec.dataset else 0)
    assert len(again) == len(store)


@pytest.mark.parametrize("name", ["Mexico", "USAID", "Merida Initiative", "IBWC", "SUSI"])
def test_every_relation_a_lookup_shows_has_its_sources(store: MxStore, name: str) -> None:
    from mxgraph.describe import describe_entity
    from mxgraph.neighbors import neighbors

    description = describe_entity(store, name)
    assert description.relations
    for relation in description.relations:
        assert relation.sources, relation
        assert set(relation.sources) <= set(description.sources)
        assert relation.to_json()["sources"] == [c.to_json() for c in relation.sources]
    around = neighbors(store, name)
    assert around.neighbors and all(n.sources for n in around.neighbors)
