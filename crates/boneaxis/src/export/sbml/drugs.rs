//! Drugs: amounts in compartments with first-order transfers, the plasma levels they give,
//! and the events of doses and schedule changes.

use super::sid;
use crate::export::mathml::{apply, ci, math, number, TIME};
use crate::export::trace::{ArmTrace, DrugBlock};
use crate::physiology::pharmacology::pk::PkEvent;
use crate::physiology::pharmacology::CENTRAL_COMPARTMENT;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Amount and infusion-rate parameters of every compartment of every drug.
pub fn amount_parameters(t: &ArmTrace) -> String {
    let mut doc = String::new();
    for d in &t.drugs {
        let key = d.drug.key();
        for c in 0..d.structure.n {
            let _ = writeln!(
                doc,
                "<parameter id=\"pk_{key}_a{c}\" name=\"{key}: amount in compartment {c}\" value=\"{:e}\" units=\"nmol\" constant=\"false\"/>",
                d.initial_amounts[c]
            );
            let _ = writeln!(
                doc,
                "<parameter id=\"pk_{key}_u{c}\" name=\"{key}: infusion into compartment {c}\" value=\"{:e}\" units=\"nmol_per_day\" constant=\"false\"/>",
                d.initial_infusion[c]
            );
        }
    }
    doc
}

/// Inputs with no rule and no event keep their value.
pub fn input_is_constant(name: &str, t: &ArmTrace) -> bool {
    if name == "age_days" || drug_input_names(t).iter().any(|n| n == name) {
        return false;
    }
    !t.schedule
        .iter()
        .any(|s| s.name == name && !s.changes.is_empty())
}

