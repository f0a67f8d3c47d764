//! `boneaxis validate`: run every published case, print the comparison, write the report.

use crate::plot;
use boneaxis::output::format_value;
use boneaxis::validation::hypothesis::{self, HypothesisResult};
use boneaxis::validation::report::{load_not_expressible, markdown, Constraint};
use boneaxis::validation::{
    failures_by_class, load_cases, run_case, scores, unexplained_failures, CaseResult, Verdict,
};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;

pub struct Options<'a> {
    pub dir: &'a Path,
    pub strict: bool,
    pub report: Option<&'a Path>,
    pub filter: Option<&'a str>,
    /// Rerun the cases under each hypothesis of `hypotheses.toml` (always with `report`).
    pub hypotheses: bool,
}

/// Runs the cases; returns whether the gate (if asked for) holds.
pub fn validate(
    o: Options,
    constraints: impl FnOnce(&[CaseResult]) -> anyhow::Result<Vec<Constraint>>,
) -> anyhow::Result<bool> {
    let cases: Vec<_> = load_cases(o.dir)?
        .into_iter()
        .filter(|c| o.filter.is_none_or(|f| c.id.contains(f)))
        .collect();
    let mut results = Vec::with_capacity(cases.len());
    for case in &cases {
        results.push(run_case(case)?);
    }
    print_table(&results);
    let all = scores(results.iter().flat_map(|c| &c.observations));
    let share = |x: Option<f64>| x.map_or("–".into(), |v| format!("{:.0}%", 100.0 * v));
    say!(
        "\n{} cases, {} observations: {} pass, {} fail, {} pending; directions right {}, GMFE {}, within tolerance {}",
        results.len(),
        all.observations,
        all.passed,
        all.failed,
        all.pending,
        share(all.directions_right),
        all.gmfe.map_or("–".into(), |g| format!("{g:.2}")),
        share(all.within_tolerance)
    );
    let by_class: Vec<String> = failures_by_class(&results)
        .iter()
        .filter(|(_, failing)| !failing.is_empty())
        .map(|(class, failing)| format!("{} {}", failing.len(), class.label()))
        .collect();
    if !by_class.is_empty() {
        say!("Failing, by reason: {}", by_class.join("; "));
    }
    let hypotheses = if o.hypotheses || o.report.is_some() {
        run_hypotheses(o.dir, &results)?
    } else {
        Vec::new()
    };
    let unexplained = unexplained_failures(&results);
    if !unexplained.is_empty() {
        say!(
            "Failing without a stated reason: {}",
            unexplained.join(", ")
        );
    }
    if let Some(dir) = o.report {
        let figures_dir = dir.join("validation");
        std::fs::create_dir_all(&figures_dir)?;
        let mut figures = Vec::new();
        for r in &results {
            if plot::case_figure(r, &figures_dir.join(format!("{}.svg", r.case.id)))? {
                figures.push(r.case.id.clone());
            }
            let time = format!("{}_time", r.case.id);
            if plot::case_time_course(r, &figures_dir.join(format!("{time}.svg")))? {
                figures.push(time);
            }
        }
        let not_expressible = load_not_expressible(&o.dir.join("not_expressible.toml"))?;
        let text = markdown(
            &results,
            &constraints(&results)?,
            &figures,
            &not_expressible,
            &hypotheses,
        );
        std::fs::write(dir.join("validation.md"), text)?;
        let expected = o.dir.join("expected.toml");
        std::fs::write(&expected, expected_toml(&results))?;
        say!(
            "Wrote {} (the observations that pass, for the regression test)",
            expected.display()
        );
        say!(
            "Wrote {} and {} figures",
            dir.join("validation.md").display(),
            figures.len()
        );
    }
    Ok(!o.strict || unexplained.is_empty())
}

/// Reruns the cases under each hypothesis of `hypotheses.toml` and prints what each buys and costs.
fn run_hypotheses(dir: &Path, results: &[CaseResult]) -> anyhow::Result<Vec<HypothesisResult>> {
    let list = hypothesis::load(&dir.join("hypotheses.toml"))?;
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let total: usize = list
        .iter()
        .map(|h| hypothesis::cases(h, results).len())
        .sum();
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} case runs, ETA {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let mut out = Vec::new();
    for h in &list {
        bar.set_message(format!("hypothesis {}", h.id));
        out.push(hypothesis::run(h, results, &|| bar.inc(1))?);
    }
    bar.finish_and_clear();
    say!("\nHypotheses (the default verdicts above stand):");
    let names = |flips: Vec<&hypothesis::Flip>| {
        let v: Vec<String> = flips
            .iter()
            .map(|f| format!("{}/{}", f.case, f.id))
            .collect();
        if v.is_empty() {
            "none".into()
        } else {
            v.join(", ")
        }
    };
    for r in &out {
        say!(
            "  {}: {} of {} observations pass (default {}); gains {}; loses {}",
            r.hypothesis.id,
            r.passing_under,
            r.observations,
            r.passing_default,
            names(r.gained().collect()),
            names(r.lost().collect())
        );
    }
    Ok(out)
}

fn print_table(results: &[CaseResult]) {
    let mut rows = vec![[
        "case".to_string(),
        "id".into(),
        "published".into(),
        "simulated".into(),
        "verdict".into(),
    ]];
    for c in results {
        for (ob, r) in c.case.observations.iter().zip(&c.observations) {
            let mut published = Vec::new();
            if let Some(d) = ob.expect {
                published.push(format!("{d:?}").to_lowercase());
            }
            if let Some(v) = ob.observed {
                published.push(format_value(v));
            }
            if let Some([lo, hi]) = ob.range {
                published.push(format!("[{}, {}]", format_value(lo), format_value(hi)));
            }
            let unit = if ob.unit == "1" {
                String::new()
            } else {
                format!(" {}", ob.unit)
            };
            rows.push([
                c.case.id.clone(),
                ob.id.clone(),
                format!("{}{unit}", published.join(" ")),
                r.simulated
                    .map_or("–".into(), |v| format!("{}{unit}", format_value(v))),
                r.verdict.label().to_string(),
            ]);
        }
    }
    let widths: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for (k, row) in rows.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        say!("{}", line.join("  ").trim_end());
        if k == 0 {
            say!(
                "{}",
                widths
                    .iter()
                    .map(|w| "-".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("  ")
            );
        }
    }
}

/// `validation/expected.toml`: the observations that pass now; `cargo test` fails if one stops.
fn expected_toml(results: &[CaseResult]) -> String {
    let mut out = String::from(
        "# Observations that passed when docs/validation.md was last generated\n\
         # (`boneaxis validate --report docs`). tests/validation.rs fails if one of them stops passing.\n\
         passing = [\n",
    );
    for c in results {
        for r in &c.observations {
            if r.verdict == Verdict::Pass {
                out.push_str(&format!("  \"{}/{}\",\n", c.case.id, r.id));
            }
        }
    }
    out.push_str("]\n");
    out
}
