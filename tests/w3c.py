"""The W3C test suites (Turtle, N-Triples, RDF/XML, SPARQL 1.1 syntax), as rdflib ships them.

rdflib's source distribution on the package index carries the W3C suites under
``test/data/suites/w3c/``. :func:`w3c_suites_dir` downloads the distribution of
the installed rdflib once (``pip download``), keeps only that folder in pytest's
cache and returns it. Without the package index the tests that need it skip,
except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

_MEMBER_PREFIX = "test/data/suites/w3c/"


def w3c_suites_dir(cache: Path) -> Path:
    """The folder holding the W3C suites (``sparql11/``, ``turtle/``, ...), downloaded once
    into a folder of ``cache``."""
    version = importlib.metadata.version("rdflib")
    target = cache / f"w3c-suites-rdflib-{version}"
    target.mkdir(parents=True, exist_ok=True)
    if (target / ".complete").exists():
        return target
    with tempfile.TemporaryDirectory() as download:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        command += ["--no-binary", ":all:", f"rdflib=={version}", "--dest", download]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        archives = list(Path(download).glob("rdflib-*.tar.gz"))
        if done.returncode != 0 or not archives:
            reason = f"cannot download rdflib {version}'s sources for the W3C suites"
            if os.environ.get("CI"):
                pytest.fail(f"{reason}: {done.stderr.strip()[-300:]}")
            pytest.skip(reason)
        with tarfile.open(archives[0]) as archive:
            for member in archive.getmembers():
                _, _, inside = member.name.partition("/")
                if inside.startswith(_MEMBER_PREFIX) and (member.isfile() or member.isdir()):
                    member.name = inside[len(_MEMBER_PREFIX) :]
                    if member.name:
                        archive.extract(member, target, filter="data")
    (target / ".complete").touch()
    return target
