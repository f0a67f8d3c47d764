//! `boneaxis patient`: one person's BMD trajectory and fracture probabilities, with and without
//! a drug, and the split of the drug's effect into bone and falls.

use crate::Failure;
use anyhow::Context;
use boneaxis::clinical::patient::{self, DepressionSpec, DrugSpec, PatientReport, PatientSpec};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct PatientArgs {
    /// A patient file (TOML, see docs/clinical.md); flags given too override its fields.
    #[arg(long)]
    file: Option<PathBuf>,
    /// Age, years (40–90).
    #[arg(long)]
    age: Option<f64>,
    /// female or male.
    #[arg(long)]
    sex: Option<String>,
    /// Body-mass index, kg/m² (15–45): the person's adult weight, which loads the skeleton.
    #[arg(long)]
    bmi: Option<f64>,
    /// Femoral-neck T-score (NHANES III young white women), −5 to 3.
    #[arg(long, allow_hyphen_values = true)]
    t_score: Option<f64>,
    /// Femoral-neck BMD, g/cm² (instead of a T-score).
    #[arg(long)]
    femoral_neck_bmd: Option<f64>,
    /// Depression severity, 0 (none) to 1 (severe).
    #[arg(long)]
    depression: Option<f64>,
    /// How long the depression has lasted, years.
    #[arg(long)]
    depression_years: Option<f64>,
    /// Medicine: fluoxetine, sertraline, paroxetine, citalopram, escitalopram, imipramine,
    /// propranolol.
    #[arg(long)]
    drug: Option<String>,
    /// Daily dose, e.g. 50mg.
    #[arg(long)]
    dose: Option<String>,
    /// Start relative to now, e.g. "-2 years" (already taking) or "3 months".
    #[arg(long, allow_hyphen_values = true)]
    start: Option<String>,
    /// An alternative to compare: "escitalopram 10mg", "imipramine 75mg" or "stop" (repeatable).
    #[arg(long)]
    alternative: Vec<String>,
    /// Cigarettes per day.
    #[arg(long)]
    smoking: Option<f64>,
    /// Alcohol, units per day.
    #[arg(long)]
    alcohol: Option<f64>,
    /// Oral glucocorticoids, mg/day prednisolone equivalent.
    #[arg(long)]
    glucocorticoids: Option<f64>,
    /// Projection horizon, years (1–20).
    #[arg(long)]
    years: Option<f64>,
    /// Print JSON instead of the text summary.
    #[arg(long)]
    json: bool,
    /// Write a one-page summary: .svg or .html.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn patient(a: PatientArgs) -> Result<(), Failure> {
    let (spec, source) = spec_of(&a)?;
    let person = patient::Patient::from_spec(&spec, &source)?;
    let report = patient::run(&person)?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).context("writing JSON")?
        );
    } else {
        print!("{}", text(&report));
    }
    if let Some(out) = &a.out {
        crate::patient_plot::write(&report, out)?;
        eprintln!("Wrote {}", out.display());
    }
    Ok(())
}

/// The description from the file (if any) with the flags laid over it.
fn spec_of(a: &PatientArgs) -> Result<(PatientSpec, String), Failure> {
    let (mut spec, source) = match &a.file {
        Some(path) => (read(path)?, path.display().to_string()),
        None => {
            let missing = |f: &str| boneaxis::Error::Patient {
                source_name: "command line".into(),
                field: f.into(),
                message: "missing (e.g. --age 70 --sex female)".into(),
            };
            let spec = PatientSpec::new(
                a.age.ok_or_else(|| missing("age"))?,
                a.sex.as_deref().ok_or_else(|| missing("sex"))?,
            );
            (spec, "command line".to_string())
        }
    };
    overlay(&mut spec, a);
    Ok((spec, source))
}

fn read(path: &Path) -> Result<PatientSpec, Failure> {
    Ok(patient::spec::read_file(path)?)
}

