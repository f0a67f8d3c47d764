//! Each subsystem answers an open-loop input in its documented direction (docs/model.md).
//! Inputs are set directly on the exposure or the state; the response is read from the
//! signals and derivatives, without running the solver.

mod common;

use boneaxis::model::{Model, BONE_START, MOOD, SEROTONIN};
use boneaxis::physiology::mood::{ADAPTATION, DEPRESSIVE_STATE};
use boneaxis::physiology::serotonin::PLATELET_5HT;
use boneaxis::physiology::{Exposure, Knockout, Moiety, Signals};
use boneaxis::species::{Sex, Species};

fn model_with(knockouts: &[Knockout]) -> Model {
    common::mouse_model(knockouts)
}

fn adult(m: &Model) -> Exposure {
    Exposure::neutral(m.age.maturity_age + 1.0)
}

/// Signals and derivatives at the reference state under an exposure (and an optional state edit).
fn respond(m: &Model, e: &Exposure, edit: impl Fn(&mut [f64])) -> (Signals, Vec<f64>) {
    let mut y = m.reference_state();
    edit(&mut y);
    let mut dy = vec![0.0; y.len()];
    m.rhs(&y, e, &mut dy);
    (m.signals(&y, e), dy)
}

fn depressed(y: &mut [f64]) {
    y[MOOD.start + DEPRESSIVE_STATE] = 0.5;
}

#[test]
fn mood_stress_raises_the_depressive_state_and_antidepressants_drive_adaptation() {
    let m = model_with(&[]);
    let mut e = adult(&m);
    e.stress = 1.0;
    let (_, dy) = respond(&m, &e, |_| {});
    assert!(
        dy[MOOD.start + DEPRESSIVE_STATE] > 0.0,
        "stress should raise the depressive state"
    );
    let mut e = adult(&m);
    e.plasma[Moiety::Citalopram.index()] = 200.0;
    let (s, dy) = respond(&m, &e, |_| {});
    assert!(
        s.sert_occupancy > 0.5 && s.brain_synaptic_5ht > 1.5,
        "SSRI should raise synaptic 5-HT: {s:?}"
    );
    assert!(
        dy[MOOD.start + ADAPTATION] > 0.0,
        "raised monoamines should drive adaptation"
    );
}

#[test]
fn sympathetic_depression_raises_bone_norepinephrine_and_propranolol_blocks_beta2() {
    let m = model_with(&[]);
    let (s, _) = respond(&m, &adult(&m), depressed);
    assert!(s.sympathetic_outflow > 1.0 && s.bone_norepinephrine > m.sympathetic.bone_ne_baseline);
    assert!(s.beta2_occupancy > m.reference.beta2_occupancy);
    let mut e = adult(&m);
    e.plasma[Moiety::Propranolol.index()] = 100.0;
    let (s, _) = respond(&m, &e, depressed);
    assert!(
        s.beta2_occupancy < m.reference.beta2_occupancy,
        "propranolol should block beta2: {}",
        s.beta2_occupancy
    );
    let (s, _) = respond(&model_with(&[Knockout::Tph2]), &adult(&m), |_| {});
    assert!(
        s.sympathetic_outflow > 1.0,
        "no brain 5-HT should raise sympathetic outflow"
    );
}

