//! Bone cell population model of Pivonka et al. (2008), with an explicit precursor
//! proliferation term (after Scheiner et al. 2013) and a mechanostat.
//!
//! Per site, states are precursor osteoblasts `OBp`, active osteoblasts `OBa` and active
//! osteoclasts `OCa` (concentrations, nM inside; the paper's pM at the edges):
//!
//! ```text
//! TGFβ   = α·OCa / D_TGF                                    (released from resorbed matrix)
//! dOBp/dt = κ·[(1−φ)·D_OBu·π_act,TGF·M_rec                    (recruitment of uncommitted cells)
//!              + φ·p·OBp·M_prol·M_mech·(1 − OBp/(c·OBp*))/(1 − 1/c)   (proliferation)
//!              − D_OBp·OBp·π_rep,TGF·M_diff]                  (differentiation)
//! dOBa/dt = κ·[D_OBp·OBp·π_rep,TGF·M_diff − A_OBa·M_apo,OB·OBa]
//! dOCa/dt = κ·[D_OCp·M_OCp·π_act,RANKL − A_OCa·M_apo,OC·π_act,TGF(OC)·OCa]
//! E_RANKL = M_RANKL·M_mech⁻                                    (RANKL expression)
//! RANKL_eff = R_RANKL·OBp·π_act,PTH·E_RANKL                 (RANKL on precursors, Pivonka's best)
//! RANKL  = RANKL_eff/(1 + K_A1·OPG + K_A2·RANK) · β_RANKL·E_RANKL/(β_RANKL·E_RANKL + D_RANKL·RANKL_eff)
//! OPG    = P_OPG·OPG_max/(P_OPG + D_OPG·OPG_max),  P_OPG = β_OPG·OBa·π_rep,PTH·M_OPG
//! π_act,RANKL = K_A2·RANKL·RANK / (K_A2·RANKL·RANK + K_D8)
//! ```
//!
//! `κ` scales all cell kinetics per species (rodents turn over faster), `φ` the proliferation share of precursor supply, `p = D_OBp·π_rep,TGF*`
//! the per-capita proliferation that balances it at the reference state, and `c` the niche
//! capacity. The `M_*` are the drive multipliers (1 at the reference), `M_mech` the mechanostat:
//! `s = L·(bv_ref/bv)^n`, `m = Δ·tanh(ln s / Δ)`, `M_mech = e^{g_p·m}`, `M_mech⁻ = e^{−g_r·m}`.
//! At the reference (adult, wild type, no input) the steady state is exactly Pivonka's.
//!
//! Expression multipliers act on both RANKL's carrying capacity and its production: in
//! Pivonka's form RANKL saturates at `β_RANKL/D_RANKL` as the capacity grows, so a multiplier on
//! the capacity alone would barely move RANKL (the same reason Martínez-Reina & Pivonka add
//! external RANKL production for postmenopausal osteoporosis).

use crate::error::ParamError;
use crate::numerics::newton;
use crate::params::ParamSource;
use crate::physiology::signals::BoneDrive;
use crate::symbolic::{Lhs, Real};
use crate::units::Dimension;

#[derive(Debug, Clone, PartialEq)]
pub struct CellParams<R = f64> {
    d_obu: R,
    d_obp: R,
    a_oba: R,
    d_ocp: R,
    a_oca: R,
    k_tgf_obu: R,
    k_tgf_obp: R,
    k_tgf_oca: R,
    k_pth_act: R,
    k_pth_rep: R,
    k_rankl: R,
    d_pth: R,
    beta_pth: R,
    beta_opg: R,
    opg_max: R,
    d_opg: R,
    d_rankl: R,
    beta_rankl: R,
    r_rankl: R,
    k_a_opg: R,
    k_a_rank: R,
    rank: R,
    tgf_release: R,
    d_tgf: R,
    pub kinetics_scale: R,
    niche_capacity: R,
    mech_exponent: R,
    mech_proliferation_gain: R,
    mech_rankl_gain: R,
    mech_saturation: R,
    /// Reference steady state (OBp, OBa, OCa), nM.
    pub reference: [R; 3],
    /// Per-capita proliferation that balances the proliferation share at the reference.
    proliferation_rate: R,
}

/// Intermediate quantities of one site, for readouts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellRates<R = f64> {
    pub tgf_beta: R,
    pub rankl: R,
    pub opg: R,
    pub d_obp: R,
    pub d_oba: R,
    pub d_oca: R,
}

