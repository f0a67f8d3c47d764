//! Virtual populations and in-silico studies (`boneaxis study`).
//!
//! A scenario's `[population]` section says who is simulated: how many, with what spread of age
//! and sex, how many are depressed, smoke or drink (and how much), and how chosen parameters
//! vary between people (log-normal around the catalog value, with correlations). Every subject
//! is simulated in every arm (a counterfactual, paired design), from their own baseline.
//! `[[analysis]]` sections say what is computed: cross-sectional effect sizes and longitudinal
//! rates between groups, with 95% confidence intervals. See `docs/populations.md`.
//!
//! Subject `i` draws from its own random stream (seeded from the population seed and `i`), and
//! subjects are reduced in index order, so a seed gives bit-identical results whatever the
//! number of threads.

pub mod correlation;
pub mod cox;
pub mod measurement;
pub mod parquet;
pub mod rows;
pub mod run;
pub mod sample;
pub mod stats;
pub mod store;
pub mod survival;

use crate::params::ParamSet;
use crate::species::Sex;

/// The SD of the logarithm of a log-normal quantity with this coefficient of variation.
pub fn log_sigma(cv: f64) -> f64 {
    (1.0 + cv * cv).ln().sqrt()
}

/// A distribution of a covariate (values in the covariate's unit).
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    Fixed(f64),
    Uniform {
        min: f64,
        max: f64,
    },
    /// Truncated to `[min, max]` by redrawing (at most 64 times, then clamped).
    Normal {
        mean: f64,
        sd: f64,
        min: f64,
        max: f64,
    },
    LogNormal {
        median: f64,
        sigma: f64,
    },
}

/// A trait a share of the subjects have, with its level in them.
#[derive(Debug, Clone, PartialEq)]
pub struct Trait {
    /// Among people without depression (everyone, when there is no depression odds ratio).
    pub prevalence: f64,
    pub level: Distribution,
    /// Odds ratio of the trait in depressed people (1: independent of depression).
    pub depression_odds_ratio: f64,
    /// Years it lasts from the start (depression only; `None`: the whole study).
    pub duration: Option<Distribution>,
}

/// Drug use in an observational design: users (a trait whose level is their adherence) take
/// the drugs of `arms` with every dose scaled by their adherence; non-users take none of them.
#[derive(Debug, Clone, PartialEq)]
pub struct DrugUse {
    pub users: Trait,
    pub arms: Vec<String>,
}

/// A parameter, or a gene product's activity, that varies between subjects: `value·exp(σ·z)`
/// (a gene's value is 1, wild type), clamped to its bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Variability {
    /// The parameter's name, or `genotype.<gene>` for a gene product.
    pub parameter: String,
    pub gene: Option<crate::physiology::Gene>,
    /// Standard deviation of the logarithm, from the coefficient of variation.
    pub sigma: f64,
    pub bounds: [f64; 2],
}

/// Subjects' body mass index: a subject's adult weight is the reference adult's times
/// `bmi / reference` (the same height as the reference person).
#[derive(Debug, Clone, PartialEq)]
pub struct Bmi {
    /// kg/m².
    pub distribution: Distribution,
    /// The reference person's BMI (`clinical.reference_bmi`), kg/m².
    pub reference: f64,
}

/// A resolved `[population]` section.
#[derive(Debug, Clone)]
pub struct Population {
    pub size: usize,
    pub seed: u64,
    /// Age at the start, years.
    pub age: Distribution,
    pub female_share: f64,
    /// Depressive-episode (or stressor) severity through the whole study, 0–1.
    pub depression: Option<Trait>,
    /// Cigarettes per day.
    pub smoking: Option<Trait>,
    /// Units of alcohol per day.
    pub alcohol: Option<Trait>,
    /// Who takes the drugs of observational arms (level: adherence, 0–1).
    pub drug_use: Option<DrugUse>,
    /// Body mass index of the subjects (humans).
    pub bmi: Option<Bmi>,
    pub variability: Vec<Variability>,
    /// The error with which readouts are measured for the analyses.
    pub measurement: Vec<measurement::Measurement>,
    /// Lower Cholesky factor of the correlation matrix of the variable parameters' logarithms.
    pub cholesky: Vec<Vec<f64>>,
    /// The parameter sets of women and men (scenario overrides applied).
    pub female_params: ParamSet,
    pub male_params: ParamSet,
}

impl Population {
    pub fn params(&self, sex: Sex) -> &ParamSet {
        match sex {
            Sex::Female => &self.female_params,
            Sex::Male => &self.male_params,
        }
    }
}

