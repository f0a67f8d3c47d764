//! Virtual populations: reproducible subjects, covariate distributions and correlations as
//! specified, statistics against hand computation, thread-independent and resumable runs.

mod common;
use boneaxis::population::stats::{hedges_g, Accumulator, Welford};
use boneaxis::population::store::Store;
use boneaxis::population::{run, Population};
use boneaxis::simulate::Study;
use common::assert_close;

const SCENARIO: &str = r#"
[scenario]
name = "pop_test"
species = "human"
sex = "female"
age = "60 years"
duration = "2 years"
[output]
every = "1 year"
readouts = ["bone.total_hip.bmd"]
[population]
size = 24
seed = 9
female_share = 0.5
age = { distribution = "uniform", min = 50, max = 70 }
depression = { prevalence = 0.5, level = { distribution = "fixed", value = 0.6 } }
[[population.variability]]
parameter = "bone.total_hip.turnover_rate"
cv = 0.3
[[population.variability]]
parameter = "sympathetic.depression_gain"
cv = 0.5
[[population.correlation]]
parameters = ["bone.total_hip.turnover_rate", "sympathetic.depression_gain"]
r = 0.8
[[arm]]
name = "none"
[[arm]]
name = "sertraline"
[[arm.drug]]
name = "sertraline"
dose = "50 mg"
route = "oral"
every = "1 day"
[[analysis]]
kind = "effect_size"
readout = "bone.total_hip.bmd"
exposed = { arm = "none", who = "depressed" }
unexposed = { arm = "none", who = "not_depressed" }
[[analysis]]
kind = "rate"
readout = "bone.total_hip.bmd"
exposed = { arm = "sertraline" }
unexposed = { arm = "none" }
"#;

/// Loading `text` as `file` fails with an error located in that file that says all of `says`.
fn assert_located_error(text: &str, file: &str, says: &[&str]) {
    let e = boneaxis::scenario::load_str(text, file)
        .unwrap_err()
        .to_string();
    let located = e.starts_with(&format!("{file}:"));
    assert!(located && says.iter().all(|s| e.contains(s)), "{e}");
}

fn study() -> (Study, Population) {
    let s = boneaxis::scenario::load_str(SCENARIO, "pop_test.toml").unwrap();
    let p = s.population.clone().unwrap();
    (s, p)
}

#[test]
fn subjects_follow_their_distributions_and_are_reproducible() {
    let (_, mut pop) = study();
    pop.size = 4000;
    let subjects: Vec<_> = (0..pop.size).map(|i| pop.subject(i)).collect();
    assert_eq!(
        subjects[17],
        pop.subject(17),
        "a subject is the same however often it is drawn"
    );
    let n = subjects.len() as f64;
    let women = subjects
        .iter()
        .filter(|s| s.sex == boneaxis::species::Sex::Female)
        .count() as f64;
    assert_close("female share", 0.5, women / n, 0.0, 0.03);
    let depressed = subjects.iter().filter(|s| s.depression > 0.0).count() as f64;
    assert_close("depression prevalence", 0.5, depressed / n, 0.0, 0.03);
    assert!(subjects.iter().all(|s| (50.0..=70.0).contains(&s.age)));
    let mut age = Welford::default();
    subjects.iter().for_each(|s| age.push(s.age));
    assert_close("mean age", 60.0, age.mean(), 0.0, 0.5);
    // log-parameters: SD from the CV and the requested correlation
    let logs: Vec<(f64, f64)> = subjects
        .iter()
        .map(|s| (s.parameters[0].ln(), s.parameters[1].ln()))
        .collect();
    let (mut a, mut b) = (Welford::default(), Welford::default());
    logs.iter().for_each(|(x, y)| {
        a.push(*x);
        b.push(*y)
    });
    let cov = logs
        .iter()
        .map(|(x, y)| (x - a.mean()) * (y - b.mean()))
        .sum::<f64>()
        / (n - 1.0);
    let r = cov / (a.variance() * b.variance()).sqrt();
    assert_close(
        "log-SD of a CV-0.3 parameter",
        (1.0_f64 + 0.09).ln().sqrt(),
        a.variance().sqrt(),
        0.05,
        0.0,
    );
    assert_close("correlation of the log-parameters", 0.8, r, 0.0, 0.04);
}

#[test]
fn hedges_g_and_welford_match_hand_computation() {
    let (x, y) = ([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0]);
    let (mut a, mut b) = (Welford::default(), Welford::default());
    x.iter().for_each(|v| a.push(*v));
    y.iter().for_each(|v| b.push(*v));
    assert_close("mean", 2.5, a.mean(), 1e-12, 1e-12);
    assert_close("variance", 5.0 / 3.0, a.variance(), 1e-12, 1e-12);
    // pooled SD sqrt((3·5/3 + 2·4)/5) = sqrt(13/5); d = (2.5 − 4)/sqrt(2.6); J = 1 − 3/(4·7 − 9)
    let d = -1.5 / 2.6_f64.sqrt();
    let g = d * (1.0 - 3.0 / 19.0);
    let se = (7.0 / 12.0 + g * g / 14.0_f64).sqrt();
    let (est, ci) = hedges_g(&a, &b);
    assert_close("Hedges' g", g, est, 1e-12, 1e-12);
    assert_close("lower 95% limit", g - 1.96 * se, ci[0], 1e-12, 1e-12);
}

