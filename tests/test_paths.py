"""The entity graph, shortest paths between entities, and PageRank."""

from __future__ import annotations

from pathlib import Path

import pytest

from mxgraph.errors import AmbiguousEntity, EntityNotFound, MxGraphError
from mxgraph.inverses import load_inverses
from mxgraph.paths import (
    Edge,
    EntityGraph,
    load_entity_graph,
    pagerank,
    shortest_paths,
)
from mxgraph.store import MxStore, open_store

from .test_resolve import HOSTILE_NAMES

MXD = "https://w3id.org/mxgraph/id/"
MX = "https://w3id.org/mxgraph/ontology#"

CHILE_CANADA = (
    "Chile —launched, participates in→ Pacific Alliance —launched by, participant→ Mexico "
    "←cooperates with→ Canada"
)


@pytest.fixture(scope="module")
def store() -> MxStore:
    return open_store()


@pytest.fixture(scope="module")
def graph(store: MxStore) -> EntityGraph:
    return load_entity_graph(store)


def test_chile_to_canada_takes_three_steps(store: MxStore) -> None:
    result = shortest_paths(store, "Chile", "Canada")
    assert (result.start.curie, result.end.curie, result.length) == ("mxd:chile", "mxd:canada", 3)
    (path,) = result.paths
    assert path.chain() == CHILE_CANADA
    assert [step.end.curie for step in path.steps] == [
        "mxd:pacific-alliance",
        "mxd:mexico",
        "mxd:canada",
    ]
    first = path.steps[0]
    assert [(r.relation.curie, r.forward) for r in first.relations] == [
        ("mx:launched", True),
        ("mx:participatesIn", True),
    ]


def test_all_shortest_paths_are_listed_in_a_stable_order(store: MxStore) -> None:
    result = shortest_paths(store, "USAID", "Fulbright", all_paths=True, documents=True)
    assert result.length == 3
    assert [p.chain() for p in result.paths] == [
        "U.S. Agency for International Development —publishes→ USAID Mexico Page —about→ "
        "Mexico ←located in— Fulbright program in Mexico",
        "U.S. Agency for International Development —agency of→ United States ←cooperates with→ "
        "Mexico ←located in— Fulbright program in Mexico",
    ]
    assert len(shortest_paths(store, "USAID", "Fulbright", documents=True).paths) == 1
    limited = shortest_paths(store, "USAID", "Fulbright", all_paths=True, limit=1, documents=True)
    assert (len(limited.paths), limited.truncated) == (1, True)


def test_documents_are_no_hops_unless_asked_for(store: MxStore) -> None:
    chains = [p.chain() for p in shortest_paths(store, "USAID", "Fulbright", all_paths=True).paths]
    assert chains == [
        "U.S. Agency for International Development —agency of→ United States ←cooperates with→ "
        "Mexico ←located in— Fulbright program in Mexico"
    ]


def test_exclude_and_via(store: MxStore) -> None:
    without = shortest_paths(store, "USAID", "Fulbright", exclude=["cooperates with"])
    assert "cooperates with" not in without.paths[0].chain()
    through = shortest_paths(store, "Chile", "Canada", via="Peru")
    assert through.length == 5
    assert [step.end.label for step in through.paths[0].steps][:2] == ["Pacific Alliance", "Peru"]
    # Chile and Peru meet only in the Pacific Alliance, and so do Peru and Canada.
    assert [ref.label for ref in through.revisits] == ["Pacific Alliance"]
    with pytest.raises(MxGraphError, match=r"^--exclude 'nothing like it' names no relation"):
        shortest_paths(store, "Chile", "Canada", exclude=["nothing like it"])


def test_a_path_through_via_visits_each_entity_once(tmp_path: Path) -> None:
    # A -- M -- V and V -- M -- E are the shortest legs, but together they pass M twice;
    # the way round, V -- X -- Y -- E, makes a path of 5 steps that passes each once.
    data = tmp_path / "detour.ttl"
    data.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix ex: <http://example.org/> .\n"
        + "".join(f'ex:{n} skos:prefLabel "{n.upper()}" .\n' for n in "amvexy")
        + "ex:a ex:near ex:m . ex:m ex:near ex:v . ex:m ex:near ex:e .\n"
        + "ex:v ex:near ex:x . ex:x ex:near ex:y . ex:y ex:near ex:e .\n",
        encoding="utf-8",
    )
    store = open_store([data], bundled=False)
    through = shortest_paths(store, "A", "E", via="V")
    assert through.length == 5 and through.revisits == ()
    assert through.paths[0].chain() == "A —near→ M —near→ V —near→ X —near→ Y —near→ E"
    assert shortest_paths(store, "A", "E").paths[0].chain() == "A —near→ M —near→ E"
    # Both ways round are tried: here the second leg is kept and the first goes round.
    backwards = shortest_paths(store, "E", "A", via="V")
    assert backwards.revisits == () and [s.end.label for s in backwards.paths[0].steps] == [
        "Y",
        "X",
        "V",
        "M",
        "A",
    ]


def test_max_length_and_same_entity(store: MxStore) -> None:
    assert shortest_paths(store, "Chile", "Canada", max_length=2).length is None
    assert shortest_paths(store, "Chile", "Canada", max_length=3).length == 3
    same = shortest_paths(store, "Chile", "mxd:chile")
    assert (same.length, same.paths[0].chain()) == (0, "")


