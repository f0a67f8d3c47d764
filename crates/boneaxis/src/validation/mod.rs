//! Published experiments as validation cases, run against the model and scored.
//!
//! A case lives in `validation/<Author_Year>_<what>/case.toml`: the citation, the subjects, a
//! scenario (a file of its own or a shipped one) and the observations the publication reports.
//! Each observation names a readout, an arm (and a comparison arm), how to compare
//! ([`Measure`]), the expected direction and/or an acceptance range, and whether the number was
//! checked against a source (SEEN) or is a recollection (UNVERIFIED: direction and a wide band
//! only). See `docs/validation-cases.md` for the format and the acceptance rules.

pub mod calibrate;
pub mod case;
pub mod hypothesis;
pub mod report;

pub use case::{Case, Direction, Evidence, FailureClass, Measure, Observation, Role};

use crate::error::Error;
use crate::params::ParamSet;
use crate::physiology::pathways::PathwaySwitches;
use crate::scenario;
use crate::simulate::{run_study, StudyResult};
use std::path::{Path, PathBuf};

/// How an observation came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    /// Needs virtual populations (cohort statistics); not run yet.
    Pending,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "FAIL",
            Verdict::Pending => "pending",
        }
    }
}

/// The simulated counterpart of one observation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ObservationResult {
    pub case: String,
    pub id: String,
    pub simulated: Option<f64>,
    pub verdict: Verdict,
    /// Whether the simulated direction matches the expected one (if a direction is expected).
    pub direction_right: Option<bool>,
    /// |ln(simulated/observed)| when both have the same sign and an observed value exists.
    pub log_fold_error: Option<f64>,
    /// Whether the simulated value lies within the acceptance range (if one is given).
    pub within_range: Option<bool>,
}

/// A case with its results and the runs behind them.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub case: Case,
    pub observations: Vec<ObservationResult>,
    pub study: Option<StudyResult>,
}

/// Loads every `*/case.toml` below `dir`, sorted by folder name.
pub fn load_cases(dir: &Path) -> Result<Vec<Case>, Error> {
    let io = |e: std::io::Error| Error::Io {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    let mut folders: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    folders.sort();
    folders
        .iter()
        .map(|f| case::load(&f.join("case.toml")))
        .collect()
}

/// The analyses of a population scenario as a one-arm study.
fn population_case_result(study: &crate::simulate::Study) -> Result<StudyResult, Error> {
    let analyses = crate::population::run_analyses(study)?;
    Ok(crate::population::case_result(study, &analyses))
}

/// [`population_case_result`], run once per scenario file, text and model variant in this
/// process: the cases of several publications may observe one virtual cohort.
fn population_result(
    path: &Path,
    study: &crate::simulate::Study,
    variant: String,
) -> Result<StudyResult, Error> {
    use std::collections::HashMap;
    use std::hash::{DefaultHasher, Hash, Hasher};
    use std::sync::{Mutex, OnceLock};
    // A hash of the text and variant keeps the entries small: a calibration adds one per
    // objective evaluation, and a cached result is only the cohort's analysis values.
    static DONE: OnceLock<Mutex<HashMap<(PathBuf, u64), StudyResult>>> = OnceLock::new();
    let mut hasher = DefaultHasher::new();
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .hash(&mut hasher);
    variant.hash(&mut hasher);
    let key = (
        path.canonicalize().unwrap_or(path.to_path_buf()),
        hasher.finish(),
    );
    let done = DONE.get_or_init(Default::default);
    if let Some(r) = done.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(r.clone());
    }
    let result = population_case_result(study)?;
    done.lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, result.clone());
    Ok(result)
}

/// Runs a case's scenario (unless every observation is pending) and compares.
pub fn run_case(case: &Case) -> Result<CaseResult, Error> {
    run_case_with(case, &[])
}

/// As [`run_case`], with parameter overrides (catalog units) applied to every arm.
pub fn run_case_with(case: &Case, overrides: &[(String, f64)]) -> Result<CaseResult, Error> {
    run_case_variant(case, overrides, PathwaySwitches::default())
}

/// As [`run_case_with`], with optional pathways switched on as well (a [`hypothesis`]).
pub fn run_case_variant(
    case: &Case,
    overrides: &[(String, f64)],
    pathways: PathwaySwitches,
) -> Result<CaseResult, Error> {
    if case.observations.iter().all(|o| o.pending.is_some()) {
        let observations = case.observations.iter().map(|o| pending(case, o)).collect();
        return Ok(CaseResult {
            case: case.clone(),
            observations,
            study: None,
        });
    }
    let (result, params) = if case.patient {
        let spec = crate::clinical::patient::spec::read_file(&case.scenario_path)?;
        let label = case.scenario_path.display().to_string();
        let person = crate::clinical::patient::Patient::from_spec(&spec, &label)?;
        let sim = crate::clinical::patient::simulate_with(&person, overrides, pathways)?;
        (sim.result, sim.params)
    } else {
        let mut study = scenario::load(&case.scenario_path)?;
        study.switches = study.switches.union(pathways);
        for (name, value) in overrides {
            study.params.set(name, *value, None)?;
            if let Some(pop) = study.population.as_mut() {
                pop.female_params.set(name, *value, None)?;
                pop.male_params.set(name, *value, None)?;
            }
        }
        if study.population.is_some() {
            let variant = format!("{overrides:?} {pathways:?}");
            (
                population_result(&case.scenario_path, &study, variant)?,
                study.params,
            )
        } else {
            (run_study(&study, |_, _| {})?, study.params)
        }
    };
    let observations = case
        .observations
        .iter()
        .map(|o| match o.pending {
            Some(_) => pending(case, o),
            None => compare(case, o, &result, &params),
        })
        .collect();
    Ok(CaseResult {
        case: case.clone(),
        observations,
        study: Some(result),
    })
}

