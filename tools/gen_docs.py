"""Write the generated docs: docs/cli.md, docs/ontology.md and the outputs in docs/cookbook.md.

    python tools/gen_docs.py          # rewrite the files
    python tools/gen_docs.py --check  # exit 1 and name the stale files, write nothing

The cookbook's questions and commands are written by hand; this script only
replaces the output shown under each ``$ mxgraph ...`` line with what the
command prints now. tests/test_docs.py runs the same comparison.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mxgraph.docgen import cli_reference, ontology_reference, refresh_cookbook

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args()
    cookbook = DOCS / "cookbook.md"
    wanted = {
        DOCS / "cli.md": cli_reference(),
        DOCS / "ontology.md": ontology_reference(),
    }
    if cookbook.is_file():
        wanted[cookbook] = refresh_cookbook(cookbook.read_text(encoding="utf-8"))
    stale = [
        path
        for path, text in wanted.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"out of date: {path}", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
