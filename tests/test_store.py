"""Loading RDF into the store: every format, errors with file:line:col, on-disk stores."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from mxgraph.errors import MxGraphError, RdfSyntaxError
from mxgraph.rdf_formats import RDF_FORMATS, RdfSyntax, rdf_format_for_path
from mxgraph.store import ONTOLOGY_GRAPH, MxStore, load_into_store, open_store

from .conftest import TINY_TURTLE

TINY_TRIPLES = 9


def _tiny_in(syntax: RdfSyntax) -> bytes:
    quads = ox.parse(TINY_TURTLE.encode(), ox.RdfFormat.TURTLE)
    spec = RDF_FORMATS[syntax]
    if spec.dataset:  # put the triples in a named graph: loading merges it into the default graph
        graph = ox.NamedNode("http://example.org/g")
        quads = (ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        return ox.serialize(quads, format=spec.oxigraph) or b""
    return ox.serialize((q.triple for q in quads), format=spec.oxigraph) or b""


@pytest.mark.parametrize("syntax", list(RDF_FORMATS))
def test_every_format_loads_by_extension(tmp_path: Path, syntax: RdfSyntax) -> None:
    for extension in RDF_FORMATS[syntax].extensions:
        path = tmp_path / f"tiny.{extension}"
        path.write_bytes(_tiny_in(syntax))
        store = open_store([path], bundled=False)
        assert len(store) == TINY_TRIPLES, extension
        assert {t.subject for t in store} >= {ox.NamedNode("http://example.org/mexico")}


def test_data_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_bytes(_tiny_in(RdfSyntax.NT))
    with pytest.raises(MxGraphError, match=r"unknown RDF file extension '\.txt'"):
        open_store([path], bundled=False)
    assert len(open_store([path], bundled=False, data_format=RdfSyntax.NT)) == TINY_TRIPLES


def test_stdin_is_read_as_turtle(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(TINY_TURTLE.encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert len(open_store(["-"], bundled=False)) == TINY_TRIPLES


def test_format_for_path_is_case_insensitive() -> None:
    assert rdf_format_for_path("X.TTL").name == "turtle"
    assert rdf_format_for_path("x.owl").name == "xml"


@pytest.mark.parametrize(
    ("text", "line", "column", "detail"),
    [
        (
            "@prefix ex: <http://e/> .\nex:a ex:b ex:c ;\n  ex:d  .\n",
            3,
            9,
            ". is not a valid RDF object",
        ),
        ("ex:a ex:b ex:c .\n", 1, 1, "The prefix ex: has not been declared"),
        ('<http://a> <http://b> "open .\n', 1, 23, None),
    ],
)
def test_turtle_errors_name_file_line_and_column(
    tmp_path: Path, text: str, line: int, column: int, detail: str | None
) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RdfSyntaxError) as caught:
        open_store([path], bundled=False)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), line, column)
    assert str(caught.value).startswith(f"{path}:{line}:{column}: RDF syntax error: ")
    if detail:
        assert str(caught.value) == f"{path}:{line}:{column}: RDF syntax error: {detail}"
    assert "\n" not in str(caught.value)


def test_dataset_format_errors_are_located_too(tmp_path: Path) -> None:
    path = tmp_path / "bad.nq"
    path.write_text("<http://a> <http://b> <http://c> <http://g> .\n<http://a> <http://b> .\n")
    with pytest.raises(RdfSyntaxError, match=r"bad\.nq:2:23: RDF syntax error: The object"):
        open_store([path], bundled=False)


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(MxGraphError, match=r"missing\.ttl: no such file"):
        open_store([tmp_path / "missing.ttl"], bundled=False)


def test_bundled_store_keeps_the_ontology_apart(tiny_ttl: Path) -> None:
    store = open_store([tiny_ttl])
    ontology = set(store.ontology_triples())
    assert ontology and ontology <= set(store)
    assert store.has_ontology()
    data = open_store([tiny_ttl], bundled=False)
    assert not data.has_ontology()
    # The other named graphs are the source sentences of the bundled statements.
    graphs = set(store.oxigraph.named_graphs()) - {ONTOLOGY_GRAPH}
    assert ONTOLOGY_GRAPH in set(store.oxigraph.named_graphs())
    assert all(str(g.value).startswith("https://w3id.org/mxgraph/id/p") for g in graphs)
    assert not set(data.oxigraph.named_graphs())


def test_loading_the_same_file_twice_counts_each_triple_once(tiny_ttl: Path) -> None:
    assert len(open_store([tiny_ttl, tiny_ttl], bundled=False)) == TINY_TRIPLES


def test_on_disk_store_round_trip(tmp_path: Path, tiny_ttl: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    folder = tmp_path / "store"
    added, seconds = load_into_store([tiny_ttl], folder, progress=lambda *args: calls.append(args))
    assert seconds > 0
    assert calls[-1] == (str(tiny_ttl), 2, 2)
    store = open_store(store_dir=folder)
    assert len(store) == added == len(open_store([tiny_ttl]))
    assert store.path == folder
    del store
    # Loading again neither re-adds the bundled graph nor duplicates anything.
    again, _ = load_into_store([tiny_ttl], folder)
    assert again == 0


def test_on_disk_store_without_bundled(tmp_path: Path, tiny_ttl: Path) -> None:
    added, _ = load_into_store([tiny_ttl], tmp_path / "s", bundled=False)
    assert added == TINY_TRIPLES
    assert not open_store(store_dir=tmp_path / "s").has_ontology()


def test_store_errors(tmp_path: Path, tiny_ttl: Path) -> None:
    with pytest.raises(MxGraphError, match="no store at"):
        open_store(store_dir=tmp_path)
    with pytest.raises(MxGraphError, match="--data cannot be combined with --store"):
        open_store([tiny_ttl], store_dir=tmp_path)


def test_to_rdflib_is_isomorphic(tiny_store: MxStore) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    expected = rdflib.Graph().parse(data=TINY_TURTLE, format="turtle")
    assert isomorphic(tiny_store.to_rdflib(), expected)


# -- loads are all or nothing (#13) -----------------------------------------------------------


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


def test_a_failed_load_into_a_new_store_makes_nothing(tmp_path: Path, tiny_ttl: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> .\n")
    target = tmp_path / "store"
    with pytest.raises(RdfSyntaxError):
        load_into_store([tiny_ttl, bad], target)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "tiny.ttl"]


def test_a_failed_load_leaves_the_existing_store_as_it_was(tmp_path: Path, tiny_ttl: Path) -> None:
    target = tmp_path / "store"
    load_into_store([tiny_ttl], target, bundled=False)
    before = sorted(map(str, open_store(store_dir=target)))
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://x/1> <http://x/p> <http://x/2> .\n<http://a> <http://b> .\n")
    with pytest.raises(RdfSyntaxError):
        load_into_store([bad], target, bundled=False)
    assert sorted(map(str, open_store(store_dir=target))) == before
    assert _siblings(target) == ["bad.nt", "tiny.ttl"]
    added, _ = load_into_store([bad.with_name("tiny.ttl")], target, bundled=False)
    assert added == 0  # loading again works on the old store


def test_load_refuses_a_file_or_a_folder_of_other_files(tmp_path: Path, tiny_ttl: Path) -> None:
    with pytest.raises(MxGraphError, match=r"is not a folder"):
        load_into_store([tiny_ttl], tiny_ttl)
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(MxGraphError, match=r"is not an mxgraph store \(it holds other files\)"):
        load_into_store([tiny_ttl], foreign)
    assert [p.name for p in foreign.iterdir()] == ["cat.jpg"]


def test_a_damaged_store_is_a_one_line_error(tmp_path: Path, tiny_ttl: Path) -> None:
    target = tmp_path / "store"
    load_into_store([tiny_ttl], target, bundled=False)
    for table in target.glob("*.sst"):
        table.write_bytes(b"not a table")
    (target / "CURRENT").write_text("MANIFEST-999999\n")
    with pytest.raises(MxGraphError, match=r"^cannot open store .*; rebuild it with: mxgraph load"):
        len(open_store(store_dir=target))


@pytest.mark.slow
def test_killing_a_load_at_any_moment_leaves_the_old_store_or_none(
    tmp_path: Path, tiny_ttl: Path
) -> None:
    import random
    import signal
    import subprocess
    import sys
    import time

    big = tmp_path / "big.nt"
    with big.open("w") as out:
        for i in range(200_000):
            out.write(f'<http://ex.org/s{i}> <http://ex.org/p> "value {i}" .\n')
    existing = tmp_path / "existing"
    load_into_store([tiny_ttl], existing, bundled=False)
    old = sorted(map(str, open_store(store_dir=existing)))
    rng = random.Random(13)
    command = [sys.executable, "-c", "from mxgraph.cli import main; main()", "load", str(big)]
    for attempt in range(3):
        fresh = tmp_path / f"fresh{attempt}"
        for target in (fresh, existing):
            process = subprocess.Popen(
                [*command, "--store", str(target), "--no-bundled"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.3, 1.8))
            process.send_signal(signal.SIGKILL)
            process.wait()
            if target == fresh:
                # Nothing, or the whole file: never a store missing part of it.
                assert not fresh.exists() or len(open_store(store_dir=fresh)) == 200_000
            else:
                count = len(open_store(store_dir=existing))
                assert count in (len(old), len(old) + 200_000)
                if count == len(old):
                    assert sorted(map(str, open_store(store_dir=existing))) == old
    # The next load into each store removes what the killed ones left behind, and completes.
    for target in [existing, *(tmp_path / f"fresh{attempt}" for attempt in range(3))]:
        load_into_store([tiny_ttl], target, bundled=False)
        assert len(open_store(store_dir=target)) >= 9
    assert not [p for p in tmp_path.iterdir() if ".loading-" in p.name]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">
  <rdf:Description rdf:about="http://ex.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_rdf_xml_entity_declarations_are_refused_before_parsing(tmp_path: Path) -> None:
    import time

    bomb = tmp_path / "lol.rdf"
    bomb.write_text(BILLION_LAUGHS)
    started = time.monotonic()
    message = r"^.*lol\.rdf:3:\d+: RDF syntax error: entity declarations are refused"
    with pytest.raises(RdfSyntaxError, match=message):
        open_store([bomb], bundled=False)
    with pytest.raises(RdfSyntaxError, match=message):
        open_store(bundled=False).load_bytes(BILLION_LAUGHS.encode(), str(bomb))
    with pytest.raises(RdfSyntaxError, match=message):
        load_into_store([bomb], tmp_path / "store")
    assert time.monotonic() - started < 5
    assert not (tmp_path / "store").exists()
    # A document type declaration without entities is fine.
    plain = tmp_path / "plain.rdf"
    plain.write_text(
        BILLION_LAUGHS.split("[", 1)[0]
        + ">"
        + BILLION_LAUGHS.split("]>", 1)[1].replace("&lol9;", "x")
    )
    assert len(open_store([plain], bundled=False)) == 1


def test_a_literal_over_the_parser_limit_is_a_one_line_error(tmp_path: Path) -> None:
    big = tmp_path / "big.nt"
    big.write_text('<http://a> <http://b> "' + "x" * 17_000_000 + '" .\n')
    message = r"big\.nt: cannot parse: a single literal or IRI is larger than the parser takes"
    with pytest.raises(MxGraphError, match=message):
        open_store([big], bundled=False)
    with pytest.raises(MxGraphError, match=message):
        load_into_store([big], tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_relative_iris_resolve_against_the_file(tmp_path: Path) -> None:
    data = tmp_path / "relative.ttl"
    data.write_text("<#a> <#p> <other.ttl#b> .\n")
    (triple,) = list(open_store([data], bundled=False))
    assert triple.subject.value == data.as_uri() + "#a"  # type: ignore[union-attr]
    assert triple.object.value == (tmp_path / "other.ttl").as_uri() + "#b"  # type: ignore[union-attr]


def test_rdflib_conversion_refuses_triple_terms_in_one_line(tmp_path: Path) -> None:
    star = tmp_path / "star.ttl"
    star.write_text("<< <http://a> <http://b> <http://c> >> <http://d> 'x' .\n")
    with pytest.raises(MxGraphError, match=r"^the data holds an RDF 1\.2 triple term \("):
        open_store([star], bundled=False).to_rdflib()
