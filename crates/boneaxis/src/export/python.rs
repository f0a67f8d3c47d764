//! The traced equations of an arm as a Python module, for peers that integrate in Python
//! (`bench/peers/scipy_peer.py`): `rhs(t, y, u)` with `y` = model states then drug amounts, and
//! `u` the scheduled inputs and infusion rates of the current stretch between events.
//!
//! Quantities of parameters only are computed once at import; the rest in `rhs`, in dependency
//! order. The events (doses, infusion and schedule changes) are data for the driver, from
//! [`events`].

use super::sbml::sid;
use super::trace::{ArmTrace, SCHEDULED_INPUTS};
use crate::physiology::pharmacology::pk::PkEvent;
use crate::physiology::pharmacology::CENTRAL_COMPARTMENT;
use crate::symbolic::Node;
use std::fmt::Write as _;

/// The Python expression of one node from its operands `n<i>`.
fn expression(n: &Node, t: &ArmTrace) -> String {
    let v = |i: &u32| format!("n{i}");
    match n {
        Node::Constant(c) => format!("{c:?}"),
        Node::Parameter(_) => unreachable!("parameters are written as values"),
        Node::Input(name) => format!("input_{}", sid(name)),
        Node::State(k) => format!("y[{k}]  # {}", t.states[*k].name),
        Node::Add(a, b) => format!("{} + {}", v(a), v(b)),
        Node::Sub(a, b) => format!("{} - {}", v(a), v(b)),
        Node::Mul(a, b) => format!("{} * {}", v(a), v(b)),
        Node::Div(a, b) => format!("{} / {}", v(a), v(b)),
        Node::Neg(a) => format!("-{}", v(a)),
        Node::Exp(a) => format!("exp({})", v(a)),
        Node::Ln(a) => format!("log({})", v(a)),
        Node::Tanh(a) => format!("tanh({})", v(a)),
        Node::Sqrt(a) => format!("sqrt({})", v(a)),
        Node::Pow(a, b) => format!("{} ** {}", v(a), v(b)),
        Node::Max(a, b) => format!("max({}, {})", v(a), v(b)),
        Node::Min(a, b) => format!("min({}, {})", v(a), v(b)),
    }
}

/// Marks `i` and everything it needs.
fn mark(nodes: &[(Node, f64)], i: u32, needed: &mut [bool]) {
    let mut stack = vec![i];
    while let Some(j) = stack.pop() {
        if !needed[j as usize] {
            needed[j as usize] = true;
            stack.extend(nodes[j as usize].0.operands());
        }
    }
}

/// Python lines defining the plasma levels and injected serotonin from the drug amounts.
fn drug_inputs(t: &ArmTrace, offset: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut start = offset;
    let weight = format!("n{}", t.body_weight);
    for d in &t.drugs {
        let s = &d.structure;
        let a = |c: usize| format!("y[{}]", start + c);
        match d.drug.moieties() {
            (None, _) => lines.push(format!(
                "input_exogenous_serotonin_flux += n{} * {} + n{} * {}",
                s.oral_absorption.id,
                a(0),
                s.ip_absorption.id,
                a(1)
            )),
            (Some(m), metabolite) => {
                lines.push(format!(
                    "input_plasma_{} += {} / (n{} * {weight})",
                    m.key(),
                    a(CENTRAL_COMPARTMENT),
                    s.volume.id
                ));
                if let (Some(mm), Some((c, vm, _))) = (metabolite, s.metabolite) {
                    lines.push(format!(
                        "input_plasma_{} += {} / (n{} * {weight})",
                        mm.key(),
                        a(c),
                        vm.id
                    ));
                }
            }
        }
        start += s.n;
    }
    lines
}

