//! Streaming a population's results to disk so that an interrupted run loses no finished subject.
//!
//! `subjects.csv` holds one row per finished subject (covariates and variable parameters);
//! `results.csv` holds the long-format rows of every arm of every finished subject (`subject,
//! arm, time, time_unit, variable, value, unit`, full precision). A subject's results are
//! written before its subject row, and both are flushed, so on `--resume` the subject rows say
//! which subjects are complete: their results are kept (rows of any later subject dropped),
//! replayed into the statistics, and the run continues with the next subject.

use super::rows::{LongRow, Rebuilder};
use super::sample::Subject;
use super::Population;
use crate::error::Error;
use crate::simulate::StudyResult;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

pub const RESULTS_HEADER: &str = "subject,arm,time,time_unit,variable,value,unit";

pub struct Store {
    results: BufWriter<File>,
    subjects: BufWriter<File>,
    /// Whether subjects have a `depression_years` column.
    depression_years: bool,
}

/// Whether the population draws how long depressive episodes last.
fn has_duration(pop: &Population) -> bool {
    pop.depression
        .as_ref()
        .is_some_and(|t| t.duration.is_some())
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

fn subjects_header(pop: &Population) -> String {
    let mut h =
        "subject,sex,age_years,depression,cigarettes_per_day,alcohol_units_per_day,drug_adherence"
            .to_string();
    if pop.bmi.is_some() {
        h.push_str(",bmi");
    }
    if has_duration(pop) {
        h.push_str(",depression_years");
    }
    for v in &pop.variability {
        h.push(',');
        h.push_str(&v.parameter);
    }
    h
}

fn bad(path: &Path, line: usize, what: &str) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: format!("line {line}: {what}; cannot resume (start again without --resume)"),
    }
}

impl Store {
    /// Opens the store in `dir`. Without `resume` it starts afresh; with it, it replays every
    /// complete subject into `replay` and returns how many there are.
    pub fn open(
        dir: &Path,
        pop: &Population,
        resume: bool,
        mut replay: impl FnMut(&Subject, &StudyResult),
    ) -> Result<(Store, usize), Error> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let sub_path = dir.join("subjects.csv");
        let res_path = dir.join("results.csv");
        let header = subjects_header(pop);
        let done = if resume && sub_path.exists() {
            let subjects = read_subjects(&sub_path, &header, pop)?;
            let n = subjects.len();
            keep_results(&res_path, n)?;
            replay_results(&res_path, &subjects, &mut replay)?;
            n
        } else {
            std::fs::write(&sub_path, format!("{header}\n")).map_err(|e| io(&sub_path, e))?;
            std::fs::write(&res_path, format!("{RESULTS_HEADER}\n"))
                .map_err(|e| io(&res_path, e))?;
            0
        };
        let append = |p: &PathBuf| {
            OpenOptions::new()
                .append(true)
                .open(p)
                .map_err(|e| io(p, e))
        };
        Ok((
            Store {
                results: BufWriter::new(append(&res_path)?),
                subjects: BufWriter::new(append(&sub_path)?),
                depression_years: has_duration(pop),
            },
            done,
        ))
    }

    /// Appends one finished subject (results first, then the subject row) and flushes.
    pub fn write(&mut self, s: &Subject, r: &StudyResult) -> std::io::Result<()> {
        for arm in &r.arms {
            for (i, t) in arm.times.iter().enumerate() {
                for (k, info) in r.readouts.iter().enumerate() {
                    writeln!(
                        self.results,
                        "{},{},{},day,{},{},{}",
                        s.index, arm.name, t, info.name, arm.values[k][i], info.unit
                    )?;
                }
            }
        }
        self.results.flush()?;
        write!(
            self.subjects,
            "{},{},{},{},{},{},{}",
            s.index,
            s.sex.name(),
            s.age,
            s.depression,
            s.cigarettes_per_day,
            s.alcohol_units_per_day,
            s.drug_adherence,
        )?;
        if let Some(bmi) = s.bmi {
            write!(self.subjects, ",{bmi}")?;
        }
        if self.depression_years {
            // 0 for subjects without an episode.
            write!(self.subjects, ",{}", s.depression_years.unwrap_or(0.0))?;
        }
        for v in &s.parameters {
            write!(self.subjects, ",{v}")?;
        }
        writeln!(self.subjects)?;
        self.subjects.flush()
    }
}

