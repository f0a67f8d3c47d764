//! From signals to the multipliers of the bone cell rates.
//!
//! Receptor signals act through `exp(g·(f − f_ref))` (see `physiology::log_linear_effect`), where `f_ref` is
//! the signal in the wild-type adult at rest; oestrogen, cytokines and habits act through their
//! deficit or excess. Where each input acts (model brief §9):
//!
//! | input | recruitment | proliferation | differentiation | OB apoptosis | RANKL | OPG | OC supply | OC apoptosis |
//! |---|---|---|---|---|---|---|---|---|
//! | 5-HT1B (serum/bone 5-HT) | | ↓ | | | | | | |
//! | 5-HT2B | ↑ (and slows progenitor ageing) | ↑ | | | | | | |
//! | β2AR (norepinephrine) | | ↓ | | | ↑ | | | |
//! | β1AR (norepinephrine; rodents; `bone_beta1` switch) | | ↑ | | | | | | |
//! | GR (glucocorticoid) | ↓ | ↓ | ↓ | ↑ | ↑ | ↓ | | ↓ |
//! | oestrogen deficit | ↑ | | | | ↑ | ↓ | | ↓ |
//! | cytokines | | | | | ↑ | | ↑ | |
//! | bone-local Tph1 (osteoclast autocrine 5-HT) | | | | | | | ↑ | |
//! | smoking | | ↓ | | | ↑ | | | |
//! | alcohol excess | | ↓ | ↓ | | | | | |
//! | PTH | (via π_PTH in the cell model: RANKL ↑, OPG ↓) |

use crate::error::ParamError;
use crate::params::ParamSource;
use crate::physiology::signals::{BoneDrive, Signals};
use crate::symbolic::{Lhs, Real};

#[derive(Debug, Clone, PartialEq)]
pub struct DriveParams<R = f64> {
    htr1b_proliferation: R,
    htr2b_recruitment: R,
    htr2b_proliferation: R,
    htr2b_progenitor_ageing: R,
    beta1_proliferation: R,
    beta2_proliferation: R,
    beta2_rankl: R,
    gr_recruitment: R,
    gr_proliferation: R,
    gr_differentiation: R,
    gr_osteoblast_apoptosis: R,
    gr_rankl: R,
    gr_opg: R,
    gr_osteoclast_apoptosis: R,
    estrogen_recruitment: R,
    estrogen_rankl: R,
    estrogen_opg: R,
    estrogen_osteoclast_apoptosis: R,
    cytokine_osteoclast_supply: R,
    cytokine_rankl: R,
    osteoclast_serotonin_supply: R,
    smoking_proliferation: R,
    smoking_rankl: R,
    alcohol_osteoblast: R,
    juvenile_turnover_factor: R,
    adult_proliferation_share: R,
    juvenile_proliferation_share: R,
}

