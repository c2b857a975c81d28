//! The `esgen` binary end to end: exit codes, what is written and what is
//! left alone.

mod common;

use common::{esgen, snapshot, stderr, stdout};
use std::fs;
use std::path::Path;

fn todos_spec(dir: &Path) -> std::path::PathBuf {
    let spec = dir.join("todos.ddd");
    fs::copy(common::root().join("specs/todos.ddd"), &spec).unwrap();
    spec
}

#[test]
fn building_twice_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    todos_spec(tmp.path());
    let first = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let crate_dir = tmp.path().join("todos");
    let before = snapshot(&crate_dir);
    // Every file the crate has, and nothing else but the build's own
    // record of them.
    let source = esgen::read_spec(&tmp.path().join("todos.ddd")).unwrap();
    let (compiled, _) = esgen::compile(&source);
    let generated: Vec<String> = compiled
        .unwrap()
        .files
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let on_disk: Vec<&String> = before.iter().map(|(path, _, _)| path).collect();
    for path in &generated {
        assert!(
            on_disk.contains(&path),
            "{path} is not on disk: {on_disk:?}"
        );
    }
    let others: Vec<&&String> = on_disk
        .iter()
        .filter(|path| !generated.contains(path))
        .collect();
    assert!(
        others.iter().all(|path| path.starts_with(".esgen")),
        "more than the crate's files: {others:?}"
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("created 0, updated 0, unchanged 11, removed 0"),
        "{}",
        stderr(&second)
    );
    assert_eq!(
        snapshot(&crate_dir),
        before,
        "bytes and modification times are unchanged"
    );
}

#[test]
fn user_files_survive_a_changed_spec() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = todos_spec(tmp.path());
    let out = tmp.path().join("crate");
    let out_arg = out.to_str().unwrap();
    assert_eq!(
        esgen(&["build", "todos.ddd", "--out", out_arg], tmp.path())
            .status
            .code(),
        Some(0)
    );

    // The user fills in their files.
    let mine = "// my own code, which must never be lost\n";
    for file in ["src/todos.rs", "src/lib.rs", "Cargo.toml"] {
        let path = out.join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(
            &path,
            format!(
                "{text}{}",
                if file.ends_with(".toml") {
                    "# mine\n"
                } else {
                    mine
                }
            ),
        )
        .unwrap();
    }
    let users: Vec<(String, Vec<u8>)> = ["src/todos.rs", "src/lib.rs", "Cargo.toml"]
        .iter()
        .map(|f| (f.to_string(), fs::read(out.join(f)).unwrap()))
        .collect();

    // The spec gains an action and a model.
    let mut text = fs::read_to_string(&spec).unwrap().replace(
        "\nScenarios:",
        "  - archive [id] accepted as archived [id]\n\nScenarios:",
    );
    text.push_str(
        "\nModel: Notes\nActions:\n  - write [note-id body] accepted as written [note-id body]\n",
    );
    fs::write(&spec, text).unwrap();
    let rebuilt = esgen(&["build", "todos.ddd", "--out", out_arg], tmp.path());
    assert_eq!(rebuilt.status.code(), Some(0), "{}", stderr(&rebuilt));

    for (file, bytes) in users {
        assert_eq!(
            fs::read(out.join(&file)).unwrap(),
            bytes,
            "{file} was changed"
        );
    }
    let generated = fs::read_to_string(out.join("src/generated/todos.rs")).unwrap();
    // In a model with rules, an action without any is proposed as written
    // (its event's fields come from its command), and its event, without
    // effects, is accepted by hand.
    assert!(
        generated.contains("fn archive(&self, command: Archive) -> Result<Archived, Rejection> {")
    );
    assert!(
        out.join("src/notes.rs").exists(),
        "the new model's skeleton is created"
    );
    let said = stderr(&rebuilt);
    assert!(
        !said.contains("fn archive("),
        "the generated method is not asked for: {said}"
    );
    assert!(
        said.contains("fn accept_archived"),
        "names the method to add: {said}"
    );
    assert!(
        said.contains("add `pub mod notes;` to src/lib.rs"),
        "{said}"
    );
}

