//! Criterion benchmarks of the runs `boneaxis bench` times once: ten years of daily sertraline
//! (exact and averaged dosing) and the chronic-mild-stress experiment. Run with
//! `cargo bench -p boneaxis`; the ratio exact/averaged is the number to compare.

use boneaxis::protocol::Dosing;
use boneaxis::simulate::run_study;
use criterion::{criterion_group, criterion_main, Criterion};

const TEN_YEARS: &str = include_str!("../../../scenarios/human_sertraline_10y.toml");
const CMS: &str = include_str!("../../../scenarios/cms_mouse.toml");

fn ten_years(c: &mut Criterion) {
    let exact = boneaxis::scenario::load_str(TEN_YEARS, "ten_years").unwrap();
    let mut averaged = exact.clone();
    averaged.dosing = Dosing::Averaged;
    let mut group = c.benchmark_group("sertraline_10y_two_arms");
    group.sample_size(10);
    group.bench_function("exact_dosing", |b| {
        b.iter(|| run_study(&exact, |_, _| {}).unwrap())
    });
    group.bench_function("averaged_dosing", |b| {
        b.iter(|| run_study(&averaged, |_, _| {}).unwrap())
    });
    group.finish();
}

fn cms(c: &mut Criterion) {
    let study = boneaxis::scenario::load_str(CMS, "cms").unwrap();
    c.bench_function("cms_mouse_six_arms", |b| {
        b.iter(|| run_study(&study, |_, _| {}).unwrap())
    });
}

criterion_group!(benches, ten_years, cms);
criterion_main!(benches);
