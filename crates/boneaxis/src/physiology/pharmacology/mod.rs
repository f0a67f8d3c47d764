//! Pharmacology: drugs, their exact linear PK, and target engagement (PD).
//!
//! PK: each drug has an oral depot (gavage, tablets, drinking water), an intraperitoneal depot,
//! a central compartment, an optional peripheral compartment (two-compartment kinetics when
//! `pk.<drug>.peripheral_volume` > 0) and, for fluoxetine and imipramine, an active metabolite
//! (norfluoxetine, desipramine) formed from a fraction of the parent's clearance. The PK is
//! linear and solved in closed form (see [`pk`]). For a two-compartment drug the
//! `elimination_half_life` is that of the central compartment (`ln 2 / k10`).
//!
//! PD: unbound plasma concentration (`fu·C`) occupies the serotonin transporter (SERT), the
//! norepinephrine transporter (NET), the β1- and β2-adrenergic receptors, hypothalamic 5-HT2C
//! receptors (fluoxetine, norfluoxetine and citalopram are antagonists there, Pälvimäki 1996) and,
//! for LP533401, gut tryptophan hydroxylase 1 by competitive binding:
//! `occ_T = Σ_i (u_i/K_iT) / (1 + Σ_i u_i/K_iT)`. In vitro affinities (Tatsumi 1997) are scaled by
//! one in-vivo potency factor per transporter, shared by all drugs. Brain unbound concentration
//! equals plasma unbound (Kp,uu = 1, assumed), so SSRIs also block platelet and bone-cell SERT.

pub mod pk;

use self::pk::{LinearPk, PkEvent, PkTrajectory};
use super::{Exposure, Signals};
use crate::error::ParamError;
use crate::params::{ParamSet, ParamSource};
use crate::symbolic::{Lhs, Real};
use crate::units::Dimension;
use serde::{Deserialize, Serialize};

/// A pharmacologically active substance whose plasma level the model tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moiety {
    Fluoxetine,
    Norfluoxetine,
    Sertraline,
    Paroxetine,
    Citalopram,
    Escitalopram,
    Imipramine,
    Desipramine,
    Propranolol,
    Lp533401,
}

pub const N_MOIETIES: usize = 10;

impl Moiety {
    pub const ALL: [Moiety; N_MOIETIES] = [
        Moiety::Fluoxetine,
        Moiety::Norfluoxetine,
        Moiety::Sertraline,
        Moiety::Paroxetine,
        Moiety::Citalopram,
        Moiety::Escitalopram,
        Moiety::Imipramine,
        Moiety::Desipramine,
        Moiety::Propranolol,
        Moiety::Lp533401,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn key(self) -> &'static str {
        match self {
            Moiety::Fluoxetine => "fluoxetine",
            Moiety::Norfluoxetine => "norfluoxetine",
            Moiety::Sertraline => "sertraline",
            Moiety::Paroxetine => "paroxetine",
            Moiety::Citalopram => "citalopram",
            Moiety::Escitalopram => "escitalopram",
            Moiety::Imipramine => "imipramine",
            Moiety::Desipramine => "desipramine",
            Moiety::Propranolol => "propranolol",
            Moiety::Lp533401 => "lp533401",
        }
    }

    /// The targets the moiety binds.
    fn target(self) -> Target {
        match self {
            Moiety::Propranolol => Target::BetaAdrenergic,
            Moiety::Lp533401 => Target::Tph1,
            _ => Target::Transporters,
        }
    }
}

/// What a moiety binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// The serotonin and norepinephrine transporters (antidepressants).
    Transporters,
    /// The β1- and β2-adrenergic receptors (propranolol).
    BetaAdrenergic,
    /// Tryptophan hydroxylase 1 (LP533401).
    Tph1,
}

impl Moiety {}

