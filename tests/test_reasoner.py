"""The ontology stays sound next to the W3C vocabularies it reuses.

Two reasoners close ontology + data + the W3C axioms (ontology/w3c-axioms.ttl):
HermiT (OWL 2 DL, through owlready2) and owlrl (OWL 2 RL, as ``--infer`` uses).
Neither finds an inconsistency, HermiT finds no unsatisfiable class, and no
entity gets a type a domain expert would call absurd. Each reasoner runs once
per session; the tests that change the input use small graphs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable

import pyoxigraph as ox
import pytest
import rdflib

from mxgraph import resources
from mxgraph.errors import MxGraphError
from mxgraph.infer import closure, infer_store
from mxgraph.namespaces import MX, MXD, PREFIXES, XSD
from mxgraph.reasoner import (
    ConsistencyReport,
    check_consistency,
    reasoner_input,
    w3c_axioms_file,
)
from mxgraph.store import MxStore, open_store

pytestmark = pytest.mark.slow

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")

SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "http://schema.org/"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SENTENCE_DERIVATION = """
PREFIX mx: <https://w3id.org/mxgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?entity ?sentence WHERE {
    ?entity prov:wasDerivedFrom ?sentence . ?sentence a mx:SourceSentence
}
"""

# Types that must never appear, by the kind of entity the data asserts. A country,
# agency or organization is no concept, document, activity or program; a program is
# no organization (schema:Project would make it one) and no agent.
NOT_A_CONCEPT_DOCUMENT_ACTIVITY_OR_PROGRAM = {
    SKOS_CONCEPT,
    MX.Topic,
    MX.Document,
    SCHEMA + "CreativeWork",
    SCHEMA + "Legislation",
    PROV + "Activity",
    MX.Cooperation,
    MX.Program,
    SCHEMA + "Project",
    PROV + "Entity",
}
ABSURD = {
    MX.Country: NOT_A_CONCEPT_DOCUMENT_ACTIVITY_OR_PROGRAM,
    MX.GovernmentAgency: NOT_A_CONCEPT_DOCUMENT_ACTIVITY_OR_PROGRAM,
    MX.Organization: NOT_A_CONCEPT_DOCUMENT_ACTIVITY_OR_PROGRAM,
    MX.Program: {
        MX.Organization,
        ORG + "Organization",
        SCHEMA + "Organization",
        FOAF + "Organization",
        PROV + "Agent",
        SKOS_CONCEPT,
    },
    MX.Cooperation: {PROV + "Entity", SKOS_CONCEPT},
    MX.PopulationGroup: {PROV + "Agent"},
    MX.ParticipantGroup: {SKOS_CONCEPT},
}

# What a domain expert expects each of these to be, and nothing more (owl:Thing aside).
EXPECTED_TYPES = {
    MXD.mexico: {
        MX.Country,
        SCHEMA + "Country",
        SCHEMA + "AdministrativeArea",
        SCHEMA + "Place",
        SCHEMA + "Thing",
        PROV + "Agent",
        FOAF + "Agent",
    },
    MXD.usaid: {
        MX.USGovernmentAgency,
        MX.GovernmentAgency,
        MX.Organization,
        ORG + "FormalOrganization",
        ORG + "Organization",
        FOAF + "Organization",
        FOAF + "Agent",
        SCHEMA + "GovernmentOrganization",
        SCHEMA + "Organization",
        SCHEMA + "Thing",
        PROV + "Agent",
        "http://purl.org/dc/terms/Agent",  # it publishes documents (dct:publisher's range)
    },
    MXD["merida-initiative"]: {MX.Initiative, MX.Program, PROV + "Entity"},
}


def members(store: MxStore, kinds: Iterable[str]) -> dict[str, set[str]]:
    """The asserted instances of each class (through rdfs:subClassOf), by class."""
    found: dict[str, set[str]] = {}
    for kind in kinds:
        solutions = store.oxigraph.query(
            "SELECT DISTINCT ?x WHERE { ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
            f"<{kind}> FILTER(isIRI(?x)) }}"
        )
        assert isinstance(solutions, ox.QuerySolutions)
        found[kind] = {row["x"].value for row in solutions}
    return found


def absurd_types(store: MxStore, types: Callable[[str], set[str]]) -> list[tuple[str, str]]:
    """(entity, type) pairs the ABSURD table forbids."""
    found = []
    for kind, entities in members(store, ABSURD).items():
        found += [(e, t) for e in sorted(entities) for t in sorted(types(e) & ABSURD[kind])]
    return found


@pytest.fixture(scope="session")
def bundled() -> MxStore:
    return open_store()


def everyone(store: MxStore) -> list[str]:
    return sorted(set().union(*members(store, ABSURD).values()) | set(EXPECTED_TYPES))


@pytest.fixture(scope="session")
def hermit(bundled: MxStore) -> ConsistencyReport:
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java")
    return check_consistency(bundled, types_of=everyone(bundled))


@pytest.fixture(scope="session")
def hermit_alone(bundled: MxStore) -> ConsistencyReport:
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java")
    return check_consistency(bundled, w3c_axioms=False)


@pytest.fixture(scope="session")
def owl_rl(bundled: MxStore) -> rdflib.Graph:
    """The OWL 2 RL closure of ontology + data + the W3C axioms."""
    graph = bundled.to_rdflib()
    graph.parse(w3c_axioms_file(), format="turtle")
    return closure(graph)


# --- HermiT -------------------------------------------------------------------------------


def test_hermit_finds_ontology_and_data_consistent_alone(hermit_alone: ConsistencyReport) -> None:
    assert hermit_alone.ok, hermit_alone.summary()
    assert hermit_alone.summary() == (
        "consistent (HermiT, ontology and data alone): no unsatisfiable class"
    )


def test_hermit_finds_them_consistent_with_the_w3c_axioms(hermit: ConsistencyReport) -> None:
    assert hermit.ok, hermit.summary()
    assert hermit.unsatisfiable == []
    assert hermit.summary() == "consistent (HermiT, with the W3C axioms): no unsatisfiable class"


def test_hermit_infers_no_absurd_type(bundled: MxStore, hermit: ConsistencyReport) -> None:
    def types(iri: str) -> set[str]:
        return {_expand(c) for c in hermit.types[iri]}

    assert absurd_types(bundled, types) == []


@pytest.mark.parametrize("entity", sorted(EXPECTED_TYPES), ids=lambda iri: iri.rsplit("/")[-1])
def test_hermit_types_are_what_an_expert_expects(hermit: ConsistencyReport, entity: str) -> None:
    assert {_expand(c) for c in hermit.types[entity]} == EXPECTED_TYPES[entity]


def _expand(name: str) -> str:
    if name.startswith("<"):
        return name[1:-1]
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


# --- OWL 2 RL -----------------------------------------------------------------------------


def owl_rl_errors(graph: rdflib.Graph) -> list[str]:
    error = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
    return sorted(str(message) for message in graph.objects(None, error))


def test_owl_rl_finds_no_inconsistency(owl_rl: rdflib.Graph) -> None:
    assert owl_rl_errors(owl_rl) == []


def test_owl_rl_infers_no_absurd_type(bundled: MxStore, owl_rl: rdflib.Graph) -> None:
    def types(iri: str) -> set[str]:
        return {str(t) for t in owl_rl.objects(rdflib.URIRef(iri), rdflib.RDF.type)}

    assert absurd_types(bundled, types) == []
    assert list(owl_rl.query(SENTENCE_DERIVATION)) == []


@pytest.mark.parametrize("entity", sorted(EXPECTED_TYPES), ids=lambda iri: iri.rsplit("/")[-1])
def test_owl_rl_types_are_what_an_expert_expects(owl_rl: rdflib.Graph, entity: str) -> None:
    types = owl_rl.objects(rdflib.URIRef(entity), rdflib.RDF.type)
    found = {str(t) for t in types if isinstance(t, rdflib.URIRef)}  # union classes aside
    assert found - {"http://www.w3.org/2002/07/owl#Thing"} == EXPECTED_TYPES[entity]


def test_infer_reports_no_inconsistency_and_no_absurd_type(bundled: MxStore) -> None:
    # What --infer adds (ontology and data, without the W3C axioms).
    inference = infer_store(bundled)
    assert inference.inconsistencies == []
    store = inference.store

    def types(iri: str) -> set[str]:
        solutions = store.oxigraph.query(f"SELECT ?t WHERE {{ <{iri}> a ?t }}")
        assert isinstance(solutions, ox.QuerySolutions)
        return {row["t"].value for row in solutions}

    assert absurd_types(bundled, types) == []
    derived = store.oxigraph.query(SENTENCE_DERIVATION)
    assert isinstance(derived, ox.QuerySolutions)
    assert list(derived) == []


# --- The checks bite ------------------------------------------------------------------------

OLD_CITATION = b"""
@prefix mx: <https://w3id.org/mxgraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
mx:citation rdfs:subPropertyOf prov:wasDerivedFrom .
"""


def test_owl_rl_and_absurd_types_catch_the_old_citation_and_wikidata_links(
    bundled: MxStore,
) -> None:
    # mx:citation under prov:wasDerivedFrom made cooperation (a prov:Activity) a prov:Entity,
    # and skos:exactMatch made Mexico a skos:Concept. A small graph shows both come back.
    graph = rdflib.Graph()
    for path in resources.ontology_files():
        graph.parse(path, format="turtle")
    graph.parse(w3c_axioms_file(), format="turtle")
    graph.parse(data=OLD_CITATION, format="turtle")
    graph.parse(
        data="""@prefix mx: <https://w3id.org/mxgraph/ontology#> .
        @prefix mxd: <https://w3id.org/mxgraph/id/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        mxd:mexico a mx:Country ; skos:exactMatch <http://www.wikidata.org/entity/Q96> .
        mxd:border-cooperation a mx:Cooperation ; mx:citation mxd:p19s2 .
        mxd:p19s2 a mx:SourceSentence .""",
        format="turtle",
    )
    closure(graph)
    assert owl_rl_errors(graph) == [
        "Disjoint classes http://www.w3.org/ns/prov#Activity and http://www.w3.org/ns/prov#Entity "
        "have a common individual https://w3id.org/mxgraph/id/border-cooperation"
    ]
    assert (rdflib.URIRef(MXD.mexico), rdflib.RDF.type, rdflib.URIRef(SKOS_CONCEPT)) in graph
    assert len(list(graph.query(SENTENCE_DERIVATION))) == 1


@needs_java
def test_hermit_catches_the_old_citation(bundled: MxStore) -> None:
    store = open_store()
    store.load_bytes(OLD_CITATION, "old-citation.ttl")
    assert check_consistency(store, w3c_axioms=False).consistent  # alone it is harmless
    report = check_consistency(store)
    assert report.summary() == "inconsistent (HermiT, with the W3C axioms)"


# --- Years, dates and the OWL 2 datatype map ----------------------------------------------

SMALL = """@prefix ex: <http://ex.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def small_store(turtle: str) -> MxStore:
    store = open_store(bundled=False)
    store.load_bytes((SMALL + turtle).encode(), "small.ttl")
    return store


