"""Columns from the extension module turned into pandas DataFrames (no per-row objects)."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import numpy as np
import pandas as pd


def categorical(column: Dict[str, Any]) -> pd.Categorical:
    codes = np.asarray(column["codes"], dtype=np.int32)
    return pd.Categorical.from_codes(codes, categories=list(column["categories"]))


def long_frame(columns: Dict[str, Any]) -> pd.DataFrame:
    """Long format: ``[subject,] arm, time_days, variable, value, unit``."""
    variable = categorical(columns["variable"])
    units: List[str] = list(columns["units"])
    unit_categories = list(dict.fromkeys(units))
    lookup = np.array([unit_categories.index(u) for u in units], dtype=np.int32)
    unit = pd.Categorical.from_codes(lookup[variable.codes], categories=unit_categories)
    data: Dict[str, Any] = {}
    if "subject" in columns:
        data["subject"] = np.asarray(columns["subject"], dtype=np.int64)
    data["arm"] = categorical(columns["arm"])
    data["time_days"] = columns["time"]
    data["variable"] = variable
    data["value"] = columns["value"]
    data["unit"] = unit
    return pd.DataFrame(data)


def wide_frame(long: pd.DataFrame) -> pd.DataFrame:
    """Wide format: one row per (subject,) arm and time, one column per ``variable [unit]``."""
    keys: List[str] = [k for k in ("subject", "arm", "time_days") if k in long.columns]
    labels = long["variable"].astype(str) + " [" + long["unit"].astype(str) + "]"
    wide = long.assign(column=labels).pivot_table(
        index=keys, columns="column", values="value", aggfunc="first", observed=True, sort=False
    )
    wide.columns.name = None
    return wide.reset_index()


def subjects_frame(columns: Dict[str, Any]) -> pd.DataFrame:
    female = np.asarray(columns["female"], dtype=bool)
    data: Dict[str, Any] = {
        "subject": np.asarray(columns["subject"], dtype=np.int64),
        "sex": pd.Categorical.from_codes(
            np.where(female, 0, 1).astype(np.int8), categories=["female", "male"]
        ),
        "age_years": columns["age_years"],
        "postmenopausal": female & np.asarray(columns["postmenopausal"], dtype=bool),
        "depression": columns["depression"],
        "cigarettes_per_day": columns["cigarettes_per_day"],
        "alcohol_units_per_day": columns["alcohol_units_per_day"],
        "drug_adherence": columns["drug_adherence"],
        "bmi": columns["bmi"],
        "depression_years": columns["depression_years"],
    }
    data.update(columns["parameters"])
    return pd.DataFrame(data)


def analyses_frame(text: str) -> pd.DataFrame:
    """One row per ``[[analysis]]``: the estimate, its 95% CI and each group's summary."""
    rows = []
    for a in json.loads(text):
        row = {
            "title": a["title"],
            "kind": a["kind"],
            "readout": a["readout"],
            "unit": a["unit"],
            "estimate": a["estimate"],
            "ci_low": a["ci"][0],
            "ci_high": a["ci"][1],
        }
        for side in ("exposed", "unexposed"):
            g = a[side]
            row.update(
                {
                    f"{side}_group": g["group"],
                    f"{side}_n": g["n"],
                    f"{side}_mean": g["mean"],
                    f"{side}_sd": g["sd"],
                }
            )
        rows.append(row)
    return pd.DataFrame(rows)
