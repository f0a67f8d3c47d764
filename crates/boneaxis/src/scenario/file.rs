//! The raw scenario file, as written (serde). Unknown keys are errors; values that need
//! checking against each other keep their location (`Spanned`) so errors can point at them.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// A quantity written as a string with its unit, e.g. `"4 weeks"`.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantityText(pub String);

impl<'de> Deserialize<'de> for QuantityText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = QuantityText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a quantity with its unit as a string, e.g. \"4 weeks\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<QuantityText, E> {
                Ok(QuantityText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<QuantityText, E> {
                Err(E::custom(format!(
                    "{v} has no unit: write it as a string with its unit, e.g. \"{v} days\""
                )))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<QuantityText, E> {
                Err(E::custom(format!(
                    "{v} has no unit: write it as a string with its unit, e.g. \"{v} days\""
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// A parameter override: a number in the catalog unit, or a string with a unit.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OverrideValue {
    Number(f64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub scenario: Header,
    #[serde(default)]
    pub model: ModelSection,
    #[serde(default)]
    pub output: OutputSection,
    #[serde(default)]
    pub solver: SolverSection,
    #[serde(default, rename = "arm")]
    pub arms: Vec<Spanned<ArmSection>>,
    #[serde(default)]
    pub population: Option<Spanned<PopulationSection>>,
    #[serde(default, rename = "analysis")]
    pub analyses: Vec<Spanned<AnalysisSection>>,
}

/// A distribution of a covariate. `fixed`: `value`; `uniform`: `min`, `max`; `normal`:
/// `mean`, `sd`, truncated to `[min, max]` when given; `lognormal`: median `value`, `cv`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionSection {
    pub distribution: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub mean: Option<f64>,
    #[serde(default)]
    pub sd: Option<f64>,
    #[serde(default)]
    pub cv: Option<f64>,
}

impl DistributionSection {
    /// Always `value`.
    pub fn fixed(value: f64) -> Self {
        DistributionSection {
            distribution: "fixed".into(),
            value: Some(value),
            min: None,
            max: None,
            mean: None,
            sd: None,
            cv: None,
        }
    }
}

/// A trait some subjects have: the share who have it and its level in them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraitSection {
    pub prevalence: f64,
    pub level: DistributionSection,
    /// Odds ratio of having this trait when depressed (confounding; smoking and alcohol).
    #[serde(default)]
    pub depression_odds_ratio: Option<f64>,
    /// How long it lasts from the start of the study, years (depression; default: the whole
    /// study).
    #[serde(default)]
    pub duration: Option<DistributionSection>,
}

/// Drug use in an observational design: a share of subjects (more of the depressed: confounding
/// by indication) take the drugs of the listed arms, each at their adherence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrugUseSection {
    /// Among people without depression.
    pub prevalence: f64,
    #[serde(default)]
    pub depression_odds_ratio: Option<f64>,
    /// Share of doses taken, 0–1 (default: all).
    #[serde(default)]
    pub adherence: Option<DistributionSection>,
    /// The arms whose drugs only users take.
    pub arms: Vec<String>,
}

/// Inter-individual variability of a parameter: log-normal around its value (the median).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariabilitySection {
    /// A catalog parameter; or, with `gene`, none.
    #[serde(default)]
    pub parameter: Option<String>,
    /// A gene product whose activity varies around wild type (1), e.g. `tph1_gut`.
    #[serde(default)]
    pub gene: Option<String>,
    pub cv: f64,
}

/// The error with which a readout is measured for the analyses (fractions and the readout's
/// unit; all default to 0).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasurementSection {
    pub readout: String,
    /// Coefficient of variation of each measurement (day-to-day and assay).
    #[serde(default)]
    pub cv: f64,
    /// Coefficient of variation of a lasting per-person factor the model does not explain.
    #[serde(default)]
    pub person_cv: f64,
    /// Additive SD of each measurement, in the readout's unit.
    #[serde(default)]
    pub sd: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrelationSection {
    pub parameters: [String; 2],
    pub r: f64,
}

/// A virtual population: who is simulated (`boneaxis study`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationSection {
    pub size: i64,
    #[serde(default)]
    pub seed: Option<u64>,
    /// Age at the start, years.
    #[serde(default)]
    pub age: Option<DistributionSection>,
    /// Share of women (default: the scenario's sex).
    #[serde(default)]
    pub female_share: Option<f64>,
    /// Depressive episode through the study; level = severity 0–1.
    #[serde(default)]
    pub depression: Option<TraitSection>,
    /// Level = cigarettes per day.
    #[serde(default)]
    pub smoking: Option<TraitSection>,
    /// Level = units of alcohol per day.
    #[serde(default)]
    pub alcohol: Option<TraitSection>,
    /// Who takes the drugs of observational arms, and how faithfully.
    #[serde(default)]
    pub drug_use: Option<DrugUseSection>,
    /// Body mass index, kg/m² (humans): sets each subject's adult body weight.
    #[serde(default)]
    pub bmi: Option<DistributionSection>,
    #[serde(default)]
    pub variability: Vec<VariabilitySection>,
    #[serde(default)]
    pub correlation: Vec<CorrelationSection>,
    /// How readouts are measured for the analyses (error added to the model's values).
    #[serde(default)]
    pub measurement: Vec<MeasurementSection>,
}

/// A statistic of a population study.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisSection {
    /// `effect_size` (cross-sectional Hedges' g), `rate` (longitudinal %/year),
    /// `hazard_ratio` (time to first fracture, Cox), `correlation` (Pearson r of `readout`
    /// with `with` across the subjects of `group`, partial on `adjust`) or `prevalence` (the
    /// share of `group` whose `readout` lies at or below `below`, and above `above`).
    pub kind: String,
    pub readout: String,
    /// For `correlation`: the second readout.
    #[serde(default)]
    pub with: Option<String>,
    /// For `correlation` and `prevalence`: the subjects analysed.
    #[serde(default)]
    pub group: Option<GroupSection>,
    /// For `prevalence`: the upper end of the band (inclusive), in the readout's unit or, with
    /// `scale = "t_score"`, as a T-score.
    #[serde(default)]
    pub below: Option<f64>,
    /// For `prevalence`: the lower end of the band (exclusive); none by default.
    #[serde(default)]
    pub above: Option<f64>,
    /// For `prevalence`: `t_score` to give `below` and `above` as T-scores of a human DXA
    /// site's BMD (against the catalog's young-adult reference); the readout's unit otherwise.
    #[serde(default)]
    pub scale: Option<String>,
    /// For `prevalence`: further readouts; each subject is counted by the lowest of `readout`
    /// and these on the band's scale, as a WHO category is read from the lowest T-score of the
    /// sites measured.
    #[serde(default)]
    pub also: Vec<String>,
    #[serde(default)]
    pub at: Option<QuantityText>,
    #[serde(default)]
    pub from: Option<QuantityText>,
    #[serde(default)]
    pub exposed: Option<GroupSection>,
    #[serde(default)]
    pub unexposed: Option<GroupSection>,
    #[serde(default)]
    pub title: Option<String>,
    /// Short key for validation cases (`readout = "analysis.<id>"`).
    #[serde(default)]
    pub id: Option<String>,
    /// For `effect_size`: compare within strata of sex and 10-year age band and pool the strata
    /// (inverse-variance), as a meta-analysis of age- and sex-matched studies does.
    #[serde(default)]
    pub matched: bool,
    /// For `hazard_ratio`: `hip` or `major` (default).
    #[serde(default)]
    pub outcome: Option<String>,
    /// For `hazard_ratio` and `correlation`: covariates to adjust for (`age`, `female`,
    /// `smoker`, `drinker`, `depressed`).
    #[serde(default)]
    pub adjust: Vec<String>,
}

