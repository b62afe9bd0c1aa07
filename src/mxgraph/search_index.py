"""A word index of names, descriptions and sentences kept beside an on-disk store (SQLite FTS5).

Searching an in-memory graph reads every name through a regular expression in
the store (fast enough for the bundled graph's 2,800 triples, about 2 s per
10^6 triples). An on-disk store gets this index instead: one SQLite file,
:data:`INDEX_NAME` in the store's folder (Oxigraph leaves files it does not
know alone), holding every text that search reads, already normalized
(:func:`~mxgraph.resolve.normalize_name`), with an FTS5 trigram index over it,
so the texts holding the words searched for are found without a scan and
scored in SQLite.

What it holds, by field: ``label`` (``skos:prefLabel``), ``alias``
(``skos:altLabel``), ``title`` (``dct:title``), ``description``
(``dct:description``), ``sentence`` (the text of a source sentence,
``?sentence oa:hasSelector/oa:exact ?text``) and ``figure`` (a fact's value or
bounds, and each number a sentence states, as
:func:`~mxgraph.search_text.canonical` decimal strings), each with its node and
whether that node is an entity (as :data:`~mxgraph.resolve.ENTITY_CONDITION`
says). Each text's words are stored as they are and as stems
(:func:`~mxgraph.search_text.stem`), and the ``mx:citation`` links from entities
to sentences are kept, so a search can go from a matching sentence to the
entities that cite it.

The index records a fingerprint of the store's files (:func:`store_fingerprint`);
a store written since (``mxgraph load``, ``query --update``, another program)
has another fingerprint, and :func:`open_search_index` builds the index again.

>>> import tempfile
>>> from mxgraph.store import load_into_store, open_store
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = load_into_store([], folder)
...     index = open_search_index(open_store(store_dir=folder))
...     [(hit.iri, hit.field, hit.score) for hit in index.search("merida", LABEL_RULES, limit=1)]
[('https://w3id.org/mxgraph/id/merida-initiative', 'label', 90)]
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import heapq
import os
import re
import sqlite3
import tempfile
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from mxgraph.namespaces import DCT, MX, OA, RDF, SKOS, curie
from mxgraph.output import NUMERIC_DATATYPES
from mxgraph.resolve import best_label, non_entities, normalize_name
from mxgraph.search_text import figures, literal_figure, query_stems, text_stems
from mxgraph.store import MxStore

#: The index file, in the store's folder.
INDEX_NAME = "mxgraph-search.sqlite"

#: Written into the index; an index of another format is built again.
FORMAT = "2"

#: The fields of the index and the predicate each comes from (sentences: see the module doc).
FIELDS = {
    "label": SKOS.prefLabel,
    "alias": SKOS.altLabel,
    "title": DCT["title"],  # DCT.title is str.title
    "description": DCT.description,
}
SENTENCE_FIELD = "sentence"
FIGURE_FIELD = "figure"

#: The properties whose numeric values are a fact's figures.
FIGURE_PROPERTIES = (
    MX.value,
    MX.lowerBound,
    MX.upperBound,
    MX.exclusiveLowerBound,
    MX.exclusiveUpperBound,
)

#: What a search may ask of a text: the normalized query equals it, starts it, each of its
#: words is one of the text's words, each of its stems (joining words left out:
#: :func:`~mxgraph.search_text.query_stems`) is the stem of one of the text's words, or the
#: query is inside the text.
KINDS = ("exact", "prefix", "words", "stems", "substring")

#: For each field searched, the kinds of match that count, in the order they are tried, with
#: their scores (a text scores the first kind it matches).
ScoreRules = Mapping[str, Sequence[tuple[str, int]]]

#: Labels only, every kind (the module example).
LABEL_RULES: ScoreRules = {"label": (("exact", 100), ("prefix", 90), ("words", 60))}

_WORD = re.compile(r"\w+")

#: Texts shorter than this are not in the trigram index: their needles are looked for by scan.
_TRIGRAM = 3

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (
  id INTEGER PRIMARY KEY,
  iri TEXT NOT NULL,
  entity INTEGER NOT NULL,   -- 1: an entity (ENTITY_CONDITION)
  label TEXT NOT NULL,       -- as lookups show it: best prefLabel, else the CURIE
  label_key TEXT NOT NULL    -- the label normalized: search ranks ties by it
);
-- Rows in ranking order (label_key, IRI, field, text), so an id order is a ranking order.
CREATE TABLE texts (
  id INTEGER PRIMARY KEY,
  node INTEGER NOT NULL,
  entity INTEGER NOT NULL,
  field TEXT NOT NULL,
  text TEXT NOT NULL,        -- as stated
  norm TEXT NOT NULL,        -- normalize_name(text)
  words TEXT NOT NULL,       -- ' ' + the \\w+ words of norm, each followed by ' '
  stems TEXT NOT NULL        -- the same with each word's stem
);
-- Which entities cite which sentences (mx:citation), by node id.
CREATE TABLE citations (sentence INTEGER NOT NULL, entity INTEGER NOT NULL);
"""

