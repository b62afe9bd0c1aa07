"""How search compares words and numbers: stems, joining words, figures by value, highlights.

Both search paths (the scan of :mod:`mxgraph.search` and the word index of
:mod:`mxgraph.search_index`) compare texts with these functions, so they give
the same answers.

**Words match by stem.** :func:`stem` strips one English suffix from a word
(``crossings``, ``crossing`` and ``crossed`` all become ``cross``), and only
strips: a stem is always the start of its word, so a text holding a word also
holds its stem as a substring (the index's trigram pre-filter and the scan's
store-side regex rely on this). Words that only join others (:data:`JOINING_WORDS`:
``per``, ``each``, ``of``, ``the``...) are left out of a query that has other
words, so ``crossings per day`` finds "border crossings each day".

**Numbers match by value.** A query that is one number (:func:`query_figure`:
``2.8 billion``, ``$2.8 billion``, ``2,800,000,000``, ``2800000000``) is
compared by value with the figures of facts and with the numbers a sentence
states (:func:`figures`), written as :func:`canonical` decimal strings.

>>> [stem(w) for w in ("crossings", "crossing", "policies", "policy", "states", "day", "2018")]
['cross', 'cross', 'polic', 'polic', 'stat', 'day', '2018']
>>> query_stems("crossings per day")
['cross', 'day']
>>> query_figure("$2.8 billion") == query_figure("2,800,000,000") == "2800000000"
True
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from mxgraph.resolve import normalize_name

#: Words left out of a query that has other words: they join the words that say what is meant.
JOINING_WORDS = frozenset(
    "a an and at by each for from in into of on or per the to with".split()  # noqa: SIM905
)

#: Suffixes :func:`stem` strips, longest first; what remains keeps at least three characters.
SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed", "s", "e", "y")

_WORD = re.compile(r"\w+")

#: Scales a figure may be written with.
SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "bn": 10**9,
}

# A number as texts write it: an optional dollar sign, digits with or without thousands
# commas, decimals, and an optional scale word ("$2.8 billion", "2,000", "80").
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<dollar>(?:us)?\$\s?)?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion|bn)\b)?",
    re.IGNORECASE,
)

_QUERY_FIGURE = re.compile(
    r"(?:us\s?)?\$?\s?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn))?(?:\s+(?:dollars|usd))?",
)


def stem(word: str) -> str:
    """``word`` (normalized) without one English suffix of :data:`SUFFIXES`.

    Words with digits and words of three characters or fewer are kept whole; an
    ``s`` after ``s``, ``u`` or ``i`` stays (``cross``, ``status``, ``analysis``).

    >>> [stem(w) for w in ("programs", "program", "trading", "trade", "traded", "cross", "us")]
    ['program', 'program', 'trad', 'trad', 'trad', 'cross', 'us']
    """
    if len(word) <= 3 or any(c.isdigit() for c in word):
        return word
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word[-2] in "sui":
                continue
            return word[: -len(suffix)]
    return word


def text_stems(norm: str) -> list[str]:
    """The stems of every word of a normalized text, in order (repeats kept).

    >>> text_stems("legal border crossings each day")
    ['legal', 'border', 'cross', 'each', 'day']
    """
    return [stem(word) for word in _WORD.findall(norm)]


def query_stems(norm: str) -> list[str]:
    """The stems a normalized query's words must all have in a text, without joining words
    (unless the query has nothing else); repeats dropped, order kept.

    >>> query_stems("the united states"), query_stems("the of")
    (['unit', 'stat'], ['the', 'of'])
    """
    words = _WORD.findall(norm)
    kept = [w for w in words if w not in JOINING_WORDS] or words
    return list(dict.fromkeys(stem(word) for word in kept))


def stems_match(norm_query: str, norm_text: str) -> bool:
    """Whether every stem of the query (:func:`query_stems`) is the stem of a word of the text.

    >>> stems_match("crossings per day", "legal border crossings each day")
    True
    >>> stems_match("crossings per week", "legal border crossings each day")
    False
    """
    wanted = query_stems(norm_query)
    if not wanted:
        return False
    found = set(text_stems(norm_text))
    return all(s in found for s in wanted)


def canonical(value: Decimal) -> str:
    """A number as search compares figures: plain decimal digits, no exponent, no trailing zeros.

    >>> canonical(Decimal("2800000000.0")), canonical(Decimal("2.8E+9")), canonical(Decimal("0.50"))
    ('2800000000', '2800000000', '0.5')
    """
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def literal_figure(lexical: str) -> str | None:
    """The :func:`canonical` value of a numeric literal's lexical form; ``None`` if it is not one.

    >>> literal_figure("678000000000.0"), literal_figure("1.7E9"), literal_figure("n/a")
    ('678000000000', '1700000000', None)
    """
    try:
        value = Decimal(lexical.strip())
    except InvalidOperation:
        return None
    return canonical(value) if value.is_finite() else None


def _value(digits: str, scale: str | None) -> str:
    value = Decimal(digits.replace(",", ""))
    if scale:
        value *= SCALES[scale.lower()]
    return canonical(value)


def query_figure(text: str) -> str | None:
    """The value (:func:`canonical`) of a query that is one number, else ``None``.

    A dollar sign, thousands commas, a scale word (thousand, million, billion,
    trillion, bn) and a trailing ``dollars`` or ``USD`` may be written.

    >>> query_figure("678 billion"), query_figure("2,000"), query_figure("2.8 billion dollars")
    ('678000000000', '2000', '2800000000')
    >>> query_figure("2,000 miles") is None, query_figure("border 2020") is None
    (True, True)
    """
    match = _QUERY_FIGURE.fullmatch(normalize_name(text))
    if match is None:
        return None
    return _value(match["digits"], match["scale"])


def figures(text: str) -> list[tuple[str, int, int]]:
    """The numbers a text states: ``(value, start, end)``, offsets into ``text``.

    >>> figures("From 2008-2018, the United States has appropriated $2.8 billion.")
    [('2008', 5, 9), ('2018', 10, 14), ('2800000000', 51, 63)]
    >>> figures("a 2,000-mile border with 55 ports")
    [('2000', 2, 7), ('55', 25, 27)]
    """
    return [(_value(m["digits"], m["scale"]), m.start(), m.end()) for m in _NUMBER.finditer(text)]


def _normalized_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`~mxgraph.resolve.normalize_name` of ``text`` and, for each of its characters,
    the offset in ``text`` of the character it comes from."""
    chars: list[str] = []
    origins: list[int] = []
    pending_space = False
    for offset, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        part = normalize_name(char) if not char.isascii() else char.casefold()
        if not part:
            continue
        if pending_space:
            chars.append(" ")
            origins.append(offset)
            pending_space = False
        for piece in part:
            chars.append(piece)
            origins.append(offset)
    return "".join(chars), origins


