"""Inference: RDFS and OWL 2 RL entailments (owlrl) added to a copy of a store.

owlrl reasons over an rdflib graph, so :func:`infer_store` copies the store's
triples (plus the bundled ontology when the store lacks it) into rdflib,
computes the closure, keeps the entailments a user asks about, and loads
them with the asserted triples into a new in-memory Oxigraph store that
queries and lookups run on as usual.

What the closure adds that nobody asks about is **filtered**, and counted by
reason in :attr:`Inference.filtered`:

* ``literal subject``: owlrl's rules put literals in subject position
  (``"Mexico"@en rdf:type rdfs:Literal``), which RDF cannot express.
* ``reflexive``: ``x owl:sameAs x``, ``C rdfs:subClassOf C``,
  ``C owl:equivalentClass C`` and the like, true of every term.
* ``top type``: ``x rdf:type owl:Thing`` (or ``rdfs:Resource``), true of everything.
* ``blank node``: triples about the ontology's anonymous union classes and
  lists (``mxd:usaid rdf:type _:b12``), which cannot be named in a query.
* ``schema weakening``: a domain or range widened to a superclass
  (``mx:memberOf rdfs:domain owl:Thing``), and datatype axioms about XSD
  types; both hold of the vocabulary, not of the data.

OWL 2 RL's **inconsistencies** (``owlrl`` writes them as blank nodes, which
the filter would drop) are read out first and kept, message by message, in
:attr:`Inference.inconsistencies`; the bundled graph has none.

The kept entailments are cached on disk (see :func:`cache_dir`), keyed by a
hash of the canonicalised input graph and owlrl's version: the closure takes
seconds, reading it back a fraction of one.

Everything else stays: inverse properties (``mx:hasMember`` from
``mx:memberOf``), types from subclasses, domains and ranges
(``mx:GovernmentAgency`` is an ``mx:Organization``), super-properties
(``org:memberOf``), symmetric and transitive properties.

>>> from mxgraph.store import open_store
>>> inference = infer_store(open_store(bundled=False))  # the ontology alone
>>> inference.asserted, inference.inferred > 0
(0, True)
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from mxgraph import resources
from mxgraph.atomic import write_atomically
from mxgraph.deadline import Deadline, run_in_child
from mxgraph.errors import MxGraphError, QueryTimeout
from mxgraph.namespaces import OWL, RDF, RDFS, XSD
from mxgraph.store import MxStore

if TYPE_CHECKING:
    import rdflib

#: Why an entailment was left out, in the order the reasons are tested.
FILTER_REASONS = (
    "literal subject",
    "reflexive",
    "top type",
    "blank node",
    "schema weakening",
)

_REFLEXIVE_NOISE = frozenset(
    {
        OWL.sameAs,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        RDFS.subClassOf,
        RDFS.subPropertyOf,
    }
)
_TOP_TYPES = frozenset({OWL.Thing, RDFS.Resource})
_SCHEMA_WEAKENING = frozenset({RDFS.domain, RDFS.range})

#: Bumped whenever the rules or the filter change, so old cache entries are not used.
_CACHE_VERSION = "2"

#: Where owlrl puts its inconsistency messages: ``[] err:error "message"``.
_OWLRL_ERROR = "http://www.daml.org/2002/03/agents/agent-ont#error"
_OWLRL_ERROR_TYPE = "http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage"

#: The kept entailments (N-Triples), the filtered ones counted by reason, and the
#: inconsistencies found.
_Entailments = tuple[bytes, dict[str, int], list[str]]


@dataclass(frozen=True)
class Inference:
    """A store holding asserted plus inferred triples, with counts of what was kept and dropped."""

    store: MxStore
    asserted: int
    inferred: int
    filtered: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    cached: bool = False
    inconsistencies: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for standard error: how many triples were inferred and filtered.

        >>> Inference(MxStore(ox.Store()), 10, 3, {"reflexive": 2}, 1.23).summary()
        'inferred 3 triples (OWL 2 RL, 1.2 s; filtered 2: 2 reflexive)'
        >>> Inference(MxStore(ox.Store()), 10, 3, {}, 1.0, inconsistencies=["x"]).summary()
        'inferred 3 triples (OWL 2 RL, 1.0 s; nothing filtered); 1 inconsistency, first: x'
        """
        dropped = sum(self.filtered.values())
        reasons = ", ".join(f"{n} {reason}" for reason, n in self.filtered.items() if n)
        detail = f"filtered {dropped}: {reasons}" if dropped else "nothing filtered"
        how = "OWL 2 RL, cached" if self.cached else "OWL 2 RL"
        line = f"inferred {self.inferred} triples ({how}, {self.seconds:.1f} s; {detail})"
        if self.inconsistencies:
            n = len(self.inconsistencies)
            noun = "inconsistency" if n == 1 else "inconsistencies"
            line += f"; {n} {noun}, first: {self.inconsistencies[0]}"
        return line


def filter_reason(subject: object, predicate: object, obj: object) -> str | None:
    """Why an entailment (rdflib terms) is noise, or ``None`` to keep it.

    >>> import rdflib
    >>> mx = rdflib.Namespace("https://w3id.org/mxgraph/ontology#")
    >>> filter_reason(mx.Country, rdflib.RDFS.subClassOf, mx.Country)
    'reflexive'
    >>> filter_reason(rdflib.Literal("x"), rdflib.RDF.type, rdflib.RDFS.Literal)
    'literal subject'
    >>> filter_reason(mx.a, rdflib.RDF.type, mx.Organization) is None
    True
    """
    import rdflib

    if isinstance(subject, rdflib.Literal):
        return "literal subject"
    if subject == obj and str(predicate) in _REFLEXIVE_NOISE:
        return "reflexive"
    if str(predicate) == RDF.type and str(obj) in _TOP_TYPES:
        return "top type"
    if isinstance(subject, rdflib.BNode) or isinstance(obj, rdflib.BNode):
        return "blank node"
    if str(predicate) in _SCHEMA_WEAKENING or str(subject).startswith(XSD):
        return "schema weakening"
    return None


