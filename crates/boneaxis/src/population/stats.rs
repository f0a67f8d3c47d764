//! Study statistics over subjects, accumulated in one pass: Hedges' g with its large-sample 95%
//! interval (Hedges & Olkin 1985), mean annual rates with normal intervals (bounded memory), and
//! Cox hazard ratios of time to first fracture (one record per subject and group in memory).

use super::correlation::Moments;
use super::cox::{self, Record};
use super::measurement::measure;
use super::sample::Subject;
use super::survival::{event_time, thresholds, Context};
use super::{Analysis, AnalysisKind, Population};
use crate::error::Error;
use crate::protocol::Protocol;
use crate::simulate::Study;
use crate::simulate::StudyResult;
use crate::units::days_per_year;
use crate::validation::case::value_at;
use serde::Serialize;

/// Running mean and variance (Welford 1962).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Welford {
    pub n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.mean
        }
    }

    /// Sample variance.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    pub fn standard_error(&self) -> f64 {
        (self.variance() / self.n as f64).sqrt()
    }
}

/// One group's summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub group: String,
    pub n: u64,
    pub mean: f64,
    pub sd: f64,
    pub ci: [f64; 2],
}

fn summary(group: String, w: &Welford) -> GroupSummary {
    let se = w.standard_error();
    GroupSummary {
        group,
        n: w.n,
        mean: w.mean(),
        sd: w.variance().sqrt(),
        ci: [w.mean() - 1.96 * se, w.mean() + 1.96 * se],
    }
}

/// The result of one analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisResult {
    pub title: String,
    pub kind: &'static str,
    pub readout: String,
    /// What the groups' values are: the readout (effect size) or %/year (rate).
    pub unit: String,
    pub exposed: GroupSummary,
    pub unexposed: GroupSummary,
    /// Hedges' g (effect size) or exposed − unexposed (rate), with its 95% interval.
    pub estimate: f64,
    pub ci: [f64; 2],
}

/// Hedges' g of `e` against `u` and its 95% interval.
pub fn hedges_g(e: &Welford, u: &Welford) -> (f64, [f64; 2]) {
    let (n1, n0) = (e.n as f64, u.n as f64);
    let pooled = (((n1 - 1.0) * e.variance() + (n0 - 1.0) * u.variance()) / (n1 + n0 - 2.0)).sqrt();
    let d = (e.mean() - u.mean()) / pooled;
    let g = d * (1.0 - 3.0 / (4.0 * (n1 + n0) - 9.0));
    let se = ((n1 + n0) / (n1 * n0) + g * g / (2.0 * (n1 + n0))).sqrt();
    (g, [g - 1.96 * se, g + 1.96 * se])
}

/// Fixed-effect (inverse-variance) pooling of Hedges' g over strata with at least two subjects
/// in each group.
pub fn pooled_g<'a>(strata: impl Iterator<Item = &'a [Welford; 2]>) -> (f64, [f64; 2]) {
    let (mut sum_w, mut sum_wg) = (0.0, 0.0);
    for [e, u] in strata {
        if e.n < 2 || u.n < 2 {
            continue;
        }
        let (g, ci) = hedges_g(e, u);
        let se = (ci[1] - ci[0]) / (2.0 * 1.96);
        if se.is_finite() && se > 0.0 {
            sum_w += 1.0 / (se * se);
            sum_wg += g / (se * se);
        }
    }
    let g = sum_wg / sum_w;
    let se = 1.0 / sum_w.sqrt();
    (g, [g - 1.96 * se, g + 1.96 * se])
}

/// A subject of a correlation's group: both readouts (summarised as the "exposed" and
/// "unexposed" means) and the covariates.
fn pair(
    a: &Analysis,
    moments: &mut Moments,
    groups: &mut [Welford; 2],
    subject: &Subject,
    result: &StudyResult,
) {
    if !a.exposed.contains(subject) {
        return;
    }
    let with = a.with.as_deref().unwrap_or(&a.readout);
    let x = value_at(result, &a.exposed.arm, &a.readout, a.at);
    let y = value_at(result, &a.exposed.arm, with, a.at);
    if let (Some(x), Some(y)) = (x, y) {
        if x.is_finite() && y.is_finite() {
            let mut v = vec![x, y];
            v.extend(a.adjust.iter().map(|c| c.value(subject)));
            moments.push(&v);
            groups[0].push(x);
            groups[1].push(y);
        }
    }
}

