"""Rendered pages kept for the next request: the served graph does not change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.responses import Response


@dataclass(frozen=True)
class _Kept:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class PageCache:
    """The last pages rendered (least recently used dropped first), within ``entries`` pages
    and ``size`` bytes: the graph does not change while it is served, so a page's second
    request costs no lookup.

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
        import threading
        from collections import OrderedDict

        self.entries, self.size = entries, size
        self._kept: OrderedDict[tuple[str, ...], _Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Response | None:
        """A new response equal to the one kept under ``key``, or ``None``."""
        from starlette.responses import Response

        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            self._kept.move_to_end(key)
        return Response(kept.body, status_code=kept.status, headers=dict(kept.headers))

    def put(self, key: tuple[str, ...], response: Response) -> None:
        """Keep ``response`` (its body must be in memory) under ``key``."""
        body = bytes(response.body)
        if len(body) > self.size:
            return
        headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers)
        with self._lock:
            old = self._kept.pop(key, None)
            self._bytes -= len(old.body) if old else 0
            self._kept[key] = _Kept(response.status_code, headers, body)
            self._bytes += len(body)
            while len(self._kept) > self.entries or self._bytes > self.size:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= len(dropped.body)