impl<R: Real> CellParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(p: &impl ParamSource<R>) -> Result<Self, ParamError> {
        use Dimension::*;
        let mut c = CellParams {
            d_obu: p.get("bone.osteoblast_recruitment_flux", ConcentrationRate)?,
            d_obp: p.get("bone.precursor_differentiation_rate", Rate)?,
            a_oba: p.get("bone.osteoblast_apoptosis_rate", Rate)?,
            d_ocp: p.get("bone.osteoclast_generation_flux", ConcentrationRate)?,
            a_oca: p.get("bone.osteoclast_apoptosis_rate", Rate)?,
            k_tgf_obu: p.get("bone.tgfb_activation_obu_kd", Concentration)?,
            k_tgf_obp: p.get("bone.tgfb_repression_obp_kd", Concentration)?,
            k_tgf_oca: p.get("bone.tgfb_activation_oca_kd", Concentration)?,
            k_pth_act: p.get("bone.pth_activation_kd", Concentration)?,
            k_pth_rep: p.get("bone.pth_repression_kd", Concentration)?,
            k_rankl: p.get("bone.rankl_activation_kd", Concentration)?,
            d_pth: p.get("bone.pth_degradation_rate", Rate)?,
            beta_pth: p.get("bone.pth_production", ConcentrationRate)?,
            beta_opg: p.get("bone.opg_production_per_osteoblast", Rate)?,
            opg_max: p.get("bone.opg_max", Concentration)?,
            d_opg: p.get("bone.opg_degradation_rate", Rate)?,
            d_rankl: p.get("bone.rankl_degradation_rate", Rate)?,
            beta_rankl: p.get("bone.rankl_intrinsic_production", ConcentrationRate)?,
            r_rankl: p.get1("bone.rankl_max_per_precursor")?,
            k_a_opg: p.get("bone.rankl_opg_association", InverseConcentration)?,
            k_a_rank: p.get("bone.rankl_rank_association", InverseConcentration)?,
            rank: p.get("bone.rank_concentration", Concentration)?,
            tgf_release: p.get("bone.tgfb_release_rate", Rate)?,
            d_tgf: p.get("bone.tgfb_degradation_rate", Rate)?,
            kinetics_scale: p.get1("bone.cell_kinetics_scale")?,
            niche_capacity: p.get1("bone.precursor_niche_capacity")?,
            mech_exponent: p.get1("bone.mechanostat_exponent")?,
            mech_proliferation_gain: p.get1("bone.mechanostat_proliferation_gain")?,
            mech_rankl_gain: p.get1("bone.mechanostat_rankl_gain")?,
            mech_saturation: p.get1("bone.mechanostat_saturation")?,
            reference: [R::constant(0.0); 3],
            proliferation_rate: R::constant(0.0),
        };
        c.reference = solve_reference(&c.values())
            .map(|r| r.map(R::constant))
            .ok_or_else(|| {
                ParamError::new(
                    "bone.*",
                    "the bone cell model has no positive steady state with these parameters",
                )
            })?;
        let tgf = c.tgf_beta(c.reference[2]);
        c.proliferation_rate = c.d_obp * c.k_tgf_obp / (tgf + c.k_tgf_obp);
        Ok(c)
    }

    /// The same parameters as numbers (their traced values).
    pub fn values(&self) -> CellParams<f64> {
        CellParams {
            d_obu: self.d_obu.value(),
            d_obp: self.d_obp.value(),
            a_oba: self.a_oba.value(),
            d_ocp: self.d_ocp.value(),
            a_oca: self.a_oca.value(),
            k_tgf_obu: self.k_tgf_obu.value(),
            k_tgf_obp: self.k_tgf_obp.value(),
            k_tgf_oca: self.k_tgf_oca.value(),
            k_pth_act: self.k_pth_act.value(),
            k_pth_rep: self.k_pth_rep.value(),
            k_rankl: self.k_rankl.value(),
            d_pth: self.d_pth.value(),
            beta_pth: self.beta_pth.value(),
            beta_opg: self.beta_opg.value(),
            opg_max: self.opg_max.value(),
            d_opg: self.d_opg.value(),
            d_rankl: self.d_rankl.value(),
            beta_rankl: self.beta_rankl.value(),
            r_rankl: self.r_rankl.value(),
            k_a_opg: self.k_a_opg.value(),
            k_a_rank: self.k_a_rank.value(),
            rank: self.rank.value(),
            tgf_release: self.tgf_release.value(),
            d_tgf: self.d_tgf.value(),
            kinetics_scale: self.kinetics_scale.value(),
            niche_capacity: self.niche_capacity.value(),
            mech_exponent: self.mech_exponent.value(),
            mech_proliferation_gain: self.mech_proliferation_gain.value(),
            mech_rankl_gain: self.mech_rankl_gain.value(),
            mech_saturation: self.mech_saturation.value(),
            reference: self.reference.map(Real::value),
            proliferation_rate: self.proliferation_rate.value(),
        }
    }

    fn tgf_beta(&self, oca: R) -> R {
        self.tgf_release * oca / self.d_tgf
    }

    /// Fraction of active osteoclasts removed per day (their turnover), to compare with
    /// histomorphometric nucleus turnover.
    pub fn osteoclast_turnover(&self, d: &BoneDrive<R>, oca: R) -> R {
        let tgf = self.tgf_beta(oca);
        self.kinetics_scale * self.a_oca * d.osteoclast_apoptosis * tgf / (tgf + self.k_tgf_oca)
    }

    /// Cell kinetics of one site: `stimulus_load` is the load, `bv_ratio` = bv_ref/bv.
    pub fn rates(&self, d: &BoneDrive<R>, load: R, bv_ratio: R, x: &[R]) -> CellRates<R> {
        let (obp, oba, oca) = (x[0], x[1], x[2]);
        let k = self.kinetics_scale;
        let tgf = self.tgf_beta(oca);
        let act_tgf_obu = tgf / (tgf + self.k_tgf_obu);
        let rep_tgf_obp = self.k_tgf_obp / (tgf + self.k_tgf_obp);
        let act_tgf_oca = tgf / (tgf + self.k_tgf_oca);
        let pth = self.beta_pth * d.pth / self.d_pth;
        let act_pth = pth / (pth + self.k_pth_act);
        let rep_pth = self.k_pth_rep / (pth + self.k_pth_rep);
        let p_opg = self.beta_opg * oba * rep_pth * d.opg;
        let opg = p_opg * self.opg_max / (p_opg + self.d_opg * self.opg_max);
        let log_stimulus = load.ln() + self.mech_exponent * bv_ratio.ln();
        let sat = self.mech_saturation;
        let mech = sat * (log_stimulus / sat).tanh();
        // RANKL expression (carrying capacity and production alike), so RANKL scales with it.
        let expression = d.rankl * (-self.mech_rankl_gain * mech).exp();
        let rankl_eff = self.r_rankl * obp * act_pth * expression;
        let production = self.beta_rankl * expression;
        let rankl = rankl_eff / (1.0 + self.k_a_opg * opg + self.k_a_rank * self.rank) * production
            / (production + self.d_rankl * rankl_eff);
        let bound = self.k_a_rank * rankl * self.rank;
        let act_rankl = bound / (bound + self.k_rankl);

        let phi = d.proliferation_share;
        let recruitment = (1.0 - phi) * self.d_obu * act_tgf_obu * d.recruitment;
        let proliferation = if !phi.is_exactly(0.0) {
            let c = self.niche_capacity;
            let crowding = (1.0 - obp / (c * self.reference[0])) / (1.0 - 1.0 / c);
            phi * self.proliferation_rate
                * obp
                * d.proliferation
                * (self.mech_proliferation_gain * mech).exp()
                * crowding
        } else {
            R::constant(0.0)
        };
        let differentiation = self.d_obp * obp * rep_tgf_obp * d.differentiation;
        let ob_apoptosis = self.a_oba * d.osteoblast_apoptosis * oba;
        let oc_generation = self.d_ocp * d.osteoclast_precursors * act_rankl;
        let oc_apoptosis = self.a_oca * d.osteoclast_apoptosis * act_tgf_oca * oca;
        CellRates {
            tgf_beta: tgf,
            rankl,
            opg,
            d_obp: k * (recruitment + proliferation - differentiation),
            d_oba: k * (differentiation - ob_apoptosis),
            d_oca: k * (oc_generation - oc_apoptosis),
        }
    }
}

/// Steady state of the unperturbed model (Pivonka's published state for the paper's values),
/// solved numerically; a traced model holds it as numbers. Outside the generic impl, whose
/// `f64: Lhs<R>` bound would capture this function's `f64` arithmetic.
fn solve_reference(c: &CellParams<f64>) -> Option<[f64; 3]> {
    // Work in log coordinates so the iterates stay positive.
    let guess = [6.196e-7f64.ln(), 5.584e-7f64.ln(), 8.070e-7f64.ln()];
    let drive = BoneDrive {
        proliferation_share: 0.0,
        ..BoneDrive::default()
    };
    let f = |z: &[f64], out: &mut [f64]| {
        let x = [z[0].exp(), z[1].exp(), z[2].exp()];
        let r = c.rates(&drive, 1.0, 1.0, &x);
        out[0] = r.d_obp / x[0];
        out[1] = r.d_oba / x[1];
        out[2] = r.d_oca / x[2];
    };
    let z = newton(&f, &guess, 1e-13, 100)?;
    Some([z[0].exp(), z[1].exp(), z[2].exp()])
}
