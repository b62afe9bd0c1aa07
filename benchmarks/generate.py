"""Deterministic synthetic data in mxgraph's ontology, shaped like the bundled graph.

    python benchmarks/generate.py --triples 1e6 [--out benchmarks/data]

One **unit** is a small world: countries, an international organization
with members, an agreement with parties, a U.S. agency running a program
aimed at a country, quantitative facts (value, unit or currency, year) and
the source sentences that cite them. Units link to their neighbours (each
country cooperates with the next unit's first country), so the graph is
connected and far-apart entities are many steps apart. The same ``units``
always give the same triples. Files: ``synthetic-N.nt`` and ``synthetic-N.ttl``.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

MX = "https://w3id.org/mxgraph/ontology#"
MXD = "https://w3id.org/mxgraph/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "http://schema.org/"

#: Triples one unit produces (checked by the smoke test).
TRIPLES_PER_UNIT = 102

WORDS = (
    "Alta",
    "Baja",
    "Costa",
    "Nueva",
    "Santa",
    "Verde",
    "Rio",
    "Sierra",
    "Monte",
    "Valle",
    "Punta",
    "Isla",
    "Mar",
    "Sol",
    "Luna",
    "Norte",
    "Sur",
    "Este",
    "Oeste",
    "Gran",
)


def _iri(local: str) -> str:
    return f"<{MXD}{local}>"


def _mx(local: str) -> str:
    return f"<{MX}{local}>"


def _text(value: str, language: str = "en") -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{language}'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def unit_triples(n: int, units: int) -> Iterator[tuple[str, str, str]]:
    """The triples of unit ``n`` of ``units`` (subject, predicate, object in N-Triples)."""
    rng = random.Random(n)
    label = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
    pref, alt, a = f"<{SKOS}prefLabel>", f"<{SKOS}altLabel>", f"<{RDF_TYPE}>"
    countries = [f"syn-country-{n}-{k}" for k in range(3)]
    org, agreement = f"syn-org-{n}", f"syn-agreement-{n}"
    agency, program = f"syn-agency-{n}", f"syn-program-{n}"
    year = f"syn-year-{2000 + n % 25}"
    sentences = [f"syn-s{n}-{k}" for k in range(4)]
    for k, country in enumerate(countries):
        yield _iri(country), a, _mx("Country")
        yield _iri(country), pref, _text(f"{label} Country {k}")
        yield _iri(country), alt, _text(f"País {label} {k}", "es")
        yield _iri(country), _mx("memberOf"), _iri(org)
        yield _iri(country), _mx("citation"), _iri(sentences[0])
    following = f"syn-country-{(n + 1) % units}-0"
    yield _iri(countries[0]), _mx("cooperatesWith"), _iri(following)
    yield _iri(countries[1]), _mx("cooperatesWith"), _iri(countries[2])
    yield _iri(org), a, _mx("InternationalOrganization")
    yield _iri(org), pref, _text(f"{label} Organization")
    yield _iri(org), alt, _text(f"ORG{n}")
    yield _iri(org), f"<{DCT}description>", _text(f"A regional body of the {label} countries.")
    yield _iri(org), _mx("citation"), _iri(sentences[1])
    yield _iri(agreement), a, _mx("TradeAgreement")
    yield _iri(agreement), pref, _text(f"{label} Trade Agreement")
    for country in countries[:2]:
        yield _iri(agreement), _mx("hasParty"), _iri(country)
        yield _iri(country), _mx("partyTo"), _iri(agreement)
    yield _iri(agreement), _mx("signingDate"), _typed(f"{2000 + n % 25}-01-01", "date")
    yield _iri(agreement), _mx("citation"), _iri(sentences[1])
    yield _iri(agency), a, _mx("USGovernmentAgency")
    yield _iri(agency), pref, _text(f"{label} Agency")
    yield _iri(agency), _mx("agencyOf"), _iri("united-states" if n % 10 == 0 else countries[0])
    yield _iri(agency), _mx("runs"), _iri(program)
    yield _iri(program), a, _mx("Program")
    yield _iri(program), pref, _text(f"{label} Program")
    yield _iri(program), _mx("runBy"), _iri(agency)
    yield _iri(program), _mx("targets"), _iri(countries[2])
    yield _iri(program), _mx("participant"), _iri(countries[1])
    yield _iri(program), _mx("citation"), _iri(sentences[2])
    for k, (kind, value) in enumerate((("TradeValue", rng.randint(1, 10**9)), ("Share", 50))):
        fact = f"syn-fact-{n}-{k}"
        yield _iri(fact), a, _mx(kind)
        yield _iri(fact), pref, _text(f"{label} {kind} {k}")
        yield _iri(fact), _mx("origin"), _iri(countries[0])
        yield _iri(fact), _mx("destination"), _iri(countries[1])
        yield _iri(fact), _mx("value"), _typed(f"{value}.0", "decimal")
        if kind == "Share":
            yield _iri(fact), _mx("unit"), _mx("Percent")
            yield _iri(fact), _mx("qualifier"), _mx("Approximate")
            yield _iri(fact), _mx("qualifierText"), _text("about").removesuffix("@en")
        else:
            yield _iri(fact), f"<{SCHEMA}currency>", '"USD"'
        yield _iri(fact), _mx("referenceTime"), _iri(year)
        yield _iri(fact), _mx("citation"), _iri(sentences[3])
    for k, sentence in enumerate(sentences):
        # As in graph/00-source.ttl: the text and the position are two selectors.
        text = f"Sentence {k} about {label}, for the synthetic benchmark."
        quote, position = f"{sentence}-quote", f"{sentence}-position"
        yield _iri(sentence), a, _mx("SourceSentence")
        yield _iri(sentence), f"<{OA}hasSource>", _iri("fact-sheet")
        yield _iri(sentence), f"<{OA}hasSelector>", _iri(quote)
        yield _iri(sentence), f"<{OA}hasSelector>", _iri(position)
        yield _iri(sentence), _mx("paragraph"), _typed(n + 1, "integer")
        yield _iri(sentence), _mx("sentenceIndex"), _typed(k + 1, "integer")
        yield _iri(quote), a, f"<{OA}TextQuoteSelector>"
        yield _iri(quote), f"<{OA}exact>", _text(text).removesuffix("@en")
        yield _iri(position), a, f"<{OA}TextPositionSelector>"
        yield _iri(position), f"<{OA}start>", _typed(k * 100, "nonNegativeInteger")
        yield _iri(position), f"<{OA}end>", _typed(k * 100 + len(text), "nonNegativeInteger")
    if n < 25:  # the years, once
        yield _iri(year), a, "<http://www.w3.org/2006/time#Instant>"
        yield _iri(year), pref, _text(str(2000 + n % 25))


def units_for(triples: float) -> int:
    """How many units make about ``triples`` triples."""
    return max(1, round(triples / TRIPLES_PER_UNIT))


def write(units: int, folder: Path) -> tuple[Path, Path, int]:
    """Write ``units`` units as N-Triples and Turtle; returns both paths and the triple count."""
    folder.mkdir(parents=True, exist_ok=True)
    nt, ttl = folder / f"synthetic-{units}.nt", folder / f"synthetic-{units}.ttl"
    count = 0
    with nt.open("w", encoding="utf-8") as nt_out, ttl.open("w", encoding="utf-8") as ttl_out:
        for n in range(units):
            subject = None
            for s, p, o in unit_triples(n, units):
                nt_out.write(f"{s} {p} {o} .\n")
                # Turtle: one subject block per run of triples sharing the subject.
                ttl_out.write(f"{' ;' if s == subject else (' .' if subject else '')}\n")
                ttl_out.write(f"    {p} {o}" if s == subject else f"{s} {p} {o}")
                subject = s
                count += 1
            ttl_out.write(" .\n")
            subject = None
    return nt, ttl, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=float, default=1e4, help="about how many triples")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    args = parser.parse_args()
    nt, ttl, count = write(units_for(args.triples), args.out)
    print(f"{count} triples: {nt} {ttl}")


if __name__ == "__main__":
    main()
