"""Run the ``>>>`` examples of every mxgraph module, as installed."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mxgraph

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(mxgraph.__path__, "mxgraph.")
    if info.name != "mxgraph.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
