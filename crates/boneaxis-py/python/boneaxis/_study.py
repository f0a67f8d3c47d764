"""Virtual-population studies and global sensitivity, in one process.

Both are built from the same pieces as their distributed versions (``boneaxis.distributed``):
a population runs as shards of subjects, a sensitivity analysis as ranges of design points, and
the statistics come from the gathered pieces in order, so every way of running gives the same
numbers bit for bit.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from . import _core
from ._frames import analyses_frame, long_frame, subjects_frame
from ._scenario import Scenario, ScenarioLike, load_scenario


@dataclass
class StudyResult:
    """A population study: the subjects, their results and the study's analyses.

    ``subjects``: one row per subject (sex, age, menopause, depression, smoking, alcohol and the
    values of the variable parameters). ``results``: long format with a ``subject`` column.
    ``analyses``: one row per ``[[analysis]]`` with the estimate (Hedges' g, %/year difference or
    Cox hazard ratio), its 95% CI and each group's n, mean and SD.
    """

    scenario: str
    size: int
    seed: int
    subjects: pd.DataFrame
    results: pd.DataFrame
    analyses: pd.DataFrame

    def to_parquet(self, directory: "os.PathLike[str] | str") -> None:
        """Writes subjects.parquet, results.parquet and analyses.parquet into ``directory``."""
        os.makedirs(directory, exist_ok=True)
        for name in ("subjects", "results", "analyses"):
            getattr(self, name).to_parquet(os.path.join(directory, f"{name}.parquet"), index=False)


def run_shard(
    scenario: Scenario, size: int, first: int, last: int, progress: bool = False
) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """Subjects ``first..last`` of a population: their table and their long-format results.

    Each subject's random numbers derive from the study's seed and the subject's index alone,
    so a shard is a pure function of (scenario, size, first, last).
    """
    subjects, results = _core.run_subjects(
        scenario.text, scenario.source, size, first, last, progress=progress
    )
    return subjects_frame(subjects), long_frame(results)


def analyses_of(scenario: Scenario, size: int, results: pd.DataFrame) -> pd.DataFrame:
    """The study's analyses from long-format results of subjects in increasing order."""
    arm = results["arm"].cat
    variable = results["variable"].cat
    unit_of = (
        results.drop_duplicates("variable")
        .set_index("variable", drop=False)["unit"]
        .astype(str)
        .to_dict()
    )
    variables = [str(v) for v in variable.categories]
    text = _core.analyse(
        scenario.text,
        scenario.source,
        size,
        results["subject"].to_numpy(dtype=np.uint64),
        arm.codes.to_numpy().astype(np.uint32),
        [str(a) for a in arm.categories],
        results["time_days"].to_numpy(dtype=np.float64),
        variable.codes.to_numpy().astype(np.uint32),
        variables,
        [unit_of.get(v, "") for v in variables],
        results["value"].to_numpy(dtype=np.float64),
    )
    return analyses_frame(text)


def population_size(scenario: Scenario, size: Optional[int]) -> int:
    if size is not None:
        return max(int(size), 1)
    if scenario.population_size is None:
        raise _core.AnalysisError(
            f"{scenario.source}: has no [population] section; `run` simulates one individual"
        )
    return int(scenario.population_size)


def study(
    scenario: ScenarioLike,
    *,
    size: Optional[int] = None,
    progress: bool = True,
) -> StudyResult:
    """Simulates a virtual population through every arm of a scenario and runs its analyses.

    The scenario needs a ``[population]`` section (and ``[[analysis]]`` sections for the
    statistics); ``size`` overrides its number of subjects. Subjects run in parallel on every
    core with the GIL released; ``progress`` shows a progress bar on stderr. The same seed gives
    the same result whatever the number of threads or machines (``boneaxis.distributed``).
    """
    s = load_scenario(scenario)
    n = population_size(s, size)
    subjects, results = run_shard(s, n, 0, n, progress=progress)
    return StudyResult(
        scenario=s.name,
        size=n,
        seed=int(s.info["population_seed"]),
        subjects=subjects,
        results=results,
        analyses=analyses_of(s, n, results),
    )


@dataclass
class SensitivityResult:
    """Sensitivity indices, one row per parameter, most influential first.

    Morris: ``mu*`` (ranks), ``mu``, ``sigma``. Sobol: total (``S_T``) and first-order (``S_1``)
    indices with bootstrap 95% intervals.
    """

    target: str
    method: str
    #: The column that ranks the parameters (``mu*`` or ``S_T``).
    rank: str
    indices: pd.DataFrame

    def plot(self, ax: Any = None, top: int = 15) -> Any:
        """Horizontal bars of the ranking index (needs matplotlib); returns the axes."""
        import matplotlib.pyplot as plt

        shown = self.indices.head(top).iloc[::-1]
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 0.35 * len(shown) + 1))
        ax.barh(shown["parameter"], shown[self.rank].abs())
        ax.set_xlabel(self.rank)
        ax.set_title(f"{self.method}: {self.target}", fontsize=10)
        return ax


def sensitivity_spec(
    readout: str,
    arm: str,
    params: Sequence[str],
    method: str,
    samples: Optional[int],
    seed: int,
    versus: Optional[str],
    at: Optional[str],
) -> str:
    return json.dumps(
        {
            "readout": readout,
            "arm": arm,
            "versus": versus,
            "at": at,
            "params": list(params),
            "method": method,
            "samples": samples,
            "seed": int(seed),
        }
    )


def sensitivity_result(
    scenario: Scenario, spec: str, values: np.ndarray
) -> SensitivityResult:
    out = json.loads(_core.sensitivity_analyse(scenario.text, scenario.source, spec, values))
    header: List[str] = out["header"]
    rows = [
        {
            "parameter": r["parameter"],
            "unit": r["unit"],
            "low": r["low"],
            "high": r["high"],
            "log": r["log"],
            **dict(zip(header, r["indices"])),
        }
        for r in out["rows"]
    ]
    frame = pd.DataFrame(rows)
    frame = frame.reindex(frame[header[0]].abs().sort_values(ascending=False).index)
    s = json.loads(spec)
    target = f"{s['readout']} in {s['arm']}" + (f" vs {s['versus']}" if s["versus"] else "")
    return SensitivityResult(
        target=target, method=s["method"], rank=header[0], indices=frame.reset_index(drop=True)
    )


def sensitivity(
    scenario: ScenarioLike,
    *,
    readout: str,
    arm: str,
    params: Sequence[str] = (),
    method: str = "morris",
    samples: Optional[int] = None,
    seed: int = 1,
    versus: Optional[str] = None,
    at: Optional[str] = None,
) -> SensitivityResult:
    """Global sensitivity of a readout (or its % change vs another arm) to parameters.

    ``method`` is ``"morris"`` (``samples`` trajectories, default 10; every bounded parameter the
    arm reads when ``params`` is empty) or ``"sobol"`` (``samples`` = base size N, default 256,
    N·(k+2) runs; needs ``params``). Each parameter varies over its catalog bounds. ``at`` is a
    time such as ``"4 weeks"`` (default: the end of the study). Dosing events are simulated in
    every run. Runs in parallel with the GIL released; the seed fixes the design.
    """
    s = load_scenario(scenario)
    spec = sensitivity_spec(readout, arm, params, method, samples, seed, versus, at)
    n, _ = _core.sensitivity_plan(s.text, s.source, spec)
    values, _ = _core.sensitivity_eval(s.text, s.source, spec, 0, n)
    return sensitivity_result(s, spec, values)