/// A drug a scenario can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Drug {
    Fluoxetine,
    Sertraline,
    Paroxetine,
    Citalopram,
    Escitalopram,
    Imipramine,
    /// Imipramine's metabolite given as a drug: a NET-selective tricyclic.
    Desipramine,
    Propranolol,
    /// Serotonin (5-HT) injections.
    Serotonin,
    /// LP533401, a tryptophan hydroxylase 1 inhibitor that does not enter the brain.
    Lp533401,
}

impl Drug {
    pub const ALL: [Drug; 10] = [
        Drug::Fluoxetine,
        Drug::Sertraline,
        Drug::Paroxetine,
        Drug::Citalopram,
        Drug::Escitalopram,
        Drug::Imipramine,
        Drug::Desipramine,
        Drug::Propranolol,
        Drug::Serotonin,
        Drug::Lp533401,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Drug::Fluoxetine => "fluoxetine",
            Drug::Sertraline => "sertraline",
            Drug::Paroxetine => "paroxetine",
            Drug::Citalopram => "citalopram",
            Drug::Escitalopram => "escitalopram",
            Drug::Imipramine => "imipramine",
            Drug::Desipramine => "desipramine",
            Drug::Propranolol => "propranolol",
            Drug::Serotonin => "serotonin",
            Drug::Lp533401 => "lp533401",
        }
    }

    pub fn from_key(key: &str) -> Option<Drug> {
        Drug::ALL.into_iter().find(|d| d.key() == key)
    }

    pub fn class(self) -> &'static str {
        match self {
            Drug::Imipramine => "tricyclic antidepressant (SERT + NET inhibitor)",
            Drug::Desipramine => "tricyclic antidepressant (NET-selective)",
            Drug::Propranolol => "non-selective β-blocker",
            Drug::Serotonin => "5-HT itself (injected)",
            Drug::Lp533401 => "tryptophan hydroxylase 1 inhibitor (gut serotonin synthesis)",
            _ => "selective serotonin reuptake inhibitor",
        }
    }

    /// The parent moiety and its active metabolite.
    pub fn moieties(self) -> (Option<Moiety>, Option<Moiety>) {
        match self {
            Drug::Fluoxetine => (Some(Moiety::Fluoxetine), Some(Moiety::Norfluoxetine)),
            Drug::Sertraline => (Some(Moiety::Sertraline), None),
            Drug::Paroxetine => (Some(Moiety::Paroxetine), None),
            Drug::Citalopram => (Some(Moiety::Citalopram), None),
            Drug::Escitalopram => (Some(Moiety::Escitalopram), None),
            Drug::Imipramine => (Some(Moiety::Imipramine), Some(Moiety::Desipramine)),
            Drug::Desipramine => (Some(Moiety::Desipramine), None),
            Drug::Propranolol => (Some(Moiety::Propranolol), None),
            Drug::Serotonin => (None, None),
            Drug::Lp533401 => (Some(Moiety::Lp533401), None),
        }
    }
}

/// How a dose is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Oral,
    Intraperitoneal,
    /// Continuous oral intake, dose given per kg per day.
    DrinkingWater,
}

impl Route {
    pub fn key(self) -> &'static str {
        match self {
            Route::Oral => "oral",
            Route::Intraperitoneal => "intraperitoneal",
            Route::DrinkingWater => "drinking_water",
        }
    }
}

const ORAL_DEPOT: usize = 0;
const IP_DEPOT: usize = 1;
const CENTRAL: usize = 2;

/// The PK model of one drug in one species.
#[derive(Debug, Clone)]
pub struct DrugPk {
    pub drug: Drug,
    pub molar_mass: f64,
    pub salt_molar_mass: f64,
    oral_bioavailability: f64,
    ip_bioavailability: f64,
    oral_absorption: f64,
    ip_absorption: f64,
    /// Volume of distribution of the parent, L/kg (0 for serotonin, which has no central pool).
    volume: f64,
    /// Metabolite compartment, its volume (L/kg) and molar mass (g/mol).
    metabolite: Option<(usize, f64, f64)>,
    system: LinearPk,
}

