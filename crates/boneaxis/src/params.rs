//! The parameter catalog: every number the model uses, with its unit, source and kind.
//!
//! The catalog lives in `data/parameters/*.toml` (one file per subsystem) and
//! `data/references.toml` (the citations), embedded in the library at compile time so that the
//! binary needs no files at run time. Each entry:
//!
//! ```toml
//! [[param]]
//! name = "bone.osteoclast_apoptosis_rate"
//! value = 0.7
//! unit = "1/day"
//! species = "all"            # all | rodent | mouse | rat | human (default all)
//! sex = "all"                # all | female | male (default all)
//! source = "pivonka2008"     # a key of data/references.toml
//! kind = "derived"           # measured | derived | calibrated | assumed
//! description = "A_OCa: apoptosis rate of active osteoclasts"
//! bounds = [0.2, 3.0]        # optional: marks a free parameter for calibration
//! note = "..."               # optional
//! ```
//!
//! A missing unit or source, an unknown unit, an unknown citation key, a duplicate entry or an
//! unknown field is a load error. A model asks for a parameter by name and dimension; a missing
//! parameter or a dimension mismatch is an error too.

use crate::error::ParamError;
use crate::species::{Sex, Species};
use crate::units::{Dimension, Unit};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// How a parameter's value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Reported directly by the cited source.
    Measured,
    /// Computed from cited quantities, or adopted from a published calibrated model.
    Derived,
    /// Fitted by `boneaxis calibrate` against the training cases.
    Calibrated,
    /// A modelling assumption; the note says why the value is plausible.
    Assumed,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Measured => "measured",
            Kind::Derived => "derived",
            Kind::Calibrated => "calibrated",
            Kind::Assumed => "assumed",
        }
    }
}

/// Which species an entry applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SpeciesScope {
    #[default]
    All,
    Rodent,
    Mouse,
    Rat,
    Human,
}

impl SpeciesScope {
    fn matches(self, species: Species) -> bool {
        match self {
            SpeciesScope::All => true,
            SpeciesScope::Rodent => species.is_rodent(),
            SpeciesScope::Mouse => species == Species::Mouse,
            SpeciesScope::Rat => species == Species::Rat,
            SpeciesScope::Human => species == Species::Human,
        }
    }

    /// More specific scopes win over broader ones.
    fn specificity(self) -> u8 {
        match self {
            SpeciesScope::All => 0,
            SpeciesScope::Rodent => 1,
            _ => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SexScope {
    #[default]
    All,
    Female,
    Male,
}

impl SexScope {
    fn matches(self, sex: Sex) -> bool {
        match self {
            SexScope::All => true,
            SexScope::Female => sex == Sex::Female,
            SexScope::Male => sex == Sex::Male,
        }
    }
}

/// One catalog entry as written in the data file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    pub value: f64,
    pub unit: String,
    #[serde(default)]
    pub species: SpeciesScope,
    #[serde(default)]
    pub sex: SexScope,
    pub source: String,
    pub kind: Kind,
    pub description: String,
    #[serde(default)]
    pub bounds: Option<[f64; 2]>,
    #[serde(default)]
    pub note: Option<String>,
    /// For a calibrated parameter: the value before fitting, the centre of the fit's prior.
    #[serde(default)]
    pub prior: Option<f64>,
    /// For a calibrated parameter: what it was fitted to, written by `boneaxis calibrate`.
    #[serde(default)]
    pub fit: Option<FitRecord>,
    /// The data file the entry came from (filled in on load).
    #[serde(skip_deserializing)]
    pub file: String,
}

impl Parameter {
    pub fn parsed_unit(&self) -> Unit {
        Unit::parse(&self.unit).expect("units are checked when the catalog loads")
    }
}

/// Provenance of a fitted value.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FitRecord {
    /// Validation cases (`validation/<case>`) the objective was computed over.
    pub cases: Vec<String>,
    /// The objective (see `docs/calibration.md`) and its value at the fitted point.
    pub objective: String,
    pub objective_value: f64,
    pub optimizer: String,
    /// Date of the fit, YYYY-MM-DD.
    pub date: String,
}

/// A citation that `source` keys refer to.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub citation: String,
    #[serde(default)]
    pub doi: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterFile {
    param: Vec<Parameter>,
}

/// The data files compiled into the library.
pub const EMBEDDED_PARAMETER_FILES: &[(&str, &str)] = &[
    (
        "age.toml",
        include_str!("../../../data/parameters/age.toml"),
    ),
    (
        "bone.toml",
        include_str!("../../../data/parameters/bone.toml"),
    ),
    (
        "mood.toml",
        include_str!("../../../data/parameters/mood.toml"),
    ),
    (
        "neuroendocrine.toml",
        include_str!("../../../data/parameters/neuroendocrine.toml"),
    ),
    (
        "serotonin.toml",
        include_str!("../../../data/parameters/serotonin.toml"),
    ),
    (
        "pathways.toml",
        include_str!("../../../data/parameters/pathways.toml"),
    ),
    (
        "pharmacology.toml",
        include_str!("../../../data/parameters/pharmacology.toml"),
    ),
    (
        "clinical.toml",
        include_str!("../../../data/parameters/clinical.toml"),
    ),
];
pub const EMBEDDED_REFERENCES: &str = include_str!("../../../data/references.toml");

/// The whole catalog, for all species.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub params: Vec<Parameter>,
    pub references: BTreeMap<String, Reference>,
}

