"""Load RDF into an Oxigraph store: the bundled graph, user files, or a store on disk.

Where triples go (the design every other module relies on):

* Every triple is in the store's **default graph**, so queries see one graph
  with set semantics (a triple loaded twice counts once) and need no ``GRAPH``.
* A triple that a file puts in a **named graph** (TriG, N-Quads) stays in that
  graph *as well*. The bundled graph uses this for statement-level
  provenance: each statement is in the named graph of the source sentence that
  states it (named by the sentence's IRI), so ``GRAPH ?sentence { s p o }``
  finds the sentences behind a statement (see :data:`SOURCE_PATTERN`).
* The bundled ontology is *also* kept in the named graph :data:`ONTOLOGY_GRAPH`
  (same blank nodes), so ``export --data-only`` can leave it out.

>>> store = open_store(bundled=False)
>>> store.load_bytes(b"<http://ex.org/a> <http://ex.org/b> 'c' .", "inline.ttl")
1
>>> len(store)
1
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from mxgraph import resources
from mxgraph.deadline import Deadline, run_in_child
from mxgraph.errors import MxGraphError, RdfSyntaxError
from mxgraph.rdf_formats import RdfFormatSpec, RdfSyntax, rdf_format_for_path

if TYPE_CHECKING:
    import rdflib

#: Named graph holding a copy of the bundled ontology (see the module docstring).
ONTOLOGY_GRAPH = ox.NamedNode("https://w3id.org/mxgraph/graph/ontology")

#: The one SPARQL pattern that finds the sentences stating a statement: each statement of
#: the bundled graph is also in the named graph of each source sentence that states it.
SOURCE_PATTERN = "GRAPH ?source { ?subject ?predicate ?object }"

#: Called after each source is loaded: (source, index from 1, number of sources).
ProgressCallback = Callable[[str, int, int], None]

_COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class MxStore:
    """An Oxigraph store holding mxgraph's triples in its default graph.

    ``path`` is the store's folder for an on-disk store, ``None`` in memory.

    >>> store = open_store(bundled=False)
    >>> store.path is None, len(store)
    (True, 0)
    """

    def __init__(self, oxigraph: ox.Store, path: Path | None = None) -> None:
        self.oxigraph = oxigraph
        self.path = path
        #: Whether the store holds the bundled graph alone, as :func:`open_store` made it (a
        #: load through this object clears it): mxgraph's own queries on it take milliseconds,
        #: so :func:`mxgraph.query.run_query` evaluates them without a child process.
        self.shipped_only = False

    def __len__(self) -> int:
        """The number of triples in the default graph."""
        solutions = self.oxigraph.query(_COUNT_TRIPLES)
        assert isinstance(solutions, ox.QuerySolutions)
        count = next(iter(solutions))["n"]
        assert isinstance(count, ox.Literal)
        return int(count.value)

    def __iter__(self) -> Iterator[ox.Triple]:
        """The triples of the default graph."""
        for quad in self.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield quad.triple

    def ontology_triples(self) -> Iterator[ox.Triple]:
        """The triples that came from the bundled ontology files."""
        for quad in self.oxigraph.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH):
            yield quad.triple

    def has_ontology(self) -> bool:
        """Whether the bundled ontology has been loaded into this store."""
        return bool(self.oxigraph.contains_named_graph(ONTOLOGY_GRAPH))

    def load_file(
        self,
        source: Path | str,
        data_format: RdfSyntax | None = None,
        *,
        bulk: bool = False,
        deadline: Deadline | None = None,
    ) -> None:
        """Add an RDF file (``-`` for standard input) to the default graph.

        ``bulk`` uses Oxigraph's bulk loader (faster on large files, not transactional).
        With a ``deadline`` the file is parsed in a child process killed when it
        passes (a file nested 50,000 deep took minutes to parse), and the parsed
        quads come back as N-Quads.
        """
        self.shipped_only = False
        spec = rdf_format_for_path(source, data_format)
        if str(source) == "-":
            data = sys.stdin.buffer.read()
            if deadline is not None and deadline.at is not None:
                self._add_quads(_parsed_in_child(data, "<stdin>", spec, deadline))
                return
            self.load_bytes(data, "<stdin>", spec)
            return
        path = Path(source)
        if not path.is_file():
            raise MxGraphError(f"{path}: no such file")
        if spec.oxigraph == ox.RdfFormat.RDF_XML:
            from mxgraph.xml_guard import refuse_xml_entities  # here: pyexpat, for RDF/XML only

            refuse_xml_entities(path, str(path))
        if deadline is not None and deadline.at is not None and not bulk:
            self._add_quads(_parsed_in_child(path, str(path), spec, deadline))
            return
        if spec.dataset:
            self._add_quads(_parse_file(path, spec), bulk=bulk)
            return
        loader = self.oxigraph.bulk_load if bulk else self.oxigraph.load
        try:
            loader(path=str(path), format=spec.oxigraph, base_iri=base_iri(path))
        except SyntaxError as error:
            raise rdf_syntax_error(str(path), error) from None
        except MemoryError as error:
            raise too_large_token(str(path), error) from None
        except OSError as error:
            raise MxGraphError(f"{path}: cannot read: {error}") from None

    def load_bytes(self, data: bytes, name: str, spec: RdfFormatSpec | None = None) -> int:
        """Add RDF given as bytes (named ``name`` in errors); returns the triples read."""
        self.shipped_only = False
        quads = _parse_bytes(data, name, spec or rdf_format_for_path(name))
        self._add_quads(quads)
        return len(quads)

    def load_ontology(self, path: Path) -> None:
        """Add an ontology file to the default graph and to :data:`ONTOLOGY_GRAPH`.

        Oxigraph parses the file into the named graph and copies it with SPARQL
        ``ADD`` (blank nodes shared), which is faster than going through Python.
        """
        self.shipped_only = False
        spec = rdf_format_for_path(path)
        try:
            self.oxigraph.load(path=str(path), format=spec.oxigraph, to_graph=ONTOLOGY_GRAPH)
        except SyntaxError as error:
            raise rdf_syntax_error(str(path), error) from None
        except OSError as error:
            raise MxGraphError(f"{path}: cannot read: {error}") from None
        self.oxigraph.update(f"ADD {ONTOLOGY_GRAPH} TO DEFAULT")

    def load_bundled(self) -> None:
        """Add the bundled ontology and graph files.

        Into an empty store Oxigraph parses every file itself (the TriG files straight
        into their named graphs) and one SPARQL update copies the named graphs into the
        default graph: 9 ms instead of 13 ms through Python, on every command that
        reads the bundled graph. A store holding anything already gets the files one by
        one, so the copy does not go over the named graphs it holds.
        """
        if next(iter(self.oxigraph), None) is None:  # empty (len() would count every quad)
            self._load_bundled_into_empty()
            return
        for path in resources.ontology_files():
            self.load_ontology(path)
        for path in resources.graph_files():
            self.load_file(path)

    def _load_bundled_into_empty(self) -> None:
        files: list[tuple[Path, ox.NamedNode | None]] = [
            (path, ONTOLOGY_GRAPH) for path in resources.ontology_files()
        ]
        files += [(path, None) for path in resources.graph_files()]
        for path, graph in files:
            spec = rdf_format_for_path(path)
            try:
                self.oxigraph.load(
                    path=str(path), format=spec.oxigraph, base_iri=base_iri(path), to_graph=graph
                )
            except SyntaxError as error:
                raise rdf_syntax_error(str(path), error) from None
            except OSError as error:
                raise MxGraphError(f"{path}: cannot read: {error}") from None
        self.oxigraph.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def _add_quads(self, quads: Iterable[ox.Quad], *, bulk: bool = False) -> None:
        def with_default_copies() -> Iterator[ox.Quad]:
            for quad in quads:
                yield quad
                if not isinstance(quad.graph_name, ox.DefaultGraph):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())

        if bulk:
            self.oxigraph.bulk_extend(with_default_copies())
        else:
            self.oxigraph.extend(with_default_copies())

    def named_graph_quads(self) -> Iterator[ox.Quad]:
        """The quads of the named graphs but the ontology's copy (the statements' sources)."""
        for graph in self.oxigraph.named_graphs():
            if graph != ONTOLOGY_GRAPH:
                yield from self.oxigraph.quads_for_pattern(None, None, None, graph)

    def to_rdflib(self) -> rdflib.Graph:
        """The default graph as an rdflib ``Graph`` (for pyshacl and owlrl); imports rdflib.

        >>> store = open_store(bundled=False)
        >>> _ = store.load_bytes(b"<http://ex.org/a> <http://ex.org/b> 'c' .", "x.ttl")
        >>> len(store.to_rdflib())
        1
        """
        import rdflib

        for triple in self:
            if isinstance(triple.subject, ox.Triple) or isinstance(triple.object, ox.Triple):
                raise MxGraphError(
                    f"the data holds an RDF 1.2 triple term ({triple}), which the SHACL and "
                    "OWL tools used here (rdflib) cannot read"
                )
        graph = rdflib.Graph()
        data = ox.serialize(iter(self), format=ox.RdfFormat.N_TRIPLES)
        graph.parse(data=data or b"", format="nt")
        return graph


def _parsed_in_child(
    source: Path | bytes, name: str, spec: RdfFormatSpec, deadline: Deadline
) -> Iterator[ox.Quad]:
    """The quads of a file or of bytes, parsed in a child that the deadline bounds."""

    def parse() -> bytes:
        if isinstance(source, Path):
            quads = list(_parse_file(source, spec))
        else:
            quads = _parse_bytes(source, name, spec)
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""

    nquads = run_in_child(parse, deadline)
    return ox.parse(nquads, ox.RdfFormat.N_QUADS) if nquads else iter(())


def _parse_bytes(data: bytes, name: str, spec: RdfFormatSpec) -> list[ox.Quad]:
    """Parse RDF given as bytes (named ``name`` in errors), refusing XML entity declarations."""
    if spec.oxigraph == ox.RdfFormat.RDF_XML:
        from mxgraph.xml_guard import refuse_xml_entities

        refuse_xml_entities(data, name)
    try:
        return list(ox.parse(data, spec.oxigraph))
    except SyntaxError as error:
        raise rdf_syntax_error(name, error) from None
    except MemoryError as error:
        raise too_large_token(name, error) from None


def _parse_file(path: Path, spec: RdfFormatSpec) -> Iterator[ox.Quad]:
    """Parse a file, turning parse errors (raised while iterating) into RdfSyntaxError."""
    try:
        yield from ox.parse(path=str(path), format=spec.oxigraph, base_iri=base_iri(path))
    except SyntaxError as error:
        raise rdf_syntax_error(str(path), error) from None
    except MemoryError as error:
        raise too_large_token(str(path), error) from None
    except OSError as error:
        raise MxGraphError(f"{path}: cannot read: {error}") from None


def base_iri(path: Path) -> str:
    """The base a file's relative IRIs resolve against: its own ``file:`` URL, as RDF tools do."""
    return path.resolve().as_uri()