#[test]
fn a_spec_with_errors_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = todos_spec(tmp.path());
    assert_eq!(
        esgen(&["build", "todos.ddd"], tmp.path()).status.code(),
        Some(0)
    );
    let before = snapshot(&tmp.path().join("todos"));

    let broken = fs::read_to_string(&spec)
        .unwrap()
        .replace("accepted as deleted", "acepted as deleted");
    fs::write(&spec, broken).unwrap();
    let output = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    assert!(said.contains("todos.ddd:33:17"), "located: {said}");
    assert!(said.contains("nothing was written"), "{said}");
    assert_eq!(snapshot(&tmp.path().join("todos")), before);

    let fresh = tempfile::tempdir().unwrap();
    fs::copy(&spec, fresh.path().join("todos.ddd")).unwrap();
    assert_eq!(
        esgen(&["build", "todos.ddd"], fresh.path()).status.code(),
        Some(1)
    );
    assert!(
        !fresh.path().join("todos").exists(),
        "no crate directory for a broken spec"
    );
}

#[test]
fn refuses_a_directory_esgen_did_not_make() {
    let tmp = tempfile::tempdir().unwrap();
    todos_spec(tmp.path());
    let theirs = tmp.path().join("todos");
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("notes.txt"), "precious").unwrap();
    let output = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a crate esgen generated"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot(&theirs).len(), 1);
    assert_eq!(
        fs::read_to_string(theirs.join("notes.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn check_writes_nothing_and_explains() {
    let tmp = tempfile::tempdir().unwrap();
    todos_spec(tmp.path());
    let output = esgen(&["check", "--explain", "todos.ddd"], tmp.path());
    assert_eq!(output.status.code(), Some(0));
    let explained = String::from_utf8_lossy(&output.stdout);
    assert!(
        explained.contains("ids: list of id of Todo  (convention: plural of `id`)"),
        "{explained}"
    );
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "only the spec is there"
    );
}

#[test]
fn usage_and_io_trouble_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(esgen(&[], tmp.path()).status.code(), Some(2));
    assert_eq!(esgen(&["build"], tmp.path()).status.code(), Some(2));
    let missing = esgen(&["check", "nowhere.ddd"], tmp.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read `nowhere.ddd`"),
        "{}",
        stderr(&missing)
    );
    todos_spec(tmp.path());
    let two = esgen(
        &["build", "todos.ddd", "todos.ddd", "--out", "x"],
        tmp.path(),
    );
    assert_eq!(two.status.code(), Some(2));
}

#[test]
fn help_shows_examples() {
    let output = esgen(&["--help"], Path::new("."));
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("esgen build todos.ddd"), "{help}");
    assert!(help.contains("Exit status"), "{help}");
}

#[test]
fn another_spec_cannot_take_over_a_crate() {
    let tmp = tempfile::tempdir().unwrap();
    todos_spec(tmp.path());
    assert_eq!(
        esgen(&["build", "todos.ddd"], tmp.path()).status.code(),
        Some(0)
    );
    let before = snapshot(&tmp.path().join("todos"));
    fs::write(
        tmp.path().join("todos.v2.ddd"),
        "Model: Orders\nActions:\n  - place [order-id] accepted as placed [order-id]\n",
    )
    .unwrap();

    // Its own crate is named after the whole stem, not the part before a dot.
    assert_eq!(
        esgen(&["build", "todos.v2.ddd"], tmp.path()).status.code(),
        Some(0)
    );
    assert!(tmp.path().join("todos-v2/src/generated/orders.rs").exists());

    let output = esgen(&["build", "todos.v2.ddd", "--out", "todos"], tmp.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("was generated from `todos.ddd`, not from `todos.v2.ddd`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot(&tmp.path().join("todos")), before);
}

#[cfg(unix)]
#[test]
fn written_files_have_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().unwrap();
    todos_spec(tmp.path());
    assert_eq!(
        esgen(&["build", "todos.ddd"], tmp.path()).status.code(),
        Some(0)
    );
    for (path, ..) in snapshot(&tmp.path().join("todos")) {
        let mode = fs::metadata(tmp.path().join("todos").join(&path))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "{path}");
    }
}

