//! The acceptance criteria of the foundation issue, from the model's dynamics alone, with one
//! parameter set per species. Thresholds for "prevents" are documented in docs/validation.md:
//! a treatment prevents a change when the treated arm's change vs the unstressed control is
//! less than a third of the untreated change.

mod common;
use common::{pct, run_scenario, series};

#[test]
fn chronic_mild_stress_lowers_bone_and_formation_and_raises_ne_and_corticosterone() {
    let r = run_scenario("scenarios/cms_mouse.toml");
    for readout in ["bone.distal_femur.bv_tv", "bone.vertebra.bv_tv"] {
        let change = pct(&r, "cms", readout);
        assert!(change < -3.0, "CMS should lower {readout}: {change:+.2}%");
    }
    let formation = pct(&r, "cms", "bone.distal_femur.bone_formation_rate");
    assert!(
        formation < -5.0,
        "CMS should lower bone formation: {formation:+.2}%"
    );
    let osteoblasts = pct(&r, "cms", "bone.distal_femur.osteoblasts");
    assert!(
        osteoblasts < -5.0,
        "CMS should lower osteoblast numbers: {osteoblasts:+.2}%"
    );
    let ne = pct(&r, "cms", "sympathetic.bone_norepinephrine");
    assert!(ne > 20.0, "CMS should raise bone norepinephrine: {ne:+.1}%");
    let cort = pct(&r, "cms", "hpa.corticosterone");
    assert!(cort > 20.0, "CMS should raise corticosterone: {cort:+.1}%");
    let sucrose = pct(&r, "cms", "mood.sucrose_preference");
    assert!(
        sucrose < -10.0,
        "CMS should lower sucrose preference: {sucrose:+.1}%"
    );
    let social = pct(&r, "cms", "mood.social_exploration");
    assert!(
        social < -10.0,
        "CMS should lower social exploration: {social:+.1}%"
    );
}

/// |treated change| < |untreated change| / 3.
fn prevents(treated: f64, untreated: f64) -> bool {
    treated.abs() < untreated.abs() / 3.0
}

#[test]
fn imipramine_prevents_the_behavioural_deficit_and_the_bone_loss() {
    let r = run_scenario("scenarios/cms_mouse.toml");
    for readout in [
        "mood.sucrose_preference",
        "mood.social_exploration",
        "bone.distal_femur.bv_tv",
        "bone.vertebra.bv_tv",
        "bone.distal_femur.bone_formation_rate",
    ] {
        let (treated, untreated) = (pct(&r, "cms_imipramine", readout), pct(&r, "cms", readout));
        assert!(
            prevents(treated, untreated),
            "imipramine should prevent the CMS change in {readout}: CMS {untreated:+.2}%, CMS + imipramine {treated:+.2}%"
        );
    }
}

#[test]
fn propranolol_prevents_the_bone_loss_but_not_the_behavioural_deficit() {
    let r = run_scenario("scenarios/cms_mouse.toml");
    for readout in ["bone.distal_femur.bv_tv", "bone.vertebra.bv_tv"] {
        let (treated, untreated) = (pct(&r, "cms_propranolol", readout), pct(&r, "cms", readout));
        assert!(
            treated > untreated && (treated >= 0.0 || prevents(treated, untreated)),
            "propranolol should prevent the CMS loss of {readout}: CMS {untreated:+.2}%, CMS + propranolol {treated:+.2}%"
        );
    }
    for readout in ["mood.sucrose_preference", "mood.social_exploration"] {
        let (treated, untreated) = (pct(&r, "cms_propranolol", readout), pct(&r, "cms", readout));
        assert!(
            treated < 0.0 && treated.abs() > 0.8 * untreated.abs(),
            "propranolol should leave the behavioural deficit in {readout}: CMS {untreated:+.2}%, CMS + propranolol {treated:+.2}%"
        );
    }
}

#[test]
fn knockouts_change_bone_mass_in_the_published_directions() {
    let r = run_scenario("scenarios/knockout_panel.toml");
    let bv = "bone.distal_femur.bv_tv";
    for (arm, sign) in [
        ("tph1_gut_ko", 1.0),
        ("htr1b_osteoblast_ko", 1.0),
        ("lrp5_ko", -1.0),
        ("adrb2_ko", 1.0),
        ("tph2_ko", -1.0),
    ] {
        let change = pct(&r, arm, bv);
        assert!(
            sign * change > 2.0,
            "{arm}: BV/TV change {change:+.2}% should have sign {sign}"
        );
    }
    let serum = pct(&r, "lrp5_ko", "serotonin.serum_5ht");
    assert!(
        serum > 50.0,
        "Lrp5 knockout should raise serum 5-HT: {serum:+.1}%"
    );
    // Lowering blood serotonin (low-tryptophan diet) moves Lrp5-/- bone mass back towards normal.
    let (ko, diet) = (
        pct(&r, "lrp5_ko", bv),
        pct(&r, "lrp5_ko_low_tryptophan", bv),
    );
    assert!(
        diet > ko,
        "a low-tryptophan diet should raise Lrp5-/- BV/TV: {ko:+.2}% -> {diet:+.2}%"
    );
}