def too_large_token(name: str, error: MemoryError) -> MxGraphError:
    """Oxigraph's parsers stop at a single token (a literal, an IRI) over 16 MiB."""
    return MxGraphError(
        f"{name}: cannot parse: a single literal or IRI is larger than the parser takes "
        f"({' '.join(str(error).split())} bytes)"
    )


_PARSER_PREFIX = re.compile(r"^Parser error (?:at|between) [^:]*: ")
_LINE_SUFFIX = re.compile(r" \(line \d+\)$")


def rdf_syntax_error(name: str, error: SyntaxError) -> RdfSyntaxError:
    """Locate an Oxigraph parse error in file ``name`` by line and column.

    Oxigraph's message reads "Parser error at line 3 column 9: <detail> (line 3)"
    and the ``SyntaxError`` carries ``lineno`` and ``offset`` (1-based).

    >>> try:
    ...     next(ox.parse(b"<http://a> <http://b> .", ox.RdfFormat.N_TRIPLES))
    ... except SyntaxError as e:
    ...     print(rdf_syntax_error("x.nt", e))
    x.nt:1:23: RDF syntax error: The object of a triple must be an IRI, a blank node or a literal
    """
    message = " ".join(str(error.msg if error.msg else error).split())
    detail = _LINE_SUFFIX.sub("", _PARSER_PREFIX.sub("", message))
    return RdfSyntaxError(name, error.lineno, error.offset, detail)