#: One contentless trigram index per field (rowid: the text's id), created by the build.
_FTS = "CREATE VIRTUAL TABLE fts_{field} USING fts5(norm, content='', tokenize='trigram')"


@dataclass(frozen=True)
class IndexHit:
    """A node's best-scoring text: the node, its label, the score, the field and the text."""

    iri: str
    label: str
    score: int
    field: str
    text: str


def index_path(store_dir: Path | str) -> Path:
    """Where the index of the store in ``store_dir`` lives.

    >>> index_path("/data/store").name
    'mxgraph-search.sqlite'
    """
    return Path(store_dir) / INDEX_NAME


def store_fingerprint(store_dir: Path | str) -> str:
    """A digest of the store's data files: names and sizes of RocksDB's ``*.sst`` and ``*.log``.

    Every write appends to a write-ahead log (``*.log``) or adds table files
    (``*.sst``), so a written store has another fingerprint, while opening it
    read-only changes nothing. Listing a folder costs about a millisecond,
    where counting the triples of 10^7 takes seconds. Compaction or a
    writable open with nothing written also changes the files: the index is
    then rebuilt needlessly, never used stale.

    >>> import tempfile
    >>> from mxgraph.store import load_into_store
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = load_into_store([], folder)
    ...     len(store_fingerprint(folder))
    64
    """
    digest = hashlib.sha256(FORMAT.encode())
    with os.scandir(store_dir) as entries:
        files = sorted(
            (entry.name, entry.stat().st_size)
            for entry in entries
            if entry.name.endswith((".sst", ".log")) and entry.is_file()
        )
    for name, size in files:
        digest.update(f"\0{name}\0{size}".encode())
    return digest.hexdigest()


