//! Steady states of autonomous systems: Newton's method in scaled coordinates, with a long
//! integration (pseudo-transient continuation) as the fallback when Newton does not converge.

use super::{EngineError, Integrator, OdeSystem};
use crate::numerics::newton;

/// Largest relative rate of change (per day) accepted as steady.
pub const STEADY_TOLERANCE: f64 = 1e-12;

/// Finds `y` with `f(t, y) = 0` for a system that does not depend on `t` (inputs frozen).
pub fn steady_state(
    system: &dyn OdeSystem,
    integrator: &dyn Integrator,
    t: f64,
    guess: &[f64],
) -> Result<Vec<f64>, EngineError> {
    let scales = system.scales().to_vec();
    let n = system.n();
    let residual = |x: &[f64], out: &mut [f64]| {
        let y: Vec<f64> = x.iter().zip(&scales).map(|(x, s)| x * s).collect();
        system.rhs(t, &y, out);
        for (o, s) in out.iter_mut().zip(&scales) {
            *o /= s;
        }
    };
    let to_state =
        |x: Vec<f64>| -> Vec<f64> { x.iter().zip(&scales).map(|(x, s)| x * s).collect() };
    let x0: Vec<f64> = guess.iter().zip(&scales).map(|(y, s)| y / s).collect();
    system.enter_segment(t, t);
    if let Some(x) = newton(&residual, &x0, STEADY_TOLERANCE, 60) {
        let y = to_state(x);
        if system.is_admissible(&y) {
            return Ok(y);
        }
    }
    // Relax for a long time, then polish with Newton.
    let horizon = 200.0 * 365.25;
    let traj = integrator.integrate(system, t, guess, &[], &[t + horizon])?;
    let relaxed = traj
        .states
        .last()
        .cloned()
        .unwrap_or_else(|| guess.to_vec());
    let x1: Vec<f64> = relaxed.iter().zip(&scales).map(|(y, s)| y / s).collect();
    system.enter_segment(t, t);
    match newton(&residual, &x1, STEADY_TOLERANCE, 60).map(to_state) {
        Some(y) if system.is_admissible(&y) => Ok(y),
        Some(_) => Err(EngineError {
            time: t,
            message: "the only steady state found is not physical (negative amounts)".into(),
        }),
        None => {
            let mut r = vec![0.0; n];
            residual(&x1, &mut r);
            let worst = r.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            Err(EngineError {
                time: t,
                message: format!(
                    "no steady state found (largest relative rate after relaxation {worst:.3e} per day)"
                ),
            })
        }
    }
}
