//! The validation report (`docs/validation.md`), generated from the case results.
//!
//! The text is deterministic for given results, so a test can check that the committed report
//! is the one the current model produces.

use super::hypothesis::HypothesisResult;
use super::{
    failures_by_class, scores, CaseResult, Direction, Evidence, Measure, ObservationResult, Role,
    Scores, Verdict,
};
use crate::output::format_value;
use std::fmt::Write as _;

/// Which cases constrain a calibrated parameter (from a sensitivity analysis).
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub parameter: String,
    pub species: String,
    /// Observations (`case/id`) whose simulated value moves by more than the threshold when
    /// the parameter moves by 10%.
    pub observations: Vec<String>,
}

fn pct(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{:.0}%", 100.0 * v))
}

fn scores_row(label: &str, s: &Scores) -> String {
    format!(
        "| {label} | {} | {} | {} | {} | {} | {} | {} |",
        s.observations,
        s.passed,
        s.failed,
        s.pending,
        pct(s.directions_right),
        s.gmfe.map_or("–".into(), |g| format!("{g:.2}")),
        pct(s.within_tolerance)
    )
}

fn arrow(d: Direction) -> &'static str {
    match d {
        Direction::Increase => "↑",
        Direction::Decrease => "↓",
        Direction::None => "≈ 0",
    }
}

fn observed_cell(o: &super::Observation) -> String {
    let mut parts = Vec::new();
    if let Some(d) = o.expect {
        parts.push(arrow(d).to_string());
    }
    if let Some(v) = o.observed {
        parts.push(format_value(v));
    }
    if let Some([lo, hi]) = o.range {
        parts.push(format!("[{}, {}]", format_value(lo), format_value(hi)));
    }
    let unit = if o.unit == "1" {
        String::new()
    } else {
        format!(" {}", o.unit)
    };
    format!("{}{unit}", parts.join(" "))
}

fn measure_label(o: &super::Observation) -> String {
    let versus = o
        .versus
        .as_deref()
        .map(|v| format!(" vs `{v}`"))
        .unwrap_or_default();
    let m = match o.measure {
        Measure::Value => "value",
        Measure::PercentChange => "% change",
        Measure::FoldChange => "fold change",
        Measure::OddsRatio => "odds ratio",
        Measure::Difference => "difference",
        Measure::ChangeOverTime => "% change over time",
        Measure::RatePerYear => "%/year",
        Measure::RateDifference => "Δ %/year",
        Measure::SlopePerYear => "slope per year",
        Measure::Mean => "time average",
        Measure::HalfLife => "terminal half-life",
        Measure::EffectChange => "growth of the % change",
        Measure::Parameter => return format!("catalog value of `{}`", o.readout),
    };
    format!("{m} of `{}` in `{}`{versus}", o.readout, o.arm)
}

fn agreement(r: &ObservationResult) -> String {
    let mut parts = Vec::new();
    if let Some(right) = r.direction_right {
        parts.push(
            if right {
                "direction right"
            } else {
                "direction wrong"
            }
            .to_string(),
        );
    }
    if let Some(inside) = r.within_range {
        parts.push(if inside { "in range" } else { "out of range" }.to_string());
    }
    if let Some(f) = r.log_fold_error {
        parts.push(format!("fold error {:.2}", f.exp()));
    }
    parts.join(", ")
}

/// The whole report. `figures` lists the cases that have a figure (`validation/<case>.svg`).
/// A published finding that the model cannot express (read from `validation/not_expressible.toml`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotExpressible {
    pub id: String,
    pub finding: String,
    pub reason: String,
}

/// Reads `validation/not_expressible.toml`; an absent file is an empty list.
pub fn load_not_expressible(path: &std::path::Path) -> Result<Vec<NotExpressible>, crate::Error> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        finding: Vec<NotExpressible>,
    }
    if !path.exists() {
        return Ok(Vec::new());
    }
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| crate::Error::Io {
        path: label.clone(),
        message: e.to_string(),
    })?;
    let file: File = toml::from_str(&text).map_err(|e| crate::error::ScenarioError {
        file: label,
        line: None,
        column: None,
        field: String::new(),
        message: e.message().to_string(),
    })?;
    Ok(file.finding)
}

/// One entry per run of a case: a link to the case followed by its items.
fn links_by_case<'a>(items: impl Iterator<Item = (&'a str, String)>) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    let mut last_case = "";
    for (case, item) in items {
        match entries.last_mut() {
            Some(entry) if case == last_case => {
                let _ = write!(entry, ", {item}");
            }
            _ => entries.push(format!("[{case}](#{}) {item}", case.to_lowercase())),
        }
        last_case = case;
    }
    entries
}