impl Catalog {
    /// The catalog shipped with the library.
    pub fn embedded() -> Result<Catalog, ParamError> {
        Catalog::from_sources(EMBEDDED_PARAMETER_FILES, EMBEDDED_REFERENCES)
    }

    pub fn from_sources(files: &[(&str, &str)], references: &str) -> Result<Catalog, ParamError> {
        let references: BTreeMap<String, Reference> =
            toml::from_str(references).map_err(|e| ParamError {
                name: "<references>".into(),
                location: Some("data/references.toml".into()),
                message: e.to_string(),
            })?;
        let mut params = Vec::new();
        for (file, text) in files {
            let parsed: ParameterFile = toml::from_str(text).map_err(|e| ParamError {
                name: "<file>".into(),
                location: Some(format!("data/parameters/{file}")),
                message: e.to_string(),
            })?;
            for mut p in parsed.param {
                p.file = format!("data/parameters/{file}");
                params.push(p);
            }
        }
        let catalog = Catalog { params, references };
        catalog.check()?;
        Ok(catalog)
    }

    fn check(&self) -> Result<(), ParamError> {
        let mut seen = BTreeSet::new();
        for p in &self.params {
            let err = |message: String| ParamError {
                name: p.name.clone(),
                location: Some(p.file.clone()),
                message,
            };
            if p.unit.trim().is_empty() {
                return Err(err("has no unit".into()));
            }
            Unit::parse(&p.unit).map_err(err)?;
            if p.source.trim().is_empty() {
                return Err(err("has no source".into()));
            }
            if !self.references.contains_key(&p.source) {
                return Err(err(format!(
                    "source `{}` is not a key of data/references.toml",
                    p.source
                )));
            }
            if !p.value.is_finite() || p.value < 0.0 {
                return Err(err("value must be a finite, non-negative number".into()));
            }
            if let Some([lo, hi]) = p.bounds {
                if !(lo < hi && lo <= p.value && p.value <= hi) {
                    return Err(err(format!(
                        "bounds [{lo}, {hi}] must be increasing and contain the value {}",
                        p.value
                    )));
                }
            }
            if p.kind == Kind::Calibrated && (p.bounds.is_none() || p.fit.is_none()) {
                return Err(err(
                    "a calibrated parameter needs bounds and a `fit` record (run `boneaxis calibrate`)"
                        .into(),
                ));
            }
            let key = (p.name.clone(), format!("{:?}/{:?}", p.species, p.sex));
            if !seen.insert(key) {
                return Err(err("is defined twice for the same species and sex".into()));
            }
        }
        Ok(())
    }

    /// Names of all parameters in the catalog.
    pub fn names(&self) -> BTreeSet<&str> {
        self.params.iter().map(|p| p.name.as_str()).collect()
    }

    /// The entry that applies to this species and sex (the most specific one).
    pub fn entry(&self, name: &str, species: Species, sex: Sex) -> Option<&Parameter> {
        self.params
            .iter()
            .filter(|p| p.name == name && p.species.matches(species) && p.sex.matches(sex))
            .max_by_key(|p| (p.species.specificity(), p.sex != SexScope::All))
    }

    /// The entry of a parameter written for exactly this species (not a shared one).
    pub fn species_entry(&self, name: &str, species: Species) -> Option<&Parameter> {
        let scope = match species {
            Species::Mouse => SpeciesScope::Mouse,
            Species::Rat => SpeciesScope::Rat,
            Species::Human => SpeciesScope::Human,
        };
        self.params
            .iter()
            .find(|p| p.name == name && p.species == scope)
    }

    /// The entries that apply to one species and sex, sorted by name.
    pub fn entries_for(&self, species: Species, sex: Sex) -> Vec<&Parameter> {
        self.names()
            .into_iter()
            .filter_map(|name| self.entry(name, species, sex))
            .collect()
    }

