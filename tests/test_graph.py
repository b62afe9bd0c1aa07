"""The bundled ontology and graph: complete, correct, citable and well-formed."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from mxgraph import resources
from mxgraph.query import SelectResult, run_query
from mxgraph.rdf_formats import rdf_format_for_path
from mxgraph.reasoner import w3c_axioms_file
from mxgraph.store import MxStore, open_store
from mxgraph.validate import undeclared_terms, validate_store

TURTLE_FILES = [
    *resources.ontology_files(),
    resources.shapes_file(),
    w3c_axioms_file(),
    *resources.graph_files(),
]
SOURCE_TEXT = resources.source_text_path().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bundled_store() -> MxStore:
    return open_store()


def select(store: MxStore, sparql: str) -> list[tuple[str, ...]]:
    result = run_query(store, sparql)
    assert isinstance(result, SelectResult)
    return [tuple("" if t is None else getattr(t, "value", str(t)) for t in row) for row in result]


# --- Well-formed ------------------------------------------------------------------


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.name)
def test_turtle_parses_the_same_in_rdflib_and_oxigraph(path: Path) -> None:
    # TriG files are compared graph by graph: the named graphs are the statements' sources.
    quads = list(ox.parse(path=str(path), format=rdf_format_for_path(path).oxigraph))
    by_oxigraph: dict[str | None, list[ox.Triple]] = {}
    for quad in quads:
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        by_oxigraph.setdefault(name, []).append(quad.triple)
    by_rdflib: dict[str | None, rdflib.Graph] = {}
    if path.suffix == ".trig":
        dataset = rdflib.Dataset().parse(path, format="trig")
        for s, p, o, g in dataset.quads():
            name = None if g in (None, DATASET_DEFAULT_GRAPH_ID) else g.n3()
            by_rdflib.setdefault(name, rdflib.Graph()).add((s, p, o))
    else:
        by_rdflib[None] = rdflib.Graph().parse(path, format="turtle")
    assert by_rdflib.keys() == by_oxigraph.keys()
    for name, triples in by_oxigraph.items():
        n_triples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        assert len(by_rdflib[name]) > 0
        assert isomorphic(by_rdflib[name], rdflib.Graph().parse(data=n_triples, format="nt"))


def test_one_file_per_section() -> None:
    names = [path.name for path in resources.graph_files()]
    assert names == [
        "00-source.ttl",
        "00-time.ttl",
        "01-overview.trig",
        "02-economy.trig",
        "03-border.trig",
        "04-education.trig",
        "05-security.trig",
        "06-organizations.trig",
        "07-representation.trig",
        "08-further-information.trig",
    ]


# --- SHACL ---------------------------------------------------------------------------


def test_bundled_graph_conforms_to_shapes(bundled_store: MxStore) -> None:
    report = validate_store(bundled_store)
    assert report.violations == []
    assert report.undeclared_terms == []
    assert report.conforms


@pytest.mark.slow
@pytest.mark.parametrize(
    ("ontology_as", "inference"),
    [("data", "none"), ("ont_graph", "none"), ("ont_graph", "rdfs"), ("data", "rdfs")],
)
def test_shacl_result_does_not_depend_on_how_the_ontology_is_given(
    ontology_as: str, inference: str
) -> None:
    # pyshacl copies from an ont_graph only class and property axioms and owl:NamedIndividual
    # nodes: the controlled values (mx:Mile, time:unitYear...) are declared as such.
    import pyshacl

    data_store = open_store(bundled=False)
    for path in resources.graph_files():
        data_store.load_file(path)
    data = data_store.to_rdflib()
    ontology = rdflib.Graph()
    for path in resources.ontology_files():
        ontology.parse(path, format="turtle")
    shapes = rdflib.Graph().parse(resources.shapes_file(), format="turtle")
    if ontology_as == "data":
        data += ontology
        options = {}
    else:
        options = {"ont_graph": ontology}
    conforms, _results, text = pyshacl.validate(
        data, shacl_graph=shapes, inference=inference, advanced=True, **options
    )
    assert conforms, text


BROKEN = b"""
@prefix mx: <https://w3id.org/mxgraph/ontology#> .
@prefix mxd: <https://w3id.org/mxgraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .

mxd:uncited-org a mx:InternationalOrganization ;
    skos:prefLabel "Uncited Organization"@en .

mxd:mexico mx:memberOf mxd:topic-migration .

mxd:integer-trade a mx:TradeValue ;
    skos:prefLabel "A trade figure written as an integer"@en ;
    mx:value 5 ;
    mx:referenceTime mxd:year-2018 ;
    mx:citation mxd:p05s2 .

