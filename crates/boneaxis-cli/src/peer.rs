//! `boneaxis bench --peer roadrunner|scipy`: the same traced equations in a peer and in
//! boneaxis, in one run, with the same tolerances and output grid; the ratio per subject-year.
//!
//! libRoadRunner runs the SBML export; scipy (`solve_ivp`, LSODA) runs the same equations
//! written as a Python module, integrating from event to event. Three cases: one subject × 10
//! years of daily sertraline (every dose an event in the peer), subjects × 5 years of daily
//! sertraline (the peer runs a sample of them: each takes it seconds), and subjects × 5 years
//! with averaged dosing (a constant infusion), one after the other on one core in both tools.
//! boneaxis's times include finding each run's baseline (the peer starts from the exported
//! baseline), so the ratios are conservative.

use crate::Failure;
use anyhow::Context;
use boneaxis::export::{python, sbml, trace};
use boneaxis::simulate::{run_study, Study};
use boneaxis::units::days_per_year;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A peer simulator.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    Roadrunner,
    Scipy,
}

impl Tool {
    fn script(self) -> &'static str {
        match self {
            Tool::Roadrunner => "bench/peers/roadrunner_peer.py",
            Tool::Scipy => "bench/peers/scipy_peer.py",
        }
    }
}

/// One comparison: a study of one arm.
pub struct Case<'a> {
    pub title: &'a str,
    pub study: Study,
    pub subjects: usize,
    /// How many of them the peer runs (ratios are per subject-year).
    pub peer_subjects: usize,
    /// Also time boneaxis's averaged dosing of this protocol against the peer's run of it.
    pub averaged_route: bool,
}

/// The Python that runs the peer: `--python`, else `.venv/bin/python` if there, else python3.
pub fn python(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    let venv = Path::new(".venv/bin/python");
    if venv.exists() {
        venv.to_path_buf()
    } else {
        PathBuf::from("python3")
    }
}

/// Absolute tolerances: boneaxis's (a fraction of each state's scale) for the model states;
/// drug amounts, which boneaxis solves exactly, at the same fraction of the largest amount.
fn tolerances(case: &Case, traced: &trace::ArmTrace) -> Vec<(String, f64)> {
    let atol = case.study.solver.atol;
    let mut out: Vec<(String, f64)> = traced
        .states
        .iter()
        .map(|s| (sbml::sid(&s.name), atol * s.scale))
        .collect();
    for d in &traced.drugs {
        let largest = d
            .initial_amounts
            .iter()
            .fold(1.0_f64, |m, a| m.max(a.abs()));
        for c in 0..d.structure.n {
            out.push((format!("pk_{}_a{c}", d.drug.key()), atol * largest));
        }
    }
    out
}

/// The peer's job: its file, the state ids, boneaxis's tight end state and boneaxis's own end
/// state at the case's solver settings.
struct Job {
    path: PathBuf,
    ids: Vec<String>,
    reference: Vec<f64>,
    own: Vec<f64>,
}

/// Largest relative difference of end states from the reference.
fn deviation(values: impl Iterator<Item = (f64, f64)>) -> f64 {
    values
        .map(|(v, r)| ((v - r) / r).abs())
        .filter(|d| d.is_finite())
        .fold(0.0_f64, f64::max)
}

/// Writes the peer's job.
fn job(case: &Case, tool: Tool, dir: &Path, repeat: usize) -> Result<Job, Failure> {
    let arm = case.study.arms[0].name.clone();
    let traced = trace::trace_arm(&case.study, &arm)?;
    let stem = dir.join(sbml::sid(&arm));
    let tolerances = tolerances(case, &traced);
    let ids: Vec<String> = traced.states.iter().map(|s| sbml::sid(&s.name)).collect();
    let mut json = serde_json::json!({
        "times": case.study.sample_times,
        "rtol": case.study.solver.rtol,
        "repeat": repeat,
        "subjects": case.peer_subjects,
    });
    match tool {
        Tool::Roadrunner => {
            let path = stem.with_extension("xml");
            std::fs::write(&path, sbml::write(&traced, None)?).context("writing the SBML")?;
            json["sbml"] = path.display().to_string().into();
            json["atol"] = serde_json::Value::Object(
                tolerances.into_iter().map(|(k, v)| (k, v.into())).collect(),
            );
        }
        Tool::Scipy => {
            let module = stem.with_extension("py");
            std::fs::write(&module, python::write(&traced)).context("writing the equations")?;
            let data = stem.with_extension("data.json");
            std::fs::write(&data, python::events(&traced).to_string())
                .context("writing the events")?;
            json["module"] = module.display().to_string().into();
            json["data"] = data.display().to_string().into();
            json["atol"] = tolerances
                .iter()
                .map(|(_, v)| *v)
                .collect::<Vec<_>>()
                .into();
            json["states"] = ids.clone().into();
            json["method"] = "LSODA".into();
        }
    }
    let path = stem.with_extension("job.json");
    std::fs::write(&path, json.to_string()).context("writing the peer's job")?;
    let last = |states: Vec<Vec<f64>>| states.last().cloned().unwrap_or_default();
    let (_, reference) = trace::state_trajectory(&case.study, &arm)?;
    let (_, own) = trace::state_trajectory_with(&case.study, &arm, case.study.solver)?;
    Ok(Job {
        path,
        ids,
        reference: last(reference),
        own: last(own),
    })
}

