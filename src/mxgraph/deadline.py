"""Time limits that can stop native code: run work in a forked child, kill it at the limit.

Why a child process: Oxigraph evaluates a query in native code. A runaway
query (a cartesian product under ``COUNT`` or ``ORDER BY``) yields nothing
until it is done, so checking a deadline between result rows cannot stop it,
and a Python thread cannot be killed. :func:`run_in_child` forks, the child
computes the answer as bytes and writes it to a pipe, and the parent kills the
child when the deadline passes. A fork costs a few milliseconds (copy-on-write:
the store is not copied). Work after the child returns (formatting rows) is
linear in the result size and checks the same :class:`Deadline` per row.

Where ``os.fork`` does not exist (Windows) the work runs in-process and only
the per-row checks apply.

>>> run_in_child(lambda: b"answer", Deadline.start(5))
b'answer'
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from mxgraph import errors, sandbox
from mxgraph.errors import MxGraphError, QueryTimeout


@dataclass(frozen=True)
class Deadline:
    """A point in time (monotonic clock) after which work must stop; ``None`` means never.

    >>> Deadline.start(None).remaining() is None
    True
    >>> Deadline.start(0.0).check()
    Traceback (most recent call last):
    ...
    mxgraph.errors.QueryTimeout: query stopped after 0 s (--timeout)
    """

    seconds: float | None
    at: float | None

    @classmethod
    def start(cls, seconds: float | None) -> Deadline:
        """A deadline ``seconds`` from now (``None``: no limit)."""
        return cls(seconds, None if seconds is None else time.monotonic() + seconds)

    def remaining(self) -> float | None:
        """Seconds left (never negative), or ``None`` without a limit."""
        return None if self.at is None else max(0.0, self.at - time.monotonic())

    def expired(self) -> QueryTimeout:
        """The error to raise when the deadline has passed."""
        return QueryTimeout(f"query stopped after {self.seconds:g} s (--timeout)")

    def check(self) -> None:
        """Raise :class:`QueryTimeout` if the deadline has passed."""
        if self.at is not None and time.monotonic() >= self.at:
            raise self.expired()


_OK, _ERROR = b"0", b"1"


def run_in_child(work: Callable[[], bytes], deadline: Deadline, *, offline: bool = False) -> bytes:
    """``work()`` computed in a forked child that is killed when ``deadline`` passes.

    With ``offline`` the child first walls itself off from the network (see
    :mod:`mxgraph.sandbox`), and a child is forked even without a time limit.
    An :class:`~mxgraph.errors.MxGraphError` raised by ``work`` is raised again
    here with its class and message; any other exception becomes an
    ``MxGraphError`` with its message.
    """
    # Built here, once per process, so that a child only makes the system calls.
    wall = sandbox.prepare() if offline else None
    if (deadline.at is None and wall is None) or not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        os.close(read_end)
        if wall is not None:
            wall.install()
        _child(work, write_end)
    os.close(write_end)
    try:
        answer = _read_until(read_end, deadline)
    finally:
        os.close(read_end)
        _reap(pid)
    if answer[:1] == _OK:
        return answer[1:]
    raise _error_from(answer[1:])


def _child(work: Callable[[], bytes], write_end: int) -> None:  # pragma: no cover
    """Run in the forked child: compute, write the status byte and answer, exit."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            message = _OK + work()
        except BaseException as error:  # everything goes back to the parent
            kind = type(error).__name__ if isinstance(error, MxGraphError) else "MxGraphError"
            detail = str(error) or type(error).__name__
            message = _ERROR + json.dumps({"type": kind, "message": detail}).encode()
        view = memoryview(message)
        while view:
            view = view[os.write(write_end, view) :]
        status = 0
    finally:
        os._exit(status)


def _read_until(fd: int, deadline: Deadline) -> bytes:
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([fd], [], [], deadline.remaining())
        if not ready:
            raise deadline.expired()
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    answer = b"".join(chunks)
    if not answer:
        raise MxGraphError("query failed: the evaluating process died (out of memory?)")
    return answer


def _reap(pid: int) -> None:
    """Kill the child if it still runs, and collect it so no zombie is left."""
    done, _ = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _error_from(payload: bytes) -> MxGraphError:
    fields = json.loads(payload)
    cls = getattr(errors, str(fields["type"]), MxGraphError)
    if not (isinstance(cls, type) and issubclass(cls, MxGraphError)) or cls.__init__ is not (
        MxGraphError.__init__
    ):
        cls = MxGraphError
    return cls(str(fields["message"]))