/// Subjects of one arm, optionally only those with (or without) a trait.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSection {
    pub arm: String,
    /// `all` (default), `depressed`, `not_depressed`, `smoker`, `non_smoker`, `drinker`,
    /// `non_drinker`, `female`, `male`, `premenopausal`, `postmenopausal`, or a list of them.
    #[serde(default)]
    pub who: Option<WhoField>,
}

/// One group name, or a list that must all hold (`["female", "depressed"]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum WhoField {
    One(String),
    All(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub name: Spanned<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub species: crate::species::Species,
    pub sex: crate::species::Sex,
    pub age: Spanned<QuantityText>,
    pub duration: Spanned<QuantityText>,
    #[serde(default)]
    pub control: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSection {
    #[serde(default)]
    pub pathways: Vec<Spanned<String>>,
    #[serde(default)]
    pub parameters: BTreeMap<String, Spanned<OverrideValue>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    #[serde(default)]
    pub readouts: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub every: Option<Spanned<QuantityText>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolverSection {
    #[serde(default)]
    pub rtol: Option<Spanned<f64>>,
    #[serde(default)]
    pub atol: Option<Spanned<f64>>,
    #[serde(default)]
    pub max_steps: Option<Spanned<i64>>,
    #[serde(default)]
    pub method: Option<Spanned<String>>,
    /// `exact` (default) or `averaged`.
    #[serde(default)]
    pub dosing: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArmSection {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub knockouts: Vec<Spanned<String>>,
    /// Lifelong adult body weight of this arm's individual (e.g. "70 kg").
    #[serde(default)]
    pub body_weight: Option<Spanned<QuantityText>>,
    #[serde(default)]
    pub ovariectomy: Option<Spanned<QuantityText>>,
    #[serde(default)]
    pub stress: Vec<Spanned<StressSection>>,
    #[serde(default)]
    pub depression: Vec<Spanned<DepressionSection>>,
    #[serde(default)]
    pub drug: Vec<Spanned<DrugSection>>,
    #[serde(default)]
    pub diet: Vec<Spanned<DietSection>>,
    #[serde(default)]
    pub smoking: Vec<Spanned<SmokingSection>>,
    #[serde(default)]
    pub alcohol: Vec<Spanned<AlcoholSection>>,
    #[serde(default)]
    pub inflammation: Vec<Spanned<InflammationSection>>,
}

// Every timed section repeats `start` and `stop` instead of flattening a shared struct: serde's
// `flatten` disables `deny_unknown_fields` and loses the locations of errors.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StressSection {
    #[serde(default)]
    pub protocol: Option<Spanned<String>>,
    #[serde(default)]
    pub intensity: Option<Spanned<f64>>,
    /// Defaults to the start of the study.
    #[serde(default)]
    pub start: Option<Spanned<QuantityText>>,
    /// Defaults to the end of the study.
    #[serde(default)]
    pub stop: Option<Spanned<QuantityText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepressionSection {
    pub severity: Spanned<f64>,
    /// Defaults to the start of the study.
    #[serde(default)]
    pub start: Option<Spanned<QuantityText>>,
    /// Defaults to the end of the study.
    #[serde(default)]
    pub stop: Option<Spanned<QuantityText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrugSection {
    pub name: Spanned<String>,
    pub dose: Spanned<QuantityText>,
    pub route: Spanned<String>,
    #[serde(default)]
    pub every: Option<Spanned<QuantityText>>,
    #[serde(default)]
    pub form: Option<Spanned<String>>,
    /// Defaults to the start of the study.
    #[serde(default)]
    pub start: Option<Spanned<QuantityText>>,
    /// Defaults to the end of the study.
    #[serde(default)]
    pub stop: Option<Spanned<QuantityText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DietSection {
    #[serde(default)]
    pub tryptophan: Option<Spanned<f64>>,
    #[serde(default)]
    pub calcium: Option<Spanned<f64>>,
    #[serde(default)]
    pub vitamin_d: Option<Spanned<f64>>,
    /// Defaults to the start of the study.
    #[serde(default)]
    pub start: Option<Spanned<QuantityText>>,
    /// Defaults to the end of the study.
    #[serde(default)]
    pub stop: Option<Spanned<QuantityText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmokingSection {
    pub cigarettes_per_day: Spanned<f64>,
    /// Defaults to the start of the study.
    #[serde(default)]
    pub start: Option<Spanned<QuantityText>>,
    /// Defaults to the end of the study.
    #[serde(default)]
    pub stop: Option<Spanned<QuantityText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlcoholSection {
    pub units_per_day: Spanned<f64>,
    /// Defaults to the start of the study.
    #[serde(default)]
    pub start: Option<Spanned<QuantityText>>,
    /// Defaults to the end of the study.
    #[serde(default)]
    pub stop: Option<Spanned<QuantityText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InflammationSection {
    pub level: Spanned<f64>,
    /// Defaults to the start of the study.
    #[serde(default)]
    pub start: Option<Spanned<QuantityText>>,
    /// Defaults to the end of the study.
    #[serde(default)]
    pub stop: Option<Spanned<QuantityText>>,
}

/// Sections with a start and a stop.
pub trait Timed {
    fn start(&self) -> Option<&Spanned<QuantityText>>;
    fn stop(&self) -> Option<&Spanned<QuantityText>>;
}

macro_rules! timed {
    ($($t:ty),*) => {$(
        impl Timed for $t {
            fn start(&self) -> Option<&Spanned<QuantityText>> { self.start.as_ref() }
            fn stop(&self) -> Option<&Spanned<QuantityText>> { self.stop.as_ref() }
        }
    )*};
}
timed!(
    StressSection,
    DepressionSection,
    DrugSection,
    DietSection,
    SmokingSection,
    AlcoholSection,
    InflammationSection
);
