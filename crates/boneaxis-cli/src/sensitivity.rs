//! `boneaxis sensitivity`: Morris screening or Sobol indices of a readout (or an effect between
//! two arms) to catalog parameters, with a progress bar, a table, a CSV and a bar plot.

use crate::plot::PALETTE;
use crate::Failure;
use anyhow::Context;
use boneaxis::sensitivity::plan::{self, IndexRow as Row, Plan};
use boneaxis::sensitivity::{self, Evaluator, Factor, Target};
use boneaxis::units::{Dimension, Quantity};
use indicatif::{ProgressBar, ProgressStyle};
use plotters::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
pub enum Method {
    Morris,
    Sobol,
}

#[derive(clap::Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// The readout analysed (as in the scenario's [output] readouts).
    #[arg(long)]
    readout: String,
    /// The arm whose readout is analysed.
    #[arg(long)]
    arm: String,
    /// Analyse the % change of `arm` against this arm instead of the readout itself.
    #[arg(long)]
    versus: Option<String>,
    /// Time of the output, e.g. "4 weeks" (default: the end of the study).
    #[arg(long)]
    at: Option<String>,
    /// A parameter to vary over its catalog bounds (repeatable). Default: every bounded
    /// parameter the arm's model reads (Morris); Sobol needs an explicit, shorter list.
    #[arg(long = "param")]
    params: Vec<String>,
    #[arg(long, value_enum, default_value_t = Method::Morris)]
    method: Method,
    /// Morris: trajectories (default 10). Sobol: base samples N (default 256; N·(k + 2) runs).
    #[arg(long)]
    samples: Option<usize>,
    /// Seed of the design and the bootstrap.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Rows shown in the table.
    #[arg(long, default_value_t = 15)]
    top: usize,
    /// Write sensitivity.csv, sensitivity.json and sensitivity.svg here.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn sensitivity(a: SensitivityArgs) -> Result<(), Failure> {
    let study = boneaxis::scenario::load(&a.scenario)?;
    let at = match &a.at {
        Some(text) => Quantity::parse_canonical(text, Dimension::Time)
            .map_err(|m| boneaxis::Error::Analysis(format!("--at: {m}")))?,
        None => study.duration,
    };
    let target = Target {
        readout: a.readout.clone(),
        arm: a.arm.clone(),
        versus: a.versus.clone(),
        at,
    };
    let method = match a.method {
        Method::Morris => plan::Method::Morris,
        Method::Sobol => plan::Method::Sobol,
    };
    let settings = plan::Settings {
        method,
        samples: a.samples,
        seed: a.seed,
    };
    let plan = Plan::new(&study, &target, &a.params, settings)?;
    let evaluator = Evaluator::new(study, target)?;
    let bar = progress(
        plan.points.len(),
        match method {
            plan::Method::Morris => "Morris",
            plan::Method::Sobol => "Sobol",
        },
    );
    let outputs = evaluator.eval_all(&plan.factors, &plan.points, &|| bar.inc(1));
    bar.finish_and_clear();
    report_failures(&outputs)?;
    let rows = plan.analyse(&outputs)?;
    let header = plan.header();
    print!("{}", table(&a, &evaluator, header, &rows));
    if let Some(dir) = &a.out {
        write_outputs(dir, &evaluator, &plan.factors, header, &rows)?;
        eprintln!(
            "Wrote sensitivity.csv and sensitivity.svg to {}",
            dir.display()
        );
    }
    Ok(())
}

fn progress(len: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} runs, {per_sec}, ETA {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// Says how many runs failed; more than half failing is an error (exit code 1).
fn report_failures(o: &sensitivity::Outputs) -> Result<(), Failure> {
    let failed = o.failures();
    if failed == 0 {
        return Ok(());
    }
    let first = o.first_failure.as_deref().unwrap_or("");
    eprintln!(
        "warning: {failed} of {} runs failed and were left out (first: {first})",
        o.values.len()
    );
    if o.mostly_failed() {
        return Err(Failure {
            code: 1,
            error: anyhow::anyhow!("most runs failed; narrow the parameter ranges"),
        });
    }
    Ok(())
}

fn sorted(rows: &[Row]) -> Vec<&Row> {
    let mut v: Vec<&Row> = rows.iter().collect();
    v.sort_by(|x, y| y.rank_value.abs().total_cmp(&x.rank_value.abs()));
    v
}

fn table(a: &SensitivityArgs, e: &Evaluator, header: &[&str], rows: &[Row]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let t = e.target();
    let _ = writeln!(
        s,
        "Sensitivity of {} at day {:.0}, {} parameters:",
        t.describe(),
        t.at,
        rows.len()
    );
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(10).max(9);
    let _ = write!(s, "{:width$}", "parameter");
    for h in header {
        let _ = write!(s, "  {h:>10}");
    }
    s.push('\n');
    for r in sorted(rows).into_iter().take(a.top) {
        let _ = write!(s, "{:width$}", r.name);
        for v in &r.columns {
            let _ = write!(s, "  {:>10}", boneaxis::output::format_value(*v));
        }
        s.push('\n');
    }
    if rows.len() > a.top {
        let _ = writeln!(s, "({} more; --top or --out for all)", rows.len() - a.top);
    }
    s
}

fn write_outputs(
    dir: &Path,
    e: &Evaluator,
    factors: &[Factor],
    header: &[&str],
    rows: &[Row],
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut csv = std::fs::File::create(dir.join("sensitivity.csv"))?;
    write!(csv, "parameter,unit,low,high,log")?;
    for h in header {
        write!(csv, ",{h}")?;
    }
    writeln!(csv)?;
    for r in sorted(rows) {
        let f = factors
            .iter()
            .find(|f| f.name == r.name)
            .expect("every row is a factor");
        write!(csv, "{},{},{},{},{}", f.name, f.unit, f.low, f.high, f.log)?;
        for v in &r.columns {
            write!(csv, ",{v}")?;
        }
        writeln!(csv)?;
    }
    bars(e, header[0], rows, &dir.join("sensitivity.svg"))
}

/// Horizontal bars of the ranking index (largest on top), at most 25.
fn bars(e: &Evaluator, index: &str, rows: &[Row], path: &Path) -> anyhow::Result<()> {
    let shown: Vec<&Row> = sorted(rows).into_iter().take(25).collect();
    let n = shown.len().max(1);
    let top = shown
        .iter()
        .map(|r| r.rank_value.abs())
        .fold(0.0, f64::max)
        .max(1e-12)
        * 1.1;
    let root = SVGBackend::new(path, (900, 120 + 24 * n as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{index}: {}", e.target().describe()),
            ("sans-serif", 15),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(360)
        .build_cartesian_2d(0.0..top, (0..n).into_segmented())
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    // Largest on top: segment n − 1 − i holds row i.
    let names: Vec<String> = shown.iter().rev().map(|r| r.name.clone()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&|y: &SegmentValue<usize>| match y {
            SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc(index)
        .draw()
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for (i, r) in shown.iter().enumerate() {
        let y = n - 1 - i;
        chart
            .draw_series(std::iter::once({
                let mut bar = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(y)),
                        (r.rank_value.abs(), SegmentValue::Exact(y + 1)),
                    ],
                    PALETTE[0].filled(),
                );
                bar.set_margin(3, 3, 0, 0);
                bar
            }))
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    root.present().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(())
}