/// The compartments of one drug: first-order transfers `(from, to, rate)` between them (`to =
/// None` leaves the body), and what turns amounts into concentrations. Generic so that export
/// reads the same structure with named parameters.
#[derive(Debug, Clone)]
pub struct PkStructure<R = f64> {
    pub n: usize,
    pub transfers: Vec<(usize, Option<usize>, R)>,
    pub oral_bioavailability: R,
    pub ip_bioavailability: R,
    pub oral_absorption: R,
    pub ip_absorption: R,
    /// Volume of distribution of the parent, L/kg (0 for serotonin, which has no central pool).
    pub volume: R,
    /// Metabolite compartment, its volume (L/kg) and molar mass (g/mol).
    pub metabolite: Option<(usize, R, R)>,
    pub molar_mass: R,
    pub salt_molar_mass: R,
}

impl<R: Real> PkStructure<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(drug: Drug, p: &impl ParamSource<R>) -> Result<Self, ParamError> {
        let name = |field: &str| format!("pk.{}.{field}", drug.key());
        let half_life_rate = |key: String| -> Result<R, ParamError> {
            Ok(std::f64::consts::LN_2 / p.get(&key, Dimension::Time)?)
        };
        let oral_absorption = p.get(&name("oral_absorption_rate"), Dimension::Rate)?;
        let ip_absorption = p.get(&name("intraperitoneal_absorption_rate"), Dimension::Rate)?;
        let mut transfers = Vec::new();
        let (parent, metabolite_moiety) = drug.moieties();
        let (n, volume, metabolite) = match parent {
            None => {
                // Injected serotonin: the depots drain into the plasma 5-HT pool of the
                // serotonin subsystem, which reads the absorption flux.
                transfers.push((ORAL_DEPOT, None, oral_absorption));
                transfers.push((IP_DEPOT, None, ip_absorption));
                (2, R::constant(0.0), None)
            }
            Some(_) => {
                let k = half_life_rate(name("elimination_half_life"))?;
                transfers.push((ORAL_DEPOT, Some(CENTRAL), oral_absorption));
                transfers.push((IP_DEPOT, Some(CENTRAL), ip_absorption));
                let volume = p.get(
                    &name("volume_of_distribution"),
                    Dimension::VolumePerBodyMass,
                )?;
                let mut n = 3;
                // A peripheral volume of zero means a one-compartment drug.
                let vp = p.get(&name("peripheral_volume"), Dimension::VolumePerBodyMass)?;
                let k12 = p.get(&name("distribution_rate"), Dimension::Rate)?;
                if vp > 0.0 && k12 > 0.0 {
                    transfers.push((CENTRAL, Some(n), k12));
                    transfers.push((n, Some(CENTRAL), k12 * volume / vp));
                    n += 1;
                }
                let metabolite = match metabolite_moiety {
                    Some(m) => {
                        let fm = p.get1(&name("metabolite_fraction"))?;
                        let km = half_life_rate(format!("pk.{}.elimination_half_life", m.key()))?;
                        let vm = p.get(
                            &format!("pk.{}.volume_of_distribution", m.key()),
                            Dimension::VolumePerBodyMass,
                        )?;
                        let mw =
                            p.get(&format!("pk.{}.molar_mass", m.key()), Dimension::MolarMass)?;
                        transfers.push((CENTRAL, Some(n), fm * k));
                        transfers.push((CENTRAL, None, (1.0 - fm) * k));
                        transfers.push((n, None, km));
                        n += 1;
                        Some((n - 1, vm, mw))
                    }
                    None => {
                        transfers.push((CENTRAL, None, k));
                        None
                    }
                };
                (n, volume, metabolite)
            }
        };
        Ok(PkStructure {
            n,
            transfers,
            oral_bioavailability: p.get1(&name("oral_bioavailability"))?,
            ip_bioavailability: p.get1(&name("intraperitoneal_bioavailability"))?,
            oral_absorption,
            ip_absorption,
            volume,
            metabolite,
            molar_mass: p.get(&name("molar_mass"), Dimension::MolarMass)?,
            salt_molar_mass: p.get(&name("salt_molar_mass"), Dimension::MolarMass)?,
        })
    }
}

