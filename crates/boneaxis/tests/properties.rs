//! Invariants over random protocols: states stay finite and amounts non-negative; PK is linear
//! in dose.

mod common;

use boneaxis::engine::stiff::Diffsol;
use boneaxis::engine::Integrator;
use boneaxis::model::Model;
use boneaxis::physiology::{Drug, Route};
use boneaxis::protocol::{ArmInputs, ArmSystem, DoseAmount, DrugCourse, Protocol, Window};
use boneaxis::simulate::baseline;
use proptest::prelude::*;

const DRUGS: [Drug; 10] = Drug::ALL;

fn mouse() -> Model {
    common::mouse_model(&[])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn states_stay_finite_and_non_negative(
        stress in 0.0..1.0f64,
        stress_days in 1.0..40.0f64,
        drug in 0..10usize,
        dose in 0.1..50.0f64,
        route in 0..3usize,
        ovx in proptest::bool::ANY,
    ) {
        let m = mouse();
        let route = [Route::Oral, Route::Intraperitoneal, Route::DrinkingWater][route];
        let dose = if route == Route::DrinkingWater { DoseAmount::MgPerKgPerDay(dose) } else { DoseAmount::MgPerKg(dose) };
        let protocol = Protocol {
            stress: vec![Window { start: 0.0, stop: stress_days, level: stress }],
            drugs: vec![DrugCourse { drug: DRUGS[drug], dose, route, interval: 1.0, start: 2.0, stop: 40.0, as_salt: false }],
            ovariectomy: ovx.then_some(5.0),
            ..Protocol::default()
        };
        let age = 10.0 * 7.0;
        let solver = Diffsol::default();
        let (y0, _) = baseline(&m, age, &solver).unwrap();
        let inputs = ArmInputs::new(&m, &protocol, age);
        let system = ArmSystem::new(&m, &inputs);
        let times: Vec<f64> = (0..=12).map(|i| i as f64 * 5.0).collect();
        let traj = solver.integrate(&system, 0.0, &y0, &protocol.breakpoints(), &times).unwrap();
        for (t, y) in traj.times.iter().zip(&traj.states) {
            for (i, v) in y.iter().enumerate() {
                let tolerance = 1e-6 * m.states[i].scale;
                let ok = v.is_finite() && (!m.states[i].non_negative || *v >= -tolerance);
                prop_assert!(ok, "{} = {v} at t = {t}", m.states[i].name);
            }
        }
    }

    #[test]
    fn plasma_levels_are_linear_in_dose(drug in 0..8usize, dose in 0.1..20.0f64, t in 0.5..30.0f64) {
        let m = mouse();
        let course = |mg_per_kg: f64| Protocol {
            drugs: vec![DrugCourse { drug: DRUGS[drug], dose: DoseAmount::MgPerKg(mg_per_kg), route: Route::Oral, interval: 1.0, start: 0.0, stop: 30.0, as_salt: false }],
            ..Protocol::default()
        };
        let age = 20.0 * 7.0;
        let one = ArmInputs::new(&m, &course(dose), age).exposure(&m, t, t, age + t, false);
        let two = ArmInputs::new(&m, &course(2.0 * dose), age).exposure(&m, t, t, age + t, false);
        for (a, b) in one.plasma.iter().zip(&two.plasma) {
            let diff = (2.0 * a - b).abs();
            prop_assert!(diff <= 1e-9 * b.abs() + 1e-12, "expected {}, actual {b}, difference {diff}", 2.0 * a);
        }
    }
}