mxd:two-labels a mx:Country ;
    skos:prefLabel "One"@en , "Two"@en ;
    mx:citation mxd:p05s1 .
"""


def test_broken_fixture_fails_naming_node_and_constraint() -> None:
    store = open_store()
    store.load_bytes(BROKEN, "broken.ttl")
    report = validate_store(store)
    assert not report.conforms
    found = {(v.focus, v.path, v.constraint) for v in report.violations}
    assert ("mxd:uncited-org", "mx:citation", "MinCountConstraintComponent") in found
    assert ("mxd:mexico", "mx:memberOf", "ClassConstraintComponent") in found
    assert ("mxd:integer-trade", "mx:value", "DatatypeConstraintComponent") in found
    assert ("mxd:integer-trade", "schema:currency", "MinCountConstraintComponent") in found
    assert ("mxd:two-labels", "skos:prefLabel", "MaxCountConstraintComponent") in found
    ranges = [v for v in report.violations if v.constraint == "SPARQLConstraintComponent"]
    assert any("mxd:topic-migration" in v.message for v in ranges)
    line = next(str(v) for v in report.violations if v.focus == "mxd:uncited-org")
    assert line.startswith("mxd:uncited-org mx:citation: ")


# --- Closed world -----------------------------------------------------------------------


def test_typos_in_terms_are_caught() -> None:
    store = open_store(bundled=False)
    store.load_bytes(
        b"""@prefix mx: <https://w3id.org/mxgraph/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/mxgraph/id/x> a mx:Contry ;
            skos:prefLable "x"@en ;
            mx:qualifier mx:Aproximate ;
            skos:prefLabel "x"@en .""",
        "typos.ttl",
    )
    terms = [t.term for t in undeclared_terms(store)]
    assert terms == ["mx:Aproximate", "mx:Contry", "skos:prefLable"]


# Properties left without a domain or range on purpose: mx:citation may point from anything
# to a sentence; the dates are xsd:gYear or xsd:date, outside the OWL 2 datatype map, so
# SHACL checks their datatype instead.
WITHOUT_DOMAIN_OR_RANGE = [
    ("https://w3id.org/mxgraph/ontology#citation", "domain"),
    ("https://w3id.org/mxgraph/ontology#creationDate", "range"),
    ("https://w3id.org/mxgraph/ontology#launchDate", "range"),
    ("https://w3id.org/mxgraph/ontology#signingDate", "range"),
]


def test_every_ontology_term_has_label_comment_domain_range(bundled_store: MxStore) -> None:
    missing = select(
        bundled_store,
        """SELECT ?term ?what WHERE {
            VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty }
            ?term a ?kind .
            FILTER(STRSTARTS(STR(?term), STR(mx:)))
            VALUES (?what ?p) { ("label" rdfs:label) ("comment" rdfs:comment)
                                ("domain" rdfs:domain) ("range" rdfs:range) }
            FILTER(?kind != owl:Class || ?what IN ("label", "comment"))
            FILTER NOT EXISTS { ?term ?p ?value }
        } ORDER BY ?term""",
    )
    assert missing == WITHOUT_DOMAIN_OR_RANGE
    classes = select(bundled_store, "SELECT ?c WHERE { ?c a owl:Class FILTER(isIRI(?c)) }")
    assert len(classes) >= 30
    unaligned = select(
        bundled_store,
        """SELECT ?c WHERE {
            ?c a owl:Class . FILTER(isIRI(?c))
            FILTER NOT EXISTS { ?c rdfs:subClassOf ?super }
        }""",
    )
    assert unaligned == []


def test_inverse_properties_declared(bundled_store: MxStore) -> None:
    pairs = select(
        bundled_store,
        "SELECT ?p ?q WHERE { ?p owl:inverseOf ?q } ORDER BY ?p",
    )
    names = {(p.rsplit("#")[-1], q.rsplit("#")[-1]) for p, q in pairs}
    assert ("memberOf", "hasMember") in names
    assert ("partyTo", "hasParty") in names


INVERSE_PAIRS = """
    { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p }
    UNION { ?p a owl:SymmetricProperty . BIND(?p AS ?q) }