/// Index of the central compartment of a drug with a parent moiety.
pub const CENTRAL_COMPARTMENT: usize = CENTRAL;

impl DrugPk {
    pub fn from_params(drug: Drug, p: &ParamSet) -> Result<DrugPk, ParamError> {
        let s = PkStructure::<f64>::from_params(drug, p)?;
        Ok(DrugPk {
            drug,
            molar_mass: s.molar_mass,
            salt_molar_mass: s.salt_molar_mass,
            oral_bioavailability: s.oral_bioavailability,
            ip_bioavailability: s.ip_bioavailability,
            oral_absorption: s.oral_absorption,
            ip_absorption: s.ip_absorption,
            volume: s.volume,
            metabolite: s.metabolite,
            system: LinearPk::new(s.n, &s.transfers),
        })
    }

    /// Converts a mass of the given form (mg) to nmol of the active base.
    pub fn mg_to_nmol(&self, mg: f64, as_salt: bool) -> f64 {
        let mw = if as_salt {
            self.salt_molar_mass
        } else {
            self.molar_mass
        };
        mg * 1e6 / mw
    }

    /// The depot a route feeds and the fraction of the dose that reaches the circulation.
    pub fn depot(&self, route: Route) -> (usize, f64) {
        match route {
            Route::Oral | Route::DrinkingWater => (ORAL_DEPOT, self.oral_bioavailability),
            Route::Intraperitoneal => (IP_DEPOT, self.ip_bioavailability),
        }
    }

    pub fn trajectory(&self, events: Vec<PkEvent>) -> PkTrajectory {
        PkTrajectory::new(self.system.clone(), events)
    }

    /// Molar mass (g/mol) of the parent or metabolite moiety of this drug.
    pub fn molar_mass_of(&self, moiety: Moiety) -> Option<f64> {
        match self.drug.moieties() {
            (Some(p), _) if p == moiety => Some(self.molar_mass),
            (_, Some(m)) if m == moiety => self.metabolite.map(|(_, _, mw)| mw),
            _ => None,
        }
    }

    pub fn n_compartments(&self) -> usize {
        self.system.n()
    }

    /// Adds this drug's plasma levels (nM) or 5-HT flux (nmol/day) to an exposure, given the
    /// compartment amounts (nmol) and body weight (kg).
    pub fn add_to_exposure(&self, amounts: &[f64], body_weight: f64, e: &mut Exposure) {
        let (parent, metabolite) = self.drug.moieties();
        match parent {
            None => {
                e.exogenous_serotonin_flux += self.oral_absorption * amounts[ORAL_DEPOT]
                    + self.ip_absorption * amounts[IP_DEPOT];
            }
            Some(m) => {
                e.plasma[m.index()] += amounts[CENTRAL] / (self.volume * body_weight);
                if let (Some(mm), Some((cmt, vm, _))) = (metabolite, self.metabolite) {
                    e.plasma[mm.index()] += amounts[cmt] / (vm * body_weight);
                }
            }
        }
    }
}

/// Binding parameters of one moiety.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Binding<R = f64> {
    fraction_unbound: R,
    /// In-vivo dissociation constants (nM); infinite where the moiety does not bind.
    sert: R,
    net: R,
    beta1: R,
    beta2: R,
    tph1: R,
    /// Hypothalamic 5-HT2C (an antagonist action of some antidepressants).
    htr2c: R,
}