/// The module's text.
pub fn write(t: &ArmTrace) -> String {
    let nodes = &t.tape.nodes;
    let n_states = t.states.len();
    let mut needed = vec![false; nodes.len()];
    let mut dynamic = vec![false; nodes.len()];
    for (i, (n, _)) in nodes.iter().enumerate() {
        dynamic[i] = matches!(n, Node::Input(_) | Node::State(_))
            || n.operands().iter().any(|c| dynamic[*c as usize]);
    }
    for d in &t.derivatives {
        mark(nodes, *d, &mut needed);
    }
    let mut weight_first = vec![false; nodes.len()];
    mark(nodes, t.body_weight, &mut weight_first);
    for d in &t.drugs {
        let s = &d.structure;
        for id in s.transfers.iter().map(|(_, _, r)| r.id).chain([
            s.volume.id,
            s.oral_absorption.id,
            s.ip_absorption.id,
        ]) {
            mark(nodes, id, &mut needed);
        }
        if let Some((_, vm, _)) = s.metabolite {
            mark(nodes, vm.id, &mut needed);
        }
    }
    mark(nodes, t.body_weight, &mut needed);
    let mut m = String::new();
    let _ = writeln!(
        m,
        "# The equations of scenario `{}`, arm `{}`, written by boneaxis {} from the same traced\n\
         # equations as its SBML export. Do not edit.\nfrom math import exp, log, tanh, sqrt\n",
        t.scenario,
        t.arm,
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(m, "N_STATES = {n_states}");
    let _ = writeln!(m, "START_AGE = {:?}\n", t.study.start_age);
    for (i, (n, v)) in nodes.iter().enumerate() {
        if needed[i] && !dynamic[i] {
            let rhs = match n {
                Node::Parameter(name) => format!("{v:?}  # {name}"),
                other => expression(other, t),
            };
            let _ = writeln!(m, "n{i} = {rhs}");
        }
    }
    m.push_str("\n\ndef rhs(t, y, u):\n    \"\"\"dy/dt: model states, then drug amounts; `u` holds inputs and infusions.\"\"\"\n");
    let _ = writeln!(m, "    input_age_days = START_AGE + t");
    for name in SCHEDULED_INPUTS {
        let _ = writeln!(m, "    input_{name} = u[\"{name}\"]");
    }
    let emit = |m: &mut String, i: usize| {
        let _ = writeln!(m, "    n{i} = {}", expression(&nodes[i].0, t));
    };
    let is_input = |i: usize| matches!(nodes[i].0, Node::Input(_));
    // Body weight first (drug levels divide by it), then the drug inputs, then the rest.
    let mut done = vec![false; nodes.len()];
    for i in 0..nodes.len() {
        if needed[i] && dynamic[i] && weight_first[i] {
            emit(&mut m, i);
            done[i] = true;
        }
    }
    m.push_str("    input_exogenous_serotonin_flux = 0.0\n");
    for moiety in crate::physiology::pharmacology::Moiety::ALL {
        let _ = writeln!(m, "    input_plasma_{} = 0.0", moiety.key());
    }
    for line in drug_inputs(t, n_states) {
        let _ = writeln!(m, "    {line}");
    }
    for pass_inputs in [true, false] {
        for i in 0..nodes.len() {
            if needed[i] && dynamic[i] && !done[i] && is_input(i) == pass_inputs {
                emit(&mut m, i);
                done[i] = true;
            }
        }
    }
    let mut dy: Vec<String> = t.derivatives.iter().map(|d| format!("n{d}")).collect();
    let mut start = n_states;
    for d in &t.drugs {
        let key = d.drug.key();
        for c in 0..d.structure.n {
            let mut terms = vec![format!("u[\"pk_{key}_u{c}\"]")];
            for (from, to, rate) in &d.structure.transfers {
                let flow = format!("n{} * y[{}]", rate.id, start + from);
                if *from == c {
                    terms.push(format!("- {flow}"));
                }
                if *to == Some(c) {
                    terms.push(format!("+ {flow}"));
                }
            }
            dy.push(terms.join(" "));
        }
        start += d.structure.n;
    }
    let _ = writeln!(
        m,
        "    return [\n        {},\n    ]",
        dy.join(",\n        ")
    );
    m
}

/// The driver's data: initial state (model states then drug amounts), the inputs and infusion
/// rates at time 0, and the events after 0 as `[time, [[target, "add"|"set", value], ...]]`,
/// where a target is a state index (a dose) or a name in `u`.
pub fn events(t: &ArmTrace) -> serde_json::Value {
    use serde_json::json;
    let mut initial = t.initial.clone();
    let mut u = serde_json::Map::new();
    for s in &t.schedule {
        u.insert(s.name.clone(), s.initial.into());
    }
    let mut changes: Vec<(f64, serde_json::Value)> = Vec::new();
    for d in &t.drugs {
        let key = d.drug.key();
        let offset = initial.len();
        initial.extend(&d.initial_amounts);
        for (c, rate) in d.initial_infusion.iter().enumerate() {
            u.insert(format!("pk_{key}_u{c}"), (*rate).into());
        }
        for e in &d.events {
            changes.push(match *e {
                PkEvent::Bolus {
                    time,
                    compartment,
                    amount,
                } => (time, json!([offset + compartment, "add", amount])),
                PkEvent::ChangeInfusion {
                    time,
                    compartment,
                    change,
                } => (
                    time,
                    json!([format!("pk_{key}_u{compartment}"), "add", change]),
                ),
            });
        }
    }
    for s in &t.schedule {
        changes.extend(
            s.changes
                .iter()
                .map(|(time, v)| (*time, json!([s.name, "set", v]))),
        );
    }
    let mut by_time: std::collections::BTreeMap<u64, (f64, Vec<serde_json::Value>)> =
        Default::default();
    for (time, c) in changes {
        by_time
            .entry(time.to_bits())
            .or_insert_with(|| (time, Vec::new()))
            .1
            .push(c);
    }
    let mut events: Vec<(f64, Vec<serde_json::Value>)> = by_time.into_values().collect();
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    json!({
        "initial": initial,
        "u": u,
        "events": events.into_iter().map(|(t, c)| json!([t, c])).collect::<Vec<_>>(),
    })
}
