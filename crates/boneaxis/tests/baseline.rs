//! The baseline is a steady state: an adult without intervention does not drift.

mod common;
use boneaxis::engine::stiff::Diffsol;
use boneaxis::engine::{Integrator, OdeSystem, SolverOptions};
use boneaxis::model::Model;
use boneaxis::params::Catalog;
use boneaxis::physiology::pathways::PathwaySwitches;
use boneaxis::physiology::{Genotype, Knockout};
use boneaxis::protocol::{ArmInputs, ArmSystem};
use boneaxis::simulate::baseline;
use boneaxis::species::{Sex, Species};
use common::assert_close;

const YEAR: f64 = 365.25;

fn model(species: Species, sex: Sex, knockouts: &[Knockout]) -> Model {
    let params = Catalog::embedded().unwrap().resolve(species, sex);
    Model::new(
        &params,
        species,
        sex,
        Genotype::with_knockouts(knockouts),
        PathwaySwitches::default(),
    )
    .unwrap()
}

/// Largest relative drift of bone volume and mineral over `years`, starting at `age`.
fn drift(m: &Model, age: f64, years: f64) -> f64 {
    let solver = Diffsol {
        options: SolverOptions::default(),
    };
    let (y0, _) = baseline(m, age, &solver).unwrap();
    let none = ArmInputs::none(age);
    let system = ArmSystem::new(m, &none);
    let traj = solver
        .integrate(&system, 0.0, &y0, &[], &[years * YEAR])
        .unwrap();
    let y1 = traj.states.last().unwrap();
    m.states
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.name.ends_with("bone_volume_fraction") || s.name.ends_with("mineralised_volume")
        })
        .map(|(i, _)| ((y1[i] - y0[i]) / y0[i]).abs())
        .fold(0.0, f64::max)
}

#[test]
fn ten_adult_human_years_without_intervention_do_not_drift() {
    for sex in [Sex::Female, Sex::Male] {
        let d = drift(
            &model(Species::Human, sex, &[]),
            30.0 * YEAR,
            10.0 * YEAR / YEAR,
        );
        assert!(
            d < 0.005,
            "{sex}: BV/TV or BMD drifted {:.4}% in 10 years",
            100.0 * d
        );
    }
}

#[test]
fn adult_rodents_in_the_plateau_do_not_drift() {
    for species in [Species::Mouse, Species::Rat] {
        let m = model(species, Sex::Male, &[]);
        let (start, end) = m.age.adult_plateau();
        let d = drift(&m, start, (end - start) / YEAR);
        assert!(
            d < 0.005,
            "{species}: drift {:.4}% over the adult plateau",
            100.0 * d
        );
    }
}

#[test]
fn the_adult_baseline_is_a_fixed_point_of_the_right_hand_side() {
    for (species, knockouts) in [
        (Species::Human, vec![]),
        (Species::Mouse, vec![]),
        (Species::Mouse, vec![Knockout::Htr1bOsteoblast]),
    ] {
        let m = model(species, Sex::Female, &knockouts);
        let age = m.age.adult_plateau().0 + 1.0;
        let solver = Diffsol::default();
        let (y, _) = baseline(&m, age, &solver).unwrap();
        let none = ArmInputs::none(age);
        let system = ArmSystem::frozen(&m, &none, age);
        let mut dy = vec![0.0; y.len()];
        system.rhs(0.0, &y, &mut dy);
        for (i, s) in m.states.iter().enumerate() {
            // Relative rate of change per day, against the state's scale.
            assert_close(
                &format!("{species} {knockouts:?} d({})/dt", s.name),
                0.0,
                dy[i] / s.scale,
                0.0,
                1e-10,
            );
        }
    }
}

#[test]
fn the_reference_state_reproduces_pivonka_2008() {
    let m = model(Species::Human, Sex::Female, &[]);
    // Published steady state (pM), as reproduced by the Bone-Models implementation.
    let published = [
        6.196390627918603e-4,
        5.583931899482344e-4,
        8.069_635_262_731_93e-4,
    ];
    for (value, expected) in m.bone.cells.reference.iter().zip(published) {
        assert_close(
            "Pivonka steady state (pM)",
            expected,
            value * 1e3,
            1e-6,
            0.0,
        );
    }
}

#[test]
fn old_individuals_start_with_the_bone_lost_to_age() {
    let m = model(Species::Human, Sex::Female, &[]);
    let solver = Diffsol::default();
    let (young, _) = baseline(&m, 30.0 * YEAR, &solver).unwrap();
    let (old, _) = baseline(&m, 70.0 * YEAR, &solver).unwrap();
    let i = m
        .state_index("bone.femoral_neck.mineralised_volume")
        .unwrap();
    let loss = 1.0 - old[i] / young[i];
    assert!(
        loss > 0.05 && loss < 0.35,
        "femoral-neck loss from 30 to 70: {:.1}%",
        100.0 * loss
    );
}