/// The unbound SERT dissociation constant in vivo (nM). Where PET has measured the total
/// plasma level of half occupancy (`sert_in_vivo_plasma_kd`), that measurement wins, as the
/// unbound level it stands for; otherwise the in-vitro constant times the shared factor.
/// PET relates occupancy to plasma levels in a way "not predictable based on affinity alone"
/// (Meyer 2007).
fn sert_in_vivo_kd<R: Real>(
    p: &impl ParamSource<R>,
    key: &impl Fn(&str) -> String,
    fraction_unbound: R,
    shared_factor: R,
) -> Result<R, ParamError>
where
    f64: Lhs<R>,
{
    let measured = key("sert_in_vivo_plasma_kd");
    if p.has(&measured) {
        Ok(p.get(&measured, Dimension::Concentration)? * fraction_unbound)
    } else {
        Ok(p.get(&key("sert_ki"), Dimension::Concentration)? * shared_factor)
    }
}

/// Target engagement.
#[derive(Debug, Clone, PartialEq)]
pub struct PdParams<R = f64> {
    bindings: [Binding<R>; N_MOIETIES],
}

impl<R: Real> PdParams<R>
where
    f64: Lhs<R>,
{
    pub fn from_params(p: &impl ParamSource<R>) -> Result<PdParams<R>, ParamError> {
        let sert_scale = p.get1("pd.sert_in_vivo_potency_factor")?;
        let net_scale = p.get1("pd.net_in_vivo_potency_factor")?;
        let none = R::constant(f64::INFINITY);
        let mut bindings = [Binding {
            fraction_unbound: R::constant(0.0),
            sert: none,
            net: none,
            beta1: none,
            beta2: none,
            tph1: none,
            htr2c: none,
        }; N_MOIETIES];
        for m in Moiety::ALL {
            let key = |f: &str| format!("pd.{}.{f}", m.key());
            let b = &mut bindings[m.index()];
            b.fraction_unbound = p.get1(&key("fraction_unbound"))?;
            match m.target() {
                Target::Transporters => {
                    b.sert = sert_in_vivo_kd(p, &key, b.fraction_unbound, sert_scale)?;
                    b.net = p.get(&key("net_ki"), Dimension::Concentration)? * net_scale;
                    // Only antidepressants with a measured 5-HT2C affinity block it.
                    if p.has(&key("htr2c_ki")) {
                        b.htr2c = p.get(&key("htr2c_ki"), Dimension::Concentration)?;
                    }
                }
                Target::BetaAdrenergic => {
                    b.beta1 = p.get(&key("beta1_ki"), Dimension::Concentration)?;
                    b.beta2 = p.get(&key("beta2_ki"), Dimension::Concentration)?;
                }
                Target::Tph1 => b.tph1 = p.get(&key("tph1_ki"), Dimension::Concentration)?,
            }
        }
        Ok(PdParams { bindings })
    }

    pub fn signals(&self, exposure: &Exposure<R>, s: &mut Signals<R>) {
        let zero = R::constant(0.0);
        let (mut sert, mut net, mut beta1, mut beta2, mut tph1, mut htr2c) =
            (zero, zero, zero, zero, zero, zero);
        // `unbound/K` where the moiety binds (a finite K is a parameter, not a state, choice).
        let add = |sum: &mut R, unbound: R, k: R| {
            if k.value().is_finite() {
                *sum += unbound / k;
            }
        };
        for (b, &c) in self.bindings.iter().zip(&exposure.plasma) {
            let unbound = b.fraction_unbound * c;
            add(&mut sert, unbound, b.sert);
            add(&mut net, unbound, b.net);
            add(&mut beta1, unbound, b.beta1);
            add(&mut beta2, unbound, b.beta2);
            add(&mut tph1, unbound, b.tph1);
            add(&mut htr2c, unbound, b.htr2c);
        }
        s.plasma = exposure.plasma;
        s.sert_occupancy = sert / (1.0 + sert);
        s.net_occupancy = net / (1.0 + net);
        s.beta1_antagonist_ratio = beta1;
        s.beta2_antagonist_ratio = beta2;
        s.tph1_inhibition = tph1 / (1.0 + tph1);
        s.htr2c_antagonist_ratio = htr2c;
    }
}
