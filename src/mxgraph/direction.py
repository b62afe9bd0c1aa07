"""Which way a relation runs, as lookups and the ``--direction`` option name it.

Kept apart from :mod:`mxgraph.lookup` so the command line can offer the
choice without importing the lookups themselves.

>>> Direction("in") is Direction.IN
True
"""

from __future__ import annotations

from enum import Enum


class Direction(str, Enum):
    """Which way a relation runs: ``out`` from the entity looked at, ``in`` to it, or ``both``."""

    OUT = "out"
    IN = "in"
    BOTH = "both"
