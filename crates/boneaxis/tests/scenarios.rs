//! Scenario files: the shipped ones load and run; bad ones give one clear, located error.

mod common;
use boneaxis::error::ScenarioError;
use boneaxis::output::summary_table;
use boneaxis::scenario::load_str;
use common::{repo_path, run_scenario};

const GOOD: &str = r#"
[scenario]
name = "t"
species = "mouse"
sex = "female"
age = "12 weeks"
duration = "4 weeks"

[[arm]]
name = "control"

[[arm]]
name = "treated"
[[arm.drug]]
name = "fluoxetine"
dose = "5 mg/kg"
route = "intraperitoneal"
every = "1 day"
start = "1 week"
stop = "3 weeks"
"#;

/// Replaces `from` by `to` in the good scenario and returns the error it now gives.
fn error_of(from: &str, to: &str) -> ScenarioError {
    assert!(
        GOOD.contains(from),
        "test setup: `{from}` not in the scenario"
    );
    match load_str(&GOOD.replacen(from, to, 1), "test.toml") {
        Ok(_) => panic!("replacing `{from}` by `{to}` should fail"),
        Err(e) => e,
    }
}

#[track_caller]
fn expect(e: &ScenarioError, line: usize, field: &str, words: &str) {
    let text = e.to_string();
    assert_eq!(e.file, "test.toml", "{text}");
    assert_eq!(e.line, Some(line), "{text}");
    assert_eq!(e.field, field, "{text}");
    assert!(text.contains(words), "`{text}` should mention `{words}`");
    assert!(
        !text.contains('\n'),
        "the message should be one line: {text}"
    );
}

#[test]
fn the_good_scenario_loads() {
    let study = load_str(GOOD, "test.toml").unwrap();
    assert_eq!(study.arms.len(), 2);
    assert_eq!(study.arms[1].protocol.drugs[0].start, 7.0);
    assert_eq!(study.sample_times.last(), Some(&28.0));
}

#[test]
fn unknown_keys_are_errors() {
    expect(
        &error_of("sex = \"female\"", "sex = \"female\"\ncolour = \"red\""),
        6,
        "scenario.colour",
        "unknown field `colour`",
    );
    expect(
        &error_of("every = \"1 day\"", "every = \"1 day\"\nfrequency = 2"),
        19,
        "arm[1].drug[0].frequency",
        "unknown field",
    );
}

#[test]
fn unknown_drugs_species_and_routes_are_errors() {
    expect(
        &error_of("\"fluoxetine\"", "\"prozac\""),
        15,
        "arm[1].drug[0].name",
        "unknown drug `prozac`",
    );
    expect(
        &error_of("\"mouse\"", "\"dog\""),
        4,
        "scenario.species",
        "unknown variant `dog`",
    );
    expect(
        &error_of("\"intraperitoneal\"", "\"intravenous\""),
        17,
        "arm[1].drug[0].route",
        "unknown route",
    );
}

#[test]
fn negative_and_malformed_doses_are_errors() {
    expect(
        &error_of("\"5 mg/kg\"", "\"-5 mg/kg\""),
        16,
        "arm[1].drug[0].dose",
        "positive",
    );
    expect(
        &error_of("\"5 mg/kg\"", "\"5 mg\""),
        16,
        "arm[1].drug[0].dose",
        "per kg",
    );
    expect(
        &error_of("\"5 mg/kg\"", "5"),
        16,
        "arm[1].drug[0].dose",
        "no unit",
    );
}

#[test]
fn impossible_times_are_errors() {
    expect(
        &error_of("stop = \"3 weeks\"", "stop = \"2 days\""),
        20,
        "arm[1].drug[0].stop",
        "after the start",
    );
    expect(
        &error_of("stop = \"3 weeks\"", "stop = \"8 weeks\""),
        20,
        "arm[1].drug[0].stop",
        "after the end of the study",
    );
    expect(
        &error_of("start = \"1 week\"", "start = \"-1 week\""),
        19,
        "arm[1].drug[0].start",
        "negative",
    );
    expect(
        &error_of("start = \"1 week\"", "start = \"1 kg\""),
        19,
        "arm[1].drug[0].start",
        "expected a time",
    );
    expect(
        &error_of("duration = \"4 weeks\"", "duration = \"0 days\""),
        7,
        "scenario.duration",
        "longer than zero",
    );
}

