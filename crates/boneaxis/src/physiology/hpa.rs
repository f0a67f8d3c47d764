//! HPA axis: depressive state → corticosterone (rodents) / cortisol (human) → glucocorticoid
//! receptor (GR) occupancy in bone.
//!
//! * `GC = GC0 · (1 + h_D·D + h_S·S)` (daily mean; fast compared with bone, held at steady state).
//! * `f_GR = (fu·GC/K)/(1 + fu·GC/K)`; endogenous levels occupy a modest share of GR, so the
//!   stress-induced rise moves bone little compared with pharmacological glucocorticoids.

use super::{occupancy, Signals};
use crate::error::ParamError;
use crate::params::ParamSource;
use crate::symbolic::{Lhs, Real};
use crate::units::Dimension;

#[derive(Debug, Clone, PartialEq)]
pub struct HpaParams<R = f64> {
    pub baseline: R,
    depression_gain: R,
    stress_gain: R,
    fraction_unbound: R,
    gr_kd: R,
    /// Reference GR occupancy at baseline glucocorticoid.
    pub gr_reference: R,
    /// Molar mass of the species' glucocorticoid (for ng/mL readouts).
    pub molar_mass: R,
}

impl<R: Real> HpaParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(p: &impl ParamSource<R>) -> Result<Self, ParamError> {
        let baseline = p.get("hpa.glucocorticoid_baseline", Dimension::Concentration)?;
        let fu = p.get1("hpa.glucocorticoid_fraction_unbound")?;
        let kd = p.get("hpa.gr_kd", Dimension::Concentration)?;
        Ok(HpaParams {
            baseline,
            depression_gain: p.get1("hpa.depression_gain")?,
            stress_gain: p.get1("hpa.acute_stress_gain")?,
            fraction_unbound: fu,
            gr_kd: kd,
            gr_reference: occupancy(fu * baseline / kd, R::constant(0.0)),
            molar_mass: p.get("hpa.glucocorticoid_molar_mass", Dimension::MolarMass)?,
        })
    }

    pub fn signals(&self, depressive_state: R, stress: R, s: &mut Signals<R>) {
        s.glucocorticoid = self.baseline
            * (1.0 + self.depression_gain * depressive_state + self.stress_gain * stress);
        s.gr_occupancy = occupancy(
            self.fraction_unbound * s.glucocorticoid / self.gr_kd,
            R::constant(0.0),
        );
    }
}
