//! The validation library: no previously passing observation regresses, the report in the
//! repository is the one the cases generate, and simulated values respond to the protocol.

mod common;

use boneaxis::params::Catalog;
use boneaxis::validation::calibrate::constraints;
use boneaxis::validation::hypothesis::{self, HypothesisResult};
use boneaxis::validation::report::{load_not_expressible, markdown};
use boneaxis::validation::{load_cases, run_case, unexplained_failures, CaseResult, Verdict};
use common::repo_path;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn results() -> &'static Vec<CaseResult> {
    static RESULTS: OnceLock<Vec<CaseResult>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        load_cases(&repo_path("validation"))
            .expect("the cases load")
            .iter()
            .map(|c| run_case(c).unwrap_or_else(|e| panic!("{} does not run: {e}", c.id)))
            .collect()
    })
}

fn hypotheses() -> &'static Vec<HypothesisResult> {
    static RESULTS: OnceLock<Vec<HypothesisResult>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        hypothesis::load(&repo_path("validation/hypotheses.toml"))
            .expect("the hypotheses load")
            .iter()
            .map(|h| hypothesis::run(h, results(), &|| {}).expect("the hypothesis runs"))
            .collect()
    })
}

#[test]
fn previously_passing_observations_still_pass() {
    #[derive(serde::Deserialize)]
    struct Expected {
        passing: Vec<String>,
    }
    let text = std::fs::read_to_string(repo_path("validation/expected.toml")).unwrap();
    let expected: Expected = toml::from_str(&text).unwrap();
    assert!(
        expected.passing.len() > 100,
        "expected.toml lists too few observations"
    );
    let mut regressions = Vec::new();
    for c in results() {
        for (o, r) in c.case.observations.iter().zip(&c.observations) {
            let key = format!("{}/{}", c.case.id, o.id);
            if expected.passing.contains(&key) && r.verdict != Verdict::Pass {
                regressions.push(format!(
                    "{key}: expected pass (direction {:?}, range {:?}), simulated {:?}",
                    o.expect, o.range, r.simulated
                ));
            }
        }
    }
    let known: BTreeSet<String> = results()
        .iter()
        .flat_map(|c| {
            c.case
                .observations
                .iter()
                .map(move |o| format!("{}/{}", c.case.id, o.id))
        })
        .collect();
    let missing: Vec<&String> = expected
        .passing
        .iter()
        .filter(|k| !known.contains(*k))
        .collect();
    assert!(
        missing.is_empty(),
        "expected.toml names observations that no longer exist: {missing:?}"
    );
    assert!(
        regressions.is_empty(),
        "regressions:\n{}",
        regressions.join("\n")
    );
}

#[test]
fn failing_observations_state_a_reason() {
    let unexplained = unexplained_failures(results());
    assert!(
        unexplained.is_empty(),
        "failing without a reason: {unexplained:?}"
    );
}

#[test]
fn the_report_in_the_repository_is_generated() {
    let figures: Vec<String> = std::fs::read_dir(repo_path("docs/validation"))
        .expect("docs/validation exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".svg").map(str::to_string)
        })
        .collect();
    let not_expressible =
        load_not_expressible(&repo_path("validation/not_expressible.toml")).unwrap();
    let catalog = Catalog::embedded().unwrap();
    let constraints = constraints(&catalog, results()).unwrap();
    let generated = markdown(
        results(),
        &constraints,
        &figures,
        &not_expressible,
        hypotheses(),
    );
    let in_repo = std::fs::read_to_string(repo_path("docs/validation.md")).unwrap();
    if generated != in_repo {
        let line = generated
            .lines()
            .zip(in_repo.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(generated.lines().count().min(in_repo.lines().count()));
        panic!(
            "docs/validation.md is stale (first difference at line {}): run `boneaxis validate --report docs`\n generated: {:?}\n in repo:   {:?}",
            line + 1,
            generated.lines().nth(line),
            in_repo.lines().nth(line)
        );
    }
}

/// Runs a case's scenario with its text changed, returning a measure of the changed run.
fn run_variant(relative: &str, from: &str, to: &str, arm: &str, readout: &str) -> f64 {
    let text = std::fs::read_to_string(repo_path(relative)).unwrap();
    assert!(text.contains(from), "{relative} does not contain `{from}`");
    let study = boneaxis::scenario::load_str(&text.replace(from, to), relative).unwrap();
    let result = boneaxis::simulate::run_study(&study, |_, _| {}).unwrap();
    common::pct(&result, arm, readout)
}

#[test]
fn longer_stress_gives_more_bone_loss() {
    let four_weeks = run_variant(
        "validation/Lam_2022_cms_fluoxetine_rats/scenario.toml",
        "duration = \"16 weeks\"",
        "duration = \"8 weeks\"",
        "cms",
        "bone.distal_femur.bv_tv",
    );
    let sixteen_weeks = run_variant(
        "validation/Lam_2022_cms_fluoxetine_rats/scenario.toml",
        "duration = \"16 weeks\"",
        "duration = \"16 weeks\"",
        "cms",
        "bone.distal_femur.bv_tv",
    );
    assert!(
        sixteen_weeks < four_weeks && four_weeks < 0.0,
        "BV/TV change after 8 weeks {four_weeks}%, after 16 weeks {sixteen_weeks}%"
    );
}

