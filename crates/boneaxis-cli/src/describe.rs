//! `boneaxis describe`: states, signals, interventions and readouts of the model.

use boneaxis::model::readouts::catalog;
use boneaxis::model::Model;
use boneaxis::params::Catalog;
use boneaxis::physiology::map::INTERVENTIONS;
use boneaxis::physiology::pathways::PathwaySwitches;
use boneaxis::physiology::signals::SIGNAL_DOCS;
use boneaxis::physiology::{Drug, Genotype, Knockout};
use boneaxis::species::{Sex, Species};

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
    for i in INTERVENTIONS {
        say!("  {:30} {}", i.name, i.acts);
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
