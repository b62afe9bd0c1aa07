"""mxgraph: a citable knowledge graph of U.S.–Mexico relations."""

from __future__ import annotations

__version__ = "0.1.0"
