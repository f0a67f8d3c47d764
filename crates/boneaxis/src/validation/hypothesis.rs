//! Hypotheses: the change to the model that one side of a contradiction would need.
//!
//! Where published findings disagree (the brief lists the contradictions), the default model
//! follows one side and the other side fails. A hypothesis in `validation/hypotheses.toml` names
//! the change that the other side would need (optional pathways switched on, parameters set to
//! other values) and the study it comes from. `boneaxis validate --report` reruns every case of
//! the hypothesis' species under it and reports what it buys (observations that fail by default
//! and pass under it) and what it costs (observations that pass by default and fail under it).
//! The default verdicts do not change: a hypothesis is evidence about the contradiction, not a
//! second chance for a case. The parameters are not refitted under a hypothesis.

use super::{run_case_variant, CaseResult, Verdict};
use crate::error::{Error, ScenarioError};
use crate::params::Catalog;
use crate::physiology::pathways::PathwaySwitches;
use crate::species::{Sex, Species};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One alternative to the default model.
#[derive(Debug, Clone, PartialEq)]
pub struct Hypothesis {
    /// A short name, `snake_case`.
    pub id: String,
    /// What the hypothesis says, in a sentence.
    pub claim: String,
    /// The studies it comes from.
    pub source: String,
    /// The species whose cases are rerun.
    pub species: Vec<Species>,
    pub pathways: PathwaySwitches,
    /// The pathways as written, for the report.
    pub pathway_names: Vec<String>,
    /// Parameter values (catalog units), as written.
    pub parameters: Vec<(String, f64)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HypothesesFile {
    #[serde(default)]
    hypothesis: Vec<HypothesisFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HypothesisFile {
    id: String,
    claim: String,
    source: String,
    species: Vec<String>,
    #[serde(default)]
    pathways: Vec<String>,
    #[serde(default)]
    parameters: BTreeMap<String, f64>,
}

/// Reads `hypotheses.toml`; a missing file means no hypotheses.
pub fn load(path: &Path) -> Result<Vec<Hypothesis>, Error> {
    let label = path.display().to_string();
    let err = |field: String, message: String| -> Error {
        ScenarioError {
            file: label.clone(),
            line: None,
            column: None,
            field,
            message,
        }
        .into()
    };
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| err(String::new(), format!("cannot read the file: {e}")))?;
    let raw: HypothesesFile =
        toml::from_str(&text).map_err(|e| err(String::new(), e.message().to_string()))?;
    let catalog = Catalog::embedded()?;
    let mut out: Vec<Hypothesis> = Vec::new();
    for (i, h) in raw.hypothesis.into_iter().enumerate() {
        let field = |f: &str| format!("hypothesis[{i}].{f}");
        if out.iter().any(|o| o.id == h.id) {
            return Err(err(field("id"), format!("`{}` is used twice", h.id)));
        }
        if h.pathways.is_empty() && h.parameters.is_empty() {
            return Err(err(
                field("pathways"),
                "a hypothesis changes the model: give pathways, parameters or both".into(),
            ));
        }
        let species = h
            .species
            .iter()
            .map(|s| {
                Species::ALL
                    .into_iter()
                    .find(|x| x.name() == s)
                    .ok_or_else(|| {
                        err(
                            field("species"),
                            format!("unknown species `{s}` (mouse, rat, human)"),
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if species.is_empty() {
            return Err(err(field("species"), "name at least one species".into()));
        }
        let mut pathways = PathwaySwitches::default();
        for (k, name) in h.pathways.iter().enumerate() {
            pathways
                .enable(name)
                .map_err(|m| err(format!("hypothesis[{i}].pathways[{k}]"), m))?;
        }
        for (name, value) in &h.parameters {
            for &s in &species {
                catalog
                    .resolve(s, Sex::Female)
                    .set(name, *value, None)
                    .map_err(|e| {
                        err(
                            format!("hypothesis[{i}].parameters.\"{name}\""),
                            format!("{} ({}): {}", e.name, s.name(), e.message),
                        )
                    })?;
            }
        }
        out.push(Hypothesis {
            id: h.id,
            claim: h.claim,
            source: h.source,
            species,
            pathways,
            pathway_names: h.pathways,
            parameters: h.parameters.into_iter().collect(),
        });
    }
    Ok(out)
}

/// An observation whose verdict a hypothesis turns round.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Flip {
    pub case: String,
    pub id: String,
    pub default: Option<f64>,
    pub under: Option<f64>,
    /// Passes under the hypothesis (fails by default); otherwise the reverse.
    pub gained: bool,
}

/// What a hypothesis does to the cases of its species.
#[derive(Debug, Clone)]
pub struct HypothesisResult {
    pub hypothesis: Hypothesis,
    /// Observations rerun (pending ones excluded).
    pub observations: usize,
    pub passing_default: usize,
    pub passing_under: usize,
    pub flips: Vec<Flip>,
}

impl HypothesisResult {
    pub fn gained(&self) -> impl Iterator<Item = &Flip> {
        self.flips.iter().filter(|f| f.gained)
    }

    pub fn lost(&self) -> impl Iterator<Item = &Flip> {
        self.flips.iter().filter(|f| !f.gained)
    }
}

/// The default results a hypothesis reruns: its species' cases that ran.
pub fn cases<'a>(h: &Hypothesis, defaults: &'a [CaseResult]) -> Vec<&'a CaseResult> {
    defaults
        .iter()
        .filter(|c| h.species.contains(&c.case.species) && c.study.is_some())
        .collect()
}

/// Reruns the cases of the hypothesis' species (given with their default results) under it;
/// `on_case` is called as each case finishes.
pub fn run(
    h: &Hypothesis,
    defaults: &[CaseResult],
    on_case: &(dyn Fn() + Sync),
) -> Result<HypothesisResult, Error> {
    let chosen = cases(h, defaults);
    let under: Vec<CaseResult> = chosen
        .par_iter()
        .map(|c| {
            let r = run_case_variant(&c.case, &h.parameters, h.pathways);
            on_case();
            r
        })
        .collect::<Result<_, _>>()?;
    let mut result = HypothesisResult {
        hypothesis: h.clone(),
        observations: 0,
        passing_default: 0,
        passing_under: 0,
        flips: Vec::new(),
    };
    for (d, u) in chosen.iter().zip(&under) {
        for (a, b) in d.observations.iter().zip(&u.observations) {
            if a.verdict == Verdict::Pending {
                continue;
            }
            result.observations += 1;
            let (was, is) = (a.verdict == Verdict::Pass, b.verdict == Verdict::Pass);
            result.passing_default += usize::from(was);
            result.passing_under += usize::from(is);
            if was != is {
                result.flips.push(Flip {
                    case: a.case.clone(),
                    id: a.id.clone(),
                    default: a.simulated,
                    under: b.simulated,
                    gained: is,
                });
            }
        }
    }
    Ok(result)
}