#[test]
fn a_removed_model_leaves_no_generated_file_and_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("two.ddd");
    let notes =
        "\nModel: Notes\nActions:\n  - write [note-id body] accepted as written [note-id body]\n";
    let todos = fs::read_to_string(common::root().join("specs/todos.ddd")).unwrap();
    fs::write(&spec, format!("{todos}{notes}")).unwrap();
    assert_eq!(
        esgen(&["build", "two.ddd"], tmp.path()).status.code(),
        Some(0)
    );
    let generated = tmp.path().join("two/src/generated/notes.rs");
    assert!(generated.exists());

    fs::write(&spec, &todos).unwrap();
    let output = esgen(&["build", "two.ddd"], tmp.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        !generated.exists(),
        "the removed model's generated file is gone"
    );
    assert!(
        tmp.path().join("two/src/notes.rs").exists(),
        "the user's file is kept"
    );
    let said = stderr(&output);
    assert!(said.contains("removed 1"), "{said}");
    assert!(said.contains("delete `src/notes.rs`"), "{said}");
}

#[test]
fn a_model_file_moved_into_a_directory_is_not_recreated() {
    let tmp = tempfile::tempdir().unwrap();
    todos_spec(tmp.path());
    assert_eq!(
        esgen(&["build", "todos.ddd"], tmp.path()).status.code(),
        Some(0)
    );
    let src = tmp.path().join("todos/src");
    fs::create_dir(src.join("todos")).unwrap();
    fs::rename(src.join("todos.rs"), src.join("todos/mod.rs")).unwrap();
    assert_eq!(
        esgen(&["build", "todos.ddd"], tmp.path()).status.code(),
        Some(0)
    );
    assert!(!src.join("todos.rs").exists());
}

#[test]
fn unreadable_specs_are_trouble_and_bad_encoding_is_a_spec_error() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(esgen(&["check", "."], tmp.path()).status.code(), Some(2));
    assert_eq!(esgen(&["build", "."], tmp.path()).status.code(), Some(2));
    fs::write(tmp.path().join("latin1.ddd"), b"Model: Caf\xe9s\n").unwrap();
    let output = esgen(&["check", "latin1.ddd"], tmp.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("latin1.ddd:1:11"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn json_messages_are_one_object_per_line_on_stdout() {
    let root = common::root();
    let output = esgen(
        &[
            "check",
            "--message-format",
            "json",
            "tests/fixtures/errors/several-syntax-errors.ddd",
        ],
        &root,
    );
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is a JSON object"))
        .collect();
    assert!(lines.len() >= 2, "{lines:?}");
    for diagnostic in &lines {
        assert_eq!(diagnostic["severity"], "error");
        assert!(diagnostic["code"].as_str().unwrap().starts_with('E'));
        assert_eq!(
            diagnostic["file"],
            "tests/fixtures/errors/several-syntax-errors.ddd"
        );
        assert!(diagnostic["span"]["line"].as_u64().unwrap() >= 1);
    }
    assert!(
        !stderr(&output).contains("error["),
        "no human rendering beside the JSON"
    );
}

#[test]
fn explain_prints_a_code_and_suggests_near_misses() {
    let root = common::root();
    let known = esgen(&["explain", "e0108"], &root);
    assert_eq!(known.status.code(), Some(0));
    let text = String::from_utf8(known.stdout).unwrap();
    assert_eq!(
        text,
        fs::read_to_string(root.join("docs/diagnostics/E0108.md")).unwrap()
    );
    let near = esgen(&["explain", "E108"], &root);
    assert_eq!(near.status.code(), Some(2));
    assert!(
        stderr(&near).contains("did you mean `E0108`?"),
        "{}",
        stderr(&near)
    );
}

#[test]
fn deny_warnings_fails_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    fs::copy(
        common::root().join("specs/seed-todos.ddd"),
        tmp.path().join("seed.ddd"),
    )
    .unwrap();
    let checked = esgen(&["check", "seed.ddd"], tmp.path());
    assert_eq!(checked.status.code(), Some(0), "warnings alone pass");
    let denied = esgen(&["check", "--deny-warnings", "seed.ddd"], tmp.path());
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        stderr(&denied).contains("error[W0001]"),
        "{}",
        stderr(&denied)
    );
    let built = esgen(&["build", "seed.ddd", "--deny-warnings"], tmp.path());
    assert_eq!(built.status.code(), Some(1));
    assert!(!tmp.path().join("seed").exists());
}

