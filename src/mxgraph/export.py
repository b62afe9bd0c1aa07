"""Export the store's graph as RDF, with or without the ontology.

>>> from mxgraph.store import open_store
>>> store = open_store(bundled=False)
>>> _ = store.load_bytes(b"<http://ex.org/a> <http://ex.org/b> 'c' .", "x.ttl")
>>> print(export_graph(store, RdfSyntax.NT).decode(), end="")
<http://ex.org/a> <http://ex.org/b> "c" .
"""

from __future__ import annotations

from mxgraph.deadline import Deadline, run_in_child
from mxgraph.output import serialize_triples
from mxgraph.rdf_formats import RdfSyntax
from mxgraph.store import MxStore


def export_graph(
    store: MxStore,
    fmt: RdfSyntax = RdfSyntax.TURTLE,
    data_only: bool = False,
    *,
    timeout: float | Deadline | None = None,
) -> bytes:
    """The store's triples serialized in ``fmt``; ``data_only`` leaves out the ontology's.

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
        return serialize_triples(triples, syntax)

    deadline = timeout if isinstance(timeout, Deadline) else Deadline.start(timeout)
    return run_in_child(serialize, deadline)