fn run_all(study: &Study, pop: &Population, threads: usize) -> Vec<String> {
    let (study, pop) = (study.clone(), pop.clone());
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(move || {
            let mut rows = Vec::new();
            run::run(&study, &pop, 0, 5, &|| {}, |s, r| {
                rows.push(format!(
                    "{} {:?}",
                    s.index,
                    r.arms.iter().map(|a| &a.values).collect::<Vec<_>>()
                ));
                Ok(())
            })
            .unwrap();
            rows
        })
}

#[test]
fn a_seed_gives_bit_identical_results_with_any_number_of_threads() {
    let (study, mut pop) = study();
    pop.size = 8;
    assert_eq!(run_all(&study, &pop, 1), run_all(&study, &pop, 2));
}

#[test]
fn an_interrupted_run_resumes_to_the_same_result() {
    let (study, pop) = study();
    let base = std::env::temp_dir().join(format!("boneaxis-pop-{}", std::process::id()));
    let whole = |dir: &std::path::Path, upto: usize, resume: bool| {
        let mut p = pop.clone();
        p.size = upto;
        let mut acc = Accumulator::new(&study, &p).unwrap();
        let (mut store, done) = Store::open(dir, &p, resume, |s, r| acc.add(s, r)).unwrap();
        run::run(&study, &p, done, 4, &|| {}, |s, r| {
            acc.add(s, r);
            store.write(s, r).unwrap();
            Ok(())
        })
        .unwrap();
        (done, acc.finish(|_| String::new()))
    };
    let straight = base.join("straight");
    let (_, expected) = whole(&straight, 24, false);
    let interrupted = base.join("interrupted");
    whole(&interrupted, 10, false);
    // The interruption also cut the last result row in half.
    let res = interrupted.join("results.csv");
    let mut text = std::fs::read_to_string(&res).unwrap();
    text.push_str("10,none,0,day,bone.total");
    std::fs::write(&res, text).unwrap();
    let (done, resumed) = whole(&interrupted, 24, true);
    assert_eq!(done, 10);
    assert_eq!(resumed, expected, "statistics after resuming");
    for f in ["results.csv", "subjects.csv"] {
        assert_eq!(
            std::fs::read_to_string(straight.join(f)).unwrap(),
            std::fs::read_to_string(interrupted.join(f)).unwrap(),
            "{f} after resuming"
        );
    }
}

#[test]
fn bad_population_sections_are_located_errors() {
    let bad = |from: &str, to: &str, says: &str| {
        assert_located_error(&SCENARIO.replace(from, to), "pop_test.toml", &[says]);
    };
    bad("size = 24", "size = 0", "population.size");
    bad(
        "female_share = 0.5",
        "female_share = 1.5",
        "between 0 and 1",
    );
    bad(
        "distribution = \"uniform\", min = 50",
        "distribution = \"gamma\", min = 50",
        "unknown distribution `gamma`",
    );
    bad("max = 70", "max = 119", "lifespan");
    bad("r = 0.8", "r = 1.5", "-1 <= r <= 1");
    bad(
        "parameter = \"sympathetic.depression_gain\"",
        "parameter = \"no.such\"",
        "not a parameter",
    );
    bad(
        "who = \"depressed\"",
        "who = \"sad\"",
        "unknown group `sad`",
    );
    bad(
        "name = \"none\"\n[[arm]]",
        "name = \"none\"\n[[arm.depression]]\nseverity = 0.5\n[[arm]]",
        "sets this itself",
    );
}

#[test]
fn the_parquet_copy_reads_back_as_the_csv() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let dir = std::env::temp_dir().join(format!("boneaxis-pq-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("results.csv");
    std::fs::write(&csv, "subject,arm,time,time_unit,variable,value,unit\n0,none,0,day,bone.total_hip.bmd,0.8125,g/cm^2\n1,ssri,365.25,day,bone.total_hip.bmd,0.80078125,g/cm^2\n").unwrap();
    std::fs::write(
        dir.join("subjects.csv"),
        "subject,sex,age_years,depression\n0,female,61.5,0\n1,male,70,0.4\n",
    )
    .unwrap();
    let (rows, subjects) = boneaxis::population::parquet::write_dataset(&dir).unwrap();
    assert_eq!((rows, subjects), (2, 2));
    let reader =
        SerializedFileReader::new(std::fs::File::open(dir.join("results.parquet")).unwrap())
            .unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 2);
    let last = reader
        .get_row_iter(None)
        .unwrap()
        .last()
        .unwrap()
        .unwrap()
        .to_string();
    for field in [
        "subject: 1",
        "arm: \"ssri\"",
        "time: 365.25",
        "value: 0.80078125",
    ] {
        assert!(last.contains(field), "{last}");
    }
}

mod cox_model {
    use super::assert_close;
    use boneaxis::population::cox::{self, Record};
    use rand::{RngExt, SeedableRng};

    fn exponential(n: usize, log_hr: &[f64], seed: u64) -> Vec<Record> {
        let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(seed);
        (0..n)
            .map(|_| {
                let x: Vec<f64> = log_hr
                    .iter()
                    .map(|_| if rng.random::<f64>() < 0.5 { 1.0 } else { 0.0 })
                    .collect();
                let rate = 0.1 * x.iter().zip(log_hr).map(|(a, b)| a * b).sum::<f64>().exp();
                let t = -(1.0 - rng.random::<f64>()).ln() / rate;
                let censor = 10.0 * rng.random::<f64>();
                Record {
                    time: t.min(censor),
                    event: t <= censor,
                    covariates: x,
                }
            })
            .collect()
    }

