//! Resolution of the `[population]` and `[[analysis]]` sections.

use super::file::{
    AnalysisSection, DistributionSection, DrugUseSection, PopulationSection, ScenarioFile,
    TraitSection,
};
use super::Resolver;
use crate::error::ScenarioError;
use crate::params::ParamSet;
use crate::physiology::Gene;
use crate::population::measurement::Measurement;
use crate::population::sample::cholesky;
use crate::population::survival::{Outcome, NEEDED};
use crate::population::{
    log_sigma, Analysis, AnalysisKind, Band, BandSite, Bmi, Covariate, Distribution, DrugUse,
    Group, Population, Trait, Variability, Who,
};
use crate::simulate::ArmSpec;
use crate::species::{Sex, Species};
use crate::units::{days_per_year, Dimension, Quantity};
use toml::Spanned;

/// The study's individual as the scenario header gives it, and the species' lifespan (days).
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    pub species: Species,
    pub sex: Sex,
    pub start_age: f64,
    pub duration: f64,
    pub lifespan: f64,
}

/// The range a gene product's activity is clamped to (relative to wild type).
pub const GENE_ACTIVITY_BOUNDS: [f64; 2] = [0.01, 100.0];

/// The most subjects a population may have.
pub const MAX_SUBJECTS: usize = 100_000_000;

