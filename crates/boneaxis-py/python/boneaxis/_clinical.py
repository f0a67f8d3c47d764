"""One patient's projection, the validation library and the parameter catalog."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, Optional, Sequence, Union

import pandas as pd

from . import _core

DrugLike = Union[str, Dict[str, Any]]


@dataclass
class PatientResult:
    """What ``boneaxis patient`` prints, as data.

    ``report`` is the full report (the CLI's ``--json``). ``trajectory``: one row per option and
    time (years from now; femoral-neck, total-hip and spine BMD in g/cm², femoral-neck T-score).
    ``risks``: one row per option and horizon with the probabilities (%) of a first hip and major
    osteoporotic fracture and the falls per year. ``effects``: each drug's risk ratio against no
    drug and the percentage points it adds through bone and through falls.
    A research model, not a clinical device.
    """

    report: Dict[str, Any]
    trajectory: pd.DataFrame
    risks: pd.DataFrame
    effects: pd.DataFrame


def _drug(d: DrugLike) -> Dict[str, Any]:
    if isinstance(d, dict):
        return d
    parts = d.split()
    if len(parts) == 1:
        return {"name": parts[0]}
    return {"name": parts[0], "dose": " ".join(parts[1:])}


def patient(
    age: Optional[float] = None,
    sex: Optional[str] = None,
    *,
    file: Optional[Union[str, "os.PathLike[str]"]] = None,
    bmi: Optional[float] = None,
    t_score: Optional[float] = None,
    femoral_neck_bmd: Optional[float] = None,
    depression: Optional[float] = None,
    depression_years: Optional[float] = None,
    drug: Optional[str] = None,
    dose: Optional[str] = None,
    start: Optional[str] = None,
    alternatives: Sequence[DrugLike] = (),
    smoking: Optional[float] = None,
    alcohol: Optional[float] = None,
    glucocorticoids: Optional[float] = None,
    years: Optional[float] = None,
) -> PatientResult:
    """One person's BMD trajectory and fracture probabilities with and without a drug.

    The arguments are those of ``boneaxis patient`` (ages 40-90, ``sex`` "female"/"male",
    T-score -5 to 3, depression severity 0-1, a drug such as "sertraline" with ``dose="50mg"``,
    ``alternatives`` such as ``["escitalopram 10mg", "stop"]``). ``file`` reads a patient TOML
    file; arguments given as well override its fields. A value out of range raises
    ``PatientError`` naming the field and the allowed range.
    """
    if file is not None:
        spec: Dict[str, Any] = json.loads(_core.read_patient_file(os.fspath(file)))
        source = os.fspath(file)
    else:
        spec = {}
        source = "arguments"
    for key, value in (
        ("age", age),
        ("sex", sex),
        ("bmi", bmi),
        ("t_score", t_score),
        ("femoral_neck_bmd", femoral_neck_bmd),
        ("smoking", smoking),
        ("alcohol", alcohol),
        ("glucocorticoids", glucocorticoids),
        ("years", years),
    ):
        if value is not None:
            spec[key] = value
    for key in ("age", "sex"):
        if key not in spec:
            err = _core.PatientError(f"{source}: field `{key}`: missing (e.g. age=70, sex='female')")
            err.source, err.field = source, key
            raise err
    if depression is not None or depression_years is not None:
        d = spec.get("depression") or {"severity": 0.5, "years": 0.0}
        if depression is not None:
            d["severity"] = depression
        if depression_years is not None:
            d["years"] = depression_years
        spec["depression"] = d
    if drug is not None:
        spec["drug"] = {k: v for k, v in (("name", drug), ("dose", dose), ("start", start)) if v is not None}
    if alternatives:
        spec["alternative"] = [_drug(a) for a in alternatives]
    report = json.loads(_core.patient(json.dumps(spec), source))
    return PatientResult(
        report=report,
        trajectory=_trajectory(report),
        risks=_risks(report),
        effects=_effects(report),
    )


def _trajectory(report: Dict[str, Any]) -> pd.DataFrame:
    rows = [
        {"option": option["key"], "label": option["label"], **point}
        for option in report["options"]
        for point in option["trajectory"]
    ]
    return pd.DataFrame(rows)


def _risks(report: Dict[str, Any]) -> pd.DataFrame:
    rows = [
        {
            "option": option["key"],
            "label": option["label"],
            "years": years,
            "hip_fracture_percent": hip,
            "major_fracture_percent": major,
            "falls_per_year": option["falls_per_year"],
        }
        for option in report["options"]
        for years, hip, major in zip(report["horizons"], option["hip"], option["major"])
    ]
    return pd.DataFrame(rows)


def _effects(report: Dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(report["effects"])


def params(species: str = "human", sex: str = "female") -> pd.DataFrame:
    """The parameter catalog for a species and sex, with provenance.

    Columns: name, value, unit, kind (measured, derived, calibrated, assumed), source (a key of
    the references), description, bounds, note, and for calibrated parameters the fit record.
    """
    return pd.DataFrame(json.loads(_core.params(species, sex)))


def validate(
    directory: Union[str, "os.PathLike[str]", None] = None,
    case: Optional[str] = None,
    hypotheses: bool = False,
) -> pd.DataFrame:
    """Runs the published-experiment library and compares the model with each publication.

    ``directory`` holds the cases (default: ``validation`` in the current folder or the first
    parent that has one). ``case`` keeps only cases whose name contains it. One row per
    observation: published value and range, simulated value, verdict and, for a failure, the
    stated reason and its class (``failure_class``: contradiction, missing_mechanism,
    identifiability or protocol). The summary scores are in ``frame.attrs["scores"]``.

    With ``hypotheses=True`` the cases are rerun under each hypothesis of ``hypotheses.toml``
    (the change to the model one side of a contradiction would need); ``frame.attrs["hypotheses"]``
    lists, per hypothesis, the observations it ``gained`` (fail by default, pass under it) and
    ``lost``, with the default and simulated values. The verdicts in the frame stay the default
    model's.
    """
    folder = os.fspath(directory) if directory is not None else _find_validation()
    out = json.loads(_core.validate(folder, case, hypotheses))
    frame = pd.DataFrame(out["observations"])
    frame.attrs["scores"] = out["scores"]
    frame.attrs["hypotheses"] = out["hypotheses"]
    return frame


def _find_validation() -> str:
    here = os.path.abspath(os.getcwd())
    while True:
        candidate = os.path.join(here, "validation")
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            err = _core.BoneaxisIOError(
                "validation: no folder of cases here or above; pass directory= (the repository's "
                "validation/ folder)"
            )
            err.path = "validation"
            raise err
        here = parent