class SearchIndex:
    """An open index file (see the module docstring); :meth:`search` finds and ranks texts."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def search(
        self,
        query: str,
        rules: ScoreRules,
        *,
        entities_only: bool = True,
        limit: int | None = None,
        queries: Mapping[str, str] | None = None,
    ) -> list[IndexHit]:
        """The nodes with a text scoring above 0 for ``query``, best first, one hit per node.

        ``query`` is normalized (:func:`~mxgraph.resolve.normalize_name`);
        ``queries`` may give another one for some fields (the figure field is
        searched for a :func:`~mxgraph.search_text.canonical` value);
        ``rules`` names the fields searched and how each kind of match scores
        there.
        A node's hit is its best text (ties: the smaller text); nodes rank by score,
        then normalized label, then IRI; ``limit`` keeps the first.

        The scores are visited from the highest. Texts are stored in ranking
        order, so the texts of one kind of match, read in id order, come in
        ranking order, and the search stops once ``limit`` nodes are found:
        a common word costs as little as a rare one when the best matches
        are many. Exact and prefix matches are read from a B-tree over the
        normalized texts, words and substrings from the field's trigram index
        (or by reading the field when no word has three characters).
        """
        by_score: dict[int, list[tuple[str, str]]] = {}
        for field, kinds in rules.items():
            if field not in _ALL_FIELDS:
                raise ValueError(f"no field {field!r} in the search index")
            for kind, score in kinds:
                if kind not in KINDS:
                    raise ValueError(f"unknown kind of match: {kind!r}")
                if score > 0:
                    by_score.setdefault(score, []).append((field, kind))
        found: dict[int, tuple[int, str, str]] = {}
        for score in sorted(by_score, reverse=True):
            streams = [
                self._matches(field, kind, asked, entities_only=entities_only)
                for field, kind in by_score[score]
                for asked in [(queries or {}).get(field, query)]
            ]
            # Every text of a node has neighbouring ids, so a node's rows come together.
            rows = heapq.merge(*streams) if len(streams) > 1 else streams[0]
            current: tuple[int, str, str] | None = None
            for _, node, field, text in rows:
                if node in found:
                    continue
                if current is not None and current[0] == node:
                    if text < current[2]:
                        current = (node, field, text)
                    continue
                if current is not None:
                    found[current[0]] = (score, current[1], current[2])
                    if limit is not None and len(found) >= limit:
                        break
                current = (node, field, text)
            else:
                if current is not None:
                    found[current[0]] = (score, current[1], current[2])
            for stream in streams:
                stream.close()
            if limit is not None and len(found) >= limit:
                break
        return self._hits(found)

    def _matches(
        self, field: str, kind: str, query: str, *, entities_only: bool
    ) -> Generator[tuple[int, int, str, str], None, None]:
        """``(id, node, field, text)`` of the texts of ``field`` matching ``kind``, by id."""
        params: dict[str, object] = {"field": field, "query": query}
        tests = ["t.field = :field"]
        if entities_only:
            tests.append("t.entity = 1")
        # Read in id order without sorting: the B-tree for exact and prefix matches (few
        # rows, sorted), the trigram index (rows come by rowid), else the table itself.
        source, order = "texts t", "t.id"
        if kind == "exact":
            tests.append("t.norm = :query")
        elif kind == "prefix":
            tests += ["t.norm >= :query", "instr(t.norm, :query) = 1"]
            above = _successor(query)
            if above is not None:
                params["above"] = above
                tests.append("t.norm < :above")
        else:
            wanted = _WORD.findall(query) if kind == "words" else query_stems(query)
            needles = [query] if kind == "substring" else wanted
            if not needles:  # a text without words matches no words
                return
            if kind in ("words", "stems"):
                for number, word in enumerate(wanted):
                    params[f"word{number}"] = f" {word} "
                    tests.append(f"instr(t.{kind}, :word{number}) > 0")
            else:
                tests.append("instr(t.norm, :query) > 0")
            long_needles = [needle for needle in needles if len(needle) >= _TRIGRAM]
            source = "texts t NOT INDEXED"
            if long_needles:
                # FTS5 strings: double quotes doubled; a trigram string matches as a substring.
                params["match"] = " AND ".join(
                    '"' + needle.replace('"', '""') + '"' for needle in long_needles
                )
                source, order = f"fts_{field} f JOIN texts t ON t.id = f.rowid", "f.rowid"
                tests.append(f"fts_{field} MATCH :match")
        sql = (
            f"SELECT t.id, t.node, t.field, t.text FROM {source} "
            f"WHERE {' AND '.join(tests)} ORDER BY {order}"
        )
        yield from self.connection.execute(sql, params)

    def _hits(self, found: Mapping[int, tuple[int, str, str]]) -> list[IndexHit]:
        if not found:
            return []
        nodes: dict[int, tuple[str, str]] = {}
        chosen = list(found)
        for start in range(0, len(chosen), 500):  # SQLite binds at most 999 values
            part = chosen[start : start + 500]
            marks = ", ".join("?" for _ in part)
            for node, iri, label in self.connection.execute(
                f"SELECT id, iri, label FROM nodes WHERE id IN ({marks})", part
            ):
                nodes[node] = (iri, label)
        return [
            IndexHit(nodes[node][0], nodes[node][1], score, field, text)
            for node, (score, field, text) in found.items()
        ]

    def texts(self, field: str) -> list[tuple[str, str]]:
        """Every ``(node IRI, text)`` of ``field``, by node IRI then text.

        >>> import tempfile
        >>> from mxgraph.store import load_into_store, open_store
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = load_into_store([], folder)
        ...     index = open_search_index(open_store(store_dir=folder))
        ...     [text for iri, text in index.texts("sentence") if iri.endswith("/p03s1")]
        ['U.S. relations with Mexico are strong and vital.']
        """
        return self.connection.execute(
            "SELECT n.iri, t.text FROM texts t JOIN nodes n ON n.id = t.node "
            "WHERE t.field = ? ORDER BY n.iri, t.text",
            (field,),
        ).fetchall()

    def citing(self, sentences: Sequence[str]) -> list[tuple[str, str, str, str]]:
        """``(sentence IRI, sentence text, entity IRI, entity label)`` for each entity citing
        one of ``sentences`` (``mx:citation``), by sentence IRI then entity IRI.

        >>> import tempfile
        >>> from mxgraph.namespaces import MXD
        >>> from mxgraph.store import load_into_store, open_store
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = load_into_store([], folder)
        ...     index = open_search_index(open_store(store_dir=folder))
        ...     [row[2].rsplit("/", 1)[1] for row in index.citing([MXD + "p18s3"])]
        ['fact-merida-appropriation', 'merida-initiative', 'topic-capacity-building',
         'topic-equipment', 'topic-training']
        """
        found: list[tuple[str, str, str, str]] = []
        unique = sorted(set(sentences))
        for start in range(0, len(unique), 500):  # SQLite binds at most 999 values
            part = unique[start : start + 500]
            marks = ", ".join("?" for _ in part)
            found += self.connection.execute(
                "SELECT s.iri, t.text, e.iri, e.label FROM nodes s "
                "JOIN citations c ON c.sentence = s.id "
                "JOIN nodes e ON e.id = c.entity AND e.entity = 1 "
                "JOIN texts t ON t.node = s.id AND t.field = 'sentence' "
                f"WHERE s.iri IN ({marks})",
                part,
            ).fetchall()
        return sorted(set(found))

    def close(self) -> None:
        """Close the index file."""
        self.connection.close()


_ALL_FIELDS = (*FIELDS, SENTENCE_FIELD, FIGURE_FIELD)


def _successor(text: str) -> str | None:
    """The least string above every string starting with ``text`` (``None``: there is none).

    >>> _successor("ab")
    'ac'
    """
    last = ord(text[-1]) + 1
    if last == 0xD800:  # surrogates cannot be stored
        last = 0xE000
    return text[:-1] + chr(last) if last <= 0x10FFFF else None


@functools.cache
def trigram_available() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (SQLite 3.34 and later)."""
    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as connection:
            connection.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    return True


