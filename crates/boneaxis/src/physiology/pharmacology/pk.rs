//! Linear compartmental pharmacokinetics solved exactly.
//!
//! Drug amounts obey `dx/dt = A·x + u(t)`, with `A` constant and `u` piecewise constant
//! (infusions, e.g. drinking water). Between two events the solution is
//! `x(t) = x_ss + exp(A·(t − t_k))·(x_k − x_ss)`, `x_ss = −A⁻¹·u`. With the eigen-decomposition
//! `A = V·Λ·V⁻¹` this costs one exponential per compartment, so the stiff solver of the rest of
//! the model never has to resolve a dose: it reads concentrations as known functions of time.
//! This is exact for linear PK (the superposition principle); 3,650 daily doses cost 3,650
//! cheap knot updates at set-up and nothing per solver step beyond a binary search.
//!
//! If `V` is ill-conditioned (near-repeated eigenvalues, e.g. absorption rate equal to
//! elimination rate) the matrix exponential is computed by Padé approximation instead.

use nalgebra::{DMatrix, DVector};
use std::cell::Cell;

/// Largest number of compartments a drug model may have.
pub const MAX_COMPARTMENTS: usize = 6;

/// A linear compartmental system `dx/dt = A·x + u`.
#[derive(Debug, Clone)]
pub struct LinearPk {
    a: DMatrix<f64>,
    modal: Option<Modal>,
}

#[derive(Debug, Clone)]
struct Modal {
    lambda: Vec<f64>,
    v: DMatrix<f64>,
    v_inv: DMatrix<f64>,
}

impl LinearPk {
    /// Builds the system from first-order transfers `(from, to, rate)` (`to = None` leaves the
    /// body). Rates are in 1/day.
    pub fn new(n: usize, transfers: &[(usize, Option<usize>, f64)]) -> LinearPk {
        assert!(
            n <= MAX_COMPARTMENTS,
            "at most {MAX_COMPARTMENTS} compartments"
        );
        let mut a = DMatrix::zeros(n, n);
        for &(from, to, rate) in transfers {
            a[(from, from)] -= rate;
            if let Some(to) = to {
                a[(to, from)] += rate;
            }
        }
        let modal = Modal::decompose(&a);
        LinearPk { a, modal }
    }

    pub fn n(&self) -> usize {
        self.a.nrows()
    }

    /// Steady state under a constant input `u`: `x_ss = −A⁻¹·u` (zero when there is no input).
    fn steady_state(&self, u: &[f64]) -> Vec<f64> {
        if u.iter().all(|&v| v == 0.0) {
            return vec![0.0; self.n()];
        }
        let rhs = -DVector::from_column_slice(u);
        let x = self
            .a
            .clone()
            .lu()
            .solve(&rhs)
            .expect("every compartment drains, so A is invertible");
        x.iter().copied().collect()
    }

    /// `out = x_ss + exp(A·dt)·(x0 − x_ss)`, given the modal coordinates `z = V⁻¹(x0 − x_ss)`.
    fn propagate(&self, knot: &Knot, dt: f64, out: &mut [f64]) {
        match &self.modal {
            Some(m) => {
                let n = self.n();
                let mut decayed = [0.0; MAX_COMPARTMENTS];
                for ((d, l), z) in decayed.iter_mut().zip(&m.lambda).zip(&knot.z) {
                    *d = (l * dt).exp() * z;
                }
                for (i, o) in out.iter_mut().enumerate().take(n) {
                    let mut sum = knot.x_ss[i];
                    for (k, d) in decayed.iter().enumerate().take(n) {
                        sum += m.v[(i, k)] * d;
                    }
                    *o = sum;
                }
            }
            None => {
                let e = (&self.a * dt).exp();
                let dev: Vec<f64> = knot.x.iter().zip(&knot.x_ss).map(|(x, s)| x - s).collect();
                let moved = e * DVector::from_vec(dev);
                for (i, o) in out.iter_mut().enumerate() {
                    *o = knot.x_ss[i] + moved[i];
                }
            }
        }
    }

    fn knot(&self, t: f64, x: Vec<f64>, u: Vec<f64>) -> Knot {
        let x_ss = self.steady_state(&u);
        let z = match &self.modal {
            Some(m) => {
                let dev = DVector::from_iterator(x.len(), x.iter().zip(&x_ss).map(|(a, b)| a - b));
                (&m.v_inv * dev).iter().copied().collect()
            }
            None => Vec::new(),
        };
        Knot { t, x, u, x_ss, z }
    }
}

