//! Evolution: the spec against what its crates have stored. The lock
//! (`lock.rs`) records every version of every event ever built; this pass
//! compares the checked spec with it, refuses what would leave a stored
//! event unreadable or silently lose data (`E0301`–`E0309`), warns of what
//! is safe for the store but may surprise other readers (`W0004`,
//! `W0005`), and works out, for each stored version that is no longer
//! current, how it is read: field by field (same name and type, renamed
//! with `was`, filled by a value or the term's default), or by a function
//! you write — the plan code generation turns into decoding.
//!
//! The passes, in order: the lock itself (`E0308`, `E0309`); names
//! reserved or retired (`E0306`); each current version against its locked
//! self (`E0302`, `E0305`, `W0004`, `W0005`); the upcasts, declared or
//! implied, from every stored version to a current event (`E0301`,
//! `E0307`); each upcast's fields (`E0303`–`E0305`, `W0004`).

pub mod lock;
pub mod openapi;
pub mod schema;

use super::ir::{self, FieldValue, Literal, Next, StoredField, StoredVersion, Type, Upcast};
use super::names;
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use lock::{Lock, LockedEvent, LockedField, LockedType};
use std::collections::{BTreeMap, BTreeSet};

/// Compares the checked spec with `lock` (none: nothing stored yet),
/// reports what it finds, records on each model how its stored versions
/// are read, and returns the lock with the spec's current versions added.
pub fn apply(
    file: &ast::SpecFile,
    spec: &mut ir::Spec,
    lock: Option<&Lock>,
    out: &mut Vec<Diagnostic>,
) -> Lock {
    let mut next = Lock::new(&spec.file_name);
    if let Some(lock) = lock {
        if lock.esgen_lock > lock::FORMAT {
            out.push(
                Diagnostic::error(
                    codes::LOCK_UNREADABLE,
                    format!(
                        "the lock is of format {}, newer than this esgen reads ({})",
                        lock.esgen_lock,
                        lock::FORMAT
                    ),
                )
                .with_help("build with the esgen that wrote it, or a newer one"),
            );
            return lock.clone();
        }
        if lock.representation != lock::representation() {
            out.push(
                Diagnostic::error(
                    codes::REPRESENTATION_CHANGED,
                    "the lock records another JSON representation of events than this esgen writes",
                )
                .with_help("stored events would not be read back: build with the esgen that wrote the lock"),
            );
            return lock.clone();
        }
        next.models = lock.models.clone();
        next.stored_as = lock.stored_as.clone();
        next.tags = lock.tags.clone();
        for name in lock.models.keys() {
            if !spec.models.iter().any(|m| m.name == *name) {
                let at = file.models.first().map(|m| m.name.span);
                let mut d = Diagnostic::warning(
                    codes::MODEL_REMOVED,
                    format!("model `{name}` has stored events, and the spec no longer has it"),
                )
                .with_help(format!(
                    "[model-removed] nothing reads its streams now; the lock keeps what they hold, so a model named `{name}` must read them again. If `{name}` was renamed, rename it back: a model's name is its streams' `aggregate_type`"
                ));
                if let Some(at) = at {
                    d = d.at_labelled(at, format!("`{name}` is in the lock"));
                }
                out.push(d);
            }
        }
    }
    for model in &mut spec.models {
        let Some(source) = file.models.iter().find(|m| m.name.text == model.name) else {
            continue;
        };
        let locked = lock
            .and_then(|l| l.models.get(&model.name))
            .cloned()
            .unwrap_or_default();
        // The name its streams are stored under cannot change once it has
        // stored events: they would no longer be found.
        let was = lock
            .and_then(|l| l.stored_as.get(&model.name))
            .map_or(model.name.as_str(), String::as_str);
        if !locked.is_empty() && was != model.stored_as {
            let at = source
                .stored_as
                .as_ref()
                .map_or(source.name.span, |s| s.span);
            out.push(
                Diagnostic::error(
                    codes::STORED_AS_CHANGED,
                    format!(
                        "model `{}` has stored events under the name `{was}`, and the spec now stores them as `{}`",
                        model.name, model.stored_as
                    ),
                )
                .at_labelled(at, format!("its streams are stored as `{was}`"))
                .with_help(if was == model.name {
                    format!("[stored-as-changed] the events already stored would not be found: leave out `stored as`, or move the stored rows first (`UPDATE events SET aggregate_type = '{}' WHERE aggregate_type = '{was}'`)", model.stored_as)
                } else {
                    format!("[stored-as-changed] the events already stored would not be found: write `stored as {was}`, or move the stored rows first (`UPDATE events SET aggregate_type = '{}' WHERE aggregate_type = '{was}'`)", model.stored_as)
                }),
            );
        }
        // Nor can the names its events are stored by.
        let tagged = lock.and_then(|l| l.tags.get(&model.name)).cloned();
        let now = model.wire.locked();
        if !locked.is_empty() && tagged != now {
            let at = source.tags.first().map_or(source.name.span, |t| t.span);
            let said = |tags: &Option<String>| {
                tags.clone()
                    .unwrap_or_else(|| "kebab-case, versions like 1".to_string())
            };
            out.push(
                Diagnostic::error(
                    codes::TAGS_CHANGED,
                    format!(
                        "model `{}` has stored events tagged `{}`, and the spec now tags them `{}`",
                        model.name,
                        said(&tagged),
                        said(&now)
                    ),
                )
                .at_labelled(at, "its stored events are named otherwise")
                .with_help(match &tagged {
                    Some(was) => format!("[tags-changed] the events already stored would not be read: write `Tags: {was}`"),
                    None => "[tags-changed] the events already stored would not be read: leave out `Tags:`".to_string(),
                }),
            );
        }
        match now {
            Some(now) => {
                next.tags.insert(model.name.clone(), now);
            }
            None => {
                next.tags.remove(&model.name);
            }
        }
        if model.stored_as == model.name {
            next.stored_as.remove(&model.name);
        } else {
            next.stored_as
                .insert(model.name.clone(), model.stored_as.clone());
        }
        let mut pass = Pass {
            model,
            source,
            locked: &locked,
            out: Vec::new(),
            entries: locked.clone(),
        };
        pass.run();
        let entries = pass.entries;
        for diagnostic in &mut pass.out {
            diagnostic.message = super::rules::articles(&diagnostic.message);
            diagnostic.help = diagnostic.help.as_deref().map(super::rules::articles);
        }
        out.append(&mut pass.out);
        if !entries.is_empty() {
            next.models.insert(model.name.clone(), entries);
        }
    }
    next
}

