"""Smoke test of the scale benchmark's smallest size: generate, load, look up (no timings)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox

from mxgraph.backend import LocalBackend
from mxgraph.lookup import describe_entity, graph_stats, neighbors, search_entities
from mxgraph.paths import shortest_paths
from mxgraph.query import list_named_queries, run_query
from mxgraph.store import load_into_store, open_store

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", BENCHMARKS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_data_loads_and_answers_every_lookup(tmp_path: Path) -> None:
    generate = _generator()
    units = 12
    nt, ttl, count = generate.write(units, tmp_path / "data")
    assert abs(count - units * generate.TRIPLES_PER_UNIT) <= 2 * units
    # Deterministic, and the Turtle copy holds the same triples.
    assert generate.write(units, tmp_path / "again")[2] == count
    assert (tmp_path / "again" / nt.name).read_bytes() == nt.read_bytes()
    triples = set(ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES))
    assert triples == set(ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE))
    assert len(triples) == count

    added, _seconds = load_into_store([nt], tmp_path / "store")
    store = open_store(store_dir=tmp_path / "store")
    assert added == len(store)
    backend = LocalBackend(store, timeout=60)
    for query in list_named_queries():
        run_query(store, query.sparql, timeout=60)
    assert describe_entity(backend, "mxd:syn-country-0-0").entity.curie == "mxd:syn-country-0-0"
    assert neighbors(backend, "mxd:syn-country-0-0", depth=2).neighbors
    assert search_entities(backend, "Trade Agreement", limit=5).hits
    assert graph_stats(backend, top=3).triples == len(store)
    far = f"mxd:syn-country-{units // 2}-2"
    assert shortest_paths(backend, "mxd:syn-country-0-1", far).length is not None


def test_the_in_process_timings_cover_every_case(tmp_path: Path) -> None:
    """The benchmark's in-process child times every named query and lookup, both in mxgraph
    and in Oxigraph alone (a child that fails leaves those columns empty)."""
    import json
    import subprocess

    spec = importlib.util.spec_from_file_location("bench_scale", BENCHMARKS / "bench_scale.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = bench
    spec.loader.exec_module(bench)
    generate = _generator()
    units = 12
    nt, _ttl, _count = generate.write(units, tmp_path / "data")
    load_into_store([nt], tmp_path / "store")
    done = subprocess.run(
        [sys.executable, "-c", bench.IN_PROCESS, str(tmp_path / "store"), "1", str(units), ""],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    cases = {q.name for q in list_named_queries()} | {
        "describe",
        "neighbors",
        "search",
        "stats",
        "path",
    }
    assert set(measured["mx"]) == set(measured["native"]) == cases
    assert all(seconds > 0 for seconds in measured["native"].values())