def open_search_index(store: MxStore, *, build: bool = True) -> SearchIndex | None:
    """The index of an on-disk ``store``, built first when missing or stale; else ``None``.

    ``None`` for an in-memory store, when SQLite lacks FTS5 trigrams, or when
    the index is missing or stale and cannot be built (``build`` false, or the
    store's folder is not writable): then search scans the store.
    """
    if store.path is None or not trigram_available():
        return None
    path = index_path(store.path)
    fingerprint = store_fingerprint(store.path)
    index = _open_current(path, fingerprint)
    if index is not None or not build:
        return index
    try:
        build_search_index(store, fingerprint=fingerprint)
    except (OSError, sqlite3.Error):
        return None
    return _open_current(path, fingerprint)


def refresh_search_index(store_dir: Path | str) -> Path | None:
    """Build the index of the store in ``store_dir`` after a load; ``None`` if it cannot be built.

    Called at the end of :func:`~mxgraph.store.load_into_store`. A store
    without an index (SQLite without FTS5 trigrams, a folder that refused
    the file) is still searched, by the slower scan, and the next search
    tries to build the index again.
    """
    if not trigram_available():
        return None
    from mxgraph.store import open_store

    try:
        return build_search_index(open_store(store_dir=store_dir))
    except (OSError, sqlite3.Error):
        return None


