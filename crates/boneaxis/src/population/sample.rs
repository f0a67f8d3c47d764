//! Drawing subjects: each from its own seeded stream, so subject `i` is the same whatever else
//! is drawn or in which order subjects are run.

use super::{Distribution, Population};
use crate::species::Sex;
use crate::units::days_per_year;
use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;
use serde::Serialize;

/// One virtual person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subject {
    pub index: usize,
    pub sex: Sex,
    /// Age at the start, years.
    pub age: f64,
    /// Depressive-episode severity (0 = not depressed).
    pub depression: f64,
    pub cigarettes_per_day: f64,
    pub alcohol_units_per_day: f64,
    /// A woman past the median age at menopause (`age.menopause_age`) at the start.
    pub postmenopausal: bool,
    /// Values of the variable parameters (catalog units), in the population's order.
    pub parameters: Vec<f64>,
    /// Share of doses taken of the observational arms' drugs (0: not a user).
    pub drug_adherence: f64,
    /// Body mass index, kg/m² (`None`: the reference person's weight).
    pub bmi: Option<f64>,
    /// Years the depressive episode lasts from the start (`None`: the whole study).
    pub depression_years: Option<f64>,
}

/// SplitMix64 finaliser: decorrelates the streams of neighbouring subjects.
pub(super) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub(super) fn standard_normal(rng: &mut XorShiftRng) -> f64 {
    // Box–Muller; both uniforms are always drawn so the stream stays aligned.
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

impl Distribution {
    pub fn sample(&self, rng: &mut XorShiftRng) -> f64 {
        match *self {
            Distribution::Fixed(v) => v,
            Distribution::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Distribution::Normal { mean, sd, min, max } => {
                for _ in 0..64 {
                    let v = mean + sd * standard_normal(rng);
                    if (min..=max).contains(&v) {
                        return v;
                    }
                }
                mean.clamp(min, max)
            }
            Distribution::LogNormal { median, sigma } => {
                median * (sigma * standard_normal(rng)).exp()
            }
        }
    }

    /// The largest value it can take (for lifespan checks).
    pub fn upper(&self) -> f64 {
        match *self {
            Distribution::Fixed(v) => v,
            Distribution::Uniform { max, .. } | Distribution::Normal { max, .. } => max,
            Distribution::LogNormal { .. } => f64::INFINITY,
        }
    }

    pub fn lower(&self) -> f64 {
        match *self {
            Distribution::Fixed(v) => v,
            Distribution::Uniform { min, .. } | Distribution::Normal { min, .. } => min,
            Distribution::LogNormal { .. } => 0.0,
        }
    }
}

impl Population {
    /// Subject `index`.
    pub fn subject(&self, index: usize) -> Subject {
        let mut rng = XorShiftRng::seed_from_u64(mix(self.seed ^ mix(index as u64 + 1)));
        let sex = if rng.random::<f64>() < self.female_share {
            Sex::Female
        } else {
            Sex::Male
        };
        let age = self.age.sample(&mut rng);
        let trait_level = |t: &Option<super::Trait>, depressed: bool, rng: &mut XorShiftRng| {
            let has = rng.random::<f64>();
            match t {
                Some(t) => {
                    let level = t.level.sample(rng).max(0.0);
                    let or = if depressed {
                        t.depression_odds_ratio
                    } else {
                        1.0
                    };
                    let prevalence = or * t.prevalence / (1.0 - t.prevalence + or * t.prevalence);
                    if has < prevalence {
                        level
                    } else {
                        0.0
                    }
                }
                None => 0.0,
            }
        };
        let depression = trait_level(&self.depression, false, &mut rng).min(1.0);
        let depressed = depression > 0.0;
        let cigarettes_per_day = trait_level(&self.smoking, depressed, &mut rng);
        let alcohol_units_per_day = trait_level(&self.alcohol, depressed, &mut rng);
        let eps: Vec<f64> = self
            .variability
            .iter()
            .map(|_| standard_normal(&mut rng))
            .collect();
        let params = self.params(sex);
        let parameters = self
            .variability
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let z: f64 = (0..=i).map(|j| self.cholesky[i][j] * eps[j]).sum();
                let typical = match v.gene {
                    Some(_) => 1.0,
                    None => params
                        .catalog_value(&v.parameter)
                        .expect("checked when the scenario loaded"),
                };
                (typical * (v.sigma * z).exp()).clamp(v.bounds[0], v.bounds[1])
            })
            .collect();
        // Drawn last, so adding drug use leaves every other draw of a subject unchanged.
        let users = self.drug_use.as_ref().map(|d| d.users.clone());
        let drug_adherence = trait_level(&users, depressed, &mut rng).min(1.0);
        // After drug use, for the same reason.
        let bmi = self.bmi.as_ref().map(|b| b.distribution.sample(&mut rng));
        // Drawn for everyone when a duration is given (so the stream stays aligned), kept for
        // the depressed.
        let duration = self.depression.as_ref().and_then(|t| t.duration.as_ref());
        let depression_years = duration
            .map(|d| d.sample(&mut rng))
            .filter(|_| depression > 0.0);
        let postmenopausal = sex == Sex::Female
            && params
                .catalog_value("age.menopause_age")
                .is_some_and(|m| age >= m);
        Subject {
            index,
            sex,
            age,
            postmenopausal,
            depression,
            cigarettes_per_day,
            alcohol_units_per_day,
            parameters,
            drug_adherence,
            bmi,
            depression_years,
        }
    }

    /// Whether every subject fits within `lifespan` days after a study of `duration` days.
    pub fn oldest_end(&self, duration: f64) -> f64 {
        self.age.upper() * days_per_year() + duration
    }
}

/// The lower Cholesky factor of a symmetric matrix, or `None` if it is not positive definite.
pub fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - s;
                if d <= 0.0 {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}