    #[test]
    fn recovers_known_hazard_ratios() {
        let truth = [2.0_f64.ln(), -0.5];
        let fit = cox::fit(&exponential(20_000, &truth, 4)).unwrap();
        for (k, t) in truth.iter().enumerate() {
            let (b, se) = (fit.coefficients[k], fit.standard_errors[k]);
            assert!(
                (b - t).abs() < 3.0 * se,
                "coefficient {k}: {b} ± {se} vs {t}"
            );
            assert!(se > 0.0 && se < 0.05);
        }
    }

    #[test]
    fn newton_finds_the_maximum_of_the_partial_likelihood_with_ties() {
        // Small data with tied times and censoring; maximise the log partial likelihood by a
        // golden-section search, independently of Newton's method.
        let data = [
            (1.0, true, 1.0),
            (1.0, true, 0.0),
            (2.0, false, 1.0),
            (3.0, true, 0.0),
            (3.0, true, 1.0),
            (4.0, true, 0.0),
            (5.0, false, 0.0),
            (6.0, true, 1.0),
        ];
        let records: Vec<Record> = data
            .iter()
            .map(|&(t, e, x)| Record {
                time: t,
                event: e,
                covariates: vec![x],
            })
            .collect();
        let fit = cox::fit(&records).unwrap();
        let f = |b: f64| cox::log_likelihood(&records, &[b]);
        let (mut lo, mut hi) = (-5.0_f64, 5.0_f64);
        let g = (5.0_f64.sqrt() - 1.0) / 2.0;
        for _ in 0..200 {
            let (a, b) = (hi - g * (hi - lo), lo + g * (hi - lo));
            if f(a) > f(b) {
                hi = b
            } else {
                lo = a
            }
        }
        assert_close("beta", 0.5 * (lo + hi), fit.coefficients[0], 0.0, 1e-6);
        // standard error from the curvature: −1/ℓ''(β̂) by central differences
        let (b, h) = (fit.coefficients[0], 1e-4);
        let curvature = (f(b + h) - 2.0 * f(b) + f(b - h)) / (h * h);
        assert_close(
            "SE",
            (-1.0 / curvature).sqrt(),
            fit.standard_errors[0],
            1e-4,
            0.0,
        );
    }
}

const HR_SCENARIO_TAIL: &str = r#"
[[analysis]]
kind = "hazard_ratio"
readout = "bone.femoral_neck.bmd"
exposed = { arm = "none" }
unexposed = { arm = "none" }
[[analysis]]
kind = "hazard_ratio"
readout = "bone.femoral_neck.bmd"
outcome = "hip"
adjust = ["age", "female"]
exposed = { arm = "sertraline" }
unexposed = { arm = "none" }
"#;

#[test]
fn hazard_ratios_come_from_the_fracture_hazard_with_common_random_numbers() {
    let text = SCENARIO
        .replace("readouts = [\"bone.total_hip.bmd\"]", "readouts = [\"bone.total_hip.bmd\", \"bone.femoral_neck.bmd\", \"mood.depressive_state\", \"pd.sert_occupancy\"]")
        .replace("every = \"1 year\"", "every = \"30 days\"")
        .replace("size = 24", "size = 300")
        .replace("[output]", "[solver]\ndosing = \"averaged\"\n[output]")
        + HR_SCENARIO_TAIL;
    let study = boneaxis::scenario::load_str(&text, "hr.toml").unwrap();
    let pop = study.population.clone().unwrap();
    let mut acc = Accumulator::new(&study, &pop).unwrap();
    run::run(&study, &pop, 0, 64, &|| {}, |s, r| {
        acc.add(s, r);
        Ok(())
    })
    .unwrap();
    let r = acc.finish(|_| String::new());
    assert_eq!(
        r[2].estimate, 1.0,
        "the same arm against itself: identical records, HR exactly 1"
    );
    assert!(
        r[3].exposed.n == 300 && r[3].estimate > 1.0,
        "sertraline raises fracture risk (falls): {:?}",
        r[3]
    );
    let bad = text.replace("outcome = \"hip\"", "outcome = \"wrist\"");
    let e = boneaxis::scenario::load_str(&bad, "hr.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown outcome `wrist`"), "{e}");
    let missing = text.replace(", \"pd.sert_occupancy\"]", "]");
    let e = boneaxis::scenario::load_str(&missing, "hr.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("needs `pd.sert_occupancy`"), "{e}");
}

#[test]
fn matched_effect_sizes_pool_strata_by_inverse_variance() {
    use boneaxis::population::stats::pooled_g;
    let group = |xs: &[f64]| {
        let mut w = Welford::default();
        xs.iter().for_each(|x| w.push(*x));
        w
    };
    let stratum = [group(&[1.0, 2.0, 3.0, 4.0]), group(&[2.0, 4.0, 6.0])];
    let (g1, ci1) = hedges_g(&stratum[0], &stratum[1]);
    let (g, ci) = pooled_g([stratum, stratum].iter());
    assert_close("pooled g of two identical strata", g1, g, 1e-12, 1e-12);
    let (se1, se) = ((ci1[1] - ci1[0]) / 3.92, (ci[1] - ci[0]) / 3.92);
    assert_close(
        "its SE shrinks by sqrt(2)",
        se1 / 2.0_f64.sqrt(),
        se,
        1e-12,
        1e-12,
    );
    // a stratum with a single subject in a group is left out
    let lonely = [group(&[5.0]), group(&[1.0, 2.0])];
    assert_close(
        "a lone subject is left out",
        g1,
        pooled_g([stratum, lonely].iter()).0,
        1e-12,
        1e-12,
    );
}

