//! The synthetic specs the generator benchmarks use
//! (`benches/support/synth.rs`) are valid: 10, 100 and 1,000 models of 10
//! actions each check without errors or warnings, and the same sizes give
//! the same text every time.

#[path = "../../support/synth.rs"]
mod synth;

use esgen::source::Source;

fn check_clean(models: usize, actions: usize) {
    let text = synth::spec(models, actions);
    let source = Source::new(format!("synth-{models}.ddd"), text);
    let (spec, diagnostics) = esgen::check(&source);
    let rendered = esgen::diagnostics::render(&source, &diagnostics);
    assert!(diagnostics.is_empty(), "{rendered}");
    let spec = spec.expect("a spec without errors has a model");
    assert_eq!(spec.models.len(), models);
    for model in &spec.models {
        assert_eq!(model.commands.len(), actions, "model {}", model.name);
    }
    // Models share identity types: fewer identities than entities.
    let entities: usize = spec.models.iter().map(|m| m.entities.len()).sum();
    assert!(spec.identities.len() < entities || models < 3);
}

#[test]
fn ten_models_check_clean() {
    check_clean(10, 10);
}

#[test]
fn a_hundred_models_check_clean() {
    check_clean(100, 10);
}

#[test]
fn a_thousand_models_check_clean() {
    check_clean(1_000, 10);
}

#[test]
fn more_actions_than_words_still_check_clean() {
    check_clean(3, 80);
}

#[test]
fn specs_are_deterministic() {
    assert_eq!(synth::spec(50, 10), synth::spec(50, 10));
    assert_ne!(synth::spec(50, 10), synth::spec(50, 11));
}
