"""Worker processes that die with the batch that started them.

Why: a batch killed with SIGKILL runs no clean-up of its own. Its pool's workers would wait forever
on a queue nobody writes to any more; they hold the fork server's "alive" pipe, so the fork server
waits for them; and all of them hold the resource tracker's pipe, so it waits too: a gigabyte or
more, for as long as nobody notices. Linux sends a process a signal of its choice when its parent
dies (``prctl(PR_SET_PDEATHSIG)``): the fork server asks for SIGKILL when the batch dies, and each
process forked from it asks for the same when the fork server dies. The resource tracker then reads
the end of its pipe and exits by itself.

The kernel sends the signal when the *thread* that started the process ends, so the fork server
must be started by a thread that lives as long as the batch: the one that calls
:func:`geo.batch.run` (:func:`geo.batch.pool.open_pool` starts it there). Elsewhere than Linux
these functions do nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

__all__ = ["die_with_parent", "children_die_with_this_process"]

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """Have the kernel kill this process (SIGKILL) when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def children_die_with_this_process() -> None:
    """Every process forked from this one from now on dies when this one does (a child that finds
    this one gone already, before it could ask, ends at once)."""
    parent = os.getpid()

    def die_with_this_process() -> None:
        die_with_parent()
        if os.getppid() != parent:
            os._exit(1)

    os.register_at_fork(after_in_child=die_with_this_process)