/// Pearson r of two columns, two-pass (the reference for the one-pass accumulator).
fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

#[test]
fn correlation_analyses_match_a_two_pass_computation() {
    let text = SCENARIO.replace(
        "readouts = [\"bone.total_hip.bmd\"]",
        "readouts = [\"bone.total_hip.bmd\", \"serotonin.bone_5ht\"]",
    ) + r#"
[[analysis]]
kind = "correlation"
readout = "bone.total_hip.bmd"
with = "serotonin.bone_5ht"
group = { arm = "sertraline" }
[[analysis]]
kind = "correlation"
readout = "bone.total_hip.bmd"
with = "serotonin.bone_5ht"
group = { arm = "sertraline" }
adjust = ["age"]
"#;
    let study = boneaxis::scenario::load_str(&text, "corr.toml").expect("loads");
    let pop = study.population.clone().expect("a population");
    let mut acc = Accumulator::new(&study, &pop).expect("analyses");
    let (mut bmd, mut serotonin, mut age) = (Vec::new(), Vec::new(), Vec::new());
    run::run(&study, &pop, 0, 8, &|| {}, |s, r| {
        acc.add(s, r);
        bmd.push(r.final_value("sertraline", "bone.total_hip.bmd").unwrap());
        serotonin.push(r.final_value("sertraline", "serotonin.bone_5ht").unwrap());
        age.push(s.age);
        Ok(())
    })
    .expect("runs");
    let results = acc.finish(|_| String::new());
    let r = pearson(&bmd, &serotonin);
    assert_close("Pearson r", r, results[2].estimate, 1e-9, 0.0);
    assert!(results[2].ci[0] < r && r < results[2].ci[1]);
    let (rxa, rya) = (pearson(&bmd, &age), pearson(&serotonin, &age));
    let partial = (r - rxa * rya) / ((1.0 - rxa * rxa) * (1.0 - rya * rya)).sqrt();
    assert_close("partial r on age", partial, results[3].estimate, 1e-9, 0.0);
    assert_eq!(results[2].kind, "correlation");
}

/// Prevalences count the subjects in a band, T-scores converted through the catalog's
/// young-adult reference of the site (total hip 0.971 ± 0.114 g/cm²).
#[test]
fn prevalence_analyses_count_the_subjects_in_the_band() {
    let text = SCENARIO.to_string()
        + r#"
[[analysis]]
kind = "prevalence"
readout = "bone.total_hip.bmd"
scale = "t_score"
below = -0.3
group = { arm = "none" }
[[analysis]]
kind = "prevalence"
readout = "bone.total_hip.bmd"
above = 0.9
below = 0.95
group = { arm = "none", who = "female" }
"#;
    let study = boneaxis::scenario::load_str(&text, "prevalence.toml").expect("loads");
    let pop = study.population.clone().expect("a population");
    let mut acc = Accumulator::new(&study, &pop).expect("analyses");
    let (mut low, mut band, mut women, n) = (0.0, 0.0, 0.0, pop.size as f64);
    run::run(&study, &pop, 0, 8, &|| {}, |s, r| {
        acc.add(s, r);
        let bmd = r.final_value("none", "bone.total_hip.bmd").unwrap();
        low += f64::from(u8::from(bmd <= 0.971 - 0.3 * 0.114));
        if s.sex == boneaxis::species::Sex::Female {
            women += 1.0;
            band += f64::from(u8::from(bmd > 0.9 && bmd <= 0.95));
        }
        Ok(())
    })
    .expect("runs");
    let results = acc.finish(|_| String::new());
    let (t, b) = (&results[2], &results[3]);
    assert_eq!(t.kind, "prevalence");
    assert_close(
        "share with T <= -0.3",
        100.0 * low / n,
        t.estimate,
        1e-9,
        1e-9,
    );
    assert_close(
        "share in the band",
        100.0 * band / women,
        b.estimate,
        1e-9,
        1e-9,
    );
    assert!(
        0.0 < t.estimate && t.estimate < 100.0,
        "the threshold splits the population: {}",
        t.estimate
    );
    assert!(t.ci[0] <= t.estimate && t.estimate <= t.ci[1], "{:?}", t.ci);
    assert!(
        t.ci[0] >= 0.0 && t.ci[1] <= 100.0,
        "a Wilson interval stays in 0-100: {:?}",
        t.ci
    );
}

