"""The one table of RDF serialization formats mxgraph reads and writes.

Every RDF format is a :class:`RdfSyntax` value; :data:`RDF_FORMATS` maps it to
its file extensions and its Oxigraph and rdflib names. Loading picks a format
by file extension, ``--data-format`` overrides it, and export and CONSTRUCT
output use the same table.

>>> rdf_format_for_path("graph/people.ttl").name
'turtle'
>>> rdf_format_for_path("dump.json").name
'jsonld'
>>> rdf_format_for_path("notes.txt", RdfSyntax.NT).label
'N-Triples'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePath

import pyoxigraph as ox

from mxgraph.errors import MxGraphError


class RdfSyntax(str, Enum):
    """The name of an RDF serialization, as given to ``--data-format`` and ``--format``."""

    TURTLE = "turtle"
    NT = "nt"
    NQ = "nq"
    TRIG = "trig"
    JSONLD = "jsonld"
    XML = "xml"
    N3 = "n3"


@dataclass(frozen=True)
class RdfFormatSpec:
    """One row of the format table."""

    name: str
    label: str
    extensions: tuple[str, ...]
    oxigraph: ox.RdfFormat
    #: The name rdflib's ``parse``/``serialize`` know the format by.
    rdflib: str
    #: Whether a file may hold named graphs (N-Quads, TriG, JSON-LD).
    dataset: bool


RDF_FORMATS: dict[RdfSyntax, RdfFormatSpec] = {
    RdfSyntax.TURTLE: RdfFormatSpec(
        "turtle", "Turtle", ("ttl", "turtle"), ox.RdfFormat.TURTLE, "turtle", False
    ),
    RdfSyntax.NT: RdfFormatSpec("nt", "N-Triples", ("nt",), ox.RdfFormat.N_TRIPLES, "nt", False),
    RdfSyntax.NQ: RdfFormatSpec("nq", "N-Quads", ("nq",), ox.RdfFormat.N_QUADS, "nquads", True),
    RdfSyntax.TRIG: RdfFormatSpec("trig", "TriG", ("trig",), ox.RdfFormat.TRIG, "trig", True),
    RdfSyntax.JSONLD: RdfFormatSpec(
        "jsonld", "JSON-LD", ("jsonld", "json"), ox.RdfFormat.JSON_LD, "json-ld", True
    ),
    RdfSyntax.XML: RdfFormatSpec(
        "xml", "RDF/XML", ("rdf", "owl", "xml"), ox.RdfFormat.RDF_XML, "xml", False
    ),
    RdfSyntax.N3: RdfFormatSpec("n3", "N3", ("n3",), ox.RdfFormat.N3, "n3", False),
}

_BY_EXTENSION: dict[str, RdfFormatSpec] = {
    ext: spec for spec in RDF_FORMATS.values() for ext in spec.extensions
}


def rdf_format_for_path(path: str | PurePath, override: RdfSyntax | None = None) -> RdfFormatSpec:
    """The format of an RDF file: ``override`` if given, else from the file's extension.

    ``-`` (standard input) has no extension and is read as Turtle unless overridden.

    >>> rdf_format_for_path("-").name
    'turtle'
    >>> rdf_format_for_path("data.csv")
    Traceback (most recent call last):
    ...
    mxgraph.errors.MxGraphError: data.csv: unknown RDF file extension '.csv'; ...
    """
    if override is not None:
        return RDF_FORMATS[RdfSyntax(override)]
    if str(path) == "-":
        return RDF_FORMATS[RdfSyntax.TURTLE]
    suffix = Path(path).suffix.lower().lstrip(".")
    spec = _BY_EXTENSION.get(suffix)
    if spec is None:
        known = ", ".join(f".{ext}" for ext in _BY_EXTENSION)
        raise MxGraphError(
            f"{path}: unknown RDF file extension '.{suffix}'; use one of {known} "
            "or give --data-format"
        )
    return spec
