//! How long pathological inputs take through `esgen::compile` (parse,
//! check, generate): each must end in a diagnostic, quickly.
//!
//! `cargo bench --bench pathological`

use criterion::{criterion_group, criterion_main, Criterion};
use esgen::source::Source;
use std::hint::black_box;
use std::time::Duration;

const MIB: usize = 1 << 20;

/// The inputs, one mebibyte each.
fn inputs() -> Vec<(&'static str, String)> {
    let mut endless = "Model: Endless\nQueries:\n  - q [".to_string();
    while endless.len() < MIB {
        endless.push_str("name ");
    }
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let random: Vec<u8> = (0..MIB)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let nested = format!(
        "Model: Nested\nActions:\n  - a {}{} accepted as b []\n",
        "[".repeat(MIB / 2),
        "]".repeat(MIB / 2)
    );
    vec![
        ("open brackets", "[".repeat(MIB)),
        ("endless line", endless),
        (
            "random bytes",
            String::from_utf8_lossy(&random).into_owned(),
        ),
        ("nested brackets", nested),
    ]
}

fn pathological(c: &mut Criterion) {
    let mut group = c.benchmark_group("pathological 1 MiB");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for (name, text) in inputs() {
        let source = Source::new("big.ddd", text);
        group.bench_function(name, |b| {
            b.iter(|| {
                let (compiled, diagnostics) = esgen::compile(black_box(&source));
                assert!(compiled.is_none() && esgen::diagnostics::has_errors(&diagnostics));
                diagnostics.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, pathological);
criterion_main!(benches);