    /// Counts of entries by kind (each entry counted once, whatever its species).
    pub fn count_by_kind(&self) -> BTreeMap<Kind, usize> {
        let mut counts = BTreeMap::new();
        for p in &self.params {
            *counts.entry(p.kind).or_insert(0) += 1;
        }
        counts
    }

    /// Resolves the catalog for one individual: canonical values by name.
    pub fn resolve(&self, species: Species, sex: Sex) -> ParamSet {
        let values = self
            .entries_for(species, sex)
            .into_iter()
            .map(|p| {
                let unit = p.parsed_unit();
                (
                    p.name.clone(),
                    Resolved {
                        value: unit.to_canonical(p.value),
                        unit,
                        range: override_range(p, unit),
                    },
                )
            })
            .collect();
        ParamSet {
            values,
            reads: RefCell::new(BTreeSet::new()),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Resolved {
    value: f64,
    unit: Unit,
    /// Allowed range of overrides, canonical units.
    range: (f64, f64),
}

/// The range an override of this entry may take: its bounds when it has them; otherwise
/// non-negative, strictly positive for a dimensioned quantity whose catalog value is positive
/// (rates, times, volumes, affinities), and at most 1 for shares and fractions.
fn override_range(p: &Parameter, unit: Unit) -> (f64, f64) {
    if let Some([lo, hi]) = p.bounds {
        return (unit.to_canonical(lo), unit.to_canonical(hi));
    }
    let positive = p.value > 0.0 && unit.dimension != Dimension::Dimensionless;
    let lo = if positive { f64::MIN_POSITIVE } else { 0.0 };
    let is_fraction = ["share", "fraction", "bioavailability"]
        .iter()
        .any(|w| p.name.contains(w));
    let hi = if is_fraction { 1.0 } else { f64::MAX };
    (lo, hi)
}

/// An override value (canonical units), if it is finite and within the entry's range.
fn checked(name: &str, resolved: &Resolved, value: f64) -> Result<f64, ParamError> {
    let (lo, hi) = resolved.range;
    if value.is_finite() && value >= lo && value <= hi {
        return Ok(value);
    }
    let unit = resolved.unit;
    let show = |v: f64| {
        if v == f64::MAX {
            "no upper limit".to_string()
        } else if v == f64::MIN_POSITIVE {
            "above 0".to_string()
        } else {
            format!("{}", unit.from_canonical(v))
        }
    };
    Err(ParamError::new(
        name,
        format!(
            "override {} is outside the allowed range [{}, {}] (catalog unit)",
            unit.from_canonical(value),
            show(lo),
            show(hi)
        ),
    ))
}

/// Canonical parameter values for one species and sex, with user overrides applied.
#[derive(Debug, Clone)]
pub struct ParamSet {
    values: BTreeMap<String, Resolved>,
    reads: RefCell<BTreeSet<String>>,
}

/// Where the model's parameter structs read their values: a [`ParamSet`] gives numbers,
/// [`TracedParams`] gives named symbols, so the same `from_params` serves simulation and export.
pub trait ParamSource<R> {
    /// The canonical value of a parameter, checked against the dimension the model expects.
    fn get(&self, name: &str, dimension: Dimension) -> Result<R, ParamError>;

    fn get1(&self, name: &str) -> Result<R, ParamError> {
        self.get(name, Dimension::Dimensionless)
    }

    /// Whether the catalog has this parameter for the species and sex (for optional entries,
    /// such as a measurement that exists for some drugs only).
    fn has(&self, name: &str) -> bool;
}

impl ParamSource<f64> for ParamSet {
    fn get(&self, name: &str, dimension: Dimension) -> Result<f64, ParamError> {
        ParamSet::get(self, name, dimension)
    }

    fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }
}

/// A parameter set read as named symbols (`Expr::parameter`) carrying their canonical values.
#[derive(Debug, Clone, Copy)]
pub struct TracedParams<'a>(pub &'a ParamSet);

impl ParamSource<crate::symbolic::Expr> for TracedParams<'_> {
    fn get(&self, name: &str, dimension: Dimension) -> Result<crate::symbolic::Expr, ParamError> {
        let value = self.0.get(name, dimension)?;
        Ok(crate::symbolic::Expr::parameter(name, value))
    }

    fn has(&self, name: &str) -> bool {
        self.0.values.contains_key(name)
    }
}

