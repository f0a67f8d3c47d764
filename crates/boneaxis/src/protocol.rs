//! Protocols: what is done to the individuals of one arm, and when.
//!
//! A [`Protocol`] is pure data (times in days since the start of the study). [`ArmInputs`]
//! realises it for one model: it lays out the dose events, solves the PK exactly, and answers
//! "what is the exposure at time t". [`ArmSystem`] joins a model and its inputs into an ODE
//! system for the engine.

use crate::engine::OdeSystem;
use crate::model::Model;
use crate::physiology::pharmacology::pk::{PkEvent, PkTrajectory};
use crate::physiology::{Drug, Exposure, Gene, Knockout, Route};
use std::cell::{Cell, RefCell};

/// Something switched on from `start` to `stop` (days since the start of the study) at `level`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub start: f64,
    pub stop: f64,
    pub level: f64,
}

impl Window {
    fn active(&self, t: f64) -> bool {
        t >= self.start && t < self.stop
    }
}

/// The level of the window active at `t`, or `default`.
fn level_at(windows: &[Window], t: f64, default: f64) -> f64 {
    windows
        .iter()
        .find(|w| w.active(t))
        .map_or(default, |w| w.level)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DoseAmount {
    /// A fixed amount per dose (humans), mg.
    Mg(f64),
    /// Per kg of body weight per dose (animals), mg/kg.
    MgPerKg(f64),
    /// Continuous intake per kg per day (drinking water), mg/kg/day.
    MgPerKgPerDay(f64),
}

/// A course of one drug.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrugCourse {
    pub drug: Drug,
    pub dose: DoseAmount,
    pub route: Route,
    /// Dosing interval, days (ignored for drinking water).
    pub interval: f64,
    pub start: f64,
    pub stop: f64,
    /// The dose is a mass of the salt (e.g. hydrochloride), not of the base.
    pub as_salt: bool,
}

impl DrugCourse {
    /// Dose times (or daily intake updates for drinking water): `start + i·interval` before
    /// `stop`. Computed by multiplication, not repeated addition, so rounding never adds a
    /// stray dose just before `stop`.
    pub fn times(&self) -> impl Iterator<Item = f64> + '_ {
        let interval = if self.route == Route::DrinkingWater {
            1.0
        } else {
            self.interval
        };
        let end = self.stop - 1e-9 * self.stop.abs().max(1.0);
        (0..)
            .map(move |i| self.start + i as f64 * interval)
            .take_while(move |&t| t < end)
    }

    /// Whether a dose makes the input jump (rather than just bend): injected serotonin enters
    /// plasma as an absorption flux, which starts abruptly at each bolus.
    fn jumps(&self) -> bool {
        self.drug == Drug::Serotonin && self.route != Route::DrinkingWater
    }
}

/// A diet from `start` to `stop`: intakes relative to a normal diet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Diet {
    pub tryptophan: f64,
    pub calcium: f64,
    pub vitamin_d: f64,
    pub start: f64,
    pub stop: f64,
}

/// Everything done to one arm.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Protocol {
    /// Present from conception.
    pub knockouts: Vec<Knockout>,
    /// Lifelong activity factors of gene products (a population subject's own genotype);
    /// like knockouts, they shape the baseline.
    pub expression: Vec<(Gene, f64)>,
    /// Lifelong adult body weight relative to the species' reference adult (`None`: the
    /// scenario's `age.relative_body_weight`); like knockouts, it shapes the baseline.
    pub relative_body_weight: Option<f64>,
    /// Chronic mild stress (rodents) or depressive episode severity (human), 0–1.
    pub stress: Vec<Window>,
    pub drugs: Vec<DrugCourse>,
    pub diets: Vec<Diet>,
    /// Cigarettes per day.
    pub smoking: Vec<Window>,
    /// Alcohol units per day.
    pub alcohol: Vec<Window>,
    /// Extra inflammatory cytokines (fold − 1).
    pub inflammation: Vec<Window>,
    /// Time of ovariectomy, days since the start.
    pub ovariectomy: Option<f64>,
}

impl Protocol {
    /// Times at which an input jumps: the solver restarts there.
    pub fn breakpoints(&self) -> Vec<f64> {
        let windows = self
            .stress
            .iter()
            .chain(&self.smoking)
            .chain(&self.alcohol)
            .chain(&self.inflammation);
        let mut b: Vec<f64> = windows.flat_map(|w| [w.start, w.stop]).collect();
        b.extend(self.diets.iter().flat_map(|d| [d.start, d.stop]));
        b.extend(
            self.drugs
                .iter()
                .filter(|c| c.route == Route::DrinkingWater)
                .flat_map(|c| [c.start, c.stop]),
        );
        b.extend(
            self.drugs
                .iter()
                .filter(|c| c.jumps())
                .flat_map(|c| c.times()),
        );
        b.extend(self.ovariectomy);
        b.sort_by(f64::total_cmp);
        b.dedup();
        b
    }
}

