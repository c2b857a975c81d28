//! Regeneration a team can trust, proven on the real binary: hand edits to
//! generated files are refused, stale files go, `--check` and `--dry-run`
//! write nothing, a killed build leaves every file old or new, and
//! concurrent builds do not interleave.

mod common;

use common::{esgen, snapshot, stderr, stdout};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A temporary directory holding `todos.ddd`, and the crate built from it
/// into `todos/`.
fn built_todos() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    fs::copy(
        common::root().join("specs/todos.ddd"),
        tmp.path().join("todos.ddd"),
    )
    .unwrap();
    let first = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let dir = tmp.path().join("todos");
    (tmp, dir)
}

fn edit_spec(tmp: &Path, edit: impl FnOnce(String) -> String) {
    let spec = tmp.join("todos.ddd");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, edit(text)).unwrap();
}

#[test]
fn a_hand_edited_generated_file_is_refused_and_force_discards_only_it() {
    let (tmp, dir) = built_todos();
    let generated = dir.join("src/generated/todos.rs");
    let edited = fs::read_to_string(&generated)
        .unwrap()
        .replace("pub struct Todo {", "pub struct Todo {\n    pub mine: u8,");
    fs::write(&generated, &edited).unwrap();
    fs::write(dir.join("src/todos.rs"), "// my rules\n").unwrap();
    let before = snapshot(&dir);

    let refused = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let said = stderr(&refused);
    assert!(said.contains("error[E0203]"), "{said}");
    assert!(
        said.contains("src/generated/todos.rs"),
        "names the file: {said}"
    );
    assert!(said.contains("--force"), "says how to proceed: {said}");
    assert_eq!(snapshot(&dir), before, "nothing was written");

    let forced = esgen(&["build", "--force", "todos.ddd"], tmp.path());
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    let now = fs::read_to_string(&generated).unwrap();
    assert!(!now.contains("pub mine: u8"), "the hand edit is discarded");
    assert_eq!(
        fs::read_to_string(dir.join("src/todos.rs")).unwrap(),
        "// my rules\n",
        "--force never touches user files"
    );
    let again = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
}

