"""uvicorn's h11 HTTP protocol, with a limit on the time a request may take to arrive.

uvicorn closes a keep-alive connection left idle after an answer, but it waits
without end for a request that comes a byte at a time, or for a connection
that sends nothing: a few hundred such connections would hold every one
``mxgraph serve`` takes (``LIMIT_CONNECTIONS``), and no one else could
connect. :func:`timed_protocol` makes a protocol class that gives each
request ``seconds`` from the connection opening (or from its first byte after
an answer, or from that answer when it had already begun) to its last byte:
request line, headers and body. Past it, a request line or headers not yet
complete get ``408 Request Timeout`` with a one-line message and the
connection is closed (a connection that sent nothing is just closed); a body
still being read when time runs out ends that request as a client gone away
(499 in the log), and after an early answer (413) the connection is closed. A
request fully received is never timed out by this (its query has ``--timeout``).
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

#: Seconds a client has to send a whole request by default (``--request-timeout``).
REQUEST_TIMEOUT = 20.0

#: Receiving a request: h11's states of the client before its request is complete.
_RECEIVING = (h11.IDLE, h11.SEND_BODY)


class TimedH11Protocol(H11Protocol):
    """:class:`H11Protocol`, closing a connection whose request does not arrive in time."""

    #: Seconds a request may take to arrive (see :func:`timed_protocol`).
    request_timeout: float = REQUEST_TIMEOUT

    _arrival: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_clock()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state in _RECEIVING:
            self._start_clock()
        super().data_received(data)
        if self.conn.their_state not in _RECEIVING:
            self._stop_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_clock()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        # An idle connection is watched by uvicorn's own keep-alive timer; a next request
        # already begun (pipelined: its head, or its head and part of its body, came with
        # the last one) is timed from now.
        self._stop_clock()
        super().on_response_complete()
        if self._receiving():
            self._start_clock()

    def _receiving(self) -> bool:
        """Whether a request has begun to arrive and is not whole yet."""
        state = self.conn.their_state
        return state is h11.SEND_BODY or (state is h11.IDLE and bool(self.conn.trailing_data[0]))

    def _start_clock(self) -> None:
        if self._arrival is None:
            self._arrival = self.loop.call_later(self.request_timeout, self._too_slow)

    def _stop_clock(self) -> None:
        if self._arrival is not None:
            self._arrival.cancel()
            self._arrival = None

    def _too_slow(self) -> None:
        self._arrival = None
        if self.transport.is_closing() or self.conn.their_state not in _RECEIVING:
            return
        head_begun = self.conn.their_state is h11.IDLE and bool(self.conn.trailing_data[0])
        if head_begun and (self.cycle is None or self.cycle.response_complete):
            # A request line or headers that never ended, and no answer on its way: tell the
            # client why the connection is closed. (A body that never ended is the request
            # of an answer already begun or sent, 413 for one: the connection just closes.)
            message = (
                f"the request did not arrive within {self.request_timeout:g} s "
                "(--request-timeout): send it whole, at once\n"
            ).encode()
            self.transport.write(
                b"HTTP/1.1 408 Request Timeout\r\n"
                b"Content-Type: text/plain; charset=utf-8\r\n"
                b"Connection: close\r\n"
                b"Content-Length: " + str(len(message)).encode() + b"\r\n\r\n" + message
            )
        self.transport.close()


def timed_protocol(seconds: float) -> type[TimedH11Protocol]:
    """A :class:`TimedH11Protocol` class giving each request ``seconds`` to arrive.

    >>> timed_protocol(5).request_timeout
    5
    """
    return type("TimedH11Protocol", (TimedH11Protocol,), {"request_timeout": seconds})
