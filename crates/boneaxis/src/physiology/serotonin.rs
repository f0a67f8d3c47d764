//! Serotonin: gut Tph1, platelets, free plasma 5-HT, brain Tph2 and bone-local 5-HT.
//!
//! * Gut enterochromaffin cells synthesise 5-HT (Tph1), repressed by Lrp5 and blocked by Tph1
//!   inhibitors (LP533401, which stays out of the brain and, here, acts on gut Tph1 only):
//!   `S_gut = s_gut · tph1_gut · (1+α)/(1+α·lrp5) · φ_trp · (1 − inh)`, with tryptophan
//!   saturation `φ_trp = trp·(1+K)/(trp+K)`.
//! * Free plasma 5-HT is fast (minutes) and held at quasi-steady state:
//!   `F = (S_gut + k_rel·P + J_inj/V_blood) / (k_mao + k_up·a_SERT)`, where `a_SERT = sert·(1 − occ)`.
//! * Platelets take 5-HT up through SERT into dense granules and carry it for their lifespan
//!   (state `P`, nmol per litre of blood): `dP/dt = k_up·a_SERT·F − (k_plt + k_rel)·P`.
//! * Serum 5-HT as measured = `F + c·P` (platelet content released on clotting).
//! * Brain 5-HT (Tph2) does not cross to blood: `syn5HT = tph2·φ_trp·λ_lep / (φ_r·a_SERT + 1 − φ_r)`,
//!   leptin lowering brainstem synthesis `λ_lep = (1+g)/(1+g·leptin)`; brain NE likewise with NET.
//! * Bone marrow 5-HT mixes bone-local Tph1 and plasma 5-HT and is cleared partly by bone-cell
//!   SERT: `B = B0 · (φ_loc·tph1_bone·φ_trp + (1−φ_loc)·F/F0) / (φ_bs·a_SERT + 1 − φ_bs)`.
//! * Osteoblast 5-HT1B and 5-HT2B occupancies follow from `B` and their affinities.
//! * Bone-local Tph1 activity `tph1_bone·φ_trp` is also a signal of its own: osteoclast
//!   precursors make 5-HT that promotes their own differentiation (Chabbi-Achengli 2012), an
//!   autocrine loop that plasma 5-HT and gut Tph1 inhibitors do not reach.
//!
//! Baseline values (`F0`, `P0`, `B0`) are data; the rate constants that make them a steady
//! state are derived here, so calibrating a baseline never breaks the balance.

use super::{Exposure, Genotype, Signals};
use crate::error::ParamError;
use crate::params::ParamSource;
use crate::symbolic::{Lhs, Real};
use crate::units::Dimension;

#[derive(Debug, Clone, PartialEq)]
pub struct SerotoninParams<R = f64> {
    pub free_plasma_baseline: R,
    pub platelet_baseline: R,
    platelet_turnover: R,
    platelet_release: R,
    platelet_uptake: R,
    mao_clearance: R,
    gut_synthesis: R,
    tryptophan_km_ratio: R,
    lrp5_repression: R,
    pub bone_baseline: R,
    bone_local_share: R,
    bone_sert_share: R,
    htr1b_kd: R,
    htr2b_kd: R,
    brain_reuptake_share: R,
    brain_ne_reuptake_share: R,
    leptin_brain_inhibition: R,
    blood_volume: R,
    serum_release_factor: R,
    /// Wild-type reference occupancies (the point at which receptor effects are neutral).
    pub htr1b_reference: R,
    pub htr2b_reference: R,
}

/// Index of the platelet 5-HT state in the serotonin block.
pub const PLATELET_5HT: usize = 0;

