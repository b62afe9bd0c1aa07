"""Export the store's graph as RDF, with or without the ontology.

>>> from mxgraph.store import open_store
>>> store = open_store(bundled=False)
>>> _ = store.load_bytes(b"<http://ex.org/a> <http://ex.org/b> 'c' .", "x.ttl")
>>> print(export_graph(store, RdfSyntax.NT).decode(), end="")
<http://ex.org/a> <http://ex.org/b> "c" .
"""

from __future__ import annotations

from mxgraph.deadline import Deadline, run_in_child
from mxgraph.output import serialize_dataset, serialize_triples
from mxgraph.rdf_formats import RDF_FORMATS, RdfSyntax
from mxgraph.store import MxStore


def export_graph(
    store: MxStore,
    fmt: RdfSyntax = RdfSyntax.TURTLE,
    data_only: bool = False,
    *,
    timeout: float | Deadline | None = None,
) -> bytes:
    """The store's triples serialized in ``fmt``; ``data_only`` leaves out the ontology's.

    The dataset formats (TriG, N-Quads) also keep the named graphs, which hold the
    statements' sources (see :mod:`mxgraph.provenance`); the triple formats
    (Turtle, N-Triples, JSON-LD, RDF/XML, N3) write the default graph only.

    ``timeout`` bounds the serialization like a query's (see :mod:`mxgraph.deadline`).

    >>> from mxgraph.store import open_store
    >>> store = open_store()
    >>> len(export_graph(store, data_only=True)) < len(export_graph(store))
    True
    """
    syntax = RdfSyntax(fmt)

    def serialize() -> bytes:
        triples = list(store)
        if data_only:
            ontology = set(store.ontology_triples())
            triples = [triple for triple in triples if triple not in ontology]
        if RDF_FORMATS[syntax].dataset:
            return serialize_dataset(triples, store.named_graph_quads(), syntax)
        return serialize_triples(triples, syntax)

    deadline = timeout if isinstance(timeout, Deadline) else Deadline.start(timeout)
    return run_in_child(serialize, deadline)
