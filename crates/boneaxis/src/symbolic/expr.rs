//! `Expr`: a number that records how it was computed.
//!
//! An `Expr` is a handle (node index and traced value) into a thread-local tape, so it is `Copy`
//! like `f64` and equations need no change to be traced. Operations on constants are folded; the
//! rest become nodes. [`Tape::record`] runs a closure on a fresh tape and returns its nodes.

use super::Real;
use std::cell::RefCell;
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub};

/// One recorded operation; operands are indices of earlier nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Constant(f64),
    /// A named model parameter (its value is in the tape).
    Parameter(String),
    /// A named input of the protocol (time-varying: stress, drug levels, age...).
    Input(String),
    /// A state variable, by index in the state vector.
    State(usize),
    Add(u32, u32),
    Sub(u32, u32),
    Mul(u32, u32),
    Div(u32, u32),
    Neg(u32),
    Exp(u32),
    Ln(u32),
    Tanh(u32),
    Sqrt(u32),
    Pow(u32, u32),
    Max(u32, u32),
    Min(u32, u32),
}

impl Node {
    /// The nodes this one is computed from.
    pub fn operands(&self) -> Vec<u32> {
        use Node::*;
        match self {
            Constant(_) | Parameter(_) | Input(_) | State(_) => vec![],
            Neg(a) | Exp(a) | Ln(a) | Tanh(a) | Sqrt(a) => vec![*a],
            Add(a, b) | Sub(a, b) | Mul(a, b) | Div(a, b) | Pow(a, b) | Max(a, b) | Min(a, b) => {
                vec![*a, *b]
            }
        }
    }

    /// A constant, parameter, input or state.
    pub fn is_leaf(&self) -> bool {
        self.operands().is_empty()
    }
}

thread_local! {
    static TAPE: RefCell<Vec<(Node, f64)>> = const { RefCell::new(Vec::new()) };
}

/// The recorded nodes and their traced values.
#[derive(Debug, Clone, Default)]
pub struct Tape {
    pub nodes: Vec<(Node, f64)>,
}

impl Tape {
    /// Runs `f` on an empty tape and returns its result with the nodes it recorded.
    pub fn record<T>(f: impl FnOnce() -> T) -> (T, Tape) {
        TAPE.with(|t| t.borrow_mut().clear());
        let out = f();
        let nodes = TAPE.with(|t| std::mem::take(&mut *t.borrow_mut()));
        (out, Tape { nodes })
    }
}

/// A traced number: index of its node and its value.
#[derive(Debug, Clone, Copy)]
pub struct Expr {
    pub id: u32,
    pub value: f64,
}

fn push(node: Node, value: f64) -> Expr {
    TAPE.with(|t| {
        let mut t = t.borrow_mut();
        t.push((node, value));
        Expr {
            id: (t.len() - 1) as u32,
            value,
        }
    })
}

fn constant_of(e: Expr) -> Option<f64> {
    TAPE.with(|t| match t.borrow().get(e.id as usize) {
        Some((Node::Constant(c), _)) => Some(*c),
        _ => None,
    })
}

impl Expr {
    pub fn parameter(name: &str, value: f64) -> Expr {
        push(Node::Parameter(name.to_string()), value)
    }

    pub fn input(name: &str, value: f64) -> Expr {
        push(Node::Input(name.to_string()), value)
    }

    pub fn state(index: usize, value: f64) -> Expr {
        push(Node::State(index), value)
    }

    fn unary(self, op: fn(u32) -> Node, f: fn(f64) -> f64) -> Expr {
        let v = f(self.value);
        if constant_of(self).is_some() {
            return push(Node::Constant(v), v);
        }
        push(op(self.id), v)
    }

    fn binary(self, other: Expr, op: fn(u32, u32) -> Node, f: fn(f64, f64) -> f64) -> Expr {
        let v = f(self.value, other.value);
        if constant_of(self).is_some() && constant_of(other).is_some() {
            return push(Node::Constant(v), v);
        }
        push(op(self.id, other.id), v)
    }
}

impl Default for Expr {
    fn default() -> Expr {
        Expr::constant(0.0)
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        self.value == other.value
    }
}

impl PartialOrd for Expr {
    fn partial_cmp(&self, other: &Expr) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl PartialEq<f64> for Expr {
    fn eq(&self, other: &f64) -> bool {
        self.value == *other
    }
}

impl PartialOrd<f64> for Expr {
    fn partial_cmp(&self, other: &f64) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(other)
    }
}

macro_rules! binary_ops {
    ($trait:ident, $method:ident, $node:ident, $op:tt) => {
        impl $trait for Expr {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                self.binary(rhs, Node::$node, |a, b| a $op b)
            }
        }
        impl $trait<f64> for Expr {
            type Output = Expr;
            fn $method(self, rhs: f64) -> Expr {
                self.binary(Expr::constant(rhs), Node::$node, |a, b| a $op b)
            }
        }
        impl $trait<Expr> for f64 {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                Expr::constant(self).binary(rhs, Node::$node, |a, b| a $op b)
            }
        }
    };
}

binary_ops!(Add, add, Add, +);
binary_ops!(Sub, sub, Sub, -);
binary_ops!(Mul, mul, Mul, *);
binary_ops!(Div, div, Div, /);

impl Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        self.unary(Node::Neg, |a| -a)
    }
}

impl AddAssign for Expr {
    fn add_assign(&mut self, rhs: Expr) {
        *self = *self + rhs;
    }
}

impl MulAssign for Expr {
    fn mul_assign(&mut self, rhs: Expr) {
        *self = *self * rhs;
    }
}

impl Real for Expr {
    fn constant(x: f64) -> Expr {
        push(Node::Constant(x), x)
    }
    fn value(self) -> f64 {
        self.value
    }
    fn exp(self) -> Expr {
        self.unary(Node::Exp, f64::exp)
    }
    fn ln(self) -> Expr {
        self.unary(Node::Ln, f64::ln)
    }
    fn tanh(self) -> Expr {
        self.unary(Node::Tanh, f64::tanh)
    }
    fn sqrt(self) -> Expr {
        self.unary(Node::Sqrt, f64::sqrt)
    }
    fn powf(self, exponent: Expr) -> Expr {
        self.binary(exponent, Node::Pow, f64::powf)
    }
    fn powi(self, exponent: i32) -> Expr {
        self.powf(Expr::constant(f64::from(exponent)))
    }
    fn max(self, other: Expr) -> Expr {
        self.binary(other, Node::Max, f64::max)
    }
    fn min(self, other: Expr) -> Expr {
        self.binary(other, Node::Min, f64::min)
    }
    fn is_exactly(self, x: f64) -> bool {
        constant_of(self) == Some(x)
    }
}
