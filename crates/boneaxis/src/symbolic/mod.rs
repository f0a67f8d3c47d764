//! Numbers the model's equations can be written in: plain `f64` for simulation, or [`Expr`],
//! which records every operation so the same equations can be exported (SBML, other solvers).
//!
//! Physiology is generic over [`Real`] with `f64` as the default type, so simulation code sees
//! ordinary `f64` structs and pays nothing; export builds the same model over `Expr` and reads
//! the equations off the recorded graph. There is one source of truth for every equation.

pub mod expr;

pub use expr::{Expr, Node, Tape};

use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub};

/// A number of the model: arithmetic with itself and with `f64` constants, and the functions
/// the equations use. Comparisons look at the current value (for `Expr`, the value it was
/// traced at), so a branch must depend on parameters only; state-dependent choices use
/// [`Real::max`], [`Real::min`] or [`Real::clamp`], which are recorded.
pub trait Real:
    Copy
    + Debug
    + Default
    + PartialEq
    + PartialOrd
    + PartialOrd<f64>
    + PartialEq<f64>
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
    + AddAssign
    + MulAssign
    + Send
    + Sync
    + 'static
{
    /// A constant.
    fn constant(x: f64) -> Self;
    /// The current (or traced) value.
    fn value(self) -> f64;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn tanh(self) -> Self;
    fn sqrt(self) -> Self;
    fn powf(self, exponent: Self) -> Self;
    fn powi(self, exponent: i32) -> Self;
    fn max(self, other: Self) -> Self;
    fn min(self, other: Self) -> Self;
    fn clamp(self, low: f64, high: f64) -> Self {
        self.max(Self::constant(low)).min(Self::constant(high))
    }
    /// Whether this number is known to equal `x` whatever the inputs: for `f64` its value, for
    /// `Expr` only a folded constant. Guards shortcuts (`x^g = 1` when `x = 1`).
    fn is_exactly(self, x: f64) -> bool;
}

/// Arithmetic with an `f64` on the left (`1.0 - x`). Rust cannot make this a supertrait of
/// [`Real`], so generic code states `where f64: Lhs<R>`; it holds for every `Real` here.
pub trait Lhs<R>:
    Add<R, Output = R> + Sub<R, Output = R> + Mul<R, Output = R> + Div<R, Output = R>
{
}

impl<R, T> Lhs<R> for T where
    T: Add<R, Output = R> + Sub<R, Output = R> + Mul<R, Output = R> + Div<R, Output = R>
{
}

impl Real for f64 {
    #[inline]
    fn constant(x: f64) -> f64 {
        x
    }
    #[inline]
    fn value(self) -> f64 {
        self
    }
    #[inline]
    fn exp(self) -> f64 {
        f64::exp(self)
    }
    #[inline]
    fn ln(self) -> f64 {
        f64::ln(self)
    }
    #[inline]
    fn tanh(self) -> f64 {
        f64::tanh(self)
    }
    #[inline]
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
    #[inline]
    fn powf(self, exponent: f64) -> f64 {
        f64::powf(self, exponent)
    }
    #[inline]
    fn powi(self, exponent: i32) -> f64 {
        f64::powi(self, exponent)
    }
    #[inline]
    fn max(self, other: f64) -> f64 {
        f64::max(self, other)
    }
    #[inline]
    fn min(self, other: f64) -> f64 {
        f64::min(self, other)
    }
    #[inline]
    fn clamp(self, low: f64, high: f64) -> f64 {
        f64::clamp(self, low, high)
    }
    #[inline]
    fn is_exactly(self, x: f64) -> bool {
        self == x
    }
}
