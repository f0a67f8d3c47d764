//! One person's description, as given on the command line or in a small TOML file, and its
//! validation: every field is checked against its allowed range with a message naming it.

use crate::error::Error;
use crate::physiology::pharmacology::Drug;
use crate::units::{Dimension, Quantity};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PatientSpec {
    /// Years.
    pub age: f64,
    /// "female" or "male".
    pub sex: String,
    /// kg/m².
    #[serde(default)]
    pub bmi: Option<f64>,
    /// Femoral-neck T-score (NHANES III young white women).
    #[serde(default)]
    pub t_score: Option<f64>,
    /// Femoral-neck areal BMD, g/cm² (instead of a T-score).
    #[serde(default)]
    pub femoral_neck_bmd: Option<f64>,
    /// Horizon of the projection, years.
    #[serde(default = "default_years")]
    pub years: f64,
    /// Cigarettes per day.
    #[serde(default)]
    pub smoking: f64,
    /// Units of alcohol per day.
    #[serde(default)]
    pub alcohol: f64,
    /// Oral glucocorticoids, mg/day prednisolone equivalent.
    #[serde(default)]
    pub glucocorticoids: f64,
    #[serde(default)]
    pub depression: Option<DepressionSpec>,
    #[serde(default)]
    pub drug: Option<DrugSpec>,
    /// Alternatives to compare: other drugs, or `stop`.
    #[serde(default)]
    pub alternative: Vec<DrugSpec>,
}

fn default_years() -> f64 {
    10.0
}

