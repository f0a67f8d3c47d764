//! Readouts: the named quantities users ask for in scenario files, in the units they expect.
//!
//! Every readout is computed from the state and the signals at a sample time; the conversion
//! from canonical units happens here (pM for cells, ng/mL for hormones and drugs, % for
//! fractions), and the unit is part of the readout's definition.

use super::Model;
use crate::physiology::bone::{BV, MINERAL, OBA, OBP, OCA};
use crate::physiology::mood::{ADAPTATION, DEPRESSIVE_STATE};
use crate::physiology::serotonin::PLATELET_5HT;
use crate::physiology::{Exposure, Moiety, Signals};
use crate::species::Species;
use crate::units::days_per_year;

/// Molar mass of serotonin (g/mol), for ng/mL readouts.
const SEROTONIN_MOLAR_MASS: f64 = 176.22;

/// What a readout function sees.
pub struct ReadoutContext<'a> {
    pub model: &'a Model,
    pub state: &'a [f64],
    pub signals: &'a Signals,
    pub exposure: &'a Exposure,
}

type Eval = Box<dyn Fn(&ReadoutContext) -> f64 + Send + Sync>;

pub struct Readout {
    pub name: String,
    pub unit: &'static str,
    pub description: String,
    eval: Eval,
}

impl Readout {
    fn new(
        name: impl Into<String>,
        unit: &'static str,
        description: impl Into<String>,
        eval: impl Fn(&ReadoutContext) -> f64 + Send + Sync + 'static,
    ) -> Readout {
        Readout {
            name: name.into(),
            unit,
            description: description.into(),
            eval: Box::new(eval),
        }
    }

    pub fn eval(&self, ctx: &ReadoutContext) -> f64 {
        (self.eval)(ctx)
    }
}

impl std::fmt::Debug for Readout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Readout({} [{}])", self.name, self.unit)
    }
}

/// The readouts shown when a scenario does not list its own.
pub fn default_readouts(species: Species) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for site in species.sites() {
        let k = site.key();
        if species == Species::Human {
            names.push(format!("bone.{k}.bmd"));
        }
        names.push(format!("bone.{k}.bv_tv"));
        names.push(format!("bone.{k}.bone_formation_rate"));
    }
    if species == Species::Human {
        names.extend(
            [
                "bone.p1np",
                "bone.ctx",
                "mood.depressive_state",
                "hpa.cortisol",
            ]
            .map(String::from),
        );
    } else {
        names.extend(
            [
                "bone.p1np",
                "bone.ctx",
                "mood.sucrose_preference",
                "mood.social_exploration",
                "hpa.corticosterone",
            ]
            .map(String::from),
        );
    }
    names.extend(
        [
            "sympathetic.bone_norepinephrine",
            "serotonin.serum_5ht",
            "serotonin.platelet_5ht",
            "pd.sert_occupancy",
        ]
        .map(String::from),
    );
    names
}

fn pct(x: f64) -> f64 {
    100.0 * x
}

