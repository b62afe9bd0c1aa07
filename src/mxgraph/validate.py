"""Check a graph against mxgraph's SHACL shapes and its closed vocabulary.

Two checks, one report:

* **SHACL** (pyshacl): the shapes in ``ontology/shapes.ttl`` over the data
  plus the ontology, so ``sh:class`` follows ``rdfs:subClassOf``.
* **Closed world**: every predicate and class the data uses, and every
  ``mx:`` IRI anywhere, is declared in the ontology or is a known term of a
  W3C vocabulary (:data:`mxgraph.vocabulary.KNOWN_TERMS`). RDF accepts
  ``skos:prefLable`` silently; this check does not.

>>> from mxgraph.store import open_store
>>> report = validate_store(open_store())
>>> report.conforms, report.violations, report.undeclared_terms
(True, [], [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from mxgraph import resources
from mxgraph.namespaces import MX, OWL, RDF, RDFS, SH, curie
from mxgraph.store import MxStore
from mxgraph.vocabulary import KNOWN_TERMS

_DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDFS.Class,
    RDF.Property,
)

_IRI = re.compile(r"https?://[^\s<>\"{}|^`]+[^\s<>\"{}|^`.,;:]")

# Every predicate, every class, and every mx: IRI in any position.
_USED_TERMS = f"""
SELECT ?term (COUNT(*) AS ?uses) WHERE {{
    {{ ?s ?term ?o }}
    UNION {{ ?s a ?term }}
    UNION {{ ?term ?p ?o FILTER(STRSTARTS(STR(?term), "{MX}")) }}
    UNION {{ ?s ?p ?term FILTER(isIRI(?term) && STRSTARTS(STR(?term), "{MX}")) }}
}}
GROUP BY ?term
"""


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, with terms as CURIEs."""

    focus: str
    path: str | None
    value: str | None
    constraint: str
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        parts = [self.focus]
        if self.path:
            parts.append(self.path)
        if self.value:
            parts.append(f"value {self.value}")
        return f"{' '.join(parts)}: {self.message} [{self.constraint}]"


@dataclass(frozen=True)
class UndeclaredTerm:
    """A predicate or class that neither the ontology nor a known vocabulary declares."""

    term: str
    uses: int

    def __str__(self) -> str:
        return f"{self.term}: used {self.uses} time(s) but declared nowhere (a typo?)"


@dataclass
class ValidationReport:
    """The outcome of :func:`validate_store`."""

    triples: int
    violations: list[Violation] = field(default_factory=list)
    undeclared_terms: list[UndeclaredTerm] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when there is neither a SHACL violation nor an undeclared term."""
        return not self.violations and not self.undeclared_terms


def _ontology_store() -> ox.Store:
    schema = ox.Store()
    for path in resources.ontology_files():
        schema.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return schema


def declared_terms(schema: ox.Store) -> set[str]:
    """IRIs the ontology declares: classes, properties and its own individuals."""
    declared: set[str] = set()
    for quad in schema.quads_for_pattern(None, None, None):
        if isinstance(quad.subject, ox.NamedNode):
            declared.add(quad.subject.value)
    return declared


def undeclared_terms(store: MxStore) -> list[UndeclaredTerm]:
    """Predicates, classes and ``mx:`` IRIs the data uses without a declaration.

    >>> from mxgraph.store import open_store
    >>> store = open_store(bundled=False)
    >>> _ = store.load_bytes(
    ...     b'<http://ex.org/a> <http://www.w3.org/2004/02/skos/core#prefLable> "x" .', "typo.ttl")
    >>> [str(t) for t in undeclared_terms(store)]
    ['skos:prefLable: used 1 time(s) but declared nowhere (a typo?)']
    """
    declared = declared_terms(_ontology_store())
    solutions = store.oxigraph.query(_USED_TERMS)
    assert isinstance(solutions, ox.QuerySolutions)
    found = []
    for row in solutions:
        term = row["term"]
        uses = row["uses"]
        if not isinstance(term, ox.NamedNode) or not isinstance(uses, ox.Literal):
            continue
        if term.value in declared or term.value in KNOWN_TERMS:
            continue
        found.append(UndeclaredTerm(curie(term.value), int(uses.value)))
    return sorted(found, key=lambda t: t.term)


def shacl_violations(store: MxStore) -> list[Violation]:
    """Run pyshacl with mxgraph's shapes over the store's triples plus the ontology."""
    import pyshacl
    import rdflib

    data = store.to_rdflib()
    if not store.has_ontology():
        for path in resources.ontology_files():
            data.parse(path, format="turtle")
    shapes = rdflib.Graph().parse(resources.shapes_file(), format="turtle")
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    assert isinstance(results, rdflib.Graph)
    sh = rdflib.Namespace(SH)

    def term(node: object) -> str | None:
        if node is None:
            return None
        if isinstance(node, rdflib.URIRef):
            return curie(str(node))
        if isinstance(node, rdflib.Literal):
            if node.datatype is not None:
                return f'"{node}"^^{curie(str(node.datatype))}'
            return node.n3()
        return "[]"

    violations = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        component = results.value(result, sh.sourceConstraintComponent)
        severity = results.value(result, sh.resultSeverity)
        violations.append(
            Violation(
                focus=term(results.value(result, sh.focusNode)) or "?",
                path=term(results.value(result, sh.resultPath)),
                value=term(results.value(result, sh.value)),
                constraint=str(component).rsplit("#", 1)[-1],
                message=_IRI.sub(
                    lambda m: curie(m[0]), str(results.value(result, sh.resultMessage) or "")
                ),
                severity=str(severity).rsplit("#", 1)[-1],
            )
        )
    return sorted(violations, key=lambda v: (v.focus, v.path or "", v.constraint, v.value or ""))


def validate_store(store: MxStore) -> ValidationReport:
    """Validate everything in the store: SHACL shapes and the closed vocabulary."""
    return ValidationReport(
        triples=len(store),
        violations=shacl_violations(store),
        undeclared_terms=undeclared_terms(store),
    )