@needs_java
@pytest.mark.parametrize(
    ("turtle", "consistent"),
    [
        # A year where a number is expected: HermiT's --ignoreUnsupportedDatatypes would pass it.
        (
            'ex:p a owl:DatatypeProperty ; rdfs:range xsd:integer . ex:a ex:p "2018"^^xsd:gYear .',
            False,
        ),
        # Two years for a functional property: also hidden by ignoring the datatype.
        (
            "ex:p a owl:DatatypeProperty , owl:FunctionalProperty . "
            'ex:a ex:p "2018"^^xsd:gYear , "2019"^^xsd:gYear .',
            False,
        ),
        # A year and a date of that year are different values.
        (
            "ex:p a owl:DatatypeProperty , owl:FunctionalProperty . "
            'ex:a ex:p "2018"^^xsd:gYear , "2018-01-01"^^xsd:date .',
            False,
        ),
        # The same year twice is one value.
        (
            "ex:p a owl:DatatypeProperty , owl:FunctionalProperty . "
            'ex:a ex:p "2018"^^xsd:gYear . ex:b ex:p "2018"^^xsd:gYear .',
            True,
        ),
    ],
    ids=["year-for-integer", "two-years-functional", "year-and-date-differ", "same-year"],
)
def test_years_and_dates_keep_their_errors(turtle: str, consistent: bool) -> None:
    report = check_consistency(small_store(turtle), w3c_axioms=False)
    assert report.problems == []
    assert report.consistent is consistent