/// With `also`, a subject is counted by the lowest T-score of its sites, as WHO categories are
/// read (total hip 0.971 ± 0.114, lumbar spine 1.064 ± 0.106 g/cm²).
#[test]
fn a_prevalence_over_sites_counts_the_lowest_t_score() {
    let text = SCENARIO.replace(
        r#"readouts = ["bone.total_hip.bmd"]"#,
        r#"readouts = ["bone.total_hip.bmd", "bone.lumbar_spine.bmd"]"#,
    ) + r#"
[[analysis]]
kind = "prevalence"
readout = "bone.total_hip.bmd"
also = ["bone.lumbar_spine.bmd"]
scale = "t_score"
above = -2.0
below = -0.6
group = { arm = "none" }
"#;
    let study = boneaxis::scenario::load_str(&text, "sites.toml").expect("loads");
    let pop = study.population.clone().expect("a population");
    let mut acc = Accumulator::new(&study, &pop).expect("analyses");
    let (mut in_band, mut lowest_sum, mut hip_only, n) = (0.0, 0.0, 0.0, pop.size as f64);
    run::run(&study, &pop, 0, 8, &|| {}, |s, r| {
        acc.add(s, r);
        let hip = (r.final_value("none", "bone.total_hip.bmd").unwrap() - 0.971) / 0.114;
        let spine = (r.final_value("none", "bone.lumbar_spine.bmd").unwrap() - 1.064) / 0.106;
        let lowest = hip.min(spine);
        in_band += f64::from(u8::from(lowest > -2.0 && lowest <= -0.6));
        hip_only += f64::from(u8::from(hip > -2.0 && hip <= -0.6));
        lowest_sum += lowest;
        Ok(())
    })
    .expect("runs");
    let results = acc.finish(|_| String::new());
    let p = &results[2];
    assert_close(
        "share by the lowest T-score",
        100.0 * in_band / n,
        p.estimate,
        1e-9,
        1e-9,
    );
    assert_close(
        "mean lowest T-score",
        lowest_sum / n,
        p.unexposed.mean,
        1e-9,
        1e-9,
    );
    assert!(
        in_band != hip_only,
        "the spine changes some subjects' category, so the test can fail: {in_band} vs {hip_only}"
    );
    assert!(
        p.unexposed.group.contains("lowest T-score of"),
        "{}",
        p.unexposed.group
    );
}

#[test]
fn a_prevalence_needs_a_band_on_a_known_scale() {
    let with = |analysis: &str| SCENARIO.to_string() + analysis;
    let cases = [
        (
            "[[analysis]]\nkind = \"prevalence\"\nreadout = \"bone.total_hip.bmd\"\ngroup = { arm = \"none\" }\n",
            "needs `below`",
        ),
        (
            "[[analysis]]\nkind = \"prevalence\"\nreadout = \"bone.total_hip.bmd\"\nbelow = 0.8\nabove = 0.9\ngroup = { arm = \"none\" }\n",
            "analysis[2].above",
        ),
        (
            "[[analysis]]\nkind = \"prevalence\"\nreadout = \"bone.total_hip.bmd\"\nscale = \"z_score\"\nbelow = -1\ngroup = { arm = \"none\" }\n",
            "unknown scale `z_score`",
        ),
        (
            "[[analysis]]\nkind = \"effect_size\"\nreadout = \"bone.total_hip.bmd\"\nbelow = 1\nexposed = { arm = \"none\" }\nunexposed = { arm = \"sertraline\" }\n",
            "belong to prevalence analyses",
        ),
        (
            "[[analysis]]\nkind = \"prevalence\"\nreadout = \"bone.total_hip.bmd\"\nbelow = 1\nwith = \"bone.total_hip.bmd\"\ngroup = { arm = \"none\" }\n",
            "`with` belongs to correlations",
        ),
        (
            "[[analysis]]\nkind = \"prevalence\"\nreadout = \"bone.total_hip.bmd\"\nbelow = 1\nexposed = { arm = \"none\" }\n",
            "a prevalence takes one `group`",
        ),
        (
            "[[analysis]]\nkind = \"prevalence\"\nreadout = \"bone.total_hip.bmd\"\nalso = [\"bone.total_hip.bmd\"]\nbelow = 1\ngroup = { arm = \"none\" }\n",
            "needs `scale = \"t_score\"`",
        ),
        (
            "[[analysis]]\nkind = \"prevalence\"\nreadout = \"bone.total_hip.bmd\"\nalso = [\"bone.femoral_neck.bmd\"]\nscale = \"t_score\"\nbelow = -1\ngroup = { arm = \"none\" }\n",
            "analysis[2].also",
        ),
        (
            "[[analysis]]\nkind = \"effect_size\"\nreadout = \"bone.total_hip.bmd\"\nalso = [\"bone.total_hip.bmd\"]\nexposed = { arm = \"none\" }\nunexposed = { arm = \"sertraline\" }\n",
            "`also` belong to prevalence analyses",
        ),
    ];
    for (analysis, expected) in cases {
        let e = boneaxis::scenario::load_str(&with(analysis), "bad.toml").expect_err("refused");
        assert!(e.to_string().contains(expected), "{expected}: {e}");
    }
}

#[test]
fn a_correlation_needs_one_group_and_a_second_readout() {
    let bad = SCENARIO.to_string()
        + r#"
[[analysis]]
kind = "correlation"
readout = "bone.total_hip.bmd"
group = { arm = "none" }
"#;
    let e = boneaxis::scenario::load_str(&bad, "bad.toml").expect_err("refused");
    assert!(e.to_string().contains("needs `with`"), "{e}");
}

