//! diffsol's solvers behind our [`Integrator`] trait: stiff (ESDIRK34, BDF, TR-BDF2) and, for
//! dosed stretches that are not stiff at the steps they need, explicit (Tsitouras 5(4)); the
//! default `auto` picks per stretch between breakpoints (see [`super::stiffness`]).
//!
//! Pitfalls of diffsol 0.19 handled here (see `docs/architecture.md`):
//! * the step budget defaults to 5,000 steps in total; we set it from [`SolverOptions`];
//! * implicit solvers need a Jacobian–vector product; we give a forward difference whose step
//!   is scaled by each state's magnitude, reusing `f(y)` across the columns of one Jacobian;
//! * after a discontinuity the solver is rebuilt from the current state, so its history and
//!   derivative are fresh (no stale `dy`).

use super::{segments, EngineError, Integrator, OdeSystem, SolverOptions, SolverStats, Trajectory};
use diffsol::{NalgebraLU, NalgebraMat, OdeBuilder, OdeSolverMethod, OdeSolverStopReason, Vector};
use std::cell::{Cell, RefCell};

type M = NalgebraMat<f64>;
type LS = NalgebraLU<f64>;

/// diffsol's stiff solvers, version `=0.19.0`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Diffsol {
    pub options: SolverOptions,
}

/// The integration method.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Per stretch between breakpoints: Tsit45 where doses keep the steps short and the system
    /// is not stiff at those steps, ESDIRK34 elsewhere (the default).
    #[default]
    Auto,
    /// Variable-order backward differentiation formulae (orders 1–5).
    Bdf,
    /// Explicit-first-stage singly diagonally implicit Runge–Kutta, order 3(4): one-step, so
    /// it restarts cheaply at each dose.
    Esdirk34,
    /// TR-BDF2, order 2.
    TrBdf2,
    /// Tsitouras 5(4), explicit: no Newton matrix, for stretches that are not stiff.
    Tsit45,
}

/// The relative tolerance `auto` gives Tsit45, as a share of the scenario's. At the same
/// tolerance its global error on ten years of daily doses is about 3× ESDIRK34's (platelet 5-HT
/// 7.5e-4 vs 2.2e-4 of a BDF rtol 1e-10 run); a third keeps `auto` as accurate as ESDIRK34.
pub const AUTO_EXPLICIT_RTOL_SHARE: f64 = 1.0 / 3.0;

impl Method {
    /// The method and relative tolerance for `[a, b]` starting from `y`.
    fn resolve(
        self,
        system: &dyn OdeSystem,
        (a, b): (f64, f64),
        y: &[f64],
        kinks: &[f64],
        rtol: f64,
    ) -> (Method, f64) {
        match self {
            Method::Auto if super::stiffness::explicit_suits(system, a, b, y, kinks) => {
                (Method::Tsit45, rtol * AUTO_EXPLICIT_RTOL_SHARE)
            }
            Method::Auto => (Method::Esdirk34, rtol),
            other => (other, rtol),
        }
    }
}

/// Forward-difference Jacobian–vector products with a cached `f(y)`.
struct FiniteDifference<'a> {
    system: &'a dyn OdeSystem,
    t: Cell<f64>,
    y: RefCell<Vec<f64>>,
    f: RefCell<Vec<f64>>,
    y_shift: RefCell<Vec<f64>>,
    f_shift: RefCell<Vec<f64>>,
    jacobian_products: Cell<usize>,
    rhs_evaluations: Cell<usize>,
}

impl<'a> FiniteDifference<'a> {
    fn new(system: &'a dyn OdeSystem) -> Self {
        let n = system.n();
        FiniteDifference {
            system,
            t: Cell::new(f64::NAN),
            y: RefCell::new(vec![f64::NAN; n]),
            f: RefCell::new(vec![0.0; n]),
            y_shift: RefCell::new(vec![0.0; n]),
            f_shift: RefCell::new(vec![0.0; n]),
            jacobian_products: Cell::new(0),
            rhs_evaluations: Cell::new(0),
        }
    }