#[test]
fn htr2b_knockout_loses_bone_with_age() {
    let r = run_scenario("scenarios/knockout_panel.toml");
    let wt = series(&r, "wild_type", "bone.distal_femur.bv_tv");
    let ko = series(&r, "htr2b_ko", "bone.distal_femur.bv_tv");
    let times = &r.arm("wild_type").unwrap().times;
    // Ages 4, 12 and 18 months; the study starts at 4 weeks.
    let deficit_at = |months: f64| {
        let t = months * 30.4375 - 28.0;
        let i = times
            .iter()
            .position(|&x| x >= t - 1e-9)
            .expect("within the study");
        100.0 * (ko[i] - wt[i]) / wt[i]
    };
    let (m4, m12, m18) = (deficit_at(4.0), deficit_at(12.0), deficit_at(17.9));
    assert!(
        m4 < -5.0,
        "Htr2b-/- should be osteopenic at 4 months: {m4:+.1}%"
    );
    assert!(
        m12 < m4 && m18 < m12,
        "the deficit should worsen with age: {m4:+.1}%, {m12:+.1}%, {m18:+.1}%"
    );
}

#[test]
fn serotonin_transporter_loss_and_fluoxetine_lower_bone_accrual_in_growing_mice() {
    let r = run_scenario("scenarios/growing_mouse_fluoxetine.toml");
    for arm in ["fluoxetine", "slc6a4_knockout"] {
        for readout in ["bone.distal_femur.bv_tv", "bone.vertebra.bv_tv"] {
            let change = pct(&r, arm, readout);
            assert!(
                change < -1.0,
                "{arm} should lower accrual of {readout}: {change:+.2}%"
            );
        }
    }
}

#[test]
fn a_young_mouse_and_an_adult_mouse_respond_differently_to_fluoxetine() {
    let young = pct(
        &run_scenario("scenarios/growing_mouse_fluoxetine.toml"),
        "fluoxetine",
        "bone.distal_femur.bv_tv",
    );
    let adult = pct(
        &run_scenario("scenarios/adult_mouse_fluoxetine.toml"),
        "fluoxetine",
        "bone.distal_femur.bv_tv",
    );
    assert!(
        young < 2.0 * adult && young < adult - 0.5,
        "the growing skeleton should respond more: young {young:+.2}%, adult {adult:+.2}%"
    );
}

#[test]
fn ssris_deplete_platelet_serotonin() {
    let human = run_scenario("scenarios/human_ssri_5y.toml");
    for arm in [
        "depression_sertraline",
        "depression_fluoxetine",
        "sertraline_without_depression",
    ] {
        let change = pct(&human, arm, "serotonin.platelet_5ht");
        assert!(change < -40.0, "{arm}: platelet 5-HT {change:+.1}%");
    }
    let mouse = run_scenario("scenarios/growing_mouse_fluoxetine.toml");
    let change = pct(&mouse, "fluoxetine", "serotonin.platelet_5ht");
    assert!(
        change < -50.0,
        "fluoxetine in mice: platelet 5-HT {change:+.1}%"
    );
}

#[test]
fn antidepressant_relief_takes_weeks() {
    let text = "[scenario]\nname = \"delay\"\nspecies = \"human\"\nsex = \"female\"\nage = \"40 years\"\nduration = \"12 weeks\"\n[output]\nevery = \"1 week\"\nreadouts = [\"mood.depressive_state\"]\n[[arm]]\nname = \"depressed\"\n[[arm.depression]]\nseverity = 0.6\n[[arm]]\nname = \"treated\"\n[[arm.depression]]\nseverity = 0.6\n[[arm.drug]]\nname = \"sertraline\"\ndose = \"100 mg\"\nroute = \"oral\"\nstart = \"4 weeks\"\n";
    let study = boneaxis::scenario::load_str(text, "delay.toml").unwrap();
    let r = boneaxis::simulate::run_study(&study, |_, _| {}).unwrap();
    let (untreated, treated) = (
        series(&r, "depressed", "mood.depressive_state"),
        series(&r, "treated", "mood.depressive_state"),
    );
    let relief = |week: usize| untreated[week] - treated[week];
    // Weeks since the drug started: 1 and 8.
    let (early, late) = (relief(5), relief(12));
    assert!(
        late > 0.2,
        "sertraline should relieve depression within 8 weeks: {late:.3}"
    );
    assert!(
        early < 0.25 * late,
        "relief should build over weeks: 1 week {early:.3}, 8 weeks {late:.3}"
    );
}

#[test]
fn averaged_dosing_keeps_bone_within_half_a_percent_of_exact_dosing() {
    let path = format!(
        "{}/../../scenarios/human_ssri_5y.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let exact = boneaxis::scenario::load(std::path::Path::new(&path)).unwrap();
    let mut averaged = exact.clone();
    averaged.dosing = boneaxis::protocol::Dosing::Averaged;
    let (e, a) = (
        boneaxis::simulate::run_study(&exact, |_, _| {}).unwrap(),
        boneaxis::simulate::run_study(&averaged, |_, _| {}).unwrap(),
    );
    let steps =
        |r: &boneaxis::simulate::StudyResult| r.arms.iter().map(|x| x.stats.steps).sum::<usize>();
    assert!(
        steps(&a) * 10 < steps(&e),
        "averaging must save steps: {} vs {}",
        steps(&a),
        steps(&e)
    );
    for (r, info) in e
        .readouts
        .iter()
        .enumerate()
        .filter(|(_, i)| i.name.ends_with(".bmd"))
    {
        for (x, y) in e.arms.iter().zip(&a.arms) {
            common::assert_close(
                &format!("{} in {}", info.name, x.name),
                x.final_value(r),
                y.final_value(r),
                0.005,
                0.0,
            );
        }
    }
}