#[test]
fn a_hand_edited_file_of_a_removed_model_is_not_deleted_unforced() {
    let (tmp, dir) = built_todos();
    edit_spec(tmp.path(), |text| {
        format!("{text}\nModel: Notes\nActions:\n  - write [note-id body] accepted as written [note-id body]\n")
    });
    assert_eq!(
        esgen(&["build", "todos.ddd"], tmp.path()).status.code(),
        Some(0)
    );
    let notes = dir.join("src/generated/notes.rs");
    let edited = format!(
        "{}// my precious line\n",
        fs::read_to_string(&notes).unwrap()
    );
    fs::write(&notes, &edited).unwrap();
    edit_spec(tmp.path(), |text| {
        text.split("\nModel: Notes").next().unwrap().to_string()
    });
    let refused = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("esgen would delete it"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(fs::read_to_string(&notes).unwrap(), edited);
    let forced = esgen(&["build", "--force", "todos.ddd"], tmp.path());
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(!notes.exists());
}

#[test]
fn removed_action_and_model_lose_their_generated_code_and_the_user_files_are_named() {
    let (tmp, dir) = built_todos();
    edit_spec(tmp.path(), |text| {
        format!("{text}\nModel: Notes\nActions:\n  - write [note-id body] accepted as written [note-id body]\n")
    });
    let grown = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(grown.status.code(), Some(0), "{}", stderr(&grown));
    let notes_generated = dir.join("src/generated/notes.rs");
    assert!(notes_generated.exists());
    // The user's files, written by them.
    fs::write(
        dir.join("src/todos.rs"),
        "impl TodosPropose for Todos {\n    fn delete(&self, command: Delete) -> Result<Deleted, Rejection> { todo!() }\n}\n",
    )
    .unwrap();
    fs::write(dir.join("src/notes.rs"), "// my notes\n").unwrap();
    let users = ["Cargo.toml", "src/lib.rs", "src/todos.rs", "src/notes.rs"]
        .map(|f| (f, fs::read(dir.join(f)).unwrap()));

    edit_spec(tmp.path(), |text| {
        // The model goes, and the action with its scenarios.
        let text = text.split("\nModel: Notes").next().unwrap().to_string();
        let text = text.split("\nScenarios:").next().unwrap().to_string();
        let kept: String = text
            .lines()
            .filter(|line| !line.contains("delete [id]") && !line.contains("Takes a todo off"))
            .map(|line| format!("{line}\n"))
            .collect();
        // Stored `deleted` events are skipped from now on.
        format!("{kept}\nEvolution:\n  - retired deleted\n")
    });
    let shrunk = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(shrunk.status.code(), Some(0), "{}", stderr(&shrunk));
    let said = stderr(&shrunk);
    assert!(
        said.contains("warning[W0006]"),
        "the model's stored events: {said}"
    );
    assert!(
        !notes_generated.exists(),
        "the removed model's file is gone"
    );
    let generated = fs::read_to_string(dir.join("src/generated/todos.rs")).unwrap();
    assert!(
        !generated.contains("pub struct Delete "),
        "the removed action's code is gone"
    );
    for (file, bytes) in users {
        assert_eq!(
            fs::read(dir.join(file)).unwrap(),
            bytes,
            "{file} is kept as it was"
        );
    }
    // The model's module, and the scenarios' test file.
    assert!(said.contains("removed 2"), "{said}");
    assert!(!dir.join("tests/scenarios.rs").exists());
    assert!(
        said.contains("look at: `src/todos.rs` refers to `Delete`, `Deleted`, `delete`"),
        "names the user file referring to the removed action: {said}"
    );
    assert!(said.contains("delete `src/notes.rs`"), "{said}");
}

#[test]
fn check_writes_nothing_and_fails_with_a_diff_when_stale() {
    let (tmp, dir) = built_todos();
    let before = snapshot(&dir);
    let fresh = esgen(&["build", "--check", "todos.ddd"], tmp.path());
    assert_eq!(fresh.status.code(), Some(0), "{}", stderr(&fresh));
    assert!(stderr(&fresh).contains("is up to date with todos.ddd"));
    assert!(stdout(&fresh).is_empty());

    edit_spec(tmp.path(), |text| {
        text.replace("# Rewords a todo.", "# Rewords a todo, keeping its place.")
    });
    let stale = esgen(&["build", "--check", "todos.ddd"], tmp.path());
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    let diff = stdout(&stale);
    assert!(
        diff.contains("--- a/src/generated/todos.rs\n+++ b/src/generated/todos.rs\n"),
        "{diff}"
    );
    assert!(diff.contains("\n-/// Rewords a todo.\n"), "{diff}");
    assert!(
        diff.contains("\n+/// Rewords a todo, keeping its place.\n"),
        "{diff}"
    );
    assert!(
        // The action's docs are in its module, the OpenAPI document and the
        // console.
        stderr(&stale).contains("3 file(s) differ, 0 missing, 0 to remove"),
        "{}",
        stderr(&stale)
    );
    assert_eq!(snapshot(&dir), before, "--check writes nothing");

    fs::remove_file(dir.join("src/generated/mod.rs")).unwrap();
    let missing = esgen(&["build", "--check", "todos.ddd"], tmp.path());
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stdout(&missing).contains("src/generated/mod.rs: missing"),
        "{}",
        stdout(&missing)
    );

    let nowhere = esgen(
        &["build", "--check", "todos.ddd", "--out", "absent"],
        tmp.path(),
    );
    assert_eq!(nowhere.status.code(), Some(1));
    assert!(!tmp.path().join("absent").exists());
}

