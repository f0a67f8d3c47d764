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

#[test]
fn a_broken_case_file_names_the_file_and_field_with_exit_code_2() {
    let dir = std::env::temp_dir().join(format!("boneaxis-case-{}", std::process::id()));
    let case = dir.join("Broken_2000_case");
    std::fs::create_dir_all(&case).unwrap();
    let scenario = repo("scenarios/cms_mouse.toml");
    std::fs::write(
        case.join("case.toml"),
        format!(
            "[case]\ntitle = \"t\"\ncitation = \"c\"\nsubjects = \"s\"\nscenario = \"{scenario}\"\n\n\
             [[observation]]\nid = \"x\"\nfinding = \"f\"\nreadout = \"bone.distal_femur.bv_tv\"\n\
             arm = \"no_such_arm\"\nmeasure = \"value\"\nexpect = \"increase\"\nunit = \"%\"\n\
             status = \"SEEN\"\nsource = \"s\"\n"
        ),
    )
    .unwrap();
    let out = boneaxis(&["validate", "--dir", &dir.display().to_string()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("case.toml") && stderr.contains("observation[0].arm"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
