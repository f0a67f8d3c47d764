//! The traced equations are the model's: same derivatives at the traced point, and the same
//! derivatives after a parameter changes (the parameters are symbols, not baked-in numbers).

use boneaxis::export::trace::{evaluate, trace_arm};
use boneaxis::model::Model;
use boneaxis::protocol::ArmInputs;
use boneaxis::simulate::arm_model;
use boneaxis::symbolic::Node;

fn study() -> boneaxis::simulate::Study {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/cms_mouse.toml"
    );
    boneaxis::scenario::load(std::path::Path::new(path)).expect("the shipped scenario loads")
}

fn close(expected: f64, actual: f64, what: &str) {
    let diff = (expected - actual).abs();
    assert!(
        diff <= 1e-12 * expected.abs() + 1e-300,
        "{what}: expected {expected:e}, actual {actual:e}, difference {diff:e}"
    );
}

/// The model's own `dy/dt` at the arm's start (baseline state, exposure at time 0).
fn model_rhs(study: &boneaxis::simulate::Study, arm: usize, model: &Model, y: &[f64]) -> Vec<f64> {
    let inputs = ArmInputs::new(model, &study.arms[arm].protocol, study.start_age);
    let e = inputs.exposure(model, 0.0, 0.0, study.start_age, false);
    let mut dy = vec![0.0; y.len()];
    model.rhs(y, &e, &mut dy);
    dy
}

#[test]
fn traced_derivatives_equal_the_model_at_the_traced_point() {
    let study = study();
    let arm = 2; // cms_imipramine: stress and a drug
    let t = trace_arm(&study, &study.arms[arm].name).expect("traces");
    let model = arm_model(&study, &study.arms[arm]).expect("builds");
    let dy = model_rhs(&study, arm, &model, &t.initial);
    for (k, node) in t.derivatives.iter().enumerate() {
        close(dy[k], t.tape.nodes[*node as usize].1, &t.states[k].name);
    }
}

#[test]
fn a_changed_parameter_changes_the_traced_equations_as_it_changes_the_model() {
    let mut study = study();
    let arm = 1; // cms
    let t = trace_arm(&study, &study.arms[arm].name).expect("traces");
    let name = "mood.stress_sensitivity";
    let old = study.params.get1(name).expect("a parameter");
    let new = old * 1.5;
    let values = evaluate(&t.tape, |n| match n {
        Node::Parameter(p) if p == name => Some(new),
        _ => None,
    });
    study.params.set(name, new, None).expect("within bounds");
    let model = arm_model(&study, &study.arms[arm]).expect("builds");
    let dy = model_rhs(&study, arm, &model, &t.initial);
    let mut changed = false;
    for (k, node) in t.derivatives.iter().enumerate() {
        let traced = values[*node as usize];
        close(dy[k], traced, &t.states[k].name);
        changed |= traced != t.tape.nodes[*node as usize].1;
    }
    assert!(changed, "the parameter should change some derivative");
}

#[test]
fn import_turns_a_changed_parameter_into_an_override_and_refuses_structure() {
    use boneaxis::export::{import::import, sbml};
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/cms_mouse.toml"
    );
    let text = std::fs::read_to_string(path).expect("the shipped scenario");
    let study = study();
    let traced = trace_arm(&study, "cms_imipramine").expect("traces");
    let document = sbml::write(&traced, Some(&text)).expect("writes");
    let unchanged = import(&document, "unchanged.xml").expect("imports");
    assert!(unchanged.changes.is_empty(), "{:?}", unchanged.changes);
    // Change one value as another tool would.
    let old = study
        .params
        .get1("mood.stress_sensitivity")
        .expect("a parameter");
    let needle = format!("<parameter id=\"mood_stress_sensitivity\" name=\"mood.stress_sensitivity\" value=\"{old:e}\"");
    assert!(
        document.contains(&needle),
        "the parameter is exported by name and value"
    );
    let edited = document.replace(
        &needle,
        &needle.replace(
            &format!("value=\"{old:e}\""),
            &format!("value=\"{:e}\"", 2.0 * old),
        ),
    );
    let imported = import(&edited, "edited.xml").expect("imports");
    assert_eq!(imported.arm, "cms_imipramine");
    assert_eq!(
        imported.changes,
        vec![("mood.stress_sensitivity".to_string(), old, 2.0 * old)]
    );
    let rerun = boneaxis::scenario::load_str(&imported.scenario, "imported").expect("loads");
    close(
        2.0 * old,
        rerun.params.get1("mood.stress_sensitivity").expect("set"),
        "override",
    );
    // Removing the events is a change of structure.
    let start = edited.find("<listOfEvents>").expect("doses are events");
    let end = edited.find("</listOfEvents>").expect("closed") + "</listOfEvents>".len();
    let broken = format!("{}{}", &edited[..start], &edited[end..]);
    let error = import(&broken, "broken.xml")
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("differs in structure") && error.contains("events"),
        "{error}"
    );
}
