//! `boneaxis bench`: speed and accuracy side by side in one run, as ratios and rates.
//!
//! 1. One subject, ten years of daily sertraline: exact dosing (every dose resolved) and
//!    averaged dosing, each against a tight-tolerance BDF reference of the exact protocol.
//! 2. A virtual population through five years with and without daily sertraline (averaged).
//! 3. A Sobol run (4 parameters) on the same five-year protocol.
//!
//! Subject-years count simulated arms × years; per core divides by rayon's thread count.

use crate::Failure;
use boneaxis::protocol::Dosing;
use boneaxis::sensitivity::{self, sobol, Evaluator, Target};
use boneaxis::simulate::{run_study, Study, StudyResult};
use boneaxis::units::days_per_year;
use std::time::Instant;

const TEN_YEARS: &str = include_str!("../../../scenarios/human_sertraline_10y.toml");
const COHORT: &str = include_str!("../../../scenarios/population_depression_ssri.toml");

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Subjects in the population benchmark (the size is 100000).
    #[arg(long, default_value_t = 10_000)]
    subjects: usize,
    /// Repetitions of the single-subject runs (the fastest is reported).
    #[arg(long, default_value_t = 5)]
    repeat: usize,
    /// Compare with a peer simulator on the same traced equations instead (needs Python with
    /// `libroadrunner` or `scipy`; see docs/performance.md).
    #[arg(long, value_enum)]
    peer: Option<crate::peer::Tool>,
    /// Subjects in the peer comparisons' population cases (scipy: at most 10).
    #[arg(long, default_value_t = 1000)]
    peer_subjects: usize,
    /// How many of the daily-dosing population's subjects the peer runs (each takes it seconds;
    /// scipy: at most 3). Ratios are per subject-year.
    #[arg(long, default_value_t = 20)]
    peer_dosed_subjects: usize,
    /// Python to run the peer with (default: .venv/bin/python if present, else python3).
    #[arg(long)]
    python: Option<std::path::PathBuf>,
    /// Load-test the web explorer instead: a server of its own on loopback, concurrent clients
    /// sending scenario runs and patient what-ifs (docs/web.md).
    #[arg(long)]
    web: bool,
    /// Requests in the web load test.
    #[arg(long, default_value_t = 600)]
    web_requests: usize,
    /// Concurrent clients in the web load test.
    #[arg(long, default_value_t = 64)]
    web_concurrency: usize,
}

/// A study reduced to one arm.
fn one_arm(mut study: Study, arm: &str) -> Study {
    study.arms.retain(|a| a.name == arm);
    study.control = 0;
    study
}

fn peer_bench(a: &BenchArgs, tool: crate::peer::Tool) -> Result<(), Failure> {
    use crate::peer::Tool;
    let python = crate::peer::python(a.python.as_deref());
    let (name, subjects, dosed_subjects, repeat) = match tool {
        Tool::Roadrunner => (
            "libRoadRunner on the SBML export",
            a.peer_subjects,
            a.peer_dosed_subjects.min(a.peer_subjects),
            a.repeat,
        ),
        Tool::Scipy => (
            "scipy solve_ivp (LSODA) on the equations written as Python",
            a.peer_subjects.min(10),
            a.peer_dosed_subjects.min(3),
            1,
        ),
    };
    println!(
        "boneaxis bench — peer: {name}; same equations, tolerances and output grid; one core\n"
    );
    let mut cohort = one_arm(load(COHORT, "population_depression_ssri")?, "sertraline");
    cohort.population = None;
    let mut dosed = cohort.clone();
    dosed.dosing = Dosing::Exact;
    let cases = [
        crate::peer::Case {
            title: "1. One subject × 10 years, daily sertraline 100 mg, every dose an event",
            study: one_arm(
                load(TEN_YEARS, "human_sertraline_10y")?,
                "depression_sertraline",
            ),
            subjects: 1,
            peer_subjects: 1,
            averaged_route: true,
        },
        crate::peer::Case {
            title: "2. Subjects × 5 years, daily sertraline 50 mg, every dose an event",
            study: dosed,
            subjects,
            peer_subjects: dosed_subjects,
            averaged_route: false,
        },
        crate::peer::Case {
            title: "3. Subjects × 5 years, sertraline 50 mg/day averaged (a constant infusion)",
            study: cohort,
            subjects,
            peer_subjects: subjects,
            averaged_route: false,
        },
    ];
    for case in &cases {
        crate::peer::compare(case, tool, &python, repeat)?;
    }
    Ok(())
}

fn load(text: &str, label: &str) -> Result<Study, Failure> {
    Ok(boneaxis::scenario::load_str(text, label)?)
}

