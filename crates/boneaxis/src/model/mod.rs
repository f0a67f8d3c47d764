//! The assembled model: subsystems, state layout and right-hand side.
//!
//! The order in which subsystems compute their signals is the causal order of the axis:
//! age → pharmacology → brain monoamines → mood → sympathetic and HPA arms → peripheral
//! serotonin → other pathways → bone drive. Only `signals` and `rhs` know this order.

pub mod readouts;

use crate::error::ParamError;
use crate::params::{ParamSet, ParamSource, TracedParams};
use crate::physiology::age::AgeParams;
use crate::physiology::bone::{BoneParams, N_SITE_STATES, SITE_STATES};
use crate::physiology::hpa::HpaParams;
use crate::physiology::mood::{MoodParams, DEPRESSIVE_STATE};
use crate::physiology::pathways::{smoking_intensity, PathwayParams, PathwaySwitches};
use crate::physiology::pharmacology::{DrugPk, PdParams};
use crate::physiology::serotonin::{SerotoninParams, PLATELET_5HT};
use crate::physiology::sympathetic::SympatheticParams;
use crate::physiology::{Drug, Exposure, Genotype, Signals};
use crate::species::{Sex, Species};
use crate::symbolic::{Expr, Lhs, Real};
use std::ops::Range;

/// Where each subsystem's states live in the state vector.
pub const MOOD: Range<usize> = 0..2;
pub const SEROTONIN: Range<usize> = 2..3;
/// The α2-autoreceptor set point (synaptic NE the receptors are adapted to).
pub const ALPHA2_SET_POINT: usize = 3;
pub const BONE_START: usize = 4;

/// A state's name, output unit and typical magnitude (used for the solver's tolerances).
#[derive(Debug, Clone, PartialEq)]
pub struct StateInfo {
    pub name: String,
    pub description: String,
    pub scale: f64,
    /// Amounts and concentrations cannot be negative; the antidepressant adaptation can.
    pub non_negative: bool,
}

/// The model of one individual: species, sex, genotype and parameters. `Model` (over `f64`)
/// simulates; `Model<Expr>` ([`Model::traced`]) records the same equations for export.
#[derive(Debug, Clone)]
pub struct Model<R = f64> {
    pub species: Species,
    pub sex: Sex,
    pub genotype: Genotype,
    pub switches: PathwaySwitches,
    pub age: AgeParams<R>,
    pub pd: PdParams<R>,
    pub drugs: Vec<DrugPk>,
    pub mood: MoodParams<R>,
    pub serotonin: SerotoninParams<R>,
    pub sympathetic: SympatheticParams<R>,
    pub hpa: HpaParams<R>,
    pub pathways: PathwayParams<R>,
    pub bone: BoneParams<R>,
    /// Signals of the wild-type young adult at rest: the point where receptor effects are 1.
    pub reference: Signals<R>,
    pub states: Vec<StateInfo>,
}

impl Model<f64> {
    pub fn new(
        p: &ParamSet,
        species: Species,
        sex: Sex,
        genotype: Genotype,
        switches: PathwaySwitches,
    ) -> Result<Model, ParamError> {
        Model::build(p, p, species, sex, genotype, switches)
    }

    pub fn drug(&self, drug: Drug) -> &DrugPk {
        &self.drugs[Drug::ALL
            .iter()
            .position(|&d| d == drug)
            .expect("every drug is built")]
    }

    /// No state that must be non-negative is below zero (by more than round-off).
    pub fn is_admissible(&self, y: &[f64]) -> bool {
        self.states
            .iter()
            .zip(y)
            .all(|(s, v)| v.is_finite() && (!s.non_negative || *v >= -1e-9 * s.scale))
    }
}

impl Model<Expr> {
    /// The model with every catalog parameter a named symbol (`Expr::parameter`), for export.
    /// Call it inside [`crate::symbolic::Tape::record`].
    pub fn traced(
        p: &ParamSet,
        species: Species,
        sex: Sex,
        genotype: Genotype,
        switches: PathwaySwitches,
    ) -> Result<Model<Expr>, ParamError> {
        Model::build(&TracedParams(p), p, species, sex, genotype, switches)
    }
}

