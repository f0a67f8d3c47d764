//! A validated person: every field of a [`PatientSpec`] checked against its allowed range.

use super::spec::{Alternative, Checker, Course, PatientSpec};
use crate::error::Error;
use crate::species::Sex;
use crate::units::days_per_year;

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
        let age = c.field("age", s.age)?;
        let sex = match s.sex.trim().to_lowercase().as_str() {
            "female" | "f" | "woman" => Sex::Female,
            "male" | "m" | "man" => Sex::Male,
            other => return Err(c.error("sex", format!("`{other}`; expected female or male"))),
        };
        let measured = match (s.t_score, s.femoral_neck_bmd) {
            (Some(_), Some(_)) => {
                return Err(c.error("t_score", "give a T-score or a femoral-neck BMD, not both"))
            }
            (Some(t), None) => MeasuredBmd::TScore(c.field("t_score", t)?),
            (None, Some(b)) => MeasuredBmd::FemoralNeck(c.field("femoral_neck_bmd", b)?),
            (None, None) => MeasuredBmd::None,
        };
        let years = c.field("years", s.years)?;
        c.range(
            "years",
            age + years,
            40.0,
            100.0,
            "years of age at the end (age + years)",
        )?;
        let (depression_severity, depression_years) = match &s.depression {
            Some(d) => (
                c.field("depression.severity", d.severity)?,
                c.field("depression.years", d.years)?,
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
            bmi: s.bmi.map(|b| c.field("bmi", b)).transpose()?,
            measured,
            years,
            cigarettes_per_day: c.field("smoking", s.smoking)?,
            alcohol_units_per_day: c.field("alcohol", s.alcohol)?,
            glucocorticoid_mg_per_day: c.field("glucocorticoids", s.glucocorticoids)?,
            depression_severity,
            depression_years,
            drug,
            alternatives,
        })
    }
}