def open_store(
    data: Sequence[Path | str] = (),
    *,
    bundled: bool = True,
    store_dir: Path | str | None = None,
    data_format: RdfSyntax | None = None,
    writable: bool = False,
    deadline: Deadline | None = None,
) -> MxStore:
    """Open a store: in memory with the bundled graph and ``data``, or an existing one on disk.

    An on-disk store (``store_dir``) holds whatever ``load_into_store`` put in
    it, so ``bundled`` and ``data`` do not apply; it opens read-only unless
    ``writable``. A ``deadline`` bounds the parsing of the ``data`` files.

    >>> len(open_store()) > 0
    True
    >>> open_store(store_dir="/nonexistent")
    Traceback (most recent call last):
    ...
    mxgraph.errors.MxGraphError: no store at /nonexistent; create one with: mxgraph load ...
    """
    if store_dir is not None:
        if data:
            raise MxGraphError(
                f"--data cannot be combined with --store; add files with: "
                f"mxgraph load FILE... --store {store_dir}"
            )
        return _open_disk_store(Path(store_dir), writable=writable)
    store = MxStore(ox.Store())
    if bundled:
        store.load_bundled()
    for source in data:
        store.load_file(source, data_format, deadline=deadline)
    store.shipped_only = bundled and not data
    return store


