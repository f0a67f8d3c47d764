//! Bone remodelling, bone volume and density at each skeletal site.
//!
//! The cell model is in [`cells`]; [`drive`] turns the signals of the other subsystems into the
//! multipliers of its rates. Per site there are five states: precursor and active osteoblasts,
//! active osteoclasts, the bone volume fraction `bv` and the mineralised volume `m`:
//!
//! ```text
//! dbv/dt = T·(k_form·OBa − k_res·OCa·σ(bv))
//! dm/dt  = T·(k_form·OBa·ρ_p − k_res·OCa·σ(bv)·(m/bv)) + k_sec·(bv − m)
//! σ(bv)  = (bv/(bv + K)) / (bv_ref/(bv_ref + K))        (resorbable surface)
//! ```
//!
//! `T` is the activation frequency of remodelling (higher in the young): it scales formation and
//! resorption alike, so it speeds bone change without tilting the balance.
//!
//! New bone is laid down at the primary mineralisation `ρ_p` and matures towards full
//! mineralisation at `k_sec`; resorption removes bone at its mean mineralisation `m/bv`. So a
//! rise in turnover lowers mineral density transiently even before it changes bone volume.
//! `k_form = turnover·bv_ref/OBa*` and `k_res = k_form·OBa*/OCa*` are derived from the site's
//! measured turnover and reference BV/TV so the reference state is balanced.
//!
//! Human areal BMD (DXA, g/cm²) maps the mineralised volume onto the young-adult reference:
//! `aBMD = aBMD_ref,site,sex · m/m_ref`, with `m_ref = bv_ref·ρ_ref` the reference steady state
//! (bone size fixed after maturity).

pub mod cells;
pub mod drive;

use self::cells::{CellParams, CellRates};
use self::drive::DriveParams;
use super::signals::BoneDrive;
use crate::error::ParamError;
use crate::params::ParamSource;
use crate::species::{Site, Species};
use crate::symbolic::{Lhs, Real};
use crate::units::Dimension;

/// States per site, in this order.
pub const SITE_STATES: [(&str, &str); 5] = [
    ("osteoblast_precursors", "precursor osteoblasts"),
    ("osteoblasts", "active osteoblasts"),
    ("osteoclasts", "active osteoclasts"),
    ("bone_volume_fraction", "bone volume fraction BV/TV"),
    (
        "mineralised_volume",
        "mineralised bone volume (fraction of tissue, fully mineralised equivalent)",
    ),
];
pub const N_SITE_STATES: usize = 5;
pub const OBP: usize = 0;
pub const OBA: usize = 1;
pub const OCA: usize = 2;
pub const BV: usize = 3;
pub const MINERAL: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub struct SiteParams<R = f64> {
    pub site: Site,
    pub bv_ref: R,
    pub turnover: R,
    pub k_form: R,
    pub k_res: R,
    /// Reference mineralised volume (young adult steady state).
    pub mineral_ref: R,
    /// Young-adult mean areal BMD (humans only), g/cm².
    pub bmd_ref: Option<R>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BoneParams<R = f64> {
    pub cells: CellParams<R>,
    pub drive: DriveParams<R>,
    pub sites: Vec<SiteParams<R>>,
    primary_mineralisation: R,
    secondary_mineralisation: R,
    resorbable_half_bv: R,
}

impl<R: Real> BoneParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(p: &impl ParamSource<R>, species: Species) -> Result<Self, ParamError> {
        let cells = CellParams::from_params(p)?;
        let primary = p.get1("bone.primary_mineralisation_fraction")?;
        let secondary = p.get("bone.secondary_mineralisation_rate", Dimension::Rate)?;
        let [_, oba, oca] = cells.reference;
        let sites = species
            .sites()
            .iter()
            .map(|&site| {
                let key = |f: &str| format!("bone.{}.{f}", site.key());
                let bv_ref = p.get1(&key("reference_bv_tv"))?;
                let turnover = p.get(&key("turnover_rate"), Dimension::Rate)?;
                let k_form = turnover * bv_ref / oba;
                let density_ref = (turnover * primary + secondary) / (turnover + secondary);
                let bmd_ref = if species == Species::Human {
                    Some(p.get(&key("young_adult_bmd"), Dimension::ArealDensity)?)
                } else {
                    None
                };
                Ok(SiteParams {
                    site,
                    bv_ref,
                    turnover,
                    k_form,
                    k_res: k_form * oba / oca,
                    mineral_ref: bv_ref * density_ref,
                    bmd_ref,
                })
            })
            .collect::<Result<Vec<_>, ParamError>>()?;
        Ok(BoneParams {
            cells,
            drive: DriveParams::from_params(p)?,
            sites,
            primary_mineralisation: primary,
            secondary_mineralisation: secondary,
            resorbable_half_bv: p.get1("bone.resorbable_surface_half_bv")?,
        })
    }

    /// The reference (young adult, balanced) state of one site.
    pub fn reference_site_state(&self, site: usize) -> [R; N_SITE_STATES] {
        let [obp, oba, oca] = self.cells.reference;
        let s = &self.sites[site];
        [obp, oba, oca, s.bv_ref, s.mineral_ref]
    }

    pub fn cell_rates(&self, site: usize, drive: &BoneDrive<R>, load: R, x: &[R]) -> CellRates<R> {
        let bv_ratio = self.sites[site].bv_ref / x[BV].max(R::constant(1e-9));
        self.cells.rates(drive, load, bv_ratio, x)
    }

    /// Bone formation and resorption (bone volume per tissue volume per day) of one site.
    /// The activation frequency `drive.turnover` scales both: more remodelling units, same
    /// balance per unit.
    ///
    /// Osteoclasts need bone to resorb: resorption scales with the available surface
    /// `bv/(bv + K)` relative to the reference, so bone volume cannot fall below zero.
    pub fn fluxes(&self, site: usize, drive: &BoneDrive<R>, x: &[R]) -> (R, R) {
        let s = &self.sites[site];
        let k = self.resorbable_half_bv;
        let bv = x[BV].max(R::constant(0.0));
        let surface = (bv / (bv + k)) / (s.bv_ref / (s.bv_ref + k));
        (
            drive.turnover * s.k_form * x[OBA],
            drive.turnover * s.k_res * x[OCA] * surface,
        )
    }

    /// Writes the derivatives of all sites; `y` and `dy` are the bone block of the state.
    pub fn derivatives(&self, drive: &BoneDrive<R>, load: R, y: &[R], dy: &mut [R]) {
        for k in 0..self.sites.len() {
            let x = &y[k * N_SITE_STATES..(k + 1) * N_SITE_STATES];
            let d = &mut dy[k * N_SITE_STATES..(k + 1) * N_SITE_STATES];
            let r = self.cell_rates(k, drive, load, x);
            d[OBP] = r.d_obp;
            d[OBA] = r.d_oba;
            d[OCA] = r.d_oca;
            let (formation, resorption) = self.fluxes(k, drive, x);
            let density = x[MINERAL] / x[BV].max(R::constant(1e-9));
            d[BV] = formation - resorption;
            d[MINERAL] = formation * self.primary_mineralisation - resorption * density
                + self.secondary_mineralisation * (x[BV] - x[MINERAL]);
        }
    }
}
