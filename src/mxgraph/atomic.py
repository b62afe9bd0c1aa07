"""Write a file so that it is either fully replaced or left as it was.

The bytes go to a temporary file in the target's folder, are flushed to disk,
and the temporary file is renamed over the target (atomic on POSIX and
Windows). On any failure the temporary file is removed and the target is
untouched.

What is not a regular file is not replaced: a symbolic link is followed and
its target replaced (the link stays), a device or FIFO (``/dev/stdout``, a
named pipe) is written to directly since it cannot be renamed over, and a
folder is refused.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     target = pathlib.Path(folder) / "out.ttl"
...     write_atomically(target, b"<a> <b> <c> .\\n")
...     target.read_bytes()
b'<a> <b> <c> .\\n'
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from mxgraph.errors import MxGraphError


def write_atomically(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temp file, fsync, ``os.replace``)."""
    given = Path(path)
    target = Path(os.path.realpath(given))  # through symbolic links: the link stays a link
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise MxGraphError(f"cannot write {given}: {error.strerror or error}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise MxGraphError(f"cannot write {given}: it is a folder")
    if mode is not None and not stat.S_ISREG(mode):
        _write_through(given, target, data)  # a device, FIFO or socket cannot be renamed over
        return
    folder = target.parent
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise MxGraphError(f"cannot write {target}: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise MxGraphError(f"cannot write {target}: {error.strerror or error}") from None
        raise


def _write_through(given: Path, target: Path, data: bytes) -> None:
    try:
        with open(target, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise MxGraphError(f"cannot write {given}: {error.strerror or error}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