@needs_java
def test_negative_offset_is_inconsistent_with_web_annotation() -> None:
    store = small_store(
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "ex:s a oa:TextPositionSelector ; oa:start -1 ; oa:end 3 ."
    )
    assert check_consistency(store, w3c_axioms=False).consistent
    assert not check_consistency(store).consistent


def test_datatypes_outside_the_map_are_reported_not_ignored() -> None:
    report = check_consistency(
        small_store(
            'ex:p a owl:DatatypeProperty ; rdfs:range xsd:gYear . ex:a ex:q "P1Y"^^xsd:duration .'
        ),
        w3c_axioms=False,
    )
    assert not report.ok
    assert report.problems == [
        "xsd:gYear used as a datatype in an axiom (1 triple), outside the OWL 2 datatype map",
        "1 xsd:duration literal outside the OWL 2 datatype map",
    ]
    assert report.summary().startswith("not checked (HermiT, ontology and data alone): ")


def test_malformed_year_is_reported() -> None:
    gyear = ox.NamedNode(XSD.gYear)
    a, p = ox.NamedNode("http://ex.org/a"), ox.NamedNode("http://ex.org/p")
    _, problems = reasoner_input([ox.Triple(a, p, ox.Literal("MMXVIII", datatype=gyear))])
    assert problems == ["1 malformed xsd:gYear"]


def test_the_bundled_graph_gives_hermit_nothing_to_leave_out(bundled: MxStore) -> None:
    kept, problems = reasoner_input(bundled)
    assert problems == []
    assert len(kept) == len(bundled)


def test_missing_java_is_one_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(MxGraphError, match=r"needs a Java runtime .* --no-reasoner skips it"):
        check_consistency(small_store("ex:a ex:p ex:b ."), w3c_axioms=False)