/// Drug use of an observational design: added without disturbing the other draws, more
/// frequent in the depressed by the odds ratio, and only users take the arm's drug, scaled by
/// their adherence.
#[test]
fn drug_use_follows_prevalence_indication_and_adherence() {
    let drug_use = "depression = { prevalence = 0.5, level = { distribution = \"fixed\", value = 0.6 } }\ndrug_use = { prevalence = 0.2, depression_odds_ratio = 9, adherence = { distribution = \"uniform\", min = 0.5, max = 1.0 }, arms = [\"sertraline\"] }";
    let text = SCENARIO.replace(
        "depression = { prevalence = 0.5, level = { distribution = \"fixed\", value = 0.6 } }",
        drug_use,
    );
    let with = boneaxis::scenario::load_str(&text, "pop_test.toml").unwrap();
    let mut pop = with.population.clone().unwrap();
    let (_, plain) = study();
    pop.size = 4000;
    let (mut users, mut depressed, mut depressed_users) = (0.0, 0.0, 0.0);
    for i in 0..pop.size {
        let (a, mut b) = (plain.subject(i), pop.subject(i));
        assert!(b.drug_adherence == 0.0 || (0.5..=1.0).contains(&b.drug_adherence));
        let used = b.drug_adherence > 0.0;
        b.drug_adherence = 0.0;
        assert_eq!(a, b, "drug use changed another draw of subject {i}");
        let d = a.depression > 0.0;
        depressed += f64::from(u8::from(d));
        users += f64::from(u8::from(used && !d));
        depressed_users += f64::from(u8::from(used && d));
    }
    let n = pop.size as f64;
    let among_not_depressed = users / (n - depressed);
    let among_depressed = depressed_users / depressed;
    assert_close(
        "use among the non-depressed",
        0.2,
        among_not_depressed,
        0.15,
        0.0,
    );
    // odds 9 × 0.25 = 2.25 → prevalence 0.692
    assert_close("use among the depressed", 0.692, among_depressed, 0.08, 0.0);

    // In the listed arm non-users take nothing; users take the drug at their adherence.
    let (user, non_user) = {
        let mut u = None;
        let mut nu = None;
        for i in 0..pop.size {
            let s = pop.subject(i);
            if s.drug_adherence > 0.0 && u.is_none() {
                u = Some(s);
            } else if s.drug_adherence == 0.0 && nu.is_none() {
                nu = Some(s);
            }
        }
        (u.unwrap(), nu.unwrap())
    };
    let dose = |s: &boneaxis::population::sample::Subject| {
        let st = run::subject_study(&with, &pop, s).unwrap();
        let arm = st.arms.iter().find(|a| a.name == "sertraline").unwrap();
        arm.protocol.drugs.first().map(|d| match d.dose {
            boneaxis::protocol::DoseAmount::Mg(mg) => mg,
            _ => f64::NAN,
        })
    };
    assert_eq!(dose(&non_user), None, "a non-user takes the arm's drug");
    assert_close(
        "a user's dose",
        50.0 * user.drug_adherence,
        dose(&user).unwrap(),
        1e-12,
        0.0,
    );

    let bad = |from: &str, to: &str, says: &str| {
        assert_located_error(&text.replace(from, to), "pop_test.toml", &[says]);
    };
    bad(
        "min = 0.5, max = 1.0",
        "min = 0.0, max = 1.0",
        "above 0 and at most 1",
    );
    bad(
        "arms = [\"sertraline\"]",
        "arms = [\"nope\"]",
        "no arm `nope`",
    );
    bad(
        "arms = [\"sertraline\"]",
        "arms = [\"none\"]",
        "has no drug",
    );
}

#[test]
fn bmi_is_drawn_last_and_sets_each_subjects_body_weight_and_bone() {
    let bmi = "age = { distribution = \"uniform\", min = 50, max = 70 }\nbmi = { distribution = \"uniform\", min = 18, max = 36 }";
    let text = SCENARIO.replace(
        "age = { distribution = \"uniform\", min = 50, max = 70 }",
        bmi,
    );
    let with = boneaxis::scenario::load_str(&text, "pop_test.toml").unwrap();
    let pop = with.population.clone().unwrap();
    let (plain_study, plain) = study();
    for i in 0..pop.size {
        let (a, mut b) = (plain.subject(i), pop.subject(i));
        let drawn = b.bmi.expect("every subject has a BMI");
        assert!((18.0..=36.0).contains(&drawn), "BMI {drawn}");
        b.bmi = None;
        assert_eq!(a, b, "the BMI changed another draw of subject {i}");
    }
    // A heavier twin: the same subject at two BMIs, the body weight and BMD at the start.
    let start = |bmi: f64| {
        let mut s = pop.subject(0);
        s.bmi = Some(bmi);
        let one = run::subject_study(&with, &pop, &s).unwrap();
        let r = boneaxis::simulate::run_study(&one, |_, _| {}).unwrap();
        let bmd = r.readout_index("bone.total_hip.bmd").unwrap();
        r.arms[0].values[bmd][0]
    };
    let reference = pop.bmi.as_ref().unwrap().reference;
    let (light, same, heavy) = (start(20.0), start(reference), start(30.0));
    assert!(light < same && same < heavy, "{light} {same} {heavy}");
    // At the reference BMI the subject is the plain population's.
    let plain_one = run::subject_study(&plain_study, &plain, &plain.subject(0)).unwrap();
    let r = boneaxis::simulate::run_study(&plain_one, |_, _| {}).unwrap();
    let bmd = r.readout_index("bone.total_hip.bmd").unwrap();
    assert_close(
        "BMD at the reference BMI",
        r.arms[0].values[bmd][0],
        same,
        1e-9,
        0.0,
    );
}

