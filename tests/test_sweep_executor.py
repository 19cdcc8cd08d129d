"""sweep on real executors: a dask.distributed LocalCluster, a process pool, and what a process pool cannot take."""

import concurrent.futures
import multiprocessing
import os

import numpy
import pytest

import symequiv as se
from symequiv.errors import InvalidArgument

GRID = se.Grid(0, 1, 8, periodic=True)
D = se.CellAverage(GRID)
SIGNAL = se.Signal("2*sin(2*pi*x)", period=1)
DELTAS = ["0", "1/32", "1/16", "1/8", "1/3"]
LAYER = se.Conv([2, -2], origin=1, bias=-1, padding="circular") >> se.ReLU()


def edge_layer(b):
    """The circular edge detector in numpy, a black box defined at module level (so it pickles)."""
    return numpy.maximum(0.0, 2 * numpy.roll(b, -1) - 2 * b - 1)


def in_ci():
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


class Counting:
    """An executor that counts the tasks submitted to the executor it wraps."""

    def __init__(self, executor):
        self.executor, self.submitted = executor, 0

    def submit(self, fn, *args, **kwargs):
        self.submitted += 1
        return self.executor.submit(fn, *args, **kwargs)


def serial(op):
    return se.sweep(D, SIGNAL, DELTAS, se.LinearShift(), op=op, progress=False)


@pytest.fixture(scope="module")
def client():
    """A Dask client on a one-worker LocalCluster (distributed is in the test extra: missing in CI fails)."""
    try:
        import distributed
    except ImportError:
        if in_ci():
            pytest.fail("distributed is not installed in CI: the test command installs it, "
                        "python -m pip install '.[test]'")
        pytest.skip("distributed is not installed (python -m pip install '.[test]' installs it)")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


def test_sweep_on_a_dask_cluster(client):
    executor = Counting(client.get_executor())
    result = se.sweep(D, SIGNAL, DELTAS, se.LinearShift(), op=LAYER, executor=executor, chunk_size=2, progress=False)
    assert executor.submitted == 3  # 5 shifts in chunks of 2
    assert [v.holds for v in result] == [True, False, False, True, False]
    assert [v.to_dict() for v in result] == [v.to_dict() for v in serial(LAYER)]


def test_a_black_box_sweep_on_a_dask_cluster(client):
    result = se.sweep(D, SIGNAL, DELTAS, se.LinearShift(), op=edge_layer, executor=client.get_executor(),
                      progress=False)
    assert [v.within_tolerance for v in result] == [True, False, False, True, False]
    assert [v.to_dict() for v in result] == [v.to_dict() for v in serial(edge_layer)]


def test_a_lambda_op_on_a_dask_cluster(client):
    # Dask's executor is no process pool: nothing refuses a lambda there
    result = se.sweep(D, SIGNAL, DELTAS[:2], se.LinearShift(), op=lambda b: edge_layer(b),
                      executor=client.get_executor(), progress=False)
    assert [v.within_tolerance for v in result] == [True, False]


def test_sweep_on_a_process_pool():
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        result = se.sweep(D, SIGNAL, DELTAS[:3], se.LinearShift(), op=edge_layer, executor=pool, progress=False)
    assert [v.to_dict() for v in result] == [v.to_dict() for v in serial(edge_layer)][:3]


def test_a_process_pool_refuses_a_lambda_op_and_says_what_to_do():
    def local_layer(b):
        return 2 * b

    for op in (lambda b: 2 * b, local_layer):
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            with pytest.raises(InvalidArgument, match="cannot be sent to a process pool") as error:
                se.sweep(D, SIGNAL, DELTAS, se.LinearShift(), op=op, executor=pool, progress=False)
        message = str(error.value)
        assert "define it at module level, or use a thread pool / executor=None" in message
        assert isinstance(error.value, ValueError)  # InvalidArgument: an ordinary handler catches it too


def test_a_thread_pool_takes_a_lambda_op():
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        result = se.sweep(D, SIGNAL, DELTAS, se.LinearShift(), op=lambda b: edge_layer(b), executor=pool,
                          progress=False)
    assert [v.within_tolerance for v in result] == [True, False, False, True, False]