type Entries = BTreeMap<String, BTreeMap<u32, LockedEvent>>;

struct Pass<'a> {
    model: &'a mut ir::Model,
    source: &'a ast::Model,
    locked: &'a Entries,
    out: Vec<Diagnostic>,
    /// The model's lock entries as they will be written.
    entries: Entries,
}

/// An upcast, declared or implied.
struct Step {
    from: (String, u32),
    to: (String, u32),
    changes: Vec<ast::Change>,
    /// Where it is declared, or the current event it is implied by.
    span: Span,
    declared: bool,
}

impl Pass<'_> {
    fn run(&mut self) {
        self.names();
        self.migration();
        let current: Vec<(String, u32, LockedEvent)> = self
            .model
            .events
            .iter()
            .map(|e| (e.name.clone(), e.version, lock::event(self.model, e)))
            .collect();
        for (name, version, now) in &current {
            self.against_lock(name, *version, now);
        }
        let Some(steps) = self.steps(&current) else {
            return;
        };
        self.plan(&steps, &current);
    }

    /// Where an event is written: its first action's `accepted as`.
    fn event_span(&self, name: &str) -> Span {
        self.source
            .actions
            .iter()
            .find(|a| a.event.text == name)
            .map_or(self.source.name.span, |a| match a.event_version {
                Some((_, v)) => Span::new(a.event.span.start, v.end),
                None => a.event.span,
            })
    }

    fn retired(&self) -> Vec<&ast::Ident> {
        self.source
            .evolution
            .iter()
            .filter_map(|item| match item {
                ast::EvolutionItem::Retired { names, .. } => Some(names.iter()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// Version 0, and reserved or retired names back in use (`E0306`).
    fn names(&mut self) {
        for action in &self.source.actions {
            if let Some((0, span)) = action.event_version {
                self.out.push(
                    Diagnostic::error(codes::UPCAST_CHAIN, "versions start at 1")
                        .at_labelled(span, "version 0")
                        .with_help(format!(
                            "write `{}` for the first version, `{}@2` for the next",
                            action.event.text, action.event.text
                        )),
                );
            }
        }
        let mut taken: Vec<(String, Span, &str)> = Vec::new();
        for event in &self.model.events {
            taken.push((event.name.clone(), self.event_span(&event.name), "an event"));
        }
        for action in &self.source.actions {
            for field in &action.fields {
                taken.push((field.text.clone(), field.span, "a field of an event"));
            }
        }
        for item in &self.source.evolution {
            let (names, why) = match item {
                ast::EvolutionItem::Reserved { names, .. } => (names, "reserved"),
                ast::EvolutionItem::Retired { names, .. } => (names, "retired"),
                ast::EvolutionItem::Upcast { .. } | ast::EvolutionItem::Migrate { .. } => continue,
            };
            for name in names {
                let reused = taken.iter().find(|(t, _, what)| {
                    *t == name.text && (why == "reserved" || *what == "an event")
                });
                if let Some((_, at, what)) = reused {
                    self.out.push(
                        Diagnostic::error(
                            codes::RESERVED_NAME_REUSED,
                            format!("`{}` is {why}, and is {what} again", name.text),
                        )
                        .at_labelled(*at, "used here")
                        .with_label(name.span, format!("{why} here"))
                        .with_help(format!(
                            "[reserved-name-reused] stored events may hold `{}` with another shape: pick another name",
                            name.text
                        )),
                    );
                }
            }
        }
    }

    /// `migrate by <function>`: once per model, on a model with actions.
    fn migration(&mut self) {
        let mut first: Option<Span> = None;
        for item in &self.source.evolution {
            let ast::EvolutionItem::Migrate { function, span } = item else {
                continue;
            };
            if let Some(first) = first {
                self.out.push(
                    Diagnostic::error(codes::UPCAST_CHAIN, "a model is migrated by one function")
                        .at_labelled(*span, "a second migration")
                        .with_label(first, "the first")
                        .with_help("[upcast-chain] keep one `migrate by <function>`; it may do every part of the move"),
                );
                continue;
            }
            first = Some(*span);
            if self.model.commands.is_empty() {
                self.out.push(
                    Diagnostic::error(
                        codes::UPCAST_CHAIN,
                        format!(
                            "`{}` has no actions, so no stream to migrate",
                            self.model.name
                        ),
                    )
                    .at_labelled(*span, "nothing to migrate")
                    .with_help("[upcast-chain] remove the line"),
                );
                continue;
            }
            self.model.migration = names::snake(&function.text).ok();
        }
    }

    /// A current version against the same version in the lock.
    fn against_lock(&mut self, name: &str, version: u32, now: &LockedEvent) {
        let Some(then) = self.locked.get(name).and_then(|v| v.get(&version)) else {
            self.entries
                .entry(name.to_string())
                .or_default()
                .insert(version, now.clone());
            return;
        };
        let at = self.event_span(name);
        let tag = self.model.wire.tag(name, version);
        let mut widened = then.clone();
        let mut edits = Vec::new();
        let mut removed_values = Vec::new();
        for field in &now.fields {
            match then.fields.iter().position(|f| f.name == field.name) {
                None => edits.push(format!("`{}` was added", field.term)),
                Some(i) => match compare(&then.fields[i].ty, &field.ty) {
                    Same::Equal => {}
                    Same::Wider(values) => {
                        if !values.is_empty() {
                            self.out.push(
                                Diagnostic::warning(
                                    codes::CHOICE_VALUE_ADDED,
                                    format!(
                                        "`{tag}`'s field `{}` gains {}: stored events are read as before",
                                        field.term,
                                        values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
                                    ),
                                )
                                .at_labelled(at, "this version is locked")
                                .with_help("[choice-value-added] other readers of these events (other services, other languages) may not know the new values"),
                            );
                        }
                        widened.fields[i] = field.clone();
                    }
                    Same::Narrower(values) => removed_values.push((field.term.clone(), values)),
                    Same::Different => edits.push(format!(
                        "`{}` was `{}` and is now `{}`",
                        field.term,
                        then.fields[i].ty.spec(),
                        field.ty.spec()
                    )),
                },
            }
        }
        let dropped: Vec<&LockedField> = then
            .fields
            .iter()
            .filter(|f| !now.fields.iter().any(|n| n.name == f.name))
            .collect();
        if !edits.is_empty() {
            let fields: Vec<&str> = then.fields.iter().map(|f| f.term.as_str()).collect();
            self.out.push(
                Diagnostic::error(
                    codes::VERSION_EDITED,
                    format!("`{tag}` is locked, and its fields changed: {}", edits.join("; ")),
                )
                .at_labelled(at, "a locked version")
                .with_help(format!(
                    "[version-edited] stored `{tag}` events hold [{}]: write `accepted as {name}@{} [...]` for the new fields, and under `Evolution:` how it comes from `{tag}` if a field needs a value",
                    fields.join(" "),
                    self.next_version(name)
                )),
            );
            return;
        }
        for (term, values) in removed_values {
            self.out.push(
                Diagnostic::error(
                    codes::CHOICE_VALUE_REMOVED,
                    format!(
                        "`{tag}`'s field `{term}` no longer has {}, which stored events may hold",
                        values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
                .at_labelled(at, "a locked version")
                .with_help(format!(
                    "[choice-value-removed] keep the value, or write `accepted as {name}@{} [...]` and a step `- {tag} -> {name}@{}: by <function>` that maps it",
                    self.next_version(name),
                    self.next_version(name)
                )),
            );
        }
        for field in dropped {
            self.out.push(
                Diagnostic::warning(
                    codes::FIELD_DROPPED,
                    format!(
                        "`{tag}` no longer has `{}`: stored values of it are not read",
                        field.term
                    ),
                )
                .at_labelled(at, "a locked version")
                .with_help(format!(
                    "[field-dropped] the stored events keep it; other readers may still expect it. To say so in the spec, write `accepted as {name}@{} [...]`",
                    self.next_version(name)
                )),
            );
        }
        if let Some(versions) = self.entries.get_mut(name) {
            versions.insert(version, widened);
        }
    }

    /// The version after the highest one stored or current.
    fn next_version(&self, name: &str) -> u32 {
        let locked = self
            .locked
            .get(name)
            .and_then(|v| v.keys().next_back().copied())
            .unwrap_or(0);
        let current = self
            .model
            .events
            .iter()
            .find(|e| e.name == name)
            .map_or(0, |e| e.version);
        locked.max(current) + 1
    }

    /// Every upcast, declared or implied, from each stored version that is
    /// not current and not retired; `None` after reporting a broken chain.
    fn steps(&mut self, current: &[(String, u32, LockedEvent)]) -> Option<Vec<Step>> {
        let before = self.out.len();
        let is_current = |n: &str, v: u32| current.iter().any(|(c, cv, _)| c == n && *cv == v);
        let is_locked = |n: &str, v: u32| self.locked.get(n).is_some_and(|m| m.contains_key(&v));
        let mut steps: Vec<Step> = Vec::new();
        for item in &self.source.evolution {
            let ast::EvolutionItem::Upcast {
                from,
                to,
                changes,
                span,
            } = item
            else {
                continue;
            };
            let (f, t) = (
                (from.name.text.clone(), from.number()),
                (to.name.text.clone(), to.number()),
            );
            let tag = |r: &(String, u32)| self.model.wire.tag(&r.0, r.1);
            if !is_locked(&f.0, f.1) {
                let help = if is_current(&f.0, f.1) {
                    format!("`{}` is current: an upcast goes from a version stored before to a later one", tag(&f))
                } else {
                    "the lock has no such version: only versions built before are stored"
                        .to_string()
                };
                self.out.push(
                    Diagnostic::error(
                        codes::UPCAST_CHAIN,
                        format!("nothing is stored as `{}`", tag(&f)),
                    )
                    .at_labelled(from.span, "not a stored version")
                    .with_help(format!("[upcast-chain] {help}")),
                );
                continue;
            }
            if !is_current(&t.0, t.1) && !is_locked(&t.0, t.1) {
                let now: Vec<String> = current
                    .iter()
                    .map(|(n, v, _)| self.model.wire.tag(n, *v))
                    .collect();
                let help = match did_you_mean(&tag(&t), now.iter().map(String::as_str)) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("the current events are {}", now.join(", ")),
                };
                self.out.push(
                    Diagnostic::error(
                        codes::UPCAST_CHAIN,
                        format!(
                            "`{}` is neither a current event nor a stored version",
                            tag(&t)
                        ),
                    )
                    .at_labelled(to.span, "nowhere to go")
                    .with_help(format!("[upcast-chain] {help}")),
                );
                continue;
            }
            if let Some(first) = steps.iter().find(|s| s.from == f) {
                self.out.push(
                    Diagnostic::error(
                        codes::UPCAST_CHAIN,
                        format!("`{}` is read two ways", tag(&f)),
                    )
                    .at_labelled(*span, "a second upcast")
                    .with_label(first.span, "the first")
                    .with_help("[upcast-chain] keep one upcast from each stored version"),
                );
                continue;
            }
            steps.push(Step {
                from: f,
                to: t,
                changes: changes.clone(),
                span: *span,
                declared: true,
            });
        }
        let retired: BTreeSet<String> = self.retired().iter().map(|n| n.text.clone()).collect();
        for name in &retired {
            if !self.locked.contains_key(name) {
                let at = self
                    .retired()
                    .into_iter()
                    .find(|n| n.text == *name)
                    .map(|n| n.span);
                let mut d = Diagnostic::error(
                    codes::UPCAST_CHAIN,
                    format!("nothing is stored as `{name}`: there is nothing to retire"),
                )
                .with_help(
                    "[upcast-chain] to keep the name from coming back, write `reserved` instead",
                );
                if let Some(at) = at {
                    d = d.at_labelled(at, "never stored");
                }
                self.out.push(d);
            }
        }
        for (name, versions) in self.locked {
            for &version in versions.keys() {
                if is_current(name, version)
                    || retired.contains(name)
                    || steps.iter().any(|s| s.from == (name.clone(), version))
                {
                    continue;
                }
                let tag = self.model.wire.tag(name, version);
                match current.iter().find(|(c, _, _)| c == name) {
                    Some((_, now, _)) if *now > version => {
                        // The next version of the same event, stored or
                        // current.
                        let to = versions
                            .keys()
                            .copied()
                            .find(|v| *v > version && *v <= *now)
                            .unwrap_or(*now);
                        steps.push(Step {
                            from: (name.clone(), version),
                            to: (name.clone(), to),
                            changes: Vec::new(),
                            span: self.event_span(name),
                            declared: false,
                        });
                    }
                    Some((_, now, _)) => {
                        self.out.push(
                            Diagnostic::error(
                                codes::UPCAST_CHAIN,
                                format!(
                                    "`{tag}` is stored, and the spec's `{name}` is version {now}"
                                ),
                            )
                            .at_labelled(self.event_span(name), "an older version")
                            .with_help(format!(
                                "[upcast-chain] versions only go up: write `{name}@{}`",
                                self.next_version(name)
                            )),
                        );
                    }
                    None => {
                        let then = &versions[&version];
                        let renamed = current.iter().find(|(c, _, now)| {
                            !self.locked.contains_key(c) && now.fields == then.fields
                        });
                        let help = match renamed {
                            Some((c, v, _)) => format!(
                                "if `{c}` is `{name}` renamed, say so under `Evolution:`: `- {tag} -> {}`; if `{name}` is gone for good, `- retired {name}`",
                                self.model.wire.tag(c, *v)
                            ),
                            None => format!(
                                "keep `{name}`; or, under `Evolution:`, say what stored ones are read as (`- {tag} -> <event>`), or retire it (`- retired {name}`: stored ones are skipped)"
                            ),
                        };
                        self.out.push(
                            Diagnostic::error(
                                codes::EVENT_REMOVED,
                                format!("`{tag}` is stored, and the spec no longer has it"),
                            )
                            .at_labelled(self.source.name.span, format!("`{name}` is in the lock"))
                            .with_help(format!("[event-removed] {help}")),
                        );
                    }
                }
            }
        }
        // Every chain must end at a current event, without a cycle.
        for step in &steps {
            let mut seen = vec![step.from.clone()];
            let mut at = step.to.clone();
            while let Some(next) = steps.iter().find(|s| s.from == at) {
                if seen.contains(&at) {
                    self.out.push(
                        Diagnostic::error(
                            codes::UPCAST_CHAIN,
                            format!(
                                "`{}` is read as itself, round a cycle",
                                self.model.wire.tag(&step.from.0, step.from.1)
                            ),
                        )
                        .at_labelled(step.span, "part of the cycle")
                        .with_help("[upcast-chain] each stored version goes to a later one, and the last to a current event"),
                    );
                    return None;
                }
                seen.push(at.clone());
                at = next.to.clone();
            }
        }
        steps.sort_by(|a, b| a.from.cmp(&b.from));
        (self.out.len() == before).then_some(steps)
    }

    /// Each stored version's frozen fields and upcast, checked.
    fn plan(&mut self, steps: &[Step], current: &[(String, u32, LockedEvent)]) {
        let order: Vec<(String, u32)> = steps.iter().map(|s| s.from.clone()).collect();
        let mut stored = Vec::new();
        let before = self.out.len();
        for step in steps {
            let then = &self.locked[&step.from.0][&step.from.1];
            let (next, target): (Next, LockedEvent) = match current
                .iter()
                .position(|(n, v, _)| (n.clone(), *v) == step.to)
            {
                Some(i) => (Next::Current(i), current[i].2.clone()),
                None => {
                    let i = order.iter().position(|o| *o == step.to).unwrap_or(0);
                    (Next::Stored(i), self.locked[&step.to.0][&step.to.1].clone())
                }
            };
            let how = self.upcast(step, then, &target, next);
            let Some(fields) = self.frozen(then, step) else {
                continue;
            };
            let rust = match names::pascal(&step.from.0) {
                Ok(r) => format!("{r}V{}", step.from.1),
                Err(_) => continue,
            };
            stored.push(StoredVersion {
                name: step.from.0.clone(),
                version: step.from.1,
                tag: then.tag.clone(),
                rust,
                fields,
                next,
                how: how.unwrap_or(Upcast::Fields { fields: Vec::new() }),
            });
        }
        if self.out[before..].iter().any(Diagnostic::is_error) {
            return;
        }
        let retired = self
            .retired()
            .iter()
            .map(|n| n.text.clone())
            .collect::<BTreeSet<_>>();
        self.model.retired = retired
            .iter()
            .filter_map(|name| self.locked.get(name))
            .flat_map(|versions| versions.values().map(|e| e.tag.clone()))
            .collect();
        self.model.stored = stored;
    }

    /// The fields of a stored version, as Rust reads them.
    fn frozen(&mut self, then: &LockedEvent, step: &Step) -> Option<Vec<StoredField>> {
        let mut fields = Vec::new();
        for field in &then.fields {
            let Some(ty) = self.rust_type(&field.ty) else {
                self.out.push(
                    Diagnostic::error(
                        codes::FIELD_RETYPED,
                        format!(
                            "stored `{}` events hold `{}` as a `{}` whose fields have changed since",
                            then.tag,
                            field.term,
                            field.ty.spec()
                        ),
                    )
                    .at_labelled(step.span, "reading these")
                    .with_help("[field-retyped] esgen reads an entity held in a stored event only while its fields are as they were: keep them, or retire the event"),
                );
                return None;
            };
            let rust = match names::snake(&field.term) {
                Ok(r) => r,
                Err(_) => field.name.clone(),
            };
            fields.push(StoredField {
                wire: field.name.clone(),
                rust,
                ty,
                term: field.term.clone(),
            });
        }
        Some(fields)
    }

    /// The Rust type that reads a locked type: the model's own where it
    /// reads the same JSON, else plain text for ids and choices.
    fn rust_type(&self, ty: &LockedType) -> Option<Type> {
        Some(match ty {
            LockedType::Text => Type::Text,
            LockedType::Integer => Type::Integer,
            LockedType::Number => Type::Number,
            LockedType::Boolean => Type::Boolean,
            LockedType::Date => Type::Date,
            LockedType::Timestamp => Type::Timestamp,
            LockedType::Decimal => Type::Decimal,
            LockedType::IdOf(of) => match names::pascal(of) {
                Ok(rust) if self.uses_identity(&rust) => Type::Id(rust),
                _ => Type::Text,
            },
            LockedType::ListOf(inner) => Type::List(Box::new(self.rust_type(inner)?)),
            LockedType::Optional(inner) => Type::Optional(Box::new(self.rust_type(inner)?)),
            LockedType::OneOf { term, values } => {
                match self.model.choices.iter().find(|c| c.term == *term) {
                    Some(choice)
                        if values
                            .iter()
                            .all(|v| choice.values.iter().any(|(w, _)| w == v)) =>
                    {
                        Type::Choice(choice.rust.clone())
                    }
                    _ => Type::Text,
                }
            }
            LockedType::Entity { name, .. } => {
                let entity = self.model.entities.iter().find(|e| e.name == *name)?;
                let now = lock::locked_type(self.model, &Type::Entity(entity.rust.clone()));
                if now != *ty {
                    return None;
                }
                Type::Entity(entity.rust.clone())
            }
        })
    }

    fn uses_identity(&self, rust: &str) -> bool {
        let mut found = Vec::new();
        for event in &self.model.events {
            for field in &event.fields {
                field.ty.identities(&mut found);
            }
        }
        for entity in &self.model.entities {
            for field in &entity.fields {
                field.ty.identities(&mut found);
            }
        }
        found.contains(&rust)
    }

    /// How `then` becomes `target`, checked field by field.
    fn upcast(
        &mut self,
        step: &Step,
        then: &LockedEvent,
        target: &LockedEvent,
        next: Next,
    ) -> Option<Upcast> {
        let from_tag = then.tag.clone();
        let to_tag = target.tag.clone();
        if let Some(function) = step.changes.iter().find_map(|c| match c {
            ast::Change::By(f) => Some(f),
            _ => None,
        }) {
            if step.changes.len() > 1 {
                self.out.push(
                    Diagnostic::error(
                        codes::UPCAST_CHAIN,
                        format!("`by {}` reads the whole of `{from_tag}`: it takes no other change", function.text),
                    )
                    .at_labelled(step.span, "here")
                    .with_help("[upcast-chain] leave `by <function>` alone after the colon; the function sets every field"),
                );
                return None;
            }
            return match names::snake(&function.text) {
                Ok(rust) => Some(Upcast::By { function: rust }),
                Err(_) => None,
            };
        }
        let mut used = BTreeSet::new();
        let mut fields = Vec::new();
        for field in &target.fields {
            let rust = match names::snake(&field.term) {
                Ok(r) => r,
                Err(_) => field.name.clone(),
            };
            let renamed = step.changes.iter().find_map(|c| match c {
                ast::Change::Was { field: f, old } if f.text == field.term => Some(old),
                _ => None,
            });
            let valued = step.changes.iter().find_map(|c| match c {
                ast::Change::Default { field: f, value } if f.text == field.term => Some(value),
                _ => None,
            });
            let source_term = renamed.map_or(field.term.as_str(), |o| o.text.as_str());
            let source = then.fields.iter().find(|f| f.term == source_term);
            if let Some(value) = valued {
                let ty = self.rust_type(&field.ty)?;
                let literal =
                    super::rules::literal(&self.model.choices, value, &ty, &mut self.out)?;
                fields.push((rust, FieldValue::Value { value: literal, ty }));
                continue;
            }
            match source {
                Some(old) => {
                    used.insert(old.term.clone());
                    match compare(&old.ty, &field.ty) {
                        Same::Equal | Same::Wider(_) => {
                            let rust_old =
                                names::snake(&old.term).unwrap_or_else(|_| old.name.clone());
                            fields.push((rust, FieldValue::Field { rust: rust_old }));
                        }
                        Same::Narrower(values) => {
                            self.out.push(
                                Diagnostic::error(
                                    codes::CHOICE_VALUE_REMOVED,
                                    format!(
                                        "stored `{from_tag}` events may hold {} in `{}`, which `{to_tag}` lacks",
                                        values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
                                        old.term
                                    ),
                                )
                                .at_labelled(step.span, self.step_label(step))
                                .with_help(format!(
                                    "[choice-value-removed] keep the values, or read `{from_tag}` by a function you write: `- {from_tag} -> {to_tag}: by <function>`"
                                )),
                            );
                        }
                        Same::Different => {
                            let made_required = matches!(&old.ty, LockedType::Optional(inner) if **inner == field.ty);
                            let what = if made_required {
                                format!("`{}` was optional in `{from_tag}` and is required in `{to_tag}`", field.term)
                            } else {
                                format!(
                                    "`{}` is a `{}` in `{from_tag}` and a `{}` in `{to_tag}`",
                                    field.term,
                                    old.ty.spec(),
                                    field.ty.spec()
                                )
                            };
                            self.out.push(
                                Diagnostic::error(codes::FIELD_RETYPED, what)
                                    .at_labelled(step.span, self.step_label(step))
                                    .with_help(format!(
                                        "[field-retyped] stored values would not be read: name the new field differently (`<new> = <value>`), or read `{from_tag}` by a function you write: `- {from_tag} -> {to_tag}: by <function>`"
                                    )),
                            );
                        }
                    }
                }
                None if renamed.is_some() => {
                    let names: Vec<&str> = then.fields.iter().map(|f| f.term.as_str()).collect();
                    self.out.push(
                        Diagnostic::error(
                            codes::UPCAST_CHAIN,
                            format!("`{from_tag}` has no field `{source_term}`"),
                        )
                        .at_labelled(step.span, "here")
                        .with_help(format!(
                            "[upcast-chain] its fields are {}",
                            names.join(", ")
                        )),
                    );
                }
                None => {
                    let ty = self.rust_type(&field.ty)?;
                    let default = match &ty {
                        Type::Optional(_) => Some(Literal::Nothing),
                        _ => field.default.clone().or_else(|| match next {
                            Next::Current(_) => self
                                .model
                                .terms
                                .iter()
                                .find(|t| t.name == field.term)
                                .and_then(|t| t.default.clone()),
                            Next::Stored(_) => None,
                        }),
                    };
                    match default {
                        Some(value) => fields.push((rust, FieldValue::Value { value, ty })),
                        None => {
                            self.out.push(
                                Diagnostic::error(
                                    codes::FIELD_WITHOUT_DEFAULT,
                                    format!(
                                        "`{to_tag}` has `{}`, which stored `{from_tag}` events lack, and nothing says its value",
                                        field.term
                                    ),
                                )
                                .at_labelled(step.span, self.step_label(step))
                                .with_help(format!(
                                    "[field-without-default] under `Evolution:`, write `- {from_tag} -> {to_tag}: {} = <value>`; or give the term a default, or make it optional",
                                    field.term
                                )),
                            );
                        }
                    }
                }
            }
        }
        for field in &then.fields {
            if !used.contains(&field.term) {
                self.out.push(
                    Diagnostic::warning(
                        codes::FIELD_DROPPED,
                        format!(
                            "`{}` of stored `{from_tag}` events is not read into `{to_tag}`",
                            field.term
                        ),
                    )
                    .at_labelled(step.span, self.step_label(step))
                    .with_help(format!(
                        "[field-dropped] if `{to_tag}` has it under another name, write `<new> was {}`",
                        field.term
                    )),
                );
            }
        }
        Some(Upcast::Fields { fields })
    }

    fn step_label(&self, step: &Step) -> String {
        if step.declared {
            "this upcast".to_string()
        } else {
            format!(
                "read from `{}`",
                self.model.wire.tag(&step.from.0, step.from.1)
            )
        }
    }
}

/// How a field's type changed.
enum Same {
    Equal,
    /// Reads everything the old one did: values added to a choice, or
    /// made optional.
    Wider(Vec<String>),
    /// A choice lost these values.
    Narrower(Vec<String>),
    Different,
}

fn compare(then: &LockedType, now: &LockedType) -> Same {
    if then == now {
        return Same::Equal;
    }
    match (then, now) {
        (
            LockedType::OneOf {
                term: a,
                values: old,
            },
            LockedType::OneOf {
                term: b,
                values: new,
            },
        ) if a == b => {
            let lost: Vec<String> = old.iter().filter(|v| !new.contains(v)).cloned().collect();
            if lost.is_empty() {
                Same::Wider(new.iter().filter(|v| !old.contains(v)).cloned().collect())
            } else {
                Same::Narrower(lost)
            }
        }
        (inner, LockedType::Optional(now)) if **now == *inner => Same::Wider(Vec::new()),
        (LockedType::ListOf(a), LockedType::ListOf(b))
        | (LockedType::Optional(a), LockedType::Optional(b)) => compare(a, b),
        _ => Same::Different,
    }
}
