"""Pre-forked, walled worker processes that evaluate the server's queries.

Why not fork a child per query, as ``mxgraph query`` does
(:func:`mxgraph.deadline.run_in_child`)? The server is multi-threaded: a
process forked while another thread holds a lock (in the allocator, in
Oxigraph, in Python) inherits the lock held by nobody, and a fork per query
costs about 5 ms, several times a named query's evaluation. So the processes
are made once, before any thread starts:

* :meth:`WorkerPool.start` forks a *zygote*, a single-threaded copy of the
  server holding the store (copy-on-write, nothing is copied until written).
* The zygote forks the *workers*. Each walls itself off from the network
  (:mod:`mxgraph.sandbox`), caps its memory (``--max-memory``), and then
  answers requests one at a time over a Unix socket pair.
* A request that passes its deadline gets its worker killed; the zygote forks
  a fresh one, whose socket reaches the server over the zygote's control socket
  (``SCM_RIGHTS``). Nothing is ever forked from the threaded server.

Workers die with the zygote, and the zygote with the server (the kernel's
parent-death signal), so no process outlives ``mxgraph serve``.

A request and its answer are bytes; what they mean is up to the ``handler``
given to the pool (see :mod:`mxgraph.server.site`). An
:class:`~mxgraph.errors.MxGraphError` raised by the handler is raised again in
the server with its class and message.

>>> pool = WorkerPool(lambda request: request.upper(), size=1)
>>> pool.start()
>>> pool.run(b"hola", Deadline.start(5))
b'HOLA'
>>> pool.close()
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import select
import signal
import socket
import struct
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NoReturn

from mxgraph import sandbox
from mxgraph.deadline import (
    Deadline,
    decode_outcome,
    encode_outcome,
    enter_child,
    format_bytes,
    memory_limit,
)
from mxgraph.errors import MxGraphError, QueryTimeout

#: What a worker runs for each request: request bytes in, answer bytes out.
Handler = Callable[[bytes], bytes]

_LENGTH = struct.Struct("!Q")


@dataclass
class _Worker:
    pid: int
    connection: socket.socket


class QueryCancelled(MxGraphError):
    """A request given up before its answer (its client went away)."""


class WorkerDied(MxGraphError):
    """The process evaluating a request died before answering it."""


class _NotStarted(Exception):
    """The worker was dead before it got the request: nothing was evaluated."""


class PoolStopped(MxGraphError):
    """The worker processes are gone: the server is stopping, or the zygote was killed."""


_GONE = (
    "the server's query processes have stopped (the process that makes them was killed); "
    "restart mxgraph serve"
)


#: The pools started in this process (a new zygote closes their sockets).
_POOLS: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


class Ticket:
    """A handle on one request to the pool: :meth:`cancel` stops it, killing its worker.

    >>> ticket = Ticket()
    >>> ticket.cancel()
    >>> pool = WorkerPool(lambda request: request, size=1)
    >>> pool.start()
    >>> pool.run(b"x", Deadline.start(5), ticket)
    Traceback (most recent call last):
    ...
    mxgraph.server.pool.QueryCancelled: the request was given up before its answer
    >>> pool.run(b"x", Deadline.start(5))
    b'x'
    >>> pool.close()
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self.cancelled = False

    def cancel(self) -> None:
        """Give the request up: its worker (if it has one yet) is killed and replaced."""
        with self._lock:
            self.cancelled = True
            if self._pid is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(self._pid, signal.SIGKILL)

    def _assign(self, pid: int | None) -> bool:
        """Record the worker serving the request; False if the request was given up."""
        with self._lock:
            self._pid = pid
            return not self.cancelled