#[test]
fn a_flood_of_errors_is_capped_and_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = String::from("Model: Flood\nActions:\n");
    for i in 0..80 {
        spec.push_str(&format!("  - act{i} [id] acepted as done{i} [id]\n"));
    }
    fs::write(tmp.path().join("flood.ddd"), spec).unwrap();
    let capped = esgen(&["check", "flood.ddd", "--max-errors", "10"], tmp.path());
    assert_eq!(capped.status.code(), Some(1));
    let said = stderr(&capped);
    assert_eq!(said.matches("error[E").count(), 10, "{said}");
    assert!(said.contains("… and 70 more errors"), "{said}");
    assert!(
        said.contains("flood.ddd: 80 error(s)"),
        "the count is of all errors: {said}"
    );
    let all = esgen(&["check", "flood.ddd", "--max-errors", "0"], tmp.path());
    assert_eq!(stderr(&all).matches("error[E").count(), 80);
}

#[test]
fn a_file_too_large_to_be_a_spec_is_refused_unread() {
    let tmp = tempfile::tempdir().unwrap();
    let huge = fs::File::create(tmp.path().join("huge.ddd")).unwrap();
    huge.set_len(esgen::syntax::MAX_SPEC_BYTES as u64 + 1)
        .unwrap();
    let output = esgen(&["build", "huge.ddd"], tmp.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error[E0006]"),
        "{}",
        stderr(&output)
    );
    assert!(!tmp.path().join("huge").exists());
}

#[test]
fn a_hand_written_model_gaining_rules_is_told_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("notes.ddd");
    let plain = "Model: Notes\nEntity: Note [id body]\nTerms:\n  - body: text\nQueries:\n  - get-note [id]\nActions:\n  - write [id body] accepted as written [id body]\n";
    fs::write(&spec, plain).unwrap();
    let first = esgen(&["build", "notes.ddd"], tmp.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let mine = fs::read(tmp.path().join("notes/src/notes.rs")).unwrap();

    fs::write(&spec, format!("{plain}    adds Note\n")).unwrap();
    let rebuilt = esgen(&["build", "notes.ddd"], tmp.path());
    assert_eq!(rebuilt.status.code(), Some(0), "{}", stderr(&rebuilt));
    let said = stderr(&rebuilt);
    assert!(
        said.contains("give the aggregate in `src/notes.rs` a field `state: NotesState`"),
        "{said}"
    );
    assert!(
        said.contains("`fn get_note` in `src/notes.rs` is now generated"),
        "{said}"
    );
    assert!(
        said.contains("`fn accept_written` in `src/notes.rs` is now generated"),
        "{said}"
    );
    assert!(
        !said.contains("fn as_ref"),
        "the state notice says it once: {said}"
    );
    assert_eq!(
        fs::read(tmp.path().join("notes/src/notes.rs")).unwrap(),
        mine
    );
}

#[test]
fn a_manifest_without_the_runtime_features_or_a_needed_crate_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    fs::copy(
        common::root().join("specs/clinic.ddd"),
        tmp.path().join("clinic.ddd"),
    )
    .unwrap();
    let first = esgen(&["build", "clinic.ddd"], tmp.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let said = stderr(&first);
    assert!(
        !said.contains("`Cargo.toml` lacks"),
        "a new crate lacks nothing: {said}"
    );

    // A manifest as an older esgen wrote it, before the spec used decimals.
    let manifest = tmp.path().join("clinic/Cargo.toml");
    let old: String = fs::read_to_string(&manifest)
        .unwrap()
        .lines()
        .filter(|line| {
            !line.starts_with("serde = [")
                && !["cqrs", "postgres", "rust_decimal"]
                    .iter()
                    .any(|key| line.starts_with(&format!("{key} =")))
        })
        .map(|line| format!("{line}\n"))
        .collect();
    fs::write(&manifest, &old).unwrap();
    let again = esgen(&["build", "clinic.ddd"], tmp.path());
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let said = stderr(&again);
    assert!(
        said.contains("`Cargo.toml` lacks the features `cqrs` and `postgres`"),
        "{said}"
    );
    assert!(said.contains("`Cargo.toml` lacks `rust_decimal`"), "{said}");
    assert!(
        said.contains("`Cargo.toml` lacks the feature `serde`"),
        "{said}"
    );
    assert!(!said.contains("lacks `chrono`"), "{said}");
    assert_eq!(
        fs::read_to_string(&manifest).unwrap(),
        old,
        "the manifest is the user's"
    );
}

