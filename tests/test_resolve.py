"""Entity resolution: IRIs, CURIEs, labels and aliases; ambiguity, suggestions, hostile names."""

from __future__ import annotations

from pathlib import Path

import pytest

from mxgraph.backend import LocalBackend, values_block
from mxgraph.errors import AmbiguousEntity, EntityNotFound, MxGraphError
from mxgraph.resolve import (
    EntityRef,
    entity_condition,
    load_entity_index,
    normalize_name,
    parse_iri,
    resolve_entity,
)
from mxgraph.store import MxStore, open_store

MXD = "https://w3id.org/mxgraph/id/"

#: Names a user may type, any of which an attacker may try to break out of a query with.
HOSTILE_NAMES = [
    'USAID" . OPTIONAL { ?s ?p ?o } } #',
    "USAID' }",
    "}",
    "#",
    "Mexico\nUSAID",
    "\\u0022",
    '"',
    ">",
    "<>",
    "mxd:usaid> ?p ?o } #",
    "<https://w3id.org/mxgraph/id/usaid> } UNION { ?s ?p ?o",
    "https://w3id.org/mxgraph/id/usaid>",
    'mxd:usaid"',
    "\x00",
]


@pytest.fixture(scope="module")
def store() -> MxStore:
    return open_store()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("USAID", "usaid"),
        ("usaid", "usaid"),
        ("U.S. Agency for International Development", "usaid"),
        ("Merida", "merida-initiative"),
        ("Mérida Initiative", "merida-initiative"),
        ("MERIDA INITIATIVE", "merida-initiative"),
        ("mexico", "mexico"),
        ("México", "mexico"),
        ("  Mexico  ", "mexico"),
        ("mxd:mexico", "mexico"),
        ("<https://w3id.org/mxgraph/id/mexico>", "mexico"),
        ("https://w3id.org/mxgraph/id/mexico", "mexico"),
        ("merida-initiative", "merida-initiative"),
        ("U.S.-Mexico relations", "us-mexico-relations"),
        ("u.s.\u2014mexico RELATIONS", "us-mexico-relations"),
        ("Mexico\u2019s Latin American free trade partners", "latin-american-partners"),
        ("border states", "border-states"),
        ("Chile", "chile"),
    ],
)
def test_names_resolve(store: MxStore, name: str, expected: str) -> None:
    assert resolve_entity(store, name).iri == MXD + expected


def test_entity_ref_carries_label_and_curie(store: MxStore) -> None:
    assert resolve_entity(store, "usaid") == EntityRef(
        "U.S. Agency for International Development", "mxd:usaid", MXD + "usaid"
    )
    assert resolve_entity(store, "mxd:usaid").to_json() == {
        "label": "U.S. Agency for International Development",
        "curie": "mxd:usaid",
        "iri": MXD + "usaid",
    }


def test_ambiguous_name_lists_candidates(store: MxStore) -> None:
    with pytest.raises(AmbiguousEntity) as caught:
        resolve_entity(store, "u.s. and mexican border states")
    assert str(caught.value) == (
        "'u.s. and mexican border states' is ambiguous: it names "
        "U.S. and Mexican border states (participant group, mxd:border-states), "
        "U.S. and Mexican border states (count, mxd:fact-border-states); "
        "give the CURIE or IRI of the one you mean"
    )


def test_ambiguity_is_settled_by_curie(store: MxStore) -> None:
    assert resolve_entity(store, "mxd:fact-border-states").label == (
        "U.S. and Mexican border states"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Mexcio", "no entity named 'Mexcio'; did you mean: Mexico (mxd:mexico)"),
        ("Chille", "no entity named 'Chille'; did you mean: Chile (mxd:chile)"),
        (
            "Merda",
            "no entity named 'Merda'; did you mean: Merida Initiative (mxd:merida-initiative)",
        ),
        (
            "mxd:mexic",
            "no entity with IRI 'mxd:mexic'; did you mean: Mexico (mxd:mexico), "
            "Mexico Page (mxd:mexico-page)",
        ),
        ("zzzzqqq", "no entity named 'zzzzqqq'"),
        ("", "no entity name given"),
        # Sentences, ontology terms and IRIs outside the graph are not entities.
        ("mxd:p03s1", "no entity with IRI 'mxd:p03s1'"),
        ("mx:Country", "no entity with IRI 'mx:Country'"),
        ("mx:Mile", "no entity with IRI 'mx:Mile'; did you mean: Chile (mxd:chile)"),
        ("<http://example.org/x>", "no entity with IRI '<http://example.org/x>'"),
        ("http://example.org/a b", "not a valid IRI: 'http://example.org/a b'"),
    ],
)
def test_unknown_names_suggest_close_matches(store: MxStore, name: str, message: str) -> None:
    with pytest.raises(EntityNotFound) as caught:
        resolve_entity(store, name)
    assert str(caught.value) == message