impl Resolver<'_> {
    fn distribution(
        &self,
        at: &Spanned<PopulationSection>,
        field: &str,
        d: &DistributionSection,
    ) -> Result<Distribution, ScenarioError> {
        let need = |v: Option<f64>, key: &str| {
            v.filter(|x| x.is_finite()).ok_or_else(|| {
                self.err_at(
                    at,
                    format!("{field}.{key}"),
                    format!("`{}` needs `{key}`", d.distribution),
                )
            })
        };
        let dist = match d.distribution.as_str() {
            "fixed" => Distribution::Fixed(need(d.value, "value")?),
            "uniform" => Distribution::Uniform {
                min: need(d.min, "min")?,
                max: need(d.max, "max")?,
            },
            "normal" => Distribution::Normal {
                mean: need(d.mean, "mean")?,
                sd: need(d.sd, "sd")?,
                min: d.min.unwrap_or(f64::NEG_INFINITY),
                max: d.max.unwrap_or(f64::INFINITY),
            },
            "lognormal" => Distribution::LogNormal {
                median: need(d.value, "value")?,
                sigma: log_sigma(need(d.cv, "cv")?),
            },
            other => {
                return Err(self.err_at(
                    at,
                    format!("{field}.distribution"),
                    format!(
                        "unknown distribution `{other}`; known: fixed, uniform, normal, lognormal"
                    ),
                ))
            }
        };
        let bad = match dist {
            Distribution::Uniform { min, max } => min > max,
            Distribution::Normal { sd, min, max, .. } => sd < 0.0 || min > max,
            Distribution::LogNormal { median, .. } => median <= 0.0,
            Distribution::Fixed(_) => false,
        };
        if bad {
            return Err(self.err_at(
                at,
                field,
                "min must not exceed max, sd must not be negative, a median must be positive",
            ));
        }
        Ok(dist)
    }

    fn trait_of(
        &self,
        at: &Spanned<PopulationSection>,
        field: &str,
        t: &Option<TraitSection>,
    ) -> Result<Option<Trait>, ScenarioError> {
        let Some(t) = t else { return Ok(None) };
        if !(0.0..=1.0).contains(&t.prevalence) {
            return Err(self.err_at(at, format!("{field}.prevalence"), "must be between 0 and 1"));
        }
        let level = self.distribution(at, &format!("{field}.level"), &t.level)?;
        if level.lower() < 0.0 {
            return Err(self.err_at(at, format!("{field}.level"), "must not be negative"));
        }
        let depression_odds_ratio = t.depression_odds_ratio.unwrap_or(1.0);
        if !(depression_odds_ratio > 0.0 && depression_odds_ratio <= 100.0) {
            return Err(self.err_at(
                at,
                format!("{field}.depression_odds_ratio"),
                "must be above 0 and at most 100",
            ));
        }
        if field == "population.depression" && t.depression_odds_ratio.is_some() {
            return Err(self.err_at(
                at,
                format!("{field}.depression_odds_ratio"),
                "belongs to smoking, alcohol and drug use",
            ));
        }
        let duration = match &t.duration {
            None => None,
            Some(_) if field != "population.depression" => {
                return Err(self.err_at(
                    at,
                    format!("{field}.duration"),
                    "belongs to depression (smoking and alcohol last the whole study)",
                ))
            }
            Some(d) => {
                let d = self.distribution(at, &format!("{field}.duration"), d)?;
                if d.lower() <= 0.0 {
                    return Err(self.err_at(
                        at,
                        format!("{field}.duration"),
                        "must be above 0 years (give `min` for a normal distribution)",
                    ));
                }
                Some(d)
            }
        };
        Ok(Some(Trait {
            prevalence: t.prevalence,
            level,
            depression_odds_ratio,
            duration,
        }))
    }

    /// Drug use of an observational design: users by prevalence (with confounding by
    /// depression), their adherence, and the arms it applies to.
    fn drug_use(
        &self,
        at: &Spanned<PopulationSection>,
        d: Option<&DrugUseSection>,
        arms: &[ArmSpec],
    ) -> Result<Option<DrugUse>, ScenarioError> {
        let Some(d) = d else { return Ok(None) };
        let field = "population.drug_use";
        let section = TraitSection {
            prevalence: d.prevalence,
            level: d
                .adherence
                .clone()
                .unwrap_or(DistributionSection::fixed(1.0)),
            depression_odds_ratio: d.depression_odds_ratio,
            duration: None,
        };
        let users = self
            .trait_of(at, field, &Some(section))?
            .expect("a section was given");
        if users.level.lower() <= 0.0 || users.level.upper() > 1.0 {
            return Err(self.err_at(
                at,
                format!("{field}.adherence"),
                "the share of doses taken must be above 0 and at most 1",
            ));
        }
        if d.arms.is_empty() {
            return Err(self.err_at(
                at,
                format!("{field}.arms"),
                "name the arms whose drugs only users take",
            ));
        }
        for name in &d.arms {
            match arms.iter().find(|a| &a.name == name) {
                None => {
                    return Err(self.err_at(
                        at,
                        format!("{field}.arms"),
                        format!("no arm `{name}`"),
                    ))
                }
                Some(a) if a.protocol.drugs.is_empty() => {
                    return Err(self.err_at(
                        at,
                        format!("{field}.arms"),
                        format!("arm `{name}` has no drug to take"),
                    ))
                }
                Some(_) => {}
            }
        }
        Ok(Some(DrugUse {
            users,
            arms: d.arms.clone(),
        }))
    }

    /// The population of a scenario; `resolve_params` gives each sex's parameters with the
    /// scenario's overrides.
    pub(super) fn population(
        &self,
        raw: &ScenarioFile,
        frame: &Frame,
        arms: &[ArmSpec],
        readouts: &[String],
        resolve_params: &dyn Fn(Sex) -> Result<ParamSet, ScenarioError>,
    ) -> Result<Option<Population>, ScenarioError> {
        let Frame {
            species,
            sex: header_sex,
            start_age,
            duration,
            lifespan,
        } = *frame;
        let Some(at) = &raw.population else {
            return Ok(None);
        };
        let p = at.get_ref();
        if p.size < 1 || p.size as usize > MAX_SUBJECTS {
            return Err(self.err_at(
                at,
                "population.size",
                format!("must be 1 to {MAX_SUBJECTS}"),
            ));
        }
        let age = match &p.age {
            Some(d) => self.distribution(at, "population.age", d)?,
            None => Distribution::Fixed(start_age / days_per_year()),
        };
        let female_share =
            p.female_share
                .unwrap_or(if header_sex == Sex::Female { 1.0 } else { 0.0 });
        if !(0.0..=1.0).contains(&female_share) {
            return Err(self.err_at(at, "population.female_share", "must be between 0 and 1"));
        }
        if female_share < 1.0 && arms.iter().any(|a| a.protocol.ovariectomy.is_some()) {
            return Err(self.err_at(
                at,
                "population.female_share",
                "an arm has an ovariectomy, so every subject must be female (female_share = 1)",
            ));
        }
        let traits = [
            ("population.depression", &p.depression),
            ("population.smoking", &p.smoking),
            ("population.alcohol", &p.alcohol),
        ];
        let mut resolved = Vec::new();
        for (field, t) in traits {
            let r = self.trait_of(at, field, t)?;
            if r.is_some() {
                let clash = arms.iter().find(|a| match field {
                    "population.depression" => !a.protocol.stress.is_empty(),
                    "population.smoking" => !a.protocol.smoking.is_empty(),
                    _ => !a.protocol.alcohol.is_empty(),
                });
                if let Some(a) = clash {
                    return Err(self.err_at(at, field, format!("arm `{}` sets this itself; a population trait applies to every arm, so leave it out of the arms", a.name)));
                }
            }
            resolved.push(r);
        }
        if resolved[0].as_ref().is_some_and(|t| t.level.upper() > 1.0) {
            return Err(self.err_at(at, "population.depression.level", "severity is at most 1"));
        }
        let drug_use = self.drug_use(at, p.drug_use.as_ref(), arms)?;
        let female_params = resolve_params(Sex::Female)?;
        let male_params = resolve_params(Sex::Male)?;
        let bmi = self.bmi(at, p.bmi.as_ref(), species, arms, &female_params)?;
        let mut variability: Vec<Variability> = Vec::new();
        for (i, v) in p.variability.iter().enumerate() {
            let entry = self.variability(at, i, v, species, [&female_params, &male_params])?;
            if variability.iter().any(|w| w.parameter == entry.parameter) {
                return Err(self.err_at(
                    at,
                    format!("population.variability[{i}]"),
                    format!("`{}` is varied twice", entry.parameter),
                ));
            }
            variability.push(entry);
        }
        let k = variability.len();
        let mut r = vec![vec![0.0; k]; k];
        (0..k).for_each(|i| r[i][i] = 1.0);
        for (i, c) in p.correlation.iter().enumerate() {
            let field = format!("population.correlation[{i}]");
            let index = |name: &str| {
                variability
                    .iter()
                    .position(|v| v.parameter == name)
                    .ok_or_else(|| {
                        self.err_at(
                            at,
                            format!("{field}.parameters"),
                            format!("`{name}` has no [[population.variability]] entry"),
                        )
                    })
            };
            let (a, b) = (index(&c.parameters[0])?, index(&c.parameters[1])?);
            if a == b || !(-1.0..=1.0).contains(&c.r) {
                return Err(self.err_at(
                    at,
                    field,
                    "needs two different parameters and -1 <= r <= 1",
                ));
            }
            r[a][b] = c.r;
            r[b][a] = c.r;
        }
        let cholesky = cholesky(&r).ok_or_else(|| {
            self.err_at(
                at,
                "population.correlation",
                "the correlations are not consistent (the matrix is not positive definite)",
            )
        })?;
        let pop = Population {
            size: p.size as usize,
            seed: p.seed.unwrap_or(1),
            age,
            female_share,
            depression: resolved[0].take(),
            smoking: resolved[1].take(),
            alcohol: resolved[2].take(),
            drug_use,
            bmi,
            variability,
            measurement: self.measurements(at, readouts)?,
            cholesky,
            female_params,
            male_params,
        };
        if pop.age.lower() < 0.0 || pop.oldest_end(duration) > lifespan {
            return Err(self.err_at(
                at,
                "population.age",
                format!(
                    "ages must be at least 0 and end (age + duration) within the {species} lifespan limit of {:.0} years",
                    lifespan / days_per_year()
                ),
            ));
        }
        Ok(Some(pop))
    }

    /// One `[[population.variability]]` entry: a parameter of both sexes, or a gene product
    /// (`genotype.<gene>`, around wild type), with a CV above 0 and at most 3.
    fn variability(
        &self,
        at: &Spanned<PopulationSection>,
        i: usize,
        v: &super::file::VariabilitySection,
        species: Species,
        params: [&ParamSet; 2],
    ) -> Result<Variability, ScenarioError> {
        let field = |f: &str| format!("population.variability[{i}].{f}");
        if !(v.cv > 0.0 && v.cv <= 3.0) {
            return Err(self.err_at(at, field("cv"), "must be above 0 and at most 3"));
        }
        let sigma = log_sigma(v.cv);
        let name = match (&v.parameter, &v.gene) {
            (Some(name), None) => name,
            (None, Some(key)) => {
                let gene = Gene::from_key(key).ok_or_else(|| {
                    let known: Vec<&str> = Gene::ALL.iter().map(|g| g.key()).collect();
                    self.err_at(
                        at,
                        field("gene"),
                        format!("unknown gene `{key}`; known: {}", known.join(", ")),
                    )
                })?;
                return Ok(Variability {
                    parameter: format!("genotype.{key}"),
                    gene: Some(gene),
                    sigma,
                    bounds: GENE_ACTIVITY_BOUNDS,
                });
            }
            _ => {
                return Err(self.err_at(
                    at,
                    field("parameter"),
                    "give either `parameter` (a catalog parameter) or `gene` (a gene product)",
                ))
            }
        };
        if params.iter().any(|p| !p.contains(name)) {
            return Err(self.err_at(
                at,
                field("parameter"),
                format!("`{name}` is not a parameter of {species} (see `boneaxis params`)"),
            ));
        }
        Ok(Variability {
            parameter: name.clone(),
            gene: None,
            sigma,
            bounds: params[0].allowed_range(name).expect("present"),
        })
    }

    /// `[[population.measurement]]`: readouts the scenario outputs, each once, with
    /// coefficients of variation of at most 3 and a finite additive SD, none negative.
    fn measurements(
        &self,
        at: &Spanned<PopulationSection>,
        readouts: &[String],
    ) -> Result<Vec<Measurement>, ScenarioError> {
        let sections = &at.get_ref().measurement;
        let mut resolved = Vec::new();
        for (i, m) in sections.iter().enumerate() {
            let field = |f: &str| format!("population.measurement[{i}].{f}");
            if !readouts.contains(&m.readout) {
                return Err(self.err_at(
                    at,
                    field("readout"),
                    format!("the scenario does not output `{}`", m.readout),
                ));
            }
            if sections[..i].iter().any(|n| n.readout == m.readout) {
                return Err(self.err_at(at, field("readout"), "is measured twice"));
            }
            let limits = [
                ("cv", m.cv, Some(3.0)),
                ("person_cv", m.person_cv, Some(3.0)),
                ("sd", m.sd, None),
            ];
            for (f, v, max) in limits {
                if !(v.is_finite() && v >= 0.0 && max.is_none_or(|max| v <= max)) {
                    let range = max.map_or(String::new(), |max| format!(" and at most {max}"));
                    return Err(self.err_at(
                        at,
                        field(f),
                        format!("must be a number of at least 0{range}; got {v}"),
                    ));
                }
            }
            resolved.push(Measurement::new(&m.readout, m.cv, m.person_cv, m.sd));
        }
        Ok(resolved)
    }

    /// `[population] bmi`: a bounded distribution whose weights stay within the range of
    /// `age.relative_body_weight`, for humans, with no arm setting its own body weight.
    fn bmi(
        &self,
        at: &Spanned<PopulationSection>,
        d: Option<&DistributionSection>,
        species: Species,
        arms: &[ArmSpec],
        params: &ParamSet,
    ) -> Result<Option<Bmi>, ScenarioError> {
        let field = "population.bmi";
        let Some(d) = d else { return Ok(None) };
        if species != Species::Human {
            return Err(self.err_at(
                at,
                field,
                "BMI is for human scenarios; vary `age.relative_body_weight` in [[population.variability]] for animals",
            ));
        }
        if let Some(a) = arms
            .iter()
            .find(|a| a.protocol.relative_body_weight.is_some())
        {
            return Err(self.err_at(at, field, format!("arm `{}` sets its own body_weight; a population BMI applies to every arm, so leave it out of the arms", a.name)));
        }
        let distribution = self.distribution(at, field, d)?;
        let reference = params
            .catalog_value("clinical.reference_bmi")
            .expect("a human parameter");
        let [lo, hi] = params
            .allowed_range("age.relative_body_weight")
            .expect("a parameter of every species");
        let (min, max) = (lo * reference, hi * reference);
        if distribution.lower() < min || distribution.upper() > max {
            return Err(self.err_at(
                at,
                field,
                format!("must stay within {min} to {max} kg/m² (give a uniform distribution, or a normal one with `min` and `max`)"),
            ));
        }
        Ok(Some(Bmi {
            distribution,
            reference,
        }))
    }

    pub(super) fn analyses(
        &self,
        raw: &ScenarioFile,
        species: Species,
        arms: &[ArmSpec],
        readouts: &[String],
        duration: f64,
        params: &ParamSet,
    ) -> Result<Vec<Analysis>, ScenarioError> {
        if !raw.analyses.is_empty() && raw.population.is_none() {
            return Err(self.err_at(
                &raw.analyses[0],
                "analysis",
                "an [[analysis]] needs a [population]",
            ));
        }
        let analyses: Vec<Analysis> = raw
            .analyses
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut a = self.analysis(s, i, species, arms, readouts, duration)?;
                a.band = self.band(s, i, a.kind, params)?;
                Ok(a)
            })
            .collect::<Result<_, _>>()?;
        let has_bmi = raw
            .population
            .as_ref()
            .is_some_and(|p| p.get_ref().bmi.is_some());
        for (i, a) in analyses.iter().enumerate() {
            if !has_bmi && a.adjust.contains(&Covariate::Bmi) {
                return Err(self.err_at(
                    &raw.analyses[i],
                    format!("analysis[{i}].adjust"),
                    "adjusting for `bmi` needs `[population] bmi`",
                ));
            }
            if a.id.is_some() && analyses[..i].iter().any(|b| b.id == a.id) {
                return Err(self.err_at(
                    &raw.analyses[i],
                    format!("analysis[{i}].id"),
                    "is used twice",
                ));
            }
        }
        Ok(analyses)
    }

    fn analysis(
        &self,
        s: &Spanned<AnalysisSection>,
        i: usize,
        species: Species,
        arms: &[ArmSpec],
        readouts: &[String],
        duration: f64,
    ) -> Result<Analysis, ScenarioError> {
        let a = s.get_ref();
        let field = |f: &str| format!("analysis[{i}].{f}");
        let kind = match a.kind.as_str() {
            "effect_size" => AnalysisKind::EffectSize,
            "rate" => AnalysisKind::Rate,
            "hazard_ratio" => AnalysisKind::HazardRatio,
            "correlation" => AnalysisKind::Correlation,
            "prevalence" => AnalysisKind::Prevalence,
            other => {
                let known = "effect_size, rate, hazard_ratio, correlation, prevalence";
                let message = format!("unknown kind `{other}`; known: {known}");
                return Err(self.err_at(s, field("kind"), message));
            }
        };
        let named = [("readout", Some(&a.readout)), ("with", a.with.as_ref())]
            .into_iter()
            .chain(a.also.iter().map(|r| ("also", Some(r))));
        for (f, r) in named {
            if let Some(r) = r.filter(|r| !readouts.contains(r)) {
                return Err(self.err_at(
                    s,
                    field(f),
                    format!("the scenario does not output `{r}`"),
                ));
            }
        }
        let time = |q: &Option<super::file::QuantityText>,
                    default: f64,
                    f: &str|
         -> Result<f64, ScenarioError> {
            let t = match q {
                Some(q) => Quantity::parse_canonical(&q.0, Dimension::Time)
                    .map_err(|m| self.err_at(s, field(f), m))?,
                None => default,
            };
            if !(0.0..=duration).contains(&t) {
                return Err(self.err_at(s, field(f), "must lie within the study"));
            }
            Ok(t)
        };
        let at = time(&a.at, duration, "at")?;
        let from = time(&a.from, 0.0, "from")?;
        if kind == AnalysisKind::Rate && from >= at {
            return Err(self.err_at(s, field("from"), "a rate needs from < at"));
        }
        let group = |g: &super::file::GroupSection, f: &str| -> Result<Group, ScenarioError> {
            if !arms.iter().any(|x| x.name == g.arm) {
                return Err(self.err_at(
                    s,
                    field(&format!("{f}.arm")),
                    format!("no arm `{}`", g.arm),
                ));
            }
            let names: Vec<&str> = match &g.who {
                None => vec![],
                Some(super::file::WhoField::One(w)) => vec![w.as_str()],
                Some(super::file::WhoField::All(ws)) => ws.iter().map(String::as_str).collect(),
            };
            let who = names
                .iter()
                .map(|w| {
                    Who::KEYS
                        .iter()
                        .find(|k| k.0 == *w)
                        .map(|k| k.1)
                        .ok_or_else(|| {
                            let known: Vec<&str> = Who::KEYS.iter().map(|k| k.0).collect();
                            self.err_at(
                                s,
                                field(&format!("{f}.who")),
                                format!("unknown group `{w}`; known: {}", known.join(", ")),
                            )
                        })
                })
                .collect::<Result<Vec<Who>, _>>()?;
            Ok(Group {
                arm: g.arm.clone(),
                who,
            })
        };
        let outcome = match a.outcome.as_deref() {
            None | Some("major") => Outcome::Major,
            Some("hip") => Outcome::Hip,
            Some(other) => {
                return Err(self.err_at(
                    s,
                    field("outcome"),
                    format!("unknown outcome `{other}`; known: hip, major"),
                ))
            }
        };
        let mut adjust = Vec::new();
        for (k, name) in a.adjust.iter().enumerate() {
            let c = Covariate::KEYS
                .iter()
                .find(|c| c.0 == name)
                .map(|c| c.1)
                .ok_or_else(|| {
                    let known: Vec<&str> = Covariate::KEYS.iter().map(|c| c.0).collect();
                    self.err_at(
                        s,
                        field(&format!("adjust[{k}]")),
                        format!("unknown covariate `{name}`; known: {}", known.join(", ")),
                    )
                })?;
            adjust.push(c);
        }
        if kind == AnalysisKind::HazardRatio {
            if species != Species::Human {
                return Err(self.err_at(
                    s,
                    field("kind"),
                    "hazard ratios of fractures are for human scenarios",
                ));
            }
            for r in NEEDED {
                if !readouts.iter().any(|x| x == r) {
                    return Err(self.err_at(
                        s,
                        field("kind"),
                        format!("a hazard ratio needs `{r}` in [output] readouts (the fracture hazard uses it)"),
                    ));
                }
            }
        } else if a.outcome.is_some() || (!adjust.is_empty() && kind != AnalysisKind::Correlation) {
            return Err(self.err_at(
                s,
                field("adjust"),
                "`outcome` belongs to hazard_ratio analyses, `adjust` to hazard_ratio and correlation",
            ));
        }
        let (exposed, unexposed) = self.groups(s, a, kind, i, &group)?;
        if let Some(id) = &a.id {
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(self.err_at(s, field("id"), "letters, digits and _ only"));
            }
        }
        if a.matched && kind != AnalysisKind::EffectSize {
            return Err(self.err_at(
                s,
                field("matched"),
                "`matched` belongs to effect_size analyses",
            ));
        }
        Ok(Analysis {
            id: a.id.clone(),
            matched: a.matched,
            title: a.title.clone().unwrap_or_else(|| match &a.with {
                None if kind == AnalysisKind::Prevalence => {
                    format!("share of {} by {}", exposed.describe(), a.readout)
                }
                Some(with) => format!(
                    "correlation of {} with {} in {}",
                    a.readout,
                    with,
                    exposed.describe()
                ),
                None => format!(
                    "{} of {}: {} vs {}",
                    a.kind,
                    a.readout,
                    exposed.describe(),
                    unexposed.describe()
                ),
            }),
            kind,
            readout: a.readout.clone(),
            with: a.with.clone(),
            from,
            at,
            exposed,
            unexposed,
            outcome,
            adjust,
            band: None,
        })
    }

    /// The band of a prevalence on its scale (the readout's unit, or T-scores), with the sites
    /// read and how each converts to that scale.
    fn band(
        &self,
        s: &Spanned<AnalysisSection>,
        i: usize,
        kind: AnalysisKind,
        params: &ParamSet,
    ) -> Result<Option<Band>, ScenarioError> {
        let a = s.get_ref();
        let field = |f: &str| format!("analysis[{i}].{f}");
        if kind != AnalysisKind::Prevalence {
            if a.below.is_some() || a.above.is_some() || a.scale.is_some() || !a.also.is_empty() {
                return Err(self.err_at(
                    s,
                    field("below"),
                    "`below`, `above`, `scale` and `also` belong to prevalence analyses",
                ));
            }
            return Ok(None);
        }
        let below = a.below.ok_or_else(|| {
            self.err_at(
                s,
                field("below"),
                "a prevalence needs `below`, the upper end of the band",
            )
        })?;
        if let Some(bad) = [Some(below), a.above]
            .into_iter()
            .flatten()
            .find(|v| !v.is_finite())
        {
            return Err(self.err_at(
                s,
                field("below"),
                format!("must be a finite number; got {bad}"),
            ));
        }
        if let Some(above) = a.above.filter(|above| *above >= below) {
            return Err(self.err_at(
                s,
                field("above"),
                format!("must be below `below` ({below}); got {above}"),
            ));
        }
        let t_score = match a.scale.as_deref() {
            None => false,
            Some("t_score") => true,
            Some(other) => {
                return Err(self.err_at(
                    s,
                    field("scale"),
                    format!(
                        "unknown scale `{other}`; known: t_score (or none: the readout's unit)"
                    ),
                ))
            }
        };
        if !a.also.is_empty() && !t_score {
            return Err(self.err_at(
                s,
                field("also"),
                "`also` compares sites by their T-scores: it needs `scale = \"t_score\"`",
            ));
        }
        let sites = std::iter::once(&a.readout)
            .chain(&a.also)
            .map(|readout| self.band_site(s, i, readout, t_score, params))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(Band {
            above: a.above,
            below,
            sites,
            t_score,
        }))
    }

    /// A readout of a prevalence with its conversion to the band's scale.
    fn band_site(
        &self,
        s: &Spanned<AnalysisSection>,
        i: usize,
        readout: &str,
        t_score: bool,
        params: &ParamSet,
    ) -> Result<BandSite, ScenarioError> {
        let (offset, unit) = if t_score {
            t_score_reference(readout, params).ok_or_else(|| {
                self.err_at(
                    s,
                    format!("analysis[{i}].scale"),
                    format!(
                        "T-scores are for the BMD of a human DXA site (bone.femoral_neck.bmd, bone.total_hip.bmd, bone.lumbar_spine.bmd); the readout is `{readout}`"
                    ),
                )
            })?
        } else {
            (0.0, 1.0)
        };
        Ok(BandSite {
            readout: readout.to_string(),
            offset,
            unit,
        })
    }
}

