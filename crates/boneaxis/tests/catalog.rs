//! The parameter catalog: complete provenance, no dead entries, documented counts.

mod common;
use boneaxis::model::Model;
use boneaxis::params::{Catalog, Kind};
use boneaxis::physiology::pathways::PathwaySwitches;
use boneaxis::physiology::Genotype;
use boneaxis::species::{Sex, Species};
use std::collections::BTreeSet;

#[test]
fn every_entry_has_a_unit_a_known_source_and_a_kind() {
    let catalog = Catalog::embedded().unwrap();
    for p in &catalog.params {
        assert!(
            !p.unit.is_empty() && catalog.references.contains_key(&p.source),
            "{}",
            p.name
        );
        if p.kind == Kind::Calibrated {
            assert!(
                p.bounds.is_some(),
                "{} is calibrated without bounds",
                p.name
            );
        }
    }
}

#[test]
fn every_entry_is_used_by_the_model_of_some_species_and_sex() {
    let catalog = Catalog::embedded().unwrap();
    let mut read = BTreeSet::new();
    let mut offered = BTreeSet::new();
    for species in Species::ALL {
        for sex in [Sex::Female, Sex::Male] {
            let params = catalog.resolve(species, sex);
            Model::new(
                &params,
                species,
                sex,
                Genotype::wild_type(),
                PathwaySwitches {
                    depression_cytokines: true,
                    depression_estrogen: true,
                    bone_beta1: true,
                },
            )
            .unwrap();
            if species == Species::Human {
                boneaxis::clinical::params::ClinicalParams::from_params(&params).unwrap();
            }
            let unread: BTreeSet<String> = params.unread().into_iter().collect();
            for p in catalog.entries_for(species, sex) {
                offered.insert(p.name.clone());
                if !unread.contains(&p.name) {
                    read.insert(p.name.clone());
                }
            }
        }
    }
    let dead: Vec<&String> = offered.difference(&read).collect();
    assert!(dead.is_empty(), "catalog entries no model reads: {dead:?}");
}

#[test]
fn the_parameter_document_is_current() {
    let expected = boneaxis::params::markdown_report(&Catalog::embedded().unwrap());
    let path = common::repo_path("docs/parameters.md");
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/parameters.md is stale: regenerate it with `cargo run -p boneaxis-cli -- params --format markdown > docs/parameters.md`"
    );
}

#[test]
fn a_solver_failure_names_the_scenario_the_arm_and_the_time() {
    let text = std::fs::read_to_string(common::repo_path("scenarios/human_ssri_5y.toml"))
        .unwrap()
        .replace("[output]", "[solver]\nmax_steps = 50\n\n[output]");
    let study = boneaxis::scenario::load_str(&text, "t.toml").unwrap();
    let err = boneaxis::simulate::run_study(&study, |_, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("human_ssri_5y") && err.contains("arm `") && err.contains("t = "),
        "{err}"
    );
}
