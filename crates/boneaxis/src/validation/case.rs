//! The case file: citation, scenario and observations, and how each observation is measured.

use crate::error::ScenarioError;
use crate::params::ParamSet;
use crate::simulate::StudyResult;
use crate::species::Species;
use crate::units::{days_per_year, Dimension, Quantity, Unit};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Whether a number was checked against a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Evidence {
    #[serde(rename = "SEEN")]
    Seen,
    #[serde(rename = "UNVERIFIED")]
    Unverified,
}

/// What a case is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A published finding the parameters may be fitted to (the brief's training set).
    #[default]
    Training,
    /// A finding kept out of calibration, to test predictions.
    Test,
    /// A check that the implementation reproduces its own inputs (e.g. a half-life that is a
    /// parameter): not evidence, not used in calibration.
    Verification,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Increase,
    Decrease,
    /// No relevant change: |value| within the observation's `none_tolerance`.
    None,
}

impl Direction {
    /// Whether a change-like value goes this way (values are changes or differences).
    pub fn holds(self, value: f64, none_tolerance: f64) -> bool {
        match self {
            Direction::Increase => value > 0.0,
            Direction::Decrease => value < 0.0,
            Direction::None => value.abs() <= none_tolerance,
        }
    }
}

/// Why an observation fails (or is in tension): the class of its `known_failure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    /// Published findings disagree: no parameter set can pass both.
    Contradiction,
    /// The finding needs a mechanism the model does not have.
    MissingMechanism,
    /// The mechanism is there, but the training data cannot size it (a placeholder strength or
    /// a compromise between findings the fit weighs together).
    Identifiability,
    /// The comparison differs from the study's: a pooled or confounded estimate against a
    /// representative person, a surrogate readout, an assumed history.
    Protocol,
}

impl FailureClass {
    pub const ALL: [FailureClass; 4] = [
        FailureClass::Contradiction,
        FailureClass::MissingMechanism,
        FailureClass::Identifiability,
        FailureClass::Protocol,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FailureClass::Contradiction => "contradiction between studies",
            FailureClass::MissingMechanism => "missing mechanism",
            FailureClass::Identifiability => "not identifiable from the training set",
            FailureClass::Protocol => "comparison differs from the study",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            FailureClass::Contradiction => "published findings disagree; no parameter set passes both",
            FailureClass::MissingMechanism => "the finding needs a mechanism the model does not have",
            FailureClass::Identifiability => {
                "the mechanism is there, but the training set cannot size it (a placeholder strength, or a compromise the fit makes between findings)"
            }
            FailureClass::Protocol => {
                "the simulated comparison is not the study's (pooled or confounded estimates against one person, a surrogate readout, an assumed history)"
            }
        }
    }
}

/// How the simulation is compared with the publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The readout in `arm` at `at`.
    Value,
    /// 100·(arm − versus)/versus at `at`, %.
    PercentChange,
    /// arm / versus at `at`.
    FoldChange,
    /// Odds ratio of two probabilities (readout in %): [a/(100 − a)]/[b/(100 − b)] at `at`.
    OddsRatio,
    /// arm − versus at `at`, in the readout's unit.
    Difference,
    /// 100·(v(at)/v(from) − 1) within `arm`, %.
    ChangeOverTime,
    /// Change over time per year, %/year.
    RatePerYear,
    /// RatePerYear(arm) − RatePerYear(versus), %/year.
    RateDifference,
    /// (v(at) − v(from)) per year, readout unit per year.
    SlopePerYear,
    /// Time average of the readout over [from, at].
    Mean,
    /// ln 2 · (at − from) / ln(v(from)/v(at)): the terminal half-life after the last dose.
    HalfLife,
    /// PercentChange(at) − PercentChange(from), percentage points: how an effect grows
    /// (positive) or shrinks with time.
    EffectChange,
    /// A catalog parameter (`readout` names it) in the observation's unit: checks that an input
    /// taken from a source is what the source says (role `verification`).
    Parameter,
}

impl Measure {
    /// Whether the measure compares two arms.
    pub fn needs_versus(self) -> bool {
        matches!(
            self,
            Measure::PercentChange
                | Measure::FoldChange
                | Measure::OddsRatio
                | Measure::Difference
                | Measure::RateDifference
                | Measure::EffectChange
        )
    }

