"""Scale benchmark: mxgraph against the oxigraph CLI and plain rdflib, 10^4 to 10^7 triples.

    python benchmarks/bench_scale.py --sizes 1e4 1e5 1e6 [1e7] [--runs 3] [--rdflib-timeout 120]

For each size: generate synthetic data (benchmarks/generate.py, N-Triples),
bulk-load it with ``mxgraph load --store`` and with ``oxigraph load`` then
``oxigraph optimize`` (both compact the store they build; wall time,
triples/s, peak RSS), then time every named query and the lookups
(``describe``, ``neighbors``, ``search``, ``stats``, ``path`` between two
distant entities) on the store: as whole ``mxgraph`` processes, and in
process (library call on an open store) where process start would dominate.
The oxigraph CLI runs the same named queries as processes; in process, the
same SPARQL runs in Oxigraph alone (pyoxigraph, results serialised as CSV),
for a lookup every query it sent, recorded on a first run. Sizes measured
before stay in the tables (``benchmarks/data/results.json``; ``--fresh``
forgets them). rdflib parses the N-Triples into an
in-memory Graph and runs the named queries with its own SPARQL engine, in a
child process stopped at ``--rdflib-timeout``. Writes benchmarks/RESULTS.md
and benchmarks/scale.png (matplotlib: ``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py, beside this file)

#: Lookups whose memory is compared with their queries' in Oxigraph alone.
MEMORY = ("search", "stats")

LOOKUPS = {
    "describe": lambda units: ["describe", "mxd:syn-country-0-0"],
    "neighbors": lambda units: ["neighbors", "mxd:syn-country-0-0", "--depth", "2"],
    "search": lambda units: ["search", "Trade Agreement", "--limit", "5"],
    "stats": lambda units: ["stats", "--top", "5"],
    "path": lambda units: ["path", "mxd:syn-country-0-1", f"mxd:syn-country-{units // 2}-2"],
}


def executable(name: str) -> list[str]:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install it (pip install -e '.[test,bench]')")
    return [found]


def timed(command: list[str], timeout: float = 3600) -> tuple[float | None, int]:
    """Wall seconds and peak RSS (KiB) of a process; seconds ``None`` if it failed or timed out."""
    has_time = Path("/usr/bin/time").exists()
    wrapped = ["/usr/bin/time", "-f", "%M", *command] if has_time else command
    start = time.perf_counter()
    try:
        done = subprocess.run(wrapped, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None, 0
    elapsed = time.perf_counter() - start
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    rss = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if done.returncode != 0:
        sys.stderr.write(f"failed: {' '.join(command)}\n{done.stderr.decode()[-2000:]}\n")
        return None, rss
    return elapsed, rss


def median_time(command: list[str], runs: int, timeout: float = 3600) -> tuple[float | None, int]:
    """Median wall seconds (one run only when it takes over 10 s) and peak RSS."""
    results = [timed(command, timeout)]
    if results[0][0] is not None and results[0][0] < 10:
        results += [timed(command, timeout) for _ in range(runs - 1)]
    times = [t for t, _ in results if t is not None]
    return (statistics.median(times) if len(times) == len(results) else None), max(
        r for _, r in results
    )


IN_PROCESS = r"""
import json, statistics, sys, time
import pyoxigraph as ox
from mxgraph.backend import LocalBackend
from mxgraph.namespaces import PREFIXES
from mxgraph.query import list_named_queries, run_query
from mxgraph.store import open_store
from mxgraph import lookup, paths
store_dir, runs, units = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
only = set(filter(None, sys.argv[4].split(","))) if len(sys.argv) > 4 else set()
store = open_store(store_dir=store_dir)

class Recording(LocalBackend):
    # Keeps the SPARQL each lookup sends, to time the same queries in Oxigraph alone:
    # (text, bindings, rows read), rows read None when the whole answer was read.
    def select(self, sparql, bindings=None):
        self.queries.append((sparql, bindings or {}, None))
        return super().select(sparql, bindings)

    def stream(self, sparql):
        # A streamed answer may be left after a few rows (stats stops reading a predicate's
        # objects at the first entity): Oxigraph alone then reads as many.
        number = len(self.queries)
        self.queries.append((sparql, {}, None))
        count = 0
        try:
            for row in super().stream(sparql):
                count += 1
                yield row
        except GeneratorExit:  # closed before its end
            self.queries[number] = (sparql, {}, count)
            raise

def backend():
    b = Recording(store, timeout=None)
    b.queries = []
    return b

