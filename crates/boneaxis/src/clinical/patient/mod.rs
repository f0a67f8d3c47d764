//! One person's what-if: `boneaxis patient`.
//!
//! The person is simulated as a scenario with a reference arm (a person of the same age and
//! sex without depression, habits or drugs), their own arm without the drug, with the drug,
//! and with each alternative. Their measured femoral-neck BMD, when given, scales their arms
//! (the model's dynamics, i.e. relative changes, are those of the reference person; see
//! `docs/clinical.md`). Fracture probabilities follow from [`outcome`].

pub mod arms;
pub mod outcome;
pub mod spec;

use crate::clinical::equations::{t_score, who_category::WhoCategory};
use crate::clinical::params::ClinicalParams;
use crate::error::Error;
use crate::params::ParamSet;
use crate::scenario;
use crate::simulate::ReadoutInfo;
use crate::simulate::{run_study, ArmResult, StudyResult};
use crate::species::{Sex, Species};
use crate::units::days_per_year;
use arms::{ArmPlan, Clock, SAMPLE_DAYS};
use outcome::{Risk, Series};
use serde::Serialize;
use spec::Checker;
pub use spec::{Alternative, Course, DepressionSpec, DrugSpec, PatientSpec};

pub const DISCLAIMER: &str = "Research model, not a clinical device: the numbers are model \
projections for teaching and research and must not guide the care of a patient.";

/// What is known of the person's bone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MeasuredBmd {
    None,
    TScore(f64),
    /// Femoral-neck areal BMD, g/cm².
    FemoralNeck(f64),
}

/// A validated person.
#[derive(Debug, Clone, PartialEq)]
pub struct Patient {
    pub age: f64,
    pub sex: Sex,
    pub bmi: Option<f64>,
    pub measured: MeasuredBmd,
    pub years: f64,
    pub cigarettes_per_day: f64,
    pub alcohol_units_per_day: f64,
    pub glucocorticoid_mg_per_day: f64,
    pub depression_severity: f64,
    pub depression_years: f64,
    pub drug: Option<Course>,
    pub alternatives: Vec<Alternative>,
}

impl Patient {
    /// Checks every field; `source` names the file or "command line" in messages.
    pub fn from_spec(s: &PatientSpec, source: &str) -> Result<Patient, Error> {
        let c = Checker { source };
        let age = c.range("age", s.age, 40.0, 90.0, "years")?;
        let sex = match s.sex.trim().to_lowercase().as_str() {
            "female" | "f" | "woman" => Sex::Female,
            "male" | "m" | "man" => Sex::Male,
            other => return Err(c.error("sex", format!("`{other}`; expected female or male"))),
        };
        let measured = match (s.t_score, s.femoral_neck_bmd) {
            (Some(_), Some(_)) => {
                return Err(c.error("t_score", "give a T-score or a femoral-neck BMD, not both"))
            }
            (Some(t), None) => MeasuredBmd::TScore(c.range("t_score", t, -5.0, 3.0, "SD")?),
            (None, Some(b)) => {
                MeasuredBmd::FemoralNeck(c.range("femoral_neck_bmd", b, 0.3, 1.3, "g/cm^2")?)
            }
            (None, None) => MeasuredBmd::None,
        };
        let years = c.range("years", s.years, 1.0, 20.0, "years")?;
        c.range(
            "years",
            age + years,
            40.0,
            100.0,
            "years of age at the end (age + years)",
        )?;
        let (depression_severity, depression_years) = match &s.depression {
            Some(d) => (
                c.range(
                    "depression.severity",
                    d.severity,
                    0.0,
                    1.0,
                    "(0 none, 1 severe)",
                )?,
                c.range("depression.years", d.years, 0.0, 20.0, "years")?,
            ),
            None => (0.0, 0.0),
        };
        let drug = s.drug.as_ref().map(|d| c.course("drug", d)).transpose()?;
        if let Some(d) = drug {
            c.range(
                "drug.start",
                d.start_days / days_per_year(),
                -20.0,
                years - 0.1,
                "years from now",
            )?;
        }
        let mut alternatives = Vec::new();
        for (i, a) in s.alternative.iter().enumerate() {
            let field = format!("alternative[{i}]");
            if a.name.trim().eq_ignore_ascii_case("stop")
                || a.name.trim().eq_ignore_ascii_case("none")
            {
                if drug.is_none() {
                    return Err(
                        c.error(&field, "`stop` needs a drug to stop; give one with `drug`")
                    );
                }
                alternatives.push(Alternative::Stop);
            } else {
                if drug.is_none() {
                    return Err(c.error(
                        &field,
                        "alternatives are compared with a drug; give one with `drug`",
                    ));
                }
                alternatives.push(Alternative::Switch(c.course(&field, a)?));
            }
        }
        if alternatives.len() > 6 {
            return Err(c.error(
                "alternative",
                format!("{} alternatives; at most 6", alternatives.len()),
            ));
        }
        Ok(Patient {
            age,
            sex,
            bmi: s
                .bmi
                .map(|b| c.range("bmi", b, 15.0, 45.0, "kg/m^2"))
                .transpose()?,
            measured,
            years,
            cigarettes_per_day: c.range("smoking", s.smoking, 0.0, 80.0, "cigarettes/day")?,
            alcohol_units_per_day: c.range("alcohol", s.alcohol, 0.0, 30.0, "units/day")?,
            glucocorticoid_mg_per_day: c.range(
                "glucocorticoids",
                s.glucocorticoids,
                0.0,
                100.0,
                "mg/day prednisolone",
            )?,
            depression_severity,
            depression_years,
            drug,
            alternatives,
        })
    }
}

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
    /// Wall-clock time of the simulation, ms.
    pub run_ms: f64,
}

