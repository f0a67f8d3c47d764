"""Populations and sensitivity analyses on a Dask cluster.

``run_population`` splits a population's subjects into shards of consecutive indices and runs
each shard as a Dask task. Every subject's random numbers derive from the study's seed and the
subject's index, so a shard is a pure function of (scenario, size, first, last): the gathered
result equals ``boneaxis.study`` with the same seed, bit for bit, whatever the number of workers.
Dask recomputes the shards of a worker that dies. With ``out=``, each shard is written to Parquet
as soon as it finishes (atomically: written under a temporary name, then renamed); a later call
with the same ``out`` reuses the finished shards and runs only the missing ones.

``run_sensitivity`` does the same for the points of a Morris or Sobol design.

Works with ``dask.distributed.LocalCluster`` and with any cluster a ``Client`` points to
(dask-jobqueue for Slurm/PBS, dask-kubernetes); workers need the ``boneaxis`` package, and
``out`` must be a folder every worker can write to.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from . import _core
from ._scenario import Scenario, ScenarioLike, load_scenario
from ._study import (
    SensitivityResult,
    StudyResult,
    analyses_of,
    population_size,
    run_shard,
    sensitivity_result,
    sensitivity_spec,
)

__all__ = ["run_population", "run_sensitivity", "shards"]


def shards(size: int, shard_size: int) -> List[Tuple[int, int, int]]:
    """The shards of a population: (index, first subject, last subject + 1)."""
    step = max(int(shard_size), 1)
    return [(i, first, min(first + step, size)) for i, first in enumerate(range(0, size, step))]


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def _client(client: Any) -> Any:
    if client is not None:
        return client
    from dask.distributed import get_client

    try:
        return get_client()
    except ValueError:
        raise _core.AnalysisError(
            "no Dask client: pass client=Client(...) (e.g. Client(LocalCluster(n_workers=2)))"
        ) from None


def _shard_paths(out: str, index: int) -> Tuple[str, str]:
    stem = os.path.join(out, f"shard-{index:06d}")
    return f"{stem}.subjects.parquet", f"{stem}.results.parquet"


def _write_atomic(frame: pd.DataFrame, path: str) -> None:
    partial = f"{path}.partial-{os.getpid()}"
    frame.to_parquet(partial, index=False)
    os.replace(partial, path)


def _population_task(
    scenario: Scenario, size: int, index: int, first: int, last: int, out: Optional[str]
) -> Any:
    """One shard on a worker: the frames, or (with ``out``) the paths it wrote."""
    subjects, results = run_shard(scenario, size, first, last)
    if out is None:
        return subjects, results
    subjects_path, results_path = _shard_paths(out, index)
    # Results first: a shard counts as finished once its subjects file exists.
    _write_atomic(results, results_path)
    _write_atomic(subjects, subjects_path)
    return subjects_path, results_path


def _check_manifest(out: str, manifest: Dict[str, Any]) -> None:
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "manifest.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
        if old != manifest:
            err = _core.BoneaxisIOError(
                f"{path}: the shards there belong to another study (scenario, size or shard "
                "size differ); use another out= folder"
            )
            err.path = path
            raise err
    else:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2)


class _Progress:
    def __init__(self, total: int, what: str, show: bool) -> None:
        self.total, self.what, self.show, self.done = total, what, show, 0

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.show:
            end = "\n" if self.done >= self.total else ""
            print(f"\r{self.what}: {self.done}/{self.total} shards", end=end, file=sys.stderr)


def run_population(
    scenario: ScenarioLike,
    client: Any = None,
    *,
    size: Optional[int] = None,
    shard_size: int = 1000,
    out: Optional["os.PathLike[str] | str"] = None,
    progress: bool = True,
) -> StudyResult:
    """Runs a population study on a Dask cluster; returns what ``boneaxis.study`` returns.

    ``client`` is a ``dask.distributed.Client`` (default: the current one). ``shard_size``
    subjects run per task. ``out``: a folder for the shards' Parquet files (resumable, see the
    module's docstring); without it, shards come back through Dask.
    """
    s = load_scenario(scenario)
    n = population_size(s, size)
    parts = shards(n, shard_size)
    key = _digest(s.text, n, shard_size)
    out_dir = os.fspath(out) if out is not None else None
    done: Dict[int, Any] = {}
    if out_dir is not None:
        _check_manifest(out_dir, {"scenario": s.text, "size": n, "shard_size": shard_size})
        for index, _, _ in parts:
            paths = _shard_paths(out_dir, index)
            if os.path.exists(paths[0]) and os.path.exists(paths[1]):
                done[index] = paths
    todo = [p for p in parts if p[0] not in done]
    bar = _Progress(len(parts), f"{s.name}", progress)
    if done:
        bar.step(len(done))
    if todo:
        c = _client(client)
        futures = [
            c.submit(
                _population_task, s, n, index, first, last, out_dir, key=f"boneaxis-{key}-{index}"
            )
            for index, first, last in todo
        ]
        index_of = {f.key: i for f, (i, _, _) in zip(futures, todo)}
        from dask.distributed import as_completed

        for future in as_completed(futures):
            done[index_of[future.key]] = future.result()
            bar.step()
    subjects, results = _gather([done[i] for i, _, _ in parts])
    return StudyResult(
        scenario=s.name,
        size=n,
        seed=int(s.info["population_seed"]),
        subjects=subjects,
        results=results,
        analyses=analyses_of(s, n, results),
    )


def _gather(pieces: Sequence[Any]) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """The shards' frames, in subject order (Parquet paths are read back)."""
    subjects, results = [], []
    for piece in pieces:
        a, b = piece
        if isinstance(a, str):
            a, b = pd.read_parquet(a), pd.read_parquet(b)
        subjects.append(a)
        results.append(b)
    return _concat(subjects), _concat(results)