#[test]
fn bad_bmi_sections_are_located_errors() {
    let bad = |text: String, field: &str, says: &str| {
        assert_located_error(&text, "pop_test.toml", &[field, says]);
    };
    let with = |bmi: &str| {
        SCENARIO.replace(
            "female_share = 0.5",
            &format!("female_share = 0.5\nbmi = {bmi}"),
        )
    };
    let unbounded = with("{ distribution = \"normal\", mean = 27, sd = 4 }");
    bad(unbounded, "population.bmi", "must stay within");
    let too_low = with("{ distribution = \"uniform\", min = 10, max = 30 }");
    bad(too_low, "population.bmi", "must stay within");
    let clash = with("{ distribution = \"uniform\", min = 20, max = 30 }").replace(
        "name = \"none\"\n[[arm]]",
        "name = \"none\"\nbody_weight = \"70 kg\"\n[[arm]]",
    );
    bad(clash, "population.bmi", "sets its own body_weight");
    let hazard = "[[analysis]]\nkind = \"hazard_ratio\"\nreadout = \"bone.femoral_neck.bmd\"\nadjust = [\"bmi\"]\nexposed = { arm = \"sertraline\" }\nunexposed = { arm = \"none\" }\n";
    let neck = SCENARIO.replace(
        "readouts = [\"bone.total_hip.bmd\"]",
        "readouts = [\"bone.total_hip.bmd\", \"bone.femoral_neck.bmd\", \"mood.depressive_state\", \"pd.sert_occupancy\", \"pd.net_occupancy\"]",
    );
    bad(
        format!("{neck}{hazard}"),
        "adjust",
        "needs `[population] bmi`",
    );
}

#[test]
fn depression_durations_are_drawn_last_and_end_each_episode() {
    let plain_line =
        "depression = { prevalence = 0.5, level = { distribution = \"fixed\", value = 0.6 } }";
    let with_duration = "depression = { prevalence = 0.5, level = { distribution = \"fixed\", value = 0.6 }, duration = { distribution = \"uniform\", min = 0.5, max = 4 } }";
    let text = SCENARIO.replace(plain_line, with_duration);
    let study_with = boneaxis::scenario::load_str(&text, "pop_test.toml").unwrap();
    let pop = study_with.population.clone().unwrap();
    let (_, plain) = study();
    let mut depressed = 0;
    for i in 0..pop.size {
        let (a, mut b) = (plain.subject(i), pop.subject(i));
        match b.depression_years {
            Some(y) => {
                assert!(b.depression > 0.0 && (0.5..=4.0).contains(&y), "{b:?}");
                depressed += 1;
            }
            None => assert_eq!(b.depression, 0.0, "{b:?}"),
        }
        b.depression_years = None;
        assert_eq!(a, b, "the duration changed another draw of subject {i}");
        // The episode ends after its duration, or with the study.
        let one = run::subject_study(&study_with, &pop, &pop.subject(i)).unwrap();
        let stress = &one.arms[0].protocol.stress;
        if let Some(y) = pop.subject(i).depression_years {
            let expected = (y * 365.25).min(study_with.duration);
            assert_close(
                "end of the episode, days",
                expected,
                stress[0].stop,
                1e-12,
                0.0,
            );
        } else {
            assert!(stress.is_empty());
        }
    }
    assert!(depressed > 0, "no depressed subject among {}", pop.size);
    let bad = |from: &str, to: &str, says: &str| {
        assert_located_error(&SCENARIO.replace(from, to), "pop_test.toml", &[says]);
    };
    bad(
        plain_line,
        &with_duration.replace("min = 0.5", "min = 0"),
        "population.depression.duration",
    );
    bad(
        plain_line,
        &format!("{plain_line}\nsmoking = {{ prevalence = 0.1, level = {{ distribution = \"fixed\", value = 10 }}, duration = {{ distribution = \"fixed\", value = 2 }} }}"),
        "belongs to depression",
    );
}

/// SCENARIO with the total-hip BMD measured with this error.
fn measured_scenario(error: &str) -> (Study, Population) {
    let text = SCENARIO.replace(
        "[[arm]]\nname = \"none\"",
        &format!(
            "[[population.measurement]]\nreadout = \"bone.total_hip.bmd\"\n{error}\n[[arm]]\nname = \"none\""
        ),
    );
    let s = boneaxis::scenario::load_str(&text, "pop_test.toml").unwrap();
    let p = s.population.clone().unwrap();
    (s, p)
}

#[test]
fn measurement_error_widens_spreads_cancels_in_rates_and_leaves_stored_values_alone() {
    use boneaxis::population::run_analyses;
    let (plain, plain_pop) = study();
    let (person, person_pop) = measured_scenario("person_cv = 0.2");
    let (noisy, noisy_pop) = measured_scenario("cv = 0.1\nsd = 0.01");
    assert_eq!(person_pop.measurement.len(), 1);
    // What is stored (the model's values) does not depend on the measurement.
    assert_eq!(
        run_all(&plain, &plain_pop, 1),
        run_all(&noisy, &noisy_pop, 1)
    );
    let truth = run_analyses(&plain).unwrap();
    let lasting = run_analyses(&person).unwrap();
    let occasional = run_analyses(&noisy).unwrap();
    for (what, measured) in [("person_cv", &lasting), ("cv and sd", &occasional)] {
        let (sd0, sd1) = (truth[0].exposed.sd, measured[0].exposed.sd);
        assert!(
            sd1 > 1.2 * sd0,
            "{what}: the cross-sectional spread should widen: {sd0} -> {sd1}"
        );
    }
    // A person's lasting factor cancels in a rate (a ratio of their own measurements); errors
    // drawn at each measurement do not.
    assert_close(
        "rate with a person factor",
        truth[1].estimate,
        lasting[1].estimate,
        1e-9,
        1e-12,
    );
    let (r0, r1) = (truth[1].exposed.sd, occasional[1].exposed.sd);
    assert!(r1 > 2.0 * r0, "rates should scatter: SD {r0} -> {r1}");
    // The same seed measures the same way.
    assert_eq!(occasional, run_analyses(&noisy).unwrap());
}