    /// A simulated value as a change, for direction checks: ratios compare on a log scale
    /// (a fold change of 0.4 is a decrease).
    pub fn as_change(self, value: f64) -> f64 {
        match self {
            Measure::FoldChange | Measure::OddsRatio => value.ln(),
            _ => value,
        }
    }

    fn needs_from(self) -> bool {
        matches!(
            self,
            Measure::ChangeOverTime
                | Measure::RatePerYear
                | Measure::RateDifference
                | Measure::SlopePerYear
                | Measure::Mean
                | Measure::HalfLife
                | Measure::EffectChange
        )
    }

    /// The simulated value, in the observation's unit; `None` if it cannot be computed.
    pub fn evaluate(self, o: &Observation, result: &StudyResult, params: &ParamSet) -> Option<f64> {
        let at = |arm: &str, t: f64| value_at(result, arm, &o.readout, t);
        let rate = |arm: &str| {
            let (v0, v1) = (at(arm, o.from)?, at(arm, o.at)?);
            Some(100.0 * (v1 / v0 - 1.0) / ((o.at - o.from) / days_per_year()))
        };
        let versus = o.versus.as_deref().unwrap_or("");
        let percent = |t: f64| {
            let (a, b) = (at(&o.arm, t)?, at(versus, t)?);
            Some(100.0 * (a - b) / b)
        };
        let v = match self {
            Measure::Value => at(&o.arm, o.at)?,
            Measure::PercentChange => percent(o.at)?,
            Measure::EffectChange => percent(o.at)? - percent(o.from)?,
            Measure::Parameter => params.value_in(&o.readout, &o.unit).ok()?,
            Measure::FoldChange => at(&o.arm, o.at)? / at(versus, o.at)?,
            Measure::OddsRatio => {
                let odds = |p: f64| p / (100.0 - p);
                odds(at(&o.arm, o.at)?) / odds(at(versus, o.at)?)
            }
            Measure::Difference => at(&o.arm, o.at)? - at(versus, o.at)?,
            Measure::ChangeOverTime => 100.0 * (at(&o.arm, o.at)? / at(&o.arm, o.from)? - 1.0),
            Measure::RatePerYear => rate(&o.arm)?,
            Measure::RateDifference => rate(&o.arm)? - rate(versus)?,
            Measure::SlopePerYear => {
                (at(&o.arm, o.at)? - at(&o.arm, o.from)?) / ((o.at - o.from) / days_per_year())
            }
            Measure::Mean => mean(result, &o.arm, &o.readout, o.from, o.at)?,
            Measure::HalfLife => {
                let (v0, v1) = (at(&o.arm, o.from)?, at(&o.arm, o.at)?);
                let days = std::f64::consts::LN_2 * (o.at - o.from) / (v0 / v1).ln();
                o.time_unit.map_or(days, |u| u.from_canonical(days))
            }
        };
        v.is_finite().then_some(v)
    }
}

/// The readout in an arm at time `t` (days), linearly interpolated between samples.
pub fn value_at(result: &StudyResult, arm: &str, readout: &str, t: f64) -> Option<f64> {
    let r = result.readout_index(readout)?;
    let arm = result.arm(arm)?;
    let (times, values) = (&arm.times, &arm.values[r]);
    let eps = 1e-9 * t.abs().max(1.0);
    let i = times.iter().position(|&x| x >= t - eps)?;
    if (times[i] - t).abs() <= eps || i == 0 {
        return Some(values[i]);
    }
    let w = (t - times[i - 1]) / (times[i] - times[i - 1]);
    Some(values[i - 1] + w * (values[i] - values[i - 1]))
}

/// Trapezoidal time average over [from, at] of the samples in between.
fn mean(result: &StudyResult, arm: &str, readout: &str, from: f64, at: f64) -> Option<f64> {
    let r = result.readout_index(readout)?;
    let arm_result = result.arm(arm)?;
    let mut points: Vec<(f64, f64)> = arm_result
        .times
        .iter()
        .zip(&arm_result.values[r])
        .filter(|(t, _)| **t > from && **t < at)
        .map(|(t, v)| (*t, *v))
        .collect();
    points.insert(0, (from, value_at(result, arm, readout, from)?));
    points.push((at, value_at(result, arm, readout, at)?));
    let area: f64 = points
        .windows(2)
        .map(|w| 0.5 * (w[0].1 + w[1].1) * (w[1].0 - w[0].0))
        .sum();
    Some(area / (at - from))
}