def _concat(frames: List[pd.DataFrame]) -> pd.DataFrame:
    """Concatenation that keeps categorical columns categorical (categories in first-seen order)."""
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    categorical = [c for c in frames[0].columns if isinstance(frames[0][c].dtype, pd.CategoricalDtype)]
    for c in categorical:
        categories = list(dict.fromkeys(x for f in frames for x in f[c].cat.categories))
        for f in frames:
            f[c] = f[c].cat.set_categories(categories)
    return pd.concat(frames, ignore_index=True)


def _sensitivity_task(scenario: Scenario, spec: str, first: int, last: int) -> np.ndarray:
    values, _ = _core.sensitivity_eval(scenario.text, scenario.source, spec, first, last)
    return values


def run_sensitivity(
    scenario: ScenarioLike,
    client: Any = None,
    *,
    readout: str,
    arm: str,
    params: Sequence[str] = (),
    method: str = "morris",
    samples: Optional[int] = None,
    seed: int = 1,
    versus: Optional[str] = None,
    at: Optional[str] = None,
    shard_size: int = 64,
    progress: bool = True,
) -> SensitivityResult:
    """``boneaxis.sensitivity`` on a Dask cluster: ``shard_size`` design points per task.

    The indices equal those of a single-process run with the same seed, bit for bit.
    """
    s = load_scenario(scenario)
    spec = sensitivity_spec(readout, arm, params, method, samples, seed, versus, at)
    n, _ = _core.sensitivity_plan(s.text, s.source, spec)
    parts = shards(n, shard_size)
    key = _digest(s.text, spec, shard_size)
    c = _client(client)
    futures = [
        c.submit(_sensitivity_task, s, spec, first, last, key=f"boneaxis-sens-{key}-{index}")
        for index, first, last in parts
    ]
    bar = _Progress(len(parts), f"{method} {readout}", progress)
    from dask.distributed import as_completed

    for _ in as_completed(futures):
        bar.step()
    values = np.concatenate([f.result() for f in futures]) if futures else np.zeros(0)
    return sensitivity_result(s, spec, values)
