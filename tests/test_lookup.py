"""Lookups in the library: describe, neighbors, search and stats over the bundled graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from mxgraph.backend import LocalBackend
from mxgraph.describe import describe_entity
from mxgraph.direction import Direction
from mxgraph.errors import AmbiguousEntity, EntityNotFound, MxGraphError
from mxgraph.lookup_format import amount
from mxgraph.neighbors import neighbors
from mxgraph.resolve import load_entity_index, normalize_name
from mxgraph.resources import source_text_path
from mxgraph.search import SCORES, match_score, search_entities
from mxgraph.search_text import stems_match
from mxgraph.stats import graph_stats
from mxgraph.store import MxStore, open_store

from .test_resolve import HOSTILE_NAMES

MXD = "https://w3id.org/mxgraph/id/"


@pytest.fixture(scope="module")
def store() -> MxStore:
    return open_store()


# --- describe ---------------------------------------------------------------------------


def test_describe_usaid(store: MxStore) -> None:
    usaid = describe_entity(store, "USAID")
    assert usaid.entity.curie == "mxd:usaid"
    assert [(t.label, t.curie) for t in usaid.types] == [
        ("U.S. government agency", "mx:USGovernmentAgency")
    ]
    assert usaid.aliases == ("USAID", "United States Agency for International Development")
    assert usaid.wikidata == ("http://www.wikidata.org/entity/Q217072",)
    # Each link once, though the data states runs / run by and publishes / published by.
    assert [(r.direction.value, r.relation.label, r.other.label) for r in usaid.relations] == [
        ("out", "agency of", "United States"),
        ("out", "publishes", "USAID Mexico Page"),
        ("out", "runs", "USAID programs under the Merida Initiative"),
    ]
    first = usaid.sources[0]
    assert (first.sentence.curie, first.start, first.end) == ("mxd:p19s1", 8724, 8891)
    assert first.quote.startswith(
        "U.S. Agency for International Development (USAID) programs under the Merida "
        "Initiative support Mexican efforts"
    )


def test_quotes_are_the_source_text_at_their_offsets(store: MxStore) -> None:
    text = source_text_path().read_text(encoding="utf-8")
    merida = describe_entity(store, "Merida Initiative")
    citations = [*merida.sources, *(c for f in merida.facts for c in f.sources)]
    assert citations
    for citation in citations:
        assert citation.start is not None and citation.end is not None
        assert text[citation.start : citation.end] == citation.quote


def test_describe_facts_with_values_units_and_times(store: MxStore) -> None:
    merida = describe_entity(store, "merida")
    (fact,) = merida.facts
    assert fact.fact.curie == "mxd:fact-merida-appropriation"
    assert (fact.role.label, fact.value, fact.currency) == ("about", 2800000000, "USD")
    assert fact.time is not None and fact.time.label == "2008–2018"
    assert [(link.relation.label, link.other.label) for link in fact.links] == [
        ("origin", "United States")
    ]
    assert [c.sentence.curie for c in fact.sources] == ["mxd:p18s3"]

    border = describe_entity(store, "U.S.-Mexico border")
    crossings = next(f for f in border.facts if f.fact.curie == "mxd:fact-daily-border-crossings")
    # "hundreds of thousands": at least 100,000 and under 1,000,000 (#9).
    assert (
        crossings.lower_bound,
        crossings.upper_bound,
        crossings.exclusive_upper_bound,
        crossings.value,
    ) == (100000, None, 1000000, None)
    assert crossings.qualifier_text == "hundreds of thousands"
    assert crossings.qualifier is not None and crossings.qualifier.label == "order of magnitude"
    assert crossings.per is not None and crossings.per.label == "day"
    assert amount(crossings) == (
        "100,000 to under 1,000,000 border crossings per day (hundreds of thousands)"
    )


def test_describe_ranks_and_shares(store: MxStore) -> None:
    facts = {f.fact.curie: f for f in describe_entity(store, "Mexico").facts}
    assert facts["mxd:fact-export-market-rank"].ordinal == 2
    assert facts["mxd:fact-export-market-rank"].role.label == "ranked entity"
    share = facts["mxd:fact-mexico-export-share-2018"]
    assert (share.value, share.qualifier_text, share.role.label) == (80, "about", "origin")
    assert share.unit is not None and share.unit.curie == "mx:Percent"


def test_describe_keeps_literals_as_attributes(store: MxStore) -> None:
    alliance = describe_entity(store, "Pacific Alliance")
    attributes = {(a.property.label, a.value, a.datatype) for a in alliance.attributes}
    assert ("launch date", "2012", "xsd:gYear") in attributes
    assert alliance.description is not None and "launched in 2012" in alliance.description


def test_describe_without_ontology(tmp_path: Path) -> None:
    data = tmp_path / "tiny.ttl"
    data.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix ex: <http://example.org/> .\n"
        'ex:a skos:prefLabel "Alpha" ; ex:knowsPerson ex:b ; ex:size 3 .\n'
        'ex:b skos:prefLabel "Beta" .\n',
        encoding="utf-8",
    )
    alpha = describe_entity(open_store([data], bundled=False), "alpha")
    assert [(r.relation.label, r.other.label) for r in alpha.relations] == [
        ("knows person", "Beta")
    ]
    assert [(a.property.curie, a.value) for a in alpha.attributes] == [
        ("<http://example.org/size>", "3")
    ]


def test_describe_errors(store: MxStore) -> None:
    with pytest.raises(AmbiguousEntity):
        describe_entity(store, "U.S. and Mexican border states")
    with pytest.raises(EntityNotFound):
        describe_entity(store, "Atlantis")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_describe_hostile_names(store: MxStore, name: str) -> None:
    with pytest.raises(EntityNotFound):
        describe_entity(store, name)


def test_describe_through_a_timed_backend_is_the_same(store: MxStore) -> None:
    assert describe_entity(LocalBackend(store, timeout=10), "USAID") == describe_entity(
        store, "USAID"
    )


# --- neighbors --------------------------------------------------------------------------


def _rows(name: str, store: MxStore, **options: object) -> list[tuple[object, ...]]:
    found = neighbors(store, name, **options)  # type: ignore[arg-type]
    return [
        (n.depth, n.via.label, n.direction.value, n.relation.label, n.entity.label)
        for n in found.neighbors
    ]


def test_neighbors_depth_one(store: MxStore) -> None:
    # Stated both ways (launched / launched by): each link once, as Chile states it.
    assert _rows("Chile", store) == [
        (1, "Chile", "out", "launched", "Pacific Alliance"),
        (1, "Chile", "out", "participates in", "Pacific Alliance"),
    ]


def test_neighbors_depth_two_and_filters(store: MxStore) -> None:
    rows = _rows("Chile", store, depth=2)
    assert len(rows) == 11
    assert {r[4] for r in rows if r[0] == 2} == {
        "Colombia",
        "Mexico",
        "Peru",
        "regional economic integration",
        "liberalizing trade and investment",
        "facilitating the movement of citizens",
    }
    assert {r[4] for r in _rows("Chile", store, depth=2, type="country")} == {
        "Colombia",
        "Mexico",
        "Peru",
    }
    assert _rows("Chile", store, depth=3, relation="mx:launchedBy") == [
        (1, "Chile", "in", "launched by", "Pacific Alliance"),
        (2, "Pacific Alliance", "out", "launched by", "Colombia"),
        (2, "Pacific Alliance", "out", "launched by", "Mexico"),
        (2, "Pacific Alliance", "out", "launched by", "Peru"),
    ]
    assert _rows("Chile", store, direction="out") == [
        (1, "Chile", "out", "launched", "Pacific Alliance"),
        (1, "Chile", "out", "participates in", "Pacific Alliance"),
    ]
    assert _rows("Chile", store, direction=Direction.IN, relation="Participant") == [
        (1, "Chile", "in", "participant", "Pacific Alliance")
    ]


def test_neighbors_leave_out_sentences_times_and_ontology_terms(store: MxStore) -> None:
    found = neighbors(store, "mxd:fact-border-length", depth=1)
    assert [n.entity.curie for n in found.neighbors] == ["mxd:us-mexico-border"]


def test_neighbors_errors(store: MxStore) -> None:
    with pytest.raises(EntityNotFound) as caught:
        neighbors(store, "Chile", relation="lanched by")
    assert str(caught.value).startswith(
        "no relation named 'lanched by'; did you mean: launched by (mx:launchedBy)"
    )
    with pytest.raises(EntityNotFound) as caught:
        neighbors(store, "Chile", type="contry")
    assert str(caught.value) == (
        "no class named 'contry'; did you mean: country (mx:Country), count (mx:Count)"
    )
    with pytest.raises(MxGraphError):
        neighbors(store, "Chile", depth=0)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_neighbors_hostile_relation_and_class(store: MxStore, name: str) -> None:
    with pytest.raises(EntityNotFound):
        neighbors(store, "Chile", relation=name)
    with pytest.raises(EntityNotFound):
        neighbors(store, "Chile", type=name)


# --- search -----------------------------------------------------------------------------


def test_search_ranks_label_prefix_words_and_descriptions(store: MxStore) -> None:
    found = search_entities(store, "merida")
    assert [(h.entity.curie, h.score, h.field) for h in found.hits[:4]] == [
        ("mxd:merida-initiative", 95, "alias"),
        # At equal score the programs come before the figure about the initiative.
        ("mxd:usaid-merida-programs", 60, "label"),
        ("mxd:fact-merida-appropriation", 60, "label"),
        ("mxd:mexican-institutions-capacity", 30, "description"),
    ]
    # Then entities citing a sentence that names the Merida Initiative, by label.
    cited = found.hits[4:]
    assert len(cited) == 16
    assert {(h.score, h.field) for h in cited} == {(SCORES["sentence words"], "sentence")}
    assert all(h.sentence is not None and "Merida" in h.matched for h in cited)
    assert [h.entity.label.casefold() for h in cited] == sorted(
        h.entity.label.casefold() for h in cited
    )


@pytest.mark.parametrize("text", ["Mérida", "MERIDA", "  merida "])
def test_search_ignores_case_and_accents(store: MxStore, text: str) -> None:
    assert search_entities(store, text).hits[0].entity.curie == "mxd:merida-initiative"


def test_search_exact_label_and_alias(store: MxStore) -> None:
    assert [(h.entity.curie, h.score) for h in search_entities(store, "mexico", limit=1).hits] == [
        ("mxd:mexico", SCORES["exact label"])
    ]
    hits = search_entities(store, "OECD").hits
    assert (hits[0].entity.curie, hits[0].score, hits[0].field) == ("mxd:oecd", 95, "alias")


def test_search_type_and_limit(store: MxStore) -> None:
    found = search_entities(store, "mexico", type="country")
    assert [h.entity.curie for h in found.hits if h.field != "sentence"] == ["mxd:mexico"]
    assert found.hits[0].entity.curie == "mxd:mexico"  # the other countries: by sentence
    assert found.type is not None and found.type.curie == "mx:Country"
    assert len(search_entities(store, "border", limit=3).hits) == 3
    agencies = search_entities(store, "agency", type="government agency").hits
    assert agencies and all(
        {"U.S. government agency", "Mexican government agency", "embassy"}
        & {t.label for t in h.types}
        for h in agencies
    )


#: Hostile texts whose words do match entities; every other hostile name matches nothing.
HOSTILE_WORD_MATCHES = {
    "USAID' }": ["mxd:usaid-mexico-page", "mxd:usaid-merida-programs", "mxd:usaid"],
    "Mexico\nUSAID": ["mxd:usaid-mexico-page"],
}


@pytest.mark.parametrize("text", HOSTILE_NAMES)
def test_search_hostile_text_finds_nothing_extra(store: MxStore, text: str) -> None:
    hits = search_entities(store, text).hits
    own = [h.entity.curie for h in hits if h.field != "sentence"]
    assert own == HOSTILE_WORD_MATCHES.get(text, [])
    # A sentence is found by the words of the text, never by its quotes or braces.
    cited = [h for h in hits if h.field == "sentence"]
    assert all(stems_match(normalize_name(text), normalize_name(h.matched)) for h in cited)
    assert bool(cited) == (text in HOSTILE_WORD_MATCHES)


def test_search_errors(store: MxStore) -> None:
    with pytest.raises(MxGraphError, match="search text is empty"):
        search_entities(store, "   ")
    with pytest.raises(MxGraphError):
        search_entities(store, "x", limit=0)


@pytest.mark.parametrize(
    ("query", "text", "field", "score"),
    [
        ("merida initiative", "Merida Initiative", "label", 100),
        ("merida", "Merida Initiative", "label", 90),
        ("merida", "Merida", "alias", 95),
        ("meri", "Merida", "alias", 70),
        ("initiative merida", "Merida Initiative", "label", 60),
        ("initiative merida", "Merida Initiative", "alias", 55),
        ("rida ini", "Merida Initiative", "label", 50),
        ("rida ini", "Merida Initiative", "alias", 45),
        ("merida", "Under the Merida plan", "description", 30),
        ("rid", "Under the Merida plan", "description", 20),
        ("zzz", "Merida", "label", 0),
    ],
)
def test_match_score(query: str, text: str, field: str, score: int) -> None:
    assert match_score(query, text, field) == score


# --- stats ------------------------------------------------------------------------------


def test_stats(store: MxStore) -> None:
    stats = graph_stats(store, top=3)
    assert stats.triples == len(store)
    assert stats.entities == len(load_entity_index(store).labels)
    assert [c.entity.label for c in stats.top_by_degree] == [
        "Mexico",
        "United States",
        "Merida Initiative",  # links stated both ways count once (tests/test_stats.py)
    ]
    assert stats.top_by_pagerank[0].entity.curie == "mxd:mexico"
    assert stats.classes[0].type.curie == "mx:Topic"
    assert sum(c.entities for c in stats.classes) >= stats.entities
    uses = {r.relation.curie: r.uses for r in stats.relations}
    assert uses["mx:citation"] > 200
    assert list(uses.values()) == sorted(uses.values(), reverse=True)


def test_stats_pagerank_in_numpy_as_in_python(
    store: MxStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("numpy")
    from mxgraph import paths

    links = paths.link_arrays(store, load_entity_index(store).labels)
    python = paths.array_pagerank(len(links.nodes), links.subjects, links.objects)
    before = graph_stats(store, top=50)
    monkeypatch.setattr(paths, "NUMPY_FROM", 1)
    in_numpy = paths.array_pagerank(len(links.nodes), links.subjects, links.objects)
    assert in_numpy == python  # the same sums in the same order
    assert graph_stats(store, top=50) == before


def test_stats_reads_edges_in_parts(store: MxStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from mxgraph import paths

    whole = graph_stats(store, top=50)
    monkeypatch.setattr(paths, "LINK_CHUNK", 10)  # a query per few predicates
    assert graph_stats(store, top=50) == whole


def test_stats_on_an_empty_store() -> None:
    stats = graph_stats(open_store(bundled=False))
    assert (stats.triples, stats.entities, stats.entity_links) == (0, 0, 0)
    assert stats.top_by_degree == ()


def test_package_exports_lookups_lazily() -> None:
    import subprocess
    import sys

    import mxgraph

    assert set(mxgraph.__all__) == {"__version__", *mxgraph._LAZY}
    assert mxgraph.describe_entity is describe_entity
    with pytest.raises(AttributeError):
        _ = mxgraph.no_such_name  # type: ignore[attr-defined]
    code = "import sys, mxgraph; assert 'mxgraph.lookup' not in sys.modules, sorted(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_each_lookup_module_imports_only_its_own_lookup() -> None:
    """describe, neighbors, search and stats each live in their own module; the old
    mxgraph.lookup re-exports them for library users."""
    import subprocess
    import sys

    import mxgraph.lookup

    lookups = ("mxgraph.describe", "mxgraph.neighbors", "mxgraph.search", "mxgraph.stats")
    for module in lookups:
        code = (
            f"import sys, {module}; "
            f"print(sorted(m for m in {lookups!r} + ('mxgraph.lookup',) if m in sys.modules))"
        )
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.stdout.strip() == str([module])
    assert mxgraph.lookup.describe_entity is describe_entity
    assert mxgraph.lookup.graph_stats is graph_stats


@pytest.mark.parametrize(
    "text",
    [
        *("merida", "Mérida", "usaid", "u.s.", "border 2020", "MEXICO", "initiative merida"),
        *("ción", "--", "(.*)", 'x" } #', "a$", "é"),
    ],
)
def test_search_prefilter_changes_no_answer(
    store: MxStore, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store drops texts lacking a searched word; the hits are those of a full scan."""
    import mxgraph.search

    filtered = search_entities(store, text, limit=50)
    monkeypatch.setattr(mxgraph.search, "_text_filter", lambda query: "")
    assert filtered == search_entities(store, text, limit=50)
