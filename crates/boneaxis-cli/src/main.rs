//! `boneaxis`: the command-line interface. Thin: parsing, printing and files; the science is in
//! the `boneaxis` library.
//!
//! Exit codes: 0 success; 1 a run failed (solver); 2 bad input (scenario, parameter, file).

/// Writes a line to stdout; a closed pipe (`boneaxis describe | head`) ends the program quietly
/// instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

/// `say!` without the newline.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if write!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod bench;
mod calibrate;
mod describe;
mod export;
mod patient;
mod patient_plot;
mod peer;
mod plot;
mod sensitivity;
mod serve;
mod study;
mod validate;

use anyhow::Context;
use boneaxis::output::{summary_table, write_csv_rows, write_json, CSV_HEADER};
use boneaxis::params::{Catalog, Kind};
use boneaxis::scenario;
use boneaxis::simulate::{run_study, Study};
use boneaxis::species::{Sex, Species};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The chronic-mild-stress experiment, run when `boneaxis run` gets no scenario.
const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/cms_mouse.toml");
const DEFAULT_SCENARIO_LABEL: &str = "scenarios/cms_mouse.toml (built in)";

#[derive(Parser)]
#[command(
    name = "boneaxis",
    version,
    about = "Mechanistic simulator of the brain–gut–bone axis: stress, depression, serotonin, antidepressants and bone",
    after_help = "Run `boneaxis run` to see the chronic-mild-stress experiment in mice."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and print end-of-study readouts per arm, with % change vs the control arm.
    Run {
        /// Scenario file (TOML). Without one, runs the built-in chronic-mild-stress experiment.
        scenario: Option<PathBuf>,
        /// Write results.csv, results.json, summary.txt, manifest.json and SVG plots here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Serve the web explorer: the CMS experiment, a patient's what-if, any shipped scenario,
    /// the model map and parameters, in a browser (http://127.0.0.1:8080 by default).
    Serve(serve::ServeArgs),
    /// Check a scenario file without running it.
    Check { scenario: PathBuf },
    /// List the parameters with value, unit, kind and source.
    Params {
        #[arg(long, value_enum, default_value_t = SpeciesArg::Human)]
        species: SpeciesArg,
        #[arg(long, value_enum, default_value_t = SexArg::Female)]
        sex: SexArg,
        /// Only parameters of this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Only parameters whose name contains this text.
        #[arg(long)]
        filter: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Run every published validation case and compare the model with the publications.
    Validate {
        /// The folder of cases.
        #[arg(long, default_value = "validation")]
        dir: PathBuf,
        /// Exit with code 1 if an observation fails without a stated reason.
        #[arg(long)]
        strict: bool,
        /// Write validation.md and its figures into this folder (the repository's is docs/).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Only cases whose folder name contains this text.
        #[arg(long)]
        case: Option<String>,
        /// Also rerun the cases under each hypothesis of <DIR>/hypotheses.toml and say what each
        /// gains and loses (always done with --report).
        #[arg(long)]
        hypotheses: bool,
    },
    /// Fit the catalog's calibrated parameters to the training cases (Nelder-Mead, seeded).
    Calibrate {
        /// Which parameters to fit per species, and the optimiser settings.
        #[arg(long, default_value = "validation/calibration.toml")]
        spec: PathBuf,
        /// The folder of cases.
        #[arg(long, default_value = "validation")]
        dir: PathBuf,
        /// The catalog folder to write the fitted values into.
        #[arg(long, default_value = "data/parameters")]
        catalog: PathBuf,
        /// Only this species (mouse, rat or human).
        #[arg(long)]
        species: Option<String>,
        /// Write the fitted values and their provenance into the catalog files.
        #[arg(long)]
        write: bool,
        /// Date recorded with the fit (YYYY-MM-DD); today's by default.
        #[arg(long)]
        date: Option<String>,
    },
    /// One person's BMD and 10-year fracture probabilities with and without a drug, split into
    /// bone and falls (a research model, not a clinical device).
    Patient(Box<patient::PatientArgs>),
    /// Global sensitivity of a readout (or an effect between arms) to parameters: Morris
    /// screening or Sobol indices.
    Sensitivity(Box<sensitivity::SensitivityArgs>),
    /// Simulate a virtual population through a scenario's arms and compute its analyses
    /// (effect sizes, rates) with 95% confidence intervals.
    Study(Box<study::StudyArgs>),
    /// Time the model side by side: one subject (exact vs averaged dosing vs a tight
    /// reference), a population, a Sobol run.
    Bench(bench::BenchArgs),
    /// Export one arm of a scenario as SBML Level 3 Version 2 (for COPASI, libRoadRunner...).
    ExportSbml(export::ExportArgs),
    /// Read back an exported SBML file whose parameter values were changed in another tool,
    /// and run its scenario with them (anything else that changed is refused).
    ImportSbml(export::ImportArgs),
    /// Describe the model: states, signals, where each intervention acts, readouts.
    Describe {
        #[arg(long, value_enum, default_value_t = SpeciesArg::Mouse)]
        species: SpeciesArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SpeciesArg {
    Mouse,
    Rat,
    Human,
}

impl From<SpeciesArg> for Species {
    fn from(s: SpeciesArg) -> Species {
        match s {
            SpeciesArg::Mouse => Species::Mouse,
            SpeciesArg::Rat => Species::Rat,
            SpeciesArg::Human => Species::Human,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SexArg {
    Female,
    Male,
}

impl From<SexArg> for Sex {
    fn from(s: SexArg) -> Sex {
        match s {
            SexArg::Female => Sex::Female,
            SexArg::Male => Sex::Male,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Measured,
    Derived,
    Calibrated,
    Assumed,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Measured => Kind::Measured,
            KindArg::Derived => Kind::Derived,
            KindArg::Calibrated => Kind::Calibrated,
            KindArg::Assumed => Kind::Assumed,
        }
    }
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
    /// The whole catalog (all species) as the document docs/parameters.md.
    Markdown,
}

/// An error with the exit code it deserves.
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl From<boneaxis::Error> for Failure {
    fn from(e: boneaxis::Error) -> Self {
        Failure {
            code: if e.is_input_error() { 2 } else { 1 },
            error: e.into(),
        }
    }
}

impl From<boneaxis::error::ScenarioError> for Failure {
    fn from(e: boneaxis::error::ScenarioError) -> Self {
        Failure {
            code: 2,
            error: e.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure { code: 2, error }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { scenario, out } => run(scenario.as_deref(), out.as_deref()),
        Command::Check { scenario } => check(&scenario),
        Command::Params {
            species,
            sex,
            kind,
            filter,
            format,
        } => params(
            species.into(),
            sex.into(),
            kind.map(Kind::from),
            filter.as_deref(),
            format,
        ),
        Command::Patient(args) => patient::patient(*args),
        Command::Sensitivity(args) => sensitivity::sensitivity(*args),
        Command::Study(args) => study::study(*args),
        Command::Bench(args) => bench::bench(args),
        Command::Serve(args) => serve::serve(args),
        Command::ExportSbml(args) => export::export_sbml(args),
        Command::ImportSbml(args) => export::import_sbml(args),
        Command::Describe { species } => describe::describe(species.into()).map_err(Failure::from),
        Command::Validate {
            dir,
            strict,
            report,
            case,
            hypotheses,
        } => run_validate(&dir, strict, report.as_deref(), case.as_deref(), hypotheses),
        Command::Calibrate {
            spec,
            dir,
            catalog,
            species,
            write,
            date,
        } => {
            let date = date.unwrap_or_else(today);
            calibrate::calibrate(calibrate::Options {
                spec: &spec,
                cases: &dir,
                catalog: &catalog,
                species: species.as_deref(),
                write,
                date: &date,
            })
            .map_err(input_failure)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {:#}", f.error);
            ExitCode::from(f.code)
        }
    }
}

/// Today's date (UTC), YYYY-MM-DD, from the system clock.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Errors of the library map to exit code 2 when caused by input, 1 otherwise.
fn input_failure(error: anyhow::Error) -> Failure {
    let code = match error.downcast_ref::<boneaxis::Error>() {
        Some(e) if !e.is_input_error() => 1,
        _ => 2,
    };
    Failure { code, error }
}

fn load(path: Option<&Path>) -> Result<(Study, String), Failure> {
    match path {
        Some(p) => Ok((scenario::load(p)?, p.display().to_string())),
        None => Ok((
            scenario::load_str(DEFAULT_SCENARIO, DEFAULT_SCENARIO_LABEL)?,
            DEFAULT_SCENARIO_LABEL.to_string(),
        )),
    }
}

fn check(path: &Path) -> Result<(), Failure> {
    let study = scenario::load(path)?;
    say!(
        "{}: ok — {} {}, {} arms, {} readouts, {} samples per arm",
        path.display(),
        study.sex,
        study.species,
        study.arms.len(),
        study.readouts.len(),
        study.sample_times.len()
    );
    Ok(())
}

fn run(path: Option<&Path>, out: Option<&Path>) -> Result<(), Failure> {
    let (study, label) = load(path)?;
    let started = std::time::Instant::now();
    let mut csv = match out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let file = std::fs::File::create(dir.join("results.csv"))
                .with_context(|| format!("cannot write {}", dir.join("results.csv").display()))?;
            let mut w = std::io::BufWriter::new(file);
            writeln!(w, "{CSV_HEADER}").context("cannot write results.csv")?;
            Some(w)
        }
        None => None,
    };
    // Rows of each arm are written as soon as the arm is finished, so a failure later loses
    // nothing already computed.
    let mut write_error = None;
    let result = run_study(&study, |readouts, arm| {
        if let Some(w) = csv.as_mut() {
            if let Err(e) = write_csv_rows(w, &study.name, readouts, arm).and_then(|_| w.flush()) {
                write_error.get_or_insert(e);
            }
        }
    })?;
    if let Some(e) = write_error {
        return Err(anyhow::Error::from(e)
            .context("cannot write results.csv")
            .into());
    }
    let elapsed = started.elapsed();
    let table = summary_table(&result);
    say_raw!("{table}");
    warn_non_finite(&result);
    let steps: usize = result
        .arms
        .iter()
        .map(|a| a.stats.steps + a.baseline_stats.steps)
        .sum();
    say!(
        "{} arms simulated in {:.1} ms ({} solver steps).",
        result.arms.len(),
        elapsed.as_secs_f64() * 1e3,
        steps
    );
    if let Some(dir) = out {
        write_json(&result, &dir.join("results.json")).context("cannot write results.json")?;
        std::fs::write(dir.join("summary.txt"), &table).context("cannot write summary.txt")?;
        let manifest = serde_json::json!({
            "boneaxis_version": env!("CARGO_PKG_VERSION"),
            "scenario": result.name,
            "scenario_file": label,
            "species": result.species,
            "sex": result.sex,
            "solver": study.solver,
            "solver_statistics": result.arms.iter().map(|a| serde_json::json!({
                "arm": a.name, "run": a.stats, "baseline": a.baseline_stats, "run_ms": a.run_ms
            })).collect::<Vec<_>>(),
            "wall_time_ms": elapsed.as_secs_f64() * 1e3,
        });
        std::fs::write(
            dir.join("manifest.json"),
            serde_json::to_string_pretty(&manifest).expect("json"),
        )
        .context("cannot write manifest.json")?;
        let plots =
            plot::time_courses(&result, &dir.join("plots")).context("cannot draw the plots")?;
        say!(
            "Wrote results.csv, results.json, summary.txt, manifest.json and {plots} plots to {}",
            dir.display()
        );
    }
    Ok(())
}

fn params(
    species: Species,
    sex: Sex,
    kind: Option<Kind>,
    filter: Option<&str>,
    format: Format,
) -> Result<(), Failure> {
    let catalog = Catalog::embedded().map_err(boneaxis::Error::from)?;
    let entries: Vec<_> = catalog
        .entries_for(species, sex)
        .into_iter()
        .filter(|p| kind.is_none_or(|k| p.kind == k))
        .filter(|p| filter.is_none_or(|f| p.name.contains(f)))
        .collect();
    match format {
        Format::Markdown => say_raw!("{}", boneaxis::params::markdown_report(&catalog)),
        Format::Json => {
            say!("{}", serde_json::to_string_pretty(&entries).expect("json"));
        }
        Format::Csv => {
            say!("name,value,unit,kind,source,description");
            for p in &entries {
                say!(
                    "{},{},{},{},{},\"{}\"",
                    p.name,
                    p.value,
                    p.unit,
                    p.kind.name(),
                    p.source,
                    p.description.replace('"', "'")
                );
            }
        }
        Format::Table => {
            let w = entries.iter().map(|p| p.name.len()).max().unwrap_or(4);
            say!(
                "{:w$}  {:>12}  {:10}  {:10}  source",
                "name",
                "value",
                "unit",
                "kind"
            );
            for p in &entries {
                say!(
                    "{:w$}  {:>12}  {:10}  {:10}  {}",
                    p.name,
                    boneaxis::output::format_value(p.value),
                    p.unit,
                    p.kind.name(),
                    p.source
                );
            }
            let mut counts = std::collections::BTreeMap::new();
            for p in &entries {
                *counts.entry(p.kind.name()).or_insert(0) += 1;
            }
            let summary: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
            say!(
                "\n{} parameters for {sex} {species}: {}",
                entries.len(),
                summary.join(", ")
            );
        }
    }
    Ok(())
}

/// Warns about readouts with NaN or infinite values (extreme parameter overrides can cause them).
fn warn_non_finite(result: &boneaxis::simulate::StudyResult) {
    for arm in &result.arms {
        for (r, values) in arm.values.iter().enumerate() {
            let bad = values.iter().filter(|v| !v.is_finite()).count();
            if bad > 0 {
                eprintln!(
                    "warning: {bad} of {} values of `{}` in arm `{}` are not finite (NaN or infinite; null in JSON)",
                    values.len(),
                    result.readouts[r].name,
                    arm.name
                );
            }
        }
    }
}

fn run_validate(
    dir: &Path,
    strict: bool,
    report: Option<&Path>,
    case: Option<&str>,
    hypotheses: bool,
) -> Result<(), Failure> {
    let options = validate::Options {
        dir,
        strict,
        report,
        filter: case,
        hypotheses,
    };
    let constraints = |results: &[boneaxis::validation::CaseResult]| {
        let catalog = boneaxis::params::Catalog::embedded()?;
        Ok(boneaxis::validation::calibrate::constraints(
            &catalog, results,
        )?)
    };
    let gate = validate::validate(options, constraints).map_err(|error| {
        let code = match error.downcast_ref::<boneaxis::Error>() {
            Some(e) if !e.is_input_error() => 1,
            _ => 2,
        };
        Failure { code, error }
    })?;
    if gate {
        Ok(())
    } else {
        Err(Failure {
            code: 1,
            error: anyhow::anyhow!("--strict: some observations fail without a stated reason"),
        })
    }
}