#[test]
fn species_specific_interventions_are_checked() {
    let e = error_of("[[arm.drug]]", "knockouts = [\"tph3\"]\n[[arm.drug]]");
    expect(&e, 14, "arm[1].knockouts[0]", "unknown knockout `tph3`");
    let human = GOOD
        .replace("\"mouse\"", "\"human\"")
        .replace("\"12 weeks\"", "\"60 years\"");
    let e = load_str(&human.replace("knockouts", "x"), "test.toml").unwrap_err();
    assert_eq!(e.field, "arm[1].drug[0].route", "{e}");
    let e = load_str(
        &GOOD
            .replace("sex = \"female\"", "sex = \"male\"")
            .replace("[[arm.drug]]", "ovariectomy = \"0 days\"\n[[arm.drug]]"),
        "test.toml",
    )
    .unwrap_err();
    assert!(e.to_string().contains("female"), "{e}");
}

#[test]
fn unknown_readouts_get_a_suggestion() {
    let text = GOOD.replace(
        "[[arm]]\nname = \"control\"",
        "[output]\nreadouts = [\"bone.distal_femur.bvtv\"]\n\n[[arm]]\nname = \"control\"",
    );
    let e = load_str(&text, "test.toml").unwrap_err();
    assert_eq!(e.field, "output.readouts[0]", "{e}");
    assert!(
        e.to_string()
            .contains("did you mean `bone.distal_femur.bv_tv`"),
        "{e}"
    );
}

#[test]
fn overlapping_periods_and_duplicate_arms_are_errors() {
    let twice = GOOD.replace("[[arm]]\nname = \"treated\"", "[[arm]]\nname = \"control\"");
    assert!(load_str(&twice, "test.toml")
        .unwrap_err()
        .to_string()
        .contains("defined twice"));
    let overlap = GOOD.replace("[[arm]]\nname = \"control\"", "[[arm]]\nname = \"control\"\n[[arm.stress]]\nstop = \"2 weeks\"\n[[arm.stress]]\nstart = \"1 week\"");
    assert!(load_str(&overlap, "test.toml")
        .unwrap_err()
        .to_string()
        .contains("overlaps"));
}

#[test]
fn parameter_overrides_are_checked_by_name_and_unit() {
    let with = |body: &str| {
        GOOD.replace(
            "[[arm]]\nname = \"control\"",
            &format!("[model.parameters]\n{body}\n\n[[arm]]\nname = \"control\""),
        )
    };
    assert!(load_str(&with("\"bone.osteoclast_apoptosis_rate\" = 0.8"), "t.toml").is_ok());
    assert!(load_str(
        &with("\"bone.osteoclast_apoptosis_rate\" = \"20 1/h\""),
        "t.toml"
    )
    .is_ok());
    let e = load_str(
        &with("\"bone.osteoclast_apoptosis_rate\" = \"2 days\""),
        "t.toml",
    )
    .unwrap_err();
    assert!(e.to_string().contains("rate"), "{e}");
    let e = load_str(&with("\"bone.no_such_thing\" = 1.0"), "t.toml").unwrap_err();
    assert!(e.to_string().contains("not a parameter"), "{e}");
}

#[test]
fn every_shipped_scenario_loads_and_runs() {
    let dir = repo_path("scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let relative = format!("scenarios/{}", path.file_name().unwrap().to_string_lossy());
            let result = run_scenario(&relative);
            for arm in &result.arms {
                for (r, values) in arm.values.iter().enumerate() {
                    assert!(
                        values.iter().all(|v| v.is_finite()),
                        "{relative}: {} not finite in {}",
                        result.readouts[r].name,
                        arm.name
                    );
                }
            }
            n += 1;
        }
    }
    assert!(n >= 5, "expected the shipped scenarios, found {n}");
}

#[test]
fn cms_table_snapshot() {
    // Rounded to 3 significant digits so only real model changes show up in review.
    let result = run_scenario("scenarios/cms_mouse.toml");
    let mut rounded = result.clone();
    for arm in &mut rounded.arms {
        for values in &mut arm.values {
            for v in values.iter_mut() {
                *v = round_sig(*v, 3);
            }
        }
    }
    insta::assert_snapshot!("cms_table", summary_table(&rounded));
}