fn drug_input_names(t: &ArmTrace) -> Vec<String> {
    drug_rules(t, &|_| String::new())
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

/// Assignment rules of the drug inputs: plasma levels from amounts, and injected serotonin.
pub fn drug_rules(t: &ArmTrace, reference: &dyn Fn(u32) -> String) -> Vec<(String, String)> {
    let weight = reference(t.body_weight);
    let mut terms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in &t.drugs {
        let key = d.drug.key();
        let amount = |c: usize| ci(&format!("pk_{key}_a{c}"));
        let (parent, metabolite) = d.drug.moieties();
        match parent {
            None => {
                let s = &d.structure;
                terms
                    .entry("exogenous_serotonin_flux".into())
                    .or_default()
                    .push(apply(
                        "plus",
                        &[
                            apply("times", &[reference(s.oral_absorption.id), amount(0)]),
                            apply("times", &[reference(s.ip_absorption.id), amount(1)]),
                        ],
                    ));
            }
            Some(m) => {
                let volume = reference(d.structure.volume.id);
                terms
                    .entry(format!("plasma.{}", m.key()))
                    .or_default()
                    .push(apply(
                        "divide",
                        &[
                            amount(CENTRAL_COMPARTMENT),
                            apply("times", &[volume, weight.clone()]),
                        ],
                    ));
                if let (Some(mm), Some((c, vm, _))) = (metabolite, d.structure.metabolite) {
                    terms
                        .entry(format!("plasma.{}", mm.key()))
                        .or_default()
                        .push(apply(
                            "divide",
                            &[
                                amount(c),
                                apply("times", &[reference(vm.id), weight.clone()]),
                            ],
                        ));
                }
            }
        }
    }
    terms
        .into_iter()
        .map(|(name, parts)| {
            let rule = parts
                .into_iter()
                .reduce(|a, b| apply("plus", &[a, b]))
                .unwrap_or_else(|| number(0.0));
            (name, rule)
        })
        .collect()
}

/// `d amount/dt` of every compartment of a drug: infusion, outflows and inflows.
pub fn pk_rates(d: &DrugBlock, reference: &dyn Fn(u32) -> String) -> Vec<(usize, String)> {
    let key = d.drug.key();
    (0..d.structure.n)
        .map(|c| {
            let mut terms = vec![ci(&format!("pk_{key}_u{c}"))];
            for (from, to, rate) in &d.structure.transfers {
                let flow = apply(
                    "times",
                    &[reference(rate.id), ci(&format!("pk_{key}_a{from}"))],
                );
                if *from == c {
                    terms.push(apply("minus", std::slice::from_ref(&flow)));
                }
                if *to == Some(c) {
                    terms.push(flow);
                }
            }
            let rate = terms
                .into_iter()
                .reduce(|a, b| apply("plus", &[a, b]))
                .expect("the infusion term is there");
            (c, rate)
        })
        .collect()
}

/// A run of equal boluses at a fixed interval into one compartment: written as one event that
/// re-arms itself (a tool evaluates one trigger, not thousands).
struct Periodic {
    variable: String,
    first: f64,
    interval: f64,
    last: f64,
    amount: f64,
}

/// Splits a drug's boluses into periodic runs and the rest.
fn periodic_runs(d: &DrugBlock) -> (Vec<Periodic>, Vec<PkEvent>) {
    let mut by_compartment: BTreeMap<usize, Vec<(f64, f64)>> = BTreeMap::new();
    let mut rest = Vec::new();
    for e in &d.events {
        match *e {
            PkEvent::Bolus {
                time,
                compartment,
                amount,
            } => by_compartment
                .entry(compartment)
                .or_default()
                .push((time, amount)),
            other => rest.push(other),
        }
    }
    let mut runs = Vec::new();
    for (c, doses) in by_compartment {
        let regular = doses.len() >= 3 && {
            let interval = doses[1].0 - doses[0].0;
            doses.windows(2).all(|w| {
                w[1].1 == doses[0].1 && ((w[1].0 - w[0].0) - interval).abs() <= 1e-9 * interval
            })
        };
        if regular {
            runs.push(Periodic {
                variable: format!("pk_{}_a{c}", d.drug.key()),
                first: doses[0].0,
                interval: doses[1].0 - doses[0].0,
                last: doses[doses.len() - 1].0,
                amount: doses[0].1,
            });
        } else {
            rest.extend(doses.into_iter().map(|(time, amount)| PkEvent::Bolus {
                time,
                compartment: c,
                amount,
            }));
        }
    }
    (runs, rest)
}

/// Events: one per periodic dose run, and one per time for the other doses, infusion changes
/// and schedule changes at that time. Returns the extra parameters they need and the events.
pub fn events(t: &ArmTrace) -> (String, String) {
    let mut at: BTreeMap<u64, (f64, Vec<String>)> = BTreeMap::new();
    let mut add = |time: f64, assignment: String| {
        at.entry(time.to_bits())
            .or_insert_with(|| (time, Vec::new()))
            .1
            .push(assignment);
    };
    let assign = |variable: &str, value: String| {
        format!(
            "<eventAssignment variable=\"{variable}\">{}</eventAssignment>",
            math(&value)
        )
    };
    let mut parameters = String::new();
    let mut periodic = String::new();
    for d in &t.drugs {
        let key = d.drug.key();
        let (runs, rest) = periodic_runs(d);
        for (k, run) in runs.iter().enumerate() {
            let next = format!("{}_next_dose", run.variable);
            let _ = writeln!(
                parameters,
                "<parameter id=\"{next}\" name=\"{key}: time of the next dose\" value=\"{:e}\" units=\"day\" constant=\"false\"/>",
                run.first
            );
            let trigger = apply(
                "and",
                &[
                    apply("geq", &[TIME.to_string(), ci(&next)]),
                    apply("leq", &[ci(&next), number(run.last)]),
                ],
            );
            let _ = writeln!(
                periodic,
                "<event id=\"dose_{key}_{k}\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" persistent=\"true\">{}</trigger><listOfEventAssignments>{}{}</listOfEventAssignments></event>",
                math(&trigger),
                assign(&run.variable, apply("plus", &[ci(&run.variable), number(run.amount)])),
                assign(&next, apply("plus", &[ci(&next), number(run.interval)]))
            );
        }
        for e in rest {
            match e {
                PkEvent::Bolus {
                    time,
                    compartment,
                    amount,
                } => {
                    let v = format!("pk_{key}_a{compartment}");
                    add(time, assign(&v, apply("plus", &[ci(&v), number(amount)])));
                }
                PkEvent::ChangeInfusion {
                    time,
                    compartment,
                    change,
                } => {
                    let v = format!("pk_{key}_u{compartment}");
                    add(time, assign(&v, apply("plus", &[ci(&v), number(change)])));
                }
            }
        }
    }
    for input in &t.schedule {
        let variable = format!("input_{}", sid(&input.name));
        for (time, value) in &input.changes {
            add(*time, assign(&variable, number(*value)));
        }
    }
    if at.is_empty() && periodic.is_empty() {
        return (parameters, String::new());
    }
    let mut s = String::from("<listOfEvents>\n");
    s.push_str(&periodic);
    let mut times: Vec<&(f64, Vec<String>)> = at.values().collect();
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (k, (time, assignments)) in times.into_iter().enumerate() {
        let trigger = apply("geq", &[TIME.to_string(), number(*time)]);
        let _ = writeln!(
            s,
            "<event id=\"at_{k}\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" persistent=\"true\">{}</trigger><listOfEventAssignments>{}</listOfEventAssignments></event>",
            math(&trigger),
            assignments.join("")
        );
    }
    s.push_str("</listOfEvents>\n");
    (parameters, s)
}
