"""Why a local query answered nothing: each triple pattern tried on its own, and the likely fix.

An empty answer (no rows, ASK false, an empty graph) is one a user cannot
trust. :func:`explain_empty` reads the query's triple patterns with a full
SPARQL grammar (rdflib's; imported only here, when an answer is empty), asks
the store about each pattern alone, and for one that matches nothing says why:

- a term of a known vocabulary that does not exist (``mx:hasMembr``: did you
  mean ``mx:hasMember``?), as predicate or as class;
- a number written with another datatype than the data's (``2800000000`` where
  the data holds the decimal ``2800000000.0``);
- a plain string where the data has a language tag (``'Mexico'`` for
  ``'Mexico'@en``);
- a term the ontology declares but no triple uses.

When every pattern matches on its own, it says so: the patterns (or filters)
exclude each other.

>>> from mxgraph.store import open_store
>>> store = open_store()
>>> [reason] = explain_empty(store, "SELECT ?x { ?x mx:hasMembr ?y }")
>>> reason.partition(": ")[2]
'mx:hasMembr is not in the ontology; did you mean mx:hasMember?'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from mxgraph.errors import MxGraphError
from mxgraph.namespaces import MX, PREFIXES, RDF, curie
from mxgraph.query import AskResult, run_query
from mxgraph.store import ONTOLOGY_GRAPH, MxStore
from mxgraph.vocabulary import KNOWN_TERMS

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + name for name in ("integer", "decimal", "double", "float")}

#: Seconds each probe of the store may take.
_PROBE_SECONDS = 5.0


def explain_empty(store: MxStore, sparql: str) -> list[str]:
    """One line per reason the query's answer is empty (empty: no reason found)."""
    patterns = list(_triple_patterns(sparql))
    if not patterns:
        return []
    declared = _declared_terms(store)
    reasons = []
    for pattern in patterns:
        if _matches(store, pattern):
            continue
        shown = " ".join(_show(term) for term in pattern)
        reasons.append(f"the pattern {shown} matches nothing: {_why(store, pattern, declared)}")
    if not reasons:
        reasons.append(
            f"each of the {len(patterns)} triple patterns matches on its own, but no solution "
            "satisfies them all together (check the variables they share, and the FILTERs)"
        )
    return reasons


# -- reading the query ----------------------------------------------------------------------


def _triple_patterns(sparql: str) -> Iterator[tuple[Any, Any, Any]]:
    """The triple patterns of every basic graph pattern of the query (rdflib terms)."""
    try:
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.plugins.sparql.parserutils import CompValue
    except ImportError:  # pragma: no cover - rdflib is a dependency
        return
    try:
        algebra = prepareQuery(sparql, initNs=PREFIXES).algebra
    except Exception:  # rdflib's grammar may lag Oxigraph's; then there is nothing to say
        return
    seen: set[tuple[Any, Any, Any]] = set()

    def walk(node: object) -> Iterator[tuple[Any, Any, Any]]:
        if isinstance(node, CompValue):
            if node.name == "BGP":
                for triple in node.get("triples") or ():
                    if triple not in seen:
                        seen.add(triple)
                        yield triple
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                yield from walk(value)

    yield from walk(algebra)


def _show(term: Any) -> str:
    from rdflib import BNode, Literal, URIRef, Variable

    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, URIRef):
        return curie(str(term))
    if isinstance(term, BNode):
        return "[]"
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        if datatype in _NUMERIC or datatype == _XSD + "boolean":
            return str(term)
        if datatype is not None and datatype != _XSD + "string":
            return f"{term.n3().rpartition('^^')[0]}^^{curie(datatype)}"
        return term.n3()
    return str(term)


def _sparql_term(term: Any) -> str:
    """A term of a pattern in SPARQL syntax; blank nodes become variables (they match anything)."""
    from rdflib import BNode, Literal, URIRef, Variable

    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, BNode):
        return f"?_b{abs(hash(term)) % 10**8}"
    if isinstance(term, URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, Literal):
        return term.n3()
    raise TypeError(term)


# -- asking the store -----------------------------------------------------------------------


def _ask(store: MxStore, sparql: str) -> bool:
    try:
        result = run_query(store, sparql, timeout=_PROBE_SECONDS)
    except MxGraphError:
        return True  # a probe that cannot be answered proves nothing: say nothing of it
    return isinstance(result, AskResult) and result.value


def _matches(store: MxStore, pattern: tuple[Any, Any, Any]) -> bool:
    from rdflib import URIRef

    if not isinstance(pattern[1], URIRef):  # a property path: not probed on its own
        return True
    return _ask(store, "ASK { " + " ".join(_sparql_term(t) for t in pattern) + " }")


def _declared_terms(store: MxStore) -> set[str]:
    ontology = {
        quad.subject.value
        for quad in store.oxigraph.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)
        if isinstance(quad.subject, ox.NamedNode)
    }
    return ontology | set(KNOWN_TERMS)


