"""Each error kind is its own exception class, with the CLI's message and its fields."""

import pytest

import boneaxis as bx
from conftest import cli

BAD_SCENARIO = """
[scenario]
name = "bad"
species = "mouse"
sex = "male"
age = "12 weeks"
duration = "4 weeks"

[[arm]]
name = "control"
[[arm.drug]]
name = "fluoxetine"
dose = "ten mg/kg"
route = "oral"
every = "1 day"
"""


def test_every_error_class_derives_from_the_base():
    for cls in (
        bx.ScenarioError, bx.ParameterError, bx.SolverError, bx.PatientError,
        bx.AnalysisError, bx.CalibrationError, bx.BoneaxisIOError,
    ):
        assert issubclass(cls, bx.BoneaxisError) and issubclass(cls, Exception)


def test_scenario_error_names_file_line_and_field_like_the_cli(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_SCENARIO)
    with pytest.raises(bx.ScenarioError) as e:
        bx.load_scenario(path)
    assert e.value.file == str(path)
    assert e.value.line is not None and "dose" in e.value.field
    done = cli("check", str(path))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {e.value}"


def test_missing_scenario_is_a_scenario_error():
    with pytest.raises(bx.ScenarioError, match="no such file"):
        bx.load_scenario("no/such/scenario.toml")


def test_unknown_parameter_names_it():
    s = bx.load_scenario("cms_mouse").to_dict()
    s["model"] = {"parameters": {"bone.no_such_thing": 1.0}}
    with pytest.raises(bx.ScenarioError, match="bone.no_such_thing"):
        bx.load_scenario(s)


def test_patient_error_names_the_field_and_range():
    with pytest.raises(bx.PatientError) as e:
        bx.patient(70, "female", drug="sertraline", dose="5000mg")
    assert e.value.field.startswith("drug") and "mg" in str(e.value)
    done = cli("patient", "--age", "70", "--sex", "female", "--drug", "sertraline", "--dose", "5000mg")
    assert done.returncode == 2
    assert str(e.value).split(": field")[1] == done.stderr.strip().split(": field")[1]


def test_analysis_errors():
    with pytest.raises(bx.AnalysisError, match="no \\[population\\] section"):
        bx.study("cms_mouse")
    with pytest.raises(bx.AnalysisError, match="no arm `nope`"):
        bx.sensitivity("cms_mouse", readout="bone.distal_femur.bv_tv", arm="nope")
    with pytest.raises(bx.AnalysisError, match="explicit parameter list"):
        bx.sensitivity("cms_mouse", readout="bone.distal_femur.bv_tv", arm="cms", method="sobol")


def test_io_error_names_the_path(tmp_path):
    with pytest.raises(bx.BoneaxisIOError) as e:
        bx.validate(tmp_path / "missing")
    assert e.value.path == str(tmp_path / "missing")