far = f"mxd:syn-country-{units // 2}-2"
lookups = {
    "describe": lambda b: lookup.describe_entity(b, "mxd:syn-country-0-0"),
    "neighbors": lambda b: lookup.neighbors(b, "mxd:syn-country-0-0", depth=2),
    "search": lambda b: lookup.search_entities(b, "Trade Agreement", limit=5),
    "stats": lambda b: lookup.graph_stats(b, top=5),
    "path": lambda b: paths.shortest_paths(b, "mxd:syn-country-0-1", far),
}

def median(call):
    times = []
    for _ in range(runs):
        start = time.perf_counter(); call(); times.append(time.perf_counter() - start)
        if times[-1] > 10:
            break  # one run of a slow call is enough
    return statistics.median(times)

def native(queries):
    # Oxigraph alone, in process: evaluate each query and serialise its results as CSV,
    # as the oxigraph CLI does, without mxgraph's Python around it (an answer the lookup
    # left early: its first rows, as many as the lookup read).
    for q, bindings, read in queries:
        values = {ox.Variable(k): v for k, v in bindings.items()}
        answer = store.oxigraph.query(q, prefixes=PREFIXES, substitutions=values)
        if read is None:
            answer.serialize(format=ox.QueryResultsFormat.CSV)
        else:
            for _ in zip(range(read), answer):
                pass

out = {"mx": {}, "native": {}, "queries": {}}
for q in list_named_queries():
    if only and q.name not in only:
        continue
    out["mx"][q.name] = median(lambda: run_query(store, q.sparql, timeout=None))
    out["native"][q.name] = median(lambda: native([(q.sparql, {}, None)]))
    out["queries"][q.name] = 1
    print(json.dumps(out), flush=True)
for name, call in lookups.items():
    if only and name not in only:
        continue
    recorded = backend()
    call(recorded)
    out["mx"][name] = median(lambda: call(backend()))
    out["native"][name] = median(lambda: native(recorded.queries))
    out["queries"][name] = len(recorded.queries)
    out.setdefault("sparql", {})[name] = [(q, read) for q, b, read in recorded.queries if not b]
    print(json.dumps(out), flush=True)
"""

# Oxigraph alone on a lookup's recorded queries, as a process of its own: its peak RSS is
# what those queries need (the floor for the lookup's memory).
NATIVE = r"""
import json, sys
import pyoxigraph as ox
from mxgraph.namespaces import PREFIXES
store = ox.Store.read_only(sys.argv[1])
for q, read in json.loads(sys.argv[2]):
    answer = store.query(q, prefixes=PREFIXES)
    if read is None:
        answer.serialize(format=ox.QueryResultsFormat.CSV)
    else:
        for _ in zip(range(read), answer):
            pass
"""

RDFLIB = r"""
import json, sys, time
import rdflib
from mxgraph.namespaces import sparql_prologue
from mxgraph.query import list_named_queries
path, bundled = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
graph = rdflib.Dataset(default_union=True)  # the bundled sections are TriG
for f in bundled:
    graph.parse(f, format="trig" if f.endswith(".trig") else "turtle")
graph.parse(path, format="nt")
out = {"load": time.perf_counter() - start}
print(json.dumps(out), flush=True)
for q in list_named_queries():
    start = time.perf_counter()
    list(graph.query(sparql_prologue() + "\n" + q.sparql))
    out[q.name] = time.perf_counter() - start
    print(json.dumps(out), flush=True)
