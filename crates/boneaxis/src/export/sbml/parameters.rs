//! Unit definitions, parameters (catalog, inputs, states, signals, intermediates, drug
//! amounts) and the initial assignments of what depends on parameters only.

use super::{sid, xml, Writer};
use crate::params::{Catalog, Parameter};
use crate::units::Dimension;
use std::fmt::Write as _;

pub fn unit_id(d: Dimension) -> &'static str {
    match d {
        Dimension::Dimensionless => "dimensionless",
        Dimension::Time => "day",
        Dimension::Rate => "per_day",
        Dimension::Concentration => "nM",
        Dimension::InverseConcentration => "per_nM",
        Dimension::ConcentrationRate => "nM_per_day",
        Dimension::Mass => "mg",
        Dimension::DosePerBodyMass => "mg_per_kg",
        Dimension::DoseRatePerBodyMass => "mg_per_kg_per_day",
        Dimension::BodyMass => "kg",
        Dimension::Volume => "litre",
        Dimension::VolumePerBodyMass => "L_per_kg",
        Dimension::MolarMass => "g_per_mol",
        Dimension::ArealDensity => "g_per_cm2",
        Dimension::MassConcentration => "ng_per_mL",
    }
}

/// A unit: kind, exponent, scale, multiplier.
type UnitPart = (&'static str, i32, i32, f64);

/// Unit definitions of the canonical units: (id, [(kind, exponent, scale, multiplier)]).
const UNITS: &[(&str, &[UnitPart])] = &[
    ("day", &[("second", 1, 0, 86400.0)]),
    ("per_day", &[("second", -1, 0, 86400.0)]),
    ("nM", &[("mole", 1, -9, 1.0), ("litre", -1, 0, 1.0)]),
    ("per_nM", &[("mole", -1, -9, 1.0), ("litre", 1, 0, 1.0)]),
    (
        "nM_per_day",
        &[
            ("mole", 1, -9, 1.0),
            ("litre", -1, 0, 1.0),
            ("second", -1, 0, 86400.0),
        ],
    ),
    ("nmol", &[("mole", 1, -9, 1.0)]),
    (
        "nmol_per_day",
        &[("mole", 1, -9, 1.0), ("second", -1, 0, 86400.0)],
    ),
    ("mg", &[("gram", 1, -3, 1.0)]),
    (
        "mg_per_kg",
        &[("gram", 1, -3, 1.0), ("kilogram", -1, 0, 1.0)],
    ),
    (
        "mg_per_kg_per_day",
        &[
            ("gram", 1, -3, 1.0),
            ("kilogram", -1, 0, 1.0),
            ("second", -1, 0, 86400.0),
        ],
    ),
    ("kg", &[("kilogram", 1, 0, 1.0)]),
    (
        "L_per_kg",
        &[("litre", 1, 0, 1.0), ("kilogram", -1, 0, 1.0)],
    ),
    ("g_per_mol", &[("gram", 1, 0, 1.0), ("mole", -1, 0, 1.0)]),
    ("g_per_cm2", &[("gram", 1, 0, 1.0), ("metre", -2, -2, 1.0)]),
    ("ng_per_mL", &[("gram", 1, -9, 1.0), ("litre", -1, -3, 1.0)]),
];

pub fn unit_definitions() -> String {
    let mut doc = String::from("<listOfUnitDefinitions>\n");
    for (id, units) in UNITS {
        let _ = write!(doc, "<unitDefinition id=\"{id}\"><listOfUnits>");
        for (kind, exponent, scale, multiplier) in *units {
            let _ = write!(
                doc,
                "<unit kind=\"{kind}\" exponent=\"{exponent}\" scale=\"{scale}\" multiplier=\"{multiplier}\"/>"
            );
        }
        doc.push_str("</listOfUnits></unitDefinition>\n");
    }
    doc.push_str("</listOfUnitDefinitions>\n");
    doc
}

/// Notes (description, catalog value, kind, citation) and a MIRIAM link to the DOI if any.
fn provenance(catalog: &Catalog, p: &Parameter, id: &str) -> (String, String) {
    let reference = catalog.references.get(&p.source);
    let citation = reference.map_or(p.source.clone(), |r| r.citation.clone());
    let notes = format!(
        "<notes><body xmlns=\"http://www.w3.org/1999/xhtml\"><p>{} — catalog value {} {}, kind {}, \
         source: {}</p></body></notes>",
        xml(&p.description),
        p.value,
        xml(&p.unit),
        p.kind.name(),
        xml(&citation)
    );
    let annotation = reference
        .and_then(|r| r.doi.as_ref())
        .map_or(String::new(), |doi| {
            format!(
                "<annotation><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
             xmlns:bqbiol=\"http://biomodels.net/biology-qualifiers/\"><rdf:Description \
             rdf:about=\"#meta_{id}\"><bqbiol:isDescribedBy><rdf:Bag><rdf:li \
             rdf:resource=\"https://identifiers.org/doi:{}\"/></rdf:Bag></bqbiol:isDescribedBy>\
             </rdf:Description></rdf:RDF></annotation>",
                xml(doi)
            )
        });
    (notes, annotation)
}

/// The catalog parameters the arm's equations read, in canonical units.
pub fn catalog_parameters(w: &Writer, catalog: &Catalog) -> String {
    let t = w.trace;
    let mut doc = String::new();
    for (name, value) in &w.layout.parameters {
        let id = sid(name);
        let dimension = t
            .study
            .params
            .dimension(name)
            .unwrap_or(Dimension::Dimensionless);
        let (notes, annotation) = catalog
            .entry(name, t.study.species, t.study.sex)
            .map_or_else(Default::default, |p| provenance(catalog, p, &id));
        let meta = if annotation.is_empty() {
            String::new()
        } else {
            format!(" metaid=\"meta_{id}\"")
        };
        let _ = writeln!(
            doc,
            "<parameter id=\"{id}\"{meta} name=\"{}\" value=\"{value:e}\" units=\"{}\" constant=\"true\" sboTerm=\"SBO:0000002\">{notes}{annotation}</parameter>",
            xml(name),
            unit_id(dimension)
        );
    }
    doc
}

/// Inputs, states, signals, intermediates and drug amounts.
pub fn model_parameters(w: &Writer) -> String {
    let (t, l) = (w.trace, &w.layout);
    let nodes = &t.tape.nodes;
    let mut doc = String::new();
    for (name, value) in &l.inputs {
        let constant = super::drugs::input_is_constant(name, t);
        let _ = writeln!(
            doc,
            "<parameter id=\"input_{}\" name=\"input: {}\" value=\"{value:e}\" constant=\"{constant}\"/>",
            sid(name),
            xml(name)
        );
    }
    for (k, s) in t.states.iter().enumerate() {
        let _ = writeln!(
            doc,
            "<parameter id=\"{}\" name=\"{}\" value=\"{:e}\" constant=\"false\"/>",
            sid(&s.name),
            xml(&s.name),
            t.initial[k]
        );
    }
    for (i, name) in &l.signals {
        let _ = writeln!(
            doc,
            "<parameter id=\"signal_{}\" name=\"signal: {}\" value=\"{:e}\" constant=\"{}\"/>",
            sid(name),
            xml(name),
            nodes[*i as usize].1,
            !l.dynamic[*i as usize]
        );
    }
    for i in &l.intermediates {
        let _ = writeln!(
            doc,
            "<parameter id=\"x{i}\" value=\"{:e}\" constant=\"{}\"/>",
            nodes[*i as usize].1, !l.dynamic[*i as usize]
        );
    }
    doc.push_str(&super::drugs::amount_parameters(t));
    doc
}

/// Initial assignments of the signals and intermediates that depend on parameters only.
pub fn initial_assignments(w: &Writer) -> String {
    let l = &w.layout;
    let mut doc = String::from("<listOfInitialAssignments>\n");
    for (i, id) in l.named() {
        if !l.dynamic[i as usize] {
            let _ = writeln!(
                doc,
                "<initialAssignment symbol=\"{id}\">{}</initialAssignment>",
                w.math_of(i)
            );
        }
    }
    doc.push_str("</listOfInitialAssignments>\n");
    doc
}
