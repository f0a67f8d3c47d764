//! Skeletal age: growth, maturity, senescence and oestrogen.
//!
//! * Body weight follows `W(a) = W_adult · (w0 + (1 − w0) · (1 − (1 − x)^p))`, `x = min(a/a_mat, 1)`,
//!   so it reaches the adult value exactly at skeletal maturity and stays there.
//! * An individual's weight is `r · W(a)`, with `r` its adult weight relative to the species'
//!   reference adult (in people, BMI over the reference BMI at the reference height).
//! * The skeleton's load is `r · W(a) / W_adult · (1 − w + w·S(a))`: the bone mechanostat turns
//!   load into bone mass, so growing animals accrue bone towards peak bone mass and heavier adults
//!   keep more of it. `w` is the share of the load that muscle forces carry and
//!   `S(a) = max(0, 1 − c·(a − a_str)⁺)` muscle strength relative to its adult peak: grip strength
//!   is kept to midlife and then falls by about the same number of kilograms each year (Dodds
//!   2014; Frederiksen 2006), a decline that accelerates in relative terms.
//! * Growth activity `γ = (1 − x)²` raises remodelling turnover and the share of osteoblast supply
//!   that comes from precursor proliferation in the young.
//! * Osteoprogenitor recruitment declines exponentially after `a_sen` (senescence), so the old
//!   lose bone; menopause lowers oestrogen along a logistic curve around `a_meno`.
//! * Ovariectomy removes ovarian oestrogen with a first-order decay; a residual remains.

use super::{Exposure, Signals};
use crate::error::ParamError;
use crate::params::ParamSource;
use crate::species::{Sex, Species};
use crate::symbolic::{Lhs, Real};
use crate::units::{days_per_year, Dimension};

#[derive(Debug, Clone, PartialEq)]
pub struct AgeParams<R = f64> {
    pub sex: Sex,
    pub adult_body_weight: R,
    /// The individual's adult weight relative to `adult_body_weight`.
    pub relative_body_weight: R,
    pub birth_weight_fraction: R,
    pub maturity_age: R,
    pub growth_shape: R,
    pub senescence_onset: R,
    pub senescence_rate: R,
    /// Age after which muscle strength declines (`a_str`).
    pub strength_decline_onset: R,
    /// Loss of strength per unit time, relative to the adult peak (`c`).
    pub strength_decline_rate: R,
    /// Share of the skeleton's load carried by muscle forces (`w`).
    pub load_muscle_share: R,
    pub menopause: Option<Menopause<R>>,
    pub ovariectomy_decay_time: R,
    pub residual_estrogen: R,
}

/// Human female menopause: oestrogen falls logistically around `age` over `width`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Menopause<R = f64> {
    pub age: R,
    pub width: R,
}