/// Simulates the person and computes the report.
pub fn run(p: &Patient) -> Result<PatientReport, Error> {
    Ok(simulate(p, &[])?.report)
}

/// A what-if with everything validation needs besides the report.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub report: PatientReport,
    /// The options (not the reference person) as a study: weekly samples from now of the
    /// readouts in [`CASE_READOUTS`], so validation cases can measure them like any scenario.
    pub result: StudyResult,
    pub params: ParamSet,
}

/// Readouts a validation case can ask of a patient what-if: name, unit, description.
pub const CASE_READOUTS: [(&str, &str, &str); 9] = [
    (
        "fracture.hip.probability",
        "%",
        "probability of a first hip fracture since now",
    ),
    (
        "fracture.major.probability",
        "%",
        "probability of a first major osteoporotic fracture since now",
    ),
    (
        "fracture.hip.hazard",
        "1/1000 person-years",
        "hip fracture hazard",
    ),
    (
        "fracture.major.hazard",
        "1/1000 person-years",
        "major osteoporotic fracture hazard",
    ),
    (
        "falls.probability",
        "%",
        "probability of at least one fall in a year",
    ),
    (
        "falls.recurrent_probability",
        "%",
        "probability of two or more falls in a year (Poisson)",
    ),
    ("bone.femoral_neck.bmd", "g/cm^2", "femoral-neck BMD"),
    ("bone.total_hip.bmd", "g/cm^2", "total-hip BMD"),
    ("bone.femoral_neck.t_score", "SD", "femoral-neck T-score"),
];

/// The option keys of a what-if, in order (what a case's `arm` may name).
pub fn option_keys(p: &Patient) -> Vec<String> {
    arms::plans(p, arms::clock(p))
        .into_iter()
        .skip(1)
        .map(|a| a.key)
        .collect()
}

/// As [`run`], with parameter overrides (catalog units) applied to the model and the clinical
/// layer alike.
pub fn simulate(p: &Patient, overrides: &[(String, f64)]) -> Result<Simulation, Error> {
    let clock = arms::clock(p);
    let plans = arms::plans(p, clock);
    let text = arms::scenario(p, clock, &plans);
    let mut study = scenario::load_str(&text, "patient")?;
    for (name, value) in overrides {
        study.params.set(name, *value, None)?;
    }
    let c = ClinicalParams::from_params(&study.params)?;
    let started = std::time::Instant::now();
    let result = run_study(&study, |_, _| {})?;
    let run_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut series: Vec<Series> = plans
        .iter()
        .map(|plan| series_of(&result, plan, clock))
        .collect::<Result<_, _>>()?;
    let scale = bmd_scale(&c, p, &series);
    for s in series.iter_mut().skip(1) {
        for v in [&mut s.femoral_neck, &mut s.total_hip, &mut s.lumbar_spine] {
            v.iter_mut().for_each(|x| *x *= scale);
        }
    }
    let report = report(&c, p, &plans, &series, run_ms);
    let result = case_result(&c, p, &plans, &series);
    Ok(Simulation {
        report,
        result,
        params: study.params,
    })
}