#[test]
fn list_prints_every_model_with_its_commands_and_events() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = todos_spec(tmp.path());
    let listed = esgen(&["list", spec.to_str().unwrap()], tmp.path());
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    let text = stdout(&listed);
    assert!(
        text.contains("command delete [id] -> event deleted"),
        "{text}"
    );
    let json = esgen(&["list", "--json", spec.to_str().unwrap()], tmp.path());
    let value: serde_json::Value = serde_json::from_str(stdout(&json).trim()).unwrap();
    assert_eq!(value["models"][0]["name"], "Todos");
    // An event above version 1 is named by its tag, as `esgen doc` names it.
    fs::copy(
        common::root().join("specs/practice.ddd"),
        tmp.path().join("practice.ddd"),
    )
    .unwrap();
    let listed = esgen(&["list", "practice.ddd"], tmp.path());
    let text = stdout(&listed);
    assert!(
        text.contains("  command register [patient-id name phone] -> event registered@2\n"),
        "{text}"
    );
    let json = esgen(&["list", "--json", "practice.ddd"], tmp.path());
    let value: serde_json::Value = serde_json::from_str(stdout(&json).trim()).unwrap();
    assert_eq!(value["models"][0]["commands"][0]["event"], "registered@2");
    assert_eq!(value["models"][0]["events"][0]["name"], "registered@2");
    // A spec with errors lists nothing and says why.
    fs::write(&spec, "Model: Todos\nActions:\n  - make [id] accepted\n").unwrap();
    let broken = esgen(&["list", spec.to_str().unwrap()], tmp.path());
    assert_eq!(broken.status.code(), Some(1));
    assert!(stdout(&broken).is_empty());
    assert!(
        stderr(&broken).contains("error[E0001]"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn stored_events_are_locked_and_a_breaking_change_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = todos_spec(tmp.path());
    let first = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let lock = tmp.path().join("todos.lock");
    let locked = fs::read_to_string(&lock).expect("the build writes the lock");
    assert!(locked.contains("\"tag\": \"created\""), "{locked}");
    let crate_dir = tmp.path().join("todos");
    let before = snapshot(&crate_dir);

    // A field added to `created` in place would change what is stored.
    let v1 = fs::read_to_string(&spec).unwrap();
    let edited = v1
        .replace(
            "accepted as created [id text completed?]",
            "accepted as created [id text completed? priority]",
        )
        .replace("Terms:\n", "Terms:\n  - priority: integer, default 3\n");
    assert_ne!(edited, v1);
    fs::write(&spec, &edited).unwrap();
    let refused = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("error[E0302]"),
        "{}",
        stderr(&refused)
    );
    assert!(
        stderr(&refused).contains("created@2"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(snapshot(&crate_dir), before, "nothing was written");
    assert_eq!(
        fs::read_to_string(&lock).unwrap(),
        locked,
        "the lock is kept"
    );

    // As a new version it is accepted, and stored `created` events are
    // read as `created@2`, the new field taking its default.
    fs::write(
        &spec,
        edited.replace("accepted as created [", "accepted as created@2 ["),
    )
    .unwrap();
    let built = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let relocked = fs::read_to_string(&lock).unwrap();
    assert!(relocked.contains("\"tag\": \"created@2\""), "{relocked}");
    assert!(
        relocked.contains("\"tag\": \"created\""),
        "the old version stays"
    );
    let model = fs::read_to_string(crate_dir.join("src/generated/todos.rs")).unwrap();
    assert!(model.contains("pub struct CreatedV1"), "{model}");
    assert!(model.contains("priority: 3,"), "{model}");
    let tests = fs::read_to_string(crate_dir.join("tests/evolution.rs")).unwrap();
    assert!(
        tests.contains("fn created_is_read_as_created_2()"),
        "{tests}"
    );
    assert_eq!(
        esgen(&["build", "--check", "todos.ddd"], tmp.path())
            .status
            .code(),
        Some(0)
    );

    // Checked against the first lock, for review: accepted too.
    let old = tmp.path().join("v1.lock");
    fs::write(&old, &locked).unwrap();
    let against = esgen(&["check", "todos.ddd", "--against", "v1.lock"], tmp.path());
    assert_eq!(against.status.code(), Some(0), "{}", stderr(&against));
    // The first spec against today's lock: `created@2` would be lost.
    fs::write(tmp.path().join("old.ddd"), &v1).unwrap();
    let back = esgen(&["check", "old.ddd", "--against", "todos.lock"], tmp.path());
    assert_eq!(back.status.code(), Some(1));
    assert!(stderr(&back).contains("error[E0307]"), "{}", stderr(&back));

    // A lock left behind by the spec fails `build --check`.
    fs::write(&lock, &locked).unwrap();
    let stale = esgen(&["build", "--check", "todos.ddd"], tmp.path());
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stderr(&stale).contains("todos.lock is not up to date"),
        "{}",
        stderr(&stale)
    );
}

#[test]
fn fmt_lays_out_a_spec_and_check_shows_the_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("messy.ddd");
    let messy = "# A list.\nModel:  Todos\nTerms:\n* text: text # what to do\n\t- done?:  boolean, default no\n\n\n\nQueries:\n  •   has-todo? [id]\n";
    fs::write(&spec, messy).unwrap();
    let check = esgen(&["fmt", "--check", "messy.ddd"], tmp.path());
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("+  - has-todo? [id]"),
        "{}",
        stdout(&check)
    );
    assert_eq!(
        fs::read_to_string(&spec).unwrap(),
        messy,
        "--check writes nothing"
    );

    let fmt = esgen(&["fmt", "messy.ddd"], tmp.path());
    assert_eq!(fmt.status.code(), Some(0), "{}", stderr(&fmt));
    assert_eq!(
        fs::read_to_string(&spec).unwrap(),
        "# A list.\nModel: Todos\nTerms:\n  - text: text  # what to do\n  - done?: boolean, default no\n\nQueries:\n  - has-todo? [id]\n"
    );
    let again = esgen(&["fmt", "--check", "messy.ddd"], tmp.path());
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));

    // A spec that does not parse is left as it is.
    let broken = "Model: Todos\nQueries:\n  - has-todo? [id\n";
    fs::write(&spec, broken).unwrap();
    let refused = esgen(&["fmt", "messy.ddd"], tmp.path());
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("error[E0001]"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(fs::read_to_string(&spec).unwrap(), broken);
}