/// One published observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub id: String,
    pub finding: String,
    pub readout: String,
    pub arm: String,
    pub versus: Option<String>,
    pub measure: Measure,
    /// Days since the start of the study.
    pub from: f64,
    pub at: f64,
    pub expect: Option<Direction>,
    pub observed: Option<f64>,
    pub range: Option<[f64; 2]>,
    /// Unit of `observed` and `range` as written in the case.
    pub unit: String,
    pub time_unit: Option<Unit>,
    pub none_tolerance: f64,
    pub status: Evidence,
    pub source: String,
    pub known_failure: Option<String>,
    /// The class of `known_failure` (required with it).
    pub failure_class: Option<FailureClass>,
    pub pending: Option<String>,
}

/// One publication.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The folder name, `Author_Year_what`.
    pub id: String,
    pub title: String,
    pub citation: String,
    pub doi: Option<String>,
    pub subjects: String,
    pub role: Role,
    /// The protocol: a scenario file, or a patient file when `patient` is true.
    pub scenario_path: PathBuf,
    /// The protocol as written in the case file (relative to the case's folder).
    pub scenario: String,
    /// Whether the protocol is one person's what-if (`boneaxis patient`) rather than a scenario.
    pub patient: bool,
    /// Whether the scenario simulates a virtual population (`[population]`).
    pub population: bool,
    /// The species the protocol simulates.
    pub species: Species,
    pub note: Option<String>,
    pub observations: Vec<Observation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: CaseHeader,
    #[serde(default)]
    observation: Vec<ObservationFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseHeader {
    title: String,
    citation: String,
    #[serde(default)]
    doi: Option<String>,
    subjects: String,
    #[serde(default)]
    role: Role,
    /// Path of the scenario, relative to the case file.
    #[serde(default)]
    scenario: Option<String>,
    /// Or of a patient file (a representative person, `boneaxis patient`).
    #[serde(default)]
    patient: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// What observations may refer to: the protocol's arms, readouts, duration and parameters.
struct ProtocolInfo {
    species: Species,
    population: bool,
    arms: Vec<String>,
    readouts: Vec<String>,
    duration: f64,
    params: ParamSet,
}

fn protocol_info(path: &Path, patient: bool) -> Result<ProtocolInfo, crate::Error> {
    if patient {
        use crate::clinical::patient;
        let spec = patient::spec::read_file(path)?;
        let person = patient::Patient::from_spec(&spec, &path.display().to_string())?;
        let params = crate::params::Catalog::embedded()?.resolve(Species::Human, person.sex);
        return Ok(ProtocolInfo {
            species: Species::Human,
            population: false,
            arms: patient::option_keys(&person),
            readouts: patient::CASE_READOUTS
                .iter()
                .map(|r| r.0.to_string())
                .collect(),
            duration: person.years * days_per_year(),
            params,
        });
    }
    let study = crate::scenario::load(path)?;
    if study.population.is_some() {
        return Ok(ProtocolInfo {
            species: study.species,
            population: true,
            arms: vec!["study".into()],
            readouts: crate::population::case_readouts(&study.analyses),
            duration: study.duration,
            params: study.params,
        });
    }
    Ok(ProtocolInfo {
        species: study.species,
        population: false,
        arms: study.arms.iter().map(|a| a.name.clone()).collect(),
        readouts: study.readouts.clone(),
        duration: study.duration,
        params: study.params,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObservationFile {
    id: String,
    finding: String,
    readout: String,
    arm: String,
    #[serde(default)]
    versus: Option<String>,
    measure: Measure,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    expect: Option<Direction>,
    #[serde(default)]
    observed: Option<f64>,
    #[serde(default)]
    range: Option<[f64; 2]>,
    unit: String,
    #[serde(default)]
    none_tolerance: Option<f64>,
    status: Evidence,
    source: String,
    #[serde(default)]
    known_failure: Option<String>,
    #[serde(default)]
    failure_class: Option<FailureClass>,
    #[serde(default)]
    pending: Option<String>,
}

/// Reads a case file and checks it against its scenario (arms, readouts, times).
pub fn load(path: &Path) -> Result<Case, crate::Error> {
    let label = path.display().to_string();
    let err = |field: String, message: String| ScenarioError {
        file: label.clone(),
        line: None,
        column: None,
        field,
        message,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| err(String::new(), format!("cannot read the file: {e}")))?;
    let raw: CaseFile =
        toml::from_str(&text).map_err(|e| err(String::new(), e.message().to_string()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (protocol, patient) = match (raw.case.scenario, raw.case.patient) {
        (Some(s), None) => (s, false),
        (None, Some(p)) => (p, true),
        _ => {
            return Err(err(
                "case.scenario".into(),
                "give either `scenario` or `patient` (one protocol per case)".into(),
            )
            .into())
        }
    };
    let scenario_path = dir.join(&protocol);
    let study = protocol_info(&scenario_path, patient)?;
    let arms: Vec<&str> = study.arms.iter().map(|a| a.as_str()).collect();
    let mut observations = Vec::new();
    for (i, o) in raw.observation.into_iter().enumerate() {
        let field = |f: &str| format!("observation[{i}].{f}");
        let time = |q: &Option<String>, default: f64, f: &str| -> Result<f64, ScenarioError> {
            match q {
                None => Ok(default),
                Some(text) => {
                    Quantity::parse_canonical(text, Dimension::Time).map_err(|m| err(field(f), m))
                }
            }
        };
        let from = time(&o.from, 0.0, "from")?;
        let at = time(&o.at, study.duration, "at")?;
        if !(0.0..=study.duration * (1.0 + 1e-12)).contains(&at)
            || from < 0.0
            || (o.measure.needs_from() && from >= at)
        {
            return Err(err(
                field("at"),
                "times must lie within the study, with from < at".into(),
            )
            .into());
        }
        if !arms.contains(&o.arm.as_str()) {
            return Err(err(
                field("arm"),
                format!("no arm `{}` in {}", o.arm, scenario_path.display()),
            )
            .into());
        }
        match (&o.versus, o.measure.needs_versus()) {
            (None, true) => {
                return Err(err(
                    field("versus"),
                    format!("{:?} needs a comparison arm", o.measure),
                )
                .into())
            }
            (Some(v), _) if !arms.contains(&v.as_str()) => {
                return Err(err(
                    field("versus"),
                    format!("no arm `{v}` in {}", scenario_path.display()),
                )
                .into())
            }
            _ => {}
        }
        if o.measure == Measure::Parameter {
            study
                .params
                .value_in(&o.readout, &o.unit)
                .map_err(|e| err(field("readout"), e.to_string()))?;
        } else if !study.readouts.contains(&o.readout) {
            return Err(err(
                field("readout"),
                format!("the protocol does not output `{}`", o.readout),
            )
            .into());
        }
        if o.expect.is_none() && o.range.is_none() && o.pending.is_none() {
            return Err(err(field("expect"), "give a direction, a range or both".into()).into());
        }
        match (&o.known_failure, o.failure_class) {
            (Some(_), None) => {
                return Err(err(
                    field("failure_class"),
                    "a known failure needs its class: contradiction, missing_mechanism, \
                     identifiability or protocol"
                        .into(),
                )
                .into())
            }
            (None, Some(_)) => {
                return Err(err(
                    field("failure_class"),
                    "a failure class goes with a `known_failure` that explains it".into(),
                )
                .into())
            }
            _ => {}
        }
        if o.status == Evidence::Unverified && o.expect.is_none() && o.pending.is_none() {
            return Err(err(
                field("expect"),
                "an UNVERIFIED number is checked by direction (and a wide band)".into(),
            )
            .into());
        }
        if let Some([lo, hi]) = o.range {
            if lo > hi {
                return Err(err(field("range"), "the range must be [low, high]".into()).into());
            }
        }
        let time_unit = if o.measure == Measure::HalfLife {
            Some(Unit::parse_as(&o.unit, Dimension::Time).map_err(|m| err(field("unit"), m))?)
        } else {
            None
        };
        observations.push(Observation {
            id: o.id,
            finding: o.finding,
            readout: o.readout,
            arm: o.arm,
            versus: o.versus,
            measure: o.measure,
            from,
            at,
            expect: o.expect,
            observed: o.observed,
            range: o.range,
            unit: o.unit,
            time_unit,
            none_tolerance: o.none_tolerance.unwrap_or(2.0),
            status: o.status,
            source: o.source,
            known_failure: o.known_failure,
            failure_class: o.failure_class,
            pending: o.pending,
        });
    }
    Ok(Case {
        id,
        title: raw.case.title,
        citation: raw.case.citation,
        doi: raw.case.doi,
        subjects: raw.case.subjects,
        role: raw.case.role,
        scenario_path,
        scenario: protocol,
        patient,
        population: study.population,
        species: study.species,
        note: raw.case.note,
        observations,
    })
}
