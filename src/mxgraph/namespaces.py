"""Every IRI namespace mxgraph uses, defined once.

>>> str(MX.Country)
'https://w3id.org/mxgraph/ontology#Country'
>>> PREFIXES["mxd"]
'https://w3id.org/mxgraph/id/'
"""

from __future__ import annotations

import re


class Namespace(str):
    """An IRI prefix whose attributes and items are the full IRIs of its terms.

    Plain strings rather than rdflib objects keep start-up light: lookups
    run on Oxigraph and never need rdflib.

    >>> Namespace("http://example.org/ns#").Thing
    'http://example.org/ns#Thing'
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return str(self) + name

    def __getitem__(self, name: object) -> str:
        return str(self) + str(name)


MX = Namespace("https://w3id.org/mxgraph/ontology#")
MXD = Namespace("https://w3id.org/mxgraph/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
TIME = Namespace("http://www.w3.org/2006/time#")
DCT = Namespace("http://purl.org/dc/terms/")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
WD = Namespace("http://www.wikidata.org/entity/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VANN = Namespace("http://purl.org/vocab/vann/")

#: Prefix table used for CURIEs, Turtle output and SPARQL prologues, in display order.
PREFIXES: dict[str, str] = {
    "mx": str(MX),
    "mxd": str(MXD),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "time": str(TIME),
    "dct": str(DCT),
    "oa": str(OA),
    "wd": str(WD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    "vann": str(VANN),
}

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


def sparql_prologue() -> str:
    """The PREFIX lines for every namespace in :data:`PREFIXES`.

    >>> sparql_prologue().splitlines()[0]
    'PREFIX mx: <https://w3id.org/mxgraph/ontology#>'
    """
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())


def curie(iri: str) -> str:
    """The compact ``prefix:local`` form of an IRI, or ``<iri>`` when no prefix fits.

    The longest matching namespace of :data:`PREFIXES` wins, and only when the
    rest is a valid Turtle local name, so every CURIE printed reads back.

    >>> curie("https://w3id.org/mxgraph/id/mexico")
    'mxd:mexico'
    >>> curie("http://example.org/x")
    '<http://example.org/x>'
    """
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace) :]
            if local == "" or _PN_LOCAL.match(local):
                best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    return f"<{iri}>"
