"""Time budgets for sympy computations that may not finish.

Symbolic integration and simplification can run for minutes on innocent-looking
input. Such calls run inside :func:`time_budget`; past the budget they raise
:class:`~symequiv.errors.BudgetExceeded` (a ``TimeoutError``), which callers
turn into a clear error or a numeric fallback.

The budget is enforced with a POSIX interval timer, which Python delivers to
the main thread only. Elsewhere (worker threads, Windows) the computation runs
unbounded; process-pool workers run their tasks in their main thread, so they
are bounded.

>>> import time
>>> with time_budget(0.05, "a nap"):
...     time.sleep(1)
Traceback (most recent call last):
    ...
symequiv.errors.BudgetExceeded: a nap took longer than its budget of 0.05 s
"""

import contextlib
import signal
import threading
import time

from ..errors import BudgetExceeded

__all__ = ["time_budget", "SYMPY_BUDGET_SECONDS"]

#: Default budget, in seconds, of one symbolic step (an antiderivative, say).
SYMPY_BUDGET_SECONDS = 20.0
_REPEAT_SECONDS = 0.5


def _can_interrupt():
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_budget(seconds, what):
    """Run the ``with`` block for at most ``seconds``, else raise BudgetExceeded.

    Nested budgets are honoured: the inner one never extends the outer one.
    """
    if not _can_interrupt() or seconds is None:
        yield
        return
    previous_remaining, previous_interval = signal.getitimer(signal.ITIMER_REAL)
    if previous_remaining and previous_remaining < seconds:
        yield  # an enclosing budget is tighter; let it decide
        return

    def expire(signum, frame):
        raise BudgetExceeded(f"{what} took longer than its budget of {seconds:g} s", what=what, seconds=seconds)

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, expire)
    # The timer fires again every _REPEAT_SECONDS past the budget: an exception
    # raised while a __del__ or a garbage-collection callback runs is swallowed.
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_remaining:
            # The enclosing budget goes on with what it has left.
            left = previous_remaining - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), previous_interval)