def closure(graph: rdflib.Graph) -> rdflib.Graph:
    """The RDFS + OWL 2 RL closure of ``graph`` (expanded in place and returned)."""
    import owlrl

    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return graph


def cache_dir() -> Path:
    """Where entailments are cached: ``$MXGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/mxgraph``.

    ``~/.cache/mxgraph`` when neither is set.
    """
    if os.environ.get("MXGRAPH_CACHE_DIR"):
        return Path(os.environ["MXGRAPH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mxgraph"


def graph_key(graph: rdflib.Graph) -> str:
    """A hash of the graph that does not depend on blank-node labels, rules included."""
    import owlrl
    from rdflib.compare import to_canonical_graph

    lines = sorted(to_canonical_graph(graph).serialize(format="nt").splitlines())
    digest = hashlib.sha256(f"{_CACHE_VERSION} {owlrl.__version__}\n".encode())
    for line in lines:
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def infer_store(
    store: MxStore, *, use_cache: bool = True, timeout: float | Deadline | None = None
) -> Inference:
    """A new in-memory store with ``store``'s triples and their kept entailments.

    The bundled ontology takes part in the reasoning even when ``store`` was
    opened without it; it is then used, not added. The ontology's named-graph
    copy is carried over, so ``export --data-only`` still leaves it out.
    ``timeout`` (seconds or a :class:`~mxgraph.deadline.Deadline`) bounds the
    closure, which runs in a child process killed at the limit.
    """
    start = time.perf_counter()
    deadline = timeout if isinstance(timeout, Deadline) else Deadline.start(timeout)
    graph = store.to_rdflib()
    if not store.has_ontology():
        for path in resources.ontology_files():
            graph.parse(path, format="turtle")
    entry = cache_dir() / f"infer-{graph_key(graph)}" if use_cache else None
    cached = _read_cache(entry) if entry else None
    if cached is None:
        kept, filtered, inconsistencies = _entailments_within(graph, deadline)
        if entry:
            _write_cache(entry, (kept, filtered, inconsistencies))
    else:
        kept, filtered, inconsistencies = cached
    result = MxStore(ox.Store())
    result.oxigraph.extend(store.oxigraph.quads_for_pattern(None, None, None, None))
    before = len(result)
    try:
        result.oxigraph.extend(ox.parse(kept, ox.RdfFormat.N_TRIPLES))
    except SyntaxError as error:  # a damaged cache entry
        raise MxGraphError(f"cannot read cached entailments {entry}: {error}") from None
    return Inference(
        store=result,
        asserted=before,
        inferred=len(result) - before,
        filtered=filtered,
        seconds=time.perf_counter() - start,
        cached=cached is not None,
        inconsistencies=inconsistencies,
    )


def _entailments(graph: rdflib.Graph) -> _Entailments:
    """The kept entailments of ``graph`` as N-Triples, the filtered ones counted by reason,
    and OWL 2 RL's inconsistency messages."""
    import rdflib

    asserted = set(graph)
    closure(graph)
    error, error_type = rdflib.URIRef(_OWLRL_ERROR), rdflib.URIRef(_OWLRL_ERROR_TYPE)
    messages = set(graph.subjects(rdflib.RDF.type, error_type))
    inconsistencies = sorted(str(m) for m in graph.objects(None, error))
    filtered: Counter[str] = Counter()
    kept = rdflib.Graph()
    for triple in graph:
        if triple in asserted or triple[0] in messages:
            continue
        reason = filter_reason(*triple)
        if reason is None:
            kept.add(triple)
        else:
            filtered[reason] += 1
    counts = {reason: filtered[reason] for reason in FILTER_REASONS if filtered[reason]}
    return kept.serialize(format="nt", encoding="utf-8"), counts, inconsistencies


def _report(filtered: dict[str, int], inconsistencies: list[str]) -> bytes:
    return json.dumps({"filtered": filtered, "inconsistencies": inconsistencies}).encode()


def _read_report(text: bytes | str) -> tuple[dict[str, int], list[str]]:
    report = json.loads(text)
    filtered = {str(k): int(v) for k, v in report["filtered"].items()}
    return filtered, [str(m) for m in report["inconsistencies"]]


def _entailments_within(graph: rdflib.Graph, deadline: Deadline) -> _Entailments:
    """:func:`_entailments`, computed in a child process stopped at ``deadline``."""

    def work() -> bytes:
        kept, counts, inconsistencies = _entailments(graph)
        return _report(counts, inconsistencies) + b"\n" + kept

    try:
        payload = run_in_child(work, deadline)
    except QueryTimeout:
        raise QueryTimeout(
            f"inference stopped after {deadline.seconds:g} s (--timeout); the first run "
            "computes the closure, later runs of the same graph read it from the cache"
        ) from None
    head, _, kept = payload.partition(b"\n")
    return (kept, *_read_report(head))


def _read_cache(entry: Path) -> _Entailments | None:
    try:
        filtered, inconsistencies = _read_report(entry.with_suffix(".json").read_bytes())
        return entry.with_suffix(".nt").read_bytes(), filtered, inconsistencies
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None


def _write_cache(entry: Path, entailments: _Entailments) -> None:
    # A cache that cannot be written (read-only home) only costs time.
    kept, filtered, inconsistencies = entailments
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(entry.with_suffix(".nt"), kept)
        write_atomically(entry.with_suffix(".json"), _report(filtered, inconsistencies))
    except (OSError, MxGraphError):
        pass