/// Every readout the model offers.
pub fn catalog(model: &Model) -> Vec<Readout> {
    let rodent = model.species.is_rodent();
    let mut r = vec![
        Readout::new("age.years", "years", "age", |c| c.signals.age_years),
        Readout::new(
            "age.body_weight",
            if rodent { "g" } else { "kg" },
            "body weight from the growth curve",
            move |c| c.signals.body_weight * if rodent { 1000.0 } else { 1.0 },
        ),
        Readout::new(
            "age.estrogen",
            "%",
            "oestrogen relative to an intact premenopausal female",
            |c| pct(c.signals.estrogen),
        ),
        Readout::new(
            "mood.depressive_state",
            "1",
            "latent depressive state (0 none, ~1 severe)",
            |c| c.state[super::MOOD.start + DEPRESSIVE_STATE],
        ),
        Readout::new(
            "mood.antidepressant_adaptation",
            "1",
            "slow adaptation to raised synaptic monoamines",
            |c| c.state[super::MOOD.start + ADAPTATION],
        ),
        Readout::new(
            "mood.antidepressant_relief",
            "%",
            "share of the depressive drive relieved",
            |c| pct(c.signals.antidepressant_relief),
        ),
        Readout::new(
            "sympathetic.outflow",
            "1",
            "sympathetic outflow relative to baseline",
            |c| c.signals.sympathetic_outflow,
        ),
        Readout::new(
            "sympathetic.bone_norepinephrine",
            "nM",
            "norepinephrine in bone",
            |c| c.signals.bone_norepinephrine,
        ),
        Readout::new(
            "sympathetic.beta1_occupancy",
            "%",
            "osteoblast β1-adrenergic receptor occupancy",
            |c| pct(c.signals.beta1_occupancy),
        ),
        Readout::new(
            "sympathetic.beta2_occupancy",
            "%",
            "osteoblast β2-adrenergic receptor occupancy",
            |c| pct(c.signals.beta2_occupancy),
        ),
        Readout::new(
            "hpa.gr_occupancy",
            "%",
            "glucocorticoid receptor occupancy in bone",
            |c| pct(c.signals.gr_occupancy),
        ),
        Readout::new(
            "serotonin.gut_tph1_activity",
            "1",
            "duodenal Tph1 synthesis relative to wild type",
            |c| c.signals.gut_tph1_activity,
        ),
        Readout::new(
            "serotonin.bone_tph1_activity",
            "1",
            "bone-local Tph1 synthesis (osteoclast lineage) relative to wild type",
            |c| c.signals.bone_tph1_activity,
        ),
        Readout::new(
            "serotonin.free_plasma_5ht",
            "nM",
            "free (platelet-poor) plasma 5-HT",
            |c| c.signals.free_plasma_5ht,
        ),
        Readout::new(
            "serotonin.serum_5ht",
            "ng/mL",
            "serum 5-HT as assayed (free + released from platelets)",
            |c| c.signals.serum_5ht * SEROTONIN_MOLAR_MASS * 1e-3,
        ),
        Readout::new(
            "serotonin.platelet_5ht",
            "ng/mL blood",
            "5-HT stored in platelets, per mL of whole blood",
            |c| c.state[super::SEROTONIN.start + PLATELET_5HT] * SEROTONIN_MOLAR_MASS * 1e-3,
        ),
        Readout::new(
            "serotonin.brain_synaptic_5ht",
            "1",
            "brain synaptic 5-HT relative to baseline",
            |c| c.signals.brain_synaptic_5ht,
        ),
        Readout::new(
            "serotonin.brain_synaptic_ne",
            "1",
            "brain synaptic norepinephrine relative to baseline",
            |c| c.signals.brain_synaptic_ne,
        ),
        Readout::new(
            "serotonin.bone_5ht",
            "nM",
            "extracellular 5-HT in bone marrow",
            |c| c.signals.bone_5ht,
        ),
        Readout::new(
            "serotonin.htr1b_occupancy",
            "%",
            "osteoblast 5-HT1B receptor occupancy",
            |c| pct(c.signals.htr1b_occupancy),
        ),
        Readout::new(
            "serotonin.htr2b_occupancy",
            "%",
            "osteoblast 5-HT2B receptor occupancy",
            |c| pct(c.signals.htr2b_occupancy),
        ),
        Readout::new(
            "pd.sert_occupancy",
            "%",
            "serotonin transporter occupancy by drugs",
            |c| pct(c.signals.sert_occupancy),
        ),
        Readout::new(
            "pd.net_occupancy",
            "%",
            "norepinephrine transporter occupancy by drugs",
            |c| pct(c.signals.net_occupancy),
        ),
        Readout::new(
            "pd.tph1_inhibition",
            "%",
            "gut tryptophan hydroxylase 1 blocked by inhibitors",
            |c| pct(c.signals.tph1_inhibition),
        ),
        Readout::new(
            "pathways.cytokines",
            "1",
            "IL-1/IL-6/TNF-α relative to baseline",
            |c| c.signals.cytokines,
        ),
        Readout::new(
            "pathways.pth_production",
            "1",
            "PTH production relative to baseline",
            |c| c.signals.pth_production,
        ),
    ];
    let gc_mw = model.hpa.molar_mass;
    if rodent {
        r.push(Readout::new(
            "hpa.corticosterone",
            "ng/mL",
            "serum corticosterone",
            move |c| c.signals.glucocorticoid * gc_mw * 1e-3,
        ));
        let m = model.mood.clone();
        r.push(Readout::new(
            "mood.sucrose_preference",
            "%",
            "sucrose preference (anhedonia readout)",
            move |c| pct(m.sucrose_preference(c.state[super::MOOD.start + DEPRESSIVE_STATE])),
        ));
        let m = model.mood.clone();
        r.push(Readout::new(
            "mood.social_exploration",
            "%",
            "social exploration relative to unstressed animals",
            move |c| pct(m.social_exploration(c.state[super::MOOD.start + DEPRESSIVE_STATE])),
        ));
    } else {
        r.push(Readout::new(
            "hpa.cortisol",
            "nmol/L",
            "plasma cortisol (daily mean)",
            |c| c.signals.glucocorticoid,
        ));
    }
    for m in Moiety::ALL {
        let mw = model
            .drugs
            .iter()
            .find_map(|d| d.molar_mass_of(m))
            .expect("every moiety belongs to a drug");
        let i = m.index();
        r.push(Readout::new(
            format!("pk.{}.plasma", m.key()),
            "ng/mL",
            format!("total plasma {}", m.key()),
            move |c| c.signals.plasma[i] * mw * 1e-3,
        ));
    }
    r.extend(bone_readouts(model));
    // States that no readout above shows, under their own names, for completeness.
    for (i, info) in model.states.iter().enumerate() {
        if !r.iter().any(|x| x.name == info.name) {
            r.push(Readout::new(
                info.name.clone(),
                "model units",
                info.description.clone(),
                move |c| c.state[i],
            ));
        }
    }
    r
}