#[test]
fn fluoxetine_blocks_hypothalamic_5ht2c_and_so_lifts_part_of_its_own_brake() {
    let m = model_with(&[]);
    let mut e = adult(&m);
    e.plasma[Moiety::Fluoxetine.index()] = 1000.0;
    let (s, _) = respond(&m, &e, |_| {});
    let catalog = boneaxis::params::Catalog::embedded().unwrap();
    let p = catalog.resolve(Species::Mouse, Sex::Female);
    let fu = p.get1("pd.fluoxetine.fraction_unbound").unwrap();
    let ki = p
        .get(
            "pd.fluoxetine.htr2c_ki",
            boneaxis::units::Dimension::Concentration,
        )
        .unwrap();
    common::assert_close(
        "fluoxetine's 5-HT2C antagonist ratio",
        fu * 1000.0 / ki,
        s.htr2c_antagonist_ratio,
        1e-12,
        1e-12,
    );
    // The same synaptic 5-HT without the antagonism: a pure SSRI's brake.
    let mut pure = s;
    pure.htr2c_antagonist_ratio = 0.0;
    m.sympathetic.signals(0.0, 0.0, 1.0, &m.genotype, &mut pure);
    assert!(
        pure.sympathetic_outflow < 1.0 && s.sympathetic_outflow > pure.sympathetic_outflow,
        "the SSRI brake ({}) should be partly lifted by 5-HT2C blockade ({})",
        pure.sympathetic_outflow,
        s.sympathetic_outflow
    );
    let mut e = adult(&m);
    e.plasma[Moiety::Sertraline.index()] = 1000.0;
    let (s, _) = respond(&m, &e, |_| {});
    assert_eq!(
        s.htr2c_antagonist_ratio, 0.0,
        "sertraline has no 5-HT2C constant"
    );
}

#[test]
fn hpa_depression_raises_glucocorticoid_and_gr_occupancy() {
    let m = model_with(&[]);
    let (s, _) = respond(&m, &adult(&m), depressed);
    assert!(s.glucocorticoid > m.hpa.baseline && s.gr_occupancy > m.reference.gr_occupancy);
}

#[test]
fn serotonin_responds_to_sert_blockade_lrp5_tph1_and_diet() {
    let m = model_with(&[]);
    let mut e = adult(&m);
    e.plasma[Moiety::Fluoxetine.index()] = 500.0;
    let (s, dy) = respond(&m, &e, |_| {});
    assert!(
        dy[SEROTONIN.start + PLATELET_5HT] < 0.0,
        "SERT blockade should empty platelets"
    );
    assert!(
        s.bone_5ht > m.serotonin.bone_baseline,
        "bone-cell SERT blockade should raise bone 5-HT"
    );
    let (s, _) = respond(&model_with(&[Knockout::Lrp5]), &adult(&m), |_| {});
    assert!(s.gut_tph1_activity > 1.0 && s.free_plasma_5ht > m.serotonin.free_plasma_baseline);
    let (s, _) = respond(&model_with(&[Knockout::Tph1Gut]), &adult(&m), |_| {});
    assert!(
        s.free_plasma_5ht < m.serotonin.free_plasma_baseline
            && s.htr1b_occupancy < m.reference.htr1b_occupancy
    );
    let mut low = adult(&m);
    low.tryptophan = 0.3;
    let (s, _) = respond(&m, &low, |_| {});
    assert!(s.gut_tph1_activity < 1.0 && s.brain_synaptic_5ht < 1.0);
}

#[test]
fn bone_drive_follows_the_receptor_signals() {
    let m = model_with(&[]);
    let r = m.reference;
    let drive = |edit: &dyn Fn(&mut Signals)| {
        let mut s = r;
        edit(&mut s);
        m.bone.drive.drive(&s, &r, 0.0, 0.0)
    };
    let d = drive(&|s| s.beta2_occupancy += 0.2);
    assert!(
        d.proliferation < 1.0 && d.rankl > 1.0,
        "beta2: less proliferation, more RANKL: {d:?}"
    );
    let d = drive(&|s| s.gr_occupancy += 0.2);
    assert!(
        d.differentiation < 1.0 && d.osteoblast_apoptosis > 1.0 && d.rankl > 1.0 && d.opg < 1.0,
        "GR: {d:?}"
    );
    let d = drive(&|s| s.htr1b_occupancy += 0.2);
    assert!(
        d.proliferation < 1.0 && d.rankl == 1.0,
        "5-HT1B acts on proliferation only: {d:?}"
    );
    let d = drive(&|s| s.htr2b_occupancy -= 0.5);
    assert!(
        d.recruitment < 1.0 && d.proliferation < 1.0,
        "losing 5-HT2B: {d:?}"
    );
    let d = drive(&|s| s.estrogen = 0.1);
    assert!(
        d.rankl > 1.0 && d.opg < 1.0 && d.osteoclast_apoptosis < 1.0,
        "oestrogen deficit: {d:?}"
    );
    let d = drive(&|s| s.cytokines = 2.0);
    assert!(
        d.osteoclast_precursors > 1.0 && d.rankl > 1.0,
        "cytokines: {d:?}"
    );
}

