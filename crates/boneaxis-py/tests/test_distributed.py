"""Dask: a 2-worker LocalCluster gives the single-process result bit for bit, survives a killed
worker, and keeps finished shards."""

import os
import signal
import threading
import time

import pandas as pd
import pytest

import boneaxis as bx
from boneaxis.distributed import run_population, run_sensitivity, shards

distributed = pytest.importorskip("dask.distributed")

SCENARIO = "population_depression_ssri"
SIZE = 600


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def local():
    return bx.study(SCENARIO, size=SIZE, progress=False)


def same(a: bx.StudyResult, b: bx.StudyResult) -> None:
    pd.testing.assert_frame_equal(a.subjects, b.subjects, check_exact=True)
    pd.testing.assert_frame_equal(a.results, b.results, check_exact=True)
    pd.testing.assert_frame_equal(a.analyses, b.analyses, check_exact=True)


def test_shards_cover_the_population_once():
    parts = shards(1001, 100)
    assert parts[0] == (0, 0, 100) and parts[-1] == (10, 1000, 1001)
    assert sum(last - first for _, first, last in parts) == 1001


def test_two_workers_equal_one_process(client, local):
    d = run_population(SCENARIO, client, size=SIZE, shard_size=53, progress=False)
    same(local, d)


def test_shards_on_disk_are_kept_and_reused(client, local, tmp_path):
    first = run_population(SCENARIO, client, size=SIZE, shard_size=100, out=tmp_path, progress=False)
    same(local, first)
    files = sorted(p.name for p in tmp_path.glob("shard-*.parquet"))
    assert len(files) == 12
    kept = tmp_path / "shard-000002.results.parquet"
    stamp = kept.stat().st_mtime_ns
    (tmp_path / "shard-000004.subjects.parquet").unlink()  # as if cut off mid-shard
    again = run_population(SCENARIO, client, size=SIZE, shard_size=100, out=tmp_path, progress=False)
    same(local, again)
    assert kept.stat().st_mtime_ns == stamp, "a finished shard was recomputed"
    assert (tmp_path / "shard-000004.subjects.parquet").exists()


def test_out_folder_of_another_study_is_refused(client, tmp_path):
    run_population(SCENARIO, client, size=20, shard_size=10, out=tmp_path, progress=False)
    with pytest.raises(bx.BoneaxisIOError, match="another study"):
        run_population(SCENARIO, client, size=30, shard_size=10, out=tmp_path, progress=False)


def test_a_killed_worker_does_not_change_the_result(client, local, tmp_path):
    pids = client.run(os.getpid)

    def kill_when_started():
        # Kill one worker as soon as the first shard is on disk: the rest is mid-flight.
        deadline = time.time() + 60
        while time.time() < deadline and not any(tmp_path.glob("shard-*.subjects.parquet")):
            time.sleep(0.01)
        os.kill(next(iter(pids.values())), signal.SIGKILL)

    killer = threading.Thread(target=kill_when_started)
    killer.start()
    d = run_population(SCENARIO, client, size=SIZE, shard_size=25, out=tmp_path, progress=False)
    killer.join()
    assert set(client.run(os.getpid).values()) != set(pids.values()), "no worker was replaced"
    same(local, d)


def test_distributed_sensitivity_equals_local(client):
    kw = dict(
        readout="bone.distal_femur.bv_tv",
        arm="cms",
        params=["sympathetic.depression_gain", "bone.distal_femur.turnover_rate"],
        method="sobol",
        samples=16,
        seed=3,
    )
    a = bx.sensitivity("cms_mouse", **kw)
    b = run_sensitivity("cms_mouse", client, shard_size=9, progress=False, **kw)
    pd.testing.assert_frame_equal(a.indices, b.indices, check_exact=True)
