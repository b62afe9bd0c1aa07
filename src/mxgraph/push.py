"""Upload a graph to a SPARQL server: Graph Store Protocol where it exists, else INSERT DATA.

Blank nodes get stable IRIs (``.well-known/genid/`` skolem IRIs named by their
place in the graph), so pushing the same data twice adds nothing the second
time: a server cannot tell a blank node it already holds from a new one.

After the upload the server's triples are counted; a count that cannot be
the result of this upload is an error.
"""

from __future__ import annotations

import hashlib
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from mxgraph.errors import EndpointError, MxGraphError
from mxgraph.remote import RemoteEndpoint

T = TypeVar("T")

#: Namespace of the IRIs given to blank nodes (RDF 1.1 skolem IRIs).
GENID = "https://w3id.org/mxgraph/.well-known/genid/"

#: Triples per Graph Store Protocol request.
STORE_BATCH = 20000

#: Triples per ``INSERT DATA`` (Virtuoso refuses an update that compiles to
#: more than 10,000 lines of SQL; 2,000 triples did).
UPDATE_BATCH = 500

#: Called after each batch: (triples sent so far, triples in all).
PushProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class PushResult:
    """What a push did: triples sent, triples on the server after, how and how long."""

    sent: int
    before: int
    after: int
    method: str
    seconds: float


