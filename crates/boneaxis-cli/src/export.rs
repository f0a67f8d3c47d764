//! `boneaxis export-sbml`: one arm of a scenario as SBML Level 3 Version 2, and optionally
//! boneaxis's own state trajectories of that arm (the reference another simulator must match).

use crate::Failure;
use anyhow::Context;
use boneaxis::export::{sbml, trace};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// The arm to export (default: the control arm).
    #[arg(long)]
    arm: Option<String>,
    /// Where to write the SBML file.
    #[arg(short, long)]
    out: PathBuf,
    /// Also write boneaxis's states of the arm at the scenario's sample times, from a tight
    /// BDF run (rtol 1e-9): CSV with a first line `# scale,...` (each state's typical size),
    /// then `time` in days and one column per state named by its SBML id.
    #[arg(long)]
    states: Option<PathBuf>,
}

pub fn export_sbml(a: ExportArgs) -> Result<(), Failure> {
    let study = boneaxis::scenario::load(&a.scenario)?;
    let text = std::fs::read_to_string(&a.scenario)
        .with_context(|| format!("reading {}", a.scenario.display()))?;
    let arm = a
        .arm
        .clone()
        .unwrap_or_else(|| study.arms[study.control].name.clone());
    let traced = trace::trace_arm(&study, &arm)?;
    let document = sbml::write(&traced, Some(&text))?;
    std::fs::write(&a.out, &document).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!(
        "Wrote {} (arm `{arm}`: {} states, {} drugs, {} KB)",
        a.out.display(),
        traced.states.len(),
        traced.drugs.len(),
        document.len() / 1024
    );
    if let Some(path) = &a.states {
        let (times, states) = trace::state_trajectory(&study, &arm)?;
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?,
        );
        let header: Vec<String> = traced.states.iter().map(|s| sbml::sid(&s.name)).collect();
        let scales: Vec<String> = traced
            .states
            .iter()
            .map(|s| format!("{:e}", s.scale))
            .collect();
        writeln!(w, "# scale,{}", scales.join(",")).context("writing the states")?;
        writeln!(w, "time,{}", header.join(",")).context("writing the states")?;
        for (t, y) in times.iter().zip(&states) {
            let row: Vec<String> = y.iter().map(|v| format!("{v:e}")).collect();
            writeln!(w, "{t:e},{}", row.join(",")).context("writing the states")?;
        }
        eprintln!("Wrote {} ({} times)", path.display(), times.len());
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// An SBML file boneaxis exported, with parameter values changed in another tool.
    file: PathBuf,
    /// Write the scenario with the changed values as `[model.parameters]` overrides here.
    #[arg(long)]
    scenario_out: Option<PathBuf>,
}

/// Reads the file back, says which parameters changed, and runs the scenario with them.
pub fn import_sbml(a: ImportArgs) -> Result<(), Failure> {
    let document = std::fs::read_to_string(&a.file)
        .with_context(|| format!("reading {}", a.file.display()))?;
    let source = a.file.display().to_string();
    let imported = boneaxis::export::import::import(&document, &source)?;
    if imported.changes.is_empty() {
        eprintln!("{source}: no parameter changed since the export");
    }
    for (name, old, new) in &imported.changes {
        eprintln!("{name}: {old:e} → {new:e} (canonical units)");
    }
    if let Some(path) = &a.scenario_out {
        std::fs::write(path, &imported.scenario)
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("Wrote {}", path.display());
    }
    let study = boneaxis::scenario::load_str(&imported.scenario, &source)?;
    let result = boneaxis::simulate::run_study(&study, |_, _| {})?;
    print!("{}", boneaxis::output::summary_table(&result));
    Ok(())
}
