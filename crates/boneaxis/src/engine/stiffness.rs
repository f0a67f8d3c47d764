//! Is a stretch of integration stiff at the step sizes it needs? The `auto` method asks this
//! once per stretch between breakpoints to pick an explicit or an implicit method.
//!
//! Between daily doses the solver needs steps of a few hours to follow the concentration
//! ripple; if the system's fastest relaxation is slower than that, an explicit method is stable
//! at those steps and needs no Newton matrix, so it is cheaper per step and takes fewer steps.
//! Over long smooth stretches (months without doses) the implicit method's large steps win.

use super::OdeSystem;

/// Largest `h·ρ` at which the explicit method is chosen. The stability region of the
/// Tsitouras 5(4) tableau (|R(z)| ≤ 1, computed from the tableau diffsol uses) reaches −3.51 on
/// the negative real axis, 3.0 at 100° and 3.5 from 120° to 180°, but only ±0.48 on the imaginary
/// axis. Stability is an efficiency question here, not one of accuracy: error control keeps an
/// explicit method accurate on a stiff stretch, only with more steps. The margin allows for the
/// Jacobian changing within a stretch.
pub const EXPLICIT_STABLE_H_RHO: f64 = 2.5;

/// An upper bound of the spectral radius of the Jacobian of `system` at `(t, y)`, 1/time.
///
/// Gershgorin's bound (smaller of the row-sum and column-sum bounds) on the Jacobian scaled by
/// the states' magnitudes, `S⁻¹JS`: a similarity, so its eigenvalues are the Jacobian's, and the
/// scaling keeps states of very different sizes from inflating the bound. The Jacobian comes
/// from forward differences (n + 1 right-hand sides).
pub fn spectral_radius_bound(system: &dyn OdeSystem, t: f64, y: &[f64]) -> f64 {
    let n = system.n();
    let magnitude: Vec<f64> = y
        .iter()
        .zip(system.scales())
        .map(|(yi, si)| yi.abs().max(*si))
        .collect();
    let mut f0 = vec![0.0; n];
    system.rhs(t, y, &mut f0);
    let mut shifted = y.to_vec();
    let mut f1 = vec![0.0; n];
    let mut row_sums = vec![0.0; n];
    let mut column_max = 0.0_f64;
    for j in 0..n {
        let h = f64::EPSILON.sqrt() * magnitude[j];
        shifted[j] = y[j] + h;
        system.rhs(t, &shifted, &mut f1);
        shifted[j] = y[j];
        let mut column_sum = 0.0;
        for i in 0..n {
            // (S⁻¹JS)_ij = J_ij · s_j / s_i, and J_ij · s_j ≈ (f1 − f0)_i · s_j / h.
            let entry = ((f1[i] - f0[i]) / h * magnitude[j] / magnitude[i]).abs();
            row_sums[i] += entry;
            column_sum += entry;
        }
        column_max = column_max.max(column_sum);
    }
    let row_max = row_sums.iter().copied().fold(0.0_f64, f64::max);
    let bound = row_max.min(column_max);
    if bound.is_finite() {
        bound
    } else {
        f64::INFINITY
    }
}

/// The longest interval between consecutive stops of `[a, b]` (its kinks inside, then `b`).
pub fn longest_stretch(a: f64, b: f64, kinks: &[f64]) -> f64 {
    let mut longest = 0.0_f64;
    let mut previous = a;
    for &k in kinks.iter().filter(|&&k| k > a && k < b) {
        longest = longest.max(k - previous);
        previous = k;
    }
    longest.max(b - previous)
}

/// Whether the explicit method suits `[a, b]`: it has kinks (doses) that keep the steps short,
/// and no stretch between them is longer than the explicit method's stable step at `a`.
pub fn explicit_suits(system: &dyn OdeSystem, a: f64, b: f64, y: &[f64], kinks: &[f64]) -> bool {
    if !kinks.iter().any(|&k| k > a && k < b) {
        return false;
    }
    let stretch = longest_stretch(a, b, kinks);
    stretch * spectral_radius_bound(system, a, y) <= EXPLICIT_STABLE_H_RHO
}

#[cfg(test)]
mod tests {
    use super::*;

    /// y' = A·y with a fixed matrix.
    struct Linear {
        a: Vec<Vec<f64>>,
        scales: Vec<f64>,
    }

    impl OdeSystem for Linear {
        fn n(&self) -> usize {
            self.a.len()
        }
        fn rhs(&self, _t: f64, y: &[f64], dy: &mut [f64]) {
            for (row, d) in self.a.iter().zip(dy.iter_mut()) {
                *d = row.iter().zip(y).map(|(aij, yj)| aij * yj).sum();
            }
        }
        fn scales(&self) -> &[f64] {
            &self.scales
        }
        fn enter_segment(&self, _start: f64, _end: f64) {}
    }

    #[test]
    fn the_bound_is_at_least_the_spectral_radius_and_tight_for_a_diagonal_system() {
        let system = Linear {
            a: vec![vec![-1.0, 0.0], vec![0.0, -100.0]],
            scales: vec![1.0, 1e-6],
        };
        let bound = spectral_radius_bound(&system, 0.0, &[2.0, 3e-6]);
        assert!(
            (bound - 100.0).abs() < 1e-4 * 100.0,
            "expected 100, actual {bound}, difference {}",
            bound - 100.0
        );
    }

    #[test]
    fn scaling_keeps_a_badly_scaled_coupling_from_inflating_the_bound() {
        // Eigenvalues −1 and −2; the coupling entry is huge only because the states' units differ.
        let system = Linear {
            a: vec![vec![-1.0, 1e6], vec![0.0, -2.0]],
            scales: vec![1.0, 1e-6],
        };
        let bound = spectral_radius_bound(&system, 0.0, &[1.0, 1e-6]);
        assert!((2.0..=3.0 + 1e-6).contains(&bound), "bound {bound}");
    }

    #[test]
    fn explicit_only_for_dosed_stretches_shorter_than_its_stable_step() {
        let slow = Linear {
            a: vec![vec![-0.5]],
            scales: vec![1.0],
        };
        let stiff = Linear {
            a: vec![vec![-50.0]],
            scales: vec![1.0],
        };
        let daily: Vec<f64> = (1..10).map(f64::from).collect();
        assert!(explicit_suits(&slow, 0.0, 10.0, &[1.0], &daily));
        assert!(!explicit_suits(&stiff, 0.0, 10.0, &[1.0], &daily));
        assert!(!explicit_suits(&slow, 0.0, 10.0, &[1.0], &[]));
        // Doses for the first days only: the undosed rest is too long for explicit steps.
        assert!(!explicit_suits(&slow, 0.0, 100.0, &[1.0], &daily));
        assert_eq!(longest_stretch(0.0, 100.0, &daily), 91.0);
    }
}
