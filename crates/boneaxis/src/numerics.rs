//! Small numerical helpers shared by the model and the engine (not the ODE solver itself).

use nalgebra::{DMatrix, DVector};

/// Damped Newton iteration for `f(x) = 0` with a forward-difference Jacobian.
///
/// Returns `None` if it does not converge to `max|f| < tol` within `max_iter` iterations.
/// Meant for small systems (a few dozen unknowns) whose scale is O(1).
pub fn newton<F>(f: &F, x0: &[f64], tol: f64, max_iter: usize) -> Option<Vec<f64>>
where
    F: Fn(&[f64], &mut [f64]),
{
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut fx = vec![0.0; n];
    f(&x, &mut fx);
    let mut trial = vec![0.0; n];
    let mut f_trial = vec![0.0; n];
    let norm = |v: &[f64]| v.iter().fold(0.0f64, |m, a| m.max(a.abs()));
    for _ in 0..max_iter {
        if !fx.iter().all(|v| v.is_finite()) {
            return None;
        }
        if norm(&fx) < tol {
            return Some(x);
        }
        let jac = jacobian(f, &x, &fx);
        let step = jac.lu().solve(&(-DVector::from_column_slice(&fx)))?;
        let mut lambda = 1.0;
        let f0 = norm(&fx);
        loop {
            for i in 0..n {
                trial[i] = x[i] + lambda * step[i];
            }
            f(&trial, &mut f_trial);
            let ok = f_trial.iter().all(|v| v.is_finite());
            if ok && (norm(&f_trial) < (1.0 - 1e-4 * lambda) * f0 || lambda < 1e-6) {
                break;
            }
            lambda *= 0.5;
            if lambda < 1e-10 {
                return None;
            }
        }
        x.copy_from_slice(&trial);
        fx.copy_from_slice(&f_trial);
    }
    (norm(&fx) < tol).then_some(x)
}

/// Forward-difference Jacobian of `f` at `x` (with `fx = f(x)` known).
pub fn jacobian<F>(f: &F, x: &[f64], fx: &[f64]) -> DMatrix<f64>
where
    F: Fn(&[f64], &mut [f64]),
{
    let n = x.len();
    let m = fx.len();
    let mut jac = DMatrix::zeros(m, n);
    let mut xp = x.to_vec();
    let mut fp = vec![0.0; m];
    for j in 0..n {
        let h = 1e-7 * x[j].abs().max(1e-7);
        xp[j] = x[j] + h;
        f(&xp, &mut fp);
        for i in 0..m {
            jac[(i, j)] = (fp[i] - fx[i]) / h;
        }
        xp[j] = x[j];
    }
    jac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_solves_a_nonlinear_system() {
        let f = |x: &[f64], out: &mut [f64]| {
            out[0] = x[0] * x[0] + x[1] - 3.0;
            out[1] = x[0] - x[1] * x[1] + 1.0;
        };
        let x = newton(&f, &[1.5, 1.5], 1e-12, 50).unwrap();
        let mut r = [0.0; 2];
        f(&x, &mut r);
        assert!(r[0].abs() < 1e-12 && r[1].abs() < 1e-12, "residual {r:?}");
    }
}