#[test]
fn higher_ssri_dose_gives_more_occupancy_and_platelet_depletion() {
    let readout = |dose: &str, r: &str| {
        run_variant(
            "validation/Platelet_serotonin_depletion_ssri/scenario.toml",
            "dose = \"50 mg\"",
            &format!("dose = \"{dose}\""),
            "sertraline",
            r,
        )
    };
    let (low, high) = (
        readout("50 mg", "serotonin.platelet_5ht"),
        readout("150 mg", "serotonin.platelet_5ht"),
    );
    assert!(
        high < low && low < 0.0,
        "platelet 5-HT change at 50 mg {low}%, at 150 mg {high}%"
    );
}

#[test]
fn deeper_depression_lowers_bmd_more_and_raises_cortisol_more() {
    let run = |severity: &str, r: &str| {
        run_variant(
            "validation/Michelson_1996_depression_bmd/scenario.toml",
            "severity = 0.5",
            &format!("severity = {severity}"),
            "depression",
            r,
        )
    };
    let (mild, severe) = (
        run("0.3", "bone.femoral_neck.bmd"),
        run("0.9", "bone.femoral_neck.bmd"),
    );
    assert!(
        severe < mild && mild < 0.0,
        "femoral neck BMD {mild}% (0.3) vs {severe}% (0.9)"
    );
    let (mild, severe) = (run("0.3", "hpa.cortisol"), run("0.9", "hpa.cortisol"));
    assert!(
        severe > mild && mild > 0.0,
        "cortisol {mild}% (0.3) vs {severe}% (0.9)"
    );
}

fn flips(id: &str, gained: bool) -> Vec<String> {
    let h = hypotheses()
        .iter()
        .find(|h| h.hypothesis.id == id)
        .unwrap_or_else(|| panic!("no hypothesis `{id}` in validation/hypotheses.toml"));
    h.flips
        .iter()
        .filter(|f| f.gained == gained)
        .map(|f| format!("{}/{}", f.case, f.id))
        .collect()
}

#[test]
fn each_contradiction_hypothesis_reproduces_the_side_the_default_model_fails_and_costs_the_other() {
    for (id, gains, losses) in [
        (
            "bone_beta1",
            &[
                "Sato_2010_propranolol_rats/A7.7d",
                "Sato_2010_propranolol_rats/A7.7e",
            ][..],
            &["Bouxsein_2009_beta_less_ovx/BX.1"][..],
        ),
        (
            "htr2b_dominant",
            &[
                "Gustafsson_2006_serotonin_injections/A6.7",
                "Battaglino_2007_fluoxetine_gain/A6.3a",
            ][..],
            &[
                "Warden_2005_5htt_fluoxetine/A5.1a",
                "Yadav_2008_gut_serotonin/A2.1c",
            ][..],
        ),
        (
            "no_peripheral_serotonin_on_bone",
            &["Cui_2011_tph1_global/A2.7a", "Cui_2011_tph1_global/A2.7b"][..],
            &[
                "Collet_2008_htr2b/A4.1a",
                "Chabbi_Achengli_2012_tph1_resorption/A2.8a",
            ][..],
        ),
    ] {
        let (gained, lost) = (flips(id, true), flips(id, false));
        for g in gains {
            assert!(
                gained.contains(&g.to_string()),
                "{id} should gain {g}; gains {gained:?}"
            );
        }
        for l in losses {
            assert!(
                lost.contains(&l.to_string()),
                "{id} should lose {l}; loses {lost:?}"
            );
        }
    }
}

#[test]
fn what_a_hypothesis_gains_fails_by_default_with_a_stated_reason() {
    for h in hypotheses() {
        for f in h.flips.iter().filter(|f| f.gained) {
            let case = results().iter().find(|c| c.case.id == f.case).unwrap();
            let o = case
                .case
                .observations
                .iter()
                .find(|o| o.id == f.id)
                .unwrap();
            assert!(
                o.known_failure.is_some(),
                "{}: {}/{} fails by default without a reason",
                h.hypothesis.id,
                f.case,
                f.id
            );
        }
    }
}

#[test]
fn a_hypothesis_that_keeps_the_default_values_changes_no_verdict() {
    let catalog = Catalog::embedded().unwrap();
    let name = "bone.effect.htr1b_on_proliferation";
    let mouse = boneaxis::species::Species::Mouse;
    let default = catalog
        .resolve(mouse, boneaxis::species::Sex::Female)
        .value_in(name, "1")
        .unwrap();
    let h = hypothesis::Hypothesis {
        id: "control".into(),
        claim: "the default model".into(),
        source: "none".into(),
        species: vec![mouse],
        pathways: Default::default(),
        pathway_names: Vec::new(),
        parameters: vec![(name.into(), default)],
    };
    let r = hypothesis::run(&h, results(), &|| {}).unwrap();
    assert!(
        r.observations > 50,
        "only {} mouse observations rerun",
        r.observations
    );
    assert_eq!(r.passing_default, r.passing_under);
    assert!(r.flips.is_empty(), "{:?}", r.flips);
}