/// A subject of a prevalence's group: 100 or 0 (in the band or not) into the first summary,
/// the value the band is applied to (the lowest of the sites, on the band's scale) into the
/// second.
fn count(a: &Analysis, groups: &mut [Welford; 2], subject: &Subject, result: &StudyResult) {
    let band = a.band.as_ref().expect("a prevalence has a band");
    if !a.exposed.contains(subject) {
        return;
    }
    let lowest = band
        .sites
        .iter()
        .map(|site| {
            value_at(result, &a.exposed.arm, &site.readout, a.at)
                .filter(|v| v.is_finite())
                .map(|v| site.scaled(v))
        })
        .try_fold(f64::INFINITY, |low, v| v.map(|v| low.min(v)));
    if let Some(v) = lowest {
        groups[0].push(if band.contains(v) { 100.0 } else { 0.0 });
        groups[1].push(v);
    }
}

/// Wilson's 95% interval (%) of a share given in % of `n` subjects.
pub fn wilson(percent: f64, n: u64) -> [f64; 2] {
    if n == 0 {
        return [f64::NAN; 2];
    }
    let (p, n, z) = (percent / 100.0, n as f64, 1.96f64);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    [100.0 * (centre - half), 100.0 * (centre + half)]
}

/// Accumulates every analysis over subjects, in the order they are added.
#[derive(Debug, Clone)]
pub struct Accumulator {
    analyses: Vec<Analysis>,
    groups: Vec<[Welford; 2]>,
    /// Hazard-ratio analyses: one Cox record per subject and group.
    records: Vec<Vec<Record>>,
    /// Correlations: moments of (readout, with, covariates...).
    moments: Vec<Moments>,
    /// Matched effect sizes: per (sex, 10-year age band) the two groups.
    strata: Vec<std::collections::BTreeMap<(u8, i64), [Welford; 2]>>,
    protocols: Vec<(String, Protocol)>,
    context: Option<Context>,
    seed: u64,
    measurement: Vec<super::measurement::Measurement>,
}

impl Accumulator {
    /// The accumulator of a study's analyses; hazard ratios need the reference person of each
    /// sex, simulated here once.
    pub fn new(study: &Study, pop: &Population) -> Result<Accumulator, Error> {
        let analyses = study.analyses.clone();
        let context = if analyses.iter().any(|a| a.kind == AnalysisKind::HazardRatio) {
            Some(Context::new(study, pop)?)
        } else {
            None
        };
        Ok(Accumulator {
            groups: vec![[Welford::default(); 2]; analyses.len()],
            records: vec![Vec::new(); analyses.len()],
            moments: analyses
                .iter()
                .map(|a| Moments::new(2 + a.adjust.len()))
                .collect(),
            strata: vec![Default::default(); analyses.len()],
            protocols: study
                .arms
                .iter()
                .map(|a| (a.name.clone(), a.protocol.clone()))
                .collect(),
            analyses,
            context,
            seed: pop.seed,
            measurement: pop.measurement.clone(),
        })
    }

    /// The value an analysis takes from one arm of one subject.
    fn value(a: &Analysis, result: &StudyResult, arm: &str) -> Option<f64> {
        let at = value_at(result, arm, &a.readout, a.at)?;
        match a.kind {
            AnalysisKind::EffectSize
            | AnalysisKind::HazardRatio
            | AnalysisKind::Correlation
            | AnalysisKind::Prevalence => Some(at),
            AnalysisKind::Rate => {
                let from = value_at(result, arm, &a.readout, a.from)?;
                Some(100.0 * (at / from - 1.0) / ((a.at - a.from) / days_per_year()))
            }
        }
    }

    /// Adds a subject's results, as measured (`[[population.measurement]]`).
    pub fn add(&mut self, subject: &Subject, result: &StudyResult) {
        if self.measurement.is_empty() {
            self.add_measured(subject, result, result);
        } else {
            let measured = measure(&self.measurement, self.seed, subject.index, result);
            self.add_measured(subject, result, &measured);
        }
    }