impl PatientSpec {
    /// A person of this age and sex with the defaults of every other field (no BMD measured,
    /// ten years, no habits, depression or drugs).
    pub fn new(age: f64, sex: &str) -> PatientSpec {
        PatientSpec {
            age,
            sex: sex.to_string(),
            bmi: None,
            t_score: None,
            femoral_neck_bmd: None,
            years: default_years(),
            smoking: 0.0,
            alcohol: 0.0,
            glucocorticoids: 0.0,
            depression: None,
            drug: None,
            alternative: vec![],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DepressionSpec {
    /// 0 (none) to 1 (severe).
    pub severity: f64,
    /// How long the episode has lasted already, years.
    #[serde(default)]
    pub years: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DrugSpec {
    /// A medicine, or `stop` (an alternative only).
    pub name: String,
    /// Daily dose, e.g. "50 mg".
    #[serde(default)]
    pub dose: Option<String>,
    /// Start relative to now, e.g. "-2 years" (already taking) or "0 days" (default).
    #[serde(default)]
    pub start: Option<String>,
}

/// The allowed range of every numeric field of a patient description: (field, low, high, unit).
/// The checks and the web API's schema both read it.
pub const FIELD_RANGES: &[(&str, f64, f64, &str)] = &[
    ("age", 40.0, 90.0, "years"),
    ("t_score", -5.0, 3.0, "SD"),
    ("femoral_neck_bmd", 0.3, 1.3, "g/cm^2"),
    ("years", 1.0, 20.0, "years"),
    ("depression.severity", 0.0, 1.0, "(0 none, 1 severe)"),
    ("depression.years", 0.0, 20.0, "years"),
    ("bmi", 15.0, 45.0, "kg/m^2"),
    ("smoking", 0.0, 80.0, "cigarettes/day"),
    ("alcohol", 0.0, 30.0, "units/day"),
    ("glucocorticoids", 0.0, 100.0, "mg/day prednisolone"),
];

/// Medicines `boneaxis patient` accepts and their daily dose range, mg/day: the labelled
/// range of `../shared/brief/literature.md` C1, down to a quarter of the lowest usual dose.
pub const MEDICINES: &[(Drug, f64, f64)] = &[
    (Drug::Fluoxetine, 5.0, 80.0),
    (Drug::Sertraline, 12.5, 200.0),
    (Drug::Paroxetine, 5.0, 60.0),
    (Drug::Citalopram, 5.0, 40.0),
    (Drug::Escitalopram, 2.5, 20.0),
    (Drug::Imipramine, 10.0, 300.0),
    (Drug::Propranolol, 10.0, 320.0),
];

/// A validated course of a medicine (dose in mg/day, start in days relative to now).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Course {
    pub drug: Drug,
    pub mg_per_day: f64,
    pub start_days: f64,
}

/// An alternative: another course from now (or from the planned start), or stopping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Alternative {
    Switch(Course),
    Stop,
}

pub struct Checker<'a> {
    pub source: &'a str,
}

impl Checker<'_> {
    pub fn error(&self, field: &str, message: impl Into<String>) -> Error {
        Error::Patient {
            source_name: self.source.to_string(),
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// Checks a field against its range in [`FIELD_RANGES`].
    pub fn field(&self, field: &str, value: f64) -> Result<f64, Error> {
        match FIELD_RANGES.iter().find(|r| r.0 == field) {
            Some(&(_, lo, hi, unit)) => self.range(field, value, lo, hi, unit),
            None => Err(self.error(field, "has no documented range (a bug in boneaxis)")),
        }
    }

    pub fn range(
        &self,
        field: &str,
        value: f64,
        lo: f64,
        hi: f64,
        unit: &str,
    ) -> Result<f64, Error> {
        if !value.is_finite() || value < lo || value > hi {
            return Err(self.error(
                field,
                format!("{value} is outside the allowed range {lo} to {hi} {unit}"),
            ));
        }
        Ok(value)
    }

    /// A time such as "-2 years" in days.
    pub fn time(&self, field: &str, text: &str) -> Result<f64, Error> {
        Quantity::parse_canonical(text, Dimension::Time)
            .map_err(|m| self.error(field, format!("{m}; expected e.g. \"-2 years\"")))
    }

    pub fn course(&self, field: &str, d: &DrugSpec) -> Result<Course, Error> {
        let names: Vec<&str> = MEDICINES.iter().map(|m| m.0.key()).collect();
        let Some(&(drug, lo, hi)) = MEDICINES
            .iter()
            .find(|m| m.0.key() == d.name.trim().to_lowercase())
        else {
            return Err(self.error(
                &format!("{field}.name"),
                format!(
                    "unknown medicine `{}`; expected one of {}",
                    d.name,
                    names.join(", ")
                ),
            ));
        };
        let dose_field = format!("{field}.dose");
        let text = d.dose.as_deref().ok_or_else(|| {
            self.error(&dose_field, "missing; give the daily dose, e.g. \"50 mg\"")
        })?;
        let mg = Quantity::parse_canonical(text, Dimension::Mass).map_err(|m| {
            self.error(
                &dose_field,
                format!("{m}; expected a daily dose such as \"50 mg\""),
            )
        })?;
        let mg = self.range(
            &dose_field,
            mg,
            lo,
            hi,
            &format!("mg/day for {}", drug.key()),
        )?;
        let start_days = match &d.start {
            Some(s) => self.time(&format!("{field}.start"), s)?,
            None => 0.0,
        };
        Ok(Course {
            drug,
            mg_per_day: mg,
            start_days,
        })
    }
}

/// Reads a patient file (TOML); a syntax error or an unknown field names the line and the key.
pub fn read_file(path: &Path) -> Result<PatientSpec, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    toml::from_str(&text).map_err(|e| {
        let (line, field) = match e.span() {
            Some(span) => {
                let line = text[..span.start].matches('\n').count() + 1;
                let line_text = text.lines().nth(line - 1).unwrap_or_default();
                let key = line_text
                    .split('=')
                    .next()
                    .map(|k| k.trim().trim_matches(['[', ']']).to_string())
                    .filter(|k| !k.is_empty())
                    .unwrap_or_else(|| "(file)".into());
                (format!(":{line}"), key)
            }
            None => (String::new(), "(file)".into()),
        };
        Error::Patient {
            source_name: format!("{}{line}", path.display()),
            field,
            message: e.message().to_string(),
        }
    })
}