#[test]
fn only_bone_local_tph1_feeds_the_osteoclast_autocrine_loop() {
    // Chabbi-Achengli 2012: osteoclast-autonomous 5-HT; gut Tph1 and its inhibitors do not reach it.
    let m = model_with(&[]);
    let supply = |m: &Model, e: &Exposure| respond(m, e, |_| {}).0.drive.osteoclast_precursors;
    let wild = supply(&m, &adult(&m));
    let global = supply(&model_with(&[Knockout::Tph1Global]), &adult(&m));
    let gut = supply(&model_with(&[Knockout::Tph1Gut]), &adult(&m));
    let mut inhibited = adult(&m);
    inhibited.plasma[Moiety::Lp533401.index()] = 1.0e5;
    let drug = supply(&m, &inhibited);
    let gain = boneaxis::params::Catalog::embedded()
        .unwrap()
        .resolve(Species::Mouse, Sex::Female)
        .get1("bone.effect.osteoclast_serotonin_on_osteoclast_supply")
        .unwrap();
    assert!(gain > 0.0, "the autocrine loop should be on: gain {gain}");
    common::assert_close(
        "precursor supply without bone Tph1, relative to wild type",
        (-gain).exp(),
        global / wild,
        1e-9,
        0.0,
    );
    assert!(
        (gut - wild).abs() < 1e-12 && (drug - wild).abs() < 1e-12,
        "gut Tph1 knockout ({gut}) and LP533401 ({drug}) should leave the supply at {wild}"
    );
}

#[test]
fn bone_cells_respond_to_their_drive() {
    let m = model_with(&[]);
    let y = m.reference_state();
    let site = &y[BONE_START..BONE_START + 5];
    let base = m.bone.cells.rates(&m.reference.drive, 1.0, 1.0, site);
    let mut d = m.signals(&y, &adult(&m)).drive;
    d.rankl = 2.0;
    let more_rankl = m.bone.cells.rates(&d, 1.0, 1.0, site);
    assert!(
        more_rankl.d_oca > 0.0 && more_rankl.rankl > base.rankl,
        "RANKL should raise osteoclasts"
    );
    let mut d = m.signals(&y, &adult(&m)).drive;
    d.proliferation = 0.5;
    assert!(
        m.bone.cells.rates(&d, 1.0, 1.0, site).d_obp < 0.0,
        "less proliferation should lower precursors"
    );
    // Mechanostat: less bone than the reference raises the stimulus, so formation rises.
    let d = m.signals(&y, &adult(&m)).drive;
    assert!(
        m.bone.cells.rates(&d, 1.0, 1.5, site).d_obp > 0.0
            && m.bone.cells.rates(&d, 1.0, 1.5, site).rankl < base.rankl
    );
}

#[test]
fn pharmacology_occupancy_rises_with_concentration() {
    let m = model_with(&[]);
    let mut last = -1.0;
    for c in [0.0, 1.0, 10.0, 100.0, 1000.0] {
        let mut e = adult(&m);
        e.plasma[Moiety::Sertraline.index()] = c;
        let s = m.signals(&m.reference_state(), &e);
        assert!(
            s.sert_occupancy > last || c == 0.0,
            "occupancy not monotone at {c} nM"
        );
        assert!((0.0..1.0).contains(&s.sert_occupancy));
        last = s.sert_occupancy;
    }
}

#[test]
fn age_grows_the_body_then_senescence_lowers_recruitment() {
    let m = model_with(&[]);
    let (mature, end) = m.age.adult_plateau();
    assert!(m.age.body_weight(mature / 4.0) < m.age.body_weight(mature / 2.0));
    assert_eq!(m.age.body_weight(mature), m.age.adult_body_weight);
    assert_eq!(m.age.recruitment_capacity(end), 1.0);
    assert!(m.age.recruitment_capacity(end + 365.0) < 1.0);
}