class WorkerPool:
    """``size`` worker processes running ``handler``, made by a zygote forked at :meth:`start`.

    ``error_classes`` maps the names of error classes a handler may raise, beyond those of
    :mod:`mxgraph.errors`, to their classes, so they cross the process boundary.
    """

    def __init__(
        self,
        handler: Handler,
        size: int = 4,
        *,
        offline: bool = True,
        error_classes: Mapping[str, type[MxGraphError]] | None = None,
    ) -> None:
        self.handler = handler
        self.size = size
        self.offline = offline
        self.error_classes = dict(error_classes or {})
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._control: socket.socket | None = None
        self._control_lock = threading.Lock()
        self._zygote: int | None = None
        self._closed = False
        self._gone = False  # the zygote is gone, and with it every worker

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Fork the zygote and have it fork the workers. Call before starting any thread."""
        wall = sandbox.prepare() if self.offline else None
        limit = memory_limit()
        server, zygote = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the zygote; coverage cannot follow it
            server.close()
            # Another pool's sockets, inherited, would keep its zygote and workers from
            # seeing the server close them.
            for other in list(_POOLS):
                other._close_inherited()
            _zygote(zygote, parent, self.handler, wall, limit)
        zygote.close()
        self._zygote, self._control = pid, server
        for _ in range(self.size):
            self._idle.put(self._spawn())
        _POOLS.add(self)

    def watch(self, on_gone: Callable[[], None]) -> None:
        """Reap the zygote if it dies (killed) while the pool is open, then call ``on_gone``.

        Without the zygote no worker can be replaced, so the caller should stop serving.
        Starts a thread: call it after every pool of the process has been started.
        """
        zygote = self._zygote
        if zygote is None:
            return

        def wait() -> None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(zygote, 0)
            if not self._closed:
                self._gone = True
                on_gone()

        threading.Thread(target=wait, name="mxgraph-zygote-watch", daemon=True).start()

    def _close_inherited(self) -> None:  # pragma: no cover - runs in another pool's zygote
        if self._control is not None:
            self._control.close()
        for worker in list(self._idle.queue):
            worker.connection.close()

    def close(self) -> None:
        """Stop the workers and the zygote (a request still waiting gets an error)."""
        if self._closed:
            return
        self._closed = True
        _POOLS.discard(self)
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            self._discard(worker)
        if self._control is not None:
            self._control.close()  # the zygote reads the end and takes its workers with it
        if self._zygote is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._zygote, 0)

    @property
    def zygote_pid(self) -> int | None:
        """The zygote's process id (None before :meth:`start`)."""
        return self._zygote

    # -- requests ----------------------------------------------------------------------------

    def run(self, request: bytes, deadline: Deadline, ticket: Ticket | None = None) -> bytes:
        """The handler's answer to ``request``, from an idle worker, within ``deadline``.

        Waiting for a worker counts against the deadline; a worker that does not answer
        in time is killed and replaced, and :class:`~mxgraph.errors.QueryTimeout` raised.
        A request whose ``ticket`` is cancelled raises :class:`QueryCancelled`.
        """
        ticket = ticket or Ticket()
        # A worker that had died before it was given the request (killed while idle)
        # evaluated nothing: it is replaced and the request goes to the next worker.
        # Each dead worker is met once, so size + 1 tries reach a live one.
        for _ in range(self.size + 1):
            try:
                return self._run_once(request, deadline, ticket)
            except _NotStarted:
                continue
        raise self._died(started=False)

    def _run_once(self, request: bytes, deadline: Deadline, ticket: Ticket) -> bytes:
        if self._closed or self._control is None:
            raise PoolStopped("the server is stopping")
        if self._gone:
            raise PoolStopped(_GONE)
        try:
            worker = self._idle.get(timeout=deadline.remaining())
        except queue.Empty:
            raise QueryTimeout(
                f"the server was busy: its {self.size} query processes stayed taken for "
                f"{deadline.seconds:g} s (--timeout), so the query did not start"
            ) from None
        if not ticket._assign(worker.pid):
            self._idle.put(worker)
            raise QueryCancelled("the request was given up before its answer")
        try:
            _send(worker.connection, request)
        except OSError:
            ticket._assign(None)
            self._replace(worker)
            raise _NotStarted() from None
        try:
            answer = _receive(worker.connection, deadline)
        except QueryTimeout:
            ticket._assign(None)
            self._replace(worker)
            raise
        except OSError:
            answer = None
        # A cancelled ticket may have killed the worker even after it answered: it is
        # replaced, never put back.
        if not ticket._assign(None):
            self._replace(worker)
            raise QueryCancelled("the request was given up before its answer")
        if answer is None:  # the worker died while evaluating the request
            self._replace(worker)
            raise self._died(started=True)
        self._idle.put(worker)
        return decode_outcome(answer, self.error_classes)

    # -- internals ---------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        """A new worker, forked by the zygote; its socket arrives over the control socket."""
        assert self._control is not None
        with self._control_lock:
            self._control.sendall(b"W")
            message, fds, _, _ = socket.recv_fds(self._control, 8, 1)
        if len(message) != 8 or len(fds) != 1:
            raise PoolStopped(_GONE)
        (pid,) = struct.unpack("!q", message)
        return _Worker(pid, socket.socket(fileno=fds[0]))

    def _discard(self, worker: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.connection.close()

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if self._closed:
            return
        try:
            self._idle.put(self._spawn())
        except (OSError, MxGraphError):
            if not self._closed:  # the zygote is gone: no worker can be made any more
                self._gone = True

    def _died(self, *, started: bool) -> MxGraphError:
        """What to tell of a worker that died: only what is known (it was reaped by the
        zygote, so how it died is not), and the memory limit as one possible cause."""
        if self._closed:  # the server is stopping and took its workers with it
            return PoolStopped("the server is stopping")
        if self._gone:
            return PoolStopped(_GONE)
        if not started:
            return WorkerDied(
                "the server's query processes died before evaluating the query "
                "(killed from outside?); try again"
            )
        limit = memory_limit()
        cause = (
            f"it needed more memory than the server's limit of {format_bytes(limit)}, "
            "or it was killed from outside"
            if limit is not None
            else "out of memory, or killed from outside"
        )
        return WorkerDied(f"stopped: the process evaluating the query died: {cause}")


def _send(connection: socket.socket, payload: bytes) -> None:
    connection.sendall(_LENGTH.pack(len(payload)) + payload)


def _receive_exactly(connection: socket.socket, size: int, deadline: Deadline | None) -> bytes:
    """``size`` bytes (fewer only at the end of the stream), waiting at most until ``deadline``."""
    chunks: list[bytes] = []
    left = size
    while left:
        if deadline is not None:
            ready, _, _ = select.select([connection], [], [], deadline.remaining())
            if not ready:
                raise deadline.expired()
        chunk = connection.recv(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(connection: socket.socket, deadline: Deadline | None) -> bytes | None:
    """One length-prefixed message; None at the end of the stream."""
    header = _receive_exactly(connection, _LENGTH.size, deadline)
    if len(header) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(header)
    payload = _receive_exactly(connection, size, deadline)
    return payload if len(payload) == size else None


def _zygote(  # pragma: no cover - runs in the zygote
    control: socket.socket,
    parent: int,
    handler: Handler,
    wall: sandbox.SeccompFilter | None,
    limit: int | None,
) -> NoReturn:
    """Fork a worker for each request on ``control``; exit when the server closes it."""
    status = 1
    try:
        sandbox.die_with_parent(parent)
        # Ctrl-C reaches the whole process group, and a service manager or `pkill -f` sends
        # SIGTERM to every process of the server: the server decides when these stop (they die
        # with it, and workers are stopped with SIGKILL).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
        me = os.getpid()
        while control.recv(1):
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            pid = os.fork()
            if pid == 0:
                control.close()
                ours.close()
                _worker(theirs, me, handler, wall, limit)
            theirs.close()
            socket.send_fds(control, [struct.pack("!q", pid)], [ours.fileno()])
            ours.close()
        status = 0
    finally:
        os._exit(status)


def _worker(  # pragma: no cover - runs in a worker
    connection: socket.socket,
    zygote: int,
    handler: Handler,
    wall: sandbox.SeccompFilter | None,
    limit: int | None,
) -> NoReturn:
    """Answer requests on ``connection`` one at a time until the server closes it."""
    status = 1
    try:
        enter_child(zygote, limit, wall)
        while True:
            request = _receive(connection, None)
            if request is None:
                break
            _send(connection, encode_outcome(functools.partial(handler, request), limit))
        status = 0
    finally:
        os._exit(status)
