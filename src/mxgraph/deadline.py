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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from mxgraph import errors, sandbox
from mxgraph.errors import MemoryLimitExceeded, MxGraphError, QueryTimeout

T = TypeVar("T")


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


def checked(rows: Iterable[T], deadline: Deadline | None, every: int = 4096) -> Iterator[T]:
    """``rows``, stopping with :class:`~mxgraph.errors.QueryTimeout` once ``deadline`` has
    passed (checked every ``every`` rows, so reading a huge answer counts against it).

    >>> list(checked(range(3), Deadline.start(5)))
    [0, 1, 2]
    """
    for count, row in enumerate(rows):
        if deadline is not None and count % every == 0:
            deadline.check()
        yield row


_OK, _ERROR = b"0", b"1"


def default_memory_limit() -> int | None:
    """Half of the machine's memory, in bytes (None where the system does not tell)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (AttributeError, OSError, ValueError):
        return None


#: How much memory a child may take beyond what it shares with its parent (``--max-memory``).
_memory_limit: int | None = default_memory_limit()


def set_memory_limit(limit: int | None) -> None:
    """Bound the memory of the children that evaluate queries, exports and inference."""
    global _memory_limit
    _memory_limit = limit


def memory_limit() -> int | None:
    """The memory limit in force, in bytes (None: none)."""
    return _memory_limit


def format_bytes(count: int) -> str:
    """``1.5 GB`` style, for messages.

    >>> format_bytes(200 * 1024**2), format_bytes(12 * 1024**3)
    ('200 MB', '12 GB')
    """
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


def _memory_error(limit: int) -> MemoryLimitExceeded:
    return MemoryLimitExceeded(
        f"stopped: it needed more than {format_bytes(limit)} of memory (--max-memory)"
    )


def _silence_stderr() -> None:  # pragma: no cover - runs in the child
    import faulthandler

    faulthandler.disable()  # it writes to a copy of stderr of its own (pytest enables it)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _limit_memory(limit: int) -> None:  # pragma: no cover - runs in the child
    """Cap this process's address space at what it has now plus ``limit`` bytes."""
    import resource

    try:
        with open("/proc/self/statm", "rb") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        mapped = 0
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = mapped + limit
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def run_in_child(
    work: Callable[[], bytes],
    deadline: Deadline,
    *,
    offline: bool = False,
    error_classes: Mapping[str, type[MxGraphError]] | None = None,
) -> bytes:
    """``work()`` computed in a forked child that is killed when ``deadline`` passes.

    With ``offline`` the child first walls itself off from the network (see
    :mod:`mxgraph.sandbox`), and a child is forked even without a time limit.
    An :class:`~mxgraph.errors.MxGraphError` raised by ``work`` is raised again
    here with its class and message (see :func:`decode_outcome` for
    ``error_classes``); any other exception becomes an ``MxGraphError`` with its
    message.
    """
    # Built here, once per process, so that a child only makes the system calls.
    wall = sandbox.prepare() if offline else None
    if (deadline.at is None and wall is None) or not hasattr(os, "fork"):
        return work()
    limit = _memory_limit
    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        os.close(read_end)
        enter_child(parent, limit, wall)
        _child(work, write_end, limit)
    os.close(write_end)
    answer = None
    try:
        answer = _read_until(read_end, deadline)
    finally:
        os.close(read_end)
        # With the whole answer read (end of pipe) the child is exiting: wait for its status.
        status = _reap(pid, finished=answer is not None)
    if not answer:
        if limit is not None and status is not None and os.WIFSIGNALED(status):
            raise _memory_error(limit)  # the allocator aborts when the cap is reached
        raise MxGraphError("query failed: the evaluating process died (out of memory?)")
    return decode_outcome(answer, error_classes)


def enter_child(
    parent: int, limit: int | None, wall: sandbox.SeccompFilter | None
) -> None:  # pragma: no cover - runs in a child
    """What a forked child does first: die with ``parent``, cap its memory at ``limit``,
    and wall itself off from the network when given a ``wall``."""
    sandbox.die_with_parent(parent)
    if limit is not None:
        _limit_memory(limit)
        # An allocation past the cap aborts native code with a message and a backtrace
        # on stderr; the parent says it in one line instead.
        _silence_stderr()
    if wall is not None:
        wall.install()


def encode_outcome(work: Callable[[], bytes], limit: int | None = None) -> bytes:
    """``work()``'s answer after a status byte, or its error as a message for
    :func:`decode_outcome`, so it can cross a process boundary; never raises.

    >>> decode_outcome(encode_outcome(lambda: b"answer"))
    b'answer'
    >>> decode_outcome(encode_outcome(lambda: 1 // 0))
    Traceback (most recent call last):
    ...
    mxgraph.errors.MxGraphError: integer division or modulo by zero
    """
    try:
        return _OK + work()
    except BaseException as raised:  # everything goes back to the parent
        error: BaseException = raised
        if isinstance(raised, MemoryError):  # Python's own allocation past the cap
            error = _memory_error(limit) if limit else MemoryLimitExceeded("out of memory")
        kind = type(error).__name__ if isinstance(error, MxGraphError) else "MxGraphError"
        detail = str(error) or type(error).__name__
        return _ERROR + json.dumps({"type": kind, "message": detail}).encode()


def decode_outcome(
    outcome: bytes, error_classes: Mapping[str, type[MxGraphError]] | None = None
) -> bytes:
    """The answer :func:`encode_outcome` wrote, or its error raised again with its class:
    one of :mod:`mxgraph.errors`, or of ``error_classes`` (name to class) for errors
    defined elsewhere; an unknown class becomes :class:`~mxgraph.errors.MxGraphError`."""
    if outcome[:1] == _OK:
        return outcome[1:]
    fields = json.loads(outcome[1:])
    name = str(fields["type"])
    cls = (error_classes or {}).get(name) or getattr(errors, name, MxGraphError)
    if not (isinstance(cls, type) and issubclass(cls, MxGraphError)) or (
        cls.__init__ is not MxGraphError.__init__
    ):
        cls = MxGraphError
    raise cls(str(fields["message"]))


def _child(
    work: Callable[[], bytes], write_end: int, limit: int | None
) -> None:  # pragma: no cover
    """Run in the forked child: compute, write the status byte and answer, exit."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        view = memoryview(encode_outcome(work, limit))
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
    return b"".join(chunks)


def _reap(pid: int, *, finished: bool) -> int | None:
    """Collect the child so no zombie is left, killing it first unless it has ``finished``
    (closed its end of the pipe); its wait status if it ended by itself, else None."""
    if finished:
        return os.waitpid(pid, 0)[1]
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return None
    return status
