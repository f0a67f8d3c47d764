"""The API's shape and its agreement with the CLI."""

import json
import threading

import numpy as np
import pandas as pd
import pytest

import boneaxis as bx
from conftest import cli, cli_json, close


def test_run_long_format_has_units_and_categoricals():
    df = bx.run("cms_mouse")
    assert list(df.columns) == ["arm", "time_days", "variable", "value", "unit"]
    for c in ("arm", "variable", "unit"):
        assert isinstance(df[c].dtype, pd.CategoricalDtype), c
    assert df.time_days.dtype == np.float64 and df.value.dtype == np.float64
    assert list(df.arm.cat.categories) == ["untreated", "cms", "cms_imipramine", "cms_propranolol"]
    bv = df[df.variable == "bone.distal_femur.bv_tv"]
    assert set(bv.unit.astype(str)) == {"%"}
    assert bv.time_days.max() == pytest.approx(28.0)


def test_run_matches_the_cli_csv(tmp_path):
    done = cli("run", "scenarios/cms_mouse.toml", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    csv = pd.read_csv(tmp_path / "results.csv")
    df = bx.run("cms_mouse")
    assert len(csv) == len(df)
    np.testing.assert_array_equal(csv["value"].to_numpy(), df["value"].to_numpy())
    assert list(csv["variable"]) == list(df["variable"].astype(str))


def test_wide_format_is_a_pivot_of_the_long_one():
    long = bx.run("cms_mouse")
    wide = bx.run("cms_mouse", wide=True)
    assert list(wide.columns[:2]) == ["arm", "time_days"]
    assert "bone.distal_femur.bv_tv [%]" in wide.columns
    assert len(wide) == len(long) / long.variable.nunique()
    end = wide[wide.arm == "cms"].iloc[-1]["bone.distal_femur.bv_tv [%]"]
    expected = long[(long.arm == "cms") & (long.variable == "bone.distal_femur.bv_tv")].value.iloc[-1]
    close(expected, end)


def test_scenario_round_trip_through_a_dict(repo):
    s = bx.load_scenario(repo / "scenarios" / "human_ssri_5y.toml")
    d = s.to_dict()
    assert d["scenario"]["name"] == s.name
    d["scenario"]["duration"] = "2 years"
    shorter = bx.load_scenario(d)
    assert shorter.duration_days == pytest.approx(2 * 365.25, rel=1e-3)
    back = bx.load_scenario(s.to_dict())
    pd.testing.assert_frame_equal(bx.run(back), bx.run(s), check_exact=True)


def test_shipped_scenarios_load_by_name():
    names = bx.shipped_scenarios()
    assert "cms_mouse" in names and "population_depression_ssri" in names
    s = bx.load_scenario("population_depression_ssri")
    assert s.population_size == 200 and s.arms == ["no_drug", "sertraline"]


def test_params_carry_provenance():
    p = bx.params("human", "female")
    for c in ("name", "value", "unit", "kind", "source", "description"):
        assert c in p.columns
    assert set(p.kind) <= {"measured", "derived", "calibrated", "assumed"}
    assert p.name.is_unique
    cli_names = {e["name"] for e in cli_json("params", "--species", "human", "--format", "json")}
    assert set(p.name) == cli_names


def test_patient_matches_the_cli():
    r = bx.patient(70, "female", drug="sertraline", dose="50mg", alternatives=["stop"])
    cli_report = cli_json(
        "patient", "--age", "70", "--sex", "female", "--drug", "sertraline", "--dose", "50mg",
        "--alternative", "stop", "--json",
    )
    assert [o["key"] for o in r.report["options"]] == [o["key"] for o in cli_report["options"]]
    for mine, theirs in zip(r.report["options"], cli_report["options"]):
        for a, b in zip(mine["hip"], theirs["hip"]):
            close(b, a)
    drug = r.risks[(r.risks.option == "drug") & (r.risks.years == 10)].iloc[0]
    none = r.risks[(r.risks.option == "no_drug") & (r.risks.years == 10)].iloc[0]
    assert drug.hip_fracture_percent > none.hip_fracture_percent
    assert {"option", "years", "femoral_neck_bmd", "femoral_neck_t_score"} <= set(r.trajectory.columns)
    assert "not a clinical device" in r.report["disclaimer"]


def test_patient_file_with_overrides(repo):
    path = repo / "examples" / "patients" / "depressed_woman_on_fluoxetine.toml"
    base = bx.patient(file=path)
    older = bx.patient(file=path, age=base.report["age"] + 10)
    assert older.report["age"] == base.report["age"] + 10


def test_study_matches_the_cli(tmp_path):
    st = bx.study("scenarios/population_depression_ssri.toml", size=120, progress=False)
    assert len(st.subjects) == 120 and st.subjects.subject.tolist() == list(range(120))
    assert set(st.results.arm.cat.categories) == {"no_drug", "sertraline"}
    done = cli(
        "study", "scenarios/population_depression_ssri.toml", "--size", "120", "--out", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "study.json") as f:
        analyses = json.load(f)["analyses"]
    assert len(analyses) == len(st.analyses)
    for a, (_, row) in zip(analyses, st.analyses.iterrows()):
        assert a["title"] == row.title
        close(a["estimate"], row.estimate)
        close(a["ci"][0], row.ci_low)
        close(a["ci"][1], row.ci_high)


def test_study_names_varied_genes_and_measures_as_the_cli_does(tmp_path):
    scenario = "validation/Yirmiya_Bab_2009_depression_bmd_population/scenario.toml"
    st = bx.study(scenario, size=200, progress=False)
    done = cli("study", scenario, "--size", "200", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "study.json") as f:
        markers = json.load(f)["analyses"][-1]
    # The resorption marker is measured (CV 0.2 per measurement, 0.25 per person; the model's
    # own spread is about 0.19), the same way in both.
    row = st.analyses.iloc[-1]
    assert row.readout == "bone.ctx" and row.exposed_sd > 0.3 * row.exposed_mean, row
    close(markers["exposed"]["sd"], row.exposed_sd)
    genes = bx.study(
        "validation/Modder_2010_serum_serotonin_bmd_population/scenario.toml",
        size=3,
        progress=False,
    )
    factors = genes.subjects["genotype.tph1_gut"]
    assert len(factors) == 3 and (factors > 0).all() and factors.nunique() == 3


def test_study_writes_parquet(tmp_path):
    st = bx.study("population_depression_ssri", size=20, progress=False)
    st.to_parquet(tmp_path)
    back = pd.read_parquet(tmp_path / "results.parquet")
    pd.testing.assert_frame_equal(back, st.results, check_exact=True)


def test_sensitivity_ranks_and_plots():
    import matplotlib

    matplotlib.use("Agg")
    r = bx.sensitivity(
        "cms_mouse",
        readout="bone.distal_femur.bv_tv",
        arm="cms",
        versus="untreated",
        params=["sympathetic.depression_gain", "bone.distal_femur.turnover_rate"],
        samples=4,
    )
    assert r.rank == "mu*" and list(r.indices.columns[-3:]) == ["mu*", "mu", "sigma"]
    assert (r.indices["mu*"].diff().dropna() <= 0).all()
    assert r.plot() is not None


def test_the_gil_is_released_during_a_simulation():
    """Another Python thread keeps running while a population simulates."""
    counter = 0
    worker = threading.Thread(
        target=lambda: bx.study("population_depression_ssri", size=400, progress=False)
    )
    worker.start()
    while worker.is_alive():
        counter += 1
    worker.join()
    assert counter > 10_000, f"the main thread advanced only {counter} times"


def test_validate_reports_each_observation():
    v = bx.validate(case="Meyer_2004")
    assert {"case", "id", "observed", "simulated", "verdict", "reason", "failure_class"} <= set(v.columns)
    assert set(v.verdict) <= {"pass", "fail", "pending"}
    failing = v[v.verdict == "fail"]
    assert failing.reason.notna().all(), "every failure states its reason"
    assert v.attrs["scores"]["observations"] == len(v)


def test_validate_gives_each_failure_its_class():
    v = bx.validate(case="Sato_2010")
    failing = v[v.verdict == "fail"]
    assert len(failing) > 0, "Sato 2010's high doses fail (beta1 is off by default)"
    assert set(failing.failure_class) == {"identifiability"}
    assert v[v.verdict == "pass"].failure_class.isna().all()


def test_validate_says_what_each_hypothesis_gains_and_loses():
    v = bx.validate(case="Sato_2010", hypotheses=True)
    tested = {h["id"]: h for h in v.attrs["hypotheses"]}
    beta1 = tested["bone_beta1"]
    gained = {(g["case"], g["id"]) for g in beta1["gained"]}
    assert gained == {("Sato_2010_propranolol_rats", "A7.7d"), ("Sato_2010_propranolol_rats", "A7.7e")}
    assert beta1["pathways"] == ["bone_beta1"]
    assert beta1["passing_under"] == beta1["passing_default"] + 2
    # the frame keeps the default verdicts
    assert (v.set_index("id").loc[["A7.7d", "A7.7e"], "verdict"] == "fail").all()
    # a human hypothesis has no rat case to rerun
    assert tested["depression_lowers_estrogen"]["observations"] == 0
    assert bx.validate(case="Sato_2010").attrs["hypotheses"] == []
