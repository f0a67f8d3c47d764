//! The default solver settings agree with a tight BDF reference on shipped scenarios
//! (docs/performance.md): every readout at every sample, relative 5e-4.

mod common;
use boneaxis::engine::stiff::Method;
use boneaxis::simulate::run_study;

fn compare(relative: &str) {
    let default = boneaxis::scenario::load(&common::repo_path(relative)).unwrap();
    let mut reference = default.clone();
    reference.solver.method = Method::Bdf;
    reference.solver.rtol = 1e-8;
    let a = run_study(&default, |_, _| {}).unwrap();
    let b = run_study(&reference, |_, _| {}).unwrap();
    for (arm_a, arm_b) in a.arms.iter().zip(&b.arms) {
        for (r, (va, vb)) in arm_a.values.iter().zip(&arm_b.values).enumerate() {
            for (i, (x, y)) in va.iter().zip(vb).enumerate() {
                let what = format!(
                    "{relative}: {} / {} at t = {}",
                    arm_a.name, a.readouts[r].name, arm_a.times[i]
                );
                common::assert_close(&what, *y, *x, 5e-4, 1e-6);
            }
        }
    }
}

#[test]
fn the_default_solver_matches_a_tight_reference_on_the_cms_experiment() {
    compare("scenarios/cms_mouse.toml");
}

#[test]
fn the_default_solver_matches_a_tight_reference_over_ten_years_of_daily_doses() {
    compare("scenarios/human_sertraline_10y.toml");
}
