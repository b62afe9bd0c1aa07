"""Write graph/00-source.ttl: the fact sheet and one node per sentence.

Run from the project root: ``python tools/build_source_graph.py``. The output
is committed; tests check that every sentence node still quotes the text at
its offsets, so a changed source text or splitting rule shows up at once.

Each sentence is a segment of the fact sheet as Web Annotation models one: an
``oa:SpecificResource`` (typed ``mx:SourceSentence``) whose ``oa:hasSource`` is
the fact sheet and whose two ``oa:hasSelector`` are ``mxd:pNNsM-quote``, an
``oa:TextQuoteSelector`` with the text (``oa:exact``), and ``mxd:pNNsM-position``,
an ``oa:TextPositionSelector`` with the offsets (``oa:start``, ``oa:end``).
Offsets are 0-based Unicode code points into the source file, end exclusive,
typed ``xsd:nonNegativeInteger`` as the vocabulary says (Oxigraph stores them
as ``xsd:integer``). NN counts the non-blank lines of the file from 1
(``mx:paragraph``), M the sentences of that line (``mx:sentenceIndex``).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "graph" / "source" / "us-relations-with-mexico.txt"
OUTPUT = ROOT / "graph" / "00-source.ttl"

# Lines that are headings of the fact sheet's sections, not sentences.
HEADINGS = {
    "U.S.-MEXICO RELATIONS",
    "Bilateral Economic Issues",
    "U.S.-Mexico Border",
    "Educational and Cultural Exchanges",
    "U.S. Security Cooperation with Mexico",
    "Mexico’s Membership in International Organizations",
    "Bilateral Representation",
}
# A full stop after these does not end a sentence.
ABBREVIATIONS = ("U.S.", "Ave.", "tel.")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def split_sentences(line: str) -> list[tuple[int, str]]:
    """Split one line into (offset in line, sentence) pairs."""
    sentences: list[tuple[int, str]] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(line):
        candidate = line[start : match.start()]
        if candidate.endswith(ABBREVIATIONS):
            continue
        sentences.append((start, candidate))
        start = match.end()
    sentences.append((start, line[start:].rstrip()))
    return sentences


def turtle_string(text: str) -> str:
    """A Turtle string literal for text (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build() -> str:
    text = SOURCE.read_text(encoding="utf-8")
    out = [
        "# The fact sheet and its sentences, written by tools/build_source_graph.py.",
        "# Each sentence is an oa:SpecificResource of the fact sheet with two selectors: the",
        "# quote (oa:exact) and the position (oa:start, oa:end: 0-based Unicode code points",
        "# into graph/source/us-relations-with-mexico.txt, end exclusive).",
        "",
        "@prefix mx:   <https://w3id.org/mxgraph/ontology#> .",
        "@prefix mxd:  <https://w3id.org/mxgraph/id/> .",
        "@prefix dct:  <http://purl.org/dc/terms/> .",
        "@prefix oa:   <http://www.w3.org/ns/oa#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .",
        "",
        "mxd:fact-sheet",
        "    a mx:FactSheet ;",
        '    skos:prefLabel "U.S. Relations With Mexico"@en ;',
        '    skos:altLabel "U.S.-Mexico fact sheet"@en ;',
        '    dct:title "U.S. Relations With Mexico"@en ;',
        "    mx:publishedBy mxd:us-department-of-state ;",
        "    dct:language <http://id.loc.gov/vocabulary/iso639-1/en> ;",
        '    mx:sourceFile "us-relations-with-mexico.txt" ;',
        "    mx:citation mxd:p39s1 .",
    ]
    section = ""
    for number, match in enumerate(re.finditer(r"[^\n]+", text), start=1):
        line = match.group()
        if line.strip() in HEADINGS:
            section = line.strip()
            continue
        for index, (offset, sentence) in enumerate(split_sentences(line), start=1):
            start = match.start() + offset
            end = start + len(sentence)
            assert text[start:end] == sentence
            name = f"mxd:p{number:02d}s{index}"
            out += [
                "",
                name,
                "    a mx:SourceSentence ;",
                "    oa:hasSource mxd:fact-sheet ;",
                f"    oa:hasSelector {name}-quote , {name}-position ;",
                f"    mx:paragraph {number} ;",
            ]
            if section:
                out.append(f"    mx:section {turtle_string(section)} ;")
            out += [
                f"    mx:sentenceIndex {index} .",
                "",
                f"{name}-quote",
                "    a oa:TextQuoteSelector ;",
                f"    oa:exact {turtle_string(sentence)} .",
                "",
                f"{name}-position",
                "    a oa:TextPositionSelector ;",
                f'    oa:start "{start}"^^xsd:nonNegativeInteger ;',
                f'    oa:end "{end}"^^xsd:nonNegativeInteger .',
            ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