impl<R: Real> Model<R>
where
    f64: Lhs<R>,
{
    /// Builds the model reading its parameters from `p` (numbers or symbols); the drugs' PK,
    /// which runs outside the right-hand side, always reads the numbers.
    fn build(
        p: &impl ParamSource<R>,
        numbers: &ParamSet,
        species: Species,
        sex: Sex,
        genotype: Genotype,
        switches: PathwaySwitches,
    ) -> Result<Model<R>, ParamError> {
        let drugs = Drug::ALL
            .iter()
            .map(|&d| DrugPk::from_params(d, numbers))
            .collect::<Result<Vec<_>, _>>()?;
        let mut model = Model {
            species,
            sex,
            genotype,
            switches,
            age: AgeParams::from_params(p, species, sex)?,
            pd: PdParams::from_params(p)?,
            drugs,
            mood: MoodParams::from_params(p)?,
            serotonin: SerotoninParams::from_params(p)?,
            sympathetic: SympatheticParams::from_params(p)?,
            hpa: HpaParams::from_params(p)?,
            pathways: PathwayParams::from_params(p, sex)?,
            bone: BoneParams::from_params(p, species)?,
            reference: Signals::default(),
            states: Vec::new(),
        };
        if !switches.bone_beta1 {
            model.bone.drive.disable_beta1();
        }
        model.reference = model.reference_signals();
        model.states = model.state_infos();
        Ok(model)
    }

    pub fn n_states(&self) -> usize {
        BONE_START + N_SITE_STATES * self.bone.sites.len()
    }

    /// The reference state: no depression, baseline platelets, every site at its reference.
    pub fn reference_state(&self) -> Vec<R> {
        let mut y = vec![R::constant(0.0); self.n_states()];
        y[SEROTONIN.start + PLATELET_5HT] = self.serotonin.platelet_baseline;
        y[ALPHA2_SET_POINT] = R::constant(1.0);
        for k in 0..self.bone.sites.len() {
            let start = BONE_START + k * N_SITE_STATES;
            y[start..start + N_SITE_STATES].copy_from_slice(&self.bone.reference_site_state(k));
        }
        y
    }

    fn reference_signals(&self) -> Signals<R> {
        let wild_type = Model {
            genotype: Genotype::wild_type(),
            reference: Signals::default(),
            ..self.clone()
        };
        let exposure = Exposure::neutral_at(self.age.maturity_age);
        wild_type.signals_without_drive(&self.reference_state(), &exposure)
    }

    fn state_infos(&self) -> Vec<StateInfo> {
        let y0: Vec<f64> = self.reference_state().into_iter().map(R::value).collect();
        let mut infos = vec![
            StateInfo {
                name: "mood.depressive_state".into(),
                description: "latent depressive state (0 = none)".into(),
                scale: 1.0,
                non_negative: true,
            },
            StateInfo {
                name: "mood.antidepressant_adaptation".into(),
                description: "slow adaptation to raised (or lowered) synaptic monoamines".into(),
                scale: 1.0,
                non_negative: false,
            },
            StateInfo {
                name: "serotonin.platelet_5ht".into(),
                description: "5-HT stored in platelet dense granules, nmol per litre of blood"
                    .into(),
                scale: self.serotonin.platelet_baseline.value(),
                non_negative: true,
            },
            StateInfo {
                name: "sympathetic.alpha2_set_point".into(),
                description: "brain synaptic NE the α2 autoreceptors are adapted to (relative)"
                    .into(),
                scale: 1.0,
                non_negative: true,
            },
        ];
        for (k, site) in self.bone.sites.iter().enumerate() {
            for (j, (key, description)) in SITE_STATES.iter().enumerate() {
                infos.push(StateInfo {
                    name: format!("bone.{}.{key}", site.site.key()),
                    description: format!("{description}, {}", site.site.label()),
                    scale: y0[BONE_START + k * N_SITE_STATES + j],
                    non_negative: true,
                });
            }
        }
        infos
    }

    fn signals_without_drive(&self, y: &[R], e: &Exposure<R>) -> Signals<R> {
        let g = &self.genotype;
        let mut s = Signals::default();
        self.age.signals(e, &mut s);
        self.pd.signals(e, &mut s);
        self.serotonin.brain_signals(e, g, &mut s);
        self.mood.signals(&y[MOOD], &mut s);
        let depressive_state = y[MOOD.start + DEPRESSIVE_STATE];
        self.sympathetic
            .signals(depressive_state, e.stress, y[ALPHA2_SET_POINT], g, &mut s);
        self.hpa.signals(depressive_state, e.stress, &mut s);
        self.serotonin
            .peripheral_signals(&y[SEROTONIN], e, g, &mut s);
        self.pathways
            .signals(depressive_state, e, self.switches, &mut s);
        s
    }

    /// All algebraic signals at state `y` under exposure `e`.
    pub fn signals(&self, y: &[R], e: &Exposure<R>) -> Signals<R> {
        let mut s = self.signals_without_drive(y, e);
        s.drive = self.bone.drive.drive(
            &s,
            &self.reference,
            smoking_intensity(e),
            self.pathways.alcohol_excess(e),
        );
        s
    }

    /// The right-hand side `dy/dt`; allocation-free.
    pub fn rhs(&self, y: &[R], e: &Exposure<R>, dy: &mut [R]) {
        let s = self.signals(y, e);
        self.derivatives(y, e, &s, dy);
    }

    /// `dy/dt` given the signals at `y` (export traces the signals once and names them).
    pub fn derivatives(&self, y: &[R], e: &Exposure<R>, s: &Signals<R>, dy: &mut [R]) {
        self.mood.derivatives(&y[MOOD], e.stress, s, &mut dy[MOOD]);
        self.serotonin
            .derivatives(&y[SEROTONIN], &self.genotype, s, &mut dy[SEROTONIN]);
        dy[ALPHA2_SET_POINT] = self.sympathetic.derivative(y[ALPHA2_SET_POINT], s);
        self.bone.derivatives(
            &s.drive,
            s.mechanical_load,
            &y[BONE_START..],
            &mut dy[BONE_START..],
        );
    }

    /// Index of a state by its dotted name.
    pub fn state_index(&self, name: &str) -> Option<usize> {
        self.states.iter().position(|s| s.name == name)
    }

    /// Index of the first state of a site block.
    pub fn site_offset(&self, site: usize) -> usize {
        BONE_START + site * N_SITE_STATES
    }
}
