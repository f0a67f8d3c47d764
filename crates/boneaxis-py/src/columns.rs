//! Results as columns for pandas: numbers as numpy arrays, strings as categorical codes plus
//! their categories, so no Python object is made per row.

use boneaxis::population::sample::Subject;
use boneaxis::population::Population;
use boneaxis::simulate::StudyResult;
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A categorical column under construction.
#[derive(Default)]
struct Codes {
    codes: Vec<u32>,
    categories: Vec<String>,
}

impl Codes {
    fn code(&mut self, text: &str) -> u32 {
        match self.categories.iter().position(|c| c == text) {
            Some(k) => k as u32,
            None => {
                self.categories.push(text.to_string());
                (self.categories.len() - 1) as u32
            }
        }
    }

    fn into_py<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("codes", self.codes.into_pyarray(py))?;
        d.set_item("categories", self.categories)?;
        Ok(d)
    }
}

/// Long-format rows: arm by arm, time by time, readout by readout (as the CSV outputs).
#[derive(Default)]
pub struct Long {
    subject: Vec<u64>,
    arm: Codes,
    time: Vec<f64>,
    variable: Codes,
    units: Vec<String>,
    value: Vec<f64>,
}

impl Long {
    /// Appends one run; `subject` is set for populations.
    pub fn add(&mut self, subject: Option<usize>, r: &StudyResult) {
        let codes: Vec<u32> = r
            .readouts
            .iter()
            .map(|info| {
                let k = self.variable.code(&info.name);
                if k as usize == self.units.len() {
                    self.units.push(info.unit.clone());
                }
                k
            })
            .collect();
        for arm in &r.arms {
            let a = self.arm.code(&arm.name);
            for (i, t) in arm.times.iter().enumerate() {
                for (k, code) in codes.iter().enumerate() {
                    if let Some(s) = subject {
                        self.subject.push(s as u64);
                    }
                    self.arm.codes.push(a);
                    self.time.push(*t);
                    self.variable.codes.push(*code);
                    self.value.push(arm.values[k][i]);
                }
            }
        }
    }

    pub fn into_py<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        if !self.subject.is_empty() {
            d.set_item("subject", self.subject.into_pyarray(py))?;
        }
        d.set_item("arm", self.arm.into_py(py)?)?;
        d.set_item("time", self.time.into_pyarray(py))?;
        d.set_item("variable", self.variable.into_py(py)?)?;
        d.set_item("units", self.units)?;
        d.set_item("value", self.value.into_pyarray(py))?;
        Ok(d)
    }
}

/// One row per subject: covariates and the values of the variable parameters.
pub struct Subjects {
    names: Vec<String>,
    index: Vec<u64>,
    female: Vec<bool>,
    age: Vec<f64>,
    postmenopausal: Vec<bool>,
    depression: Vec<f64>,
    cigarettes: Vec<f64>,
    alcohol: Vec<f64>,
    drug_adherence: Vec<f64>,
    /// NaN where the population draws no BMI.
    bmi: Vec<f64>,
    /// 0 without an episode; NaN where the population draws no durations.
    depression_years: Vec<f64>,
    durations: bool,
    parameters: Vec<Vec<f64>>,
}

impl Subjects {
    pub fn new(pop: &Population) -> Subjects {
        Subjects {
            names: pop
                .variability
                .iter()
                .map(|v| v.parameter.clone())
                .collect(),
            index: vec![],
            female: vec![],
            age: vec![],
            postmenopausal: vec![],
            depression: vec![],
            cigarettes: vec![],
            alcohol: vec![],
            drug_adherence: vec![],
            bmi: vec![],
            depression_years: vec![],
            durations: pop
                .depression
                .as_ref()
                .is_some_and(|t| t.duration.is_some()),
            parameters: vec![vec![]; pop.variability.len()],
        }
    }

    pub fn add(&mut self, s: &Subject) {
        self.index.push(s.index as u64);
        self.female.push(s.sex == boneaxis::species::Sex::Female);
        self.age.push(s.age);
        self.postmenopausal.push(s.postmenopausal);
        self.depression.push(s.depression);
        self.cigarettes.push(s.cigarettes_per_day);
        self.alcohol.push(s.alcohol_units_per_day);
        self.drug_adherence.push(s.drug_adherence);
        self.bmi.push(s.bmi.unwrap_or(f64::NAN));
        self.depression_years
            .push(match (self.durations, s.depression_years) {
                (false, _) => f64::NAN,
                (true, years) => years.unwrap_or(0.0),
            });
        for (column, v) in self.parameters.iter_mut().zip(&s.parameters) {
            column.push(*v);
        }
    }

    pub fn into_py<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("subject", self.index.into_pyarray(py))?;
        d.set_item("female", self.female.into_pyarray(py))?;
        d.set_item("age_years", self.age.into_pyarray(py))?;
        d.set_item("postmenopausal", self.postmenopausal.into_pyarray(py))?;
        d.set_item("depression", self.depression.into_pyarray(py))?;
        d.set_item("cigarettes_per_day", self.cigarettes.into_pyarray(py))?;
        d.set_item("alcohol_units_per_day", self.alcohol.into_pyarray(py))?;
        d.set_item("drug_adherence", self.drug_adherence.into_pyarray(py))?;
        d.set_item("bmi", self.bmi.into_pyarray(py))?;
        d.set_item("depression_years", self.depression_years.into_pyarray(py))?;
        let p = PyDict::new(py);
        for (name, column) in self.names.into_iter().zip(self.parameters) {
            p.set_item(name, column.into_pyarray(py))?;
        }
        d.set_item("parameters", p)?;
        Ok(d)
    }
}