#[test]
fn every_spec_and_rules_fixture_is_in_the_layout_and_keeps_its_meaning() {
    let mut paths = common::specs();
    paths.extend(
        fs::read_dir(common::root().join("tests/fixtures/rules"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ddd")),
    );
    for path in paths {
        let source = esgen::read_spec(&path).unwrap();
        let formatted =
            esgen::format_spec(&source).unwrap_or_else(|e| panic!("{}: {:?}", path.display(), e));
        let again = esgen::source::Source::new(source.name.clone(), formatted.clone());
        assert_eq!(
            esgen::format_spec(&again).unwrap(),
            formatted,
            "{}",
            path.display()
        );
        if path.starts_with(common::root().join("specs")) || path.starts_with("specs") {
            assert_eq!(
                formatted,
                source.text,
                "{} is not formatted",
                path.display()
            );
        }
    }
}

#[test]
fn a_renamed_spec_takes_its_crate_back_once_the_manifest_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    todos_spec(tmp.path());
    let built = esgen(&["build", "todos.ddd", "--out", "app"], tmp.path());
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert_eq!(
        fs::read_to_string(tmp.path().join("app/.gitignore")).unwrap(),
        "/target\n"
    );
    fs::rename(tmp.path().join("todos.ddd"), tmp.path().join("tasks.ddd")).unwrap();
    fs::rename(tmp.path().join("todos.lock"), tmp.path().join("tasks.lock")).unwrap();
    let refused = esgen(&["build", "tasks.ddd", "--out", "app"], tmp.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("spec = \"tasks.ddd\"` under `[package.metadata.esgen]`"),
        "{}",
        stderr(&refused)
    );
    let manifest = tmp.path().join("app/Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replace("spec = \"todos.ddd\"", "spec = \"tasks.ddd\""),
    )
    .unwrap();
    let taken = esgen(&["build", "tasks.ddd", "--out", "app"], tmp.path());
    assert_eq!(taken.status.code(), Some(0), "{}", stderr(&taken));
    let index = fs::read_to_string(tmp.path().join("app/src/generated/mod.rs")).unwrap();
    assert!(
        index.starts_with("// @generated by esgen from `tasks.ddd`"),
        "{index}"
    );

    // Run from inside that crate without `--out`: refused, not nested.
    let inside = esgen(&["build", "../tasks.ddd"], &tmp.path().join("app"));
    assert_eq!(inside.status.code(), Some(2));
    assert!(stderr(&inside).contains("`--out .`"), "{}", stderr(&inside));
    assert!(!tmp.path().join("app/tasks").exists());
}

