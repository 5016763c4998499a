"""The direct inquiry door's hop to a worker thread, cheaper than anyio's (issue 22).

Starlette's ``run_in_threadpool`` goes through ``anyio.to_thread.run_sync``: a capacity limiter
whose waiters are asyncio events, a cancel scope, look-ups of the running async library, of the
current task and of the thread pool, and a queue per worker thread. Under wrk that machinery
was 12-13% of the interpreter-lock samples of a public or self inquiry's server. With the same
work handed to a plain ``ThreadPoolExecutor`` of the same size, the server's CPU per request
fell from 1.46 to 1.25 ms for a public inquiry, 2.13 to 1.83 for a self inquiry and 1.76 to
1.68 for an authorized one (medians of four alternated rounds; docs/performance.md, "Logged
inquiries: a plain thread pool for the direct door").

:func:`in_worker_thread` keeps what the inquiry relies on in anyio's hop:

* the function sees the caller's context variables (a copy, as anyio passes);
* at most ``threads`` functions run at once, the rest wait their turn in order
  (``PCIP_WORKER_THREADS``, as anyio's limiter is set for the other routes);
* a cancelled caller still waits for the function to finish, or never to start, before the
  cancellation goes on (anyio's default, ``abandon_on_cancel=False``): the thread holds the
  request's session, which the request must not roll back and close while it is still in use.

One pool per size and process, made on first use and shared by every application in the
process. A forked child starts without the parent's pools: threads do not survive ``fork``.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

#: The name its threads carry (``ps -L``, py-spy).
THREAD_NAME = "pcip-inquiry"

_pools: dict[int, ThreadPoolExecutor] = {}
_lock = threading.Lock()


def _pool(threads: int) -> ThreadPoolExecutor:
    pool = _pools.get(threads)
    if pool is None:
        with _lock:
            pool = _pools.get(threads)
            if pool is None:
                pool = _pools[threads] = ThreadPoolExecutor(threads, THREAD_NAME)
    return pool


def _forget_pools() -> None:
    """In a forked child: the parent's pools have no threads here (and a lock held at the
    fork would never be released)."""
    global _lock
    _pools.clear()
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_pools)


async def in_worker_thread(threads: int, func: Callable[..., T], *args: Any) -> T:
    """``func(*args)`` on one of ``threads`` worker threads, with the caller's context."""
    if threads < 1:
        raise ValueError(f"threads: at least 1, not {threads}")
    done: Future[T] = _pool(threads).submit(contextvars.copy_context().run, func, *args)
    try:
        return await asyncio.wrap_future(done)
    except asyncio.CancelledError:
        # Cancelling the awaited future cancelled ``done`` too, which stops it only if it had
        # not started: wait for a running one to end before the cancellation goes on.
        await _outlive(done)
        raise


async def _outlive(done: Future[Any]) -> None:
    while not done.done():
        try:
            await asyncio.shield(asyncio.wrap_future(done))
        except asyncio.CancelledError:
            continue  # cancelled again: the thread still has the session
        except Exception:  # its outcome goes nowhere: the caller was cancelled
            return


__all__ = ["THREAD_NAME", "in_worker_thread"]