#[test]
fn dry_run_lists_every_change_and_writes_nothing() {
    let (tmp, dir) = built_todos();
    edit_spec(tmp.path(), |text| {
        format!("{text}\nModel: Notes\nActions:\n  - write [note-id body] accepted as written [note-id body]\n")
    });
    let before = snapshot(&dir);
    let dry = esgen(&["build", "--dry-run", "todos.ddd"], tmp.path());
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    let listed = stdout(&dry);
    for line in [
        "would update    src/generated/mod.rs\n",
        "would create    src/generated/notes.rs\n",
        "would create    src/notes.rs (yours)\n",
        "would keep      src/todos.rs (yours)\n",
    ] {
        assert!(listed.contains(line), "{line:?} in\n{listed}");
    }
    assert!(stderr(&dry).contains("nothing was written"));
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn verbose_builds_list_every_file() {
    let (tmp, _dir) = built_todos();
    let quiet = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(stderr(&quiet).lines().count(), 1, "{}", stderr(&quiet));
    let verbose = esgen(&["build", "-v", "todos.ddd"], tmp.path());
    let said = stderr(&verbose);
    assert!(
        said.contains("  unchanged src/generated/todos.rs\n"),
        "{said}"
    );
    assert!(said.contains("  kept      src/lib.rs\n"), "{said}");
}

#[test]
fn spec_names_cannot_reach_outside_the_crate() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, name) in ["../evil", "/etc/evil", "..", "a/../../b", "evil\\..\\x"]
        .iter()
        .enumerate()
    {
        let spec = tmp.path().join(format!("s{i}.ddd"));
        fs::write(
            &spec,
            format!("Model: {name}\nActions:\n  - go [id] accepted as gone [id]\n"),
        )
        .unwrap();
        let output = esgen(
            &["build", &format!("s{i}.ddd"), "--out", "out/crate"],
            tmp.path(),
        );
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        assert!(stderr(&output).contains("nothing was written"));
    }
    let entries: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        entries
            .iter()
            .all(|e| e.to_string_lossy().ends_with(".ddd")),
        "{entries:?}"
    );
}

/// A spec of `models` models, each with an entity, terms, queries and
/// actions; `version` changes every model's documentation, so that every
/// generated file differs between versions.
fn big_spec(models: usize, version: usize) -> String {
    let mut spec = String::new();
    for m in 0..models {
        spec.push_str(&format!(
            "# Ledger number {m}, revision {version}.\nModel: Ledger{m}\n\n\
             Entity: Entry [id amount memo settled?]\n\n\
             Terms:\n  - id: id of Entry\n  - amount: number\n  - memo: text\n  - settled?: boolean\n\n\
             Queries:\n  - get-entry [id]\n  - all-entries\n\n\
             Actions:\n"
        ));
        for a in 0..6 {
            spec.push_str(&format!(
                "  # Step {a} of revision {version}.\n  - step{a} [id amount] accepted as stepped{a} [id amount memo]\n"
            ));
        }
        spec.push('\n');
    }
    spec
}

/// Every file under `dir` (relative path → bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(dir)
        .into_iter()
        .map(|(path, bytes, _)| (path, bytes))
        .collect()
}

