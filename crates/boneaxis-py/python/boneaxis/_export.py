"""SBML export of one arm, and the states boneaxis computes for it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional, Union

import pandas as pd

from . import _core
from ._scenario import Scenario, ScenarioLike, _from_text, load_scenario


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


@dataclass
class SbmlImport:
    """An exported SBML file read back: the scenario with the changed parameters as
    ``[model.parameters]`` overrides, the arm it was exported from, and the changes (name,
    exported value, imported value, in canonical units)."""

    scenario: Scenario
    arm: str
    changes: pd.DataFrame


def import_sbml(file: Union[str, "os.PathLike[str]"]) -> SbmlImport:
    """Reads back an SBML file boneaxis exported, after parameter values were changed in
    another tool (COPASI, Tellurium). Anything else that changed (rules, events, species,
    starting values) is refused with ``AnalysisError`` saying what differs; run the result
    with ``boneaxis.run(imported.scenario)``."""
    path = os.fspath(file)
    with open(path, encoding="utf-8") as f:
        document = f.read()
    text, arm, changes = _core.import_sbml(document, path)
    frame = pd.DataFrame(changes, columns=["parameter", "exported", "imported"])
    return SbmlImport(scenario=_from_text(text, f"{path} (imported)"), arm=arm, changes=frame)


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
