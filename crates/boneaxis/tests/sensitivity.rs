//! Global sensitivity: the estimators against functions with known indices, determinism across
//! thread counts, and the model (a parameter that cannot matter has no effect).

mod common;
use boneaxis::sensitivity::{self, morris, sobol, Evaluator, Target};
use common::assert_close;
use std::f64::consts::PI;

fn names(k: usize) -> Vec<String> {
    (0..k).map(|i| format!("x{i}")).collect()
}

/// Ishigami function on [−π, π]³ (a = 7, b = 0.1): analytic first and total indices.
#[test]
fn sobol_indices_of_the_ishigami_function_match_the_analytic_values() {
    let n = 8192;
    let design = sobol::design(3, n, 7);
    let outputs: Vec<Option<f64>> = design
        .iter()
        .map(|u| {
            let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
            Some(x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin())
        })
        .collect();
    let idx = sobol::analyse(&names(3), n, &outputs, 100, 1);
    // V = a²/8 + b·π⁴/5 + b²·π⁸/18 + 1/2; S1 = (V1, V2, 0)/V; ST1 = (V1 + V13)/V, ST3 = V13/V.
    let (a, b) = (7.0_f64, 0.1_f64);
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    let expected_first = [v1 / v, v2 / v, 0.0];
    let expected_total = [(v1 + v13) / v, v2 / v, v13 / v];
    for i in 0..3 {
        assert_close(
            &format!("S1 of x{i}"),
            expected_first[i],
            idx[i].first,
            0.0,
            0.03,
        );
        assert_close(
            &format!("ST of x{i}"),
            expected_total[i],
            idx[i].total,
            0.0,
            0.03,
        );
        let [lo, hi] = idx[i].total_interval;
        assert!(lo <= idx[i].total && idx[i].total <= hi, "{:?}", idx[i]);
    }
}

#[test]
fn morris_effects_of_a_linear_function_are_its_slopes() {
    let slopes = [3.0, -1.5, 0.0, 0.25];
    let settings = morris::MorrisSettings {
        trajectories: 12,
        levels: 4,
        seed: 3,
    };
    let design = morris::design(4, &settings);
    let outputs: Vec<Option<f64>> = design
        .iter()
        .flat_map(|t| t.points.iter())
        .map(|x| Some(x.iter().zip(&slopes).map(|(x, s)| x * s).sum()))
        .collect();
    for (m, s) in morris::analyse(&names(4), &design, &outputs)
        .iter()
        .zip(slopes)
    {
        assert_close(&format!("mu of {}", m.name), s, m.mu, 1e-9, 1e-12);
        assert_close(
            &format!("mu* of {}", m.name),
            s.abs(),
            m.mu_star,
            1e-9,
            1e-12,
        );
        assert_close(&format!("sigma of {}", m.name), 0.0, m.sigma, 0.0, 1e-9);
    }
    for t in &design {
        assert!(t
            .points
            .iter()
            .flatten()
            .all(|x| (0.0..=1.0 + 1e-12).contains(x)));
    }
}

fn cms_evaluator() -> (Evaluator, Vec<sensitivity::Factor>) {
    let path = format!(
        "{}/../../scenarios/cms_mouse.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let study = boneaxis::scenario::load(std::path::Path::new(&path)).unwrap();
    let factors = sensitivity::factors(
        &study,
        &[
            "sympathetic.depression_gain".to_string(),
            "pk.propranolol.elimination_half_life".to_string(),
        ],
    )
    .unwrap();
    let target = Target {
        readout: "bone.distal_femur.bv_tv".into(),
        arm: "cms".into(),
        versus: Some("untreated".into()),
        at: study.duration,
    };
    (Evaluator::new(study, target).unwrap(), factors)
}

#[test]
fn only_parameters_that_act_in_the_protocol_have_effects() {
    let (e, factors) = cms_evaluator();
    let settings = morris::MorrisSettings {
        trajectories: 4,
        levels: 4,
        seed: 11,
    };
    let design = morris::design(factors.len(), &settings);
    let points: Vec<Vec<f64>> = design.iter().flat_map(|t| t.points.clone()).collect();
    let out = e.eval_all(&factors, &points, &|| {});
    assert_eq!(out.failures(), 0, "{:?}", out.first_failure);
    let names: Vec<String> = factors.iter().map(|f| f.name.clone()).collect();
    let idx = morris::analyse(&names, &design, &out.values);
    assert!(
        idx[0].mu_star > 0.5,
        "the CMS effect depends on the sympathetic gain: {:?}",
        idx[0]
    );
    assert!(
        idx[0].mu < 0.0,
        "more sympathetic gain, more CMS bone loss: {:?}",
        idx[0]
    );
    assert_eq!(
        idx[1].mu_star, 0.0,
        "propranolol's half-life cannot matter without propranolol"
    );
}

#[test]
fn a_seed_gives_the_same_result_whatever_the_number_of_threads() {
    let (e, factors) = cms_evaluator();
    let design = sobol::design(factors.len(), 16, 5);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| e.eval_all(&factors, &design, &|| {}).values)
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let path = format!(
        "{}/../../scenarios/cms_mouse.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let study = boneaxis::scenario::load(std::path::Path::new(&path)).unwrap();
    let message = |r: Result<Vec<sensitivity::Factor>, boneaxis::Error>| r.unwrap_err().to_string();
    assert!(
        message(sensitivity::factors(&study, &["no.such".into()])).contains("not in the catalog")
    );
    assert!(message(sensitivity::factors(
        &study,
        &["pk.propranolol.molar_mass".into()]
    ))
    .contains("no bounds"));
    let target = |arm: &str, readout: &str| Target {
        readout: readout.into(),
        arm: arm.into(),
        versus: None,
        at: 1.0,
    };
    let err = Evaluator::new(study.clone(), target("nope", "bone.distal_femur.bv_tv"))
        .err()
        .unwrap();
    assert!(
        err.is_input_error() && err.to_string().contains("no arm `nope`"),
        "{err}"
    );
    let err = Evaluator::new(study, target("cms", "bone.nope"))
        .err()
        .unwrap();
    assert!(
        err.to_string().contains("does not output `bone.nope`"),
        "{err}"
    );
}