def skolemize(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples with each blank node replaced by an IRI named from where it hangs.

    A blank node under an IRI is named by that IRI, the predicate and its own
    IRI-valued statements; one under another blank node by that node's name;
    so the same data gets the same names in every process.

    >>> b = ox.BlankNode()
    >>> t = [ox.Triple(ox.NamedNode("http://ex.org/a"), ox.NamedNode("http://ex.org/p"), b)]
    >>> skolemize(t) == skolemize(t) and str(skolemize(t)[0].object).startswith("<https://w3id")
    True
    """
    triples = list(triples)
    content: dict[ox.BlankNode, list[str]] = {}
    parents: dict[ox.BlankNode, list[tuple[ox.NamedNode | ox.BlankNode, str]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode):
            content.setdefault(t.subject, []).append(f"{t.predicate} {t.object}")
        if isinstance(t.object, ox.BlankNode):
            parents.setdefault(t.object, []).append((t.subject, str(t.predicate)))  # type: ignore[arg-type]
    names: dict[ox.BlankNode, str] = {}

    def name(node: ox.BlankNode, visiting: frozenset[ox.BlankNode]) -> str:
        if node in names:
            return names[node]
        keys = []
        for parent, predicate in parents.get(node, []):
            if isinstance(parent, ox.BlankNode):
                if parent in visiting:
                    continue  # a cycle of blank nodes: named by content only
                parent_key = name(parent, visiting | {node})
            else:
                parent_key = str(parent)
            keys.append(f"{parent_key} {predicate}")
        digest = hashlib.sha256(
            "\n".join([*sorted(keys), "|", *sorted(content.get(node, []))]).encode()
        ).hexdigest()[:32]
        names[node] = digest
        return digest

    def term(
        value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
    ) -> ox.NamedNode | ox.Literal:
        if isinstance(value, ox.BlankNode):
            return ox.NamedNode(GENID + name(value, frozenset({value})))
        assert isinstance(value, (ox.NamedNode, ox.Literal))
        return value

    return list(
        dict.fromkeys(
            ox.Triple(term(t.subject), t.predicate, term(t.object))  # type: ignore[arg-type]
            for t in triples
        )
    )


def push_triples(
    endpoint: RemoteEndpoint,
    triples: Iterable[ox.Triple],
    *,
    graph: str | None = None,
    replace: bool = False,
    store_url: str | None = None,
    progress: PushProgress | None = None,
) -> PushResult:
    """Send ``triples`` to ``graph`` (default: the server's default graph) and check the count.

    ``store_url`` is the server's Graph Store Protocol endpoint; without it one
    is looked for beside the query endpoint (``.../query`` → ``.../store``) and,
    failing that, SPARQL Update ``INSERT DATA`` is sent in batches. ``replace``
    empties the graph first.
    """
    start = time.perf_counter()
    ground = skolemize(triples)
    before = 0 if replace else endpoint.count_triples()
    store_url = store_url or find_graph_store(endpoint)
    sent = [0]

    def counted(done: int, total: int) -> None:
        sent[0] = done
        if progress:
            progress(done, total)

    method = "graph store protocol" if store_url is not None else "SPARQL update"
    try:
        if store_url is not None:
            _send_graph_store(endpoint, store_url, ground, graph, replace, counted)
        else:
            _send_updates(endpoint, ground, graph, replace, counted)
    except MxGraphError as error:
        if sent[0] == 0 and not replace:
            raise
        where = f"<{graph}>" if graph else "the default graph"
        raise EndpointError(
            f"{error}; the push stopped after {sent[0]} of {len(ground)} triples, so {where} "
            f"on the server holds part of the data: run the same push with --replace to "
            f"finish it, or empty {where} to undo it"
        ) from None
    after = endpoint.count_triples()
    if after < len(ground) or after > before + len(ground):
        expected = (
            f"{len(ground)}"
            if before == 0
            else f"between {max(before, len(ground))} and {before + len(ground)}"
        )
        raise EndpointError(
            f"after the upload {endpoint.url} holds {after} triples in "
            f"{'<' + graph + '>' if graph else 'its default graph'}, expected {expected}"
        )
    return PushResult(len(ground), before, after, method, time.perf_counter() - start)


def push_source_graphs(
    endpoint: RemoteEndpoint,
    quads: Iterable[ox.Quad],
    *,
    store_url: str | None = None,
    progress: PushProgress | None = None,
) -> int:
    """Send the named graphs of ``quads`` (each statement in its sentence's graph), each
    replacing the server's graph of that name; returns the quads sent.

    These are mxgraph's statement-level sources (see :mod:`mxgraph.provenance`): on
    the server as locally, ``GRAPH ?source { s p o }`` finds the sentences behind a
    statement. The graphs are named by sentence IRIs, so replacing them touches
    nothing but mxgraph's own graphs. Afterwards the quads in those graphs are
    counted; a count that differs is an error.
    """
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    if not graphs:
        return 0
    grounded = {name: skolemize(triples) for name, triples in sorted(graphs.items())}
    total = sum(len(triples) for triples in grounded.values())
    store_url = store_url or find_graph_store(endpoint)
    sent = 0
    if store_url is not None:
        for name, triples in grounded.items():
            _send_graph_store(endpoint, store_url, triples, name, True, None)
            sent += len(triples)
            if progress:
                progress(sent, total)
    else:
        # One update drops them all (one request, not one per sentence).
        endpoint.update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in grounded))
        pending = [(name, t) for name, triples in grounded.items() for t in triples]
        for batch in _batches(pending, UPDATE_BATCH):
            body = "\n".join(
                f"GRAPH {ox.NamedNode(name)} {{ {t.subject} {t.predicate} {t.object} }}"
                for name, t in batch
            )
            endpoint.update(f"INSERT DATA {{\n{body}\n}}")
            sent += len(batch)
            if progress:
                progress(sent, total)
    values = " ".join(str(ox.NamedNode(name)) for name in grounded)
    rows = endpoint.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    ).rows
    counted = rows[0][0] if rows and rows[0] else None
    if not isinstance(counted, ox.Literal) or int(counted.value) != total:
        found = counted.value if isinstance(counted, ox.Literal) else "no count"
        raise EndpointError(
            f"after the upload {endpoint.url} holds {found} triples in the {len(grounded)} "
            f"source graphs, expected {total}"
        )
    return total


def _batches(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _send_updates(
    endpoint: RemoteEndpoint,
    triples: Sequence[ox.Triple],
    graph: str | None,
    replace: bool,
    progress: PushProgress | None,
) -> None:
    target = f"GRAPH {ox.NamedNode(graph)}" if graph else ""
    if replace:
        endpoint.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}" if graph else "CLEAR DEFAULT")
    sent = 0
    for batch in _batches(triples, UPDATE_BATCH):
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in batch)
        endpoint.update(f"INSERT DATA {{ {target} {{\n{body}\n}} }}")
        sent += len(batch)
        if progress:
            progress(sent, len(triples))


def find_graph_store(endpoint: RemoteEndpoint) -> str | None:
    """The Graph Store Protocol endpoint beside a ``.../query`` endpoint, if it answers."""
    parts = urllib.parse.urlsplit(endpoint.url)
    head, _, last = parts.path.rpartition("/")
    if last not in ("query", "sparql"):
        return None
    candidate = urllib.parse.urlunsplit(parts._replace(path=f"{head}/store", query=""))
    try:
        endpoint.graph_store("HEAD", candidate)
    except EndpointError:
        return None
    return candidate


def _send_graph_store(
    endpoint: RemoteEndpoint,
    store_url: str,
    triples: Sequence[ox.Triple],
    graph: str | None,
    replace: bool,
    progress: PushProgress | None,
) -> None:
    target = store_url + ("&" if "?" in store_url else "?")
    target += urllib.parse.urlencode({"graph": graph}) if graph else "default"
    sent = 0
    if replace and not triples:
        endpoint.graph_store("PUT", target)
    for index, batch in enumerate(_batches(triples, STORE_BATCH)):
        data = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
        endpoint.graph_store("PUT" if replace and index == 0 else "POST", target, data)
        sent += len(batch)
        if progress:
            progress(sent, len(triples))
