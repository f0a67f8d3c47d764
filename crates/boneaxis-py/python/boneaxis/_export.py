"""SBML export of one arm, and the states boneaxis computes for it."""

from __future__ import annotations

import os
from typing import Optional, Union

import pandas as pd

from . import _core
from ._scenario import ScenarioLike, load_scenario


def export_sbml(
    scenario: ScenarioLike,
    arm: Optional[str] = None,
    path: Union[str, "os.PathLike[str]", None] = None,
) -> str:
    """One arm (default: the control arm) as SBML Level 3 Version 2; written to ``path`` if given.

    Parameters are the catalog's, named and cited; signals are assignment rules; states are rate
    rules starting from the arm's baseline; doses and schedule changes are events (see
    ``docs/sbml.md``). Returns the document.
    """
    s = load_scenario(scenario)
    document = _core.export_sbml(s.text, s.source, arm)
    if path is not None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(document)
    return document


def reference_states(scenario: ScenarioLike, arm: Optional[str] = None) -> pd.DataFrame:
    """boneaxis's states of one arm at the scenario's sample times, from a tight BDF run.

    Columns: ``time_days`` and one column per state, named by its SBML id (as in
    ``export_sbml``). ``frame.attrs["scale"]`` gives each state's typical size (the reference
    for absolute tolerances). This is what another simulator running the export must match.
    """
    s = load_scenario(scenario)
    ids, scales, times, values = _core.reference_states(s.text, s.source, arm)
    frame = pd.DataFrame(values, columns=ids)
    frame.insert(0, "time_days", times)
    frame.attrs["scale"] = dict(zip(ids, scales))
    return frame