impl ParamSet {
    /// The canonical value of a parameter, checked against the dimension the model expects.
    pub fn get(&self, name: &str, dimension: Dimension) -> Result<f64, ParamError> {
        let resolved = self.values.get(name).ok_or_else(|| {
            ParamError::new(name, "is not in the catalog for this species and sex")
        })?;
        if resolved.unit.dimension != dimension {
            return Err(ParamError::new(
                name,
                format!(
                    "has a unit of dimension {}, the model expects {dimension}",
                    resolved.unit.dimension
                ),
            ));
        }
        self.reads.borrow_mut().insert(name.to_string());
        Ok(resolved.value)
    }

    /// The value in a given unit (of the parameter's dimension), for comparisons with sources.
    pub fn value_in(&self, name: &str, unit: &str) -> Result<f64, ParamError> {
        let resolved = self.values.get(name).ok_or_else(|| {
            ParamError::new(name, "is not in the catalog for this species and sex")
        })?;
        let unit =
            Unit::parse_as(unit, resolved.unit.dimension).map_err(|m| ParamError::new(name, m))?;
        Ok(unit.from_canonical(resolved.value))
    }

    /// A dimensionless parameter.
    pub fn get1(&self, name: &str) -> Result<f64, ParamError> {
        self.get(name, Dimension::Dimensionless)
    }

    /// Replaces a value; `value` is in the catalog entry's own unit unless `unit` is given.
    pub fn set(&mut self, name: &str, value: f64, unit: Option<&str>) -> Result<(), ParamError> {
        let resolved = self.values.get_mut(name).ok_or_else(|| {
            ParamError::new(
                name,
                "is not a parameter of this species and sex (see `boneaxis params`)",
            )
        })?;
        let unit = match unit {
            Some(symbol) => Unit::parse_as(symbol, resolved.unit.dimension)
                .map_err(|m| ParamError::new(name, m))?,
            None => resolved.unit,
        };
        resolved.value = checked(name, resolved, unit.to_canonical(value))?;
        Ok(())
    }

    /// Replaces a value given as a quantity with its own unit (checked against the entry).
    pub fn set_quantity(
        &mut self,
        name: &str,
        q: crate::units::Quantity,
    ) -> Result<(), ParamError> {
        let resolved = self.values.get_mut(name).ok_or_else(|| {
            ParamError::new(
                name,
                "is not a parameter of this species and sex (see `boneaxis params`)",
            )
        })?;
        if q.unit.dimension != resolved.unit.dimension {
            return Err(ParamError::new(
                name,
                format!(
                    "is a {}, not a {}",
                    resolved.unit.dimension, q.unit.dimension
                ),
            ));
        }
        resolved.value = checked(name, resolved, q.canonical())?;
        Ok(())
    }

    /// The current value in the catalog entry's own unit.
    pub fn catalog_value(&self, name: &str) -> Option<f64> {
        self.values
            .get(name)
            .map(|r| r.unit.from_canonical(r.value))
    }

    /// The range an override may take, in the catalog entry's own unit.
    pub fn allowed_range(&self, name: &str) -> Option<[f64; 2]> {
        self.values.get(name).map(|r| {
            [
                r.unit.from_canonical(r.range.0),
                r.unit.from_canonical(r.range.1),
            ]
        })
    }