"""


def test_inverse_and_symmetric_statements_are_stated_both_ways(bundled_store: MxStore) -> None:
    # The data states both directions (#9): for every property with an owl:inverseOf, and
    # every symmetric one, each statement has its inverse in the same sentence graph(s),
    # so lookups and queries answer either way without inference.
    pairs = select(bundled_store, f"SELECT DISTINCT ?p ?q WHERE {{ {INVERSE_PAIRS} }}")
    assert len(pairs) >= 29  # 14 declared pairs, both ways, and mx:cooperatesWith
    missing = select(
        bundled_store,
        f"""SELECT ?g ?s ?p ?o WHERE {{
            {INVERSE_PAIRS}
            {{ GRAPH ?g {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?g {{ ?o ?q ?s }} }} }}
            UNION
            {{ ?s ?p ?o FILTER NOT EXISTS {{ ?o ?q ?s }} BIND("default graph" AS ?g) }}
        }} ORDER BY ?g ?s ?p ?o""",
    )
    assert missing == []
    used = select(
        bundled_store,
        f"SELECT DISTINCT ?p WHERE {{ {INVERSE_PAIRS} GRAPH ?g {{ ?s ?p ?o }} }}",
    )
    assert len(used) >= 20
    # USAID's programs are part of Merida, and Merida lists them as its parts.
    parts = select(
        bundled_store,
        "SELECT ?g WHERE { GRAPH ?g { "
        "mxd:merida-initiative mx:hasPart mxd:usaid-merida-programs } }",
    )
    assert parts == [("https://w3id.org/mxgraph/id/p19s1",)]


def test_groups_are_not_counted_as_agreements_or_programs(bundled_store: MxStore) -> None:
    # "agreements", "pacts", "programs", "plans" and "series" the source does not enumerate
    # are groups (prov:Collection), not one agreement or program each (#9).
    rows = select(
        bundled_store,
        """SELECT ?group ?class WHERE {
            VALUES ?top { mx:AgreementGroup mx:ProgramGroup }
            ?group a ?class . ?class rdfs:subClassOf* ?top .
        } ORDER BY ?group""",
    )
    groups = [g.rsplit("/", 1)[-1] for g, _ in rows]
    assert groups == [
        "border-environmental-agreements",
        "border-master-plans",
        "exchange-programs",
        "mexico-latin-america-free-trade-agreements",
        "mobile-broadband-agreements",
        "usaid-merida-programs",
    ]
    counted = select(
        bundled_store,
        """SELECT ?x WHERE {
            VALUES ?top { mx:Agreement mx:Program }
            ?x a/rdfs:subClassOf* ?top ; a/rdfs:subClassOf* prov:Collection .
        }""",
    )
    assert counted == []
    agreements = select(
        bundled_store,
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a/rdfs:subClassOf* mx:Agreement }",
    )
    assert agreements == [("7",)]


# --- Provenance ----------------------------------------------------------------------------


def test_every_quote_is_verbatim_at_its_offsets(bundled_store: MxStore) -> None:
    # The check SHACL cannot make (it cannot read the file); validate runs it too.
    rows = select(
        bundled_store,
        """SELECT ?s ?exact ?start ?end WHERE {
            ?s a mx:SourceSentence ;
               oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?exact ] ,
                              [ a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end ] .
        }""",
    )
    assert len(rows) == 73
    for sentence, exact, start, end in rows:
        assert SOURCE_TEXT[int(start) : int(end)] == exact, sentence


def test_sentences_are_web_annotation_segments(bundled_store: MxStore) -> None:
    # Each sentence is an oa:SpecificResource of the fact sheet with one quote and one
    # position selector; the offsets are xsd:nonNegativeInteger in the file, which
    # Oxigraph stores as xsd:integer.
    rows = select(
        bundled_store,
        """SELECT ?s (COUNT(DISTINCT ?quote) AS ?quotes) (COUNT(DISTINCT ?position) AS ?positions)
                  (SAMPLE(DATATYPE(?start)) AS ?type) WHERE {
            ?s a mx:SourceSentence ; oa:hasSource mxd:fact-sheet ;
               oa:hasSelector ?quote , ?position .
            ?quote a oa:TextQuoteSelector .
            ?position a oa:TextPositionSelector ; oa:start ?start .
        } GROUP BY ?s""",
    )
    assert len(rows) == 73
    assert {row[1:] for row in rows} == {("1", "1", "http://www.w3.org/2001/XMLSchema#integer")}
    source = (resources.data_root() / "graph" / "00-source.ttl").read_text(encoding="utf-8")
    assert source.count('"^^xsd:nonNegativeInteger') == 2 * 73


def test_paragraph_counts_non_blank_lines(bundled_store: MxStore) -> None:
    # mx:paragraph (the NN of pNNsM) is the position among non-blank lines, not the line number.
    lines = [line for line in SOURCE_TEXT.split("\n") if line.strip()]
    rows = select(
        bundled_store,
        """SELECT ?s ?paragraph ?exact WHERE {
            ?s mx:paragraph ?paragraph ; oa:hasSelector/oa:exact ?exact .
        }""",
    )
    for sentence, paragraph, exact in rows:
        assert exact in lines[int(paragraph) - 1], sentence
        assert sentence.rsplit("/", 1)[-1].startswith(f"p{int(paragraph):02d}s")


def test_a_wrong_quote_is_reported_by_validate() -> None:
    store = open_store()
    store.load_bytes(
        b"""@prefix mxd: <https://w3id.org/mxgraph/id/> .
        @prefix oa: <http://www.w3.org/ns/oa#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        mxd:p03s1-position oa:start "191"^^xsd:nonNegativeInteger .""",
        "shifted.ttl",
    )
    report = validate_store(store)
    assert [(v.focus, v.constraint) for v in report.violations if v.path == "oa:exact"] == [
        ("mxd:p03s1", "QuoteCheck")
    ]