/// The young-adult mean and SD (g/cm²) behind the T-scores of a BMD readout.
fn t_score_reference(readout: &str, params: &ParamSet) -> Option<(f64, f64)> {
    let site = readout.strip_prefix("bone.")?.strip_suffix(".bmd")?;
    let value = |what: &str| params.catalog_value(&format!("clinical.t_score.{site}.{what}"));
    Some((value("reference_mean")?, value("reference_sd")?))
}

impl Resolver<'_> {
    /// The two groups of an analysis: `exposed` and `unexposed`, or for a correlation its one
    /// `group` (and `with`, the second readout).
    fn groups(
        &self,
        s: &Spanned<AnalysisSection>,
        a: &AnalysisSection,
        kind: AnalysisKind,
        i: usize,
        group: &dyn Fn(&super::file::GroupSection, &str) -> Result<Group, ScenarioError>,
    ) -> Result<(Group, Group), ScenarioError> {
        let field = |f: &str| format!("analysis[{i}].{f}");
        let missing = |f: &str, why: &str| self.err_at(s, field(f), why.to_string());
        // Correlations and prevalences take one group; a correlation also takes `with`.
        let one_group = match kind {
            AnalysisKind::Correlation => Some("a correlation"),
            AnalysisKind::Prevalence => Some("a prevalence"),
            _ => None,
        };
        if let Some(what) = one_group {
            if a.exposed.is_some() || a.unexposed.is_some() {
                return Err(missing(
                    "exposed",
                    &format!("{what} takes one `group`, not exposed/unexposed"),
                ));
            }
            match (kind == AnalysisKind::Correlation, a.with.is_some()) {
                (true, false) => {
                    return Err(missing(
                        "with",
                        "a correlation needs `with`, the second readout",
                    ))
                }
                (false, true) => return Err(missing("with", "`with` belongs to correlations")),
                _ => {}
            }
            let g = a.group.as_ref().ok_or_else(|| {
                missing("group", &format!("{what} needs `group = {{ arm = ... }}`"))
            })?;
            let g = group(g, "group")?;
            return Ok((g.clone(), g));
        }
        if a.group.is_some() || a.with.is_some() {
            return Err(missing(
                "group",
                "`group` belongs to correlation and prevalence analyses, `with` to correlations",
            ));
        }
        let exposed = a
            .exposed
            .as_ref()
            .ok_or_else(|| missing("exposed", "missing (`exposed = { arm = ... }`)"))?;
        let unexposed = a
            .unexposed
            .as_ref()
            .ok_or_else(|| missing("unexposed", "missing (`unexposed = { arm = ... }`)"))?;
        Ok((group(exposed, "exposed")?, group(unexposed, "unexposed")?))
    }
}
