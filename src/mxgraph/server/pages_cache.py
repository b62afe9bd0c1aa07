"""What the server keeps for the next request: the served graph does not change.

``mxgraph serve`` opens its store read-only (or holds in memory the files it
read), so a page or a query's answer, once written, stays right for as long as
the server runs. :class:`KeptCache` keeps the most recently used ones within a
count and a byte budget; :class:`PageCache` keeps pages (responses),
``Site.answers`` the answers of ``/sparql`` queries (see
:mod:`mxgraph.server.site`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from starlette.responses import Response

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class KeptCache(Generic[K, V]):
    """The last values put (least recently used dropped first), within ``entries`` values
    and ``size`` bytes as ``weigh(key, value)`` counts them (the key too: a key can be
    large, such as a query's text); an entry weighing more than ``size`` is not kept, and
    a ``size`` of 0 keeps nothing. Safe to share between threads.

    >>> cache = KeptCache(entries=2, size=12, weigh=lambda key, value: len(key) + len(value))
    >>> cache.put("a", b"12345"); cache.put("b", b"123"); cache.get("a")
    b'12345'
    >>> cache.put("c", b"1234"); cache.get("b") is None, cache.get("a"), cache.get("c")
    (True, b'12345', b'1234')
    >>> cache.put("d", b"123456789012"); cache.get("d") is None, len(cache), cache.weight
    (True, 2, 11)
    >>> nothing = KeptCache(entries=2, size=0, weigh=lambda key, value: len(value))
    >>> nothing.put("a", b""); len(nothing)
    0
    """

    def __init__(self, entries: int, size: int, weigh: Callable[[K, V], int]) -> None:
        self.entries, self.size = entries, size
        self._weigh = weigh
        self._kept: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self.weight = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: K) -> V | None:
        """The value kept under ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            self._kept.move_to_end(key)
            return kept[0]

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used past the budget."""
        weight = self._weigh(key, value)
        if weight > self.size or self.size <= 0 or self.entries < 1:
            return
        with self._lock:
            old = self._kept.pop(key, None)
            self.weight -= old[1] if old else 0
            self._kept[key] = (value, weight)
            self.weight += weight
            while len(self._kept) > self.entries or self.weight > self.size:
                _, (_, dropped) = self._kept.popitem(last=False)
                self.weight -= dropped


@dataclass(frozen=True)
class _Kept:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class PageCache:
    """The last pages rendered, within ``entries`` pages and ``size`` bytes: a page's
    second request costs no lookup.

    >>> from starlette.responses import HTMLResponse
    >>> cache = PageCache(entries=1, size=100)
    >>> cache.put(("a",), HTMLResponse("<p>a</p>"))
    >>> cache.get(("a",)).body
    b'<p>a</p>'
    >>> cache.put(("b",), HTMLResponse("<p>b</p>"))
    >>> cache.get(("a",)) is None, cache.get(("b",)).body
    (True, b'<p>b</p>')
    """

    def __init__(self, entries: int = 1024, size: int = 64 * 1024 * 1024) -> None:
        self._kept: KeptCache[tuple[str, ...], _Kept] = KeptCache(
            entries, size, lambda key, kept: sum(map(len, key)) + len(kept.body)
        )

    def get(self, key: tuple[str, ...]) -> Response | None:
        """A new response equal to the one kept under ``key``, or ``None``."""
        from starlette.responses import Response

        kept = self._kept.get(key)
        if kept is None:
            return None
        return Response(kept.body, status_code=kept.status, headers=dict(kept.headers))

    def put(self, key: tuple[str, ...], response: Response) -> None:
        """Keep ``response`` (its body must be in memory) under ``key``."""
        headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers)
        self._kept.put(key, _Kept(response.status_code, headers, bytes(response.body)))
