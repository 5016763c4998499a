"""Issue 22: the direct inquiry door's hop to a worker thread (``pcip.doors.hop``) keeps what the
inquiry relies on in anyio's: the caller's context, a bound on the threads, and a cancelled
request that waits for its thread (which holds the request's session) before it goes on."""

from __future__ import annotations

import asyncio
import contextvars
import os
import threading
import time

import pytest

from pcip.doors.hop import THREAD_NAME, in_worker_thread
from tests.helpers import run_async

_REQUEST = contextvars.ContextVar("request", default="none")


def test_issue22_the_function_runs_on_a_named_worker_thread_with_the_callers_context() -> None:
    def seen() -> tuple[str, str]:
        return _REQUEST.get(), threading.current_thread().name

    async def main() -> tuple[str, str]:
        _REQUEST.set("caller's")
        return await in_worker_thread(2, seen)

    value, thread = run_async(main())
    assert value == "caller's"
    assert thread.startswith(THREAD_NAME) and thread != threading.main_thread().name


def test_issue22_at_most_the_given_number_of_functions_run_at_once() -> None:
    running, most, lock = 0, 0, threading.Lock()

    def work(i: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return i

    async def main() -> list[int]:
        return list(await asyncio.gather(*(in_worker_thread(3, work, i) for i in range(12))))

    assert run_async(main()) == list(range(12))
    assert most == 3


def test_issue22_an_error_in_the_thread_reaches_the_caller() -> None:
    def fails() -> None:
        raise LookupError("no such record")

    with pytest.raises(LookupError, match="no such record"):
        run_async(in_worker_thread(2, fails))
    with pytest.raises(ValueError, match="threads"):
        run_async(in_worker_thread(0, fails))


def test_issue22_a_cancelled_caller_waits_for_its_running_thread_to_finish() -> None:
    """The thread holds the request's session: the request must not close it under the thread
    (anyio's ``abandon_on_cancel=False``, which the door had before)."""
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def holds_the_session() -> str:
        started.set()
        release.wait(5)
        finished.set()
        return "done"

    async def main() -> tuple[bool, bool]:
        task = asyncio.ensure_future(in_worker_thread(1, holds_the_session))
        while not started.is_set():
            await asyncio.sleep(0.001)
        task.cancel()
        await asyncio.sleep(0.05)
        waiting = not task.done()  # still waiting for the thread
        task.cancel()  # a second cancellation does not cut the wait short either
        await asyncio.sleep(0.02)
        waiting = waiting and not task.done()
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        return waiting, finished.is_set()

    waiting, finished_first = run_async(main())
    assert waiting
    assert finished_first


def test_issue22_a_cancelled_caller_whose_function_had_not_started_never_runs_it() -> None:
    release, ran = threading.Event(), []

    def blocker() -> None:
        release.wait(5)

    async def main() -> None:
        first = asyncio.ensure_future(in_worker_thread(1, blocker))
        second = asyncio.ensure_future(in_worker_thread(1, ran.append, "ran"))
        await asyncio.sleep(0.02)
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await second
        release.set()
        await first
        await in_worker_thread(1, lambda: None)  # the queue has been served

    run_async(main())
    assert ran == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_issue22_a_forked_child_makes_its_own_threads() -> None:
    run_async(in_worker_thread(2, lambda: None))  # the parent's pool exists and has a thread
    pid = os.fork()
    if pid == 0:  # the child: the parent's threads are not here; a new pool must serve it
        try:
            ok = run_async(asyncio.wait_for(in_worker_thread(2, lambda: 42), 5)) == 42
        except BaseException:  # the child reports by its exit status
            ok = False
        os._exit(0 if ok else 1)
    deadline = time.monotonic() + 30  # a child stuck on a lock fails the test, not the suite
    while (waited := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    if waited[0] == 0:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child did not finish within 30 s")
    assert os.waitstatus_to_exitcode(waited[1]) == 0