"""


def rdflib_times(nt: Path, timeout: float) -> dict[str, float]:
    """rdflib load and per-query seconds; whatever was not done within ``timeout`` is missing."""
    from mxgraph import resources

    files = [str(p) for p in resources.bundled_files()]
    return partial_json([sys.executable, "-c", RDFLIB, str(nt), *files], timeout)


def partial_json(command: list[str], timeout: float) -> dict[str, float]:
    """The last JSON line a child printed before it ended or was stopped at ``timeout``."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        output = done.stdout
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout or b""
    lines = output.decode().strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def measure(size: float, args: argparse.Namespace, work: Path) -> dict[str, object]:
    from mxgraph.query import list_named_queries

    units = generate.units_for(size)
    nt, _ttl, count = generate.write(units, args.data)
    mxgraph, oxigraph = executable("mxgraph"), executable("oxigraph")
    result: dict[str, object] = {
        "size": size,
        "triples": count,
        "units": units,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "command": " ".join(["python benchmarks/bench_scale.py", *sys.argv[1:]]),
    }
    mx_store, ox_store = work / f"mx-{units}", work / f"ox-{units}"
    from mxgraph import resources

    bundled = [str(p) for p in resources.bundled_files()]
    if args.stores is not None and mx_store.exists() and ox_store.exists():
        # Kept by an earlier run with --stores: its load times stay in the results.
        result["reused_stores"] = True
    else:
        shutil.rmtree(mx_store, ignore_errors=True)
        shutil.rmtree(ox_store, ignore_errors=True)
        seconds, rss = timed([*mxgraph, "load", str(nt), "--store", str(mx_store)])
        result["mx_load"], result["mx_load_rss"] = seconds, rss
        seconds, rss = timed(
            [*oxigraph, "load", "--location", str(ox_store), "--file", str(nt), *bundled]
        )
        # mxgraph load compacts the store it built (Store.optimize): so does the oxigraph
        # side, in the time of its load, so both answer queries from the same layout.
        compacted, compact_rss = timed([*oxigraph, "optimize", "--location", str(ox_store)])
        if seconds is not None:
            seconds = None if compacted is None else seconds + compacted
        result["ox_load"], result["ox_load_rss"] = seconds, max(rss, compact_rss)
    sys.stderr.write(f"{count} triples loaded\n")
    cli: dict[str, float | None] = {}
    ox: dict[str, float | None] = {}
    peak = 0
    from mxgraph.namespaces import sparql_prologue

    for query in list_named_queries():
        if args.only and query.name not in args.only:
            continue
        cli[query.name], rss = median_time(
            [
                *mxgraph,
                "query",
                "--named",
                query.name,
                "--format",
                "csv",
                "--store",
                str(mx_store),
                "--timeout",
                "0",
            ],
            args.runs,
        )
        peak = max(peak, rss)
        qfile = work / f"{query.name}.rq"
        qfile.write_text(sparql_prologue() + "\n" + query.sparql)
        ox[query.name], _ = median_time(
            [
                *oxigraph,
                "query",
                "--location",
                str(ox_store),
                "--query-file",
                str(qfile),
                "--results-format",
                "csv",
            ],
            args.runs,
        )
    cli_rss: dict[str, int] = {}
    for name, lookup_args in LOOKUPS.items():
        if args.only and name not in args.only:
            continue
        cli[name], rss = median_time(
            [
                *mxgraph,
                *lookup_args(units),
                "--format",
                "json",
                "--store",
                str(mx_store),
                "--timeout",
                "0",
            ],
            args.runs,
            args.lookup_timeout,
        )
        cli_rss[name] = rss
        peak = max(peak, rss)
    only = ",".join(args.only or [])
    result["in_process"] = partial_json(
        [sys.executable, "-c", IN_PROCESS, str(mx_store), str(args.runs), str(units), only],
        args.lookup_timeout * 4,
    )
    native_rss: dict[str, int] = {}
    recorded = _get(result, "in_process", "sparql")
    for name in MEMORY:
        queries = recorded.get(name) if isinstance(recorded, dict) else None
        if queries:
            _, native_rss[name] = timed(
                [sys.executable, "-c", NATIVE, str(mx_store), json.dumps(queries)],
                args.lookup_timeout,
            )
    result["cli"], result["ox"] = cli, ox
    result["lookup_rss"] = peak
    result["cli_rss"], result["native_rss"] = cli_rss, native_rss
    if isinstance(result["in_process"], dict):
        result["in_process"].pop("sparql", None)
    sys.stderr.write(f"{count} triples: queries done; rdflib next\n")
    result["rdflib"] = rdflib_times(nt, args.rdflib_timeout)
    result["rdflib_timeout"] = f"{args.rdflib_timeout:g}"
    if args.stores is None:
        shutil.rmtree(mx_store, ignore_errors=True)
        shutil.rmtree(ox_store, ignore_errors=True)
    return result


def ms(value: object) -> str:
    """Milliseconds, with a decimal under 10 ms."""
    if not isinstance(value, (int, float)):
        return "-"
    return f"{value * 1000:.1f}" if value < 0.01 else f"{value * 1000:,.0f}"