/// "Why observations fail": the failing observations counted by the class of their reason.
fn failure_classes(out: &mut String, results: &[CaseResult]) {
    let _ = writeln!(out, "## Why observations fail\n");
    let _ = writeln!(
        out,
        "Every failing observation states its reason (under its case below) and its class. A \
         contradiction cannot be fixed by any model; the other classes are the model's to-do list.\n"
    );
    let _ = writeln!(out, "| class | meaning | training | test | observations |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for (class, failing) in failures_by_class(results) {
        let count = |role: Role| failing.iter().filter(|(c, _)| c.role == role).count();
        let ids = links_by_case(failing.iter().map(|(c, o)| (c.id.as_str(), o.id.clone())));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            class.label(),
            class.meaning(),
            count(Role::Training),
            count(Role::Test),
            if ids.is_empty() {
                "–".into()
            } else {
                ids.join("; ")
            }
        );
    }
    let _ = writeln!(out);
}

pub fn markdown(
    results: &[CaseResult],
    constraints: &[Constraint],
    figures: &[String],
    not_expressible: &[NotExpressible],
    hypotheses: &[HypothesisResult],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Validation report\n");
    let _ = writeln!(
        out,
        "Generated by `boneaxis validate --report docs` from `validation/*/case.toml`; do not edit by hand. \
         Each observation of a publication is compared with the same quantity simulated under the \
         publication's protocol (the case's scenario). Numbers marked UNVERIFIED in \
         `../shared/brief/literature.md` are checked by direction and a wide band only. A failing \
         observation stays in the report with the reason the model cannot reproduce it.\n"
    );
    let all: Vec<&ObservationResult> = results.iter().flat_map(|c| &c.observations).collect();
    let by_role = |role: Role| -> Vec<&ObservationResult> {
        results
            .iter()
            .filter(|c| c.case.role == role)
            .flat_map(|c| &c.observations)
            .collect()
    };
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(out, "| set | observations | pass | fail | pending | directions right | GMFE | within tolerance |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    let _ = writeln!(out, "{}", scores_row("all", &scores(all.iter().copied())));
    for (role, label) in [
        (Role::Training, "training"),
        (Role::Test, "test"),
        (Role::Verification, "verification"),
    ] {
        let set = by_role(role);
        if !set.is_empty() {
            let _ = writeln!(out, "{}", scores_row(label, &scores(set)));
        }
    }
    let _ = writeln!(
        out,
        "\nGMFE is the geometric mean fold error over observations with a published number (and \
         the same sign); \"within tolerance\" counts observations with an acceptance range. \
         Verification cases check that the implementation reproduces its own inputs (e.g. a \
         half-life that is a parameter) and are not evidence.\n"
    );
    failure_classes(&mut out, results);
    hypotheses_section(&mut out, hypotheses);
    let _ = writeln!(out, "## Results\n");
    let _ = writeln!(
        out,
        "| case | id | observation | published | simulated | agreement | verdict |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for c in results {
        for (o, r) in c.case.observations.iter().zip(&c.observations) {
            let sim = r.simulated.map_or("–".into(), format_value);
            let _ = writeln!(
                out,
                "| [{}](#{}) | {} | {}: {} | {} | {} | {} | **{}** |",
                c.case.id,
                c.case.id.to_lowercase(),
                o.id,
                o.finding.replace('|', "/"),
                measure_label(o),
                observed_cell(o),
                sim,
                agreement(r),
                r.verdict.label()
            );
        }
    }
    let _ = writeln!(out, "\n## Cases\n");
    for c in results {
        let case = &c.case;
        let _ = writeln!(out, "### {}\n", case.id);
        let _ = writeln!(out, "**{}**\n", case.title);
        let doi = case
            .doi
            .as_ref()
            .map(|d| format!(" doi:{d}"))
            .unwrap_or_default();
        let _ = writeln!(out, "- Source: {}{doi}", case.citation);
        let _ = writeln!(out, "- Subjects: {}", case.subjects);
        let _ = writeln!(
            out,
            "- Protocol: `{}` ({} case)",
            protocol_path(case),
            match case.role {
                Role::Training => "training",
                Role::Test => "test",
                Role::Verification => "verification",
            }
        );
        if let Some(note) = &case.note {
            let _ = writeln!(out, "- Note: {note}");
        }
        let _ = writeln!(out);
        if figures.contains(&case.id) {
            let _ = writeln!(
                out,
                "![{} — model and publication](validation/{}.svg)\n",
                case.id, case.id
            );
        }
        let time = format!("{}_time", case.id);
        if figures.contains(&time) {
            let _ = writeln!(
                out,
                "![{} — simulated time course](validation/{time}.svg)\n",
                case.id
            );
        }
        for (o, r) in case.observations.iter().zip(&c.observations) {
            let status = match o.status {
                Evidence::Seen => "SEEN",
                Evidence::Unverified => "UNVERIFIED",
            };
            let _ = writeln!(
                out,
                "- **{}** ({}, {status}): {} — published {}; simulated {}. Source: {}",
                o.id,
                r.verdict.label(),
                o.finding,
                observed_cell(o),
                r.simulated
                    .map_or("–".into(), |v| format!(
                        "{} {}",
                        format_value(v),
                        if o.unit == "1" { "" } else { &o.unit }
                    ))
                    .trim_end(),
                o.source
            );
            if let Some(p) = &o.pending {
                let _ = writeln!(out, "  - Pending: {p}");
            }
            if let Some(k) = &o.known_failure {
                let label = if r.verdict == Verdict::Fail {
                    "Why it fails"
                } else {
                    "Known tension"
                };
                let class = o.failure_class.map_or("", |c| c.label());
                let _ = writeln!(out, "  - {label} ({class}): {k}");
            }
            for h in hypotheses {
                for f in h.gained().filter(|f| f.case == case.id && f.id == o.id) {
                    let _ = writeln!(
                        out,
                        "  - Passes under hypothesis [`{}`](#hypotheses-for-contradicting-findings): simulated {}",
                        h.hypothesis.id,
                        f.under.map_or("–".into(), format_value)
                    );
                }
            }
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "## Calibrated parameters and the observations that constrain them\n"
    );
    if constraints.is_empty() {
        let _ = writeln!(out, "No parameter is of kind `calibrated` yet.\n");
    } else {
        let _ = writeln!(
            out,
            "An observation constrains a parameter when a 10% change of the parameter moves the \
             simulated value by more than 1% of that value (over all cases of the parameter's species). \
             A calibrated parameter that no observation constrains is not identifiable from the \
             training set.\n"
        );
        let _ = writeln!(
            out,
            "| parameter | species | constrained by |\n|---|---|---|"
        );
        for c in constraints {
            let list = if c.observations.is_empty() {
                "none (not identifiable)".to_string()
            } else {
                c.observations.join(", ")
            };
            let _ = writeln!(out, "| `{}` | {} | {} |", c.parameter, c.species, list);
        }
        let _ = writeln!(out);
    }
    if !not_expressible.is_empty() {
        let _ = writeln!(
            out,
            "## Findings the model cannot express
"
        );
        let _ = writeln!(out, "| id | finding | why not |\n|---|---|---|");
        for n in not_expressible {
            let _ = writeln!(out, "| {} | {} | {} |", n.id, n.finding, n.reason);
        }
        let _ = writeln!(out);
    }
    out
}

/// What each hypothesis buys and costs.
fn hypotheses_section(out: &mut String, hypotheses: &[HypothesisResult]) {
    if hypotheses.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Hypotheses for contradicting findings\n");
    let _ = writeln!(
        out,
        "Where findings disagree, the default model follows one side. Each hypothesis in \
         `validation/hypotheses.toml` is the change the other side would need; every case of its \
         species is rerun under it (parameters not refitted). *Gains* fail by default and pass \
         under it; *losses* pass by default and fail under it. The verdicts above are the default \
         model's and do not change.\n"
    );
    let _ = writeln!(
        out,
        "| hypothesis | claim | source | species | change | passing (default → under) | gains | losses |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    let flips = |list: Vec<&super::hypothesis::Flip>| {
        let value = |x: Option<f64>| x.map_or("–".into(), format_value);
        let entries = links_by_case(list.into_iter().map(|f| {
            let item = format!("{} ({} → {})", f.id, value(f.default), value(f.under));
            (f.case.as_str(), item)
        }));
        if entries.is_empty() {
            "none".to_string()
        } else {
            entries.join("; ")
        }
    };
    for r in hypotheses {
        let h = &r.hypothesis;
        let mut change: Vec<String> = h
            .pathway_names
            .iter()
            .map(|p| format!("pathway `{p}`"))
            .collect();
        change.extend(
            h.parameters
                .iter()
                .map(|(n, v)| format!("`{n}` = {}", format_value(*v))),
        );
        let species: Vec<&str> = h.species.iter().map(|s| s.name()).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} of {} → {} | {} | {} |",
            h.id,
            h.claim.replace('|', "/"),
            h.source.replace('|', "/"),
            species.join(", "),
            change.join("; "),
            r.passing_default,
            r.observations,
            r.passing_under,
            flips(r.gained().collect()),
            flips(r.lost().collect())
        );
    }
    let _ = writeln!(out);
}

/// The case's scenario as a path from the repository root (`validation/<case>/...`, with `..`
/// resolved), independent of where the cases were loaded from.
fn protocol_path(case: &super::Case) -> String {
    let mut parts: Vec<&str> = vec!["validation", case.id.as_str()];
    for part in case.scenario.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}