    /// Forgets the cached `f(y)`: the inputs changed (a new stretch), so `f` at the same
    /// `(t, y)` may differ.
    fn invalidate(&self) {
        self.t.set(f64::NAN);
    }

    /// The system enters a new stretch; cached values no longer apply.
    fn enter(&self, start: f64, end: f64) {
        self.system.enter_segment(start, end);
        self.invalidate();
    }

    fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64]) {
        self.rhs_evaluations.set(self.rhs_evaluations.get() + 1);
        self.system.rhs(t, y, dy);
    }

    fn jac_mul(&self, t: f64, y: &[f64], v: &[f64], out: &mut [f64]) {
        self.jacobian_products.set(self.jacobian_products.get() + 1);
        let scales = self.system.scales();
        {
            let mut cached_y = self.y.borrow_mut();
            if self.t.get() != t || cached_y.as_slice() != y {
                self.rhs(t, y, &mut self.f.borrow_mut());
                cached_y.copy_from_slice(y);
                self.t.set(t);
            }
        }
        let size = y
            .iter()
            .zip(v)
            .zip(scales)
            .fold(0.0f64, |m, ((yi, vi), si)| {
                m.max(vi.abs() / yi.abs().max(*si))
            });
        if size == 0.0 {
            out.iter_mut().for_each(|o| *o = 0.0);
            return;
        }
        let h = f64::EPSILON.sqrt() / size;
        let mut y_shift = self.y_shift.borrow_mut();
        for ((ys, yi), vi) in y_shift.iter_mut().zip(y).zip(v) {
            *ys = yi + h * vi;
        }
        let mut f_shift = self.f_shift.borrow_mut();
        self.rhs(t, &y_shift, &mut f_shift);
        let f = self.f.borrow();
        for ((o, fs), f0) in out.iter_mut().zip(f_shift.iter()).zip(f.iter()) {
            *o = (fs - f0) / h;
        }
    }
}

impl Integrator for Diffsol {
    /// A panic inside the solver library becomes an [`EngineError`]: bad luck in a
    /// third-party crate must not take the whole run down.
    fn integrate(
        &self,
        system: &dyn OdeSystem,
        t0: f64,
        y0: &[f64],
        breakpoints: &[f64],
        sample_times: &[f64],
    ) -> Result<Trajectory, EngineError> {
        let run = std::panic::AssertUnwindSafe(|| {
            self.integrate_inner(system, t0, y0, breakpoints, sample_times)
        });
        std::panic::catch_unwind(run).unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(EngineError {
                time: f64::NAN,
                message: format!("the ODE solver library failed internally ({message})"),
            })
        })
    }
}

