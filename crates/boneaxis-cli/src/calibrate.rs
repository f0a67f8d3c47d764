//! `boneaxis calibrate`: fit the catalog's calibrated parameters to the training cases.

use boneaxis::params::{Catalog, FitRecord};
use boneaxis::validation::calibrate::{fit, load_spec, parse_species, training_cases, write_back};
use boneaxis::validation::load_cases;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use std::sync::Mutex;

pub struct Options<'a> {
    pub spec: &'a Path,
    pub cases: &'a Path,
    pub catalog: &'a Path,
    pub species: Option<&'a str>,
    pub write: bool,
    pub date: &'a str,
}

pub const OBJECTIVE: &str = "Cauchy loss of range-scaled residuals of SEEN observations, \
penalties for ranges missed and wrong directions, and a log-normal prior (docs/calibration.md)";

pub fn calibrate(o: Options) -> anyhow::Result<()> {
    let spec = load_spec(o.spec)?;
    let catalog = Catalog::embedded()?;
    let cases = load_cases(o.cases)?;
    for group in &spec.groups {
        if o.species.is_some_and(|s| s != group.species) {
            continue;
        }
        let species = parse_species(&group.species)?;
        let training = training_cases(&cases, species)?;
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template(
            "{spinner} {prefix}: {pos} evaluations, best objective {msg} [{elapsed}]",
        )?);
        bar.set_prefix(format!(
            "{} ({} cases, {} parameters)",
            group.species,
            training.len(),
            group.parameters.len()
        ));
        let best = Mutex::new(f64::INFINITY);
        let progress = |cost: f64| {
            let mut b = best.lock().unwrap_or_else(|e| e.into_inner());
            *b = b.min(cost);
            bar.inc(1);
            bar.set_message(format!("{:.3}", *b));
        };
        let result = fit(&catalog, group, &spec.settings, &training, &progress)?;
        bar.finish();
        say!(
            "{}: objective {:.3} → {:.3} after {} evaluations (seed {}, {} restarts)",
            group.species,
            result.objective_before,
            result.objective_after,
            result.evaluations,
            spec.settings.seed,
            spec.settings.restarts
        );
        for (p, v) in result.parameters.iter().zip(&result.values) {
            say!(
                "  {:<48} prior {:>10.4}  fitted {:>10.4}  bounds [{}, {}]",
                p.name,
                p.prior,
                v,
                p.lower,
                p.upper
            );
        }
        if o.write {
            let record = FitRecord {
                cases: result.cases.clone(),
                objective: OBJECTIVE.into(),
                objective_value: result.objective_after,
                optimizer: format!(
                    "argmin Nelder-Mead, seed {}, {} restarts, at most {} iterations each",
                    spec.settings.seed, spec.settings.restarts, spec.settings.max_iterations
                ),
                date: o.date.into(),
            };
            for line in write_back(o.catalog, &group.species, &result, &record)? {
                say!("  wrote {line}");
            }
        }
    }
    if o.write {
        say!("Rebuild (the catalog is compiled in), then run `boneaxis validate --report docs` and `boneaxis params --format markdown > docs/parameters.md`.");
    }
    Ok(())
}
