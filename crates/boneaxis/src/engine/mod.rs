//! The mathematics: integrating an ODE system with a stiff solver, and finding steady states.
//!
//! The engine knows nothing of physiology. It integrates any [`OdeSystem`]: a right-hand side,
//! typical magnitudes of the states (for absolute tolerances) and a hook that tells the system
//! which segment between breakpoints the solver is in. Inputs that jump (a stressor switched on,
//! surgery, an infusion started) are breakpoints: the solver stops there and restarts, so it
//! never integrates across a discontinuity. Doses of linear-PK drugs are not breakpoints: their
//! concentrations are continuous, exact functions of time (see `physiology::pharmacology::pk`).
//!
//! The solver itself is behind the [`Integrator`] trait; [`stiff::Diffsol`] wraps diffsol's
//! BDF and SDIRK methods (pinned version), so a solver upgrade touches one file.

pub mod steady_state;
pub mod stiff;
pub mod stiffness;

use serde::Serialize;

/// An ODE system `dy/dt = f(t, y)`.
pub trait OdeSystem {
    fn n(&self) -> usize;
    /// Writes `f(t, y)` into `dy`. Must not allocate: it is called for every solver stage.
    fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64]);
    /// Typical magnitude of each state; absolute tolerances are relative to it.
    fn scales(&self) -> &[f64];
    /// The solver is about to integrate over `[start, end]`, a stretch without breakpoints or
    /// kinks. Inputs that change at `end` must be evaluated as their left limit there, so the
    /// step that lands on `end` sees the inputs of this stretch only.
    fn enter_segment(&self, start: f64, end: f64);
    /// Times where the right-hand side stays continuous but loses smoothness (e.g. doses of
    /// drugs solved exactly): the solver lands on them instead of stepping across, without a
    /// restart. Sorted.
    fn kinks(&self) -> Vec<f64> {
        Vec::new()
    }
    /// Whether a state is physically possible (e.g. no negative amounts); steady-state
    /// searches reject roots that are not.
    fn is_admissible(&self, _y: &[f64]) -> bool {
        true
    }
}

/// Accuracy and limits of the solver.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SolverOptions {
    pub rtol: f64,
    /// Absolute tolerance as a fraction of each state's scale.
    pub atol: f64,
    pub max_steps: usize,
    pub method: stiff::Method,
}

impl Default for SolverOptions {
    fn default() -> Self {
        // rtol 1e-5: within 2e-4 of a BDF reference at rtol 1e-8 on every readout of the
        // shipped scenarios (docs/performance.md).
        SolverOptions {
            rtol: 1e-5,
            atol: 1e-8,
            max_steps: 2_000_000,
            method: stiff::Method::Auto,
        }
    }
}

/// What the solver did, for reports and regression tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SolverStats {
    pub steps: usize,
    pub rhs_evaluations: usize,
    pub jacobian_evaluations: usize,
    pub linear_solver_setups: usize,
    pub error_test_failures: usize,
    pub nonlinear_solver_failures: usize,
    /// Number of segments (restarts at breakpoints).
    pub segments: usize,
}

impl SolverStats {
    pub fn add(&mut self, other: &SolverStats) {
        self.steps += other.steps;
        self.rhs_evaluations += other.rhs_evaluations;
        self.jacobian_evaluations += other.jacobian_evaluations;
        self.linear_solver_setups += other.linear_solver_setups;
        self.error_test_failures += other.error_test_failures;
        self.nonlinear_solver_failures += other.nonlinear_solver_failures;
        self.segments += other.segments;
    }
}

/// States sampled at requested times.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    pub times: Vec<f64>,
    /// `states[i]` is the state at `times[i]`.
    pub states: Vec<Vec<f64>>,
    pub stats: SolverStats,
}

/// A solver failure: when, and what the solver said.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineError {
    pub time: f64,
    pub message: String,
}

/// A method that integrates an [`OdeSystem`].
pub trait Integrator {
    /// Integrates from `t0` (state `y0`) to the last of `sample_times` (sorted, all ≥ `t0`),
    /// restarting at each breakpoint strictly inside the interval.
    fn integrate(
        &self,
        system: &dyn OdeSystem,
        t0: f64,
        y0: &[f64],
        breakpoints: &[f64],
        sample_times: &[f64],
    ) -> Result<Trajectory, EngineError>;
}

/// The segments `[a, b]` between `t0`, the breakpoints inside `(t0, t_end)` and `t_end`.
/// Breakpoints closer than this (relative) to a segment end are merged into it.
pub fn time_epsilon(t: f64) -> f64 {
    1e-9 * t.abs().max(1.0)
}

/// Breakpoints within [`time_epsilon`] of an end are dropped: a segment of rounding-error length
/// would only make the solver fail.
pub fn segments(t0: f64, t_end: f64, breakpoints: &[f64]) -> Vec<(f64, f64)> {
    let eps = time_epsilon(t_end);
    let mut cuts: Vec<f64> = breakpoints
        .iter()
        .copied()
        .filter(|&b| b > t0 + eps && b < t_end - eps)
        .collect();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut a = t0;
    for b in cuts {
        out.push((a, b));
        a = b;
    }
    out.push((a, t_end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_at_inner_breakpoints_only() {
        let s = segments(0.0, 10.0, &[5.0, 0.0, 10.0, 12.0, 5.0, 2.0, 10.0 - 1e-14]);
        assert_eq!(s, vec![(0.0, 2.0), (2.0, 5.0), (5.0, 10.0)]);
        assert_eq!(segments(0.0, 1.0, &[]), vec![(0.0, 1.0)]);
    }
}