impl<R: Real> DriveParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(p: &impl ParamSource<R>) -> Result<Self, ParamError> {
        let g = |name: &str| p.get1(&format!("bone.effect.{name}"));
        Ok(DriveParams {
            htr1b_proliferation: g("htr1b_on_proliferation")?,
            htr2b_recruitment: g("htr2b_on_recruitment")?,
            htr2b_proliferation: g("htr2b_on_proliferation")?,
            htr2b_progenitor_ageing: g("htr2b_loss_on_progenitor_ageing")?,
            beta1_proliferation: g("beta1_on_proliferation")?,
            beta2_proliferation: g("beta2_on_proliferation")?,
            beta2_rankl: g("beta2_on_rankl")?,
            gr_recruitment: g("gr_on_recruitment")?,
            gr_proliferation: g("gr_on_proliferation")?,
            gr_differentiation: g("gr_on_differentiation")?,
            gr_osteoblast_apoptosis: g("gr_on_osteoblast_apoptosis")?,
            gr_rankl: g("gr_on_rankl")?,
            gr_opg: g("gr_on_opg")?,
            gr_osteoclast_apoptosis: g("gr_on_osteoclast_apoptosis")?,
            estrogen_recruitment: g("estrogen_deficit_on_recruitment")?,
            estrogen_rankl: g("estrogen_deficit_on_rankl")?,
            estrogen_opg: g("estrogen_deficit_on_opg")?,
            estrogen_osteoclast_apoptosis: g("estrogen_deficit_on_osteoclast_apoptosis")?,
            cytokine_osteoclast_supply: g("cytokines_on_osteoclast_supply")?,
            cytokine_rankl: g("cytokines_on_rankl")?,
            osteoclast_serotonin_supply: g("osteoclast_serotonin_on_osteoclast_supply")?,
            smoking_proliferation: g("smoking_on_proliferation")?,
            smoking_rankl: g("smoking_on_rankl")?,
            alcohol_osteoblast: g("alcohol_excess_on_osteoblasts")?,
            juvenile_turnover_factor: p.get1("age.juvenile_turnover_factor")?,
            adult_proliferation_share: p.get1("bone.adult_proliferation_share")?,
            juvenile_proliferation_share: p.get1("age.juvenile_proliferation_share")?,
        })
    }

    /// Turns the anabolic β1AR action off (the `bone_beta1` switch is off by default).
    pub fn disable_beta1(&mut self) {
        self.beta1_proliferation = R::constant(0.0);
    }

    /// The drive of the bone cell model. `reference` holds the signals of the wild-type adult
    /// at rest; `smoking` is packs/day and `alcohol_excess` units/day above the threshold.
    pub fn drive(
        &self,
        s: &Signals<R>,
        reference: &Signals<R>,
        smoking: R,
        alcohol_excess: R,
    ) -> BoneDrive<R> {
        let zero = R::constant(0.0);
        // Deviations of each receptor signal from the reference; the log-linear effects of
        // several receptors on one rate add up in the exponent (one `exp` per rate).
        let d1b = s.htr1b_occupancy - reference.htr1b_occupancy;
        let d2b = s.htr2b_occupancy - reference.htr2b_occupancy;
        let db1 = s.beta1_occupancy - reference.beta1_occupancy;
        let db2 = s.beta2_occupancy - reference.beta2_occupancy;
        let d_oc_5ht = s.bone_tph1_activity - reference.bone_tph1_activity;
        let dgr = s.gr_occupancy - reference.gr_occupancy;
        let e_deficit = (1.0 - s.estrogen).max(zero);
        let cytokines = s.cytokines.max(zero);
        // Shortcuts where a value is known to be 1 (always, for a traced symbol: never).
        let cytokine_power = |exponent: R| {
            if cytokines.is_exactly(1.0) {
                R::constant(1.0)
            } else {
                cytokines.powf(exponent)
            }
        };
        let gamma = s.growth_activity;
        let alcohol = self.alcohol_osteoblast * alcohol_excess;
        // Losing 5-HT2B signalling depletes osteoprogenitors faster with age (Collet 2008: fewer
        // ALP+ CFU-F from 4 to 12 months): it steepens the senescent decline of recruitment.
        let progenitor_ageing = 1.0 + self.htr2b_progenitor_ageing * (-d2b).max(zero);
        let capacity = if progenitor_ageing.is_exactly(1.0) {
            s.recruitment_capacity
        } else {
            s.recruitment_capacity.powf(progenitor_ageing)
        };
        BoneDrive {
            recruitment: capacity
                * (self.htr2b_recruitment * d2b - self.gr_recruitment * dgr).exp()
                * (1.0 + self.estrogen_recruitment * e_deficit),
            proliferation: (-self.htr1b_proliferation * d1b
                + self.htr2b_proliferation * d2b
                + self.beta1_proliferation * db1
                - self.beta2_proliferation * db2
                - self.gr_proliferation * dgr
                - self.smoking_proliferation * smoking
                - alcohol)
                .exp(),
            proliferation_share: self.adult_proliferation_share
                + (self.juvenile_proliferation_share - self.adult_proliferation_share) * gamma,
            differentiation: (-self.gr_differentiation * dgr - alcohol).exp(),
            osteoblast_apoptosis: (self.gr_osteoblast_apoptosis * dgr).exp(),
            rankl: (self.beta2_rankl * db2 + self.gr_rankl * dgr).exp()
                * (1.0 + self.estrogen_rankl * e_deficit)
                * (1.0 + self.smoking_rankl * smoking)
                * cytokine_power(self.cytokine_rankl),
            opg: (-self.gr_opg * dgr).exp() * (1.0 - self.estrogen_opg * e_deficit),
            osteoclast_precursors: cytokine_power(self.cytokine_osteoclast_supply)
                * (self.osteoclast_serotonin_supply * d_oc_5ht).exp(),
            osteoclast_apoptosis: (-self.gr_osteoclast_apoptosis * dgr).exp()
                * (1.0 - self.estrogen_osteoclast_apoptosis * e_deficit),
            turnover: 1.0 + (self.juvenile_turnover_factor - 1.0) * gamma,
            pth: s.pth_production,
        }
    }
}
