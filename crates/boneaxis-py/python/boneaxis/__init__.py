"""boneaxis: a mechanistic simulator of the brain-gut-bone axis.

What happens to a skeleton when an animal or a person is chronically stressed or depressed, and
when they take an antidepressant or a beta-blocker. The same model as the ``boneaxis`` command:

>>> import boneaxis as bx
>>> df = bx.run("cms_mouse")                      # a shipped scenario, or a path to a TOML file
>>> df[df.variable == "bone.distal_femur.bv_tv"].groupby("arm", observed=True).value.last()

Results are pandas DataFrames in long format (``arm, time_days, variable, value, unit``) with
units in every row; ``wide=True`` pivots them. Errors are ``BoneaxisError`` subclasses with the
CLI's messages. Distributed populations and sensitivity runs: ``boneaxis.distributed``.
It is a research model, not a clinical device.
"""

from __future__ import annotations

import pandas as pd

from . import _core
from ._core import (
    AnalysisError,
    BoneaxisError,
    BoneaxisIOError,
    CalibrationError,
    ParameterError,
    PatientError,
    ScenarioError,
    SolverError,
)
from ._frames import long_frame, wide_frame
from ._scenario import Scenario, ScenarioLike, load_scenario, shipped_scenarios
from ._study import SensitivityResult, StudyResult, sensitivity, study
from ._clinical import PatientResult, params, patient, validate
from ._export import SbmlImport, export_sbml, import_sbml, reference_states

__version__: str = _core.__version__

__all__ = [
    "AnalysisError",
    "BoneaxisError",
    "BoneaxisIOError",
    "CalibrationError",
    "ParameterError",
    "PatientError",
    "PatientResult",
    "Scenario",
    "ScenarioError",
    "SensitivityResult",
    "SolverError",
    "StudyResult",
    "SbmlImport",
    "export_sbml",
    "import_sbml",
    "load_scenario",
    "params",
    "patient",
    "reference_states",
    "run",
    "sensitivity",
    "shipped_scenarios",
    "study",
    "validate",
]


def run(scenario: ScenarioLike, *, wide: bool = False) -> pd.DataFrame:
    """Simulates every arm of a scenario and returns its readouts over time.

    Parameters
    ----------
    scenario:
        A path to a scenario file (TOML), a shipped scenario's name (``shipped_scenarios()``), a
        dict of the file's tables, or a ``Scenario``.
    wide:
        False (default): long format, one row per arm, time and readout, with columns ``arm``,
        ``time_days``, ``variable``, ``value`` and ``unit`` (strings are categorical).
        True: one row per arm and time, one column per ``"readout [unit]"``.

    The simulation runs in Rust with the GIL released. Raises ``ScenarioError`` for a wrong
    scenario (file, line, field) and ``SolverError`` if the solver fails (scenario, arm, time).
    """
    s = load_scenario(scenario)
    frame = long_frame(_core.run(s.text, s.source))
    return wide_frame(frame) if wide else frame