def test_every_sentence_of_the_fact_sheet_is_cited(bundled_store: MxStore) -> None:
    uncited = select(
        bundled_store,
        """SELECT ?exact WHERE {
            ?s a mx:SourceSentence ; oa:hasSelector/oa:exact ?exact .
            FILTER NOT EXISTS { ?thing mx:citation ?s }
        }""",
    )
    # Only the web page's own furniture after the fact sheet goes uncited.
    assert sorted(e for (e,) in uncited) == [
        "Our new design makes it easier to find and learn about the State Department’s "
        "programs and services—from passports and visas to learning how U.S. diplomacy "
        "benefits the American people.",
        "Welcome to the new State.gov",
    ]


def test_sentences_belong_to_the_fact_sheet_with_title_and_publisher(
    bundled_store: MxStore,
) -> None:
    rows = select(
        bundled_store,
        """SELECT DISTINCT ?title ?publisher WHERE {
            ?s a mx:SourceSentence ; oa:hasSource ?doc .
            ?doc dct:title ?title ; mx:publishedBy/skos:prefLabel ?publisher .
        }""",
    )
    assert rows == [("U.S. Relations With Mexico", "U.S. Department of State")]


# Each figure of the fact sheet: the words in the source, the fact node, its value,
# and the qualifier words kept with it ("" where the text has none).
FIGURES = [
    ("2,000-mile border", "fact-border-length", "2000", ""),
    ("55 active ports of entry", "fact-ports-of-entry", "55", ""),
    ("some 1.7 billion dollars of two-way trade", "fact-daily-two-way-trade", "1700000000", "some"),
    (
        "hundreds of thousands of legal border crossings",
        "fact-daily-border-crossings",
        "",
        "hundreds of thousands",
    ),
    ("1.5 million U.S. citizens live in Mexico", "fact-us-citizens-in-mexico", "1500000", ""),
    ("totaled $678 billion", "fact-two-way-trade-2018", "678000000000", ""),
    (
        "About 80 percent of Mexico’s exports in 2018",
        "fact-mexico-export-share-2018",
        "80",
        "about",
    ),
    ("stands at $109.7 billion", "fact-us-fdi-in-mexico", "109700000000", ""),
    ("United States is $18 billion", "fact-mexican-fdi-in-us", "18000000000", ""),
    ("Eleven Pacific Rim countries", "fact-cptpp-signatories", "11", ""),
    (
        "approximately 15 million people",
        "fact-border-region-population",
        "15000000",
        "approximately",
    ),
    ("meets three times a year", "fact-bridges-group-meetings", "3", ""),
    ("The ten U.S. and Mexican border states", "fact-border-states", "10", ""),
    ("for more than 50 years", "fact-telecommunications-cooperation-duration", "", "more than"),
    ("more than 3,500 students", "fact-fulbright-garcia-robles-recipients", "", "more than"),
    ("appropriated $2.8 billion", "fact-merida-appropriation", "2800000000", ""),
    ("millions of Americans", "fact-americans-affected", "", "millions of"),
]

# Figures the source gives only as bounds (#9): mx:value holds a figure only when the
# sentence states it; "more than" is an exclusive lower bound, an order of magnitude an
# inclusive lower and an exclusive upper bound. (fact, lower, exclusive lower, upper,
# exclusive upper)
BOUNDS = [
    ("fact-americans-affected", "1000000", "", "", "1000000000"),
    ("fact-daily-border-crossings", "100000", "", "", "1000000"),
    ("fact-fulbright-garcia-robles-recipients", "", "3500", "", ""),
    ("fact-telecommunications-cooperation-duration", "", "50", "", ""),
]