/// How repeated fixed doses enter the PK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dosing {
    /// Every dose is a bolus into its depot: the concentration ripple within each dosing
    /// interval is resolved (the solver steps through every interval).
    #[default]
    Exact,
    /// Repeated fixed (mg) doses become a constant intake of the same mean rate into the same
    /// depot, from the first dose to the end of the course: the mean exposure without the ripple,
    /// so slow outcomes (bone over months and years) are computed with large steps. The error
    /// against exact dosing is checked (docs/performance.md); per-kg animal doses stay exact.
    Averaged,
}

/// A protocol realised for one model: exact drug trajectories and schedules.
#[derive(Debug, Clone)]
pub struct ArmInputs {
    /// Age at the start of the study, days.
    pub start_age: f64,
    protocol: Protocol,
    /// Index into `Model::drugs` and the exact amounts of that drug over time.
    pk: Vec<(usize, PkTrajectory)>,
}

impl ArmInputs {
    /// Lays out the doses of every course (body weight at each dose from the growth curve).
    pub fn new(model: &Model, protocol: &Protocol, start_age: f64) -> ArmInputs {
        ArmInputs::with_dosing(model, protocol, start_age, Dosing::Exact)
    }

    /// As [`ArmInputs::new`], with fixed repeated doses averaged when `dosing` says so.
    pub fn with_dosing(
        model: &Model,
        protocol: &Protocol,
        start_age: f64,
        dosing: Dosing,
    ) -> ArmInputs {
        let mut pk = Vec::new();
        for (index, drug_pk) in model.drugs.iter().enumerate() {
            let courses: Vec<&DrugCourse> = protocol
                .drugs
                .iter()
                .filter(|c| c.drug == drug_pk.drug)
                .collect();
            if courses.is_empty() {
                continue;
            }
            let mut events = Vec::new();
            for course in courses {
                let (depot, bioavailability) = drug_pk.depot(course.route);
                let nmol = |mg: f64| drug_pk.mg_to_nmol(mg, course.as_salt) * bioavailability;
                let weight = |t: f64| model.age.body_weight(start_age + t);
                match course.dose {
                    DoseAmount::MgPerKgPerDay(rate) => {
                        // Intake follows body weight, updated daily. Changes of rate (not rates)
                        // so that overlapping courses add up.
                        let mut current = 0.0;
                        for t in course.times() {
                            let new = nmol(rate * weight(t));
                            events.push(PkEvent::ChangeInfusion {
                                time: t,
                                compartment: depot,
                                change: new - current,
                            });
                            current = new;
                        }
                        events.push(PkEvent::ChangeInfusion {
                            time: course.stop,
                            compartment: depot,
                            change: -current,
                        });
                    }
                    DoseAmount::Mg(mg) if dosing == Dosing::Averaged && course.interval > 0.0 => {
                        let rate = nmol(mg) / course.interval;
                        let stop = course.start + course.times().count() as f64 * course.interval;
                        events.push(PkEvent::ChangeInfusion {
                            time: course.start,
                            compartment: depot,
                            change: rate,
                        });
                        events.push(PkEvent::ChangeInfusion {
                            time: stop,
                            compartment: depot,
                            change: -rate,
                        });
                    }
                    DoseAmount::Mg(mg) => {
                        for t in course.times() {
                            events.push(PkEvent::Bolus {
                                time: t,
                                compartment: depot,
                                amount: nmol(mg),
                            });
                        }
                    }
                    DoseAmount::MgPerKg(per_kg) => {
                        for t in course.times() {
                            events.push(PkEvent::Bolus {
                                time: t,
                                compartment: depot,
                                amount: nmol(per_kg * weight(t)),
                            });
                        }
                    }
                }
            }
            pk.push((index, drug_pk.trajectory(events)));
        }
        ArmInputs {
            start_age,
            protocol: protocol.clone(),
            pk,
        }
    }

    /// No intervention at all (baselines and pre-runs).
    pub fn none(start_age: f64) -> ArmInputs {
        ArmInputs {
            start_age,
            protocol: Protocol::default(),
            pk: Vec::new(),
        }
    }

