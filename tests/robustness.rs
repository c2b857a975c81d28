//! No input makes esgen panic: mutated specs, spec-like token soup and raw
//! bytes all end in generated files or in at least one error, and every
//! diagnostic renders.

mod common;

use esgen::source::Source;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "Model:", "Entity:", "Terms:", "Queries:", "Actions:", "Querys:", "•", "-", "*", " ", "\t",
    "\n", "\r\n", "[", "]", ",", ":", "#", "?", "accepted", "as", "returns", "list", "of",
    "optional", "id", "text", "integer", "number", "boolean", "self", "type", "Self", "crate",
    "todo", "todos", "todo-id", "ids", "new-text", "get-todo", "é", "\u{202e}", "\u{0}", "{{",
    "}}", "*/", "Todo", "Option", "default", "x",
];

fn assert_sound(text: String, case: &str) {
    let source = Source::new("fuzz.ddd", text);
    let (compiled, diagnostics) = esgen::compile(&source);
    let rendered = esgen::diagnostics::render(&source, &diagnostics);
    if compiled.is_none() {
        assert!(
            diagnostics.iter().any(|d| d.is_error()),
            "{case}: no files and no error for:\n{}\n{rendered}",
            source.text
        );
    }
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..=rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(6) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let line = &mut lines[i];
                let mut at = rng.below(line.len() + 1);
                while !line.is_char_boundary(at) {
                    at -= 1;
                }
                line.insert_str(at, token);
            }
            4 => {
                let line = &mut lines[i];
                let cut = line
                    .char_indices()
                    .map(|(k, _)| k)
                    .nth(rng.below(line.chars().count() + 1));
                line.truncate(cut.unwrap_or(line.len()));
            }
            _ => lines[i] = lines[i].replace(['[', ']'][rng.below(2)], ""),
        }
    }
    lines.join(["\n", "\r\n"][rng.below(2)])
}

#[test]
fn mutated_specs_never_panic() {
    let specs: Vec<String> = common::specs()
        .iter()
        .map(|p| esgen::read_spec(p).unwrap().text)
        .collect();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for case in 0..3000 {
        let spec = &specs[case % specs.len()];
        assert_sound(mutate(&mut rng, spec), &format!("mutation {case}"));
    }
}

#[test]
fn token_soup_never_panics() {
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    for case in 0..2000 {
        let text: String = (0..rng.below(80))
            .map(|_| TOKENS[rng.below(TOKENS.len())])
            .collect();
        assert_sound(text, &format!("soup {case}"));
    }
}

#[test]
fn raw_bytes_never_panic() {
    let mut rng = Rng(0xb17e_5b17_e5b1_7e5b);
    let dir = tempfile::tempdir().unwrap();
    for case in 0..300 {
        let bytes: Vec<u8> = (0..rng.below(200)).map(|_| rng.next() as u8).collect();
        let path = dir.path().join("bytes.ddd");
        std::fs::write(&path, &bytes).unwrap();
        match esgen::read_spec(&path) {
            Ok(source) => assert_sound(source.text, &format!("bytes {case}")),
            Err(failure) => {
                let (source, diagnostic) = *failure;
                assert!(diagnostic.is_error());
                esgen::diagnostics::render(&source, &[diagnostic]);
            }
        }
    }
}

#[test]
fn pathological_input_is_diagnosed() {
    for text in [
        format!(
            "Model: D\nTerms:\n  - x: {}text\n",
            "list of ".repeat(100_000)
        ),
        "[".repeat(100_000),
        "Model: A\nActions:\n- a [".to_string() + &"b ".repeat(50_000),
        "#".repeat(200_000),
    ] {
        let source = Source::new("big.ddd", text);
        let (compiled, diagnostics) = esgen::compile(&source);
        assert!(compiled.is_none());
        assert!(diagnostics.iter().any(|d| d.is_error()));
    }
}
