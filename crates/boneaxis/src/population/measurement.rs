//! How readouts are measured: the error a study's assay adds to the model's values before its
//! analyses see them (`[[population.measurement]]`).
//!
//! A measured value is `y·P·E + sd·ε`, with
//!
//! * `P = exp(σₚ·zₚ − σₚ²/2)`, one draw per subject and readout, the same in every arm and at
//!   every time: the person's lasting difference that the model does not explain (for a marker,
//!   e.g. renal clearance or body size), of coefficient of variation `person_cv`;
//! * `E = exp(σ·z − σ²/2)`, a new draw at each sample: day-to-day biological variation and assay
//!   error, of coefficient of variation `cv`;
//! * `sd·ε` an additive error in the readout's unit.
//!
//! The log-normal factors keep values positive and have mean 1, so group means are unbiased;
//! `σ² = ln(1 + CV²)`. Draws come from the subject's own stream, so a seed gives the same
//! measurements in every run, shard and re-analysis of stored rows. Stored results keep the
//! model's values; only analyses read measured ones.

use super::log_sigma;
use super::sample::{mix, standard_normal};
use crate::simulate::StudyResult;
use rand::SeedableRng;
use rand_xorshift::XorShiftRng;

/// The measurement error of one readout.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub readout: String,
    /// The coefficients of variation as given: per measurement, and per subject.
    pub cv: f64,
    pub person_cv: f64,
    /// Log-SD of the per-measurement proportional factor.
    pub sigma: f64,
    /// Log-SD of the per-subject proportional factor.
    pub person_sigma: f64,
    /// Additive SD, in the readout's unit.
    pub sd: f64,
}

impl Measurement {
    /// From coefficients of variation (fractions) and an additive SD.
    pub fn new(readout: &str, cv: f64, person_cv: f64, sd: f64) -> Measurement {
        Measurement {
            readout: readout.to_string(),
            cv,
            person_cv,
            sigma: log_sigma(cv),
            person_sigma: log_sigma(person_cv),
            sd,
        }
    }

    /// For study summaries: `bone.ctx (CV 0.2 per measurement, 0.25 per person)`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.cv > 0.0 {
            parts.push(format!("CV {} per measurement", self.cv));
        }
        if self.person_cv > 0.0 {
            parts.push(format!("CV {} per person", self.person_cv));
        }
        if self.sd > 0.0 {
            parts.push(format!("SD {} added", self.sd));
        }
        if parts.is_empty() {
            parts.push("no error".into());
        }
        format!("{} ({})", self.readout, parts.join(", "))
    }

    fn factor(sigma: f64, z: f64) -> f64 {
        (sigma * z - 0.5 * sigma * sigma).exp()
    }
}

/// The subject's results as measured: `result` with each measured readout's samples replaced.
/// Readouts the study does not output are left alone (scenarios check this when they load).
pub fn measure(
    measurements: &[Measurement],
    seed: u64,
    subject: usize,
    result: &StudyResult,
) -> StudyResult {
    let mut measured = result.clone();
    for (k, m) in measurements.iter().enumerate() {
        let Some(r) = measured.readout_index(&m.readout) else {
            continue;
        };
        let stream = 0x6d65_6173_u64.wrapping_add(k as u64) << 32;
        let mut rng = XorShiftRng::seed_from_u64(mix(seed ^ mix(subject as u64 + 1) ^ stream));
        let person = Measurement::factor(m.person_sigma, standard_normal(&mut rng));
        for arm in &mut measured.arms {
            for y in &mut arm.values[r] {
                let occasion = Measurement::factor(m.sigma, standard_normal(&mut rng));
                let additive = m.sd * standard_normal(&mut rng);
                *y = *y * person * occasion + additive;
            }
        }
    }
    measured
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{ArmResult, ReadoutInfo};
    use crate::species::{Sex, Species};

    fn result(value: f64, samples: usize) -> StudyResult {
        let arm = |name: &str| ArmResult {
            name: name.into(),
            times: (0..samples).map(|t| t as f64).collect(),
            values: vec![vec![value; samples], vec![value; samples]],
            stats: Default::default(),
            baseline_stats: Default::default(),
            run_ms: 0.0,
        };
        let info = |name: &str| ReadoutInfo {
            name: name.into(),
            unit: "%".into(),
            description: String::new(),
        };
        StudyResult {
            name: "t".into(),
            title: "t".into(),
            species: Species::Human,
            sex: Sex::Female,
            start_age_days: 0.0,
            duration_days: 1.0,
            control: 0,
            readouts: vec![info("marker"), info("other")],
            arms: vec![arm("a"), arm("b")],
        }
    }

    fn moments(v: &[f64]) -> (f64, f64) {
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var.sqrt() / mean)
    }

    fn close(what: &str, expected: f64, actual: f64, rel: f64, abs: f64) {
        let diff = (actual - expected).abs();
        assert!(
            diff <= abs + rel * expected.abs(),
            "{what}: expected {expected}, actual {actual}, difference {diff}"
        );
    }

    #[test]
    fn occasion_error_has_its_coefficient_of_variation_and_keeps_the_mean() {
        let m = [Measurement::new("marker", 0.2, 0.0, 0.0)];
        let measured = measure(&m, 7, 3, &result(100.0, 20_000));
        let (mean, cv) = moments(&measured.arms[0].values[0]);
        close("mean", 100.0, mean, 0.0, 0.6);
        close("cv", 0.2, cv, 0.0, 0.005);
        // Other readouts are untouched.
        assert!(measured.arms[0].values[1].iter().all(|&v| v == 100.0));
    }

    #[test]
    fn person_error_is_one_draw_shared_by_every_arm_and_time() {
        let m = [Measurement::new("marker", 0.0, 0.3, 0.0)];
        let measured = measure(&m, 7, 3, &result(100.0, 5));
        let first = measured.arms[0].values[0][0];
        assert!((first - 100.0).abs() > 1e-9, "no error drawn: {first}");
        for arm in &measured.arms {
            assert!(arm.values[0].iter().all(|&v| v == first), "{arm:?}");
        }
        // Across subjects it has its coefficient of variation.
        let draws: Vec<f64> = (0..20_000)
            .map(|s| measure(&m, 7, s, &result(100.0, 1)).arms[0].values[0][0])
            .collect();
        let (mean, cv) = moments(&draws);
        close("mean", 100.0, mean, 0.0, 0.8);
        close("cv", 0.3, cv, 0.0, 0.008);
    }

    #[test]
    fn a_measurement_describes_its_errors() {
        let m = Measurement::new("bone.ctx", 0.2, 0.25, 0.0);
        assert_eq!(
            m.describe(),
            "bone.ctx (CV 0.2 per measurement, CV 0.25 per person)"
        );
        let exact = Measurement::new("bone.ctx", 0.0, 0.0, 0.0);
        assert_eq!(exact.describe(), "bone.ctx (no error)");
    }

    #[test]
    fn measurements_repeat_for_a_seed_and_differ_between_subjects() {
        let m = [Measurement::new("marker", 0.1, 0.1, 1.0)];
        let a = measure(&m, 11, 4, &result(50.0, 3));
        assert_eq!(a, measure(&m, 11, 4, &result(50.0, 3)));
        assert_ne!(a, measure(&m, 11, 5, &result(50.0, 3)));
        assert_ne!(a, measure(&m, 12, 4, &result(50.0, 3)));
    }
}
