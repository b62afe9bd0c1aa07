"""Check a graph against mxgraph's SHACL shapes and its closed vocabulary.

Four checks, one report:

* **SHACL** (pyshacl): the shapes in ``ontology/shapes.ttl`` over the data
  plus the ontology, so ``sh:class`` follows ``rdfs:subClassOf``.
* **Quotes**: each sentence's ``oa:exact`` is the text of its source file
  between ``oa:start`` and ``oa:end`` (:func:`quote_mismatches`; SHACL cannot
  read files). Reported with the SHACL violations.
* **Closed world**: every predicate and class the data uses, and every
  ``mx:`` IRI anywhere, is declared in the ontology or is a known term of a
  W3C vocabulary (:data:`mxgraph.vocabulary.KNOWN_TERMS`). RDF accepts
  ``skos:prefLable`` silently; this check does not.
* **Consistency** (optional, on in the CLI): HermiT over ontology, data and
  the axioms of the reused W3C vocabularies (:mod:`mxgraph.reasoner`).

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
from mxgraph.reasoner import ConsistencyReport, check_consistency
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
    consistency: ConsistencyReport | None = None

    @property
    def conforms(self) -> bool:
        """True when there is no SHACL violation, no undeclared term, and HermiT (if run) agrees."""
        consistent = self.consistency is None or self.consistency.ok
        return not self.violations and not self.undeclared_terms and consistent


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


# Each sentence's quote and offsets, and the source file of its document.
_QUOTES_QUERY = """
PREFIX mx: <https://w3id.org/mxgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?sentence ?exact ?start ?end ?file WHERE {
    ?sentence oa:hasSource ?document ;
              oa:hasSelector/oa:exact ?exact ;
              oa:hasSelector/oa:start ?start ;
              oa:hasSelector/oa:end ?end .
    ?document mx:sourceFile ?file .
}
"""


def quote_mismatches(store: MxStore) -> list[Violation]:
    """Sentences whose ``oa:exact`` is not the source text between ``oa:start`` and ``oa:end``.

    Only documents whose ``mx:sourceFile`` ships with mxgraph (``graph/source/``)
    are compared; offsets are 0-based code points, end exclusive.

    >>> from mxgraph.store import open_store
    >>> quote_mismatches(open_store())
    []
    """
    folder = resources.source_text_path().parent
    texts: dict[str, str | None] = {}
    found = []
    solutions = store.oxigraph.query(_QUOTES_QUERY)
    assert isinstance(solutions, ox.QuerySolutions)
    for sentence, exact, start, end, file in solutions:
        if not isinstance(sentence, ox.NamedNode):
            continue
        if not (
            isinstance(exact, ox.Literal)
            and isinstance(start, ox.Literal)
            and isinstance(end, ox.Literal)
            and isinstance(file, ox.Literal)
        ):
            continue
        if file.value not in texts:
            path = folder / file.value
            is_shipped = path.parent == folder and path.is_file()
            texts[file.value] = path.read_text(encoding="utf-8") if is_shipped else None
        text = texts[file.value]
        try:
            begin, stop = int(start.value), int(end.value)
        except ValueError:
            continue  # the shapes report offsets that are not integers
        if text is not None and text[begin:stop] != exact.value:
            found.append(
                Violation(
                    focus=curie(sentence.value),
                    path="oa:exact",
                    value=None,
                    constraint="QuoteCheck",
                    message=f"oa:exact is not the text of {file.value} between oa:start and oa:end",
                )
            )
    return sorted(found, key=lambda v: v.focus)


def validate_store(store: MxStore, *, reasoner: bool = False) -> ValidationReport:
    """Validate everything in the store: SHACL shapes, quotes, the closed vocabulary and,
    with ``reasoner``, consistency under HermiT (see :mod:`mxgraph.reasoner`)."""
    violations = shacl_violations(store) + quote_mismatches(store)
    return ValidationReport(
        triples=len(store),
        violations=sorted(violations, key=lambda v: (v.focus, v.path or "", v.constraint)),
        undeclared_terms=undeclared_terms(store),
        consistency=check_consistency(store) if reasoner else None,
    )
