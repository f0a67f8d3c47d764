"""SBML export: every arm of every shipped scenario validates with libSBML and, simulated in
libRoadRunner, reproduces boneaxis's own states across dosing and schedule events.

Tolerances (docs/sbml.md): both simulators run tight (boneaxis BDF rtol 1e-9; libRoadRunner
CVODE rtol 1e-9 with per-state absolute tolerances of 1e-12 × the state's size), and every state
at every sample time must agree within rtol 1e-4 plus an absolute 1e-6 × the state's scale.
"""

import glob
import os

import numpy as np
import pytest

import boneaxis as bx

libsbml = pytest.importorskip("libsbml")
roadrunner = pytest.importorskip("roadrunner")

RTOL = 1e-4
ATOL_OF_SCALE = 1e-6
SOLVER_RTOL = 1e-9

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ARMS = [
    (os.path.basename(path), arm)
    for path in sorted(glob.glob(os.path.join(REPO, "scenarios", "*.toml")))
    for arm in bx.load_scenario(path).arms
]


@pytest.fixture(scope="module", autouse=True)
def fast_compiler():
    # LLJIT without optimisation compiles these models in seconds instead of tens of seconds.
    from roadrunner import Config

    Config.setValue(Config.LLVM_BACKEND, Config.LLJIT)
    Config.setValue(Config.LLJIT_OPTIMIZATION_LEVEL, 0)


def simulate(document: str, reference):
    rr = roadrunner.RoadRunner(document)
    rr.integrator.relative_tolerance = SOLVER_RTOL
    rr.integrator.setValue("maximum_num_steps", 1_000_000)
    model = libsbml.readSBMLFromString(document).getModel()
    for rule in model.getListOfRules():
        if rule.isRate():
            v = rule.getVariable()
            size = reference.attrs["scale"].get(v) or max(abs(rr.getValue(v)), 1.0)
            rr.integrator.setIndividualTolerance(v, SOLVER_RTOL * 1e-3 * size)
    states = [c for c in reference.columns if c != "time_days"]
    rr.timeCourseSelections = ["time"] + states
    return np.array(rr.simulate(times=reference.time_days.to_numpy())), states


@pytest.mark.parametrize("scenario,arm", ARMS, ids=[f"{s}:{a}" for s, a in ARMS])
def test_export_validates_and_roadrunner_reproduces_boneaxis(scenario, arm):
    path = os.path.join(REPO, "scenarios", scenario)
    document = bx.export_sbml(path, arm)
    doc = libsbml.readSBMLFromString(document)
    doc.checkConsistency()
    errors = [
        doc.getError(i).getMessage()
        for i in range(doc.getNumErrors())
        if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR
    ]
    assert not errors, errors[:3]
    assert doc.getLevel() == 3 and doc.getVersion() == 2

    reference = bx.reference_states(path, arm)
    out, states = simulate(document, reference)
    np.testing.assert_allclose(out[:, 0], reference.time_days.to_numpy(), rtol=0, atol=1e-9)
    for k, state in enumerate(states):
        expected = reference[state].to_numpy()
        actual = out[:, k + 1]
        allowed = RTOL * np.abs(expected) + ATOL_OF_SCALE * reference.attrs["scale"][state]
        diff = np.abs(actual - expected)
        worst = int(np.argmax(diff - allowed))
        assert np.all(diff <= allowed), (
            f"{state} at t = {reference.time_days.iloc[worst]} days: expected {expected[worst]!r}, "
            f"actual {actual[worst]!r}, difference {diff[worst]!r} (allowed {allowed[worst]!r})"
        )


def test_parameters_carry_units_and_citations():
    document = bx.export_sbml("cms_mouse", "cms_imipramine")
    model = libsbml.readSBMLFromString(document).getModel()
    p = model.getParameter("pk_imipramine_elimination_half_life")
    assert p is not None and p.getConstant() and p.getUnits() == "day"
    assert "kind" in p.getNotesString() and "source" in p.getNotesString()
    assert p.getSBOTermID() == "SBO:0000002"
    # Signals are rules, states rate rules, doses events.
    assert model.getRule("signal_sert_occupancy") is not None
    assert model.getRule("bone_distal_femur_osteoblasts").isRate()
    assert model.getNumEvents() > 0


