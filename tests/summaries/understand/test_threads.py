import os

import pytest
import torch

from summaries.understand import threads
from summaries.understand.threads import default_threads, few_threads, usable_cores


def test_importing_the_core_made_openmp_waits_passive_unless_the_user_chose() -> None:
    # summaries.understand set it when first imported (the user's own value would be kept).
    assert os.environ.get("OMP_WAIT_POLICY", "").upper() in {"PASSIVE", "ACTIVE"}


def test_default_threads_follow_the_usable_cores_and_the_cap() -> None:
    assert 1 <= usable_cores() <= (os.cpu_count() or 1)
    assert default_threads(cap=1) == 1
    assert default_threads(cap=64) == usable_cores()


def test_few_threads_lends_threads_for_the_body_then_sets_the_count_given() -> None:
    with few_threads(torch, 1, after=3):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 3
    with pytest.raises(ValueError), few_threads(torch, 1, after=2):
        raise ValueError("boom")
    assert torch.get_num_threads() == 2


def test_blas_threads_bounds_numpy_blas_and_set_threads_bounds_torch_too() -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from summaries.understand.threads import blas_threads, set_threads

    before = torch.get_num_threads()
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):  # restored after
        blas_threads(1)
        blas = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
        assert blas and all(i["num_threads"] == 1 for i in blas)
        set_threads(2)
        assert torch.get_num_threads() == 2
        blas = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
        assert all(i["num_threads"] <= 2 for i in blas)
    torch.set_num_threads(before)


def test_worker_processes_share_the_cores_out_without_oversubscribing_them() -> None:
    assert threads.worker_threads(1, cores=2) == 2  # one worker uses both cores
    assert threads.worker_threads(2, cores=2) == 1  # two busy together: one core each
    assert threads.worker_threads(3, cores=2) == 1  # never fewer than one
    assert threads.worker_threads(2, cores=8) == 4
    assert threads.worker_threads(1, cores=32) == threads.DEFAULT_CAP
    assert threads.worker_threads(0, cores=2) == 2  # in the bot's process
    assert threads.worker_threads(1) == threads.default_threads()
