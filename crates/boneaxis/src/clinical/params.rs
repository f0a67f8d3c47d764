//! The clinical layer's parameters, read from the catalog (`data/parameters/clinical.toml`).
//!
//! Rates are kept per year and ages in years here: the epidemiological sources tabulate them
//! so, and the conversion from the catalog's canonical per-day values happens once, below.

use crate::error::ParamError;
use crate::params::ParamSet;
use crate::species::Site;
use crate::units::{days_per_year, Dimension};

/// T-score reference (young-adult mean and SD) of one DXA site, g/cm².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reference {
    pub mean: f64,
    pub sd: f64,
}

/// The constants of one fracture outcome (hip, or major osteoporotic).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutcomeParams {
    /// Incidence at 65, per year, and the slope of its logarithm, per year of age.
    pub incidence_at_65: f64,
    pub incidence_slope: f64,
    /// Gradient of risk per SD of femoral-neck BMD at 65 and the slope of its logarithm.
    pub gradient_at_65: f64,
    pub gradient_slope: f64,
    /// Share of these fractures caused by falls.
    pub fall_share: f64,
    pub smoking_rr: f64,
    pub alcohol_rr: f64,
    pub glucocorticoid_rr_at_50: f64,
    pub glucocorticoid_rr_at_85: f64,
}

/// Fall-risk constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FallParams {
    pub probability_at_65: f64,
    pub age_slope: f64,
    pub ssri_odds_ratio: f64,
    pub tca_odds_ratio: f64,
    pub beta_blocker_odds_ratio: f64,
    pub depression_odds_ratio: f64,
    pub depression_reference_state: f64,
    pub reference_sert_occupancy: f64,
    pub early_excess_multiplier: f64,
    /// Days.
    pub early_phase_time: f64,
    /// Gamma shape of fall-proneness across people (fall counts negative-binomial).
    pub count_shape: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClinicalParams {
    pub femoral_neck: Reference,
    pub total_hip: Reference,
    pub lumbar_spine: Reference,
    /// The reference person's BMI, kg/m²: a person's adult weight is the reference adult's
    /// times `bmi / reference_bmi`.
    pub reference_bmi: f64,
    pub hip: OutcomeParams,
    pub major: OutcomeParams,
    pub glucocorticoid_low_dose_factor: f64,
    pub glucocorticoid_high_dose_factor: f64,
    pub alcohol_threshold_units_per_day: f64,
    pub mortality_at_65: f64,
    pub mortality_slope: f64,
    pub falls: FallParams,
}

fn per_year(p: &ParamSet, name: &str) -> Result<f64, ParamError> {
    Ok(p.get(name, Dimension::Rate)? * days_per_year())
}

fn reference(p: &ParamSet, site: &str) -> Result<Reference, ParamError> {
    let mean = p.get(
        &format!("clinical.t_score.{site}.reference_mean"),
        Dimension::ArealDensity,
    )?;
    let sd = p.get(
        &format!("clinical.t_score.{site}.reference_sd"),
        Dimension::ArealDensity,
    )?;
    Ok(Reference { mean, sd })
}

fn outcome(
    p: &ParamSet,
    key: &str,
    incidence_at_65: f64,
    incidence_slope: f64,
) -> Result<OutcomeParams, ParamError> {
    let g = |n: &str| p.get1(&format!("fracture.{key}.{n}"));
    Ok(OutcomeParams {
        incidence_at_65,
        incidence_slope,
        gradient_at_65: g("gradient_at_65")?,
        gradient_slope: g("gradient_change_per_decade")?.ln() / 10.0,
        fall_share: g("fall_share")?,
        smoking_rr: g("smoking_rr")?,
        alcohol_rr: g("alcohol_rr")?,
        glucocorticoid_rr_at_50: g("glucocorticoid_rr_at_50")?,
        glucocorticoid_rr_at_85: g("glucocorticoid_rr_at_85")?,
    })
}

impl ClinicalParams {
    /// Reads the clinical constants of a human parameter set (one sex).
    pub fn from_params(p: &ParamSet) -> Result<Self, ParamError> {
        let hip_incidence = per_year(p, "fracture.hip.incidence_at_65")?;
        let hip_slope = per_year(p, "fracture.hip.incidence_age_slope")?;
        let ratio = p.get1("fracture.major.incidence_ratio_at_65")?;
        let ratio_at_85 = p.get1("fracture.major.incidence_ratio_at_85")?;
        let ratio_slope = (ratio_at_85 / ratio).ln() / 20.0;
        Ok(ClinicalParams {
            femoral_neck: reference(p, "femoral_neck")?,
            total_hip: reference(p, "total_hip")?,
            lumbar_spine: reference(p, "lumbar_spine")?,
            reference_bmi: p.get1("clinical.reference_bmi")?,
            hip: outcome(p, "hip", hip_incidence, hip_slope)?,
            major: outcome(p, "major", hip_incidence * ratio, hip_slope + ratio_slope)?,
            glucocorticoid_low_dose_factor: p.get1("fracture.glucocorticoid_low_dose_factor")?,
            glucocorticoid_high_dose_factor: p.get1("fracture.glucocorticoid_high_dose_factor")?,
            alcohol_threshold_units_per_day: p.get1("pathways.alcohol_threshold_units_per_day")?,
            mortality_at_65: per_year(p, "mortality.at_65")?,
            mortality_slope: per_year(p, "mortality.age_slope")?,
            falls: FallParams {
                probability_at_65: p.get1("falls.annual_probability_at_65")?,
                age_slope: per_year(p, "falls.age_slope")?,
                ssri_odds_ratio: p.get1("falls.ssri_odds_ratio")?,
                tca_odds_ratio: p.get1("falls.tca_odds_ratio")?,
                beta_blocker_odds_ratio: p.get1("falls.beta_blocker_odds_ratio")?,
                depression_odds_ratio: p.get1("falls.depression_odds_ratio")?,
                depression_reference_state: p.get1("falls.depression_reference_state")?,
                reference_sert_occupancy: p.get1("falls.reference_sert_occupancy")?,
                early_excess_multiplier: p.get1("falls.early_excess_multiplier")?,
                early_phase_time: p.get("falls.early_phase_time", Dimension::Time)?,
                count_shape: p.get1("falls.count_shape")?,
            },
        })
    }

    /// The T-score reference of a human DXA site.
    pub fn reference(&self, site: Site) -> Option<Reference> {
        match site {
            Site::FemoralNeck => Some(self.femoral_neck),
            Site::TotalHip => Some(self.total_hip),
            Site::LumbarSpine => Some(self.lumbar_spine),
            _ => None,
        }
    }
}