#[test]
fn bad_measurement_sections_are_located_errors() {
    let bad = |error: &str, says: &str| {
        let text = SCENARIO.replace(
            "[[arm]]\nname = \"none\"",
            &format!("{error}\n[[arm]]\nname = \"none\""),
        );
        assert_located_error(&text, "pop_test.toml", &[says]);
    };
    let entry = |readout: &str, rest: &str| {
        format!("[[population.measurement]]\nreadout = \"{readout}\"\n{rest}\n")
    };
    bad(
        &entry("bone.ctx", "cv = 0.2"),
        "population.measurement[0].readout`: the scenario does not output `bone.ctx`",
    );
    let twice = entry("bone.total_hip.bmd", "cv = 0.1").repeat(2);
    bad(
        &twice,
        "population.measurement[1].readout`: is measured twice",
    );
    bad(
        &entry("bone.total_hip.bmd", "cv = -0.1"),
        "population.measurement[0].cv`: must be a number of at least 0 and at most 3; got -0.1",
    );
    bad(
        &entry("bone.total_hip.bmd", "person_cv = 4"),
        "population.measurement[0].person_cv`: must be a number of at least 0 and at most 3",
    );
    bad(
        &entry("bone.total_hip.bmd", "sd = nan"),
        "population.measurement[0].sd`: must be a number of at least 0; got NaN",
    );
    bad(
        &entry("bone.total_hip.bmd", "error = 0.1"),
        "unknown field `error`",
    );
}

/// Women of 40 who differ only in one source of serum 5-HT, seen 90 days on.
const SEROTONIN_SOURCES: &str = r#"
[scenario]
name = "serotonin_sources"
species = "human"
sex = "female"
age = "40 years"
duration = "90 days"
[output]
every = "90 days"
readouts = ["serotonin.serum_5ht", "bone.femoral_neck.bmd"]
[population]
size = 30
seed = 5
[[population.variability]]
SOURCE
cv = 0.4
[[arm]]
name = "visit"
[[analysis]]
kind = "correlation"
readout = "serotonin.serum_5ht"
with = "bone.femoral_neck.bmd"
group = { arm = "visit" }
"#;

/// r of serum 5-HT with femoral-neck BMD, the CV of serum 5-HT and the SD of BMD (g/cm²).
fn serotonin_bone_correlation(source: &str) -> (f64, f64, f64) {
    let text = SEROTONIN_SOURCES.replace("SOURCE", source);
    let study = boneaxis::scenario::load_str(&text, "sources.toml").expect("loads");
    let r = boneaxis::population::run_analyses(&study).expect("runs");
    let a = &r[0];
    (a.estimate, a.exposed.sd / a.exposed.mean, a.unexposed.sd)
}

#[test]
fn gut_tph1_activity_varied_as_a_gene_reaches_bone_where_a_set_point_parameter_does_not() {
    // A gene product's activity acts against the wild-type reference, as a knockout does:
    // more gut Tph1, more serum 5-HT, less formation through osteoblast 5-HT1B (Yadav 2008).
    let (r, cv, bmd_sd) = serotonin_bone_correlation("gene = \"tph1_gut\"");
    assert!(cv > 0.1, "serum 5-HT should vary: CV {cv}");
    assert!(bmd_sd > 1e-4, "BMD should vary: SD {bmd_sd}");
    assert!(r < -0.9, "gene: r = {r}");
    // A parameter moves the person's own reference with it: serum 5-HT varies as much, and
    // bone not at all.
    let (_, cv, bmd_sd) =
        serotonin_bone_correlation("parameter = \"serotonin.platelet_5ht_baseline\"");
    assert!(cv > 0.1, "serum 5-HT should vary: CV {cv}");
    assert!(bmd_sd < 1e-9, "BMD should not vary: SD {bmd_sd}");
}

#[test]
fn bad_variability_entries_are_located_errors() {
    let bad = |source: &str, says: &str| {
        let text = SEROTONIN_SOURCES.replace("SOURCE", source);
        assert_located_error(&text, "sources.toml", &[says]);
    };
    bad(
        "gene = \"tph3\"",
        "population.variability[0].gene`: unknown gene `tph3`; known: tph1_gut,",
    );
    bad(
        "gene = \"tph1_gut\"\nparameter = \"serotonin.free_plasma_baseline\"",
        "give either `parameter` (a catalog parameter) or `gene` (a gene product)",
    );
    bad("", "give either `parameter`");
    bad(
        "gene = \"sert\"\ncv = 0.2\n[[population.variability]]\ngene = \"sert\"",
        "population.variability[1]`: `genotype.sert` is varied twice",
    );
}
