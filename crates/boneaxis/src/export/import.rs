//! Reading back an SBML file that boneaxis exported, after a user changed parameter values in
//! another tool (COPASI, Tellurium): the changed catalog parameters become overrides of the
//! embedded scenario. Anything else boneaxis cannot express is refused with what changed.
//!
//! The file must carry boneaxis's annotation (the scenario and arm it was exported from). The
//! scenario is exported again and the two documents compared: the same rules (by kind and
//! variable), the same number of events, no species, reactions, constraints or function
//! definitions, the same parameters with the same constancy, and unchanged starting values of
//! states, inputs and drug amounts (boneaxis computes its own baseline). Formulas inside rules
//! are not compared: an edited equation is not detected.

use super::sbml::{self, NAMESPACE};
use super::trace::trace_arm;
use crate::error::Error;
use crate::symbolic::Node;
use roxmltree::{Document, Node as XmlNode};
use std::collections::{BTreeMap, BTreeSet};

/// What an import found: the scenario with the changed parameters as overrides, the arm, and
/// each change (catalog name, exported value, imported value; canonical units).
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub scenario: String,
    pub arm: String,
    pub changes: Vec<(String, f64, f64)>,
}

fn refuse(source: &str, message: impl Into<String>) -> Error {
    Error::Analysis(format!("{source}: {}", message.into()))
}

/// The parts of a document import compares.
#[derive(Debug, Default, PartialEq)]
struct Structure {
    rules: BTreeSet<(String, String)>,
    events: usize,
    other: BTreeMap<String, usize>,
    /// Parameter id → (constant, value).
    parameters: BTreeMap<String, (bool, f64)>,
}

fn model<'a>(doc: &'a Document<'a>) -> Option<XmlNode<'a, 'a>> {
    doc.root_element()
        .children()
        .find(|n| n.has_tag_name("model"))
}

fn structure(model: XmlNode) -> Structure {
    let mut s = Structure::default();
    for n in model.descendants().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        match name {
            "assignmentRule" | "rateRule" | "algebraicRule" => {
                let variable = n.attribute("variable").unwrap_or("").to_string();
                s.rules.insert((name.to_string(), variable));
            }
            "event" => s.events += 1,
            "species" | "reaction" | "constraint" | "functionDefinition" => {
                *s.other.entry(name.to_string()).or_default() += 1;
            }
            "parameter" => {
                let id = n.attribute("id").unwrap_or("").to_string();
                let constant = n.attribute("constant") == Some("true");
                let value = n
                    .attribute("value")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(f64::NAN);
                s.parameters.insert(id, (constant, value));
            }
            _ => {}
        }
    }
    s
}

/// The embedded scenario text and arm.
fn embedded(model: XmlNode, source: &str) -> Result<(String, String), Error> {
    let export = model
        .children()
        .filter(|n| n.has_tag_name("annotation"))
        .flat_map(|a| a.descendants())
        .find(|n| n.tag_name().namespace() == Some(NAMESPACE) && n.tag_name().name() == "export")
        .ok_or_else(|| {
            refuse(
                source,
                "no boneaxis annotation: boneaxis imports the files it exported (with \
                 `boneaxis export-sbml`), changed in parameter values only",
            )
        })?;
    let arm = export.attribute("arm").unwrap_or_default().to_string();
    let text: String = export
        .descendants()
        .find(|n| n.tag_name().name() == "scenario")
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .unwrap_or_default();
    Ok((text, arm))
}

