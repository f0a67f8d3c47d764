//! `boneaxis study`: a virtual population through every arm of a scenario, the study's
//! statistics with 95% confidence intervals, results streamed to disk (`--resume` continues).

use crate::Failure;
use anyhow::Context;
use boneaxis::population::stats::{Accumulator, AnalysisResult};
use boneaxis::population::store::Store;
use boneaxis::population::{run, Population};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct StudyArgs {
    /// Scenario file with a [population] section and [[analysis]] sections.
    scenario: PathBuf,
    /// Write subjects.csv, results.csv and study.json here (streamed subject by subject).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Continue an interrupted run in --out from its last finished subject.
    #[arg(long, requires = "out")]
    resume: bool,
    /// Simulate this many subjects instead of the scenario's population.size.
    #[arg(long)]
    size: Option<usize>,
    /// Also write results.parquet and subjects.parquet (converted from the CSV store at the end).
    #[arg(long, requires = "out")]
    parquet: bool,
    /// Subjects per parallel batch (memory holds one batch of results).
    #[arg(long, default_value_t = 256)]
    chunk: usize,
}

pub fn study(a: StudyArgs) -> Result<(), Failure> {
    let study = boneaxis::scenario::load(&a.scenario)?;
    let Some(mut pop) = study.population.clone() else {
        return Err(anyhow::anyhow!(
            "{}: has no [population] section; `boneaxis run` simulates one individual",
            a.scenario.display()
        )
        .into());
    };
    if let Some(n) = a.size {
        pop.size = n.max(1);
    }
    let mut acc = Accumulator::new(&study, &pop)?;
    let mut units = std::collections::BTreeMap::new();
    let (mut store, done) = match &a.out {
        Some(dir) => {
            let (store, done) = Store::open(dir, &pop, a.resume, |s, r| acc.add(s, r))?;
            (Some(store), done)
        }
        None => (None, 0),
    };
    if done > 0 {
        eprintln!("Resuming after {done} finished subjects.");
    }
    let bar = ProgressBar::new(pop.size as u64);
    bar.set_style(
        ProgressStyle::with_template("subjects [{bar:40}] {pos}/{len}, {per_sec}, ETA {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_position(done.min(pop.size) as u64);
    let started = std::time::Instant::now();
    run::run(&study, &pop, done, a.chunk, &|| bar.inc(1), |s, r| {
        if units.is_empty() {
            for info in &r.readouts {
                units.insert(info.name.clone(), info.unit.clone());
            }
        }
        acc.add(s, r);
        if let Some(store) = store.as_mut() {
            store.write(s, r).map_err(|e| boneaxis::Error::Io {
                path: "results".into(),
                message: e.to_string(),
            })?;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let results = acc.finish(|r| units.get(r).cloned().unwrap_or_default());
    print!(
        "{}",
        summary(
            &study.name,
            &pop,
            &results,
            pop.size - done.min(pop.size),
            seconds
        )
    );
    if let Some(dir) = &a.out {
        let json = serde_json::json!({
            "scenario": study.name,
            "subjects": pop.size,
            "seed": pop.seed,
            "analyses": results,
        });
        std::fs::write(
            dir.join("study.json"),
            serde_json::to_string_pretty(&json).context("JSON")?,
        )
        .with_context(|| format!("writing {}", dir.join("study.json").display()))?;
        eprintln!(
            "Wrote subjects.csv, results.csv and study.json to {}",
            dir.display()
        );
        if a.parquet {
            let (rows, subjects) = boneaxis::population::parquet::write_dataset(dir)?;
            eprintln!("Wrote results.parquet ({rows} rows) and subjects.parquet ({subjects} rows)");
        }
    }
    Ok(())
}

fn summary(
    name: &str,
    pop: &Population,
    results: &[AnalysisResult],
    simulated: usize,
    seconds: f64,
) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{name}: {} subjects (seed {}), {simulated} simulated in {seconds:.1} s\n",
        pop.size, pop.seed
    );
    if !pop.measurement.is_empty() {
        let measured: Vec<String> = pop.measurement.iter().map(|m| m.describe()).collect();
        let _ = writeln!(
            s,
            "Analyses read measured values of {}; stored results are the model's.\n",
            measured.join("; ")
        );
    }
    if results.is_empty() {
        let _ = writeln!(s, "No [[analysis]] in the scenario; results are in --out.");
    }
    for r in results {
        let _ = writeln!(s, "{}", r.title);
        // A correlation's groups are its two readouts, each in its own unit; a prevalence's are
        // the share (%) and the readout.
        let unit = if matches!(r.kind, "correlation" | "prevalence") {
            ""
        } else {
            &r.unit
        };
        for g in [&r.exposed, &r.unexposed] {
            let _ = writeln!(
                s,
                "  {:40} n = {:>7}  mean {:>10} {} (95% CI {} to {}), SD {}",
                g.group,
                g.n,
                fmt(g.mean),
                unit,
                fmt(g.ci[0]),
                fmt(g.ci[1]),
                fmt(g.sd)
            );
        }
        let what = match r.kind {
            "effect_size" => "Hedges' g",
            "hazard_ratio" => "hazard ratio (Cox)",
            "correlation" => "Pearson r (partial on the adjusted covariates)",
            "prevalence" => "share in the band, % (Wilson interval)",
            _ => "difference, %/year",
        };
        let _ = writeln!(
            s,
            "  {what}: {} (95% CI {} to {})\n",
            fmt(r.estimate),
            fmt(r.ci[0]),
            fmt(r.ci[1])
        );
    }
    s
}

fn fmt(v: f64) -> String {
    boneaxis::output::format_value(v)
}
