//! One test per defect found in review (see the commit history), so none comes back.

mod common;
use boneaxis::scenario::load_str;
use boneaxis::simulate::run_study;
use common::pct;

fn mouse(body: &str, duration: &str) -> String {
    format!("[scenario]\nname = \"r\"\nspecies = \"mouse\"\nsex = \"male\"\nage = \"12 weeks\"\nduration = \"{duration}\"\n{body}")
}

fn run(text: &str) -> boneaxis::simulate::StudyResult {
    let study = load_str(text, "r.toml").unwrap_or_else(|e| panic!("{e}"));
    run_study(&study, |_, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn doses_every_few_hours_do_not_drift_into_a_stray_dose_before_stop() {
    for every in ["8 hours", "4 hours", "2 hours", "1 hour"] {
        let text = mouse(
            &format!("[[arm]]\nname = \"a\"\n[[arm.drug]]\nname = \"fluoxetine\"\ndose = \"10 mg/kg\"\nroute = \"intraperitoneal\"\nevery = \"{every}\"\n\n[[arm]]\nname = \"b\"\n[[arm.stress]]\nstart = \"1 week\"\n[[arm.drug]]\nname = \"imipramine\"\ndose = \"5 mg/kg\"\nroute = \"intraperitoneal\"\nevery = \"{every}\"\n"),
            "4 weeks",
        );
        run(&text);
        let study = load_str(&text, "r.toml").unwrap();
        let n = study.arms[0].protocol.drugs[0].times().count();
        let per_day = 24.0 / every.split(' ').next().unwrap().parse::<f64>().unwrap();
        assert_eq!(n, (28.0 * per_day) as usize, "{every}: dose count");
    }
}

#[test]
fn a_sample_spacing_that_does_not_divide_the_duration_exactly_still_runs() {
    let text = mouse(
        "[output]\nevery = \"0.1 days\"\n[[arm]]\nname = \"a\"\n[[arm.stress]]\n",
        "0.3 days",
    );
    let r = run(&text);
    assert_eq!(*r.arms[0].times.last().unwrap(), 0.3);
}

#[test]
fn overlapping_drinking_water_courses_add_up() {
    let course = |dose: &str, timing: &str| {
        format!("[[arm.drug]]\nname = \"propranolol\"\ndose = \"{dose} mg/kg/day\"\nroute = \"drinking_water\"\n{timing}\n")
    };
    let text = mouse(
        &format!(
            "[output]\nreadouts = [\"pk.propranolol.plasma\"]\nevery = \"1 day\"\n[[arm]]\nname = \"a\"\n{}[[arm]]\nname = \"b\"\n{}[[arm]]\nname = \"both\"\n{}{}",
            course("20", "stop = \"20 days\""),
            course("10", "start = \"7 days\""),
            course("20", "stop = \"20 days\""),
            course("10", "start = \"7 days\"")
        ),
        "3 weeks",
    );
    let r = run(&text);
    let at = |arm: &str, day: usize| common::series(&r, arm, "pk.propranolol.plasma")[day];
    for day in [3, 10, 19] {
        let (a, b, both) = (at("a", day), at("b", day), at("both", day));
        common::assert_close(
            &format!("day {day}: both courses"),
            a + b,
            both,
            1e-9,
            1e-12,
        );
    }
}

#[test]
fn bone_volume_cannot_fall_below_zero() {
    let text = "[scenario]\nname = \"r\"\nspecies = \"human\"\nsex = \"female\"\nage = \"50 years\"\nduration = \"30 years\"\n[output]\nreadouts = [\"bone.femoral_neck.bv_tv\", \"bone.femoral_neck.bmd\"]\n[[arm]]\nname = \"x\"\n[[arm.inflammation]]\nlevel = 20\n";
    let r = run(text);
    for values in &r.arms[0].values {
        assert!(values.iter().all(|v| *v > 0.0), "negative bone: {values:?}");
    }
}

#[test]
fn smoking_does_not_lower_oestrogen_in_men() {
    let text = "[scenario]\nname = \"r\"\nspecies = \"human\"\nsex = \"male\"\nage = \"40 years\"\nduration = \"1 year\"\n[output]\nreadouts = [\"age.estrogen\"]\n[[arm]]\nname = \"none\"\n[[arm]]\nname = \"smoker\"\n[[arm.smoking]]\ncigarettes_per_day = 40\n";
    let change = pct(&run(text), "smoker", "age.estrogen");
    assert_eq!(change, 0.0);
}

#[test]
fn out_of_range_overrides_and_doses_are_input_errors() {
    for (key, value) in [
        ("pk.propranolol.oral_absorption_rate", "0"),
        ("mood.relief_half_adaptation", "-1"),
        ("sympathetic.net_clearance_share", "0"),
        ("bone.osteoclast_apoptosis_rate", "0"),
        ("age.ovariectomy_estrogen_decay_time", "\"1e308 years\""),
    ] {
        let text = mouse(
            &format!("[model.parameters]\n\"{key}\" = {value}\n[[arm]]\nname = \"a\"\n"),
            "1 week",
        );
        let e = load_str(&text, "r.toml")
            .err()
            .unwrap_or_else(|| panic!("{key} = {value} accepted"));
        assert!(e.field.starts_with("model.parameters"), "{e}");
    }
    let huge = mouse("[[arm]]\nname = \"a\"\n[[arm.drug]]\nname = \"fluoxetine\"\ndose = \"1e6 mg/kg\"\nroute = \"oral\"\n", "1 week");
    assert!(load_str(&huge, "r.toml")
        .unwrap_err()
        .to_string()
        .contains("above the limit"));
    let old = mouse("[[arm]]\nname = \"a\"\n", "10 years");
    assert!(load_str(&old, "r.toml")
        .unwrap_err()
        .to_string()
        .contains("lifespan"));
}

#[test]
fn a_dose_right_after_a_breakpoint_does_not_corrupt_the_jacobian() {
    // Found by the property test: the finite-difference Jacobian cached f(y) across a change of
    // inputs at the same (t, y), and the first dose after a breakpoint derailed ESDIRK.
    let body = "[output]\nevery = \"1 day\"\nreadouts = [\"mood.depressive_state\"]\n[[arm]]\nname = \"a\"\n[[arm.stress]]\nintensity = 0.2\nstop = \"38.03 days\"\n[[arm.drug]]\nname = \"propranolol\"\ndose = \"3 mg/kg\"\nroute = \"intraperitoneal\"\nstart = \"2 days\"\nstop = \"40 days\"\n";
    let solve = |method: &str| {
        let text = mouse(
            &format!("[solver]\nmethod = \"{method}\"\nrtol = 1e-7\n{body}"),
            "60 days",
        );
        common::series(&run(&text), "a", "mood.depressive_state").to_vec()
    };
    let (esdirk, bdf) = (solve("esdirk34"), solve("bdf"));
    for (day, (e, b)) in esdirk.iter().zip(&bdf).enumerate() {
        common::assert_close(&format!("depressive state, day {day}"), *b, *e, 1e-4, 1e-8);
    }
}
