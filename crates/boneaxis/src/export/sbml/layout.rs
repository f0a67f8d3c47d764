//! Which traced node becomes which SBML element: leaves by name, named signals, and the
//! intermediates that are shared (or written twice by a piecewise) as rules of their own.

use super::sid;
use crate::export::trace::ArmTrace;
use crate::symbolic::Node;
use std::collections::{BTreeMap, HashMap};

pub struct Layout {
    ids: HashMap<u32, String>,
    /// Whether a node depends on states or inputs (a rule) or on parameters only (an initial
    /// assignment).
    pub dynamic: Vec<bool>,
    /// Named signals: node and name.
    pub signals: Vec<(u32, String)>,
    /// Shared intermediates, in tape (hence dependency) order.
    pub intermediates: Vec<u32>,
    /// Catalog parameters by name: their traced value.
    pub parameters: BTreeMap<String, f64>,
    /// Inputs by name: their value at time 0.
    pub inputs: BTreeMap<String, f64>,
}

/// Nodes written outside any rule (derivatives, drug rate constants): always named.
fn roots(t: &ArmTrace) -> Vec<u32> {
    let mut roots: Vec<u32> = t.derivatives.clone();
    roots.push(t.body_weight);
    for d in &t.drugs {
        roots.extend(d.structure.transfers.iter().map(|(_, _, r)| r.id));
        roots.extend([
            d.structure.volume.id,
            d.structure.oral_absorption.id,
            d.structure.ip_absorption.id,
        ]);
        if let Some((_, vm, _)) = d.structure.metabolite {
            roots.push(vm.id);
        }
    }
    roots
}

impl Layout {
    pub fn new(t: &ArmTrace) -> Layout {
        let nodes = &t.tape.nodes;
        let mut uses = vec![0usize; nodes.len()];
        let mut dynamic = vec![false; nodes.len()];
        let mut must_name = vec![false; nodes.len()];
        for (i, (n, _)) in nodes.iter().enumerate() {
            dynamic[i] = matches!(n, Node::Input(_) | Node::State(_));
            for c in n.operands() {
                uses[c as usize] += 1;
                dynamic[i] |= dynamic[c as usize];
                // A piecewise (max, min) writes its operands twice.
                must_name[c as usize] |= matches!(n, Node::Max(..) | Node::Min(..));
            }
        }
        for r in roots(t) {
            must_name[r as usize] = true;
        }
        let mut layout = Layout {
            ids: HashMap::new(),
            dynamic,
            signals: Vec::new(),
            intermediates: Vec::new(),
            parameters: BTreeMap::new(),
            inputs: BTreeMap::new(),
        };
        layout.name_leaves(t);
        layout.name_signals(t);
        for (i, (n, _)) in nodes.iter().enumerate() {
            let id = i as u32;
            if !n.is_leaf() && !layout.ids.contains_key(&id) && (uses[i] >= 2 || must_name[i]) {
                layout.ids.insert(id, format!("x{i}"));
                layout.intermediates.push(id);
            }
        }
        layout
    }

    fn name_leaves(&mut self, t: &ArmTrace) {
        for (i, (n, v)) in t.tape.nodes.iter().enumerate() {
            let i = i as u32;
            match n {
                Node::Parameter(name) => {
                    self.ids.insert(i, sid(name));
                    self.parameters.entry(name.clone()).or_insert(*v);
                }
                Node::Input(name) => {
                    self.ids.insert(i, format!("input_{}", sid(name)));
                    self.inputs.entry(name.clone()).or_insert(*v);
                }
                Node::State(k) => {
                    self.ids.insert(i, sid(&t.states[*k].name));
                }
                _ => {}
            }
        }
    }

    fn name_signals(&mut self, t: &ArmTrace) {
        for (name, i) in &t.signals {
            if t.tape.nodes[*i as usize].0.is_leaf() || self.ids.contains_key(i) {
                continue;
            }
            self.ids.insert(*i, format!("signal_{}", sid(name)));
            self.signals.push((*i, name.clone()));
        }
    }

    /// Named signals and shared intermediates with their ids, in that order.
    pub fn named(&self) -> impl Iterator<Item = (u32, String)> + '_ {
        self.signals
            .iter()
            .map(|(i, n)| (*i, format!("signal_{}", sid(n))))
            .chain(self.intermediates.iter().map(|i| (*i, format!("x{i}"))))
    }

    /// The SBML id of a node, if it has one.
    pub fn id(&self, i: u32) -> Option<String> {
        self.ids.get(&i).cloned()
    }
}