fn overlay(s: &mut PatientSpec, a: &PatientArgs) {
    if let Some(v) = a.age {
        s.age = v;
    }
    if let Some(v) = &a.sex {
        s.sex = v.clone();
    }
    s.bmi = a.bmi.or(s.bmi);
    s.t_score = a.t_score.or(s.t_score);
    s.femoral_neck_bmd = a.femoral_neck_bmd.or(s.femoral_neck_bmd);
    s.years = a.years.unwrap_or(s.years);
    s.smoking = a.smoking.unwrap_or(s.smoking);
    s.alcohol = a.alcohol.unwrap_or(s.alcohol);
    s.glucocorticoids = a.glucocorticoids.unwrap_or(s.glucocorticoids);
    if a.depression.is_some() || a.depression_years.is_some() {
        let d = s.depression.get_or_insert(DepressionSpec {
            severity: 0.5,
            years: 0.0,
        });
        d.severity = a.depression.unwrap_or(d.severity);
        d.years = a.depression_years.unwrap_or(d.years);
    }
    if let Some(name) = &a.drug {
        s.drug = Some(DrugSpec {
            name: name.clone(),
            dose: a.dose.clone(),
            start: a.start.clone(),
        });
    } else if let Some(d) = s.drug.as_mut() {
        d.dose = a.dose.clone().or(d.dose.take());
        d.start = a.start.clone().or(d.start.take());
    }
    for alt in &a.alternative {
        let mut words = alt.split_whitespace();
        let name = words.next().unwrap_or_default().to_string();
        let dose: Vec<&str> = words.collect();
        s.alternative.push(DrugSpec {
            name,
            dose: (!dose.is_empty()).then(|| dose.join(" ")),
            start: None,
        });
    }
}

/// The text summary.
pub fn text(r: &PatientReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "boneaxis patient — {}\n", r.disclaimer);
    let _ = writeln!(
        s,
        "{} aged {}: femoral-neck BMD {:.3} g/cm² (T-score {:+.1}, Z-score {:+.1}, {}; {})\n",
        r.sex,
        r.age,
        r.femoral_neck_bmd,
        r.t_score,
        r.z_score,
        r.category.name(),
        r.bmd_source
    );
    let _ = writeln!(s, "Femoral-neck BMD, g/cm² (T-score), years from now:");
    let width = r
        .options
        .iter()
        .map(|o| o.label.len())
        .max()
        .unwrap_or(10)
        .max(22);
    let years: Vec<usize> = (0..r.options[0].trajectory.len()).collect();
    let shown: Vec<usize> = years
        .iter()
        .copied()
        .filter(|y| y % 5 == 0 || *y == 1 || *y + 1 == years.len())
        .collect();
    let _ = write!(s, "  {:width$}", "option");
    for y in &shown {
        let _ = write!(s, "  {:>14}", format!("{y} y"));
    }
    s.push('\n');
    for o in &r.options {
        let _ = write!(s, "  {:width$}", o.label);
        for y in &shown {
            let p = &o.trajectory[*y];
            let _ = write!(
                s,
                "  {:>14}",
                format!("{:.3} ({:+.1})", p.femoral_neck_bmd, p.femoral_neck_t_score)
            );
        }
        s.push('\n');
    }
    let h: Vec<String> = r.horizons.iter().map(|h| format!("{h} y")).collect();
    let _ = writeln!(
        s,
        "\nProbability of a first fracture, % (competing mortality), within {}:",
        h.join(" / ")
    );
    let _ = writeln!(
        s,
        "  {:width$}  {:>22}  {:>22}  {:>10}",
        "option", "hip", "major osteoporotic", "falls/year"
    );
    for o in &r.options {
        let f = |v: &[f64]| {
            v.iter()
                .map(|x| format!("{x:.1}"))
                .collect::<Vec<_>>()
                .join(" / ")
        };
        let _ = writeln!(
            s,
            "  {:width$}  {:>22}  {:>22}  {:>10.2}",
            o.label,
            f(&o.hip),
            f(&o.major),
            o.falls_per_year
        );
    }
    if !r.effects.is_empty() {
        let last = r.horizons.last().copied().unwrap_or(10.0);
        let _ = writeln!(
            s,
            "\nAgainst no drug, at {last} years (percentage points added: in all = through bone + through falls, roughly):"
        );
        let _ = writeln!(
            s,
            "  {:width$}  {:>7}  {:>24}  {:>7}  {:>24}",
            "option", "hip ×", "hip: all = bone + falls", "major ×", "major: all = bone + falls"
        );
        for e in &r.effects {
            let _ = writeln!(
                s,
                "  {:width$}  {:>7.2}  {:>24}  {:>7.2}  {:>24}",
                e.label,
                e.hip_ratio,
                format!(
                    "{:+.2} = {:+.2} {:+.2}",
                    e.hip_added, e.hip_through_bone, e.hip_through_falls
                ),
                e.major_ratio,
                format!(
                    "{:+.2} = {:+.2} {:+.2}",
                    e.major_added, e.major_through_bone, e.major_through_falls
                ),
            );
        }
    }
    for caveat in &r.caveats {
        let _ = writeln!(s, "\nCaveat: {caveat}.");
    }
    let _ = writeln!(
        s,
        "\nBaseline incidence: Harstad, Norway (Emaus 2011), among the highest in the world; \
         absolute probabilities are for such a population, ratios much less so."
    );
    let _ = writeln!(
        s,
        "Equations: {}. Simulated in {:.0} ms.",
        r.equations.join(", "),
        r.run_ms
    );
    s
}