#[test]
fn a_build_killed_at_random_moments_leaves_every_file_old_or_new() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = |v: usize| {
        let path = tmp.path().join(format!("v{v}.ddd"));
        fs::write(&path, big_spec(60, v)).unwrap();
        path
    };
    let (v1, v2) = (spec(1), spec(2));
    // Reference crates of both versions.
    let reference = |spec: &Path, out: &str| {
        let dir = tmp.path().join(out);
        fs::create_dir_all(&dir).unwrap();
        fs::copy(spec, dir.join("ledger.ddd")).unwrap();
        let built = esgen(&["build", "ledger.ddd", "--out", "crate"], &dir);
        assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
        tree(&dir.join("crate"))
    };
    let old = reference(&v1, "old");
    let new = reference(&v2, "new");
    assert!(old.iter().filter(|(p, b)| new.get(*p) != Some(b)).count() > 50);

    let work = tmp.path().join("work");
    fs::create_dir_all(&work).unwrap();
    fs::copy(&v2, work.join("ledger.ddd")).unwrap();
    assert_eq!(
        esgen(&["build", "ledger.ddd", "--out", "crate"], &work)
            .status
            .code(),
        Some(0)
    );
    // How long a build that rewrites every file takes, from v2 to v1 and
    // back: the kills are spread over that.
    let started = Instant::now();
    for version in [&v1, &v2] {
        fs::copy(version, work.join("ledger.ddd")).unwrap();
        let rebuilt = esgen(&["build", "ledger.ddd", "--out", "crate"], &work);
        assert_eq!(rebuilt.status.code(), Some(0), "{}", stderr(&rebuilt));
    }
    let duration = started.elapsed() / 2;

    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut killed_mid_write = 0;
    // Where in a build the kills land, as a share of its duration; it
    // drifts towards the writes, which come last: later when a kill found
    // nothing written yet, earlier when the build had already finished.
    let mut aim = 0.7_f64;
    // At least 30 rounds, and more (up to 120) until five kills have
    // landed mid-write: on a busy machine the window moves.
    let mut rounds = 0;
    for round in 0..120 {
        if round >= 30 && killed_mid_write >= 5 {
            break;
        }
        rounds += 1;
        // Build the version the crate is not (all new files: build the old
        // version; old or a mix: the new one), so that every build has
        // files to write.
        let before = tree(&work.join("crate"));
        let to_old = before == new;
        let (from, target) = if to_old { (&v1, &old) } else { (&v2, &new) };
        fs::copy(from, work.join("ledger.ddd")).unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Random within ±15% of the aim.
        let jitter = 0.85 + (seed % 1000) as f64 / 3333.0;
        let delay = duration.mul_f64(aim * jitter);
        let mut child = Command::new(env!("CARGO_BIN_EXE_esgen"))
            .args(["build", "ledger.ddd", "--out", "crate"])
            .current_dir(&work)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let finished = matches!(child.try_wait(), Ok(Some(_)));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&work.join("crate"));
        for (path, bytes) in &now {
            if path.contains(".esgen-") {
                continue; // a temporary file, removed by the next build
            }
            assert!(
                old.get(path) == Some(bytes) || new.get(path) == Some(bytes),
                "round {round}: {path} is neither the old nor the new version"
            );
        }
        let written: Vec<&String> = now
            .iter()
            .filter(|(path, bytes)| before.get(*path) != Some(bytes))
            .map(|(path, _)| path)
            .collect();
        let complete = now
            .iter()
            .filter(|(path, _)| !path.contains(".esgen-"))
            .all(|(path, bytes)| target.get(path) == Some(bytes));
        if finished || complete {
            // Too late: every file was already written.
            aim *= 0.85;
        } else if written.is_empty() {
            // Too early: nothing written yet.
            aim *= 1.15;
        } else {
            killed_mid_write += 1;
        }
        if round % 10 == 9 {
            // A complete build repairs whatever the kills left.
            let repaired = esgen(&["build", "ledger.ddd", "--out", "crate"], &work);
            assert_eq!(repaired.status.code(), Some(0), "{}", stderr(&repaired));
            let wanted = target;
            assert_eq!(
                &tree(&work.join("crate")),
                wanted,
                "round {round}: rebuilt exactly"
            );
        }
    }
    eprintln!(
        "{killed_mid_write} of {rounds} kills landed between two writes (build takes {duration:?})"
    );
    // Some kills must land in the middle of the writes, or the test proved
    // nothing.
    assert!(
        killed_mid_write > 0,
        "no kill landed while files were written"
    );
}

#[test]
fn a_build_waits_for_another_holding_the_lock() {
    let (tmp, dir) = built_todos();
    let handle = fs::File::open(&dir).unwrap();
    handle.lock().unwrap();
    edit_spec(tmp.path(), |text| {
        text.replace("# Rewords a todo.", "# Rewords it.")
    });
    let child = Command::new(env!("CARGO_BIN_EXE_esgen"))
        .args(["build", "todos.ddd"])
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let generated = fs::read_to_string(dir.join("src/generated/todos.rs")).unwrap();
    assert!(
        generated.contains("/// Rewords a todo."),
        "the waiting build wrote nothing"
    );
    handle.unlock().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("waiting for another esgen build of todos to finish"),
        "{}",
        stderr(&output)
    );
    let generated = fs::read_to_string(dir.join("src/generated/todos.rs")).unwrap();
    assert!(generated.contains("/// Rewords it."));
}