def test_no_path_between_unconnected_entities(tmp_path: Path) -> None:
    data = tmp_path / "islands.ttl"
    data.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix ex: <http://example.org/> .\n"
        'ex:a skos:prefLabel "A" ; ex:near ex:b . ex:b skos:prefLabel "B" .\n'
        'ex:c skos:prefLabel "C" .\n',
        encoding="utf-8",
    )
    islands = open_store([data], bundled=False)
    assert shortest_paths(islands, "A", "C").paths == ()
    assert shortest_paths(islands, "B", "A").paths[0].chain() == "B ←near— A"


def test_sentences_times_and_ontology_terms_are_not_stepping_stones(graph: EntityGraph) -> None:
    assert MXD + "p03s1" not in graph.nodes  # a source sentence
    assert MXD + "year-2018" not in graph.nodes  # a time node
    assert MXD + "fact-sheet-present" not in graph.nodes
    assert not any(iri.startswith(MX) for iri in graph.nodes)  # units, qualifiers, classes
    assert MXD + "fact-sheet" in graph.nodes  # documents are entities
    predicates = {edge.predicate for edge in graph.edges}
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" not in predicates
    assert MX + "citation" not in predicates
    assert MX + "referenceTime" not in predicates
    assert Edge(MXD + "usaid", MX + "runs", MXD + "usaid-merida-programs") in graph.edges


def test_path_errors(store: MxStore) -> None:
    with pytest.raises(EntityNotFound, match="no entity named 'Atlantis'"):
        shortest_paths(store, "Chile", "Atlantis")
    with pytest.raises(AmbiguousEntity):
        shortest_paths(store, "U.S. and Mexican border states", "Chile")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_path_hostile_names(store: MxStore, name: str) -> None:
    with pytest.raises(EntityNotFound):
        shortest_paths(store, name, "Chile")


def test_pagerank_sums_to_one_and_favours_hubs(graph: EntityGraph) -> None:
    ranks = pagerank(graph)
    assert set(ranks) == set(graph.nodes)
    assert sum(ranks.values()) == pytest.approx(1.0)
    assert max(ranks, key=ranks.__getitem__) == MXD + "mexico"


def test_pagerank_matches_networkx(graph: EntityGraph) -> None:
    import networkx

    reference_pagerank = getattr(
        networkx.algorithms.link_analysis.pagerank_alg, "_pagerank_python", None
    )
    if reference_pagerank is None:
        pytest.skip("this networkx has no pure-Python PageRank to compare with")
    weighted = networkx.Graph()
    for edge in graph.edges:
        if weighted.has_edge(edge.subject, edge.object):
            weighted.edges[edge.subject, edge.object]["weight"] += 1
        else:
            weighted.add_edge(edge.subject, edge.object, weight=1)
    expected = reference_pagerank(weighted, weight="weight", tol=1e-10, max_iter=1000)
    ours = pagerank(graph)
    assert max(abs(ours[node] - expected[node]) for node in expected) < 1e-6


def test_pagerank_of_an_empty_graph() -> None:
    assert pagerank(EntityGraph({}, {}, ())) == {}


def test_search_agrees_with_networkx_on_the_whole_graph(store: MxStore, graph: EntityGraph) -> None:
    """The breadth-first search finds every shortest path networkx finds on the full graph."""
    import itertools

    import networkx

    nx_graph = graph.to_networkx()
    names = ["mxd:chile", "mxd:usaid", "mxd:canada", "mxd:fulbright", "mxd:ibwc", "mxd:oecd"]
    iris = [MXD + name.split(":")[1] for name in names if MXD + name.split(":")[1] in nx_graph]
    assert len(iris) >= 4
    for a, b in itertools.permutations(iris, 2):
        expected = {tuple(p) for p in networkx.all_shortest_paths(nx_graph, a, b)}
        # networkx sees the whole entity graph: documents are hops there too.
        links = load_inverses(store)
        result = shortest_paths(
            store, f"<{a}>", f"<{b}>", all_paths=True, limit=1000, documents=True
        )
        found = {(a, *(step.end.iri for step in p.steps)) for p in result.paths}
        assert (result.length, found) == (len(next(iter(expected))) - 1, expected)
        first = shortest_paths(store, f"<{a}>", f"<{b}>", documents=True).paths[0]
        assert first == result.paths[0]
        for path in result.paths:
            for step in path.steps:
                # Each stated edge is a relation of the step, or the inverse of one (a link
                # stated both ways shows once).
                stated = nx_graph.edges[step.start.iri, step.end.iri]["stated"]
                shown = {(r.relation.iri, r.forward) for r in step.relations}
                for e in stated:
                    forward = e.subject == step.start.iri
                    inverse = links.inverse_of(e.predicate)
                    assert (e.predicate, forward) in shown or (inverse, not forward) in shown


def test_node_budget_stops_a_search(store: MxStore) -> None:
    with pytest.raises(MxGraphError, match="path search gave up after reaching 3 entities"):
        shortest_paths(store, "Chile", "Canada", node_budget=3)