impl<R: Real> AgeParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(
        p: &impl ParamSource<R>,
        species: Species,
        sex: Sex,
    ) -> Result<Self, ParamError> {
        let menopause = if species == Species::Human && sex == Sex::Female {
            Some(Menopause {
                age: p.get("age.menopause_age", Dimension::Time)?,
                width: p.get("age.menopause_width", Dimension::Time)?,
            })
        } else {
            None
        };
        Ok(AgeParams {
            sex,
            adult_body_weight: p.get("age.adult_body_weight", Dimension::BodyMass)?,
            relative_body_weight: p.get1("age.relative_body_weight")?,
            birth_weight_fraction: p.get1("age.birth_weight_fraction")?,
            maturity_age: p.get("age.skeletal_maturity_age", Dimension::Time)?,
            growth_shape: p.get1("age.growth_curve_shape")?,
            senescence_onset: p.get("age.senescence_onset", Dimension::Time)?,
            senescence_rate: p.get("age.senescence_rate", Dimension::Rate)?,
            strength_decline_onset: p.get("age.strength_decline_onset", Dimension::Time)?,
            strength_decline_rate: p.get("age.strength_decline_rate", Dimension::Rate)?,
            load_muscle_share: p.get1("age.load_muscle_share")?,
            menopause,
            ovariectomy_decay_time: p
                .get("age.ovariectomy_estrogen_decay_time", Dimension::Time)?,
            residual_estrogen: p.get1("age.residual_estrogen_fraction")?,
        })
    }

    fn maturity_fraction(&self, age: R) -> R {
        (age / self.maturity_age).clamp(0.0, 1.0)
    }

    pub fn body_weight(&self, age: R) -> R {
        let x = self.maturity_fraction(age);
        let w0 = self.birth_weight_fraction;
        self.adult_body_weight
            * self.relative_body_weight
            * (w0 + (1.0 - w0) * (1.0 - (1.0 - x).powf(self.growth_shape)))
    }

    pub fn growth_activity(&self, age: R) -> R {
        let x = self.maturity_fraction(age);
        (1.0 - x) * (1.0 - x)
    }

    pub fn recruitment_capacity(&self, age: R) -> R {
        (-self.senescence_rate * (age - self.senescence_onset).max(R::constant(0.0))).exp()
    }

    /// Muscle strength relative to the adult peak.
    pub fn muscle_strength(&self, age: R) -> R {
        let since_onset = (age - self.strength_decline_onset).max(R::constant(0.0));
        (1.0 - self.strength_decline_rate * since_onset).max(R::constant(0.0))
    }

    /// The skeleton's load relative to the species' reference adult at its peak.
    pub fn mechanical_load(&self, age: R) -> R {
        let muscle =
            1.0 - self.load_muscle_share + self.load_muscle_share * self.muscle_strength(age);
        self.body_weight(age) / self.adult_body_weight * muscle
    }

    fn ovarian_estrogen(&self, age: R) -> R {
        match self.menopause {
            Some(m) => {
                let post = self.residual_estrogen;
                post + (1.0 - post) / (1.0 + ((age - m.age) / m.width).exp())
            }
            None => R::constant(1.0),
        }
    }

    pub fn estrogen(&self, exposure: &Exposure<R>) -> R {
        if self.sex == Sex::Male {
            return R::constant(1.0);
        }
        let ovarian = self.ovarian_estrogen(exposure.age_days);
        match exposure.days_since_ovariectomy {
            Some(days) => {
                let remaining = (-days.max(R::constant(0.0)) / self.ovariectomy_decay_time).exp();
                let post = self.residual_estrogen.min(ovarian);
                post + (ovarian - post) * remaining
            }
            None => ovarian,
        }
    }

    /// The ages between which the skeleton of an intact adult is at balance.
    pub fn adult_plateau(&self) -> (R, R) {
        let ageing = self.senescence_onset.min(self.strength_decline_onset);
        let end = match self.menopause {
            Some(m) => ageing.min(m.age - 6.0 * m.width),
            None => ageing,
        };
        (self.maturity_age, end)
    }

    pub fn signals(&self, exposure: &Exposure<R>, s: &mut Signals<R>) {
        let age = exposure.age_days;
        s.age_years = age / days_per_year();
        s.body_weight = self.body_weight(age);
        s.muscle_strength = self.muscle_strength(age);
        s.mechanical_load = self.mechanical_load(age);
        s.growth_activity = self.growth_activity(age);
        s.recruitment_capacity = self.recruitment_capacity(age);
        s.estrogen = self.estrogen(exposure);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> AgeParams {
        AgeParams {
            sex: Sex::Female,
            adult_body_weight: 60.0,
            relative_body_weight: 1.0,
            birth_weight_fraction: 0.05,
            maturity_age: 20.0 * 365.25,
            growth_shape: 1.5,
            senescence_onset: 45.0 * 365.25,
            senescence_rate: 0.01 / 365.25,
            strength_decline_onset: 42.0 * 365.25,
            strength_decline_rate: 0.01 / 365.25,
            load_muscle_share: 0.5,
            menopause: Some(Menopause {
                age: 51.0 * 365.25,
                width: 365.25,
            }),
            ovariectomy_decay_time: 3.0,
            residual_estrogen: 0.1,
        }
    }

    #[test]
    fn body_weight_grows_to_the_adult_value_and_stays() {
        let p = params();
        assert!((p.body_weight(0.0) - 3.0).abs() < 1e-12);
        assert!(p.body_weight(3650.0) < 60.0);
        assert_eq!(p.body_weight(20.0 * 365.25), 60.0);
        assert_eq!(p.body_weight(40.0 * 365.25), 60.0);
        assert_eq!(p.growth_activity(30.0 * 365.25), 0.0);
    }

    #[test]
    fn strength_declines_linearly_from_midlife_and_unloads_the_skeleton() {
        let p = params();
        let at = |years: f64| years * 365.25;
        assert_eq!(p.muscle_strength(at(40.0)), 1.0);
        assert!((p.muscle_strength(at(82.0)) - 0.6).abs() < 1e-12);
        assert_eq!(p.muscle_strength(at(200.0)), 0.0);
        assert_eq!(p.mechanical_load(at(40.0)), 1.0);
        // Half of the load follows strength: 40% weaker leaves 80% of the load.
        assert!((p.mechanical_load(at(82.0)) - 0.8).abs() < 1e-12);
        let (_, end) = p.adult_plateau();
        assert_eq!(end, at(42.0));
    }

    #[test]
    fn estrogen_falls_at_menopause_and_after_ovariectomy() {
        let p = params();
        let young = Exposure::neutral(30.0 * 365.25);
        assert!(p.estrogen(&young) > 0.999);
        let old = Exposure::neutral(60.0 * 365.25);
        assert!(p.estrogen(&old) < 0.11);
        let mut ovx = young;
        ovx.days_since_ovariectomy = Some(30.0);
        assert!(p.estrogen(&ovx) < 0.11);
    }
}