fn report(
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
        run_ms,
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

/// The factor that makes the person's simulated femoral-neck BMD now equal what is known of it:
/// a measurement, or (without one) the model's value shifted for BMI by the weight–age
/// equivalence (brief D11).
fn bmd_scale(c: &ClinicalParams, p: &Patient, series: &[Series]) -> f64 {
    let own = &series[if p.drug.is_some_and(|d| d.start_days < 0.0) {
        2
    } else {
        1
    }];
    let simulated = own.femoral_neck[0];
    match p.measured {
        MeasuredBmd::TScore(t) => {
            t_score::bmd_of_score(t, c.femoral_neck.mean, c.femoral_neck.sd) / simulated
        }
        MeasuredBmd::FemoralNeck(b) => b / simulated,
        MeasuredBmd::None => {
            let Some(bmi) = p.bmi else { return 1.0 };
            let reference = &series[0].femoral_neck;
            let one_year =
                ((days_per_year() / SAMPLE_DAYS).round() as usize).min(reference.len() - 1);
            let loss_per_year = (reference[0] - reference[one_year]) * days_per_year()
                / (series[0].days[one_year] - series[0].days[0]);
            let younger_by = (bmi - c.reference_bmi) * c.bmd_age_years_per_bmi_unit;
            (simulated + loss_per_year * younger_by) / simulated
        }
    }
}

/// The arm whose history is the person's own up to now: the drug's if they already take it.
fn own_arm(p: &Patient) -> usize {
    if p.drug.is_some_and(|d| d.start_days < 0.0) {
        2
    } else {
        1
    }
}

fn series_of(result: &StudyResult, plan: &ArmPlan, clock: Clock) -> Result<Series, Error> {
    let arm: &ArmResult = result
        .arm(&plan.key)
        .expect("every planned arm is simulated");
    let column = |name: &str| -> Vec<f64> {
        let r = result
            .readout_index(name)
            .expect("the patient scenario asks for it");
        arm.times
            .iter()
            .zip(&arm.values[r])
            .filter(|(t, _)| **t >= clock.now - 1e-6)
            .map(|(_, v)| *v)
            .collect()
    };
    let days: Vec<f64> = arm
        .times
        .iter()
        .filter(|t| **t >= clock.now - 1e-6)
        .map(|t| t - clock.now)
        .collect();
    Ok(Series {
        days,
        femoral_neck: column("bone.femoral_neck.bmd"),
        total_hip: column("bone.total_hip.bmd"),
        lumbar_spine: column("bone.lumbar_spine.bmd"),
        depressive_state: column("mood.depressive_state"),
        sert_occupancy: column("pd.sert_occupancy")
            .into_iter()
            .map(|v| v / 100.0)
            .collect(),
        courses: outcome::from_now(plan, clock),
    })
}

/// The options as a study of [`CASE_READOUTS`] (times: days since now).
fn case_result(
    c: &ClinicalParams,
    p: &Patient,
    plans: &[ArmPlan],
    series: &[Series],
) -> StudyResult {
    let reference = &series[0];
    let arms = plans
        .iter()
        .zip(series)
        .skip(1)
        .map(|(plan, s)| {
            let r = outcome::risk(c, p, reference, s, s);
            let at_start = |v: &[f64]| {
                std::iter::once(0.0)
                    .chain(v.iter().map(|x| 100.0 * x))
                    .collect::<Vec<f64>>()
            };
            let values = vec![
                at_start(&r.hip),
                at_start(&r.major),
                r.hip_hazard.iter().map(|h| 1000.0 * h).collect(),
                r.major_hazard.iter().map(|h| 1000.0 * h).collect(),
                r.fall_probability.iter().map(|q| 100.0 * q).collect(),
                r.fall_probability
                    .iter()
                    .map(|q| 100.0 * recurrent(*q))
                    .collect(),
                s.femoral_neck.clone(),
                s.total_hip.clone(),
                s.femoral_neck
                    .iter()
                    .map(|b| t_score::score(*b, c.femoral_neck.mean, c.femoral_neck.sd))
                    .collect(),
            ];
            ArmResult {
                name: plan.key.clone(),
                times: s.days.clone(),
                values,
                stats: Default::default(),
                baseline_stats: Default::default(),
                run_ms: 0.0,
            }
        })
        .collect();
    StudyResult {
        name: "patient".into(),
        title: "patient what-if".into(),
        species: Species::Human,
        sex: p.sex,
        start_age_days: p.age * days_per_year(),
        duration_days: series[0].days.last().copied().unwrap_or(0.0),
        control: 0,
        readouts: CASE_READOUTS
            .iter()
            .map(|(name, unit, description)| ReadoutInfo {
                name: name.to_string(),
                unit: unit.to_string(),
                description: description.to_string(),
            })
            .collect(),
        arms,
    }
}

/// Probability of two or more falls in a year when the probability of one or more is `q`.
fn recurrent(q: f64) -> f64 {
    let rate = crate::clinical::equations::fall_rate::rate(q);
    1.0 - (-rate).exp() * (1.0 + rate)
}
