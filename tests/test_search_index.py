"""The word index beside an on-disk store: same answers as the scan, rebuilt when stale."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

from mxgraph.backend import LocalBackend
from mxgraph.search import SEARCH_RULES, search_entities
from mxgraph.search_index import (
    INDEX_NAME,
    build_search_index,
    index_path,
    open_search_index,
    store_fingerprint,
)
from mxgraph.store import MxStore, load_into_store, open_store

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

#: Common and rare words, prefixes, words under three characters, accents, punctuation, none.
QUERIES = [
    "Trade Agreement",
    "trade",
    "rade agr",
    "alta",
    "País",
    "pais alta 3",
    "Country 1",
    "org1",
    "ORG12",
    "regional body",
    "a",
    "1",
    "us",
    "u.s.",
    "-",
    "’",
    "merida",
    "Mérida Initiative",
    "border",
    "programs",
    "sentence",
    "zzzz",
    'x" OR "y',
    # Sentences, stems and figures (#10): the bundled graph's and the generated ones.
    "fentanyl",
    "crossings per day",
    "2.8 billion",
    "$678 billion",
    "2,000",
    "50",
    "50.0",
    "benchmarks",
    "synthetic benchmark",
    "sentence 3",
    "the of",
]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", BENCHMARKS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[MxStore, MxStore]:
    """The bundled graph and 40 generated units: on disk (indexed) and in memory (scanned)."""
    folder = tmp_path_factory.mktemp("generated")
    nt, _, _ = _generator().write(40, folder / "data")
    load_into_store([nt], folder / "store")
    return open_store(store_dir=folder / "store"), open_store([nt])


def _answers(store: MxStore, text: str, **options: object) -> list[tuple[object, ...]]:
    result = search_entities(LocalBackend(store, timeout=None), text, **options)  # type: ignore[arg-type]
    return [
        (h.entity, h.score, h.field, h.matched, h.types, h.sentence, h.spans) for h in result.hits
    ]


def test_load_builds_the_index(generated: tuple[MxStore, MxStore]) -> None:
    disk, _ = generated
    assert disk.path is not None
    assert index_path(disk.path) == disk.path / INDEX_NAME
    assert open_search_index(disk, build=False) is not None  # current: built by the load


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("limit", [1, 5, 1000])
def test_index_answers_as_the_scan(
    generated: tuple[MxStore, MxStore], text: str, limit: int
) -> None:
    disk, memory = generated
    assert _answers(disk, text, limit=limit) == _answers(memory, text, limit=limit)


def test_index_answers_as_the_scan_for_a_generated_figure(
    generated: tuple[MxStore, MxStore],
) -> None:
    """A trade value of the generated graph, written as a reader would: found by value."""
    disk, memory = generated
    rows = memory.oxigraph.query(
        "SELECT ?v WHERE { <https://w3id.org/mxgraph/id/syn-fact-7-0> "
        "<https://w3id.org/mxgraph/ontology#value> ?v }"
    )
    value = int(float(next(iter(rows))["v"].value))
    for text in (str(value), f"{value:,}", f"${value:,}", f"{value / 10**6} million"):
        found = _answers(disk, text, limit=20)
        assert found == _answers(memory, text, limit=20)
        assert [h[:3] for h in found if h[2] == "figure"] == [
            (found[0][0], 80, "figure")
        ] and found[0][0].curie == "mxd:syn-fact-7-0"


def test_sentences_and_figures_are_found_on_both_paths(
    generated: tuple[MxStore, MxStore],
) -> None:
    disk, memory = generated
    for store in (disk, memory):
        hits = search_entities(LocalBackend(store, timeout=None), "synthetic benchmarks").hits
        # Every generated entity cites a sentence "Sentence k about ..., for the synthetic
        # benchmark.": found by stem, through the sentence.
        assert len(hits) == 20 and {h.field for h in hits} == {"sentence"}
        assert all(h.sentence is not None for h in hits)
        assert all([h.matched[a:b] for a, b in h.spans] == ["synthetic", "benchmark"] for h in hits)


@pytest.mark.parametrize("text", ["Trade Agreement", "alta", "1", "u.s."])
def test_index_answers_as_the_scan_with_a_type(
    generated: tuple[MxStore, MxStore], text: str
) -> None:
    disk, memory = generated
    for type_ in ("country", "mx:TradeAgreement", "organization"):
        assert _answers(disk, text, type=type_, limit=7) == _answers(
            memory, text, type=type_, limit=7
        )


def test_index_holds_titles_and_sentences(generated: tuple[MxStore, MxStore]) -> None:
    disk, _ = generated
    index = open_search_index(disk, build=False)
    assert index is not None
    sentences = dict(index.texts("sentence"))
    assert sentences["https://w3id.org/mxgraph/id/p03s1"] == (
        "U.S. relations with Mexico are strong and vital."
    )
    assert sentences["https://w3id.org/mxgraph/id/syn-s0-0"].startswith("Sentence 0 about ")
    assert ("https://w3id.org/mxgraph/id/fact-sheet", "U.S. Relations With Mexico") in index.texts(
        "title"
    )
    # Sentences are not entities: a search of sentences must ask for them.
    rules = {"sentence": (("substring", 1),)}
    assert not index.search("strong and vital", rules)
    hits = index.search("strong and vital", rules, entities_only=False)
    assert [hit.iri for hit in hits] == ["https://w3id.org/mxgraph/id/p03s1"]
    found = index.search("strong and vital", SEARCH_RULES)
    assert found and all(hit.field == "description" for hit in found)  # no sentence
    index.close()


def test_a_write_makes_the_index_stale_and_search_rebuilds_it(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    load_into_store([], folder)
    before = store_fingerprint(folder)
    assert open_search_index(open_store(store_dir=folder), build=False) is not None
    writable = open_store(store_dir=folder, writable=True)
    writable.oxigraph.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/mxgraph/id/zanzibar"),
            ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
            ox.Literal("Zanzibar Accord"),
        )
    )
    writable.oxigraph.flush()
    del writable
    assert store_fingerprint(folder) != before
    store = open_store(store_dir=folder)
    assert open_search_index(store, build=False) is None  # stale: not used
    hits = search_entities(store, "zanzibar").hits  # rebuilt, then used
    assert [h.entity.label for h in hits] == ["Zanzibar Accord"]
    assert open_search_index(store, build=False) is not None


def test_a_read_only_open_keeps_the_index_current(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    load_into_store([], folder)
    fingerprint = store_fingerprint(folder)
    store = open_store(store_dir=folder)
    assert search_entities(store, "merida").hits
    del store
    assert store_fingerprint(folder) == fingerprint


def test_without_an_index_search_scans(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    load_into_store([], folder)
    index_path(folder).unlink()
    store = open_store(store_dir=folder)
    assert open_search_index(store, build=False) is None
    folder.chmod(0o555)  # the index cannot be written: search scans
    try:
        assert search_entities(store, "merida").hits[0].entity.curie == "mxd:merida-initiative"
    finally:
        folder.chmod(0o755)
    assert not index_path(folder).exists() or open_search_index(store, build=False) is not None


def test_in_memory_stores_have_no_index() -> None:
    assert open_search_index(open_store()) is None
    with pytest.raises(ValueError, match="on-disk"):
        build_search_index(open_store())
