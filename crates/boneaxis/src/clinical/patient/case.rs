//! A what-if as a study for validation cases: its options as arms and weekly readouts of
//! fracture probabilities and hazards, falls and BMD.

use super::arms::{self, ArmPlan};
use super::outcome::{self, Series};
use super::Patient;
use crate::clinical::equations::t_score;
use crate::clinical::falls;
use crate::clinical::params::ClinicalParams;
use crate::simulate::{ArmResult, ReadoutInfo, StudyResult};
use crate::species::Species;
use crate::units::days_per_year;

/// Readouts a validation case can ask of a patient what-if: name, unit, description.
pub const CASE_READOUTS: [(&str, &str, &str); 9] = [
    (
        "fracture.hip.probability",
        "%",
        "probability of a first hip fracture since now",
    ),
    (
        "fracture.major.probability",
        "%",
        "probability of a first major osteoporotic fracture since now",
    ),
    (
        "fracture.hip.hazard",
        "1/1000 person-years",
        "hip fracture hazard",
    ),
    (
        "fracture.major.hazard",
        "1/1000 person-years",
        "major osteoporotic fracture hazard",
    ),
    (
        "falls.probability",
        "%",
        "probability of at least one fall in a year",
    ),
    (
        "falls.recurrent_probability",
        "%",
        "probability of two or more falls in a year (negative-binomial fall counts)",
    ),
    ("bone.femoral_neck.bmd", "g/cm^2", "femoral-neck BMD"),
    ("bone.total_hip.bmd", "g/cm^2", "total-hip BMD"),
    ("bone.femoral_neck.t_score", "SD", "femoral-neck T-score"),
];

/// The option keys of a what-if, in order (what a case's `arm` may name).
pub fn option_keys(p: &Patient) -> Vec<String> {
    arms::plans(p, arms::clock(p))
        .into_iter()
        .skip(1)
        .map(|a| a.key)
        .collect()
}

/// The options as a study of [`CASE_READOUTS`] (times: days since now).
pub(super) fn case_result(
    c: &ClinicalParams,
    p: &Patient,
    plans: &[ArmPlan],
    series: &[Series],
) -> StudyResult {
    let reference = &series[0];
    let arms = plans
        .iter()
        .zip(series)
        .skip(1)
        .map(|(plan, s)| {
            let r = outcome::risk(c, p, reference, s, s);
            let at_start = |v: &[f64]| {
                std::iter::once(0.0)
                    .chain(v.iter().map(|x| 100.0 * x))
                    .collect::<Vec<f64>>()
            };
            let values = vec![
                at_start(&r.hip),
                at_start(&r.major),
                r.hip_hazard.iter().map(|h| 1000.0 * h).collect(),
                r.major_hazard.iter().map(|h| 1000.0 * h).collect(),
                r.fall_probability.iter().map(|q| 100.0 * q).collect(),
                r.fall_probability
                    .iter()
                    .map(|q| 100.0 * falls::probability_of_two_or_more(&c.falls, *q))
                    .collect(),
                s.femoral_neck.clone(),
                s.total_hip.clone(),
                s.femoral_neck
                    .iter()
                    .map(|b| t_score::score(*b, c.femoral_neck.mean, c.femoral_neck.sd))
                    .collect(),
            ];
            ArmResult {
                name: plan.key.clone(),
                times: s.days.clone(),
                values,
                stats: Default::default(),
                baseline_stats: Default::default(),
                run_ms: 0.0,
            }
        })
        .collect();
    StudyResult {
        name: "patient".into(),
        title: "patient what-if".into(),
        species: Species::Human,
        sex: p.sex,
        start_age_days: p.age * days_per_year(),
        duration_days: series[0].days.last().copied().unwrap_or(0.0),
        control: 0,
        readouts: CASE_READOUTS
            .iter()
            .map(|(name, unit, description)| ReadoutInfo {
                name: name.to_string(),
                unit: unit.to_string(),
                description: description.to_string(),
            })
            .collect(),
        arms,
    }
}
