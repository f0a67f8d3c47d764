//! Subjects' results as long-format rows (`subject, arm, time, variable, unit, value`), the form
//! the store writes and shards return, and their way back into results and statistics.

use super::stats::{Accumulator, AnalysisResult};
use super::Population;
use crate::error::Error;
use crate::simulate::{ArmResult, ReadoutInfo, Study, StudyResult};
use crate::species::{Sex, Species};
use std::collections::BTreeMap;

/// One value of one readout of one arm of one subject, at one time (days).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LongRow<'a> {
    pub subject: usize,
    pub arm: &'a str,
    pub time: f64,
    pub variable: &'a str,
    pub unit: &'a str,
    pub value: f64,
}

/// Rebuilds each subject's results from its rows, which come subject by subject, and within a
/// subject arm by arm, time by time, readout by readout.
#[derive(Debug, Default)]
pub struct Rebuilder {
    current: Option<(usize, StudyResult)>,
}

impl Rebuilder {
    /// Adds a row; returns the previous subject's results when a new subject begins.
    pub fn push(&mut self, row: LongRow) -> Option<(usize, StudyResult)> {
        let finished = match &self.current {
            Some((s, _)) if *s == row.subject => None,
            _ => self.current.replace((row.subject, empty_result())),
        };
        let r = &mut self.current.as_mut().expect("set above").1;
        add_value(r, row);
        finished
    }

    /// The last subject's results.
    pub fn finish(self) -> Option<(usize, StudyResult)> {
        self.current
    }
}

fn empty_result() -> StudyResult {
    StudyResult {
        name: String::new(),
        title: String::new(),
        species: Species::Human,
        sex: Sex::Female,
        start_age_days: 0.0,
        duration_days: 0.0,
        control: 0,
        readouts: vec![],
        arms: vec![],
    }
}

fn add_value(r: &mut StudyResult, row: LongRow) {
    let k = match r.readouts.iter().position(|x| x.name == row.variable) {
        Some(k) => k,
        None => {
            r.readouts.push(ReadoutInfo {
                name: row.variable.to_string(),
                unit: row.unit.to_string(),
                description: String::new(),
            });
            r.arms.iter_mut().for_each(|a| a.values.push(vec![]));
            r.readouts.len() - 1
        }
    };
    if r.arms.last().is_none_or(|a| a.name != row.arm) {
        r.arms.push(ArmResult {
            name: row.arm.to_string(),
            times: vec![],
            values: vec![vec![]; r.readouts.len()],
            stats: Default::default(),
            baseline_stats: Default::default(),
            run_ms: 0.0,
        });
    }
    let a = r.arms.last_mut().expect("pushed above");
    if k == 0 {
        a.times.push(row.time);
    }
    a.values[k].push(row.value);
}

/// The study's analyses from its subjects' rows, given in increasing subject order (as one run
/// writes them, or as shards are put back together). Subjects are re-drawn from the seed, so the
/// statistics equal those of the run that produced the rows.
pub fn analyse<'a>(
    study: &Study,
    pop: &Population,
    rows: impl IntoIterator<Item = LongRow<'a>>,
) -> Result<Vec<AnalysisResult>, Error> {
    let mut acc = Accumulator::new(study, pop)?;
    let mut units = BTreeMap::new();
    let mut previous: Option<usize> = None;
    let mut feed = |(s, r): (usize, StudyResult)| -> Result<(), Error> {
        if previous.is_some_and(|p| s <= p) || s >= pop.size {
            return Err(Error::Analysis(format!(
                "subject {s} out of order (after {previous:?}; {} subjects)",
                pop.size
            )));
        }
        previous = Some(s);
        acc.add(&pop.subject(s), &r);
        Ok(())
    };
    let mut rebuilder = Rebuilder::default();
    for row in rows {
        units
            .entry(row.variable.to_string())
            .or_insert_with(|| row.unit.to_string());
        if let Some(done) = rebuilder.push(row) {
            feed(done)?;
        }
    }
    if let Some(done) = rebuilder.finish() {
        feed(done)?;
    }
    Ok(acc.finish(|r| units.get(r).cloned().unwrap_or_default()))
}