#[test]
fn concurrent_builds_end_with_a_consistent_crate() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("ledger.ddd"), big_spec(40, 1)).unwrap();
    let reference = tmp.path().join("reference");
    fs::create_dir_all(&reference).unwrap();
    fs::copy(tmp.path().join("ledger.ddd"), reference.join("ledger.ddd")).unwrap();
    assert_eq!(
        esgen(&["build", "ledger.ddd"], &reference).status.code(),
        Some(0)
    );
    let wanted = tree(&reference.join("ledger"));
    // Races are a matter of luck: several rounds, each starting from no
    // directory at all (the narrowest window: who creates it).
    for round in 0..5 {
        let out = format!("ledger-{round}");
        let children: Vec<_> = (0..4)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_esgen"))
                    .args(["build", "ledger.ddd", "--out", &out])
                    .current_dir(tmp.path())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert_eq!(
                output.status.code(),
                Some(0),
                "round {round}: {}",
                stderr(&output)
            );
        }
        assert_eq!(tree(&tmp.path().join(&out)), wanted, "round {round}");
    }
}

#[test]
fn with_json_messages_stdout_holds_only_json() {
    let (tmp, _dir) = built_todos();
    edit_spec(tmp.path(), |text| {
        // A changed doc, and a term nobody uses (a warning, W0002).
        text.replace("# Rewords a todo.", "# Rewords it.")
            .replace("Terms:\n", "Terms:\n  - unused-note: text\n")
    });
    for mode in ["--check", "--dry-run"] {
        let output = esgen(
            &["build", mode, "--message-format", "json", "todos.ddd"],
            tmp.path(),
        );
        let lines: Vec<serde_json::Value> = stdout(&output)
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("{mode}: not JSON ({e}): {line}"))
            })
            .collect();
        assert_eq!(lines.len(), 1, "{mode}: the one warning");
        assert_eq!(lines[0]["code"], "W0002");
        assert!(stderr(&output).contains("src/generated/todos.rs"), "{mode}");
    }
}

#[test]
fn the_scenarios_test_file_follows_the_spec_and_is_guarded_like_generated_code() {
    let (tmp, dir) = built_todos();
    let scenarios = dir.join("tests/scenarios.rs");
    let written = fs::read_to_string(&scenarios).unwrap();
    assert!(written.starts_with("// @generated by esgen"), "{written}");
    assert!(written.contains("fn ids_are_unique()"), "{written}");

    // A changed scenario: `--check` fails and names the file, writes nothing.
    edit_spec(tmp.path(), |text| {
        text.replace("- ids are unique", "- ids are never reused")
    });
    let check = esgen(&["build", "--check", "todos.ddd"], tmp.path());
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(
        stdout(&check).contains("tests/scenarios.rs"),
        "{}",
        stdout(&check)
    );
    assert_eq!(fs::read_to_string(&scenarios).unwrap(), written);

    // An edit by hand is refused like any generated file's.
    fs::write(&scenarios, written.replace("fn ids_are_unique", "fn mine")).unwrap();
    let refused = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("error[E0203]"),
        "{}",
        stderr(&refused)
    );
    let forced = esgen(&["build", "--force", "todos.ddd"], tmp.path());
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(fs::read_to_string(&scenarios)
        .unwrap()
        .contains("fn ids_are_never_reused()"));

    // A spec without scenarios: the file goes, the user's tests stay.
    fs::write(dir.join("tests/mine.rs"), "// my tests\n").unwrap();
    edit_spec(tmp.path(), |text| {
        text.split("\nScenarios:").next().unwrap().to_string()
    });
    let rebuilt = esgen(&["build", "todos.ddd"], tmp.path());
    assert_eq!(rebuilt.status.code(), Some(0), "{}", stderr(&rebuilt));
    assert!(!scenarios.exists(), "the scenarios' test file was removed");
    assert_eq!(
        fs::read_to_string(dir.join("tests/mine.rs")).unwrap(),
        "// my tests\n"
    );
}