def write_results(results: list[dict[str, object]], args: argparse.Namespace) -> str:
    lines = [
        "# Scale benchmark results",
        "",
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"{_cpus()} CPUs, Python {platform.python_version()}. Median of the runs given "
        "(one run of anything over 10 s); rdflib capped per size (load and queries "
        "together). Each size was measured by the command named in its section; sizes "
        "measured by earlier runs are kept from `benchmarks/data/results.json`.",
        "",
        "## Load (`mxgraph load --store` vs `oxigraph load` then `oxigraph optimize`, bundled "
        "graph included)",
        "",
        "| triples | mxgraph s | mxgraph triples/s | oxigraph s | oxigraph triples/s "
        "| mxgraph/oxigraph rate | mxgraph peak RSS MiB | rdflib parse s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        n = int(r["triples"])  # type: ignore[call-overload]
        mx, ox = r["mx_load"], r["ox_load"]
        mx_rate = n / mx if isinstance(mx, float) else None
        ox_rate = n / ox if isinstance(ox, float) else None
        ratio = f"{mx_rate / ox_rate:.0%}" if mx_rate and ox_rate else "-"
        rl = r["rdflib"].get("load") if isinstance(r["rdflib"], dict) else None
        capped = f"over {r.get('rdflib_timeout', '?')} s"
        lines.append(
            f"| {n:,} | {mx if mx is None else f'{mx:.2f}'} | {mx_rate or 0:,.0f} | "
            f"{ox if ox is None else f'{ox:.2f}'} | {ox_rate or 0:,.0f} | {ratio} | "
            f"{int(r['mx_load_rss']) // 1024} | "  # type: ignore[call-overload]
            f"{f'{rl:.1f}' if rl else capped} |"
        )
    for r in results:
        n = int(r["triples"])  # type: ignore[call-overload]
        cli, ox = r["cli"], r["ox"]
        inproc, rdfl = r["in_process"], r["rdflib"]
        assert isinstance(cli, dict) and isinstance(ox, dict) and isinstance(inproc, dict)
        assert isinstance(rdfl, dict)
        mx_in, native, counts = (inproc.get(k, {}) for k in ("mx", "native", "queries"))
        lines += [
            "",
            f"## Queries and lookups at {n:,} triples (ms; peak RSS of lookups "
            f"{int(r['lookup_rss']) // 1024} MiB)",  # type: ignore[call-overload]
            "",
            f"Measured {r.get('date', '?')} by `{r.get('command', '?')}`.",
            "",
            "*In process*: mxgraph = the library call on an open store (`run_query`, or the "
            "lookup function); oxigraph = the same SPARQL evaluated by pyoxigraph (the "
            "engine of the oxigraph CLI) with its results serialised as CSV, nothing else — "
            "for a lookup, every query the lookup sent (the *queries* column), one after "
            "the other. *Process*: whole `mxgraph` and `oxigraph query` commands.",
            "",
            "| case | queries | mxgraph process | oxigraph process | mxgraph in process "
            "| oxigraph in process | mxgraph/oxigraph (in process) | rdflib | rdflib/mxgraph |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in cli:
            mine, floor = mx_in.get(name), native.get(name)
            ratio = f"{mine / floor:.2f}x" if mine and floor else "-"
            rl = rdfl.get(name)
            rl_text = (
                ms(rl)
                if rl is not None
                else (f"over {r.get('rdflib_timeout', '?')} s" if name in ox else "-")
            )
            rl_ratio = f"{rl / mine:.0f}x" if rl and mine else "-"
            lines.append(
                f"| {name} | {counts.get(name, '-')} | {ms(cli[name])} | {ms(ox.get(name))} | "
                f"{ms(mine)} | {ms(floor)} | {ratio} | {rl_text} | {rl_ratio} |"
            )
        cli_rss, native_rss = r.get("cli_rss") or {}, r.get("native_rss") or {}
        assert isinstance(cli_rss, dict) and isinstance(native_rss, dict)
        memory = [name for name in MEMORY if cli_rss.get(name) and native_rss.get(name)]
        if memory:
            lines += [
                "",
                "Peak RSS (MiB): the whole `mxgraph` command against its queries run by "
                "Oxigraph alone (pyoxigraph, results serialised as CSV) in a process of their own.",
                "",
                "| lookup | mxgraph MiB | its queries in oxigraph MiB | ratio |",
                "|---|---:|---:|---:|",
            ]
            for name in memory:
                mine_rss, floor_rss = cli_rss[name], native_rss[name]
                lines.append(
                    f"| {name} | {mine_rss // 1024} | {floor_rss // 1024} | "
                    f"{mine_rss / floor_rss:.2f}x |"
                )
    return "\n".join(lines) + "\n"


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _get(record: object, *keys: str) -> object:
    """``record[k1][k2]...``, ``None`` where a level is missing."""
    for key in keys:
        record = record.get(key) if isinstance(record, dict) else None
    return record


def plot(results: list[dict[str, object]], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [_get(r, "triples") for r in results]
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.5))
    for key, label in (("mx_load", "mxgraph load"), ("ox_load", "oxigraph load")):
        left.plot(sizes, [_get(r, key) for r in results], marker="o", label=label)
    left.plot(sizes, [_get(r, "rdflib", "load") for r in results], marker="o", label="rdflib parse")
    left.set(xscale="log", yscale="log", xlabel="triples", ylabel="seconds", title="Load")
    for name, axes in (("agreements", middle), ("dollar-figures", middle)):
        for engine, key, style in (("mxgraph", "mx", "-"), ("oxigraph", "native", "--")):
            axes.plot(
                sizes,
                [_get(r, "in_process", key, name) for r in results],
                style,
                marker="o",
                label=f"{engine} {name}",
            )
        axes.plot(
            sizes,
            [_get(r, "rdflib", name) for r in results],
            ":",
            marker="x",
            label=f"rdflib {name}",
        )
    middle.set(xscale="log", yscale="log", xlabel="triples", title="Heaviest named queries")
    for number, name in enumerate(("describe", "path", "search", "stats")):
        color = f"C{number}"
        for engine, key, style in (("mxgraph", "mx", "-"), ("oxigraph", "native", "--")):
            right.plot(
                sizes,
                [_get(r, "in_process", key, name) for r in results],
                style,
                color=color,
                marker="o",
                label=f"{engine} {name}" if key == "mx" else f"its queries in oxigraph ({name})",
            )
    right.set(xscale="log", yscale="log", xlabel="triples", title="Lookups (in process)")
    for axes in (left, middle, right):
        axes.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(target, dpi=110)


def _update(earlier: dict[str, object], measured: dict[str, object]) -> dict[str, object]:
    """``earlier`` with what ``measured`` has, case by case in the tables (for ``--only``)."""
    result = {**earlier, **measured}
    for key in ("cli", "ox", "cli_rss", "native_rss", "in_process"):
        old, new = earlier.get(key), measured.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            merged = {**old, **new}
            if key == "in_process":
                for part in ("mx", "native", "queries"):
                    merged[part] = {**old.get(part, {}), **new.get(part, {})}
            result[key] = merged
    for key in ("rdflib", "mx_load", "ox_load", "mx_load_rss", "ox_load_rss"):
        if earlier.get(key) and not measured.get(key):
            result[key] = earlier[key]
    lookup_rss = [earlier.get("lookup_rss"), measured.get("lookup_rss")]
    result["lookup_rss"] = max(int(str(r)) for r in lookup_rss if r is not None)
    result["command"] = f"{earlier.get('command', '?')}; {measured.get('command')}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e4, 1e5, 1e6])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, metavar="SECONDS")
    parser.add_argument("--lookup-timeout", type=float, default=120.0, metavar="SECONDS")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="measure only these named queries and lookups (for example: search stats)",
    )
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--plot", type=Path, default=HERE / "scale.png")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="forget the sizes measured before (kept in DATA/results.json)",
    )
    parser.add_argument(
        "--stores",
        type=Path,
        metavar="DIR",
        help="keep the stores each size loads in DIR, and use those already there instead of "
        "loading again (their load times stay as measured before)",
    )
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    if args.stores is not None:
        args.stores.mkdir(parents=True, exist_ok=True)
    saved = args.data / "results.json"
    # Sizes measured before (same data folder) stay in the tables unless measured again.
    earlier = [] if args.fresh or not saved.exists() else json.loads(saved.read_text())
    results: list[dict[str, object]] = []

    def merged() -> list[dict[str, object]]:
        again = {r["units"] for r in results}
        kept = [r for r in earlier if r["units"] not in again]
        return sorted(kept + results, key=lambda r: int(str(r["triples"])))

    # Stores go beside the generated data (git-ignored, same disk), never into the repository.
    with tempfile.TemporaryDirectory(dir=args.data) as tmp:
        for size in args.sizes:
            measured = measure(size, args, args.stores or Path(tmp))
            if measured.pop("reused_stores", False) or args.only:
                # What was not measured again (the loads, the other cases) stays as before.
                measured = _update(
                    next((r for r in earlier if r["units"] == measured["units"]), {}), measured
                )
            results.append(measured)
            saved.write_text(json.dumps(merged(), indent=1))
            args.results.write_text(write_results(merged(), args))
            sys.stderr.write(f"wrote {args.results}\n")
    try:
        plot(merged(), args.plot)
    except ImportError:
        sys.stderr.write("matplotlib missing: no plot (pip install -e '.[bench]')\n")


if __name__ == "__main__":
    main()
