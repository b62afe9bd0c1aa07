"""Where the bundled ontology, graph and named queries live.

An installed wheel carries them as package data under ``mxgraph/data``; a
source checkout (editable install) finds them at the project's top level.

>>> ontology_files()[0].name
'mxgraph.ttl'
>>> source_text_path().name
'us-relations-with-mexico.txt'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The folder holding ``ontology/``, ``graph/`` and ``queries/``."""
    for candidate in (_PACKAGE_DIR / "data", _PACKAGE_DIR.parent.parent):
        if (candidate / "ontology" / "mxgraph.ttl").is_file():
            return candidate
    raise FileNotFoundError(f"mxgraph's bundled data is missing from {_PACKAGE_DIR}")


def ontology_files() -> list[Path]:
    """The ontology in Turtle (the SHACL shapes are separate, see :func:`shapes_file`)."""
    return [data_root() / "ontology" / "mxgraph.ttl"]


def shapes_file() -> Path:
    """The SHACL shapes the graph must satisfy."""
    return data_root() / "ontology" / "shapes.ttl"


def graph_files() -> list[Path]:
    """The data files of the bundled graph: the source and times (Turtle), then one TriG file
    per section of the fact sheet, each statement in the named graph of its sentence."""
    folder = data_root() / "graph"
    return sorted([*folder.glob("*.ttl"), *folder.glob("*.trig")])


def bundled_files() -> list[Path]:
    """Ontology and data: what a fresh mxgraph session loads."""
    return ontology_files() + graph_files()


def queries_dir() -> Path:
    """The folder of named SPARQL queries (``*.rq``)."""
    return data_root() / "queries"


def source_text_path() -> Path:
    """The fact sheet the graph cites, as plain text."""
    return data_root() / "graph" / "source" / "us-relations-with-mexico.txt"
