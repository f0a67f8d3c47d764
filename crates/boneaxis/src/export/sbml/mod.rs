//! SBML Level 3 Version 2 of one traced arm.
//!
//! * Catalog parameters are constant SBML parameters in canonical units, with the citation,
//!   kind and catalog value in their notes (SBO:0000002) and a MIRIAM `isDescribedBy` link
//!   where the reference has a DOI.
//! * Quantities computed from parameters only are constant parameters with an initial
//!   assignment; the model's signals and every shared intermediate are assignment rules; states
//!   are parameters with rate rules (their initial values are the arm's baseline).
//! * Drugs are compartments of amounts (nmol) with first-order transfers; doses and changes of
//!   the schedule (stress on/off, diets, habits) are events (a regular run of doses is one
//!   self-re-arming event); age is `start_age + time`.

mod drugs;
mod layout;
mod parameters;

use super::mathml::{apply, math, node, number, TIME};
use super::trace::ArmTrace;
use crate::error::Error;
use crate::params::Catalog;
use layout::Layout;
use std::fmt::Write as _;

/// An SBML identifier for a dotted name (`bone.distal_femur.bv_tv` → `bone_distal_femur_bv_tv`).
pub fn sid(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A trace and its layout: writes any node as MathML.
pub struct Writer<'a> {
    trace: &'a ArmTrace,
    layout: Layout,
}

impl Writer<'_> {
    /// The expression of node `i` (referring to other named nodes by id).
    fn expression(&self, i: u32) -> String {
        node(&self.trace.tape.nodes, i, &|j| self.layout.id(j), true)
    }

    /// Node `i` as an operand: its id if it has one.
    fn reference(&self, i: u32) -> String {
        node(&self.trace.tape.nodes, i, &|j| self.layout.id(j), false)
    }

    fn math_of(&self, i: u32) -> String {
        math(&self.expression(i))
    }
}

/// Namespace of boneaxis's own annotation (the scenario an export came from, for import).
pub const NAMESPACE: &str = "https://github.com/boneaxis/boneaxis/sbml-export/1";

/// The SBML document of a traced arm; `scenario_text`, when given, is embedded in a boneaxis
/// annotation so that the file can be imported back (see `export::import`).
pub fn write(t: &ArmTrace, scenario_text: Option<&str>) -> Result<String, Error> {
    let catalog = Catalog::embedded()?;
    let w = Writer {
        trace: t,
        layout: Layout::new(t),
    };
    let mut doc = header(t);
    if let Some(text) = scenario_text {
        let _ = writeln!(
            doc,
            "<annotation><boneaxis:export xmlns:boneaxis=\"{NAMESPACE}\" arm=\"{}\" \
             version=\"{}\"><boneaxis:scenario>{}</boneaxis:scenario></boneaxis:export></annotation>",
            xml(&t.arm),
            env!("CARGO_PKG_VERSION"),
            xml(text)
        );
    }
    doc.push_str(&parameters::unit_definitions());
    doc.push_str(
        "<listOfCompartments><compartment id=\"body\" spatialDimensions=\"3\" size=\"1\" \
         units=\"litre\" constant=\"true\"/></listOfCompartments>\n",
    );
    let (event_parameters, events) = drugs::events(t);
    doc.push_str("<listOfParameters>\n");
    doc.push_str(&parameters::catalog_parameters(&w, &catalog));
    doc.push_str(&parameters::model_parameters(&w));
    doc.push_str(&event_parameters);
    doc.push_str("</listOfParameters>\n");
    doc.push_str(&parameters::initial_assignments(&w));
    doc.push_str(&rules(&w));
    doc.push_str(&events);
    doc.push_str("</model>\n</sbml>\n");
    Ok(doc)
}

fn header(t: &ArmTrace) -> String {
    let mut doc = String::new();
    let _ = write!(
        doc,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n\
         <model id=\"{}\" name=\"{} — arm {} (boneaxis {})\" timeUnits=\"day\">\n",
        sid(&format!("{}_{}", t.scenario, t.arm)),
        xml(&t.study.title),
        xml(&t.arm),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        doc,
        "<notes><body xmlns=\"http://www.w3.org/1999/xhtml\"><p>Exported by boneaxis from \
         scenario `{}`, arm `{}`: {} {}, {} days from age {} days. States start at the arm's \
         baseline steady state (numbers); the bone cells' reference state and dose amounts are \
         numbers computed by boneaxis from the parameters. Research model, not a clinical \
         device.</p></body></notes>",
        xml(&t.scenario),
        xml(&t.arm),
        t.study.sex,
        t.study.species,
        t.study.duration,
        t.study.start_age
    );
    doc
}

/// Assignment rules (signals, intermediates, inputs) and rate rules (states, drug amounts).
fn rules(w: &Writer) -> String {
    let (t, l) = (w.trace, &w.layout);
    let mut doc = String::from("<listOfRules>\n");
    for (i, id) in l.named() {
        if l.dynamic[i as usize] {
            let _ = writeln!(
                doc,
                "<assignmentRule variable=\"{id}\">{}</assignmentRule>",
                w.math_of(i)
            );
        }
    }
    let age = apply("plus", &[number(t.study.start_age), TIME.to_string()]);
    let _ = writeln!(
        doc,
        "<assignmentRule variable=\"input_age_days\">{}</assignmentRule>",
        math(&age)
    );
    for (name, rule) in drugs::drug_rules(t, &|i| w.reference(i)) {
        let _ = writeln!(
            doc,
            "<assignmentRule variable=\"input_{}\">{}</assignmentRule>",
            sid(&name),
            math(&rule)
        );
    }
    for (k, s) in t.states.iter().enumerate() {
        let _ = writeln!(
            doc,
            "<rateRule variable=\"{}\">{}</rateRule>",
            sid(&s.name),
            math(&w.reference(t.derivatives[k]))
        );
    }
    for d in &t.drugs {
        for (c, rate) in drugs::pk_rates(d, &|i| w.reference(i)) {
            let _ = writeln!(
                doc,
                "<rateRule variable=\"pk_{}_a{c}\">{}</rateRule>",
                d.drug.key(),
                math(&rate)
            );
        }
    }
    doc.push_str("</listOfRules>\n");
    doc
}
