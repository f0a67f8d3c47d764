//! From simulated arms to fracture probabilities: Z-scores against the reference person, fall
//! probabilities, hazards and cumulative probabilities with competing mortality.

use super::arms::{ArmPlan, Clock, Placed};
use super::Patient;
use crate::clinical::equations::competing_risk::{self, Interval};
use crate::clinical::equations::t_score;
use crate::clinical::falls::{self, DrugExposure, FallClass};
use crate::clinical::fracture::{self, HazardInputs};
use crate::clinical::params::ClinicalParams;
use crate::physiology::pharmacology::Drug;
use crate::units::days_per_year;

/// The series of one arm a risk needs, from "now" on (weekly samples).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Days since now.
    pub days: Vec<f64>,
    /// Femoral-neck BMD as the person would measure it, g/cm² (scaled to their own BMD).
    pub femoral_neck: Vec<f64>,
    pub total_hip: Vec<f64>,
    pub lumbar_spine: Vec<f64>,
    pub depressive_state: Vec<f64>,
    /// SERT occupancy, 0–1.
    pub sert_occupancy: Vec<f64>,
    /// Courses on the same clock as `days` (days since now).
    pub courses: Vec<Placed>,
}

/// Cumulative probabilities at the end of each week and the mean fall rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub hip: Vec<f64>,
    pub major: Vec<f64>,
    /// Mean falls per year.
    pub mean_fall_rate: f64,
    /// At every sample (the first interval's values at the start, then each interval's at its
    /// end): hazards per year and the probability of falling within a year.
    pub hip_hazard: Vec<f64>,
    pub major_hazard: Vec<f64>,
    pub fall_probability: Vec<f64>,
}

pub fn fall_class(drug: Drug) -> FallClass {
    match drug {
        Drug::Imipramine | Drug::Desipramine => FallClass::Tricyclic,
        Drug::Propranolol => FallClass::BetaBlocker,
        _ => FallClass::Ssri,
    }
}

/// The medicine acting at `day` (the most recent course started), if any.
fn exposure(courses: &[Placed], day: f64, occupancy: f64) -> Option<DrugExposure> {
    courses
        .iter()
        .filter(|c| c.start <= day)
        .max_by(|a, b| a.start.total_cmp(&b.start))
        .map(|c| DrugExposure {
            class: fall_class(c.course.drug),
            sert_occupancy: occupancy,
            days_since_start: day - c.start,
            taking: c.stop.is_none_or(|stop| day < stop),
        })
}

/// Fracture risk with bone (BMD) from `bone` and everything else (falls) from `rest`.
pub fn risk(
    c: &ClinicalParams,
    p: &Patient,
    reference: &Series,
    bone: &Series,
    rest: &Series,
) -> Risk {
    let n = bone
        .days
        .len()
        .min(rest.days.len())
        .min(reference.days.len());
    let mut hip = Vec::with_capacity(n);
    let mut major = Vec::with_capacity(n);
    let mut fall_sum = 0.0;
    let (mut hip_hazard, mut major_hazard, mut fall_probability) = (vec![], vec![], vec![]);
    let mid = |v: &[f64], i: usize| 0.5 * (v[i] + v[i + 1]);
    for i in 0..n.saturating_sub(1) {
        let day = mid(&rest.days, i);
        let age = p.age + day / days_per_year();
        let z = t_score::score(
            mid(&bone.femoral_neck, i),
            mid(&reference.femoral_neck, i),
            c.femoral_neck.sd,
        );
        let drug = exposure(&rest.courses, day, mid(&rest.sert_occupancy, i));
        let depressive = mid(&rest.depressive_state, i);
        let p_fall = falls::annual_probability(&c.falls, age, depressive, drug.as_ref());
        fall_sum += falls::rate(&c.falls, p_fall);
        let x = HazardInputs {
            age_years: age,
            z_score: z,
            fall_ratio: falls::rate_ratio(&c.falls, age, p_fall),
            smoker: p.cigarettes_per_day > 0.0,
            alcohol_units_per_day: p.alcohol_units_per_day,
            glucocorticoid_mg_per_day: p.glucocorticoid_mg_per_day,
        };
        let years = (rest.days[i + 1] - rest.days[i]) / days_per_year();
        let death = fracture::mortality(c, age);
        let (h_hip, h_major) = (
            fracture::hazard(&c.hip, c, &x),
            fracture::hazard(&c.major, c, &x),
        );
        if i == 0 {
            hip_hazard.push(h_hip);
            major_hazard.push(h_major);
            fall_probability.push(p_fall);
        }
        hip_hazard.push(h_hip);
        major_hazard.push(h_major);
        fall_probability.push(p_fall);
        hip.push(Interval {
            years,
            fracture_hazard: h_hip,
            death_hazard: death,
        });
        major.push(Interval {
            years,
            fracture_hazard: h_major,
            death_hazard: death,
        });
    }
    Risk {
        hip: competing_risk::cumulative_probability(&hip),
        major: competing_risk::cumulative_probability(&major),
        mean_fall_rate: fall_sum / (n.saturating_sub(1).max(1)) as f64,
        hip_hazard,
        major_hazard,
        fall_probability,
    }
}

/// The cumulative probability at `years` from now (the week that ends there).
pub fn at_years(cumulative: &[f64], years: f64, sample_days: f64) -> f64 {
    let weeks = (years * days_per_year() / sample_days).round() as usize;
    if weeks == 0 || cumulative.is_empty() {
        return 0.0;
    }
    cumulative[(weeks - 1).min(cumulative.len() - 1)]
}

/// Shifts courses onto the "now" clock.
pub fn from_now(plan: &ArmPlan, clock: Clock) -> Vec<Placed> {
    plan.courses
        .iter()
        .map(|c| Placed {
            course: c.course,
            start: c.start - clock.now,
            stop: c.stop.map(|s| s - clock.now),
        })
        .collect()
}
