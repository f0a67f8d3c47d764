//! Helpers shared by the integration tests.
#![allow(dead_code)]

use boneaxis::simulate::{run_study, StudyResult};
use std::path::PathBuf;

/// A file of the repository, by its path from the repository root.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// Loads and runs a shipped scenario.
pub fn run_scenario(relative: &str) -> StudyResult {
    let study = boneaxis::scenario::load(&repo_path(relative))
        .unwrap_or_else(|e| panic!("{relative} does not load: {e}"));
    run_study(&study, |_, _| {}).unwrap_or_else(|e| panic!("{relative} does not run: {e}"))
}

/// Asserts `|actual − expected| ≤ atol + rtol·|expected|`, printing all three numbers.
#[track_caller]
pub fn assert_close(what: &str, expected: f64, actual: f64, rtol: f64, atol: f64) {
    let diff = (actual - expected).abs();
    assert!(
        diff <= atol + rtol * expected.abs(),
        "{what}: expected {expected}, actual {actual}, difference {diff} (rtol {rtol}, atol {atol})"
    );
}

/// Percent change of the final value of `readout` in `arm` relative to the control arm.
pub fn pct(result: &StudyResult, arm: &str, readout: &str) -> f64 {
    result
        .percent_vs_control(arm, readout)
        .unwrap_or_else(|| panic!("no arm `{arm}` or readout `{readout}`"))
}

/// Values of a readout in an arm over time.
pub fn series<'a>(result: &'a StudyResult, arm: &str, readout: &str) -> &'a [f64] {
    let r = result
        .readout_index(readout)
        .unwrap_or_else(|| panic!("no readout `{readout}`"));
    &result
        .arm(arm)
        .unwrap_or_else(|| panic!("no arm `{arm}`"))
        .values[r]
}

/// A female mouse model with the given knockouts (none: wild type).
pub fn mouse_model(knockouts: &[boneaxis::physiology::Knockout]) -> boneaxis::model::Model {
    use boneaxis::species::{Sex, Species};
    let p = boneaxis::params::Catalog::embedded()
        .unwrap()
        .resolve(Species::Mouse, Sex::Female);
    boneaxis::model::Model::new(
        &p,
        Species::Mouse,
        Sex::Female,
        boneaxis::physiology::Genotype::with_knockouts(knockouts),
        boneaxis::physiology::pathways::PathwaySwitches::default(),
    )
    .unwrap()
}