impl<R: Real> SerotoninParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(p: &impl ParamSource<R>) -> Result<Self, ParamError> {
        let c = Dimension::Concentration;
        let f0 = p.get("serotonin.free_plasma_baseline", c)?;
        let p0 = p.get("serotonin.platelet_5ht_baseline", c)?;
        let k_plt = 1.0 / p.get("serotonin.platelet_lifespan", Dimension::Time)?;
        let k_rel = k_plt * p.get1("serotonin.platelet_release_fraction")?;
        let share = p.get1("serotonin.platelet_share_of_plasma_clearance")?;
        // Platelet balance at baseline: uptake = (turnover + release) · P0.
        let k_up = (k_plt + k_rel) * p0 / f0;
        let k_mao = k_up * (1.0 - share) / share;
        let gut_synthesis = (k_up + k_mao) * f0 - k_rel * p0;
        let b0 = p.get("serotonin.bone_5ht_baseline", c)?;
        let htr1b_kd = p.get("serotonin.htr1b_kd", c)?;
        let htr2b_kd = p.get("serotonin.htr2b_kd", c)?;
        Ok(SerotoninParams {
            free_plasma_baseline: f0,
            platelet_baseline: p0,
            platelet_turnover: k_plt,
            platelet_release: k_rel,
            platelet_uptake: k_up,
            mao_clearance: k_mao,
            gut_synthesis,
            tryptophan_km_ratio: p.get1("serotonin.tryptophan_km_ratio")?,
            lrp5_repression: p.get1("serotonin.lrp5_repression_of_tph1")?,
            bone_baseline: b0,
            bone_local_share: p.get1("serotonin.bone_local_synthesis_share")?,
            bone_sert_share: p.get1("serotonin.bone_sert_clearance_share")?,
            htr1b_kd,
            htr2b_kd,
            brain_reuptake_share: p.get1("serotonin.brain_sert_reuptake_share")?,
            brain_ne_reuptake_share: p.get1("serotonin.brain_net_reuptake_share")?,
            leptin_brain_inhibition: p.get1("serotonin.leptin_brain_inhibition")?,
            blood_volume: p.get("serotonin.blood_volume", Dimension::VolumePerBodyMass)?,
            serum_release_factor: p.get1("serotonin.serum_platelet_release_factor")?,
            htr1b_reference: b0 / (b0 + htr1b_kd),
            htr2b_reference: b0 / (b0 + htr2b_kd),
        })
    }

    fn tryptophan_saturation(&self, tryptophan: R) -> R {
        let k = self.tryptophan_km_ratio;
        tryptophan * (1.0 + k) / (tryptophan + k)
    }

    /// Brain synaptic monoamines; needed before mood and the sympathetic arm.
    pub fn brain_signals(&self, exposure: &Exposure<R>, g: &Genotype, s: &mut Signals<R>) {
        let trp = self.tryptophan_saturation(exposure.tryptophan);
        let lep =
            (1.0 + self.leptin_brain_inhibition) / (1.0 + self.leptin_brain_inhibition * g.leptin);
        let sert_activity = g.sert * (1.0 - s.sert_occupancy);
        let r = self.brain_reuptake_share;
        s.brain_synaptic_5ht = g.tph2 * trp * lep / (r * sert_activity + 1.0 - r);
        let rn = self.brain_ne_reuptake_share;
        s.brain_synaptic_ne = 1.0 / (rn * (1.0 - s.net_occupancy) + 1.0 - rn);
    }

    /// Peripheral serotonin: gut, plasma, platelets and bone.
    pub fn peripheral_signals(
        &self,
        y: &[R],
        exposure: &Exposure<R>,
        g: &Genotype,
        s: &mut Signals<R>,
    ) {
        let platelets = y[PLATELET_5HT];
        let trp = self.tryptophan_saturation(exposure.tryptophan);
        let alpha = self.lrp5_repression;
        s.gut_tph1_activity =
            g.tph1_gut * (1.0 + alpha) / (1.0 + alpha * g.lrp5) * trp * (1.0 - s.tph1_inhibition);
        let sert_activity = g.sert * (1.0 - s.sert_occupancy);
        let injected = exposure.exogenous_serotonin_flux / (self.blood_volume * s.body_weight);
        let production =
            self.gut_synthesis * s.gut_tph1_activity + self.platelet_release * platelets + injected;
        s.free_plasma_5ht =
            production / (self.mao_clearance + self.platelet_uptake * sert_activity);
        s.serum_5ht = s.free_plasma_5ht + self.serum_release_factor * platelets;
        s.bone_tph1_activity = g.tph1_bone * trp;
        let local = self.bone_local_share * s.bone_tph1_activity;
        let systemic =
            (1.0 - self.bone_local_share) * s.free_plasma_5ht / self.free_plasma_baseline;
        let clearance = self.bone_sert_share * sert_activity + 1.0 - self.bone_sert_share;
        s.bone_5ht = self.bone_baseline * (local + systemic) / clearance;
        s.htr1b_occupancy = g.htr1b_osteoblast * s.bone_5ht / (s.bone_5ht + self.htr1b_kd);
        s.htr2b_occupancy = g.htr2b * s.bone_5ht / (s.bone_5ht + self.htr2b_kd);
    }

    pub fn derivatives(&self, y: &[R], g: &Genotype, s: &Signals<R>, dy: &mut [R]) {
        let sert_activity = g.sert * (1.0 - s.sert_occupancy);
        dy[PLATELET_5HT] = self.platelet_uptake * sert_activity * s.free_plasma_5ht
            - (self.platelet_turnover + self.platelet_release) * y[PLATELET_5HT];
    }
}