def _open_current(path: Path, fingerprint: str) -> SearchIndex | None:
    """The index at ``path`` if it is of this format and for this fingerprint."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return None
    if meta.get("format") != FORMAT or meta.get("fingerprint") != fingerprint:
        connection.close()
        return None
    return SearchIndex(connection)


def build_search_index(store: MxStore, *, fingerprint: str | None = None) -> Path:
    """Write the index of an on-disk ``store`` (replacing any); returns its path.

    The file is written beside the store under a temporary name and renamed
    into place, so a search running meanwhile reads the old index or the new
    one. ``fingerprint`` is the store's as the data is read (taken now if not
    given).
    """
    if store.path is None:
        raise ValueError("only an on-disk store has a search index")
    fingerprint = fingerprint or store_fingerprint(store.path)
    target = index_path(store.path)
    descriptor, temporary = tempfile.mkstemp(
        dir=store.path, prefix=f".{INDEX_NAME}.", suffix=".tmp"
    )
    os.close(descriptor)
    try:
        with contextlib.closing(sqlite3.connect(temporary)) as connection:
            # A throwaway file until renamed: no journal, no syncs; sorts get 64 MiB.
            connection.executescript(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;"
                + _SCHEMA
            )
            _fill(connection, store)
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("format", FORMAT), ("fingerprint", fingerprint)],
            )
            connection.commit()
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


def _fill(connection: sqlite3.Connection, store: MxStore) -> None:
    """Insert the nodes and texts of ``store``, in ranking order, and index them."""
    labels: dict[str, list[ox.Literal]] = {}  # by node: its prefLabels, for the label it shows
    node_ids: dict[str, int] = {}

    def staged() -> Iterator[tuple[int, str, str]]:
        for iri, field, literal in _store_texts(store):
            if field == "label":
                found = labels.setdefault(iri, [])
                if literal is _NOT_A_LITERAL:
                    continue
                found.append(literal)
            yield node_ids.setdefault(iri, len(node_ids) + 1), field, literal.value

    connection.execute("CREATE TEMP TABLE staging (node INTEGER, field TEXT, text TEXT)")
    connection.executemany("INSERT INTO staging VALUES (?, ?, ?)", staged())
    excluded = non_entities(store)

    def node_rows() -> Iterator[tuple[int, str, int, str, str]]:
        for iri, node in node_ids.items():
            label = best_label(labels.get(iri, [])) or curie(iri)
            # ENTITY_CONDITION: a prefLabel, outside mxgraph's ontology, not of a meta class.
            entity = iri in labels and not iri.startswith(MX) and iri not in excluded
            yield node, iri, int(entity), label, normalize_name(label)

    connection.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?)", node_rows())
    rows = connection.execute(
        "SELECT DISTINCT s.node, n.entity, s.field, s.text FROM staging s "
        "CROSS JOIN nodes n ON n.id = s.node ORDER BY n.label_key, n.iri, s.field, s.text"
    )

    def text_rows() -> Iterator[tuple[int, int, str, str, str, str, str]]:
        for node, entity, field, text in rows:
            norm = normalize_name(text)
            words = " " + "".join(word + " " for word in _WORD.findall(norm))
            stems = " " + "".join(word + " " for word in text_stems(norm))
            yield node, entity, field, text, norm, words, stems

    connection.executemany(
        "INSERT INTO texts (node, entity, field, text, norm, words, stems) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        text_rows(),
    )
    connection.execute("DROP TABLE staging")
    connection.executemany(
        "INSERT INTO citations VALUES (?, ?)",
        (
            (node_ids[sentence], node_ids[entity])
            for entity, sentence in _citations(store)
            if sentence in node_ids and entity in node_ids
        ),
    )
    connection.execute("CREATE INDEX citations_sentence ON citations (sentence)")
    for field in _ALL_FIELDS:
        connection.execute(_FTS.format(field=field))
        connection.execute(
            f"INSERT INTO fts_{field} (rowid, norm) SELECT id, norm FROM texts WHERE field = ?",
            (field,),
        )
    connection.execute("CREATE INDEX texts_norm ON texts (field, norm)")


def _store_texts(store: MxStore) -> Iterator[tuple[str, str, ox.Literal]]:
    """``(node IRI, field, text)`` for every text of the index, read from the default graph.

    A ``skos:prefLabel`` that is not a literal still makes its subject labelled (an
    entity, as :data:`~mxgraph.resolve.ENTITY_CONDITION` reads it): it comes as an
    empty ``label`` text, which :func:`_fill` does not store as a text.
    """
    oxigraph = store.oxigraph
    default = ox.DefaultGraph()

    def objects(predicate: str) -> Iterator[tuple[str, ox.Literal | ox.NamedNode | ox.BlankNode]]:
        for quad in oxigraph.quads_for_pattern(None, ox.NamedNode(predicate), None, default):
            subject, obj = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode) and not isinstance(obj, ox.Triple):
                yield subject.value, obj

    for field, predicate in FIELDS.items():
        for iri, obj in objects(predicate):
            if isinstance(obj, ox.Literal):
                yield iri, field, obj
            elif field == "label":
                yield iri, field, _NOT_A_LITERAL
    sentence_type = ox.NamedNode(MX.SourceSentence)
    sentences = {
        quad.subject.value
        for quad in oxigraph.quads_for_pattern(None, ox.NamedNode(RDF.type), sentence_type, default)
        if isinstance(quad.subject, ox.NamedNode)
    }
    selected: dict[str, list[str]] = {}
    for iri, selector in objects(OA.hasSelector):
        if iri in sentences and isinstance(selector, ox.NamedNode):
            selected.setdefault(selector.value, []).append(iri)
    for selector_iri, text in objects(OA.exact):
        if isinstance(text, ox.Literal):
            for iri in selected.get(selector_iri, ()):
                yield iri, SENTENCE_FIELD, text
                for stated in dict.fromkeys(value for value, _, _ in figures(text.value)):
                    yield iri, FIGURE_FIELD, ox.Literal(stated)
    for predicate in FIGURE_PROPERTIES:
        for iri, obj in objects(predicate):
            # Only numbers: SPARQL's = (the scan's test) compares no other literal with one.
            if isinstance(obj, ox.Literal) and obj.datatype.value in NUMERIC_DATATYPES:
                figure = literal_figure(obj.value)
                if figure is not None:
                    yield iri, FIGURE_FIELD, ox.Literal(figure)


def _citations(store: MxStore) -> Iterator[tuple[str, str]]:
    """``(entity IRI, sentence IRI)`` for each ``mx:citation`` of the default graph."""
    pattern = (None, ox.NamedNode(MX.citation), None, ox.DefaultGraph())
    for quad in store.oxigraph.quads_for_pattern(*pattern):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            yield quad.subject.value, quad.object.value


#: Stands for a prefLabel that is an IRI or blank node (see :func:`_store_texts`).
_NOT_A_LITERAL = ox.Literal("")
