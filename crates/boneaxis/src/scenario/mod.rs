//! Scenario files: the raw TOML ([`file`]) and its resolution into a validated [`Study`].
//!
//! Every problem is reported as a [`ScenarioError`] naming the file, the line and column, and
//! the dotted field (`arm[2].drug[0].dose`), with what was expected. See `docs/scenarios.md`.

pub mod file;
mod population;
pub mod shipped;

use self::file::{ArmSection, OverrideValue, QuantityText, ScenarioFile, Timed};
use crate::engine::stiff::Method;
use crate::engine::SolverOptions;
use crate::error::ScenarioError;
use crate::model::readouts::{catalog, default_readouts};
use crate::model::Model;
use crate::params::Catalog;
use crate::physiology::pathways::PathwaySwitches;
use crate::physiology::{Drug, Genotype, Knockout, Route};
use crate::protocol::{Diet, DoseAmount, DrugCourse, Protocol, Window};
use crate::simulate::{ArmSpec, Study};
use crate::species::{Sex, Species};
use crate::units::{human_duration, Dimension, Quantity};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Reads and resolves a scenario file.
pub fn load(path: &Path) -> Result<Study, ScenarioError> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        file: label.clone(),
        line: None,
        column: None,
        field: String::new(),
        message: format!("cannot read the file: {e}"),
    })?;
    load_str(&text, &label)
}

/// Resolves scenario text; `file` names it in error messages.
pub fn load_str(text: &str, file: &str) -> Result<Study, ScenarioError> {
    let raw: ScenarioFile = toml::from_str(text).map_err(|e| {
        let (line, column, field) = match e.span() {
            Some(span) => {
                let (l, c) = line_col(text, span.start);
                (Some(l), Some(c), field_at(text, span.start))
            }
            None => (None, None, String::new()),
        };
        ScenarioError {
            file: file.to_string(),
            line,
            column,
            field,
            message: e.message().trim().to_string(),
        }
    })?;
    Resolver { text, file }.study(raw)
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The dotted path of the field at a byte offset, from the table headers above it.
fn field_at(text: &str, offset: usize) -> String {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut path = String::new();
    let mut consumed = 0;
    for line in text.split_inclusive('\n') {
        consumed += line.len();
        let trimmed = line.trim();
        let resolve = |segments: &[&str], counts: &HashMap<String, usize>| {
            let mut p = String::new();
            for (i, seg) in segments.iter().enumerate() {
                if i > 0 {
                    p.push('.');
                }
                p.push_str(seg.trim().trim_matches('"'));
                if i + 1 < segments.len() {
                    if let Some(n) = counts.get(&p) {
                        p.push_str(&format!("[{}]", n - 1));
                    }
                }
            }
            p
        };
        if let Some(inner) = trimmed
            .strip_prefix("[[")
            .and_then(|t| t.split("]]").next())
        {
            let segments: Vec<&str> = inner.split('.').collect();
            let key = resolve(&segments, &counts);
            let n = counts.entry(key.clone()).or_insert(0);
            *n += 1;
            path = format!("{key}[{}]", *n - 1);
        } else if let Some(inner) = trimmed.strip_prefix('[').and_then(|t| t.split(']').next()) {
            let segments: Vec<&str> = inner.split('.').collect();
            path = resolve(&segments, &counts);
        }
        if offset < consumed {
            if let Some((key, _)) = trimmed.split_once('=') {
                if !trimmed.starts_with('[') {
                    let key = key.trim().trim_matches('"');
                    return if path.is_empty() {
                        key.to_string()
                    } else {
                        format!("{path}.{key}")
                    };
                }
            }
            return path;
        }
    }
    path
}

struct Resolver<'a> {
    text: &'a str,
    file: &'a str,
}

