//! Running a population: each subject's study, in parallel chunks reduced in index order.

use super::sample::Subject;
use super::Population;
use crate::error::{Error, SolveError};
use crate::protocol::Window;
use crate::simulate::{run_study, Study, StudyResult};
use crate::units::days_per_year;
use rayon::prelude::*;

/// The study of one subject: their sex's parameters with their own values of the variable
/// ones, their genotype, age and body weight, and their traits added to every arm for the
/// whole study.
pub fn subject_study(study: &Study, pop: &Population, s: &Subject) -> Result<Study, Error> {
    let mut out = study.clone();
    out.sex = s.sex;
    out.start_age = s.age * days_per_year();
    out.params = pop.params(s.sex).clone();
    for (v, value) in pop.variability.iter().zip(&s.parameters) {
        match v.gene {
            Some(gene) => out
                .arms
                .iter_mut()
                .for_each(|a| a.protocol.expression.push((gene, *value))),
            None => out.params.set(&v.parameter, *value, None)?,
        }
    }
    if let (Some(bmi), Some(b)) = (s.bmi, &pop.bmi) {
        out.params
            .set("age.relative_body_weight", bmi / b.reference, None)?;
    }
    let whole = |level: f64| Window {
        start: 0.0,
        stop: study.duration,
        level,
    };
    for arm in &mut out.arms {
        if pop
            .drug_use
            .as_ref()
            .is_some_and(|u| u.arms.contains(&arm.name))
        {
            as_used(&mut arm.protocol, s.drug_adherence);
        }
        let p = &mut arm.protocol;
        if s.depression > 0.0 {
            let stop = s.depression_years.map_or(study.duration, |y| {
                (y * days_per_year()).min(study.duration)
            });
            p.stress.push(Window {
                stop,
                ..whole(s.depression)
            });
        }
        if s.cigarettes_per_day > 0.0 {
            p.smoking.push(whole(s.cigarettes_per_day));
        }
        if s.alcohol_units_per_day > 0.0 {
            p.alcohol.push(whole(s.alcohol_units_per_day));
        }
    }
    Ok(out)
}

/// The arm's drugs as this subject takes them: none for a non-user, every dose scaled by a
/// user's adherence (the mean exposure of randomly missed doses; the spacing of missed doses
/// is not modelled).
fn as_used(p: &mut crate::protocol::Protocol, adherence: f64) {
    use crate::protocol::DoseAmount;
    if adherence <= 0.0 {
        p.drugs.clear();
        return;
    }
    for d in &mut p.drugs {
        d.dose = match d.dose {
            DoseAmount::Mg(x) => DoseAmount::Mg(x * adherence),
            DoseAmount::MgPerKg(x) => DoseAmount::MgPerKg(x * adherence),
            DoseAmount::MgPerKgPerDay(x) => DoseAmount::MgPerKgPerDay(x * adherence),
        };
    }
}

fn with_subject(e: Error, index: usize) -> Error {
    match e {
        Error::Solve(s) => Error::Solve(SolveError {
            subject: Some(index),
            ..s
        }),
        other => other,
    }
}

/// Runs subjects `start..pop.size` in chunks of `chunk`, calling `sink` for every subject in
/// index order as soon as its chunk is done; `done` is called once per finished subject (from
/// any thread), for progress bars.
pub fn run(
    study: &Study,
    pop: &Population,
    start: usize,
    chunk: usize,
    done: &(dyn Fn() + Sync),
    sink: impl FnMut(&Subject, &StudyResult) -> Result<(), Error>,
) -> Result<(), Error> {
    run_range(study, pop, start..pop.size, chunk, done, sink)
}

/// As [`run`] for the subjects in `range` only: a shard of the population. Every subject's
/// random numbers derive from the population's seed and its index alone, so shards run anywhere
/// give the subjects of an undivided run.
pub fn run_range(
    study: &Study,
    pop: &Population,
    range: std::ops::Range<usize>,
    chunk: usize,
    done: &(dyn Fn() + Sync),
    mut sink: impl FnMut(&Subject, &StudyResult) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut first = range.start;
    while first < range.end {
        let last = (first + chunk.max(1)).min(range.end);
        let work: Vec<(Subject, Study)> = (first..last)
            .map(|i| {
                let s = pop.subject(i);
                let st = subject_study(study, pop, &s).map_err(|e| with_subject(e, i))?;
                Ok((s, st))
            })
            .collect::<Result<_, Error>>()?;
        let results: Vec<Result<(Subject, StudyResult), Error>> = work
            .into_par_iter()
            .map(|(s, st)| {
                let r = run_study(&st, |_, _| {}).map_err(|e| with_subject(e, s.index));
                done();
                r.map(|r| (s, r))
            })
            .collect();
        for r in results {
            let (s, result) = r?;
            sink(&s, &result)?;
        }
        first = last;
    }
    Ok(())
}