def _why(store: MxStore, pattern: tuple[Any, Any, Any], declared: set[str]) -> str:
    from rdflib import Literal, URIRef

    subject, predicate, object_ = pattern
    namespaces = {term.rpartition("#")[0] + "#" for term in declared if "#" in term}
    namespaces |= {term.rpartition("/")[0] + "/" for term in KNOWN_TERMS if "#" not in term}
    checked = [predicate] + ([object_] if predicate == URIRef(RDF.type) else [])
    for term in checked:
        if not isinstance(term, URIRef):
            continue
        iri = str(term)
        known = any(iri.startswith(ns) for ns in namespaces) or iri.startswith(MX)
        if known and iri not in declared:
            same_namespace = [d for d in declared if d.startswith(_namespace(iri))]
            close = difflib.get_close_matches(iri, same_namespace, n=1, cutoff=0.8)
            hint = f"; did you mean {curie(close[0])}?" if close else ""
            return f"{curie(iri)} is not in the ontology{hint}"
    if isinstance(object_, Literal):
        reason = _literal_mismatch(store, subject, predicate, object_)
        if reason:
            return reason
    for term in (subject, object_):
        if isinstance(term, URIRef) and str(term) not in declared and not _mentioned(store, term):
            return (
                f"{curie(str(term))} names nothing in the graph; look for the entity with: "
                f"mxgraph search {_words(str(term))}"
            )
    if (
        predicate == URIRef(RDF.type)
        and isinstance(object_, URIRef)
        and _ask(store, f"ASK {{ ?x a/rdfs:subClassOf+ {_sparql_term(object_)} }}")
    ):
        return (
            f"{curie(str(object_))} has no direct instances, only instances of its "
            f"subclasses: write ?x a/rdfs:subClassOf* {curie(str(object_))}"
        )
    if iri_unused := _unused(store, predicate, declared):
        return iri_unused
    for term, pattern_text in ((object_, "?s ?link {}"), (subject, "{} ?link ?o")):
        if isinstance(term, URIRef) and isinstance(predicate, URIRef):
            links = _links(store, pattern_text.format(_sparql_term(term)))
            if links:
                return (
                    f"no {curie(str(predicate))} there; {curie(str(term))} is linked by "
                    f"{', '.join(links)}"
                )
    return "no triple of the graph has this shape"


def _links(store: MxStore, where: str) -> list[str]:
    """The relations (not types or citations) used in triples of the shape ``where``."""
    sparql = (
        f"SELECT DISTINCT ?link {{ {where} FILTER(?link NOT IN (rdf:type, mx:citation)) }} "
        "ORDER BY ?link LIMIT 4"
    )
    try:
        result = run_query(store, sparql, timeout=_PROBE_SECONDS)
    except MxGraphError:
        return []
    return [curie(row[0].value) for row in result if isinstance(row[0], ox.NamedNode)]  # type: ignore[union-attr]


def _mentioned(store: MxStore, term: Any) -> bool:
    node = _sparql_term(term)
    return _ask(store, f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}")


def _words(iri: str) -> str:
    """The local name of an IRI as words to search for (``mxd:world-bank``: ``world bank``)."""
    local = iri.rpartition("#")[2] if "#" in iri else iri.rpartition("/")[2]
    return " ".join(local.replace("-", " ").replace("_", " ").split()) or local


def _namespace(iri: str) -> str:
    return iri.rpartition("#")[0] + "#" if "#" in iri else iri.rpartition("/")[0] + "/"


def _literal_mismatch(store: MxStore, subject: Any, predicate: Any, literal: Any) -> str | None:
    """Why a literal object matches nothing although an equal value is there."""
    head = f"{_sparql_term(subject)} {_sparql_term(predicate)} ?value"
    if literal.datatype is not None and str(literal.datatype) in _NUMERIC:
        found = _first_value(store, f"{head} FILTER(?value = {literal.n3()})")
        if found is not None and found.datatype.value != str(literal.datatype):
            kind = curie(found.datatype.value)
            written = found.value
            if found.datatype.value == _XSD + "decimal" and "." not in written:
                written += ".0"  # a bare integer in SPARQL is xsd:integer, never decimal
            return (
                f"the data holds this number as {kind} ({written}): write {written}, "
                f"or compare values with FILTER(?value = {literal})"
            )
    if literal.language is None and literal.datatype is None:
        found = _first_value(store, f"{head} FILTER(STR(?value) = {literal.n3()})")
        if found is not None and found.language:
            return (
                f"the data tags this text with a language: write {literal.n3()}@{found.language}"
                f", or compare with FILTER(STR(?value) = {literal.n3()})"
            )
    return None


def _first_value(store: MxStore, where: str) -> ox.Literal | None:
    try:
        result = run_query(store, f"SELECT ?value {{ {where} }} LIMIT 1", timeout=_PROBE_SECONDS)
    except MxGraphError:
        return None
    for row in result:  # type: ignore[union-attr]
        value = row[0]
        if isinstance(value, ox.Literal):
            return value
    return None


def _unused(store: MxStore, predicate: Any, declared: set[str]) -> str | None:
    """A declared property that no triple of the data uses."""
    from rdflib import URIRef

    if not isinstance(predicate, URIRef) or str(predicate) not in declared:
        return None
    if _ask(store, f"ASK {{ ?s {_sparql_term(predicate)} ?o }}"):
        return None
    return f"{curie(str(predicate))} is declared in the ontology but no triple uses it"
