"""Scenarios: a TOML text and the name it is known by in error messages."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Union

from . import _core
from ._core import ScenarioError

SHIPPED: Dict[str, str] = dict(_core.shipped_scenarios())


@dataclass(frozen=True)
class Scenario:
    """A checked scenario: its TOML text and its source (a path, a shipped name, ``<dict>``).

    Scenarios are plain data, so they pickle and travel to Dask workers unchanged.
    """

    text: str
    source: str
    info: Dict[str, Any] = field(compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.info["name"]

    @property
    def arms(self) -> List[str]:
        """Arm names, the control first."""
        return list(self.info["arms"])

    @property
    def readouts(self) -> List[str]:
        return list(self.info["readouts"])

    @property
    def species(self) -> str:
        return self.info["species"]

    @property
    def duration_days(self) -> float:
        return self.info["duration_days"]

    @property
    def population_size(self) -> Optional[int]:
        """Size of the ``[population]`` section, or None for a single individual."""
        return self.info["population_size"]

    def to_dict(self) -> Dict[str, Any]:
        """The scenario as nested dicts (the TOML tables); ``load_scenario`` reads it back."""
        return json.loads(_core.scenario_to_json(self.text, self.source))


ScenarioLike = Union[Scenario, str, "os.PathLike[str]", Mapping[str, Any]]


def _from_text(text: str, source: str) -> Scenario:
    return Scenario(text=text, source=source, info=_core.scenario_info(text, source))


def load_scenario(scenario: ScenarioLike) -> Scenario:
    """Reads and checks a scenario.

    ``scenario`` is a path to a TOML file, the name of a shipped scenario (see
    ``shipped_scenarios()``), a dict with the file's tables (as ``Scenario.to_dict`` returns), or
    a ``Scenario``. A wrong field raises ``ScenarioError`` naming the file, line and field.
    """
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, Mapping):
        text = _core.scenario_from_json(json.dumps(scenario), "<dict>")
        return _from_text(text, "<dict>")
    path = os.fspath(scenario)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            return _from_text(f.read(), path)
    if path in SHIPPED:
        return _from_text(SHIPPED[path], f"{path} (shipped)")
    err = ScenarioError(
        f"{path}: no such file, and not a shipped scenario "
        f"(shipped: {', '.join(sorted(SHIPPED))})"
    )
    err.file, err.line, err.column, err.field = path, None, None, ""
    raise err


def shipped_scenarios() -> List[str]:
    """Names of the scenarios that come with boneaxis (``load_scenario`` accepts them)."""
    return sorted(SHIPPED)