fn bone_readouts(model: &Model) -> Vec<Readout> {
    let mut r = Vec::new();
    let n_sites = model.bone.sites.len();
    for (k, site) in model.bone.sites.iter().enumerate() {
        let key = site.site.key();
        let label = site.site.label();
        let off = model.site_offset(k);
        let mineral_ref = site.mineral_ref;
        let per_year = 100.0 * days_per_year();
        r.push(Readout::new(
            format!("bone.{key}.bv_tv"),
            "%",
            format!("bone volume fraction BV/TV, {label}"),
            move |c| pct(c.state[off + BV]),
        ));
        r.push(Readout::new(
            format!("bone.{key}.bone_formation_rate"),
            "%/year",
            format!("bone formed per tissue volume per year (BFR/TV), {label}"),
            move |c| per_year * c.model.bone.fluxes(k, &c.signals.drive, &c.state[off..]).0,
        ));
        r.push(Readout::new(
            format!("bone.{key}.bone_resorption_rate"),
            "%/year",
            format!("bone resorbed per tissue volume per year, {label}"),
            move |c| per_year * c.model.bone.fluxes(k, &c.signals.drive, &c.state[off..]).1,
        ));
        r.push(Readout::new(
            format!("bone.{key}.turnover"),
            "%/year",
            format!("bone formed per bone volume per year (BFR/BV), {label}"),
            move |c| {
                per_year * c.model.bone.fluxes(k, &c.signals.drive, &c.state[off..]).0
                    / c.state[off + BV]
            },
        ));
        for (idx, name, what) in [
            (OBP, "osteoblast_precursors", "precursor osteoblasts"),
            (OBA, "osteoblasts", "active osteoblasts"),
            (OCA, "osteoclasts", "active osteoclasts"),
        ] {
            r.push(Readout::new(
                format!("bone.{key}.{name}"),
                "pM",
                format!("{what}, {label}"),
                move |c| 1e3 * c.state[off + idx],
            ));
        }
        r.push(Readout::new(
            format!("bone.{key}.osteoclast_turnover"),
            "%/day",
            format!("share of active osteoclasts removed per day, {label}"),
            move |c| {
                100.0
                    * c.model
                        .bone
                        .cells
                        .osteoclast_turnover(&c.signals.drive, c.state[off + OCA])
            },
        ));
        r.push(Readout::new(
            format!("bone.{key}.rankl_opg_ratio"),
            "1",
            format!("free RANKL / OPG, {label}"),
            move |c| {
                let rates = c.model.bone.cell_rates(
                    k,
                    &c.signals.drive,
                    c.signals.mechanical_load,
                    &c.state[off..off + 5],
                );
                rates.rankl / rates.opg
            },
        ));
        r.push(Readout::new(
            format!("bone.{key}.bmd_relative"),
            "%",
            format!("mineral content relative to the young-adult reference, {label}"),
            move |c| pct(c.state[off + MINERAL] / mineral_ref),
        ));
        if let Some(bmd_ref) = site.bmd_ref {
            r.push(Readout::new(
                format!("bone.{key}.bmd"),
                "g/cm^2",
                format!("areal BMD (DXA), {label}"),
                move |c| bmd_ref * c.state[off + MINERAL] / mineral_ref,
            ));
        }
    }
    // Markers average each site's flux relative to its young-adult reference.
    let marker = move |c: &ReadoutContext, which: usize| {
        let [_, oba, oca] = c.model.bone.cells.reference;
        let total: f64 = (0..n_sites)
            .map(|k| {
                let site = &c.model.bone.sites[k];
                let off = c.model.site_offset(k);
                let (formation, resorption) =
                    c.model.bone.fluxes(k, &c.signals.drive, &c.state[off..]);
                if which == 0 {
                    formation / (site.k_form * oba)
                } else {
                    resorption / (site.k_res * oca)
                }
            })
            .sum();
        100.0 * total / n_sites as f64
    };
    r.push(Readout::new(
        "bone.p1np",
        "%",
        "formation marker (P1NP-like), % of the young-adult reference",
        move |c| marker(c, 0),
    ));
    r.push(Readout::new(
        "bone.ctx",
        "%",
        "resorption marker (CTX-like), % of the young-adult reference",
        move |c| marker(c, 1),
    ));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Catalog;
    use crate::physiology::pathways::PathwaySwitches;
    use crate::physiology::Genotype;
    use crate::species::Sex;

    #[test]
    fn readout_names_are_unique_and_defaults_exist() {
        for species in Species::ALL {
            let p = Catalog::embedded().unwrap().resolve(species, Sex::Female);
            let m = Model::new(
                &p,
                species,
                Sex::Female,
                Genotype::wild_type(),
                PathwaySwitches::default(),
            )
            .unwrap();
            let names: Vec<String> = catalog(&m).into_iter().map(|r| r.name).collect();
            let unique: std::collections::BTreeSet<&String> = names.iter().collect();
            assert_eq!(
                unique.len(),
                names.len(),
                "{species}: duplicate readout names"
            );
            for d in default_readouts(species) {
                assert!(names.contains(&d), "{species}: default readout {d} missing");
            }
        }
    }
}