def highlights(query: str, text: str) -> tuple[tuple[int, int], ...]:
    """Where ``text`` matches the search ``query``: ``(start, end)`` offsets into ``text``.

    The query's figure where the text states the same value; else each place the
    whole (normalized) query occurs; else each word with a stem of the query.

    >>> s = "From 2008-2018, the United States has appropriated $2.8 billion."
    >>> [s[a:b] for a, b in highlights("2,800,000,000", s)]
    ['$2.8 billion']
    >>> [s[a:b] for a, b in highlights("united states", s)]
    ['United States']
    >>> t = "hundreds of thousands of legal border crossings each day"
    >>> [t[a:b] for a, b in highlights("crossings per day", t)]
    ['crossings', 'day']
    """
    wanted_figure = query_figure(query)
    if wanted_figure is not None:
        found = [(a, b) for value, a, b in figures(text) if value == wanted_figure]
        if found:
            return tuple(found)
    norm_query = normalize_name(query)
    norm, origins = _normalized_with_offsets(text)
    spans: list[tuple[int, int]] = []
    if norm_query:
        start = norm.find(norm_query)
        while start >= 0:
            end = start + len(norm_query)
            spans.append((origins[start], origins[end - 1] + 1))
            start = norm.find(norm_query, end)
    if spans:
        return tuple(spans)
    wanted = set(query_stems(norm_query))
    for match in _WORD.finditer(norm):
        if stem(match.group()) in wanted:
            spans.append((origins[match.start()], origins[match.end() - 1] + 1))
    return tuple(spans)