/// The complete subject rows, checked to be subjects 0, 1, 2, … of this population.
fn read_subjects(path: &Path, header: &str, pop: &Population) -> Result<Vec<Subject>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some(header) {
        return Err(bad(
            path,
            1,
            "the header does not match this scenario's population",
        ));
    }
    let mut subjects = Vec::new();
    for (i, line) in lines.enumerate() {
        if !line.ends_with('\n') {
            break; // cut off by the interruption
        }
        let f: Vec<&str> = line.trim_end().split(',').collect();
        let num = |k: usize| f.get(k).and_then(|v| v.parse::<f64>().ok());
        let expected = pop.subject(subjects.len());
        let ok = f.first().and_then(|v| v.parse::<usize>().ok()) == Some(subjects.len())
            && f.get(1) == Some(&expected.sex.name())
            && num(2) == Some(expected.age);
        if !ok {
            return Err(bad(
                path,
                i + 2,
                "the subject does not match the population's seed",
            ));
        }
        subjects.push(expected);
    }
    Ok(subjects)
}

/// Drops result rows of subjects `n` and later (and any cut-off last line).
fn keep_results(path: &Path, n: usize) -> Result<(), Error> {
    let file = File::open(path).map_err(|e| io(path, e))?;
    let tmp = path.with_extension("csv.partial");
    let mut out = BufWriter::new(File::create(&tmp).map_err(|e| io(&tmp, e))?);
    let mut reader = BufReader::new(file);
    let mut line = String::new();
    let mut first = true;
    loop {
        line.clear();
        let read = reader.read_line(&mut line).map_err(|e| io(path, e))?;
        if read == 0 || !line.ends_with('\n') {
            break;
        }
        let keep = first
            || line
                .split(',')
                .next()
                .and_then(|v| v.parse::<usize>().ok())
                .is_some_and(|s| s < n);
        first = false;
        if keep {
            out.write_all(line.as_bytes()).map_err(|e| io(&tmp, e))?;
        }
    }
    out.flush().map_err(|e| io(&tmp, e))?;
    drop(out);
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))
}

/// Rebuilds each kept subject's results and hands them to `replay`, in subject order.
fn replay_results(
    path: &Path,
    subjects: &[Subject],
    replay: &mut impl FnMut(&Subject, &StudyResult),
) -> Result<(), Error> {
    let reader = BufReader::new(File::open(path).map_err(|e| io(path, e))?);
    let mut rebuilder = Rebuilder::default();
    for (i, line) in reader.lines().enumerate().skip(1) {
        let line = line.map_err(|e| io(path, e))?;
        let f: Vec<&str> = line.split(',').collect();
        let (Some(subject), Some(time), Some(value), Some(arm), Some(variable), Some(unit)) = (
            f.first().and_then(|x| x.parse::<usize>().ok()),
            f.get(2).and_then(|x| x.parse::<f64>().ok()),
            f.get(5).and_then(|x| x.parse::<f64>().ok()),
            f.get(1),
            f.get(4),
            f.get(6),
        ) else {
            return Err(bad(path, i + 1, "unreadable row"));
        };
        let row = LongRow {
            subject,
            arm,
            time,
            variable,
            unit,
            value,
        };
        if let Some((s, r)) = rebuilder.push(row) {
            replay(&subjects[s], &r);
        }
    }
    if let Some((s, r)) = rebuilder.finish() {
        replay(&subjects[s], &r);
    }
    Ok(())
}