impl Modal {
    fn decompose(a: &DMatrix<f64>) -> Option<Modal> {
        let n = a.nrows();
        let lambda: Vec<f64> = a.clone().schur().eigenvalues()?.iter().copied().collect();
        // Distinct eigenvalues are needed for a well-conditioned eigenbasis.
        let scale = lambda
            .iter()
            .fold(0.0f64, |m, l| m.max(l.abs()))
            .max(1e-300);
        for i in 0..n {
            for j in 0..i {
                if (lambda[i] - lambda[j]).abs() < 1e-6 * scale {
                    return None;
                }
            }
        }
        let mut v = DMatrix::zeros(n, n);
        for (k, &l) in lambda.iter().enumerate() {
            let shifted = a - DMatrix::identity(n, n) * l;
            let svd = shifted.svd(false, true);
            let v_t = svd.v_t?;
            // The right singular vector of the smallest singular value spans the null space.
            let (imin, _) = svd
                .singular_values
                .iter()
                .enumerate()
                .min_by(|x, y| x.1.total_cmp(y.1))?;
            for i in 0..n {
                v[(i, k)] = v_t[(imin, i)];
            }
        }
        let v_inv = v.clone().try_inverse()?;
        // Reject a basis that does not reproduce A to near machine precision.
        let rebuilt = &v * DMatrix::from_diagonal(&DVector::from_vec(lambda.clone())) * &v_inv;
        let err = (rebuilt - a).abs().max();
        if err > 1e-9 * a.abs().max().max(1e-300) {
            return None;
        }
        Some(Modal { lambda, v, v_inv })
    }
}

#[derive(Debug, Clone)]
struct Knot {
    t: f64,
    /// Amounts just after the events at `t`.
    x: Vec<f64>,
    /// Infusion rates active from `t` on.
    u: Vec<f64>,
    x_ss: Vec<f64>,
    z: Vec<f64>,
}

/// A dosing event on the compartments of one drug.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PkEvent {
    /// An amount (nmol) placed in a compartment.
    Bolus {
        time: f64,
        compartment: usize,
        amount: f64,
    },
    /// A change (nmol/day) of the zero-order input into a compartment from `time` on.
    /// Changes, not rates, so that overlapping infusions add up.
    ChangeInfusion {
        time: f64,
        compartment: usize,
        change: f64,
    },
}

impl PkEvent {
    pub fn time(&self) -> f64 {
        match *self {
            PkEvent::Bolus { time, .. } | PkEvent::ChangeInfusion { time, .. } => time,
        }
    }
}

/// The exact amounts of one drug over time under a list of dosing events.
#[derive(Debug, Clone)]
pub struct PkTrajectory {
    system: LinearPk,
    /// The dosing events, in time order.
    events: Vec<PkEvent>,
    knots: Vec<Knot>,
    /// Index of the knot used last: solver evaluations move forward in time, so the search
    /// usually starts at the right place.
    cursor: Cell<usize>,
}

impl PkTrajectory {
    /// Applies the events in time order (events at the same time are applied together).
    pub fn new(system: LinearPk, mut events: Vec<PkEvent>) -> PkTrajectory {
        events.sort_by(|a, b| a.time().total_cmp(&b.time()));
        let n = system.n();
        let mut knots: Vec<Knot> = Vec::new();
        let mut i = 0;
        while i < events.len() {
            let t = events[i].time();
            let (mut x, mut u) = match knots.last() {
                Some(k) => {
                    let mut x = vec![0.0; n];
                    system.propagate(k, t - k.t, &mut x);
                    (x, k.u.clone())
                }
                None => (vec![0.0; n], vec![0.0; n]),
            };
            while i < events.len() && events[i].time() == t {
                match events[i] {
                    PkEvent::Bolus {
                        compartment,
                        amount,
                        ..
                    } => x[compartment] += amount,
                    PkEvent::ChangeInfusion {
                        compartment,
                        change,
                        ..
                    } => u[compartment] += change,
                }
                i += 1;
            }
            knots.push(system.knot(t, x, u));
        }
        PkTrajectory {
            system,
            events,
            knots,
            cursor: Cell::new(0),
        }
    }

    /// The dosing events, in time order.
    pub fn events(&self) -> &[PkEvent] {
        &self.events
    }

    /// Amounts (nmol) in every compartment at time `t`, including the events at `t`; zero
    /// before the first event.
    pub fn amounts_at(&self, t: f64, out: &mut [f64]) {
        self.amounts(t, false, out)
    }

    /// Amounts just before `t`: events at `t` are not yet applied (the left limit).
    pub fn amounts_before(&self, t: f64, out: &mut [f64]) {
        self.amounts(t, true, out)
    }

    fn amounts(&self, t: f64, left: bool, out: &mut [f64]) {
        let Some(k) = self.knot_index(t, left) else {
            out.iter_mut().for_each(|v| *v = 0.0);
            return;
        };
        let knot = &self.knots[k];
        self.system.propagate(knot, t - knot.t, out);
    }

    /// The last knot at or before `t` (strictly before when `left`).
    fn knot_index(&self, t: f64, left: bool) -> Option<usize> {
        let applies = |k: &Knot| if left { k.t < t } else { k.t <= t };
        if self.knots.is_empty() || !applies(&self.knots[0]) {
            return None;
        }
        let c = self.cursor.get().min(self.knots.len() - 1);
        let last_applying = |i: usize| {
            applies(&self.knots[i]) && (i + 1 >= self.knots.len() || !applies(&self.knots[i + 1]))
        };
        let k = if last_applying(c) {
            c
        } else if c + 1 < self.knots.len() && last_applying(c + 1) {
            c + 1
        } else {
            self.knots.partition_point(applies) - 1
        };
        self.cursor.set(k);
        Some(k)
    }

