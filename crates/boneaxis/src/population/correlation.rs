//! Pearson and partial correlation accumulated in one pass: running means and co-moments of
//! (x, y, covariates) (the multivariate form of Welford's update), the partial correlation from
//! the inverse covariance matrix, and the Fisher-z 95% interval with `n − 3 − k` degrees of
//! freedom for `k` covariates.

use nalgebra::{DMatrix, DVector};

/// Means and co-moments of a vector of variables over the subjects added so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    pub n: u64,
    mean: DVector<f64>,
    comoment: DMatrix<f64>,
}

impl Moments {
    pub fn new(variables: usize) -> Moments {
        Moments {
            n: 0,
            mean: DVector::zeros(variables),
            comoment: DMatrix::zeros(variables, variables),
        }
    }

    pub fn push(&mut self, values: &[f64]) {
        self.n += 1;
        let v = DVector::from_column_slice(values);
        let before = &v - &self.mean;
        self.mean += &before / self.n as f64;
        let after = &v - &self.mean;
        self.comoment += &before * after.transpose();
    }

    /// The correlation of the first two variables given the others, and its 95% interval.
    pub fn partial_correlation(&self) -> (f64, [f64; 2]) {
        let k = self.mean.len() - 2;
        let none = (f64::NAN, [f64::NAN; 2]);
        if self.n < (k + 4) as u64 {
            return none;
        }
        let Some(precision) = self.comoment.clone().try_inverse() else {
            return none;
        };
        let r = -precision[(0, 1)] / (precision[(0, 0)] * precision[(1, 1)]).sqrt();
        let se = 1.0 / ((self.n as f64) - 3.0 - k as f64).sqrt();
        let z = r.clamp(-1.0 + 1e-15, 1.0 - 1e-15).atanh();
        (r, [(z - 1.96 * se).tanh(), (z + 1.96 * se).tanh()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(expected: f64, actual: f64, tol: f64) {
        let diff = (expected - actual).abs();
        assert!(
            diff <= tol,
            "expected {expected}, actual {actual}, difference {diff}"
        );
    }

    #[test]
    fn pearson_r_of_a_known_sample() {
        // x = 1..5, y = (2, 4, 5, 4, 5): Sxy = 6, Sxx = 10, Syy = 6, r = 6/sqrt(60).
        let mut m = Moments::new(2);
        for (x, y) in [(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)] {
            m.push(&[x, y]);
        }
        let (r, ci) = m.partial_correlation();
        close(6.0 / (10.0f64 * 6.0).sqrt(), r, 1e-12);
        assert!(ci[0] < r && r < ci[1]);
    }

    #[test]
    fn partial_correlation_matches_the_textbook_formula() {
        let e1 = [0.3, -0.1, 0.4, -0.5, 0.2, -0.3, 0.1, 0.0];
        let e2 = [-0.2, 0.4, 0.1, 0.3, -0.4, 0.2, -0.1, 0.0];
        let mut with_z = Moments::new(3);
        for (i, (a, b)) in e1.iter().zip(&e2).enumerate() {
            let z = i as f64;
            with_z.push(&[2.0 * z + a, -z + b, z]);
        }
        // The textbook formula: r_xy.z = (r_xy − r_xz r_yz)/sqrt((1 − r_xz²)(1 − r_yz²)).
        let pair = |p: usize, q: usize| {
            let mut m = Moments::new(2);
            for (i, (a, b)) in e1.iter().zip(&e2).enumerate() {
                let z = i as f64;
                let v = [2.0 * z + a, -z + b, z];
                m.push(&[v[p], v[q]]);
            }
            m.partial_correlation().0
        };
        let (rxy, rxz, ryz) = (pair(0, 1), pair(0, 2), pair(1, 2));
        let expected = (rxy - rxz * ryz) / ((1.0 - rxz * rxz) * (1.0 - ryz * ryz)).sqrt();
        close(expected, with_z.partial_correlation().0, 1e-9);
    }
}
