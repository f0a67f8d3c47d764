//! Time to first fracture of one subject in one arm, from the clinical layer's hazard (BMD
//! through Johnell's gradient, falls, smoking, alcohol) with death as a competing risk.
//!
//! Each subject draws one unit-exponential threshold for fracture and one for death (common
//! random numbers: the same in every arm, so arms differ only by what the arms do). The
//! cumulative hazards, integrated over the scenario's samples (piecewise constant at each
//! interval's midpoint values), reach their thresholds at the event times. The femoral-neck
//! Z-score is taken against a reference person of the subject's sex and age (the catalog's
//! typical parameters, no depression, habits or drugs), simulated once per sex.

use super::sample::Subject;
use super::Population;
use crate::clinical::falls::{self, DrugExposure};
use crate::clinical::fracture::{self, HazardInputs};
use crate::clinical::params::ClinicalParams;
use crate::clinical::patient::outcome::fall_class;
use crate::error::Error;
use crate::protocol::Protocol;
use crate::simulate::{run_study, Study, StudyResult};
use crate::species::Sex;
use crate::units::days_per_year;
use crate::validation::case::value_at;
use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;

/// Readouts a hazard-ratio analysis needs in `[output] readouts`.
pub const NEEDED: [&str; 3] = [
    "bone.femoral_neck.bmd",
    "mood.depressive_state",
    "pd.sert_occupancy",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Hip,
    Major,
}

/// Femoral-neck BMD of the reference person by age (years), per sex, and the clinical
/// constants of each sex.
#[derive(Debug, Clone)]
pub struct Context {
    curves: [Vec<(f64, f64)>; 2],
    clinical: [ClinicalParams; 2],
}

fn sex_index(sex: Sex) -> usize {
    match sex {
        Sex::Female => 0,
        Sex::Male => 1,
    }
}

impl Context {
    pub fn new(study: &Study, pop: &Population) -> Result<Context, Error> {
        let (lo, hi) = (pop.age.lower(), pop.age.upper());
        let curve = |sex: Sex| -> Result<Vec<(f64, f64)>, Error> {
            let mut s = study.clone();
            s.population = None;
            s.analyses.clear();
            s.sex = sex;
            s.params = pop.params(sex).clone();
            s.start_age = lo * days_per_year();
            s.duration = (hi - lo) * days_per_year() + study.duration;
            s.arms.truncate(1);
            s.arms[0].protocol = Protocol::default();
            s.arms[0].name = "reference".into();
            s.control = 0;
            s.readouts = vec![NEEDED[0].to_string()];
            let step = 30.0;
            let n = (s.duration / step).ceil() as usize;
            s.sample_times = (0..=n).map(|k| (k as f64 * step).min(s.duration)).collect();
            s.sample_times.dedup();
            let r = run_study(&s, |_, _| {})?;
            let arm = &r.arms[0];
            Ok(arm
                .times
                .iter()
                .zip(&arm.values[0])
                .map(|(t, v)| (lo + t / days_per_year(), *v))
                .collect())
        };
        Ok(Context {
            curves: [curve(Sex::Female)?, curve(Sex::Male)?],
            clinical: [
                ClinicalParams::from_params(&pop.female_params)?,
                ClinicalParams::from_params(&pop.male_params)?,
            ],
        })
    }

    fn reference_bmd(&self, sex: Sex, age: f64) -> f64 {
        let c = &self.curves[sex_index(sex)];
        let i = c.partition_point(|(a, _)| *a < age).clamp(1, c.len() - 1);
        let ((a0, b0), (a1, b1)) = (c[i - 1], c[i]);
        let w = if a1 > a0 {
            ((age - a0) / (a1 - a0)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        b0 + w * (b1 - b0)
    }
}

/// The subject's two thresholds (fracture, death) for an outcome: the same in every arm and
/// every analysis of that outcome, so analyses differ only by their groups and adjustments.
pub fn thresholds(seed: u64, subject: usize, outcome: Outcome) -> (f64, f64) {
    let stream = match outcome {
        Outcome::Hip => 0xf00d_u64,
        Outcome::Major => 0xbeef_u64,
    };
    let mut rng = XorShiftRng::seed_from_u64(
        seed ^ (subject as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (stream << 40),
    );
    let mut e = || -(1.0 - rng.random::<f64>()).ln();
    (e(), e())
}

/// Follow-up (years) and whether it ended in a first fracture.
pub fn event_time(
    ctx: &Context,
    subject: &Subject,
    protocol: &Protocol,
    result: &StudyResult,
    arm: &str,
    outcome: Outcome,
    (fracture_threshold, death_threshold): (f64, f64),
) -> Option<(f64, bool)> {
    let c = &ctx.clinical[sex_index(subject.sex)];
    let o = match outcome {
        Outcome::Hip => &c.hip,
        Outcome::Major => &c.major,
    };
    let times = &result.arm(arm)?.times;
    let course = protocol.drugs.first();
    let at = |readout: &str, t: f64| value_at(result, arm, readout, t);
    let (mut h_fracture, mut h_death) = (0.0, 0.0);
    for w in times.windows(2) {
        let (t0, t1) = (w[0], w[1]);
        let mid = 0.5 * (t0 + t1);
        let age = subject.age + mid / days_per_year();
        let bmd = 0.5 * (at(NEEDED[0], t0)? + at(NEEDED[0], t1)?);
        let depressive = at(NEEDED[1], mid)?;
        let drug = course.filter(|k| k.start <= mid).map(|k| DrugExposure {
            class: fall_class(k.drug),
            sert_occupancy: at(NEEDED[2], mid).unwrap_or(0.0) / 100.0,
            days_since_start: mid - k.start,
            taking: mid < k.stop,
        });
        let p = falls::annual_probability(&c.falls, age, depressive, drug.as_ref());
        let x = HazardInputs {
            age_years: age,
            z_score: (bmd - ctx.reference_bmd(subject.sex, age)) / c.femoral_neck.sd,
            fall_ratio: falls::rate_ratio(&c.falls, age, p),
            smoker: subject.cigarettes_per_day > 0.0,
            alcohol_units_per_day: subject.alcohol_units_per_day,
            glucocorticoid_mg_per_day: 0.0,
        };
        let years = (t1 - t0) / days_per_year();
        let (hf, hd) = (fracture::hazard(o, c, &x), fracture::mortality(c, age));
        let reach = |h: f64, rate: f64, threshold: f64| {
            (rate > 0.0 && h + rate * years >= threshold).then(|| (threshold - h) / rate)
        };
        match (
            reach(h_fracture, hf, fracture_threshold),
            reach(h_death, hd, death_threshold),
        ) {
            (Some(f), Some(d)) if f <= d => return Some((t0 / days_per_year() + f, true)),
            (Some(f), None) => return Some((t0 / days_per_year() + f, true)),
            (_, Some(d)) => return Some((t0 / days_per_year() + d, false)),
            (None, None) => {}
        }
        h_fracture += hf * years;
        h_death += hd * years;
    }
    Some((times.last()? / days_per_year(), false))
}