/// The fastest of `n` runs, ms, and its result.
fn timed(study: &Study, n: usize) -> Result<(f64, StudyResult), Failure> {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..n.max(1) {
        let t = Instant::now();
        let r = run_study(study, |_, _| {})?;
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
        last = Some(r);
    }
    Ok((best, last.expect("at least one run")))
}

/// Largest relative difference (%) of the end-of-study BMD readouts between two results.
pub fn bmd_difference(a: &StudyResult, b: &StudyResult) -> f64 {
    let mut worst = 0.0_f64;
    for (r, info) in a.readouts.iter().enumerate() {
        if !info.name.ends_with(".bmd") {
            continue;
        }
        for (x, y) in a.arms.iter().zip(&b.arms) {
            let (u, v) = (x.final_value(r), y.final_value(r));
            worst = worst.max((100.0 * (u - v) / v).abs());
        }
    }
    worst
}

pub fn bench(a: BenchArgs) -> Result<(), Failure> {
    if a.web {
        return crate::serve::load_test(a.web_requests, a.web_concurrency);
    }
    if let Some(tool) = a.peer {
        // The peer runs on one core: so does boneaxis here.
        return rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .install(|| peer_bench(&a, tool));
    }
    let threads = rayon::current_num_threads();
    println!("boneaxis bench — release build expected; {threads} rayon threads\n");
    let exact = load(TEN_YEARS, "human_sertraline_10y")?;
    let mut averaged = exact.clone();
    averaged.dosing = Dosing::Averaged;
    let mut reference = exact.clone();
    reference.solver.rtol = 1e-8;
    reference.solver.atol = 1e-10;
    reference.solver.method = boneaxis::engine::stiff::Method::Bdf;
    let (ref_ms, ref_result) = timed(&reference, 1)?;
    let (exact_ms, exact_result) = timed(&exact, a.repeat)?;
    let (avg_ms, avg_result) = timed(&averaged, a.repeat)?;
    let years = exact.duration / days_per_year() * exact.arms.len() as f64;
    println!("1. One subject: 10 years of daily sertraline 100 mg (2 arms, with its baseline)");
    println!(
        "   {:34} {:>10} {:>16} {:>22}",
        "", "ms", "subject-years/s", "max |ΔBMD| vs ref, %"
    );
    for (name, ms, r) in [
        ("reference (BDF, rtol 1e-8, exact)", ref_ms, &ref_result),
        ("exact dosing (default solver)", exact_ms, &exact_result),
        ("averaged dosing", avg_ms, &avg_result),
    ] {
        println!(
            "   {:34} {:>10.2} {:>16.0} {:>22.4}",
            name,
            ms,
            years / (ms / 1e3),
            bmd_difference(r, &ref_result)
        );
    }
    println!(
        "   averaged is {:.0}× faster than exact\n",
        exact_ms / avg_ms
    );

    let cohort = load(COHORT, "population_depression_ssri")?;
    let mut pop = cohort
        .population
        .clone()
        .expect("the cohort scenario has a population");
    pop.size = a.subjects;
    let t = Instant::now();
    let mut n = 0usize;
    boneaxis::population::run::run(&cohort, &pop, 0, 1024, &|| {}, |_, _| {
        n += 1;
        Ok(())
    })?;
    let s = t.elapsed().as_secs_f64();
    let subject_years = n as f64 * cohort.arms.len() as f64 * cohort.duration / days_per_year();
    println!(
        "2. Population: {n} subjects × {} arms × {:.0} years (averaged dosing, baselines included)",
        cohort.arms.len(),
        cohort.duration / days_per_year()
    );
    println!(
        "   {s:.2} s: {:.0} subject-years/s, {:.0} per core\n",
        subject_years / s,
        subject_years / s / threads as f64
    );

    let mut five = cohort.clone();
    five.population = None;
    let target = Target {
        readout: "bone.total_hip.bmd".into(),
        arm: "sertraline".into(),
        versus: Some("no_drug".into()),
        at: five.duration,
    };
    let names: Vec<String> = [
        "sympathetic.depression_gain",
        "hpa.depression_gain",
        "pd.sert_in_vivo_potency_factor",
        "bone.effect.htr1b_on_proliferation",
    ]
    .map(String::from)
    .to_vec();
    let factors = sensitivity::factors(&five, &names)?;
    let evaluator = Evaluator::new(five, target)?;
    let design = sobol::design(factors.len(), 256, 1);
    let t = Instant::now();
    let out = evaluator.eval_all(&factors, &design, &|| {});
    let s = t.elapsed().as_secs_f64();
    println!(
        "3. Sobol: 4 parameters, N = 256 ({} runs of 2 arms × 5 years, {} failed): {s:.2} s, {:.0} runs/s",
        design.len(),
        out.failures(),
        design.len() as f64 / s
    );
    println!(
        "\nPeer comparison (libRoadRunner on the exported SBML): boneaxis bench --peer roadrunner"
    );
    Ok(())
}