/// Which subjects of an arm a group holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    All,
    Depressed,
    NotDepressed,
    Smoker,
    NonSmoker,
    Drinker,
    NonDrinker,
    Female,
    Male,
    Premenopausal,
    Postmenopausal,
    User,
    NonUser,
}

impl Who {
    pub const KEYS: [(&'static str, Who); 13] = [
        ("all", Who::All),
        ("depressed", Who::Depressed),
        ("not_depressed", Who::NotDepressed),
        ("smoker", Who::Smoker),
        ("non_smoker", Who::NonSmoker),
        ("drinker", Who::Drinker),
        ("non_drinker", Who::NonDrinker),
        ("female", Who::Female),
        ("male", Who::Male),
        ("premenopausal", Who::Premenopausal),
        ("postmenopausal", Who::Postmenopausal),
        ("user", Who::User),
        ("non_user", Who::NonUser),
    ];

    pub fn key(self) -> &'static str {
        Who::KEYS
            .iter()
            .find(|k| k.1 == self)
            .map_or("all", |k| k.0)
    }

    pub fn contains(self, s: &sample::Subject) -> bool {
        match self {
            Who::All => true,
            Who::Depressed => s.depression > 0.0,
            Who::NotDepressed => s.depression == 0.0,
            Who::Smoker => s.cigarettes_per_day > 0.0,
            Who::NonSmoker => s.cigarettes_per_day == 0.0,
            Who::Drinker => s.alcohol_units_per_day > 0.0,
            Who::NonDrinker => s.alcohol_units_per_day == 0.0,
            Who::Female => s.sex == Sex::Female,
            Who::Male => s.sex == Sex::Male,
            Who::Premenopausal => s.sex == Sex::Female && !s.postmenopausal,
            Who::Postmenopausal => s.postmenopausal,
            Who::User => s.drug_adherence > 0.0,
            Who::NonUser => s.drug_adherence == 0.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub arm: String,
    /// All must hold (empty: everyone).
    pub who: Vec<Who>,
}

impl Group {
    pub fn describe(&self) -> String {
        if self.who.is_empty() {
            return format!("`{}`", self.arm);
        }
        let names: Vec<String> = self.who.iter().map(|w| w.key().replace('_', " ")).collect();
        format!("`{}` ({})", self.arm, names.join(", "))
    }

    pub fn contains(&self, s: &sample::Subject) -> bool {
        self.who.iter().all(|w| w.contains(s))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalysisKind {
    /// Cross-sectional: Hedges' g of the readout at `at`, exposed vs unexposed.
    EffectSize,
    /// Longitudinal: mean annual % change of the readout from `from` to `at` per group, and
    /// the difference.
    Rate,
    /// Time to a first fracture (clinical layer, competing mortality): Cox hazard ratio of the
    /// exposed group, optionally adjusted for covariates.
    HazardRatio,
    /// Pearson correlation of two readouts at `at` across one group's subjects, partial on the
    /// covariates adjusted for (Fisher-z interval).
    Correlation,
    /// Cross-sectional: the share (%) of one group's subjects whose readout at `at` lies in a
    /// band (Wilson interval), e.g. osteoporosis, femoral-neck T-score ≤ −2.5.
    Prevalence,
}

/// The band of a prevalence on its scale (the readout's unit, or T-scores): `above < v ≤ below`,
/// `v` the lowest of the sites' values on that scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub above: Option<f64>,
    pub below: f64,
    /// The readouts read, each with its conversion to the band's scale.
    pub sites: Vec<BandSite>,
    /// Whether the scale is T-scores.
    pub t_score: bool,
}

/// A readout of a prevalence and its conversion to the band's scale: `(value − offset) / unit`.
#[derive(Debug, Clone, PartialEq)]
pub struct BandSite {
    pub readout: String,
    pub offset: f64,
    pub unit: f64,
}

impl Band {
    pub fn contains(&self, v: f64) -> bool {
        v <= self.below && self.above.is_none_or(|a| v > a)
    }

    /// What the summary of a prevalence's values describes.
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.sites.iter().map(|s| s.readout.as_str()).collect();
        match (names.as_slice(), self.t_score) {
            ([one], false) => one.to_string(),
            ([one], true) => format!("{one}, T-score"),
            (many, false) => format!("lowest of {}", many.join(", ")),
            (many, true) => format!("lowest T-score of {}", many.join(", ")),
        }
    }
}

impl BandSite {
    pub fn scaled(&self, value: f64) -> f64 {
        (value - self.offset) / self.unit
    }
}

/// A covariate a hazard ratio can be adjusted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covariate {
    /// Age at the start, years.
    Age,
    Female,
    Smoker,
    Drinker,
    Depressed,
    /// Body mass index, kg/m² (needs `[population] bmi`).
    Bmi,
}

impl Covariate {
    pub const KEYS: [(&'static str, Covariate); 6] = [
        ("age", Covariate::Age),
        ("female", Covariate::Female),
        ("smoker", Covariate::Smoker),
        ("drinker", Covariate::Drinker),
        ("depressed", Covariate::Depressed),
        ("bmi", Covariate::Bmi),
    ];

    pub fn value(self, s: &sample::Subject) -> f64 {
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        match self {
            Covariate::Age => s.age,
            Covariate::Female => flag(s.sex == Sex::Female),
            Covariate::Smoker => flag(s.cigarettes_per_day > 0.0),
            Covariate::Drinker => flag(s.alcohol_units_per_day > 0.0),
            Covariate::Depressed => flag(s.depression > 0.0),
            Covariate::Bmi => s.bmi.unwrap_or(f64::NAN),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Short key (`[[analysis]] id`), how validation cases refer to it.
    pub id: Option<String>,
    pub title: String,
    pub kind: AnalysisKind,
    pub readout: String,
    /// For correlations: the second readout.
    pub with: Option<String>,
    /// Days since the start.
    pub from: f64,
    pub at: f64,
    /// The two groups compared; for a correlation both are the group correlated.
    pub exposed: Group,
    pub unexposed: Group,
    /// For effect sizes: within sex × 10-year age strata, pooled by inverse variance.
    pub matched: bool,
    /// For hazard ratios: which fracture; for hazard ratios and correlations: the covariates
    /// adjusted for.
    pub outcome: survival::Outcome,
    pub adjust: Vec<Covariate>,
    /// For prevalences: the band counted.
    pub band: Option<Band>,
}

/// The readouts a validation case can ask of a population study: for each analysis with an `id`,
/// `analysis.<id>` (the estimate), `.ci_low`, `.ci_high`, `.exposed_mean`, `.unexposed_mean`.
pub fn case_readouts(analyses: &[Analysis]) -> Vec<String> {
    analyses
        .iter()
        .filter_map(|a| a.id.as_ref())
        .flat_map(|id| {
            [
                "",
                ".ci_low",
                ".ci_high",
                ".exposed_mean",
                ".unexposed_mean",
            ]
            .map(|suffix| format!("analysis.{id}{suffix}"))
        })
        .collect()
}

/// Runs the whole population of `study` and computes its analyses (no files, no progress).
pub fn run_analyses(
    study: &crate::simulate::Study,
) -> Result<Vec<stats::AnalysisResult>, crate::Error> {
    let pop = study.population.as_ref().ok_or_else(|| {
        crate::Error::Analysis(format!("scenario `{}` has no [population]", study.name))
    })?;
    let mut acc = stats::Accumulator::new(study, pop)?;
    run::run(study, pop, 0, 1024, &|| {}, |s, r| {
        acc.add(s, r);
        Ok(())
    })?;
    Ok(acc.finish(|_| String::new()))
}

/// The analyses as a one-arm (`study`), one-sample study of [`case_readouts`].
pub fn case_result(
    study: &crate::simulate::Study,
    results: &[stats::AnalysisResult],
) -> crate::simulate::StudyResult {
    let mut readouts = Vec::new();
    let mut values = Vec::new();
    for (a, r) in study.analyses.iter().zip(results) {
        let Some(id) = &a.id else { continue };
        for (suffix, v) in [
            ("", r.estimate),
            (".ci_low", r.ci[0]),
            (".ci_high", r.ci[1]),
            (".exposed_mean", r.exposed.mean),
            (".unexposed_mean", r.unexposed.mean),
        ] {
            readouts.push(crate::simulate::ReadoutInfo {
                name: format!("analysis.{id}{suffix}"),
                unit: r.unit.clone(),
                description: r.title.clone(),
            });
            values.push(vec![v]);
        }
    }
    crate::simulate::StudyResult {
        name: study.name.clone(),
        title: study.title.clone(),
        species: study.species,
        sex: study.sex,
        start_age_days: study.start_age,
        duration_days: study.duration,
        control: 0,
        readouts,
        arms: vec![crate::simulate::ArmResult {
            name: "study".into(),
            times: vec![study.duration],
            values,
            stats: Default::default(),
            baseline_stats: Default::default(),
            run_ms: 0.0,
        }],
    }
}