/// Differences between the imported and the freshly exported structure, in words.
fn differences(imported: &Structure, fresh: &Structure) -> Vec<String> {
    let mut out = Vec::new();
    for r in imported.rules.difference(&fresh.rules) {
        out.push(format!("a {} for `{}` was added", r.0, r.1));
    }
    for r in fresh.rules.difference(&imported.rules) {
        out.push(format!("the {} for `{}` was removed", r.0, r.1));
    }
    if imported.events != fresh.events {
        out.push(format!(
            "{} events instead of {}",
            imported.events, fresh.events
        ));
    }
    for (kind, n) in &imported.other {
        out.push(format!("{n} {kind} element(s) added"));
    }
    for (id, (constant, value)) in &imported.parameters {
        match fresh.parameters.get(id) {
            None => out.push(format!("parameter `{id}` was added")),
            Some((c, _)) if c != constant => out.push(format!("`{id}` changed constancy")),
            Some((false, v)) if !same(*v, *value) => out.push(format!(
                "the starting value of `{id}` changed ({v:e} → {value:e}); boneaxis starts \
                 from its own baseline"
            )),
            _ => {}
        }
    }
    for id in fresh.parameters.keys() {
        if !imported.parameters.contains_key(id) {
            out.push(format!("parameter `{id}` was removed"));
        }
    }
    out
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()) || (a.is_nan() && b.is_nan())
}

/// Reads an exported, edited SBML document (`source` names it in messages).
pub fn import(document: &str, source: &str) -> Result<Imported, Error> {
    let doc = Document::parse(document).map_err(|e| refuse(source, format!("not XML: {e}")))?;
    let model = model(&doc).ok_or_else(|| refuse(source, "no <model> element"))?;
    let (text, arm) = embedded(model, source)?;
    let label = format!("{source} (embedded scenario)");
    let study = crate::scenario::load_str(&text, &label)?;
    let traced = trace_arm(&study, &arm)?;
    let fresh_text = sbml::write(&traced, Some(&text))?;
    let fresh_doc = Document::parse(&fresh_text).map_err(|e| refuse(source, e.to_string()))?;
    let fresh = structure(model_of(&fresh_doc));
    let imported = structure(model);
    let catalog: BTreeMap<String, String> = traced
        .tape
        .nodes
        .iter()
        .filter_map(|(n, _)| match n {
            Node::Parameter(name) => Some((sbml::sid(name), name.clone())),
            _ => None,
        })
        .collect();
    let problems = differences(&imported, &fresh);
    if !problems.is_empty() {
        return Err(refuse(
            source,
            format!(
                "boneaxis can import changed parameter values only; this file differs in \
                 structure: {}",
                problems.join("; ")
            ),
        ));
    }
    let mut changes = Vec::new();
    for (id, name) in &catalog {
        let (Some((_, old)), Some((_, new))) =
            (fresh.parameters.get(id), imported.parameters.get(id))
        else {
            continue;
        };
        if !same(*old, *new) {
            changes.push((name.clone(), *old, *new));
        }
    }
    let scenario = with_overrides(&text, &study, &changes, &label)?;
    Ok(Imported {
        scenario,
        arm,
        changes,
    })
}

fn model_of<'a>(doc: &'a Document<'a>) -> XmlNode<'a, 'a> {
    model(doc).expect("boneaxis writes a model element")
}

/// The scenario text with `[model.parameters]` overrides for the changes (canonical units).
fn with_overrides(
    text: &str,
    study: &crate::simulate::Study,
    changes: &[(String, f64, f64)],
    label: &str,
) -> Result<String, Error> {
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| refuse(label, format!("the embedded scenario: {e}")))?;
    if !changes.is_empty() {
        let model = doc
            .entry("model")
            .or_insert_with(toml_edit::table)
            .as_table_mut()
            .ok_or_else(|| refuse(label, "`model` is not a table"))?;
        let parameters = model
            .entry("parameters")
            .or_insert_with(toml_edit::table)
            .as_table_like_mut()
            .ok_or_else(|| refuse(label, "`model.parameters` is not a table"))?;
        for (name, _, value) in changes {
            // Canonical units, as in the SBML file; a bare number where dimensionless.
            let item = match study.params.dimension(name) {
                Some(d) if d != crate::units::Dimension::Dimensionless => {
                    toml_edit::value(format!("{value:e} {}", d.canonical_symbol()))
                }
                _ => toml_edit::value(*value),
            };
            parameters.insert(name, item);
        }
    }
    let text = doc.to_string();
    crate::scenario::load_str(&text, label)?;
    Ok(text)
}