#[test]
fn a_new_crate_inside_a_workspace_that_does_not_list_it_is_pointed_out() {
    let tmp = tempfile::tempdir().unwrap();
    todos_spec(tmp.path());
    fs::write(
        tmp.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"apps/*\"]\n",
    )
    .unwrap();
    let built = esgen(&["build", "todos.ddd", "--out", "crates/todos"], tmp.path());
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(
        stderr(&built).contains("add \"crates/todos\" to its `members`"),
        "{}",
        stderr(&built)
    );
    let listed = esgen(&["build", "todos.ddd", "--out", "apps/todos"], tmp.path());
    assert!(
        !stderr(&listed).contains("cargo workspace"),
        "{}",
        stderr(&listed)
    );
}

#[test]
fn a_renamed_field_is_named_in_your_tests_too() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = todos_spec(tmp.path());
    assert_eq!(
        esgen(&["build", "todos.ddd", "--out", "app"], tmp.path())
            .status
            .code(),
        Some(0)
    );
    fs::create_dir_all(tmp.path().join("app/tests")).unwrap();
    fs::write(
        tmp.path().join("app/tests/mine.rs"),
        "use todos::todos::*;\n\n#[test]\nfn mine() {\n    let c = ChangeText { id: TodoId::from(\"a\"), new_text: String::new() };\n    let _ = c.new_text;\n}\n",
    )
    .unwrap();
    // Nothing stored yet: the lock goes with the old field.
    fs::remove_file(tmp.path().join("todos.lock")).unwrap();
    let text = fs::read_to_string(&spec)
        .unwrap()
        .replace("new-text", "wording");
    fs::write(&spec, text).unwrap();
    let rebuilt = esgen(&["build", "todos.ddd", "--out", "app"], tmp.path());
    assert_eq!(rebuilt.status.code(), Some(0), "{}", stderr(&rebuilt));
    assert!(
        stderr(&rebuilt)
            .contains("`tests/mine.rs` refers to `new_text`, which the spec no longer has"),
        "{}",
        stderr(&rebuilt)
    );
}

#[test]
fn check_runs_the_scenarios_and_a_wrong_one_fails_without_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = todos_spec(tmp.path());
    let ok = esgen(&["check", "todos.ddd"], tmp.path());
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(
        stderr(&ok).contains("todos.ddd: 0 error(s), 0 warning(s); 11 scenarios hold"),
        "{}",
        stderr(&ok)
    );
    let text = fs::read_to_string(&spec).unwrap();
    let wrong = text.replace(
        "    and all-todos is [t1]\n    and open-count is 1",
        "    and all-todos is [t1, t2]\n    and open-count is 1",
    );
    assert_ne!(wrong, text);
    fs::write(&spec, &wrong).unwrap();
    let line = wrong
        .lines()
        .position(|l| l == "    and all-todos is [t1, t2]")
        .unwrap()
        + 1;
    let failed = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    let said = stderr(&failed);
    for expected in [
        "error[E0138]: the scenario `clearing takes off only what is done` does not hold"
            .to_string(),
        format!("todos.ddd:{line}:5"),
        "expected: all-todos is [t1, t2]".to_string(),
        "happened: all-todos is [t1]".to_string(),
        "nothing was written".to_string(),
    ] {
        assert!(said.contains(&expected), "no {expected:?} in:\n{said}");
    }
    assert!(!tmp.path().join("todos").exists());
}