    /// Fracture hazards read the model's values (`truth`); every other analysis the measured.
    fn add_measured(&mut self, subject: &Subject, truth: &StudyResult, result: &StudyResult) {
        for (k, a) in self.analyses.iter().enumerate() {
            if a.kind == AnalysisKind::Prevalence {
                count(a, &mut self.groups[k], subject, result);
                continue;
            }
            if a.kind == AnalysisKind::Correlation {
                pair(
                    a,
                    &mut self.moments[k],
                    &mut self.groups[k],
                    subject,
                    result,
                );
                continue;
            }
            for (side, g) in [&a.exposed, &a.unexposed].into_iter().enumerate() {
                if !g.contains(subject) {
                    continue;
                }
                if a.kind == AnalysisKind::HazardRatio {
                    let ctx = self.context.as_ref().expect("built for hazard ratios");
                    let protocol = &self
                        .protocols
                        .iter()
                        .find(|p| p.0 == g.arm)
                        .expect("checked")
                        .1;
                    let draws = thresholds(self.seed, subject.index, a.outcome);
                    if let Some((time, event)) =
                        event_time(ctx, subject, protocol, truth, &g.arm, a.outcome, draws)
                    {
                        self.groups[k][side].push(if event { 100.0 } else { 0.0 });
                        let mut covariates = vec![if side == 0 { 1.0 } else { 0.0 }];
                        covariates.extend(a.adjust.iter().map(|c| c.value(subject)));
                        self.records[k].push(Record {
                            time,
                            event,
                            covariates,
                        });
                    }
                } else if let Some(v) = Self::value(a, result, &g.arm).filter(|v| v.is_finite()) {
                    self.groups[k][side].push(v);
                    if a.matched {
                        let key = (subject.sex as u8, (subject.age / 10.0).floor() as i64);
                        self.strata[k].entry(key).or_default()[side].push(v);
                    }
                }
            }
        }
    }

    pub fn finish(&self, units: impl Fn(&str) -> String) -> Vec<AnalysisResult> {
        self.analyses
            .iter()
            .zip(&self.groups)
            .zip(&self.records)
            .zip(&self.strata)
            .zip(&self.moments)
            .map(|((((a, [e, u]), records), strata), moments)| {
                let (kind, unit, estimate, ci) = match a.kind {
                    AnalysisKind::Correlation => {
                        let (r, ci) = moments.partial_correlation();
                        ("correlation", "1".to_string(), r, ci)
                    }
                    AnalysisKind::Prevalence => (
                        "prevalence",
                        "%".to_string(),
                        e.mean(),
                        wilson(e.mean(), e.n),
                    ),
                    AnalysisKind::EffectSize if a.matched => {
                        let (g, ci) = pooled_g(strata.values());
                        ("effect_size", units(&a.readout), g, ci)
                    }
                    AnalysisKind::EffectSize => {
                        let (g, ci) = hedges_g(e, u);
                        ("effect_size", units(&a.readout), g, ci)
                    }
                    AnalysisKind::Rate => {
                        let diff = e.mean() - u.mean();
                        let se = (e.standard_error().powi(2) + u.standard_error().powi(2)).sqrt();
                        (
                            "rate",
                            "%/year".to_string(),
                            diff,
                            [diff - 1.96 * se, diff + 1.96 * se],
                        )
                    }
                    AnalysisKind::HazardRatio => {
                        let (hr, ci) = cox::fit(records)
                            .map(|f| f.hazard_ratio(0))
                            .unwrap_or((f64::NAN, [f64::NAN; 2]));
                        (
                            "hazard_ratio",
                            "% with a first fracture".to_string(),
                            hr,
                            ci,
                        )
                    }
                };
                AnalysisResult {
                    title: a.title.clone(),
                    kind,
                    readout: a.readout.clone(),
                    unit,
                    exposed: summary(a.exposed.describe(), e),
                    unexposed: match (&a.with, a.kind) {
                        (Some(with), AnalysisKind::Correlation) => {
                            summary(format!("{} ({with})", a.unexposed.describe()), u)
                        }
                        (_, AnalysisKind::Prevalence) => {
                            let band = a.band.as_ref().expect("a prevalence has a band");
                            summary(
                                format!("{} ({})", a.unexposed.describe(), band.describe()),
                                u,
                            )
                        }
                        _ => summary(a.unexposed.describe(), u),
                    },
                    estimate,
                    ci,
                }
            })
            .collect()
    }
}
