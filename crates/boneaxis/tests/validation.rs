//! The validation library: no previously passing observation regresses, the report in the
//! repository is the one the cases generate, and simulated values respond to the protocol.

mod common;

use boneaxis::params::Catalog;
use boneaxis::validation::calibrate::constraints;
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
    let generated = markdown(results(), &constraints, &figures, &not_expressible);
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