    /// Dose times: concentrations are continuous there but not smooth. (Times where an input
    /// jumps are breakpoints instead; see `Protocol::breakpoints`.)
    pub fn kinks(&self) -> Vec<f64> {
        let jumps = self.protocol.breakpoints();
        let mut k: Vec<f64> = self
            .pk
            .iter()
            .flat_map(|(_, t)| t.event_times())
            .filter(|t| !jumps.contains(t))
            .collect();
        k.sort_by(f64::total_cmp);
        k.dedup();
        k
    }

    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }

    /// The drugs given (index into `Model::drugs`) and their exact amounts over time.
    pub fn pk(&self) -> impl Iterator<Item = (usize, &PkTrajectory)> {
        self.pk.iter().map(|(i, t)| (*i, t))
    }

    /// The exposure at time `t`; schedules are read at `t_schedule` (the same instant, or the
    /// middle of the current solver segment so a segment never sees the next one's inputs).
    /// With `doses_before`, doses given exactly at `t` are not yet counted (left limit).
    pub fn exposure(
        &self,
        model: &Model,
        t: f64,
        t_schedule: f64,
        age: f64,
        doses_before: bool,
    ) -> Exposure {
        let p = &self.protocol;
        let mut e = Exposure::neutral(age);
        e.stress = level_at(&p.stress, t_schedule, 0.0);
        e.cigarettes_per_day = level_at(&p.smoking, t_schedule, 0.0);
        e.alcohol_units_per_day = level_at(&p.alcohol, t_schedule, 0.0);
        e.inflammation = level_at(&p.inflammation, t_schedule, 0.0);
        if let Some(d) = p
            .diets
            .iter()
            .find(|d| t_schedule >= d.start && t_schedule < d.stop)
        {
            e.tryptophan = d.tryptophan;
            e.calcium = d.calcium;
            e.vitamin_d = d.vitamin_d;
        }
        e.days_since_ovariectomy = p
            .ovariectomy
            .filter(|&at| t_schedule >= at)
            .map(|at| t - at);
        if !self.pk.is_empty() {
            let weight = model.age.body_weight(age);
            let mut amounts = [0.0; crate::physiology::pharmacology::pk::MAX_COMPARTMENTS];
            for (index, trajectory) in &self.pk {
                let drug = &model.drugs[*index];
                let n = drug.n_compartments();
                if doses_before {
                    trajectory.amounts_before(t, &mut amounts[..n]);
                } else {
                    trajectory.amounts_at(t, &mut amounts[..n]);
                }
                drug.add_to_exposure(&amounts[..n], weight, &mut e);
            }
        }
        e
    }
}

/// A model and the inputs of one arm, as an ODE system in time since the start of the study.
pub struct ArmSystem<'a> {
    model: &'a Model,
    inputs: &'a ArmInputs,
    scales: Vec<f64>,
    schedule_time: Cell<f64>,
    /// End of the stretch being integrated: doses at this instant are not yet given.
    stretch_end: Cell<f64>,
    /// Holds the age fixed (steady-state searches).
    frozen_age: Option<f64>,
    cache: RefCell<Option<(f64, f64, f64, Exposure)>>,
}

impl<'a> ArmSystem<'a> {
    pub fn new(model: &'a Model, inputs: &'a ArmInputs) -> ArmSystem<'a> {
        ArmSystem {
            model,
            inputs,
            scales: model.states.iter().map(|s| s.scale).collect(),
            schedule_time: Cell::new(0.0),
            stretch_end: Cell::new(f64::NAN),
            frozen_age: None,
            cache: RefCell::new(None),
        }
    }

    /// The same system with age held at `age` (for steady states).
    pub fn frozen(model: &'a Model, inputs: &'a ArmInputs, age: f64) -> ArmSystem<'a> {
        ArmSystem {
            frozen_age: Some(age),
            ..ArmSystem::new(model, inputs)
        }
    }

    /// The exposure the system sees at `t` in the current segment.
    pub fn exposure(&self, t: f64) -> Exposure {
        let schedule = self.schedule_time.get();
        let end = self.stretch_end.get();
        if let Some((ct, cs, ce, e)) = *self.cache.borrow() {
            if ct == t && cs == schedule && ce == end {
                return e;
            }
        }
        let age = self.frozen_age.unwrap_or(self.inputs.start_age + t);
        let e = self.inputs.exposure(self.model, t, schedule, age, t >= end);
        *self.cache.borrow_mut() = Some((t, schedule, end, e));
        e
    }

    /// Exposure at a sample time `t`. Schedules are read just before `t` (the inputs that
    /// produced the state at `t`), except at the start, where the inputs starting then apply.
    pub fn exposure_at_sample(&self, t: f64) -> Exposure {
        let age = self.frozen_age.unwrap_or(self.inputs.start_age + t);
        let schedule = if t > 0.0 { t - 1e-9 * t.max(1.0) } else { t };
        self.inputs.exposure(self.model, t, schedule, age, t > 0.0)
    }
}

impl OdeSystem for ArmSystem<'_> {
    fn n(&self) -> usize {
        self.model.n_states()
    }

    fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64]) {
        let e = self.exposure(t);
        self.model.rhs(y, &e, dy);
    }

    fn scales(&self) -> &[f64] {
        &self.scales
    }

    fn enter_segment(&self, start: f64, end: f64) {
        self.schedule_time.set(0.5 * (start + end));
        self.stretch_end.set(end);
    }

    fn kinks(&self) -> Vec<f64> {
        self.inputs.kinks()
    }

    fn is_admissible(&self, y: &[f64]) -> bool {
        self.model.is_admissible(y)
    }
}
