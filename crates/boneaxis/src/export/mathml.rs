//! Content MathML for traced nodes: a node with an SBML id is referenced by it (`<ci>`), any
//! other is written out.

use crate::symbolic::Node;
use std::fmt::Write as _;

pub const TIME: &str =
    "<csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/time\">time</csymbol>";

/// A number in MathML (`<cn>`), infinities and NaN spelt as MathML constants.
pub fn number(x: f64) -> String {
    if x.is_nan() {
        "<notanumber/>".into()
    } else if x == f64::INFINITY {
        "<infinity/>".into()
    } else if x == f64::NEG_INFINITY {
        "<apply><minus/><infinity/></apply>".into()
    } else {
        format!("<cn>{x:e}</cn>")
    }
}

pub fn ci(id: &str) -> String {
    format!("<ci>{id}</ci>")
}

pub fn apply(op: &str, args: &[String]) -> String {
    let mut s = format!("<apply><{op}/>");
    for a in args {
        s.push_str(a);
    }
    s.push_str("</apply>");
    s
}

/// Writes node `i` (and what it needs); `id_of` names the nodes that are referenced by id.
pub fn node(
    nodes: &[(Node, f64)],
    i: u32,
    id_of: &dyn Fn(u32) -> Option<String>,
    top: bool,
) -> String {
    if !top {
        if let Some(id) = id_of(i) {
            return ci(&id);
        }
    }
    let sub = |j: &u32| node(nodes, *j, id_of, false);
    match &nodes[i as usize].0 {
        Node::Constant(c) => number(*c),
        Node::Parameter(_) | Node::Input(_) | Node::State(_) => {
            // Leaves always have ids; reaching here means a leaf is being defined.
            id_of(i).map_or_else(|| number(nodes[i as usize].1), |id| ci(&id))
        }
        Node::Add(a, b) => apply("plus", &[sub(a), sub(b)]),
        Node::Sub(a, b) => apply("minus", &[sub(a), sub(b)]),
        Node::Mul(a, b) => apply("times", &[sub(a), sub(b)]),
        Node::Div(a, b) => apply("divide", &[sub(a), sub(b)]),
        Node::Neg(a) => apply("minus", &[sub(a)]),
        Node::Exp(a) => apply("exp", &[sub(a)]),
        Node::Ln(a) => apply("ln", &[sub(a)]),
        Node::Tanh(a) => apply("tanh", &[sub(a)]),
        Node::Sqrt(a) => apply("root", &[sub(a)]),
        Node::Pow(a, b) => apply("power", &[sub(a), sub(b)]),
        Node::Max(a, b) => choose(&sub(a), &sub(b), "geq"),
        Node::Min(a, b) => choose(&sub(a), &sub(b), "leq"),
    }
}

/// `a` if `a <cmp> b`, else `b` (max and min as piecewise, which every SBML tool reads).
fn choose(a: &str, b: &str, cmp: &str) -> String {
    let mut s = String::from("<piecewise><piece>");
    let _ = write!(s, "{a}{}", apply(cmp, &[a.to_string(), b.to_string()]));
    let _ = write!(s, "</piece><otherwise>{b}</otherwise></piecewise>");
    s
}

/// A `<math>` element around one expression.
pub fn math(expr: &str) -> String {
    format!("<math xmlns=\"http://www.w3.org/1998/Math/MathML\">{expr}</math>")
}
