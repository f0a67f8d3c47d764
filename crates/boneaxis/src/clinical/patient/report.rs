//! What `boneaxis patient` reports: BMD trajectories, probabilities by horizon, and each
//! option's effect against no drug, split into bone and falls.

use super::arms::{ArmPlan, SAMPLE_DAYS};
use super::outcome::{self, Risk, Series};
use super::{own_arm, MeasuredBmd, Patient, DISCLAIMER};
use crate::clinical::equations::{t_score, who_category::WhoCategory};
use crate::clinical::falls::FallClass;
use crate::clinical::params::ClinicalParams;
use crate::units::days_per_year;
use serde::Serialize;

/// One point of a BMD trajectory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrajectoryPoint {
    pub years: f64,
    pub femoral_neck_bmd: f64,
    pub femoral_neck_t_score: f64,
    pub total_hip_bmd: f64,
    pub lumbar_spine_bmd: f64,
}

/// The outcome of one option (no drug, the drug, an alternative).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionOutcome {
    pub key: String,
    pub label: String,
    pub trajectory: Vec<TrajectoryPoint>,
    /// Probability (%) of a first hip fracture within each horizon.
    pub hip: Vec<f64>,
    /// Probability (%) of a first major osteoporotic fracture within each horizon.
    pub major: Vec<f64>,
    /// Mean falls per person-year over the projection.
    pub falls_per_year: f64,
}

/// What an option does to the risk at the last horizon, against no drug, and through what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    pub key: String,
    pub label: String,
    pub hip_ratio: f64,
    pub major_ratio: f64,
    /// Percentage points added at the last horizon: in all, through bone only (the option's
    /// BMD with the no-drug falls) and through falls only (the no-drug BMD with its falls).
    pub hip_added: f64,
    pub hip_through_bone: f64,
    pub hip_through_falls: f64,
    pub major_added: f64,
    pub major_through_bone: f64,
    pub major_through_falls: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientReport {
    pub disclaimer: &'static str,
    pub age: f64,
    pub sex: &'static str,
    /// Femoral-neck BMD now, g/cm², T- and Z-score, WHO category, and where it came from.
    pub femoral_neck_bmd: f64,
    pub t_score: f64,
    pub z_score: f64,
    pub category: WhoCategory,
    pub bmd_source: &'static str,
    pub horizons: Vec<f64>,
    pub options: Vec<OptionOutcome>,
    pub effects: Vec<Effect>,
    /// Versions of the published equations used.
    pub equations: Vec<&'static str>,
    /// Known limits of the model that apply to these options (docs/clinical.md).
    pub caveats: Vec<&'static str>,
    /// Wall-clock time of the simulation, ms.
    pub run_ms: f64,
}

pub(super) fn report(
    c: &ClinicalParams,
    p: &Patient,
    plans: &[ArmPlan],
    series: &[Series],
    run_ms: f64,
) -> PatientReport {
    let reference = &series[0];
    let horizons: Vec<f64> = [1.0, 5.0, 10.0, p.years]
        .into_iter()
        .filter(|h| *h <= p.years)
        .fold(Vec::new(), |mut v, h| {
            if !v.contains(&h) {
                v.push(h);
            }
            v
        });
    let risks: Vec<Risk> = series
        .iter()
        .map(|s| outcome::risk(c, p, reference, s, s))
        .collect();
    let percent_at = |cum: &[f64]| -> Vec<f64> {
        horizons
            .iter()
            .map(|h| 100.0 * outcome::at_years(cum, *h, SAMPLE_DAYS))
            .collect()
    };
    let options: Vec<OptionOutcome> = plans
        .iter()
        .zip(series)
        .zip(&risks)
        .skip(1)
        .map(|((plan, s), r)| OptionOutcome {
            key: plan.key.clone(),
            label: plan.label.clone(),
            trajectory: trajectory(c, s, p.years),
            hip: percent_at(&r.hip),
            major: percent_at(&r.major),
            falls_per_year: r.mean_fall_rate,
        })
        .collect();
    let last = *horizons.last().expect("years ≥ 1");
    let end = |cum: &[f64]| 100.0 * outcome::at_years(cum, last, SAMPLE_DAYS);
    let none = &series[1];
    let effects = plans
        .iter()
        .zip(series)
        .zip(&risks)
        .skip(2)
        .map(|((plan, s), r)| {
            let bone = outcome::risk(c, p, reference, s, none);
            let falls = outcome::risk(c, p, reference, none, s);
            let (h0, m0) = (end(&risks[1].hip), end(&risks[1].major));
            Effect {
                key: plan.key.clone(),
                label: plan.label.clone(),
                hip_ratio: end(&r.hip) / h0,
                major_ratio: end(&r.major) / m0,
                hip_added: end(&r.hip) - h0,
                hip_through_bone: end(&bone.hip) - h0,
                hip_through_falls: end(&falls.hip) - h0,
                major_added: end(&r.major) - m0,
                major_through_bone: end(&bone.major) - m0,
                major_through_falls: end(&falls.major) - m0,
            }
        })
        .collect();
    let bmd_now = series[own_arm(p)].femoral_neck[0];
    let t = t_score::score(bmd_now, c.femoral_neck.mean, c.femoral_neck.sd);
    PatientReport {
        disclaimer: DISCLAIMER,
        age: p.age,
        sex: p.sex.name(),
        femoral_neck_bmd: bmd_now,
        t_score: t,
        z_score: t_score::score(bmd_now, reference.femoral_neck[0], c.femoral_neck.sd),
        category: WhoCategory::of_t_score(t),
        bmd_source: match p.measured {
            MeasuredBmd::None if p.bmi.is_some() => "modelled for age, sex and BMI",
            MeasuredBmd::None => "modelled for age and sex",
            _ => "measured",
        },
        horizons,
        options,
        effects,
        equations: crate::clinical::equations::VERSIONS.to_vec(),
        caveats: caveats(plans),
        run_ms,
    }
}

/// Shown when an option takes a β-blocker: the test case Yang_2012_beta_blocker_fracture_
/// representative finds the simulated hip benefit far too large.
pub const BETA_BLOCKER_CAVEAT: &str = "a β-blocker's bone effect uses the mouse strength of \
     β2 signalling, so its BMD gain and hip-fracture reduction are too large (validation case \
     Yang_2012_beta_blocker_fracture_representative; users' hip-fracture RR is 0.83); read them \
     as the direction only";

fn caveats(plans: &[ArmPlan]) -> Vec<&'static str> {
    let beta_blocker = plans
        .iter()
        .flat_map(|plan| &plan.courses)
        .any(|c| outcome::fall_class(c.course.drug) == FallClass::BetaBlocker);
    if beta_blocker {
        vec![BETA_BLOCKER_CAVEAT]
    } else {
        Vec::new()
    }
}

fn trajectory(c: &ClinicalParams, s: &Series, years: f64) -> Vec<TrajectoryPoint> {
    (0..=years.floor() as usize)
        .map(|y| {
            let i =
                ((y as f64 * days_per_year() / SAMPLE_DAYS).round() as usize).min(s.days.len() - 1);
            TrajectoryPoint {
                years: s.days[i] / days_per_year(),
                femoral_neck_bmd: s.femoral_neck[i],
                femoral_neck_t_score: t_score::score(
                    s.femoral_neck[i],
                    c.femoral_neck.mean,
                    c.femoral_neck.sd,
                ),
                total_hip_bmd: s.total_hip[i],
                lumbar_spine_bmd: s.lumbar_spine[i],
            }
        })
        .collect()
}