impl Diffsol {
    fn integrate_inner(
        &self,
        system: &dyn OdeSystem,
        t0: f64,
        y0: &[f64],
        breakpoints: &[f64],
        sample_times: &[f64],
    ) -> Result<Trajectory, EngineError> {
        let n = system.n();
        let t_end = sample_times.last().copied().unwrap_or(t0).max(t0);
        let atol: Vec<f64> = system
            .scales()
            .iter()
            .map(|s| self.options.atol * s)
            .collect();
        let fd = FiniteDifference::new(system);
        let kinks = system.kinks();
        let mut y = y0.to_vec();
        let mut out = Trajectory {
            times: Vec::with_capacity(sample_times.len()),
            states: Vec::with_capacity(sample_times.len()),
            stats: SolverStats::default(),
        };
        let mut next = 0;
        let record = |out: &mut Trajectory, t: f64, state: Vec<f64>| {
            out.times.push(t);
            out.states.push(state);
        };
        while next < sample_times.len() && sample_times[next] <= t0 {
            record(&mut out, sample_times[next], y.clone());
            next += 1;
        }
        for (a, b) in segments(t0, t_end, breakpoints) {
            if b <= a {
                continue;
            }
            // Before the solver is built: building it evaluates the right-hand side at `a`,
            // which must already see this segment's inputs.
            fd.enter(a, b);
            let fail = |time: f64, e: diffsol::error::DiffsolError| EngineError {
                time,
                message: e.to_string(),
            };
            let y_start = y.clone();
            let (method, rtol) =
                self.options
                    .method
                    .resolve(system, (a, b), &y, &kinks, self.options.rtol);
            let mut problem = OdeBuilder::<M>::new()
                .t0(a)
                .h0((1e-3 * (b - a)).min(1e-2))
                .rtol(rtol)
                .atol(atol.iter().copied())
                .rhs_implicit(
                    |x: &[f64], _p: &[f64], t: f64, dy: &mut [f64]| fd.rhs(t, x, dy),
                    |x: &[f64], _p: &[f64], t: f64, v: &[f64], jv: &mut [f64]| {
                        fd.jac_mul(t, x, v, jv)
                    },
                )
                .init(
                    |_p: &[f64], _t: f64, y: &mut [f64]| y.copy_from_slice(&y_start),
                    n,
                )
                .build()
                .map_err(|e| fail(a, e))?;
            problem.ode_options.max_number_timesteps = self.options.max_steps;
            // Step-size control tuned on daily-dosing runs (docs/performance.md): a large
            // allowed shrink and a small growth dead-zone cut rejected steps after doses.
            // (PI control would cut them further, but diffsol 0.19 panics with it when an
            // error norm is exactly zero, as at a steady state.)
            problem.ode_options.min_timestep_shrink = Some(0.1);
            problem.ode_options.min_timestep_growth = Some(1.2);
            // The stepping loop is the same for every diffsol method; a macro keeps their
            // concrete types out of our signatures.
            macro_rules! drive {
                ($solver:expr, $one_step:expr) => {{
                    let mut solver = $solver.map_err(|e| fail(a, e))?;
                    // Land on every kink inside the segment, then on its end.
                    let eps = super::time_epsilon(b);
                    let mut stops = kinks
                        .iter()
                        .copied()
                        .filter(|&k| k > a + eps && k < b - eps)
                        .chain(std::iter::once(b));
                    let mut stop = stops.next().unwrap_or(b);
                    fd.enter(a, stop);
                    solver.set_stop_time(stop).map_err(|e| fail(a, e))?;
                    // One-step methods restart cheaply at a kink: we give them the derivative
                    // after the dose (they would reuse the one before it) and the first step that
                    // worked after the previous kink (doses usually repeat).
                    let mut kink_at: Option<f64> = None;
                    let mut step_after_kink: Option<f64> = None;
                    loop {
                        let reason = solver.step().map_err(|e| fail(solver.state().t, e))?;
                        let t_now = solver.state().t;
                        if let Some(tk) = kink_at.take() {
                            let taken = t_now - tk;
                            // What the controller proposes next, kept within 2x of what it took,
                            // so the first step after a dose can grow from day to day.
                            step_after_kink =
                                Some(solver.state().h.clamp(0.5 * taken, 2.0 * taken));
                        }
                        while next < sample_times.len() && sample_times[next] < t_now.min(b) {
                            let state = solver
                                .interpolate(sample_times[next])
                                .map_err(|e| fail(sample_times[next], e))?;
                            record(&mut out, sample_times[next], state.clone_as_vec());
                            next += 1;
                        }
                        if t_now >= b {
                            break;
                        }
                        if matches!(reason, OdeSolverStopReason::TstopReached) {
                            let previous = stop;
                            stop = stops.next().unwrap_or(b);
                            fd.enter(previous, stop);
                            if $one_step {
                                let y_now = solver.state().y.clone_as_vec();
                                let mut dy = vec![0.0; n];
                                fd.rhs(t_now, &y_now, &mut dy);
                                let fresh =
                                    Vector::from_slice(&dy, solver.state().y.context().clone());
                                let state = solver.state_mut();
                                state.dy.copy_from(&fresh);
                                if let Some(h) = step_after_kink {
                                    *state.h = h.min(stop - t_now);
                                }
                                kink_at = Some(t_now);
                            }
                            solver.set_stop_time(stop).map_err(|e| fail(t_now, e))?;
                        }
                    }
                    let stats = solver.get_statistics();
                    (solver.state().y.clone_as_vec(), stats.clone())
                }};
            }
            let (y_end, stats) = match method {
                Method::Bdf => drive!(problem.bdf::<LS>(), false),
                Method::Esdirk34 | Method::Auto => drive!(problem.esdirk34::<LS>(), true),
                Method::TrBdf2 => drive!(problem.tr_bdf2::<LS>(), true),
                Method::Tsit45 => drive!(problem.tsit45(), true),
            };
            y = y_end;
            if y.iter().any(|v| !v.is_finite()) {
                return Err(EngineError {
                    time: b,
                    message: "the state became non-finite".into(),
                });
            }
            while next < sample_times.len() && sample_times[next] <= b {
                record(&mut out, sample_times[next], y.clone());
                next += 1;
            }
            out.stats.add(&SolverStats {
                steps: stats.number_of_steps,
                error_test_failures: stats.number_of_error_test_failures,
                nonlinear_solver_failures: stats.number_of_nonlinear_solver_fails,
                linear_solver_setups: stats.number_of_linear_solver_setups,
                segments: 1,
                ..SolverStats::default()
            });
        }
        out.stats.rhs_evaluations = fd.rhs_evaluations.get();
        out.stats.jacobian_evaluations = fd.jacobian_products.get() / n.max(1);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// y' = −k·y with a jump in k at t = 1 (a breakpoint).
    struct Decay {
        scales: Vec<f64>,
        k: Cell<f64>,
    }

    impl OdeSystem for Decay {
        fn n(&self) -> usize {
            1
        }
        fn rhs(&self, _t: f64, y: &[f64], dy: &mut [f64]) {
            dy[0] = -self.k.get() * y[0];
        }
        fn scales(&self) -> &[f64] {
            &self.scales
        }
        fn enter_segment(&self, start: f64, _end: f64) {
            self.k.set(if start < 1.0 { 1.0 } else { 3.0 });
        }
    }

    #[test]
    fn integrates_across_a_breakpoint_to_the_exact_solution() {
        // Global error allowed at rtol 1e-10; TR-BDF2 is only second order.
        for (method, bound) in [
            (Method::Bdf, 1e-7),
            (Method::Esdirk34, 1e-7),
            (Method::TrBdf2, 1e-6),
        ] {
            let sys = Decay {
                scales: vec![1.0],
                k: Cell::new(1.0),
            };
            let options = SolverOptions {
                rtol: 1e-10,
                atol: 1e-13,
                method,
                ..Default::default()
            };
            let times = [0.0, 0.5, 1.0, 1.5, 2.0];
            let traj = Diffsol { options }
                .integrate(&sys, 0.0, &[1.0], &[1.0], &times)
                .unwrap();
            assert_eq!(traj.times, times);
            for (t, y) in traj.times.iter().zip(&traj.states) {
                let exact = if *t <= 1.0 {
                    (-t).exp()
                } else {
                    (-1.0f64).exp() * (-3.0 * (t - 1.0)).exp()
                };
                let diff = (y[0] - exact).abs();
                assert!(
                    diff < bound * exact + 1e-10,
                    "{method:?} t={t}: expected {exact}, actual {}, difference {diff}",
                    y[0]
                );
            }
            assert_eq!(traj.stats.segments, 2);
            assert!(traj.stats.steps > 0);
        }
    }
}
