"""Child processes that end with their parent.

A worker forked to parse files or run a query must not outlive the command that
started it: killed (``kill -9``, a closed terminal), the command can no longer stop
its workers itself, and they would run on, holding memory and CPU, for good.
``die_with_parent`` asks Linux to kill the calling process when its parent dies
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``); elsewhere a watchdog thread checks once a
second whether the parent is still the one that started it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` (the pid of the process that forked it) ends.

    Call it first thing in the child; if the parent is already gone, the child ends now.
    """
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)