impl Resolver<'_> {
    fn err(
        &self,
        span: Range<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ScenarioError {
        let (line, column) = line_col(self.text, span.start);
        ScenarioError {
            file: self.file.to_string(),
            line: Some(line),
            column: Some(column),
            field: field.into(),
            message: message.into(),
        }
    }

    fn err_at<T>(
        &self,
        item: &Spanned<T>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ScenarioError {
        self.err(item.span(), field, message)
    }

    /// A quantity of the given dimension, in canonical units.
    fn quantity(
        &self,
        q: &Spanned<QuantityText>,
        field: &str,
        dimension: Dimension,
    ) -> Result<f64, ScenarioError> {
        Quantity::parse_canonical(&q.get_ref().0, dimension).map_err(|m| self.err_at(q, field, m))
    }

    fn time(&self, q: &Spanned<QuantityText>, field: &str) -> Result<f64, ScenarioError> {
        self.quantity(q, field, Dimension::Time)
    }

    fn study(&self, raw: ScenarioFile) -> Result<Study, ScenarioError> {
        let h = &raw.scenario;
        let name = h.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(self.err_at(&h.name, "scenario.name", "must not be empty"));
        }
        let start_age = self.time(&h.age, "scenario.age")?;
        if start_age < 0.0 {
            return Err(self.err_at(&h.age, "scenario.age", "must not be negative"));
        }
        let duration = self.time(&h.duration, "scenario.duration")?;
        if duration <= 0.0 {
            return Err(self.err_at(&h.duration, "scenario.duration", "must be longer than zero"));
        }
        if duration > 100.0 * 365.25 {
            return Err(self.err_at(
                &h.duration,
                "scenario.duration",
                "must be at most 100 years",
            ));
        }
        let (species, sex) = (h.species, h.sex);
        let lifespan = match species {
            Species::Mouse | Species::Rat => 4.0 * 365.25,
            Species::Human => 120.0 * 365.25,
        };
        if start_age + duration > lifespan {
            return Err(self.err_at(
                &h.duration,
                "scenario.duration",
                format!(
                    "the study would end at age {}, beyond the {species} lifespan limit of {}",
                    human_duration(start_age + duration),
                    human_duration(lifespan)
                ),
            ));
        }
        let catalog = Catalog::embedded().map_err(|e| {
            self.err(
                0..0,
                "",
                format!("the parameter catalog failed to load: {e}"),
            )
        })?;
        let resolve_params = |sex: Sex| -> Result<crate::params::ParamSet, ScenarioError> {
            let mut params = catalog.resolve(species, sex);
            for (key, value) in &raw.model.parameters {
                let field = format!("model.parameters.\"{key}\"");
                let result = match value.get_ref() {
                    OverrideValue::Number(v) => params.set(key, *v, None),
                    OverrideValue::Text(t) => {
                        let q = Quantity::parse(t).map_err(|m| self.err_at(value, &field, m))?;
                        params.set_quantity(key, q)
                    }
                };
                result.map_err(|e| {
                    self.err_at(value, &field, format!("{}: {}", e.name, e.message))
                })?;
            }
            Ok(params)
        };
        let params = resolve_params(sex)?;
        let mut switches = PathwaySwitches::default();
        for (i, p) in raw.model.pathways.iter().enumerate() {
            switches
                .enable(p.get_ref())
                .map_err(|m| self.err_at(p, format!("model.pathways[{i}]"), m))?;
        }
        // A wild-type model checks the parameters (a bad override surfaces here) and the readouts.
        let model =
            Model::new(&params, species, sex, Genotype::wild_type(), switches).map_err(|e| {
                self.err(
                    0..0,
                    "model.parameters",
                    format!("the model cannot be built: {e}"),
                )
            })?;
        let env = Env {
            species,
            sex,
            duration,
            adult_body_weight: model.age.adult_body_weight,
            relative_weight_range: params
                .allowed_range("age.relative_body_weight")
                .unwrap_or([0.0, f64::INFINITY]),
        };
        if raw.arms.is_empty() {
            return Err(self.err(0..0, "arm", "a scenario needs at least one [[arm]]"));
        }
        let mut arms = Vec::with_capacity(raw.arms.len());
        let mut names = BTreeSet::new();
        for (i, arm) in raw.arms.iter().enumerate() {
            let spec = self.arm(arm.get_ref(), i, &env)?;
            if !names.insert(spec.name.clone()) {
                return Err(self.err_at(
                    &arm.get_ref().name,
                    format!("arm[{i}].name"),
                    format!("arm `{}` is defined twice", spec.name),
                ));
            }
            arms.push(spec);
        }
        let control = match &h.control {
            None => 0,
            Some(c) => arms
                .iter()
                .position(|a| &a.name == c.get_ref())
                .ok_or_else(|| {
                    let known: Vec<&str> = arms.iter().map(|a| a.name.as_str()).collect();
                    self.err_at(
                        c,
                        "scenario.control",
                        format!(
                            "no arm is called `{}`; arms: {}",
                            c.get_ref(),
                            known.join(", ")
                        ),
                    )
                })?,
        };
        let readouts = self.readouts(&raw, &model)?;
        let frame = population::Frame {
            species,
            sex,
            start_age,
            duration,
            lifespan,
        };
        let population = self.population(&raw, &frame, &arms, &readouts, &resolve_params)?;
        let analyses = self.analyses(&raw, species, &arms, &readouts, duration, &params)?;
        let sample_times = self.sample_times(&raw, duration)?;
        let solver = self.solver(&raw)?;
        let dosing = match &raw.solver.dosing {
            None => crate::protocol::Dosing::Exact,
            Some(d) => match d.get_ref().as_str() {
                "exact" => crate::protocol::Dosing::Exact,
                "averaged" => crate::protocol::Dosing::Averaged,
                other => {
                    return Err(self.err_at(
                        d,
                        "solver.dosing",
                        format!("unknown dosing `{other}`; known: exact, averaged"),
                    ))
                }
            },
        };
        Ok(Study {
            name: name.clone(),
            title: h.title.clone().unwrap_or(name),
            species,
            sex,
            start_age,
            duration,
            arms,
            control,
            params,
            switches,
            readouts,
            sample_times,
            solver,
            dosing,
            population,
            analyses,
        })
    }

    fn readouts(&self, raw: &ScenarioFile, model: &Model) -> Result<Vec<String>, ScenarioError> {
        let available: Vec<String> = catalog(model).into_iter().map(|r| r.name).collect();
        let Some(list) = &raw.output.readouts else {
            return Ok(default_readouts(model.species));
        };
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, r) in list.iter().enumerate() {
            let name = r.get_ref();
            let field = format!("output.readouts[{i}]");
            if !available.contains(name) {
                let hint = closest(name, &available);
                return Err(self.err_at(
                    r,
                    field,
                    format!("unknown readout `{name}`{hint} (see `boneaxis describe`)"),
                ));
            }
            if !seen.insert(name.clone()) {
                return Err(self.err_at(r, field, format!("readout `{name}` is listed twice")));
            }
            out.push(name.clone());
        }
        if out.is_empty() {
            return Err(self.err(0..0, "output.readouts", "lists no readout"));
        }
        Ok(out)
    }

    fn sample_times(&self, raw: &ScenarioFile, duration: f64) -> Result<Vec<f64>, ScenarioError> {
        let every = match &raw.output.every {
            Some(q) => {
                let every = self.time(q, "output.every")?;
                if every <= 0.0 || every > duration {
                    return Err(self.err_at(
                        q,
                        "output.every",
                        format!(
                            "must be longer than zero and at most the duration ({})",
                            human_duration(duration)
                        ),
                    ));
                }
                if duration / every > 200_000.0 {
                    return Err(self.err_at(
                        q,
                        "output.every",
                        "gives more than 200,000 samples per arm",
                    ));
                }
                every
            }
            None if duration <= 120.0 => 1.0,
            None if duration <= 3.0 * 365.25 => 7.0,
            None => 30.0,
        };
        let n = (duration / every + 1e-9).floor() as usize;
        let mut times: Vec<f64> = (0..=n).map(|i| (i as f64 * every).min(duration)).collect();
        let last = times[times.len() - 1];
        if duration - last > crate::engine::time_epsilon(duration) {
            times.push(duration);
        } else {
            times[n] = duration;
        }
        Ok(times)
    }

    fn solver(&self, raw: &ScenarioFile) -> Result<SolverOptions, ScenarioError> {
        let mut o = SolverOptions::default();
        if let Some(r) = &raw.solver.rtol {
            if !(*r.get_ref() > 0.0 && *r.get_ref() <= 0.1) {
                return Err(self.err_at(r, "solver.rtol", "must be in (0, 0.1]"));
            }
            o.rtol = *r.get_ref();
        }
        if let Some(a) = &raw.solver.atol {
            if !(*a.get_ref() > 0.0 && *a.get_ref() <= 0.1) {
                return Err(self.err_at(
                    a,
                    "solver.atol",
                    "must be in (0, 0.1] (relative to each state's scale)",
                ));
            }
            o.atol = *a.get_ref();
        }
        if let Some(m) = &raw.solver.max_steps {
            if *m.get_ref() <= 0 {
                return Err(self.err_at(m, "solver.max_steps", "must be positive"));
            }
            o.max_steps = *m.get_ref() as usize;
        }
        if let Some(m) = &raw.solver.method {
            const METHODS: [(&str, Method); 5] = [
                ("auto", Method::Auto),
                ("esdirk34", Method::Esdirk34),
                ("tsit45", Method::Tsit45),
                ("bdf", Method::Bdf),
                ("tr_bdf2", Method::TrBdf2),
            ];
            let name = m.get_ref().as_str();
            o.method = match METHODS.iter().find(|(key, _)| *key == name) {
                Some((_, method)) => *method,
                None => {
                    let known: Vec<&str> = METHODS.iter().map(|(key, _)| *key).collect();
                    let message = format!("unknown method `{name}`; known: {}", known.join(", "));
                    return Err(self.err_at(m, "solver.method", message));
                }
            };
        }
        Ok(o)
    }

    /// An arm's adult body weight as a multiple of the species' reference adult.
    fn body_weight(
        &self,
        w: &Spanned<QuantityText>,
        field: &str,
        env: &Env,
    ) -> Result<f64, ScenarioError> {
        // Grams read as a drug mass (mg canonical); a body weight may be given in either.
        let text = &w.get_ref().0;
        let kg = Quantity::parse_canonical(text, Dimension::BodyMass)
            .or_else(|e| {
                Quantity::parse_canonical(text, Dimension::Mass)
                    .map(|mg| mg * 1e-6)
                    .map_err(|_| e)
            })
            .map_err(|m| self.err_at(w, field, m))?;
        let [lo, hi] = env.relative_weight_range;
        let relative = kg / env.adult_body_weight;
        if !(lo..=hi).contains(&relative) {
            return Err(self.err_at(
                w,
                field,
                format!(
                    "must be between {} and {} kg ({lo}–{hi} × the reference adult's {} kg)",
                    lo * env.adult_body_weight,
                    hi * env.adult_body_weight,
                    env.adult_body_weight
                ),
            ));
        }
        Ok(relative)
    }

    fn arm(&self, a: &ArmSection, i: usize, env: &Env) -> Result<ArmSpec, ScenarioError> {
        let at = |f: &str| format!("arm[{i}].{f}");
        let name = a.name.get_ref().trim().to_string();
        if name.is_empty() || name.contains(char::is_whitespace) || name.contains(',') {
            return Err(self.err_at(
                &a.name,
                at("name"),
                "must be a non-empty name without spaces or commas",
            ));
        }
        let mut p = Protocol::default();
        for (k, ko) in a.knockouts.iter().enumerate() {
            let field = at(&format!("knockouts[{k}]"));
            if !env.species.is_rodent() {
                return Err(self.err_at(ko, field, "knockouts are for mouse and rat scenarios"));
            }
            let knockout = Knockout::from_key(ko.get_ref()).ok_or_else(|| {
                let known: Vec<&str> = Knockout::ALL.iter().map(|k| k.key()).collect();
                self.err_at(
                    ko,
                    &field,
                    format!(
                        "unknown knockout `{}`; known: {}",
                        ko.get_ref(),
                        known.join(", ")
                    ),
                )
            })?;
            if p.knockouts.contains(&knockout) {
                return Err(self.err_at(
                    ko,
                    field,
                    format!("knockout `{}` is listed twice", ko.get_ref()),
                ));
            }
            p.knockouts.push(knockout);
        }
        if let Some(w) = &a.body_weight {
            p.relative_body_weight = Some(self.body_weight(w, &at("body_weight"), env)?);
        }
        if let Some(ovx) = &a.ovariectomy {
            let field = at("ovariectomy");
            if env.sex != Sex::Female {
                return Err(self.err_at(
                    ovx,
                    field,
                    "ovariectomy needs a female scenario (scenario.sex = \"female\")",
                ));
            }
            let t = self.time(ovx, &field)?;
            if t < 0.0 || t > env.duration {
                return Err(self.err_at(
                    ovx,
                    field,
                    format!(
                        "must be between 0 days and the end of the study ({})",
                        human_duration(env.duration)
                    ),
                ));
            }
            p.ovariectomy = Some(t);
        }
        for (k, s) in a.stress.iter().enumerate() {
            let field = at(&format!("stress[{k}]"));
            if !env.species.is_rodent() {
                return Err(self.err_at(
                    s,
                    field,
                    "chronic mild stress is a rodent protocol; use [[arm.depression]] for humans",
                ));
            }
            let s = s.get_ref();
            if let Some(proto) = &s.protocol {
                if proto.get_ref() != "chronic_mild_stress" {
                    return Err(self.err_at(
                        proto,
                        format!("{field}.protocol"),
                        format!(
                            "unknown stress protocol `{}`; known: chronic_mild_stress",
                            proto.get_ref()
                        ),
                    ));
                }
            }
            let level = self.level(
                s.intensity.as_ref(),
                1.0,
                0.0,
                1.0,
                &format!("{field}.intensity"),
            )?;
            let (start, stop) = self.timing(s, &field, env)?;
            p.stress.push(Window { start, stop, level });
        }
        for (k, d) in a.depression.iter().enumerate() {
            let field = at(&format!("depression[{k}]"));
            if env.species != Species::Human {
                return Err(self.err_at(
                    d,
                    field,
                    "a depressive episode is a human input; use [[arm.stress]] for rodents",
                ));
            }
            let d = d.get_ref();
            let level = self.level(
                Some(&d.severity),
                0.0,
                0.0,
                1.0,
                &format!("{field}.severity"),
            )?;
            let (start, stop) = self.timing(d, &field, env)?;
            p.stress.push(Window { start, stop, level });
        }
        self.check_overlaps(
            &p.stress,
            &at(if env.species.is_rodent() {
                "stress"
            } else {
                "depression"
            }),
            a,
        )?;
        for (k, d) in a.drug.iter().enumerate() {
            p.drugs
                .push(self.drug(d.get_ref(), &at(&format!("drug[{k}]")), env)?);
        }
        for (k, d) in a.diet.iter().enumerate() {
            let field = at(&format!("diet[{k}]"));
            let d = d.get_ref();
            if d.tryptophan.is_none() && d.calcium.is_none() && d.vitamin_d.is_none() {
                return Err(self.err(
                    self.span_of_timed(d).unwrap_or(0..0),
                    field,
                    "a diet needs tryptophan, calcium or vitamin_d (intake relative to normal)",
                ));
            }
            let (start, stop) = self.timing(d, &field, env)?;
            p.diets.push(Diet {
                tryptophan: self.level(
                    d.tryptophan.as_ref(),
                    1.0,
                    0.0,
                    10.0,
                    &format!("{field}.tryptophan"),
                )?,
                calcium: self.level(
                    d.calcium.as_ref(),
                    1.0,
                    0.0,
                    10.0,
                    &format!("{field}.calcium"),
                )?,
                vitamin_d: self.level(
                    d.vitamin_d.as_ref(),
                    1.0,
                    0.0,
                    10.0,
                    &format!("{field}.vitamin_d"),
                )?,
                start,
                stop,
            });
        }
        for (k, s) in a.smoking.iter().enumerate() {
            let field = at(&format!("smoking[{k}]"));
            let s = s.get_ref();
            let level = self.level(
                Some(&s.cigarettes_per_day),
                0.0,
                0.0,
                100.0,
                &format!("{field}.cigarettes_per_day"),
            )?;
            let (start, stop) = self.timing(s, &field, env)?;
            p.smoking.push(Window { start, stop, level });
        }
        for (k, s) in a.alcohol.iter().enumerate() {
            let field = at(&format!("alcohol[{k}]"));
            let s = s.get_ref();
            let level = self.level(
                Some(&s.units_per_day),
                0.0,
                0.0,
                50.0,
                &format!("{field}.units_per_day"),
            )?;
            let (start, stop) = self.timing(s, &field, env)?;
            p.alcohol.push(Window { start, stop, level });
        }
        for (k, s) in a.inflammation.iter().enumerate() {
            let field = at(&format!("inflammation[{k}]"));
            let s = s.get_ref();
            let level = self.level(Some(&s.level), 0.0, 0.0, 20.0, &format!("{field}.level"))?;
            let (start, stop) = self.timing(s, &field, env)?;
            p.inflammation.push(Window { start, stop, level });
        }
        self.check_overlaps(&p.smoking, &at("smoking"), a)?;
        self.check_overlaps(&p.alcohol, &at("alcohol"), a)?;
        self.check_overlaps(&p.inflammation, &at("inflammation"), a)?;
        let diet_windows: Vec<Window> = p
            .diets
            .iter()
            .map(|d| Window {
                start: d.start,
                stop: d.stop,
                level: 0.0,
            })
            .collect();
        self.check_overlaps(&diet_windows, &at("diet"), a)?;
        Ok(ArmSpec {
            name,
            description: a.description.clone(),
            protocol: p,
        })
    }

    fn span_of_timed(&self, t: &dyn Timed) -> Option<Range<usize>> {
        t.start().or(t.stop()).map(|s| s.span())
    }

    /// A bounded number with a default.
    fn level(
        &self,
        v: Option<&Spanned<f64>>,
        default: f64,
        lo: f64,
        hi: f64,
        field: &str,
    ) -> Result<f64, ScenarioError> {
        match v {
            None => Ok(default),
            Some(v) => {
                let x = *v.get_ref();
                if !(lo..=hi).contains(&x) {
                    return Err(self.err_at(
                        v,
                        field,
                        format!("must be between {lo} and {hi}, got {x}"),
                    ));
                }
                Ok(x)
            }
        }
    }

    fn timing(&self, t: &dyn Timed, field: &str, env: &Env) -> Result<(f64, f64), ScenarioError> {
        let end = human_duration(env.duration);
        let start = match t.start() {
            Some(s) => {
                let v = self.time(s, &format!("{field}.start"))?;
                if v < 0.0 {
                    return Err(self.err_at(
                        s,
                        format!("{field}.start"),
                        "must not be negative (times count from the start of the study)",
                    ));
                }
                if v >= env.duration {
                    return Err(self.err_at(
                        s,
                        format!("{field}.start"),
                        format!("is at or after the end of the study ({end})"),
                    ));
                }
                v
            }
            None => 0.0,
        };
        let stop = match t.stop() {
            Some(s) => {
                let v = self.time(s, &format!("{field}.stop"))?;
                if v <= start {
                    return Err(self.err_at(
                        s,
                        format!("{field}.stop"),
                        format!("must be after the start ({})", human_duration(start)),
                    ));
                }
                if v > env.duration * (1.0 + 1e-12) {
                    return Err(self.err_at(s, format!("{field}.stop"), format!("is after the end of the study ({end}); leave `stop` out to continue to the end")));
                }
                v.min(env.duration)
            }
            None => env.duration,
        };
        Ok((start, stop))
    }

    fn check_overlaps(
        &self,
        windows: &[Window],
        field: &str,
        a: &ArmSection,
    ) -> Result<(), ScenarioError> {
        let mut sorted: Vec<(usize, &Window)> = windows.iter().enumerate().collect();
        sorted.sort_by(|x, y| x.1.start.total_cmp(&y.1.start));
        for pair in sorted.windows(2) {
            let ((_, w1), (j, w2)) = (pair[0], pair[1]);
            if w2.start < w1.stop {
                return Err(self.err_at(&a.name, format!("{field}[{j}]"), format!(
                    "overlaps another period of the same kind ({} to {} and {} to {}); split or merge them",
                    human_duration(w1.start), human_duration(w1.stop), human_duration(w2.start), human_duration(w2.stop)
                )));
            }
        }
        Ok(())
    }

    fn drug(
        &self,
        d: &file::DrugSection,
        field: &str,
        env: &Env,
    ) -> Result<DrugCourse, ScenarioError> {
        let drug = Drug::from_key(d.name.get_ref()).ok_or_else(|| {
            let known: Vec<&str> = Drug::ALL.iter().map(|d| d.key()).collect();
            self.err_at(
                &d.name,
                format!("{field}.name"),
                format!(
                    "unknown drug `{}`; known: {}",
                    d.name.get_ref(),
                    known.join(", ")
                ),
            )
        })?;
        let route = match d.route.get_ref().as_str() {
            "oral" => Route::Oral,
            "intraperitoneal" | "ip" => Route::Intraperitoneal,
            "drinking_water" => Route::DrinkingWater,
            other => {
                return Err(self.err_at(
                    &d.route,
                    format!("{field}.route"),
                    format!(
                        "unknown route `{other}`; known: oral, intraperitoneal, drinking_water"
                    ),
                ))
            }
        };
        if env.species == Species::Human && route != Route::Oral {
            return Err(self.err_at(&d.route, format!("{field}.route"), "human doses are oral"));
        }
        let dose_field = format!("{field}.dose");
        let q = Quantity::parse(&d.dose.get_ref().0)
            .map_err(|m| self.err_at(&d.dose, &dose_field, m))?;
        if q.value <= 0.0 || q.value.is_nan() {
            return Err(self.err_at(
                &d.dose,
                &dose_field,
                format!("must be a positive amount, got {}", d.dose.get_ref().0),
            ));
        }
        let expected = match (env.species, route) {
            (Species::Human, _) => Dimension::Mass,
            (_, Route::DrinkingWater) => Dimension::DoseRatePerBodyMass,
            _ => Dimension::DosePerBodyMass,
        };
        if q.unit.dimension != expected {
            let example = match expected {
                Dimension::Mass => "\"20 mg\" (human doses are per dose)",
                Dimension::DoseRatePerBodyMass => "\"10 mg/kg/day\" (drinking water)",
                _ => "\"20 mg/kg\" (animal doses are per kg of body weight)",
            };
            return Err(self.err_at(
                &d.dose,
                dose_field,
                format!(
                    "expected a dose like {example}, got \"{}\"",
                    d.dose.get_ref().0
                ),
            ));
        }
        // Generous ceilings that only catch typing mistakes (a dose in g instead of mg, say).
        let ceiling = match expected {
            Dimension::Mass => (10_000.0, "10 g per dose"),
            _ => (1_000.0, "1000 mg/kg"),
        };
        if q.canonical() > ceiling.0 {
            return Err(self.err_at(
                &d.dose,
                dose_field,
                format!("{} is above the limit of {}", d.dose.get_ref().0, ceiling.1),
            ));
        }
        let dose = match expected {
            Dimension::Mass => DoseAmount::Mg(q.canonical()),
            Dimension::DoseRatePerBodyMass => DoseAmount::MgPerKgPerDay(q.canonical()),
            _ => DoseAmount::MgPerKg(q.canonical()),
        };
        let interval = match (&d.every, route) {
            (Some(e), Route::DrinkingWater) => {
                return Err(self.err_at(
                    e,
                    format!("{field}.every"),
                    "drinking water is continuous; give the dose in mg/kg/day and no interval",
                ))
            }
            (Some(e), _) => {
                let v = self.time(e, &format!("{field}.every"))?;
                if v < 1.0 / 24.0 {
                    return Err(self.err_at(
                        e,
                        format!("{field}.every"),
                        "must be at least 1 hour",
                    ));
                }
                v
            }
            (None, _) => 1.0,
        };
        let as_salt = match d.form.as_ref().map(|f| f.get_ref().as_str()) {
            None | Some("base") => false,
            Some("salt") => true,
            Some(other) => {
                return Err(self.err_at(
                    d.form.as_ref().expect("matched Some"),
                    format!("{field}.form"),
                    format!("unknown form `{other}`; known: base, salt"),
                ))
            }
        };
        let (start, stop) = self.timing(d, field, env)?;
        Ok(DrugCourse {
            drug,
            dose,
            route,
            interval,
            start,
            stop,
            as_salt,
        })
    }
}

struct Env {
    species: Species,
    sex: Sex,
    duration: f64,
    /// The species' reference adult weight for the scenario's sex, kg.
    adult_body_weight: f64,
    /// The range `age.relative_body_weight` may take.
    relative_weight_range: [f64; 2],
}

/// ", did you mean `x`?" for the closest known name, if any is close.
fn closest(name: &str, known: &[String]) -> String {
    let distance = |a: &str, b: &str| {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            }
            prev = cur;
        }
        prev[b.len()]
    };
    known
        .iter()
        .map(|k| (distance(name, k), k))
        .min()
        .filter(|(d, _)| *d <= name.len() / 3 + 1)
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}