fn pending(case: &Case, o: &Observation) -> ObservationResult {
    ObservationResult {
        case: case.id.clone(),
        id: o.id.clone(),
        simulated: None,
        verdict: Verdict::Pending,
        direction_right: None,
        log_fold_error: None,
        within_range: None,
    }
}

/// Evaluates one observation against a study result.
pub fn compare(
    case: &Case,
    o: &Observation,
    result: &StudyResult,
    params: &ParamSet,
) -> ObservationResult {
    let simulated = o.measure.evaluate(o, result, params);
    let direction_right = o
        .expect
        .map(|d| simulated.is_some_and(|v| d.holds(o.measure.as_change(v), o.none_tolerance)));
    let log_fold_error = match (simulated, o.observed) {
        (Some(s), Some(obs)) if obs != 0.0 && s * obs > 0.0 => Some((s / obs).ln().abs()),
        _ => None,
    };
    let within_range = o
        .range
        .map(|[lo, hi]| simulated.is_some_and(|v| v >= lo && v <= hi));
    let pass =
        simulated.is_some() && direction_right.unwrap_or(true) && within_range.unwrap_or(true);
    ObservationResult {
        case: case.id.clone(),
        id: o.id.clone(),
        simulated,
        verdict: if pass { Verdict::Pass } else { Verdict::Fail },
        direction_right,
        log_fold_error,
        within_range,
    }
}

/// Summary scores over a set of results.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Scores {
    pub observations: usize,
    pub passed: usize,
    pub failed: usize,
    pub pending: usize,
    /// Share of expected directions reproduced.
    pub directions_right: Option<f64>,
    /// Geometric mean fold error over observations with a numeric observed value.
    pub gmfe: Option<f64>,
    /// Share of observations with a range whose simulated value lies within it.
    pub within_tolerance: Option<f64>,
}

pub fn scores<'a>(results: impl IntoIterator<Item = &'a ObservationResult>) -> Scores {
    let results: Vec<&ObservationResult> = results.into_iter().collect();
    let share = |flags: Vec<bool>| {
        (!flags.is_empty())
            .then(|| flags.iter().filter(|f| **f).count() as f64 / flags.len() as f64)
    };
    let folds: Vec<f64> = results.iter().filter_map(|r| r.log_fold_error).collect();
    Scores {
        observations: results.len(),
        passed: results
            .iter()
            .filter(|r| r.verdict == Verdict::Pass)
            .count(),
        failed: results
            .iter()
            .filter(|r| r.verdict == Verdict::Fail)
            .count(),
        pending: results
            .iter()
            .filter(|r| r.verdict == Verdict::Pending)
            .count(),
        directions_right: share(results.iter().filter_map(|r| r.direction_right).collect()),
        gmfe: (!folds.is_empty()).then(|| (folds.iter().sum::<f64>() / folds.len() as f64).exp()),
        within_tolerance: share(results.iter().filter_map(|r| r.within_range).collect()),
    }
}

/// Every failing observation with its case.
fn failing(results: &[CaseResult]) -> impl Iterator<Item = (&Case, &Observation)> {
    results.iter().flat_map(|c| {
        c.case
            .observations
            .iter()
            .zip(&c.observations)
            .filter(|(_, r)| r.verdict == Verdict::Fail)
            .map(move |(o, _)| (&c.case, o))
    })
}

/// Observations that fail without a stated reason (`case/id`): what `--strict` gates on.
pub fn unexplained_failures(results: &[CaseResult]) -> Vec<String> {
    failing(results)
        .filter(|(_, o)| o.known_failure.is_none())
        .map(|(c, o)| format!("{}/{}", c.id, o.id))
        .collect()
}

/// Failing observations grouped by the class of their stated reason, in `FailureClass::ALL`
/// order (classes without failures are kept, with none); those without a reason are left out.
pub fn failures_by_class(
    results: &[CaseResult],
) -> Vec<(FailureClass, Vec<(&Case, &Observation)>)> {
    FailureClass::ALL
        .iter()
        .map(|&class| {
            let of_class = failing(results)
                .filter(|(_, o)| o.failure_class == Some(class))
                .collect();
            (class, of_class)
        })
        .collect()
}
