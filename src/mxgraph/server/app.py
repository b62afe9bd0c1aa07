"""The ASGI application of ``mxgraph serve``: every route in one list, and what every response gets.

:func:`build_app` assembles the routes (the SPARQL endpoint of
:mod:`mxgraph.server.sparql`, the pages of :mod:`mxgraph.server.pages`) over
one :class:`~mxgraph.server.site.Site`, and wraps them in
:class:`ServerMiddleware`: one log line per request (method, path, status,
milliseconds) and the security headers on every response, errors included.

>>> from mxgraph.store import open_store
>>> from mxgraph.server.site import ServeConfig, Site
>>> app = build_app(Site(open_store(), ServeConfig()), log=None)
>>> [route.path for route in app.routes][:2]
['/sparql', '/']
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any, TextIO

from mxgraph.server.site import CONTENT_SECURITY_POLICY, Site

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.routing import BaseRoute

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Sent with every response, besides the Content-Security-Policy of :mod:`mxgraph.server.site`.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


class ServerMiddleware:
    """Log each request as one line and add :data:`SECURITY_HEADERS` to each response.

    The line reads ``GET /sparql 200 3.1 ms``: the path without its query string
    (a query can be long, and is the client's business), the status, and the
    time from the request to the end of the response. ``log`` None logs nothing.
    """

    def __init__(self, app: ASGIApp, log: TextIO | None) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before answering

        started_response = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status, started_response = message["status"], True
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(header for header in SECURITY_HEADERS if header[0] not in names),
                ]
            await send(message)

        try:
            try:
                await self.app(scope, receive, send_with_headers)
            except asyncio.CancelledError:
                # Only the server cancels a request: it is stopping and its grace for
                # requests in flight is over. The client is told so, and no traceback logged.
                if not started_response:
                    await _stopping(send_with_headers)
        finally:
            if self.log is not None:
                elapsed = (time.perf_counter() - started) * 1000
                path = loggable_path(scope)
                self.log.write(f"{scope['method']} {path} {status} {elapsed:.1f} ms\n")
                self.log.flush()


#: The answer to a request still in flight when the server stops.
STOPPING = b"the server is stopping\n"


async def _stopping(send: Send) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(STOPPING)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": STOPPING})


def loggable_path(scope: Scope) -> str:
    r"""A request's path as the log shows it: as the client sent it (still percent-encoded),
    with anything unprintable escaped, so a path cannot forge a log line or colour the
    terminal.

    >>> loggable_path({"raw_path": b"/id/x%0aGET%20/admin", "path": "/id/x\nGET /admin"})
    '/id/x%0aGET%20/admin'
    >>> loggable_path({"path": "/id/a\x1b[31m\x00 b"})
    '/id/a\\x1b[31m\\x00\\x20b'
    """
    raw = scope.get("raw_path")
    text = raw.decode("latin-1") if isinstance(raw, bytes) else str(scope.get("path", ""))
    return "".join(
        char if char.isprintable() and not char.isspace() else _escape(char) for char in text
    )


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def build_app(site: Site, *, log: TextIO | None = sys.stderr) -> Starlette:
    """The ASGI application serving ``site``: the SPARQL endpoint and the pages.

    The site is ``app.state.site`` for every route. ``log`` gets one line per request.
    """
    from starlette.applications import Starlette

    from mxgraph.server import pages, sparql

    class App(Starlette):
        # Outside Starlette's own error handling, so its 500 answers get the headers too.
        def build_middleware_stack(self) -> ASGIApp:
            return ServerMiddleware(super().build_middleware_stack(), log)

    site_pages = pages.Pages(site)  # one page cache for the routes and the 404 page
    routes: list[BaseRoute] = [*sparql.routes(site), *site_pages.routes()]
    app = App(routes=routes, exception_handlers={404: site_pages.missing_page})
    app.state.site = site
    return app