    /// The unit symbol the catalog gives this parameter in.
    pub fn dimension(&self, name: &str) -> Option<Dimension> {
        self.values.get(name).map(|r| r.unit.dimension)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// Parameters that no model code has read so far (used by tests to find dead entries).
    pub fn unread(&self) -> Vec<String> {
        let reads = self.reads.borrow();
        self.values
            .keys()
            .filter(|k| !reads.contains(*k))
            .cloned()
            .collect()
    }
}

/// The catalog as a Markdown document (docs/parameters.md): counts by kind, then every entry.
pub fn markdown_report(catalog: &Catalog) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "# Parameters\n");
    let _ = writeln!(
        out,
        "Generated by `boneaxis params --format markdown` from `data/parameters/*.toml`; do not edit by hand.\n"
    );
    let counts = catalog.count_by_kind();
    let total: usize = counts.values().sum();
    let _ = writeln!(
        out,
        "{total} catalog entries (an entry may be specific to a species or sex):\n"
    );
    let _ = writeln!(out, "| kind | entries | meaning |\n|---|---|---|");
    for (kind, meaning) in [
        (Kind::Measured, "reported directly by the cited source"),
        (
            Kind::Derived,
            "computed from cited quantities, or a published model's value",
        ),
        (
            Kind::Calibrated,
            "fitted by `boneaxis calibrate` against the training cases",
        ),
        (
            Kind::Assumed,
            "a modelling assumption, explained in the note",
        ),
    ] {
        let _ = writeln!(
            out,
            "| {} | {} | {meaning} |",
            kind.name(),
            counts.get(&kind).copied().unwrap_or(0)
        );
    }
    let free = catalog.params.iter().filter(|p| p.bounds.is_some()).count();
    let _ = writeln!(
        out,
        "\n{free} entries have bounds: they are the free parameters calibration will fit.\n"
    );
    let mut files: Vec<&str> = catalog.params.iter().map(|p| p.file.as_str()).collect();
    files.dedup();
    for file in files {
        let _ = writeln!(out, "## `{file}`\n");
        let _ = writeln!(out, "| name | species | sex | value | unit | kind | source | description |\n|---|---|---|---|---|---|---|---|");
        for p in catalog.params.iter().filter(|p| p.file == file) {
            let scope = |s: String| s.to_lowercase();
            let fit = p
                .fit
                .as_ref()
                .map(|f| {
                    format!(
                        " — fitted {} to {} training cases (prior {}, objective {}; see docs/calibration.md)",
                        f.date,
                        f.cases.len(),
                        p.prior.map_or("–".into(), |v| v.to_string()),
                        f.objective_value
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} | {}{}{fit} |",
                p.name,
                scope(format!("{:?}", p.species)),
                scope(format!("{:?}", p.sex)),
                p.value,
                p.unit,
                p.kind.name(),
                p.source,
                p.description.replace('|', "/"),
                p.note
                    .as_ref()
                    .map(|n| format!(" — {}", n.replace('|', "/")))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "## References\n");
    for (key, r) in &catalog.references {
        let doi = r
            .doi
            .as_ref()
            .map(|d| format!(" doi:{d}"))
            .unwrap_or_default();
        let note = r
            .note
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let _ = writeln!(out, "- `{key}`: {}{doi}{note}", r.citation);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFS: &str = "[src]\ncitation = \"A source\"\n";

    fn load(text: &str) -> Result<Catalog, ParamError> {
        Catalog::from_sources(&[("t.toml", text)], REFS)
    }

    #[test]
    fn missing_unit_is_a_load_error() {
        let err =
            load("[[param]]\nname='a'\nvalue=1.0\nsource='src'\nkind='assumed'\ndescription='x'\n")
                .unwrap_err();
        assert!(err.message.contains("unit"), "{err}");
    }

    #[test]
    fn unknown_source_is_a_load_error() {
        let err = load("[[param]]\nname='a'\nvalue=1.0\nunit='1'\nsource='nope'\nkind='assumed'\ndescription='x'\n")
            .unwrap_err();
        assert!(err.message.contains("references"), "{err}");
    }

    #[test]
    fn specific_species_entries_win() {
        let cat = load(
            "[[param]]\nname='a'\nvalue=1.0\nunit='1/h'\nsource='src'\nkind='assumed'\ndescription='x'\n\
             [[param]]\nname='a'\nvalue=2.0\nunit='1/day'\nspecies='mouse'\nsource='src'\nkind='assumed'\ndescription='x'\n",
        )
        .unwrap();
        let human = cat.resolve(Species::Human, Sex::Male);
        assert_eq!(human.get("a", Dimension::Rate).unwrap(), 24.0);
        let mouse = cat.resolve(Species::Mouse, Sex::Male);
        assert_eq!(mouse.get("a", Dimension::Rate).unwrap(), 2.0);
        assert!(mouse.get("a", Dimension::Time).is_err());
    }

    #[test]
    fn overrides_use_the_catalog_unit() {
        let cat = load("[[param]]\nname='a'\nvalue=1.0\nunit='1/h'\nsource='src'\nkind='assumed'\ndescription='x'\n").unwrap();
        let mut set = cat.resolve(Species::Human, Sex::Male);
        set.set("a", 2.0, None).unwrap();
        assert_eq!(set.get("a", Dimension::Rate).unwrap(), 48.0);
        set.set("a", 2.0, Some("1/day")).unwrap();
        assert_eq!(set.get("a", Dimension::Rate).unwrap(), 2.0);
        assert!(set.set("b", 1.0, None).is_err());
        // A positive rate may not be set to zero, negative or infinite values.
        for bad in [0.0, -1.0, f64::INFINITY] {
            assert!(set.set("a", bad, None).is_err(), "{bad} accepted");
        }
        assert!(
            set.set("a", 1e308, Some("1/h")).is_err(),
            "overflow after conversion"
        );
    }

    #[test]
    fn embedded_catalog_loads() {
        let cat = Catalog::embedded().unwrap();
        assert!(cat.params.len() > 50);
    }
}