/// Runs one case in both tools and prints the comparison.
pub fn compare(case: &Case, tool: Tool, python: &Path, repeat: usize) -> Result<(), Failure> {
    let dir = std::env::temp_dir().join(format!("boneaxis-peer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).context("creating a temporary folder")?;
    let job = job(case, tool, &dir, repeat)?;
    let single = best_of(&case.study, repeat)?;
    let t = Instant::now();
    for _ in 0..case.subjects {
        run_study(&case.study, |_, _| {})?;
    }
    let many = t.elapsed().as_secs_f64();
    let script = Path::new(tool.script());
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(&job.path)
        .output()
        .with_context(|| format!("running {} {}", python.display(), script.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit code 3: the peer's package is missing (its answer says which).
    if !out.status.success() && out.status.code() != Some(3) {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(anyhow::anyhow!(
            "the peer failed (files kept in {}): {}",
            dir.display(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        )
        .into());
    }
    let peer: serde_json::Value = serde_json::from_str(text.lines().last().unwrap_or("{}"))
        .with_context(|| format!("reading the peer's answer: {stderr}"))?;
    if let Some(e) = peer.get("error") {
        println!("   {}: peer not run: {e}", case.title);
        return Ok(());
    }
    let num = |k: &str| {
        peer.get(k)
            .and_then(serde_json::Value::as_f64)
            .unwrap_or(f64::NAN)
    };
    let years = case.study.duration / days_per_year();
    let peer_deviation = deviation(
        job.ids
            .iter()
            .zip(&job.reference)
            .filter_map(|(id, r)| Some((peer.get("final")?.get(id)?.as_f64()?, *r))),
    );
    let own_deviation = deviation(job.own.iter().copied().zip(job.reference.iter().copied()));
    println!("   {}", case.title);
    println!(
        "     boneaxis      {:>10.3} s single, {:>8.2} s for {} subjects: {:>9} subject-years/s",
        single,
        many,
        case.subjects,
        rate(case.subjects as f64 * years / many)
    );
    println!(
        "     peer          {:>10.3} s single, {:>8.2} s for {} subjects: {:>9} subject-years/s (load {:.1} s; {})",
        num("single_s"),
        num("subjects_s"),
        case.peer_subjects,
        rate(case.peer_subjects as f64 * years / num("subjects_s")),
        num("load_s"),
        peer.get("version").and_then(|v| v.as_str()).unwrap_or("?")
    );
    println!(
        "     boneaxis is {:.0}× faster (single) and {:.0}× faster per subject-year ({} and {} subjects); end states within {:.1e} (boneaxis) and {:.1e} (peer) of boneaxis's tight reference",
        num("single_s") / single,
        (num("subjects_s") / case.peer_subjects as f64) / (many / case.subjects as f64),
        case.subjects,
        case.peer_subjects,
        own_deviation,
        peer_deviation
    );
    if case.averaged_route {
        averaged_route(case, num("single_s"))?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// boneaxis's designed route for daily dosing (averaged doses, docs/performance.md) on the same
/// protocol, its accuracy against a tight run with every dose, and its speed against the peer.
fn averaged_route(case: &Case, peer_single: f64) -> Result<(), Failure> {
    let mut averaged = case.study.clone();
    averaged.dosing = boneaxis::protocol::Dosing::Averaged;
    let mut reference = case.study.clone();
    reference.solver = trace::REFERENCE_SOLVER;
    let exact = run_study(&reference, |_, _| {})?;
    let approx = run_study(&averaged, |_, _| {})?;
    let seconds = best_of(&averaged, 3)?;
    println!(
        "     boneaxis, averaged dosing of the same protocol: {seconds:.4} s, end-of-study BMD within {:.3}% of the tight run with every dose: {:.0}× faster than the peer's run",
        crate::bench::bmd_difference(&approx, &exact),
        peer_single / seconds
    );
    Ok(())
}

/// A rate with three significant digits at most, whole numbers from 100 up.
fn rate(x: f64) -> String {
    if x >= 100.0 || !x.is_finite() {
        format!("{x:.0}")
    } else {
        format!("{x:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

fn best_of(study: &Study, n: usize) -> Result<f64, Failure> {
    let mut best = f64::INFINITY;
    for _ in 0..n.max(1) {
        let t = Instant::now();
        run_study(study, |_, _| {})?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    Ok(best)
}
