//! The `boneaxis` binary as a user runs it: exit codes, output, files.

use std::path::PathBuf;
use std::process::{Command, Output};

fn boneaxis(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boneaxis"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn repo(relative: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn run_without_a_scenario_prints_the_cms_table() {
    let out = boneaxis(&["run"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for expected in [
        "Chronic mild stress",
        "untreated",
        "cms_imipramine",
        "cms_propranolol",
        "bone.distal_femur.bv_tv",
        "mood.sucrose_preference",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
}

#[test]
fn a_bad_scenario_exits_2_with_one_located_line() {
    let dir = std::env::temp_dir().join(format!("boneaxis-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(&file, "[scenario]\nname = \"x\"\nspecies = \"mouse\"\nsex = \"male\"\nage = \"10 weeks\"\nduration = \"2 weeks\"\n\n[[arm]]\nname = \"a\"\n[[arm.drug]]\nname = \"prozac\"\ndose = \"5 mg/kg\"\nroute = \"oral\"\n").unwrap();
    let out = boneaxis(&["run", file.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("bad.toml:11:8")
            && stderr.contains("arm[0].drug[0].name")
            && stderr.contains("prozac"),
        "{stderr}"
    );
    let missing = boneaxis(&["run", dir.join("missing.toml").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn run_with_out_writes_tables_plots_and_a_manifest() {
    let dir = std::env::temp_dir().join(format!("boneaxis-cli-out-{}", std::process::id()));
    let out = boneaxis(&[
        "run",
        &repo("scenarios/growing_mouse_fluoxetine.toml"),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    assert!(csv.starts_with("scenario,arm,time,time_unit,variable,value,unit\n"));
    assert!(
        csv.contains("growing_mouse_fluoxetine,fluoxetine,42,day,bone.distal_femur.bv_tv,"),
        "{}",
        &csv[..300]
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert!(json
        .as_array()
        .is_some_and(|rows| !rows.is_empty() && rows[0]["unit"].is_string()));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert!(
        manifest["solver_statistics"][0]["run"]["steps"]
            .as_u64()
            .unwrap()
            > 0
    );
    let svg = std::fs::read_to_string(dir.join("plots/bone.distal_femur.bv_tv.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("vehicle") && svg.contains("(%)"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn params_and_describe_explain_the_model() {
    let out = boneaxis(&["params", "--species", "mouse"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success());
    assert!(
        stdout.contains("bone.osteoclast_apoptosis_rate")
            && stdout.contains("pivonka2008")
            && stdout.contains("assumed")
    );
    let out = boneaxis(&["describe", "--species", "mouse"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success());
    for expected in [
        "STATES",
        "SIGNALS",
        "INTERVENTIONS",
        "READOUTS",
        "knockout htr1b_osteoblast",
        "sympathetic.beta2_occupancy",
    ] {
        assert!(stdout.contains(expected), "missing `{expected}`");
    }
}

#[test]
fn validate_prints_the_comparison_table_and_scores() {
    let out = boneaxis(&[
        "validate",
        "--dir",
        &repo("validation"),
        "--case",
        "Yirmiya_2006",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for expected in [
        "Yirmiya_2006_chronic_mild_stress",
        "A1.1a",
        "published",
        "simulated",
        "directions right",
        "GMFE",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
}

/// `boneaxis validate` on a folder with one case whose single observation (on the CMS
/// scenario) is `observation`: its exit code and stderr.
fn validate_one_case(folder: &str, observation: &str) -> (Option<i32>, String) {
    let out = validate_folder(folder, observation, None, &[]);
    (out.status.code(), text(&out.stderr))
}

/// As [`validate_one_case`], with a `hypotheses.toml` and more arguments; the whole output.
fn validate_folder(
    folder: &str,
    observation: &str,
    hypotheses: Option<&str>,
    args: &[&str],
) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("boneaxis-{folder}-{}", std::process::id()));
    let case = dir.join("Case_2000_test");
    std::fs::create_dir_all(&case).unwrap();
    let scenario = repo("scenarios/cms_mouse.toml");
    std::fs::write(
        case.join("case.toml"),
        format!(
            "[case]\ntitle = \"t\"\ncitation = \"c\"\nsubjects = \"s\"\nscenario = \"{scenario}\"\n\n\
             [[observation]]\nid = \"x\"\nfinding = \"f\"\nreadout = \"bone.distal_femur.bv_tv\"\n\
             expect = \"increase\"\nunit = \"%\"\nstatus = \"SEEN\"\nsource = \"s\"\n{observation}"
        ),
    )
    .unwrap();
    if let Some(h) = hypotheses {
        std::fs::write(dir.join("hypotheses.toml"), h).unwrap();
    }
    let dir_arg = dir.display().to_string();
    let mut all = vec!["validate", "--dir", &dir_arg];
    all.extend_from_slice(args);
    let out = boneaxis(&all);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[test]
fn validate_hypotheses_reruns_the_cases_and_says_what_each_changes() {
    // CMS lowers BV/TV, so "increase" fails by default; the hypothesis reruns the case.
    let out = validate_folder(
        "hypotheses",
        "arm = \"cms\"\nversus = \"untreated\"\nmeasure = \"percent_change\"\n\
         known_failure = \"test\"\nfailure_class = \"contradiction\"\n",
        Some(
            "[[hypothesis]]\nid = \"no_stress_on_bone\"\nclaim = \"c\"\nsource = \"s\"\n\
             species = [\"mouse\"]\nparameters = { \"bone.effect.beta2_on_proliferation\" = 0.0 }\n",
        ),
        &["--hypotheses"],
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("Hypotheses")
            && stdout.contains("no_stress_on_bone: ")
            && stdout.contains("of 1 observations pass (default 0)"),
        "{stdout}"
    );
}

#[test]
fn a_broken_hypotheses_file_names_the_file_and_field_with_exit_code_2() {
    let out = validate_folder(
        "badhypothesis",
        "arm = \"cms\"\nmeasure = \"value\"\n",
        Some(
            "[[hypothesis]]\nid = \"h\"\nclaim = \"c\"\nsource = \"s\"\n\
             species = [\"mouse\"]\npathways = [\"no_such_pathway\"]\n",
        ),
        &["--hypotheses"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("hypotheses.toml")
            && stderr.contains("hypothesis[0].pathways[0]")
            && stderr.contains("bone_beta1"),
        "{stderr}"
    );
}

#[test]
fn a_broken_case_file_names_the_file_and_field_with_exit_code_2() {
    let (code, stderr) =
        validate_one_case("broken", "arm = \"no_such_arm\"\nmeasure = \"value\"\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("case.toml") && stderr.contains("observation[0].arm"),
        "{stderr}"
    );
}

#[test]
fn a_known_failure_without_its_class_is_refused_with_exit_code_2() {
    let (code, stderr) = validate_one_case(
        "unclassed",
        "arm = \"cms\"\nversus = \"untreated\"\nmeasure = \"percent_change\"\n\
         known_failure = \"a reason\"\n",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("case.toml")
            && stderr.contains("observation[0].failure_class")
            && stderr.contains("missing_mechanism"),
        "{stderr}"
    );
}

#[test]
fn patient_answers_the_issue_example_and_writes_a_summary() {
    let dir = std::env::temp_dir().join(format!("boneaxis-patient-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("summary.svg");
    let out = boneaxis(&[
        "patient",
        "--age",
        "70",
        "--sex",
        "female",
        "--drug",
        "sertraline",
        "--dose",
        "50mg",
        "--out",
        svg.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for expected in [
        "not a clinical device",
        "T-score",
        "sertraline 50 mg/day",
        "major osteoporotic",
        "through bone",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    let picture = std::fs::read_to_string(&svg).unwrap();
    assert!(picture.starts_with("<svg") && picture.contains("Femoral-neck BMD"));
    let html = dir.join("summary.html");
    let out = boneaxis(&[
        "patient",
        "--file",
        &repo("examples/patients/depressed_woman_on_fluoxetine.toml"),
        "--out",
        html.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("switch to escitalopram 10 mg/day"));
    assert!(std::fs::read_to_string(&html).unwrap().contains("<svg"));
    let json = boneaxis(&["patient", "--age", "65", "--sex", "male", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["options"][0]["label"], "no drug");
}

#[test]
fn patient_bad_input_exits_2_naming_the_field_and_range() {
    let out = boneaxis(&["patient", "--age", "120", "--sex", "female"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("field `age`") && err.contains("40 to 90"),
        "{err}"
    );
    let out = boneaxis(&[
        "patient", "--age", "70", "--sex", "female", "--drug", "prozacc", "--dose", "20mg",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown medicine `prozacc`"));
    let dir = std::env::temp_dir().join(format!("boneaxis-patient-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("p.toml");
    std::fs::write(&file, "age = 70\nsex = \"female\"\nweight = 60\n").unwrap();
    let out = boneaxis(&["patient", "--file", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("p.toml:3") && err.contains("unknown field `weight`"),
        "{err}"
    );
}

#[test]
fn sensitivity_ranks_parameters_and_writes_a_plot() {
    let dir = std::env::temp_dir().join(format!("boneaxis-sens-{}", std::process::id()));
    let scenario = repo("scenarios/cms_mouse.toml");
    let out = boneaxis(&[
        "sensitivity",
        &scenario,
        "--readout",
        "bone.distal_femur.bv_tv",
        "--arm",
        "cms",
        "--versus",
        "untreated",
        "--param",
        "sympathetic.depression_gain",
        "--param",
        "hpa.depression_gain",
        "--samples",
        "3",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("mu*") && stdout.contains("sympathetic.depression_gain"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(dir.join("sensitivity.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(std::fs::read_to_string(dir.join("sensitivity.svg"))
        .unwrap()
        .contains("<svg"));
    let bad = boneaxis(&[
        "sensitivity",
        &scenario,
        "--readout",
        "bone.distal_femur.bv_tv",
        "--arm",
        "cms",
        "--param",
        "no.such.parameter",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("no.such.parameter"));
}

#[test]
fn study_runs_a_population_and_resumes() {
    let dir = std::env::temp_dir().join(format!("boneaxis-study-{}", std::process::id()));
    let scenario = repo("scenarios/population_depression_ssri.toml");
    let d = dir.to_str().unwrap();
    let first = boneaxis(&["study", &scenario, "--size", "6", "--out", d]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let out = text(&first.stdout);
    assert!(
        out.contains("Hedges' g") && out.contains("difference, %/year"),
        "{out}"
    );
    let resumed = boneaxis(&["study", &scenario, "--size", "8", "--out", d, "--resume"]);
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    assert!(text(&resumed.stderr).contains("Resuming after 6 finished subjects"));
    let subjects = std::fs::read_to_string(dir.join("subjects.csv")).unwrap();
    assert_eq!(subjects.lines().count(), 9, "header + 8 subjects");
    let single = boneaxis(&["study", &repo("scenarios/cms_mouse.toml")]);
    assert_eq!(single.status.code(), Some(2));
    assert!(text(&single.stderr).contains("has no [population] section"));
}

#[test]
fn study_says_which_readouts_are_measured_and_stores_genes_as_columns() {
    let measured = repo("validation/Yirmiya_Bab_2009_depression_bmd_population/scenario.toml");
    let out = boneaxis(&["study", &measured, "--size", "30"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let says =
        "Analyses read measured values of bone.ctx (CV 0.2 per measurement, CV 0.25 per person)";
    assert!(text(&out.stdout).contains(says), "{}", text(&out.stdout));
    let dir = std::env::temp_dir().join(format!("boneaxis-genes-{}", std::process::id()));
    let d = dir.to_str().unwrap();
    let genes = repo("validation/Modder_2010_serum_serotonin_bmd_population/scenario.toml");
    let first = boneaxis(&["study", &genes, "--size", "4", "--out", d]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let resumed = boneaxis(&["study", &genes, "--size", "6", "--out", d, "--resume"]);
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    let subjects = std::fs::read_to_string(dir.join("subjects.csv")).unwrap();
    let header = subjects.lines().next().unwrap();
    assert!(
        header.contains(",serotonin.platelet_5ht_baseline,genotype.tph1_gut,"),
        "{header}"
    );
    assert_eq!(subjects.lines().count(), 7, "header + 6 subjects");
}

#[test]
fn study_parquet_is_identical_with_one_and_two_threads() {
    let scenario = repo("scenarios/population_depression_ssri.toml");
    let base = std::env::temp_dir().join(format!("boneaxis-parquet-{}", std::process::id()));
    let run = |threads: &str| {
        let dir = base.join(threads);
        let out = Command::new(env!("CARGO_BIN_EXE_boneaxis"))
            .args([
                "study",
                &scenario,
                "--size",
                "10",
                "--chunk",
                "3",
                "--parquet",
                "--out",
            ])
            .arg(&dir)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        std::fs::read(dir.join("results.parquet")).unwrap()
    };
    let one = run("1");
    assert!(
        one.starts_with(b"PAR1") && one.ends_with(b"PAR1"),
        "a Parquet file"
    );
    assert_eq!(one, run("2"), "same seed, same bytes");
}

#[test]
fn export_sbml_writes_the_arm_and_its_reference_states() {
    let dir = std::env::temp_dir().join(format!("boneaxis-sbml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp folder");
    let xml = dir.join("cms.xml");
    let csv = dir.join("states.csv");
    let out = boneaxis(&[
        "export-sbml",
        &repo("scenarios/cms_mouse.toml"),
        "--arm",
        "cms_imipramine",
        "-o",
        xml.to_str().expect("utf-8"),
        "--states",
        csv.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let document = std::fs::read_to_string(&xml).expect("written");
    for expected in [
        "level=\"3\" version=\"2\"",
        "<parameter id=\"pk_imipramine_elimination_half_life\"",
        "<rateRule variable=\"bone_distal_femur_osteoblasts\">",
        "<assignmentRule variable=\"signal_sert_occupancy\">",
        "<event id=\"",
    ] {
        assert!(document.contains(expected), "missing `{expected}`");
    }
    let states = std::fs::read_to_string(&csv).expect("written");
    let mut lines = states.lines();
    assert!(lines.next().is_some_and(|l| l.starts_with("# scale,")));
    assert!(lines
        .next()
        .is_some_and(|l| l.starts_with("time,mood_depressive_state,")));
    assert_eq!(lines.count(), 29, "one row per daily sample of the 4 weeks");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_sbml_of_an_unknown_arm_is_an_input_error() {
    let out = boneaxis(&[
        "export-sbml",
        &repo("scenarios/cms_mouse.toml"),
        "--arm",
        "nope",
        "-o",
        "/dev/null",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no arm `nope`"));
}