def _open_disk_store(path: Path, *, writable: bool) -> MxStore:
    if not (path / "CURRENT").is_file():
        raise MxGraphError(
            f"no store at {path}; create one with: mxgraph load FILE... --store {path}"
        )
    try:
        oxigraph = ox.Store(str(path)) if writable else ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as error:  # RuntimeError: RocksDB finds the files damaged
        detail = " ".join(str(error).split())
        raise MxGraphError(
            f"cannot open store {path}: {detail}; rebuild it with: mxgraph load FILE... --store "
            f"{path} (into a new folder)"
        ) from None
    return MxStore(oxigraph, path)


def load_into_store(
    files: Sequence[Path | str],
    store_dir: Path | str,
    *,
    bundled: bool = True,
    data_format: RdfSyntax | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[int, float]:
    """Bulk-load files into an on-disk store (created if missing); returns (triples added, seconds).

    The bundled graph is loaded too unless ``bundled`` is false or the store
    already holds it (loading it twice would duplicate its blank nodes).

    A load is all or nothing: it builds a new store in a work folder beside
    ``store_dir`` (from a checkpoint of the existing store, which costs hard
    links, not copies) and swaps it in only when every file has loaded. A
    failed or interrupted load leaves the store as it was; a work folder left
    by a killed load is removed by the next load.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     added, seconds = load_into_store([], folder)
    ...     added == len(open_store(store_dir=folder))
    True
    """
    import shutil
    import traceback

    start = time.perf_counter()
    path = Path(store_dir)
    exists = _check_store_folder(path)
    _remove_abandoned_work(path)
    work = path.parent / f".{path.name}{_WORK_MARK}{os.getpid()}"
    try:
        if exists:
            _open_disk_store(path, writable=False).oxigraph.backup(str(work))
        added = _load_into(work, path, files, bundled, data_format, progress)
        _swap_into_place(work, path)
    except BaseException as error:
        # The failed load's frames hold the work store open: clear them, so the store is
        # closed before its folder is removed and writes nothing into it afterwards.
        traceback.clear_frames(error.__traceback__)
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(error, OSError):
            detail = error.strerror or error
            raise MxGraphError(f"cannot write store {path}: {detail}") from None
        raise

    # The word index beside the store (mxgraph.search_index), built for what was loaded.
    from mxgraph.search_index import refresh_search_index

    refresh_search_index(path)

    return added, time.perf_counter() - start


def _load_into(
    work: Path,
    path: Path,
    files: Sequence[Path | str],
    bundled: bool,
    data_format: RdfSyntax | None,
    progress: ProgressCallback | None,
) -> int:
    """Load into the work store at ``work``; the triples added. The store is closed on return."""
    store = MxStore(ox.Store(str(work)), path)
    before = len(store)
    sources: list[Path | str] = list(files)
    load_bundled = bundled and not store.has_ontology()
    total = len(sources) + (1 if load_bundled else 0)
    if load_bundled:
        store.load_bundled()
        if progress:
            progress("bundled graph", 1, total)
    done = total - len(sources)
    for source in sources:
        store.load_file(source, data_format, bulk=True)
        done += 1
        if progress:
            progress(str(source), done, total)
    store.oxigraph.flush()
    # The bulk loader leaves overlapping files that every lookup has to search; compacted,
    # the sources of 10^5 figures are read 10 times faster at 10^7 triples (a store opened
    # read-only is never compacted later), for 13 s more at the end of the load.
    store.oxigraph.optimize()
    return len(store) - before


#: Work folders of loads are named ``.<store>.loading-<pid>`` beside the store.
_WORK_MARK = ".loading-"


def _check_store_folder(path: Path) -> bool:
    """Whether ``path`` holds a store already; an error for a file, an unreadable folder or a
    folder of other files (a load never writes into those)."""
    try:
        if not path.exists():
            return False
        if not path.is_dir():
            raise MxGraphError(f"cannot use {path} as a store: it is not a folder")
        if (path / "CURRENT").is_file():
            return True
        if any(path.iterdir()):
            raise MxGraphError(
                f"{path} is not an mxgraph store (it holds other files); give a new or empty "
                "folder to --store"
            )
    except PermissionError as error:
        raise MxGraphError(f"cannot read store folder {path}: {error.strerror}") from None
    return False


def _remove_abandoned_work(path: Path) -> None:
    """Remove the work folders of loads whose process is gone (killed mid-load)."""
    import glob
    import shutil

    for work in path.parent.glob(f".{glob.escape(path.name)}{_WORK_MARK}*"):
        pid = work.name.rpartition(_WORK_MARK)[2]
        if pid.isdigit() and not _process_exists(int(pid)):
            shutil.rmtree(work, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap_into_place(work: Path, path: Path) -> None:
    """Put the finished store ``work`` at ``path`` in one step, and delete what was there."""
    import shutil

    if not path.exists():
        os.rename(work, path)
        return
    if not any(path.iterdir()):  # an empty folder given as a new store
        path.rmdir()
        os.rename(work, path)
        return
    if _exchange(work, path):  # atomic: readers see the old store or the new one
        shutil.rmtree(work, ignore_errors=True)
        return
    # No atomic exchange on this system: two renames; a kill between them leaves the old
    # store in the work folder and no store at ``path`` (the next load starts afresh).
    old = path.parent / f".{path.name}.old-{os.getpid()}"
    os.rename(path, old)
    os.rename(work, path)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``)."""
    import platform

    numbers = {"x86_64": 316, "aarch64": 276}
    if not sys.platform.startswith("linux") or platform.machine() not in numbers:
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, rename_exchange = -100, 2
    done = libc.syscall(
        numbers[platform.machine()],
        at_fdcwd,
        os.fsencode(first),
        at_fdcwd,
        os.fsencode(second),
        rename_exchange,
    )
    return bool(done == 0)