def test_bounded_figures_have_bounds_and_no_value(bundled_store: MxStore) -> None:
    rows = select(
        bundled_store,
        """SELECT ?f ?lower ?xlower ?upper ?xupper WHERE {
            ?f a/rdfs:subClassOf* mx:QuantitativeFact .
            OPTIONAL { ?f mx:lowerBound ?lower }
            OPTIONAL { ?f mx:exclusiveLowerBound ?xlower }
            OPTIONAL { ?f mx:upperBound ?upper }
            OPTIONAL { ?f mx:exclusiveUpperBound ?xupper }
            FILTER(BOUND(?lower) || BOUND(?xlower) || BOUND(?upper) || BOUND(?xupper))
            FILTER NOT EXISTS { ?f mx:value ?value }
        } ORDER BY ?f""",
    )
    assert [(f.rsplit("/", 1)[-1], *rest) for f, *rest in rows] == BOUNDS
    with_value_and_bounds = select(
        bundled_store,
        """SELECT ?f WHERE {
            ?f mx:value ?v ;
               mx:lowerBound|mx:exclusiveLowerBound|mx:upperBound|mx:exclusiveUpperBound ?b
        }""",
    )
    assert with_value_and_bounds == []


def test_a_bound_written_as_a_value_is_reported() -> None:
    store = open_store()
    store.load_bytes(
        b"""@prefix mx: <https://w3id.org/mxgraph/ontology#> .
        @prefix mxd: <https://w3id.org/mxgraph/id/> .
        mxd:fact-fulbright-garcia-robles-recipients mx:value 3500.0 .
        mxd:fact-telecommunications-cooperation-duration mx:lowerBound 50.0 .""",
        "bound-as-value.ttl",
    )
    report = validate_store(store)
    focus = sorted({v.focus for v in report.violations})
    assert focus == [
        "mxd:fact-fulbright-garcia-robles-recipients",
        "mxd:fact-telecommunications-cooperation-duration",
    ]


@pytest.mark.parametrize(
    ("words", "fact", "value", "qualifier"), FIGURES, ids=[f[1] for f in FIGURES]
)
def test_figure_matches_its_source_sentence(
    bundled_store: MxStore, words: str, fact: str, value: str, qualifier: str
) -> None:
    rows = select(
        bundled_store,
        f"""SELECT ?value ?qualifier ?sentence WHERE {{
            mxd:{fact} mx:citation/oa:hasSelector/oa:exact ?sentence .
            OPTIONAL {{ mxd:{fact} mx:value ?value }}
            OPTIONAL {{ mxd:{fact} mx:qualifierText ?qualifier }}
        }}""",
    )
    assert len(rows) == 1
    got_value, got_qualifier, sentence = rows[0]
    assert words in sentence
    assert got_value == value
    assert got_qualifier == qualifier
    if qualifier:
        assert qualifier.lower() in sentence.lower()


def test_monetary_values_are_decimals_in_full_units(bundled_store: MxStore) -> None:
    rows = select(
        bundled_store,
        """SELECT ?fact (DATATYPE(?v) AS ?type) ?currency WHERE {
            ?fact a/rdfs:subClassOf* mx:MonetaryFact ; mx:value ?v ; schema:currency ?currency .
        }""",
    )
    assert len(rows) == 5
    assert {(t, c) for _, t, c in rows} == {("http://www.w3.org/2001/XMLSchema#decimal", "USD")}


# --- Wikidata ------------------------------------------------------------------------------


def test_wikidata_links_only_from_the_reference_table(bundled_store: MxStore) -> None:
    table = Path(__file__).parent / "data" / "wikidata-ids.tsv"
    with table.open(encoding="utf-8") as handle:
        known = {row["wikidata_id"] for row in csv.DictReader(handle, delimiter="\t")}
    linked = select(
        bundled_store,
        "SELECT ?entity ?q WHERE { ?entity schema:sameAs ?q }",
    )
    qids = [q.rsplit("/", 1)[-1] for _, q in linked]
    assert len(qids) == len(set(qids)) == 18
    assert set(qids) <= known
    # No SKOS mapping property: skos:exactMatch would make countries and organizations concepts.
    assert select(bundled_store, "SELECT ?a WHERE { ?a skos:exactMatch|skos:closeMatch ?b }") == []
