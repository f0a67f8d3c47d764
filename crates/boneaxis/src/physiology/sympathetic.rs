//! Sympathetic arm: depression → sympathetic outflow → bone norepinephrine → osteoblast β2AR.
//!
//! * Outflow `O = (1 + g_D·D + g_S·S) · exp(−g5·(f_2C − f_2C*)) · exp(−gα·(f_α2 − f_α2*))`: the
//!   depressive state and the acute stressor raise it; brain 5-HT lowers it through hypothalamic
//!   5-HT2C receptors (Yadav 2009), `f_2C = syn5HT/(syn5HT + K_2C·(1 + Σ[I]/K_I))`, where some
//!   antidepressants are also 5-HT2C antagonists (fluoxetine, Pälvimäki 1996); brain NE lowers
//!   it through α2-adrenergic feedback (acute desipramine lowers NE appearance, Veith 1994),
//!   `f_α2 = synNE/(synNE + K_α2)`, relative to a set point `N*` that desensitisation moves
//!   towards the prevailing synaptic NE, so the acute fall in
//!   outflow under NET blockade fades over weeks (NE appearance back to baseline by 28 days of
//!   desipramine, Veith 1994); desensitisation may be partial, `dN*/dt = (1 + ε·(synNE − 1) −
//!   N*)/τ_α2` with extent `ε`. Receptor saturation makes the loss of brain 5-HT (Tph2 knockout)
//!   weigh more than its excess (SSRIs, 5-HTT knockout).
//! * Bone NE is released in proportion to outflow and cleared mostly by neuronal reuptake (NET):
//!   `NE = NE0·O / ((1 − φ_NET) + φ_NET·(1 − occ_NET))`, so NET inhibitors raise NE per impulse.
//! * β2AR and β1AR occupancy by NE with competitive antagonists (propranolol):
//!   `f_β = adrb · (NE/K)/(1 + NE/K + Σ[I]/K_I)`, each receptor with its own affinities. NE
//!   prefers β1, propranolol β2 (8.3-fold, Baker 2005), so low doses block mostly β2 and high
//!   doses both.

use super::{log_linear_effect, occupancy, Genotype, Signals};
use crate::error::ParamError;
use crate::params::ParamSource;
use crate::symbolic::{Lhs, Real};
use crate::units::Dimension;

#[derive(Debug, Clone, PartialEq)]
pub struct SympatheticParams<R = f64> {
    depression_gain: R,
    stress_gain: R,
    brain_serotonin_gain: R,
    htr2c_kd: R,
    alpha2_feedback_gain: R,
    alpha2_kd: R,
    alpha2_desensitisation_time: R,
    alpha2_desensitisation_extent: R,
    pub bone_ne_baseline: R,
    net_clearance_share: R,
    beta1_ne_kd: R,
    beta2_ne_kd: R,
    /// Wild-type reference β2AR occupancy.
    pub beta2_reference: R,
}

impl<R: Real> SympatheticParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(p: &impl ParamSource<R>) -> Result<Self, ParamError> {
        let ne0 = p.get(
            "sympathetic.bone_norepinephrine_baseline",
            Dimension::Concentration,
        )?;
        let kd = p.get(
            "sympathetic.beta2_norepinephrine_kd",
            Dimension::Concentration,
        )?;
        let kd1 = p.get(
            "sympathetic.beta1_norepinephrine_kd",
            Dimension::Concentration,
        )?;
        Ok(SympatheticParams {
            depression_gain: p.get1("sympathetic.depression_gain")?,
            stress_gain: p.get1("sympathetic.acute_stress_gain")?,
            brain_serotonin_gain: p.get1("sympathetic.brain_serotonin_inhibition")?,
            htr2c_kd: p.get1("sympathetic.htr2c_kd_relative")?,
            alpha2_feedback_gain: p.get1("sympathetic.alpha2_feedback_gain")?,
            alpha2_kd: p.get1("sympathetic.alpha2_kd_relative")?,
            alpha2_desensitisation_time: p
                .get("sympathetic.alpha2_desensitisation_time", Dimension::Time)?,
            alpha2_desensitisation_extent: p.get1("sympathetic.alpha2_desensitisation_extent")?,
            bone_ne_baseline: ne0,
            net_clearance_share: p.get1("sympathetic.net_clearance_share")?,
            beta1_ne_kd: kd1,
            beta2_ne_kd: kd,
            beta2_reference: occupancy(ne0 / kd, R::constant(0.0)),
        })
    }

    /// `alpha2_set_point` is the state `N*` (synaptic NE the autoreceptors are adapted to).
    pub fn signals(
        &self,
        depressive_state: R,
        stress: R,
        alpha2_set_point: R,
        g: &Genotype,
        s: &mut Signals<R>,
    ) {
        // Brain levels are relative to baseline (1), so the reference occupancies are 1/(1 + K).
        // Antidepressants that also block 5-HT2C (fluoxetine) raise its apparent constant.
        let htr2c = |x: R, blocked: R| x / (x + self.htr2c_kd * (1.0 + blocked));
        let alpha2 = |x: R| x / (x + self.alpha2_kd);
        s.sympathetic_outflow =
            (1.0 + self.depression_gain * depressive_state + self.stress_gain * stress)
                * log_linear_effect(
                    -self.brain_serotonin_gain,
                    htr2c(s.brain_synaptic_5ht, s.htr2c_antagonist_ratio),
                    htr2c(R::constant(1.0), R::constant(0.0)),
                )
                * log_linear_effect(
                    -self.alpha2_feedback_gain,
                    alpha2(s.brain_synaptic_ne),
                    alpha2(alpha2_set_point),
                );
        let share = self.net_clearance_share;
        let clearance = (1.0 - share) + share * (1.0 - s.net_occupancy);
        s.bone_norepinephrine = self.bone_ne_baseline * s.sympathetic_outflow / clearance;
        s.beta1_occupancy = g.adrb1
            * occupancy(
                s.bone_norepinephrine / self.beta1_ne_kd,
                s.beta1_antagonist_ratio,
            );
        s.beta2_occupancy = g.adrb2
            * occupancy(
                s.bone_norepinephrine / self.beta2_ne_kd,
                s.beta2_antagonist_ratio,
            );
    }

    /// `dN*/dt`: the α2 set point follows synaptic NE.
    pub fn derivative(&self, alpha2_set_point: R, s: &Signals<R>) -> R {
        let target = 1.0 + self.alpha2_desensitisation_extent * (s.brain_synaptic_ne - 1.0);
        (target - alpha2_set_point) / self.alpha2_desensitisation_time
    }
}