def test_unknown_arm_is_a_clear_error():
    with pytest.raises(bx.AnalysisError, match="no arm `nope`"):
        bx.export_sbml("cms_mouse", "nope")


def test_equations_as_python_reproduce_boneaxis_in_scipy():
    """The scipy peer's equations (the same trace, written as Python) integrate to boneaxis's
    states across the doses of the imipramine arm."""
    import importlib.util
    import json
    import types

    pytest.importorskip("scipy")
    from scipy.integrate import solve_ivp

    s = bx.load_scenario("cms_mouse")
    module_text, data_text = bx._core.export_python(s.text, s.source, "cms_imipramine")
    equations = types.ModuleType("equations")
    exec(compile(module_text, "equations.py", "exec"), equations.__dict__)
    spec = importlib.util.spec_from_file_location(
        "scipy_peer", os.path.join(REPO, "bench", "peers", "scipy_peer.py")
    )
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)
    reference = bx.reference_states(s, "cms_imipramine")
    states = [c for c in reference.columns if c != "time_days"]
    scales = [reference.attrs["scale"][c] for c in states]
    data = json.loads(data_text)
    n_drug = len(data["initial"]) - len(states)
    job = {
        "times": reference.time_days.tolist(),
        "rtol": 1e-9,
        "atol": [1e-12 * x for x in scales] + [1e-9] * n_drug,
        "method": "LSODA",
    }
    samples = np.array(peer.simulate(equations, data, job, solve_ivp))
    for k, state in enumerate(states):
        expected = reference[state].to_numpy()
        actual = samples[:, k]
        allowed = RTOL * np.abs(expected) + ATOL_OF_SCALE * scales[k]
        assert np.all(np.abs(actual - expected) <= allowed), (
            f"{state}: expected {expected}, actual {actual}"
        )


def test_an_edited_parameter_is_imported_and_runs(tmp_path):
    path = tmp_path / "cms.xml"
    bx.export_sbml("cms_mouse", "cms", path)
    doc = libsbml.readSBMLFromFile(str(path))  # as another tool would: read, change, write
    p = doc.getModel().getParameter("sympathetic_depression_gain")
    old = p.getValue()
    p.setValue(2 * old)
    edited = tmp_path / "edited.xml"
    libsbml.writeSBMLToFile(doc, str(edited))
    imported = bx.import_sbml(edited)
    assert imported.arm == "cms"
    assert imported.changes.parameter.tolist() == ["sympathetic.depression_gain"]
    expected = bx.load_scenario("cms_mouse").to_dict()
    expected.setdefault("model", {})["parameters"] = {"sympathetic.depression_gain": 2 * old}
    a, b = bx.run(imported.scenario), bx.run(expected)
    np.testing.assert_allclose(a.value.to_numpy(), b.value.to_numpy(), rtol=1e-12, atol=0)


def test_a_structural_edit_is_refused(tmp_path):
    path = tmp_path / "cms.xml"
    bx.export_sbml("cms_mouse", "cms_imipramine", path)
    doc = libsbml.readSBMLFromFile(str(path))
    doc.getModel().removeEvent(0)
    edited = tmp_path / "edited.xml"
    libsbml.writeSBMLToFile(doc, str(edited))
    with pytest.raises(bx.AnalysisError, match="differs in structure: .*events"):
        bx.import_sbml(edited)


def test_a_file_boneaxis_did_not_export_is_refused(tmp_path):
    import re

    path = tmp_path / "other.xml"
    document = bx.export_sbml("cms_mouse")
    path.write_text(re.sub(r"<annotation><boneaxis:export.*?</annotation>", "", document, flags=re.S))
    with pytest.raises(bx.AnalysisError, match="no boneaxis annotation"):
        bx.import_sbml(path)
