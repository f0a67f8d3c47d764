//! Stress and depression: a latent depressive state and the slow antidepressant adaptation.
//!
//! * Monoaminergic drive `m = w5·(syn5HT − 1) + wNE·(synNE − 1)` (brain synaptic levels from the
//!   serotonin subsystem; antidepressants raise them through SERT/NET blockade).
//! * Antidepressant adaptation `A` integrates the drive slowly (neuroplastic changes, receptor
//!   desensitisation): `dA/dt = (m − A)/τ_A`. This is the delay of weeks before relief.
//! * Relief `R = R_max·A⁺/(A⁺ + A50)`; a monoamine deficit (`A < 0`, e.g. Tph2 knockout) raises
//!   vulnerability `v = 1 + g_v·A⁻`.
//! * The depressive state follows its drive with its own time constant:
//!   `dD/dt = (σ·S·v·(1 − R) − D)/τ_D`, where `S` is the stressor (chronic mild stress) or the
//!   severity of a human depressive episode.
//! * Readouts: sucrose preference `SP = SP0 − ΔSP·D` (%), social exploration `100·(1 − ΔSE·D)` (%).

use super::Signals;
use crate::error::ParamError;
use crate::params::ParamSource;
use crate::symbolic::{Lhs, Real};
use crate::units::Dimension;

pub const DEPRESSIVE_STATE: usize = 0;
pub const ADAPTATION: usize = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct MoodParams<R = f64> {
    onset_time: R,
    adaptation_time: R,
    stress_sensitivity: R,
    serotonin_weight: R,
    norepinephrine_weight: R,
    relief_max: R,
    relief_half: R,
    vulnerability_gain: R,
    pub sucrose_preference_baseline: R,
    sucrose_preference_loss: R,
    social_exploration_loss: R,
}

impl<R: Real> MoodParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(p: &impl ParamSource<R>) -> Result<Self, ParamError> {
        Ok(MoodParams {
            onset_time: p.get("mood.depressive_state_time_constant", Dimension::Time)?,
            adaptation_time: p.get(
                "mood.antidepressant_adaptation_time_constant",
                Dimension::Time,
            )?,
            stress_sensitivity: p.get1("mood.stress_sensitivity")?,
            serotonin_weight: p.get1("mood.serotonin_weight")?,
            norepinephrine_weight: p.get1("mood.norepinephrine_weight")?,
            relief_max: p.get1("mood.relief_max")?,
            relief_half: p.get1("mood.relief_half_adaptation")?,
            vulnerability_gain: p.get1("mood.low_serotonin_vulnerability")?,
            sucrose_preference_baseline: p.get1("mood.sucrose_preference_baseline")?,
            sucrose_preference_loss: p.get1("mood.sucrose_preference_loss")?,
            social_exploration_loss: p.get1("mood.social_exploration_loss")?,
        })
    }

    pub fn signals(&self, y: &[R], s: &mut Signals<R>) {
        s.monoamine_drive = self.serotonin_weight * (s.brain_synaptic_5ht - 1.0)
            + self.norepinephrine_weight * (s.brain_synaptic_ne - 1.0);
        let a = y[ADAPTATION].max(R::constant(0.0));
        s.antidepressant_relief = self.relief_max * a / (a + self.relief_half);
    }

    pub fn derivatives(&self, y: &[R], stress: R, s: &Signals<R>, dy: &mut [R]) {
        let deficit = (-y[ADAPTATION]).max(R::constant(0.0));
        let vulnerability = 1.0 + self.vulnerability_gain * deficit;
        let target =
            self.stress_sensitivity * stress * vulnerability * (1.0 - s.antidepressant_relief);
        dy[DEPRESSIVE_STATE] = (target - y[DEPRESSIVE_STATE]) / self.onset_time;
        dy[ADAPTATION] = (s.monoamine_drive - y[ADAPTATION]) / self.adaptation_time;
    }

    /// Sucrose preference, fraction (0–1).
    pub fn sucrose_preference(&self, depressive_state: R) -> R {
        (self.sucrose_preference_baseline - self.sucrose_preference_loss * depressive_state)
            .clamp(0.0, 1.0)
    }

    /// Social exploration relative to unstressed animals, fraction.
    pub fn social_exploration(&self, depressive_state: R) -> R {
        (1.0 - self.social_exploration_loss * depressive_state).max(R::constant(0.0))
    }
}