#[test]
fn try_answers_steps_and_points_at_mistakes() {
    let tmp = tempfile::tempdir().unwrap();
    todos_spec(tmp.path());
    fs::write(
        tmp.path().join("steps.txt"),
        "when create-new [id: t1, text: \"buy milk\"]\n\
         when create-new [id: t1, text: \"again\"]\n\
         when change-completed [id: t1, completed?: yes]\n\
         has-todo? [t1]\n\
         and open-count is 0\n",
    )
    .unwrap();
    let ran = esgen(&["try", "todos.ddd", "steps.txt"], tmp.path());
    assert_eq!(ran.status.code(), Some(0), "{}", stderr(&ran));
    assert_eq!(
        stdout(&ran),
        "accepted as created [id: t1, text: \"buy milk\", completed?: no]\n\
         \x20 all-todos is [t1]\n\
         \x20 done-todos is []\n\
         \x20 open-count is 1\n\
         rejected by create-new/if-has-todo as conflict: \"there is already a todo `t1`\"\n\
         accepted as completed-changed [id: t1, completed?: yes]\n\
         \x20 all-todos is [t1]\n\
         \x20 done-todos is [t1]\n\
         \x20 open-count is 0\n\
         has-todo? [t1] is yes\n\
         open-count is 0: yes\n"
    );
    // A mistake and an answer that differs: said, and the exit status is 1.
    fs::write(
        tmp.path().join("wrong.txt"),
        "when create-nw [id: t1, text: \"x\"]\nand open-count is 2\n",
    )
    .unwrap();
    let wrong = esgen(&["try", "todos.ddd", "wrong.txt"], tmp.path());
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("error[E0132]: `Todos` has no action `create-nw`"));
    assert!(stderr(&wrong).contains("did you mean `create-new`?"));
    assert_eq!(
        stdout(&wrong),
        "expected: open-count is 2\nhappened: open-count is 0\n"
    );
}

#[test]
fn a_spec_that_gains_policies_names_what_its_kept_files_lack() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = "Model: Orders\nEntity: Order [order-id total]\nTerms:\n  - total: integer\nQueries:\n  - has-order? [order-id]\nActions:\n  - place [order-id total] accepted as placed [order-id total]\n    rejected if has-order? [order-id]: \"placed already\"\n    adds Order\n";
    fs::write(tmp.path().join("orders.ddd"), spec).unwrap();
    let first = esgen(&["build", "orders.ddd"], tmp.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let manifest = fs::read_to_string(tmp.path().join("orders/Cargo.toml")).unwrap();
    assert!(
        !manifest.contains("dep:tokio\", \"dep:futures-util\"]\n# Or"),
        "{manifest}"
    );
    let lib = fs::read_to_string(tmp.path().join("orders/src/lib.rs")).unwrap();

    let with_policies =
        format!("{spec}Policies:\n  - when placed then notify by thank-the-customer\n");
    fs::write(tmp.path().join("orders.ddd"), with_policies).unwrap();
    let again = esgen(&["build", "orders.ddd"], tmp.path());
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let said = stderr(&again);
    assert!(
        said.contains(
            "`Cargo.toml`'s features `postgres` and `sqlite` lack what the policies' runner needs"
        ),
        "{said}"
    );
    assert!(said.contains("new file `src/notifications.rs`"), "{said}");
    assert!(
        said.contains("add `pub mod notifications;` to src/lib.rs"),
        "{said}"
    );
    // The user's files are left as they were; the new stub is written.
    assert_eq!(
        fs::read_to_string(tmp.path().join("orders/Cargo.toml")).unwrap(),
        manifest
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("orders/src/lib.rs")).unwrap(),
        lib
    );
    let stub = fs::read_to_string(tmp.path().join("orders/src/notifications.rs")).unwrap();
    assert!(stub.contains("async fn thank_the_customer("), "{stub}");
}