fn round_sig(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

#[test]
fn an_arms_body_weight_shapes_its_baseline_and_must_be_a_plausible_mass() {
    let heavier = GOOD
        .replacen(
            "name = \"treated\"",
            "name = \"treated\"\nbody_weight = \"33 g\"",
            1,
        )
        .replacen(
            "[[arm]]",
            "[output]\nreadouts = [\"bone.distal_femur.bv_tv\", \"age.body_weight\"]\n[[arm]]",
            1,
        );
    let study = load_str(&heavier, "test.toml").unwrap();
    let r = boneaxis::simulate::run_study(&study, |_, _| {}).unwrap();
    let bv = r.readout_index("bone.distal_femur.bv_tv").unwrap();
    let weight = r.readout_index("age.body_weight").unwrap();
    let (control, treated) = (&r.arms[0].values, &r.arms[1].values);
    assert!(
        treated[bv][0] > control[bv][0],
        "a heavier mouse should start with more bone: {} vs {}",
        treated[bv][0],
        control[bv][0]
    );
    // `body_weight` is the adult weight; this 12-week-old mouse is still growing, in proportion.
    common::assert_close(
        "body weight relative to the 22 g reference",
        33.0 / 22.0,
        treated[weight][0] / control[weight][0],
        1e-9,
        0.0,
    );
    expect(
        &error_of(
            "name = \"treated\"",
            "name = \"treated\"\nbody_weight = \"5 g\"",
        ),
        14,
        "arm[1].body_weight",
        "must be between 0.011 and 0.044 kg",
    );
    expect(
        &error_of(
            "name = \"treated\"",
            "name = \"treated\"\nbody_weight = \"2 weeks\"",
        ),
        14,
        "arm[1].body_weight",
        "body mass",
    );
}

/// Desipramine given as a drug: its own absorption, the metabolite's kinetics and binding, so a
/// usual human dose blocks NET far more than SERT (Tatsumi: 0.83 vs 17.6 nM), unlike imipramine.
#[test]
fn desipramine_is_a_drug_that_blocks_net_more_than_sert() {
    let text = r#"
[scenario]
name = "tricyclics"
species = "human"
sex = "female"
age = "40 years"
duration = "28 days"
[output]
every = "28 days"
readouts = ["pk.desipramine.plasma", "pd.net_occupancy", "pd.sert_occupancy"]
[[arm]]
name = "desipramine"
[[arm.drug]]
name = "desipramine"
dose = "150 mg"
form = "salt"
route = "oral"
[[arm]]
name = "imipramine"
[[arm.drug]]
name = "imipramine"
dose = "150 mg"
form = "salt"
route = "oral"
"#;
    let study = load_str(text, "tricyclics.toml").unwrap();
    let r = boneaxis::simulate::run_study(&study, |_, _| {}).unwrap();
    let at = |arm: &str, readout: &str| r.final_value(arm, readout).unwrap();
    // A trough on day 28 of 150 mg/day: tens of ng/mL (usual levels 50-300 ng/mL).
    let level = at("desipramine", "pk.desipramine.plasma");
    assert!((20.0..300.0).contains(&level), "desipramine {level} ng/mL");
    let (net, sert) = (
        at("desipramine", "pd.net_occupancy"),
        at("desipramine", "pd.sert_occupancy"),
    );
    assert!(net > 70.0 && sert < 50.0, "NET {net}%, SERT {sert}%");
    let imipramine_sert = at("imipramine", "pd.sert_occupancy");
    assert!(
        imipramine_sert > sert + 20.0,
        "imipramine SERT {imipramine_sert}%"
    );
}

/// Where PET has measured the plasma level of half SERT occupancy (sertraline in humans), the
/// occupancy follows that level, `C/(C + Kd)` in total plasma drug; elsewhere (the rat) the
/// in-vitro Ki times the shared in-vivo factor, on the unbound level.
#[test]
fn a_measured_in_vivo_sert_kd_replaces_the_shared_potency_factor() {
    use boneaxis::params::Catalog;
    use boneaxis::species::{Sex, Species};
    let scenario = |species: &str, age: &str, dose: &str| {
        format!(
            "[scenario]\nname = \"kd\"\nspecies = \"{species}\"\nsex = \"male\"\nage = \"{age}\"\n\
             duration = \"3 days\"\n[output]\nevery = \"6 hours\"\n\
             readouts = [\"pk.sertraline.plasma\", \"pd.sert_occupancy\"]\n[[arm]]\nname = \"drug\"\n\
             [[arm.drug]]\nname = \"sertraline\"\ndose = \"{dose}\"\nroute = \"oral\"\n"
        )
    };
    let occupancy_and_level = |text: &str| {
        let study = load_str(text, "kd.toml").unwrap();
        let r = boneaxis::simulate::run_study(&study, |_, _| {}).unwrap();
        let arm = r.arm("drug").unwrap();
        let level = &arm.values[r.readout_index("pk.sertraline.plasma").unwrap()];
        let occupancy = &arm.values[r.readout_index("pd.sert_occupancy").unwrap()];
        level
            .iter()
            .copied()
            .zip(occupancy.iter().copied())
            .skip(1)
            .collect::<Vec<_>>()
    };
    const SERTRALINE_G_PER_MOL: f64 = 306.23;
    let catalog = Catalog::embedded().unwrap();

    let human = catalog.resolve(Species::Human, Sex::Male);
    let kd_nm = human
        .value_in("pd.sertraline.sert_in_vivo_plasma_kd", "nM")
        .unwrap();
    let kd_ng_per_ml = kd_nm * SERTRALINE_G_PER_MOL / 1000.0;
    for (level, occupancy) in occupancy_and_level(&scenario("human", "40 years", "50 mg")) {
        let expected = 100.0 * level / (level + kd_ng_per_ml);
        common::assert_close(
            "human sertraline occupancy, %",
            expected,
            occupancy,
            1e-6,
            1e-6,
        );
    }

    let rat = catalog.resolve(Species::Rat, Sex::Male);
    assert!(rat
        .value_in("pd.sertraline.sert_in_vivo_plasma_kd", "nM")
        .is_err());
    let unbound_kd_nm = rat.value_in("pd.sertraline.sert_ki", "nM").unwrap()
        * rat.get1("pd.sert_in_vivo_potency_factor").unwrap();
    let fraction_unbound = rat.get1("pd.sertraline.fraction_unbound").unwrap();
    for (level, occupancy) in occupancy_and_level(&scenario("rat", "12 weeks", "10 mg/kg")) {
        let unbound_nm = fraction_unbound * level / SERTRALINE_G_PER_MOL * 1000.0;
        let expected = 100.0 * unbound_nm / (unbound_nm + unbound_kd_nm);
        common::assert_close(
            "rat sertraline occupancy, %",
            expected,
            occupancy,
            1e-6,
            1e-6,
        );
    }
}

#[test]
fn the_depression_estrogen_switch_lowers_oestrogen_more_before_the_menopause() {
    use boneaxis::params::Catalog;
    use boneaxis::species::{Sex, Species};
    let gain = Catalog::embedded()
        .unwrap()
        .resolve(Species::Human, Sex::Female)
        .get1("pathways.depression_estrogen_suppression")
        .unwrap();
    // End-of-study oestrogen (%) and depressive state, with the switch on and off.
    let run = |age: &str, switch: bool| {
        let model = if switch {
            "[model]\npathways = [\"depression_estrogen\"]\n"
        } else {
            ""
        };
        let text = format!(
            "[scenario]\nname = \"e\"\nspecies = \"human\"\nsex = \"female\"\nage = \"{age}\"\n\
             duration = \"1 year\"\n{model}[output]\nevery = \"30 days\"\n\
             readouts = [\"age.estrogen\", \"mood.depressive_state\"]\n[[arm]]\nname = \"depressed\"\n\
             [[arm.depression]]\nseverity = 0.5\n"
        );
        let r =
            boneaxis::simulate::run_study(&load_str(&text, "e.toml").unwrap(), |_, _| {}).unwrap();
        let arm = r.arm("depressed").unwrap();
        let last = |name: &str| *arm.values[r.readout_index(name).unwrap()].last().unwrap();
        (last("age.estrogen"), last("mood.depressive_state"))
    };
    let mut deficits = Vec::new();
    for age in ["35 years", "65 years"] {
        let (off, _) = run(age, false);
        let (on, state) = run(age, true);
        assert!(
            state > 0.1,
            "{age}: the episode should raise the depressive state ({state})"
        );
        common::assert_close(
            &format!("{age}: oestrogen with the switch on, relative to off"),
            1.0 - gain * state,
            on / off,
            1e-9,
            1e-9,
        );
        deficits.push(off - on);
    }
    assert!(
        deficits[0] > 5.0 * deficits[1],
        "the oestrogen lost (percentage points) should be far larger before the menopause: {deficits:?}"
    );
}

#[test]
fn the_bone_beta1_switch_turns_the_propranolol_dose_response_down_at_high_doses() {
    // Twelve weeks of once-daily oral propranolol in rats (Sato 2010's doses): vertebral BV/TV
    // gain (%) against vehicle at 1, 5 and 50 mg/kg, with the β1 switch off and on.
    let gains = |switch: bool| -> Vec<f64> {
        let model = if switch {
            "[model]\npathways = [\"bone_beta1\"]\n"
        } else {
            ""
        };
        let arm = |dose: &str| {
            format!(
                "[[arm]]\nname = \"p{dose}\"\n[[arm.drug]]\nname = \"propranolol\"\n\
                 dose = \"{dose} mg/kg\"\nform = \"salt\"\nroute = \"oral\"\n"
            )
        };
        let text = format!(
            "[scenario]\nname = \"b\"\nspecies = \"rat\"\nsex = \"male\"\nage = \"12 weeks\"\n\
             duration = \"12 weeks\"\ncontrol = \"vehicle\"\n{model}[output]\nevery = \"4 weeks\"\n\
             readouts = [\"bone.vertebra.bv_tv\", \"sympathetic.beta1_occupancy\"]\n\
             [[arm]]\nname = \"vehicle\"\n{}{}{}",
            arm("1"),
            arm("5"),
            arm("50")
        );
        let r =
            boneaxis::simulate::run_study(&load_str(&text, "b.toml").unwrap(), |_, _| {}).unwrap();
        let bv = r.readout_index("bone.vertebra.bv_tv").unwrap();
        let end = |name: &str| *r.arm(name).unwrap().values[bv].last().unwrap();
        ["p1", "p5", "p50"]
            .iter()
            .map(|a| 100.0 * (end(a) / end("vehicle") - 1.0))
            .collect()
    };
    let off = gains(false);
    let on = gains(true);
    assert!(
        off[0] > 0.0 && off[0] < off[1] && off[1] < off[2],
        "without β1 the gain should grow with the dose: {off:?}"
    );
    assert!(
        on[0] > 0.0 && on[2] < on[0] && on[2] < off[2] - 5.0,
        "with β1 the 50 mg/kg gain should fall below the 1 mg/kg gain and well below its \
         β2-only value: on {on:?}, off {off:?}"
    );
}

#[test]
fn the_adrb1_knockout_lowers_rodent_bone_only_with_the_bone_beta1_switch() {
    let bv_tv = |switch: bool| -> f64 {
        let model = if switch {
            "[model]\npathways = [\"bone_beta1\"]\n"
        } else {
            ""
        };
        let text = format!(
            "[scenario]\nname = \"k\"\nspecies = \"mouse\"\nsex = \"male\"\nage = \"12 weeks\"\n\
             duration = \"1 day\"\ncontrol = \"wild_type\"\n{model}[output]\nevery = \"1 day\"\n\
             readouts = [\"bone.distal_femur.bv_tv\"]\n[[arm]]\nname = \"wild_type\"\n\
             [[arm]]\nname = \"adrb1\"\nknockouts = [\"adrb1\"]\n"
        );
        let r =
            boneaxis::simulate::run_study(&load_str(&text, "k.toml").unwrap(), |_, _| {}).unwrap();
        let i = r.readout_index("bone.distal_femur.bv_tv").unwrap();
        let end = |name: &str| *r.arm(name).unwrap().values[i].last().unwrap();
        end("adrb1") / end("wild_type")
    };
    common::assert_close(
        "Adrb1-/- / wild type, switch off",
        1.0,
        bv_tv(false),
        1e-9,
        1e-9,
    );
    let on = bv_tv(true);
    assert!(
        on < 0.95,
        "with the switch on, Adrb1-/- mice should have less trabecular bone (Pierroz 2012): {on}"
    );
}