    /// Times of the events: where concentrations lose smoothness.
    pub fn event_times(&self) -> impl Iterator<Item = f64> + '_ {
        self.knots.iter().map(|k| k.t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One-compartment oral model: depot (0) → central (1) → out.
    fn oral(ka: f64, k: f64) -> LinearPk {
        LinearPk::new(2, &[(0, Some(1), ka), (1, None, k)])
    }

    fn bateman(dose: f64, ka: f64, k: f64, t: f64) -> f64 {
        dose * ka / (ka - k) * ((-k * t).exp() - (-ka * t).exp())
    }

    fn close(a: f64, b: f64) {
        let diff = (a - b).abs();
        assert!(
            diff <= 1e-10 * b.abs() + 1e-12,
            "expected {b}, actual {a}, difference {diff}"
        );
    }

    #[test]
    fn single_oral_dose_matches_the_bateman_function() {
        let traj = PkTrajectory::new(
            oral(12.0, 0.3),
            vec![PkEvent::Bolus {
                time: 1.0,
                compartment: 0,
                amount: 100.0,
            }],
        );
        let mut x = [0.0; 2];
        for &t in &[0.5, 1.0, 1.1, 2.0, 5.0, 30.0] {
            traj.amounts_at(t, &mut x);
            let expected = if t < 1.0 {
                0.0
            } else {
                bateman(100.0, 12.0, 0.3, t - 1.0)
            };
            close(x[1], expected);
        }
    }

    #[test]
    fn repeated_doses_superpose() {
        let doses: Vec<PkEvent> = (0..50)
            .map(|d| PkEvent::Bolus {
                time: d as f64,
                compartment: 0,
                amount: 10.0,
            })
            .collect();
        let traj = PkTrajectory::new(oral(5.0, 0.7), doses);
        let mut x = [0.0; 2];
        for &t in &[0.3, 10.5, 49.99, 60.0] {
            traj.amounts_at(t, &mut x);
            let expected: f64 = (0..50)
                .map(|d| d as f64)
                .filter(|&td| td <= t)
                .map(|td| bateman(10.0, 5.0, 0.7, t - td))
                .sum();
            close(x[1], expected);
        }
    }

    #[test]
    fn infusion_reaches_its_steady_state() {
        let traj = PkTrajectory::new(
            oral(4.0, 0.5),
            vec![
                PkEvent::ChangeInfusion {
                    time: 0.0,
                    compartment: 0,
                    change: 10.0,
                },
                PkEvent::ChangeInfusion {
                    time: 50.0,
                    compartment: 0,
                    change: 5.0,
                },
                PkEvent::ChangeInfusion {
                    time: 100.0,
                    compartment: 0,
                    change: -15.0,
                },
            ],
        );
        let mut x = [0.0; 2];
        traj.amounts_at(99.0, &mut x);
        close(x[1], 15.0 / 0.5);
        traj.amounts_at(200.0, &mut x);
        assert!(x[1] < 1e-10);
    }

    #[test]
    fn equal_rates_fall_back_to_the_matrix_exponential() {
        // ka = k is the degenerate (flip-flop) case: C(t) = D·k·t·e^{−kt}.
        let sys = oral(0.5, 0.5);
        assert!(sys.modal.is_none());
        let traj = PkTrajectory::new(
            sys,
            vec![PkEvent::Bolus {
                time: 0.0,
                compartment: 0,
                amount: 1.0,
            }],
        );
        let mut x = [0.0; 2];
        traj.amounts_at(3.0, &mut x);
        let diff = (x[1] - 0.5 * 3.0 * (-1.5f64).exp()).abs();
        assert!(diff < 1e-12, "difference {diff}");
    }

    #[test]
    fn mass_balance_holds_for_two_compartments_and_a_metabolite() {
        // depot → central ⇄ peripheral; central → metabolite (fm = 0.6) and out.
        let k = 0.4;
        let sys = LinearPk::new(
            4,
            &[
                (0, Some(1), 6.0),
                (1, Some(2), 1.5),
                (2, Some(1), 0.5),
                (1, Some(3), 0.6 * k),
                (1, None, 0.4 * k),
                (3, None, 0.1),
            ],
        );
        let traj = PkTrajectory::new(
            sys,
            vec![PkEvent::Bolus {
                time: 0.0,
                compartment: 0,
                amount: 1.0,
            }],
        );
        // Integrate the eliminated amounts by the trapezoid rule on a fine grid.
        let (mut out_parent, mut out_met) = (0.0, 0.0);
        let dt = 1e-3;
        let mut prev = [0.0; 4];
        traj.amounts_at(0.0, &mut prev);
        let mut x = [0.0; 4];
        for i in 1..=40_000 {
            traj.amounts_at(i as f64 * dt, &mut x);
            out_parent += 0.5 * dt * 0.4 * k * (x[1] + prev[1]);
            out_met += 0.5 * dt * 0.1 * (x[3] + prev[3]);
            prev = x;
        }
        let total = x.iter().sum::<f64>() + out_parent + out_met;
        assert!((total - 1.0).abs() < 1e-6, "mass balance: {total}");
    }
}
