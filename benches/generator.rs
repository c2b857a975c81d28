//! Benchmarks of the generator on synthetic specs (`support/synth.rs`) of
//! 10, 100 and 1,000 models with 10 actions each: each stage on its own
//! (parse, check, generate into memory) and end to end (`esgen::compile`).
//! Throughput is in actions (models × actions per model).
//!
//! ```sh
//! cargo bench --bench generator
//! ```

#[path = "support/synth.rs"]
mod synth;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use esgen::source::Source;
use std::hint::black_box;
use std::time::Duration;

/// Actions per model.
const ACTIONS: usize = 10;
/// Models per spec.
const SIZES: [usize; 3] = [10, 100, 1_000];

fn sources() -> Vec<(usize, Source)> {
    SIZES
        .iter()
        .map(|&models| {
            let text = synth::spec(models, ACTIONS);
            (models, Source::new(format!("synth-{models}.ddd"), text))
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let sources = sources();
    let mut group = c.benchmark_group("generator");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500));
    for (models, source) in &sources {
        let actions = (models * ACTIONS) as u64;
        group.throughput(Throughput::Elements(actions));
        // Ten samples of the biggest spec take a few seconds.
        group.measurement_time(Duration::from_secs(if *models >= 1_000 { 8 } else { 3 }));
        let (spec, diagnostics) = esgen::check(source);
        assert!(
            !esgen::diagnostics::has_errors(&diagnostics),
            "the synthetic spec of {models} models has errors"
        );
        let spec = spec.expect("a spec without errors has a model");

        group.bench_with_input(BenchmarkId::new("parse", models), source, |b, source| {
            b.iter(|| esgen::syntax::parse(black_box(source)));
        });
        group.bench_with_input(BenchmarkId::new("check", models), source, |b, source| {
            b.iter(|| esgen::check(black_box(source)));
        });
        group.bench_with_input(BenchmarkId::new("generate", models), &spec, |b, spec| {
            b.iter(|| esgen::codegen::generate(black_box(spec)));
        });
        group.bench_with_input(BenchmarkId::new("compile", models), source, |b, source| {
            b.iter(|| esgen::compile(black_box(source)));
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
