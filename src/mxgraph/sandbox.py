"""A kernel wall against the network for the process that evaluates a local query.

:func:`mxgraph.safety.check_query` refuses ``SERVICE``, ``LOAD`` and outside
``FROM`` by reading the query; this module makes the promise independent of
that reading. :func:`deny_network` installs a seccomp filter (Linux, x86-64 and
AArch64) under which the calling process and every thread and child it has or
will have can no longer create a socket of any family but ``AF_UNIX`` (no
TCP/UDP over IPv4 or IPv6, no netlink, no raw packets) nor set up an io_uring
(which can create sockets without the ``socket`` system call). A query
evaluator in such a process that tries to federate gets "permission denied"
from the kernel before any packet is sent. Files stay readable: the store and
``--data`` are files.

A filter cannot be removed, so it is installed in the forked child that
evaluates a query (see :func:`mxgraph.deadline.run_in_child`), never in a
process that needs the network afterwards.

The filter is ten classic-BPF instructions written from the example in
seccomp(2); a binding to libseccomp would add a library lookup (about 25 ms
per process) for the same program. Where the kernel or architecture offers no
seccomp filter, :func:`deny_network` returns False and the query check is the
only wall (:func:`network_wall_available` tells which).

>>> import os
>>> pid = os.fork()
>>> if pid == 0:  # the child walls itself off, then tries to open a TCP socket
...     import socket
...     walled = deny_network()
...     try:
...         socket.socket(socket.AF_INET, socket.SOCK_STREAM)
...         os._exit(1)
...     except PermissionError:
...         os._exit(0 if walled else 1)
>>> os.waitpid(pid, 0)[1] == 0 or not network_wall_available()
True
"""

from __future__ import annotations

import functools
import os
import signal
import struct
import sys

# Linux constants (linux/seccomp.h, linux/filter.h, linux/audit.h, linux/prctl.h).
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1  # apply to every thread of the process, not only the caller
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_EACCES = 13
_AF_UNIX = 1
_BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS: load a 32-bit word of seccomp_data
_BPF_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_BPF_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_BPF_RET_K = 0x06  # BPF_RET | BPF_K
# Offsets in struct seccomp_data: nr, arch, instruction pointer, args[0] (low word, little-endian).
_NR, _ARCH, _ARG0 = 0, 4, 16
# x32 system calls on x86-64 carry this bit; they would bypass a filter keyed on 64-bit numbers.
_X32_SYSCALL_BIT = 0x40000000


@functools.lru_cache(maxsize=1)
def _syscalls() -> tuple[int, int, int, int] | None:
    """(audit arch, seccomp, socket, io_uring_setup) for this machine, or None if unknown."""
    if not sys.platform.startswith("linux") or sys.byteorder != "little":
        return None
    return {
        "x86_64": (0xC000003E, 317, 41, 425),
        "aarch64": (0xC00000B7, 277, 198, 425),
    }.get(os.uname().machine)  # platform.machine() is the same, and a 2 ms import


def _program(arch: int, socket_nr: int, io_uring_nr: int) -> bytes:
    """The filter: any other architecture, x32 calls, io_uring and non-Unix sockets fail."""
    allow, deny = 8, 9  # indexes of the two return instructions

    def load(offset: int) -> tuple[int, int, int, int]:
        return (_BPF_LD_W_ABS, 0, 0, offset)

    def jump(at: int, code: int, k: int, if_true: int, if_false: int) -> tuple[int, int, int, int]:
        # Jump targets are counted from the next instruction.
        return (code, if_true - at - 1, if_false - at - 1, k)

    instructions = [
        load(_ARCH),  # 0
        jump(1, _BPF_JEQ_K, arch, 2, deny),
        load(_NR),  # 2
        jump(3, _BPF_JGE_K, _X32_SYSCALL_BIT, deny, 4),
        jump(4, _BPF_JEQ_K, io_uring_nr, deny, 5),
        jump(5, _BPF_JEQ_K, socket_nr, 6, allow),
        load(_ARG0),  # 6: the socket's address family
        jump(7, _BPF_JEQ_K, _AF_UNIX, allow, deny),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),  # 8
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ERRNO | _EACCES),  # 9
    ]
    # struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in instructions)


def supported() -> bool:
    """Whether this platform has a filter for :func:`deny_network` (without trying it)."""
    return _syscalls() is not None


class SeccompFilter:
    """The network filter for this machine, built once per process (ctypes and the program),
    so that each forked child only makes the two system calls of :meth:`install`."""

    def __init__(self, arch: int, seccomp_nr: int, socket_nr: int, io_uring_nr: int) -> None:
        import ctypes

        class SockFprog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

        program = _program(arch, socket_nr, io_uring_nr)
        self._program = ctypes.create_string_buffer(program, len(program))
        self._fprog = SockFprog(len(program) // 8, ctypes.addressof(self._program))
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._seccomp_nr = seccomp_nr
        self._byref = ctypes.byref

    def install(self) -> bool:
        """Put the filter on this process and its threads; whether the kernel took it."""
        if self._libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        done = self._libc.syscall(
            self._seccomp_nr,
            _SECCOMP_SET_MODE_FILTER,
            _SECCOMP_FILTER_FLAG_TSYNC,
            self._byref(self._fprog),
        )
        return bool(done == 0)


@functools.lru_cache(maxsize=1)
def prepare() -> SeccompFilter | None:
    """The filter for this platform (built once), or None where there is none."""
    numbers = _syscalls()
    return None if numbers is None else SeccompFilter(*numbers)


_installed = False


def deny_network() -> bool:
    """Wall this process (all its threads, and its future children) off from the network.

    Returns whether the wall is in place; False where this system offers no
    seccomp filter. Calling it again is harmless.
    """
    global _installed
    wall = prepare()
    if not _installed and wall is not None:
        _installed = wall.install()
    return _installed


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:  # pragma: no cover - runs in the child
    """Have the kernel kill this (forked) process when ``parent`` dies; exit at once if it
    already has. Linux only; elsewhere the parent's own cleanup is the only guard."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


@functools.lru_cache(maxsize=1)
def network_wall_available() -> bool:
    """Whether :func:`deny_network` works here (tried in a short-lived child process).

    >>> isinstance(network_wall_available(), bool)
    True
    """
    if _syscalls() is None or not hasattr(os, "fork"):
        return False
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os._exit(0 if deny_network() else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