def test_suggestions_are_at_most_five(store: MxStore) -> None:
    with pytest.raises(EntityNotFound) as caught:
        resolve_entity(store, "usiad")
    assert str(caught.value).count("(mxd:") == 4
    assert len(load_entity_index(store).suggestions("mexico", limit=5)) <= 5


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_match_nothing(store: MxStore, name: str) -> None:
    with pytest.raises(EntityNotFound) as caught:
        resolve_entity(store, name)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_through_a_timed_backend(store: MxStore, name: str) -> None:
    # Through a forked child too: errors come back as MxGraphError, never a crash.
    with pytest.raises(MxGraphError):
        resolve_entity(LocalBackend(store, timeout=10), name)


def test_hostile_label_in_the_data_is_found_by_its_own_name(tmp_path: Path) -> None:
    label = 'a "quoted" } # name\nwith > and \\u0022'
    escaped = label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    data = tmp_path / "hostile.ttl"
    data.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f'<http://example.org/h> skos:prefLabel "{escaped}" .\n'
        '<http://example.org/g> skos:prefLabel "plain" .\n',
        encoding="utf-8",
    )
    store = open_store([data], bundled=False)
    assert resolve_entity(store, label).iri == "http://example.org/h"
    with pytest.raises(EntityNotFound):
        resolve_entity(store, label + '" } #')


def test_index_holds_only_entities(store: MxStore) -> None:
    index = load_entity_index(store)
    assert MXD + "usaid" in index.labels
    assert not any(iri.startswith("https://w3id.org/mxgraph/ontology#") for iri in index.labels)
    assert MXD + "p03s1" not in index.labels  # a source sentence
    aliases = {n.text for n in index.names if n.iri == MXD + "usaid" and n.alias}
    assert aliases == {"USAID", "United States Agency for International Development"}


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Mérida", "merida"),
        ("U.S.–Mexico", "u.s.-mexico"),
        ("U.S.\u2011Mexico", "u.s.-mexico"),
        ("Mexico\u2019s", "mexico's"),
        ("\u201cquoted\u201d", '"quoted"'),
        ("Stra\u00dfe", "strasse"),
        ("  many\t spaces\n", "many spaces"),
        ("\uff2d\uff58", "mx"),  # full-width letters
    ],
)
def test_normalize_name(text: str, normalized: str) -> None:
    assert normalize_name(text) == normalized


def test_parse_iri() -> None:
    assert parse_iri("mxd:chile") == MXD + "chile"
    assert parse_iri("HTTPS://example.org/x") == "HTTPS://example.org/x"
    assert parse_iri("Chile") is None
    assert parse_iri("nope:chile") is None  # unknown prefix: a name, not a CURIE


def test_query_building_refuses_bad_variable_names() -> None:
    with pytest.raises(ValueError):
        entity_condition("e }")
    with pytest.raises(ValueError):
        values_block("x }", [])


def test_local_names_resolve_with_spaces_or_hyphens(store: MxStore) -> None:
    assert resolve_entity(store, "fact sheet").curie == "mxd:fact-sheet"
    assert resolve_entity(store, "Fact-Sheet").curie == "mxd:fact-sheet"


def test_store_side_prefilter_agrees_with_the_whole_index() -> None:
    """Names are picked by a regular expression in the store; the answer is the whole index's."""
    from mxgraph.resolve import load_entity_index, normalize_name

    backend = LocalBackend(open_store(), timeout=None)
    index = load_entity_index(backend)
    names = {"Merida", "mérida", "fact sheet", "u.s.–mexico", "(.*)", "\\", "a$", "x) || true"}
    for name in index.names[::29]:
        names |= {name.text, name.text.upper(), normalize_name(name.text)}
    for name in sorted(names):
        try:
            found = resolve_entity(backend, name).iri
        except MxGraphError as error:
            found = f"{type(error).__name__}: {error}"
        try:
            expected = index.resolve(name).iri
        except MxGraphError as error:
            expected = f"{type(error).__name__}: {error}"
        assert found == expected, name
