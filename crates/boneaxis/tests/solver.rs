//! The default solver settings, and each method at the default tolerance, agree with a tight
//! BDF reference on shipped scenarios (docs/performance.md): every readout at every sample,
//! relative 5e-4.

mod common;
use boneaxis::engine::stiff::Method;
use boneaxis::simulate::{run_study, Study};

fn load(relative: &str) -> Study {
    boneaxis::scenario::load(&common::repo_path(relative)).unwrap()
}

fn compare(relative: &str) {
    compare_method(relative, None);
}

/// The scenario with its own solver settings, or with `method` at the default tolerance,
/// against BDF at rtol 1e-8.
fn compare_method(relative: &str, method: Option<Method>) {
    let mut default = load(relative);
    if let Some(m) = method {
        default.solver.method = m;
    }
    let mut reference = default.clone();
    reference.solver.method = Method::Bdf;
    reference.solver.rtol = 1e-8;
    let a = run_study(&default, |_, _| {}).unwrap();
    let b = run_study(&reference, |_, _| {}).unwrap();
    for (arm_a, arm_b) in a.arms.iter().zip(&b.arms) {
        for (r, (va, vb)) in arm_a.values.iter().zip(&arm_b.values).enumerate() {
            for (i, (x, y)) in va.iter().zip(vb).enumerate() {
                let what = format!(
                    "{relative} ({:?}): {} / {} at t = {}",
                    default.solver.method, arm_a.name, a.readouts[r].name, arm_a.times[i]
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

/// `auto` runs Tsit45 here (daily injections, a system not stiff at hour-long steps) at a
/// third of the tolerance; the one-step implicit methods run at the default tolerance.
#[test]
fn auto_and_the_implicit_methods_match_the_reference_on_daily_injections() {
    for method in [Method::Auto, Method::Esdirk34, Method::TrBdf2] {
        compare_method("scenarios/adult_mouse_fluoxetine.toml", Some(method));
    }
}

/// Solver steps of each arm's run (deterministic, unlike timings).
fn steps(study: &Study, method: Method) -> Vec<usize> {
    let mut s = study.clone();
    s.solver.method = method;
    let r = run_study(&s, |_, _| {}).unwrap();
    r.arms.iter().map(|a| a.stats.steps).collect()
}

#[test]
fn auto_takes_fewer_steps_than_esdirk34_on_daily_doses_and_the_same_without() {
    let study = load("scenarios/human_sertraline_10y.toml");
    let (auto, esdirk) = (steps(&study, Method::Auto), steps(&study, Method::Esdirk34));
    // Arm 0 has no drug: one stretch without doses, so ESDIRK34 in both.
    assert_eq!(
        auto[0], esdirk[0],
        "undosed arm: auto {auto:?}, esdirk34 {esdirk:?}"
    );
    assert!(
        (auto[1] as f64) < 0.8 * esdirk[1] as f64,
        "daily doses: auto {} steps, esdirk34 {} steps",
        auto[1],
        esdirk[1]
    );
}
