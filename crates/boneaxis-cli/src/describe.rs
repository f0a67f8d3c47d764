//! `boneaxis describe`: states, signals, interventions and readouts of the model.

use boneaxis::model::readouts::catalog;
use boneaxis::model::Model;
use boneaxis::params::Catalog;
use boneaxis::physiology::pathways::PathwaySwitches;
use boneaxis::physiology::signals::SIGNAL_DOCS;
use boneaxis::physiology::{Drug, Genotype, Knockout};
use boneaxis::species::{Sex, Species};

/// Where each non-genetic intervention acts.
const INTERVENTIONS: &[(&str, &str)] = &[
    (
        "stress (rodents)",
        "chronic mild stress → depressive state → sympathetic outflow, corticosterone",
    ),
    (
        "depression (human)",
        "episode severity → depressive state → sympathetic outflow, cortisol",
    ),
    (
        "drug: SSRIs",
        "SERT occupancy → brain 5-HT (mood, sympathetic ↓), platelet 5-HT ↓, bone 5-HT ↑",
    ),
    (
        "drug: imipramine",
        "SERT and NET occupancy → brain 5-HT and NE (mood, α2 feedback), bone NE clearance ↓",
    ),
    (
        "drug: propranolol",
        "β2-adrenergic receptor blockade in bone",
    ),
    (
        "drug: serotonin",
        "5-HT entering plasma → platelets, bone 5-HT",
    ),
    (
        "drug: lp533401",
        "gut Tph1 inhibition → less gut 5-HT → free plasma and bone 5-HT ↓",
    ),
    (
        "diet: tryptophan",
        "Tph1 and Tph2 substrate → gut, bone and brain 5-HT",
    ),
    (
        "diet: calcium, vitamin D",
        "PTH production → RANKL ↑, OPG ↓",
    ),
    (
        "smoking",
        "oestrogen ↓ (women), precursor proliferation ↓, RANKL ↑",
    ),
    (
        "alcohol",
        "above the threshold: osteoblast proliferation and differentiation ↓",
    ),
    (
        "inflammation",
        "cytokines → osteoclast precursor supply ↑, RANKL ↑",
    ),
    (
        "ovariectomy",
        "oestrogen ↓ → RANKL ↑, OPG ↓, recruitment ↑, osteoclast apoptosis ↓",
    ),
    (
        "pathway depression_cytokines",
        "switch: depressive state → cytokines",
    ),
];

pub fn describe(species: Species) -> Result<(), boneaxis::Error> {
    let catalog_params = Catalog::embedded()?;
    let params = catalog_params.resolve(species, Sex::Female);
    let model = Model::new(
        &params,
        species,
        Sex::Female,
        Genotype::wild_type(),
        PathwaySwitches::default(),
    )?;
    say!(
        "boneaxis model for the {species} ({} states)\n",
        model.n_states()
    );
    say!("STATES");
    for s in &model.states {
        say!("  {:48} {}", s.name, s.description);
    }
    say!("\nSIGNALS (producer → consumers)");
    for s in SIGNAL_DOCS {
        say!(
            "  {:36} [{}] {} → {}: {}",
            s.name,
            s.unit,
            s.producer,
            s.consumers,
            s.description
        );
    }
    say!("\nINTERVENTIONS");
    for (what, acts) in INTERVENTIONS {
        say!("  {what:30} {acts}");
    }
    for d in Drug::ALL {
        say!("  {:30} {}", format!("drug {}", d.key()), d.class());
    }
    if species.is_rodent() {
        for k in Knockout::ALL {
            say!("  {:30} {}", format!("knockout {}", k.key()), k.acts_on());
        }
    }
    say!("\nREADOUTS");
    for r in catalog(&model) {
        say!("  {:48} [{}] {}", r.name, r.unit, r.description);
    }
    Ok(())
}
