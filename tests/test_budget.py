import signal
import threading
import time

import pytest

from symequiv.numeric.budget import time_budget
from symequiv.errors import BudgetExceeded, SymequivError


def test_a_block_past_its_budget_is_stopped():
    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match="spinning took longer than its budget of 0.1 s") as info:
        with time_budget(0.1, "spinning"):
            while True:
                pass
    assert time.monotonic() - started < 2
    assert isinstance(info.value, SymequivError) and isinstance(info.value, TimeoutError)
    assert info.value.what == "spinning" and info.value.seconds == 0.1


def test_a_block_within_its_budget_is_untouched_and_the_timer_is_cleared():
    with time_budget(5, "quick"):
        value = sum(range(1000))
    assert value == 499500
    time.sleep(0.01)  # no stray alarm afterwards


def test_nested_budgets_keep_the_tighter_outer_one():
    with pytest.raises(BudgetExceeded, match="outer"):
        with time_budget(0.2, "outer"):
            with time_budget(10, "inner"):
                time.sleep(2)


def test_an_inner_budget_restores_the_outer_one():
    with pytest.raises(BudgetExceeded, match="outer"):
        with time_budget(0.3, "outer"):
            with time_budget(0.1, "inner"):
                pass
            time.sleep(2)


def test_outside_the_main_thread_the_block_runs_unbounded():
    results = []

    def work():
        with time_budget(0.01, "thread"):
            time.sleep(0.05)
        results.append("done")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert results == ["done"]


def test_an_expiry_swallowed_on_the_way_fires_again():
    """An exception raised inside a __del__ or a gc callback is lost; the timer repeats until the block ends."""
    swallowed = []
    started = time.monotonic()
    with pytest.raises(BudgetExceeded):
        with time_budget(0.05, "a nap"):
            try:
                time.sleep(5)
            except BudgetExceeded:
                swallowed.append(True)
            time.sleep(5)
    assert swallowed and time.monotonic() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
