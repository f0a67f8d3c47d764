//! Other named pathways, each with a neutral default.
//!
//! * Inflammatory cytokines (IL-1, IL-6, TNF-α): `c = 1 + g_c·D·[switch] + inflammation`. The
//!   depression → cytokine link is off unless a scenario switches it on
//!   (`pathways = ["depression_cytokines"]`): the seed names it as a candidate, not as shown.
//! * Leptin: a genotype/level input acting on brain 5-HT (see `serotonin`); it is deliberately
//!   not driven by stress or depression (no link to CMS-induced bone loss, per the seed).
//! * Smoking (cigarettes/day, relative to 20) lowers oestrogen in women and acts on bone cells.
//! * Depression suppresses the reproductive axis in women (stress and CRH inhibit GnRH and LH):
//!   oestrogen × `(1 − g_E·D·[switch])`. Multiplying the whole level makes the loss large before
//!   the menopause and small after it, when little ovarian oestrogen is left to suppress
//!   (follicular estradiol 30% lower in depressed premenopausal women, Young 2000). Off unless a
//!   scenario switches it on (`pathways = ["depression_estrogen"]`): at its measured size it fits
//!   the human training set worse (docs/calibration.md).
//! * Osteoblast β1-adrenergic signalling (rodents, Pierroz 2012) is anabolic only when a scenario
//!   switches it on (`pathways = ["bone_beta1"]`); the switch is read by the bone drive.
//! * Alcohol above a threshold (units/day) is toxic to osteoblasts.
//! * Low calcium or vitamin D raise PTH production (secondary hyperparathyroidism).

use super::{Exposure, Signals};
use crate::error::ParamError;
use crate::params::ParamSource;
use crate::species::Sex;
use crate::symbolic::{Lhs, Real};

/// Pathways that are off unless a scenario switches them on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PathwaySwitches {
    pub depression_cytokines: bool,
    pub depression_estrogen: bool,
    /// Osteoblast β1-adrenergic signalling promotes precursor proliferation (rodents).
    pub bone_beta1: bool,
}

impl PathwaySwitches {
    /// The names scenarios and hypotheses use.
    pub const KNOWN: [&'static str; 3] =
        ["depression_cytokines", "depression_estrogen", "bone_beta1"];

    /// Switches a pathway on by name; the error lists the known names.
    pub fn enable(&mut self, name: &str) -> Result<(), String> {
        match name {
            "depression_cytokines" => self.depression_cytokines = true,
            "depression_estrogen" => self.depression_estrogen = true,
            "bone_beta1" => self.bone_beta1 = true,
            other => {
                return Err(format!(
                    "unknown pathway `{other}`; known: {}",
                    Self::KNOWN.join(", ")
                ))
            }
        }
        Ok(())
    }

    /// Both sets' pathways.
    pub fn union(self, other: PathwaySwitches) -> PathwaySwitches {
        PathwaySwitches {
            depression_cytokines: self.depression_cytokines || other.depression_cytokines,
            depression_estrogen: self.depression_estrogen || other.depression_estrogen,
            bone_beta1: self.bone_beta1 || other.bone_beta1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PathwayParams<R = f64> {
    female: bool,
    depression_cytokine_gain: R,
    pth_calcium_gain: R,
    pth_vitamin_d_gain: R,
    smoking_estrogen_loss: R,
    depression_estrogen_suppression: R,
    pub alcohol_threshold: R,
}

/// Smoking intensity relative to one pack (20 cigarettes) a day.
pub fn smoking_intensity<R: Real>(e: &Exposure<R>) -> R {
    e.cigarettes_per_day / 20.0
}

impl<R: Real> PathwayParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(p: &impl ParamSource<R>, sex: Sex) -> Result<Self, ParamError> {
        Ok(PathwayParams {
            female: sex == Sex::Female,
            depression_cytokine_gain: p.get1("pathways.depression_cytokine_gain")?,
            pth_calcium_gain: p.get1("pathways.pth_low_calcium_gain")?,
            pth_vitamin_d_gain: p.get1("pathways.pth_low_vitamin_d_gain")?,
            smoking_estrogen_loss: p.get1("pathways.smoking_estrogen_loss")?,
            depression_estrogen_suppression: p.get1("pathways.depression_estrogen_suppression")?,
            alcohol_threshold: p.get1("pathways.alcohol_threshold_units_per_day")?,
        })
    }

    pub fn signals(
        &self,
        depressive_state: R,
        e: &Exposure<R>,
        on: PathwaySwitches,
        s: &mut Signals<R>,
    ) {
        let from_depression = if on.depression_cytokines {
            self.depression_cytokine_gain * depressive_state
        } else {
            R::constant(0.0)
        };
        s.cytokines = 1.0 + from_depression + e.inflammation;
        s.pth_production = 1.0
            + self.pth_calcium_gain * (1.0 - e.calcium).max(R::constant(0.0))
            + self.pth_vitamin_d_gain * (1.0 - e.vitamin_d).max(R::constant(0.0));
        if self.female {
            let zero = R::constant(0.0);
            s.estrogen *= (1.0 - self.smoking_estrogen_loss * smoking_intensity(e)).max(zero);
            if on.depression_estrogen {
                s.estrogen *=
                    (1.0 - self.depression_estrogen_suppression * depressive_state).max(zero);
            }
        }
    }

    /// Alcohol intake above the threshold, units/day.
    pub fn alcohol_excess(&self, e: &Exposure<R>) -> R {
        (e.alcohol_units_per_day - self.alcohol_threshold).max(R::constant(0.0))
    }
}
