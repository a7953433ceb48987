//! Creating notes (`attune new`): the file name from the class's naming rule, frontmatter
//! from the class's fields and defaults, body headings, link fields resolved, and the side
//! effects the system expects in the same plan — a practice session's take and coaching
//! note, the parent's list of children (a relation's inverse), stubs for missing links.

use std::collections::HashSet;

use attune_schema::{Class, Naming};
use attune_syntax::edit::{EditValue, add_key, append_to_list, set_key};
use attune_syntax::{Diagnostic, Value, parse_note_text};

use crate::form::{FieldValue, Form, placeholder_field, value_text};
use crate::naming::{
    clean_file_name, counter_parts, fill_pattern, free_name, key, next_counter, title_case,
};
use crate::plan::{Plan, PlannedFile};
use crate::workspace::{Workspace, folder_of, name_of};

/// What a person asked to create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewNote {
    /// Class, by short or full name.
    pub class: String,
    /// The title, for classes named after it.
    pub title: Option<String>,
    /// `field = text`; a field given several times gets several values. A name starting
    /// with `#` (`## Summary`) gives the text of that body section instead.
    pub values: Vec<(String, String)>,
    /// Create a stub note for each linked name that does not exist yet.
    pub create_missing: bool,
}

/// The moment a plan is made: ids, `created`, `last_modified`, journal names and daily-note
/// links come from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Now {
    pub epoch_ms: i64,
    /// `YYYY-MM-DD`, local.
    pub date: String,
    /// `HH:mm`, local.
    pub time: String,
}

impl Now {
    /// The current local time (UTC when the time zone is unknown).
    pub fn local() -> Now {
        let now = jiff::Timestamp::now();
        let local = jiff::tz::TimeZone::system().to_datetime(now);
        Now {
            epoch_ms: now.as_millisecond(),
            date: local.strftime("%Y-%m-%d").to_string(),
            time: local.strftime("%H:%M").to_string(),
        }
    }

    /// `YYYY-MM-DD HH:mm`, as `created` and `last_modified` are written.
    pub fn stamp(&self) -> String {
        format!("{} {}", self.date, self.time)
    }
}

/// A class whose mode field decides which companion notes are created with it, through
/// which relation field: the practice session's take and coaching note.
struct Companions {
    class: &'static str,
    mode_field: &'static str,
    /// (word in the mode, relation field of the class).
    modes: &'static [(&'static str, &'static str)],
    /// Fields copied from the new note into each companion.
    copied: &'static [&'static str],
}

const COMPANIONS: &[Companions] = &[Companions {
    class: "practice_session",
    mode_field: "rehearsal_mode",
    modes: &[
        ("live rehearsal", "live_rehearsals"),
        ("coaching", "coaching_sessions"),
    ],
    copied: &["scenario", "rehearsal_mode", "people"],
}];

/// Plan the creation of `request`.
pub fn plan_create(ws: &Workspace, request: &NewNote, now: &Now) -> Plan {
    let mut b = Builder::new(ws, now);
    let created = b.create(
        &request.class,
        request.title.as_deref(),
        &request.values,
        Vec::new(),
        request.create_missing,
        false,
    );
    let mut plan = b.plan;
    plan.summary = match created {
        Some((_, name, _)) => format!("new {} {name}", request.class),
        None => format!("new {}", request.class),
    };
    plan
}

pub(crate) struct Builder<'w> {
    pub(crate) ws: &'w Workspace,
    pub(crate) now: &'w Now,
    pub(crate) plan: Plan,
    ids: HashSet<i64>,
    /// Notes created by this plan: (path, full class name).
    planned: Vec<(String, String)>,
}

impl<'w> Builder<'w> {
    pub(crate) fn new(ws: &'w Workspace, now: &'w Now) -> Builder<'w> {
        let ids = ws
            .vault
            .notes
            .iter()
            .filter_map(|n| n.note.frontmatter.as_ref()?.get("id"))
            .filter_map(|f| match &f.value {
                Value::Int(i) => Some(*i),
                Value::Text(t) => t.trim().parse().ok(),
                _ => None,
            })
            .collect();
        Builder {
            ws,
            now,
            plan: Plan::default(),
            ids,
            planned: Vec::new(),
        }
    }

    fn error(&mut self, code: &'static str, path: &str, message: String, help: String) {
        self.plan.diagnostics.push(
            Diagnostic::error(code, message)
                .with_path(path)
                .with_help(help),
        );
    }

    /// Create one note (and its side effects). Returns its path, name and class.
    fn create(
        &mut self,
        class_name: &str,
        title: Option<&str>,
        inputs: &[(String, String)],
        preset: Vec<FieldValue>,
        create_missing: bool,
        as_typed: bool,
    ) -> Option<(String, String, String)> {
        let ws = self.ws;
        let Some(class) = ws.schema.class(class_name) else {
            let names: Vec<&str> = ws.schema.classes().iter().map(|c| c.short_name()).collect();
            self.error(
                "form/unknown-class",
                "",
                format!("`{class_name}` is not a class of this vault"),
                format!("the classes are: {}", names.join(", ")),
            );
            return None;
        };
        let Some(folder) = class
            .rules
            .folder
            .clone()
            .or_else(|| class.file_class.files_paths.first().cloned())
        else {
            self.error(
                "form/no-folder",
                "",
                format!("`{}` has no folder for new notes", class.short_name()),
                format!(
                    "add `folder = \"…\"` under [class.{}] in attune.toml",
                    class.short_name()
                ),
            );
            return None;
        };
        let folder = folder.trim_end_matches('/').to_owned();
        let form = Form::of(ws, class);
        let where_ = format!("{folder}/");
        let is_section = |k: &str| k.trim_start().starts_with('#');
        let sections = inputs.iter().filter(|(k, _)| is_section(k));
        let inputs: Vec<(String, String)> = inputs
            .iter()
            .filter(|(k, _)| !is_section(k))
            .cloned()
            .collect();
        let mut section_texts: Vec<(String, String)> = Vec::new();
        let mut section_errors = Vec::new();
        for (k, text) in sections {
            let text = text.clone();
            let wanted = k
                .trim_start_matches(|c: char| c == '#' || c.is_whitespace())
                .trim();
            match class.rules.body.iter().find(|h| key(h) == key(wanted)) {
                Some(h) => section_texts.push((h.clone(), text)),
                None => section_errors.push(
                    Diagnostic::error(
                        "form/unknown-section",
                        format!(
                            "`{wanted}` is not a section of a new `{}`",
                            class.short_name()
                        ),
                    )
                    .with_path(&where_)
                    .with_help(if class.rules.body.is_empty() {
                        "this class has no body sections".to_owned()
                    } else {
                        format!("the sections are: {}", class.rules.body.join(", "))
                    }),
                ),
            }
        }
        let (mut values, errors) = form.read_values(ws, &inputs, &|_| None, &where_);
        if !errors.is_empty() {
            self.plan.diagnostics.extend(errors);
            return None;
        }
        for p in preset {
            values.retain(|v| v.field != p.field);
            values.push(p);
        }

        // Links to notes that do not exist yet.
        for v in &mut values {
            for (target, classes) in std::mem::take(&mut v.missing_links) {
                if let Some(p) = self
                    .planned
                    .iter()
                    .find(|(p, _)| key(name_of(p.trim_end_matches(".md"))) == key(&target))
                {
                    v.linked.push(p.0.clone());
                    continue;
                }
                if !create_missing {
                    let help = match classes.first().and_then(|c| ws.schema.class(c)) {
                        Some(c) => format!(
                            "check the name, or add --create-missing to create it as a `{}` note",
                            c.short_name()
                        ),
                        None => "check the name, or add --create-missing to create it".to_owned(),
                    };
                    self.error(
                        "form/dangling-link",
                        &where_,
                        format!("`{}`: no note is named [[{target}]]", v.field),
                        help,
                    );
                    continue;
                }
                let Some(stub_class) = classes.first() else {
                    self.error(
                        "form/dangling-link",
                        &where_,
                        format!("`{}`: no note is named [[{target}]], and the field names no class to create it in", v.field),
                        "create the note first, or declare the field's target class under [class.…relations] in attune.toml".to_owned(),
                    );
                    continue;
                };
                if let Some((path, name, _)) =
                    self.create(stub_class, Some(&target), &[], Vec::new(), false, true)
                {
                    if name != target {
                        replace_link(&mut v.value, &target, &name);
                    }
                    v.linked.push(path);
                }
            }
        }
        if self.plan.is_refused() {
            return None;
        }

        let name = self.name_for(class, &folder, title, &values, as_typed, &where_);
        if !section_errors.is_empty() {
            self.plan.diagnostics.extend(section_errors);
            return None;
        }
        let name = name?;
        let path = format!("{folder}/{name}.md");
        let text = self.render(class, &name, &values, &section_texts, &path)?;
        self.plan.files.push(PlannedFile {
            path: path.clone(),
            before: None,
            after: text,
        });
        self.planned.push((path.clone(), class.name().to_owned()));

        // The way back from linked notes (a relation's inverse on the parent).
        for v in &values {
            for target in v.linked.clone() {
                self.link_back(&target, &v.field, class.name(), &name);
            }
        }
        self.companions(class, &name, &values);
        Some((path, name, class.name().to_owned()))
    }

    /// The file name (without `.md`) from the class's naming rule, free in `folder`.
    fn name_for(
        &mut self,
        class: &Class,
        folder: &str,
        title: Option<&str>,
        values: &[FieldValue],
        as_typed: bool,
        at: &str,
    ) -> Option<String> {
        let title = title.map(str::trim).filter(|t| !t.is_empty());
        let naming = if as_typed {
            Some(Naming::AsTyped)
        } else {
            class.rules.naming.clone()
        };
        let pattern = match naming {
            None | Some(Naming::TitleCase) | Some(Naming::AsTyped) => {
                let Some(title) = title else {
                    self.error(
                        "form/missing-title",
                        at,
                        format!(
                            "a new `{}` is named after its title, and none was given",
                            class.short_name()
                        ),
                        "give --title \"…\"".to_owned(),
                    );
                    return None;
                };
                let name = if as_typed || matches!(class.rules.naming, Some(Naming::AsTyped)) {
                    title.to_owned()
                } else {
                    title_case(title)
                };
                name.replace(['{', '}'], "")
            }
            Some(Naming::Pattern(p)) => p,
            Some(Naming::ByField { field, patterns }) => {
                let chosen = values
                    .iter()
                    .find(|v| v.field == field)
                    .and_then(|v| edit_text(&v.value));
                let found = chosen.as_deref().and_then(|c| {
                    let c = key(c);
                    patterns
                        .iter()
                        .find(|(k, _)| c.contains(&key(k)))
                        .map(|(_, p)| p.clone())
                });
                match found {
                    Some(p) => p,
                    None => {
                        let keys: Vec<&str> = patterns.iter().map(|(k, _)| k.as_str()).collect();
                        self.error(
                            "form/missing-field",
                            at,
                            format!(
                                "`{field}` decides the name of a new `{}`, and {}",
                                class.short_name(),
                                if chosen.is_some() {
                                    "its value names no pattern"
                                } else {
                                    "it was not given"
                                }
                            ),
                            format!("set {field} to one of: {}", keys.join(", ")),
                        );
                        return None;
                    }
                }
            }
        };
        let filled = fill_pattern(&pattern, |placeholder| match placeholder {
            "date" => Some(self.now.date.clone()),
            "time" => Some(self.now.time.replace(':', "")),
            other => {
                let field = placeholder_field(class, other)?;
                values
                    .iter()
                    .find(|v| v.field == field)
                    .and_then(|v| edit_text(&v.value))
                    .map(|t| name_of(&t).to_owned())
            }
        });
        let filled = match filled {
            Ok(f) => f,
            Err(missing) => {
                let fields: Vec<String> = missing
                    .iter()
                    .filter_map(|m| placeholder_field(class, m))
                    .collect();
                self.error(
                    "form/missing-field",
                    at,
                    format!(
                        "a new `{}` is named from {}, which {} not given",
                        class.short_name(),
                        fields
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        if fields.len() == 1 { "was" } else { "were" }
                    ),
                    format!(
                        "set {}",
                        fields
                            .iter()
                            .map(|f| format!("--set {f}=…"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                );
                return None;
            }
        };
        let taken = self.taken_names(folder);
        let name = match counter_parts(&filled) {
            Some((prefix, suffix)) => {
                let (prefix, suffix) = (clean_file_name(prefix), clean_file_name(suffix));
                let n = next_counter(&prefix, &suffix, taken.iter().map(String::as_str));
                format!("{prefix}{n}{suffix}")
            }
            None => clean_file_name(&filled),
        };
        if name.is_empty() {
            self.error(
                "form/empty-name",
                at,
                "the new note's name is empty once characters illegal in file names are removed"
                    .into(),
                "give a title with letters or digits".into(),
            );
            return None;
        }
        Some(free_name(&name, |n| taken.iter().any(|t| key(t) == key(n))))
    }

    fn taken_names(&self, folder: &str) -> Vec<String> {
        let mut taken: Vec<String> = self
            .ws
            .names_in(folder)
            .into_iter()
            .map(str::to_owned)
            .collect();
        for (p, _) in &self.planned {
            if key(folder_of(p)) == key(folder) {
                taken.push(name_of(p.trim_end_matches(".md")).to_owned());
            }
        }
        taken
    }

    fn unique_id(&mut self) -> i64 {
        let mut id = self.now.epoch_ms;
        while self.ids.contains(&id) {
            id += 1;
        }
        self.ids.insert(id);
        id
    }

    /// The new note's text: frontmatter (fileClass, defaults, then every field of the form in
    /// order) and the class's body headings.
    fn render(
        &mut self,
        class: &Class,
        name: &str,
        values: &[FieldValue],
        sections: &[(String, String)],
        path: &str,
    ) -> Option<String> {
        // Order: `fileClass`; the global class's fields that get a value, in its order; the
        // class's own (and inherited, non-global) fields, all of them; other defaults.
        let defaults: Vec<(String, EditValue)> = self
            .defaults(class)
            .into_iter()
            .map(|(k, v)| {
                let v = self.default_value(&v, name);
                (k, v)
            })
            .collect();
        let global = self.ws.schema.global_class().map(|g| g.name().to_owned());
        let mut keys: Vec<(String, EditValue)> = vec![(
            self.ws.schema.settings.file_class_alias.clone(),
            EditValue::Scalar(class.short_name().to_owned()),
        )];
        let push = |keys: &mut Vec<(String, EditValue)>, k: &str, v: EditValue| {
            if !keys.iter().any(|(x, _)| x == k) {
                keys.push((k.to_owned(), v));
            }
        };
        if let Some(g) = global.as_deref().and_then(|g| self.ws.schema.class(g)) {
            for f in &g.fields {
                let given = values.iter().any(|v| v.field == f.def.name);
                if let Some((_, v)) = defaults.iter().find(|(k, _)| *k == f.def.name) {
                    push(&mut keys, &f.def.name, v.clone());
                } else if given {
                    push(&mut keys, &f.def.name, EditValue::Null);
                }
            }
        }
        for f in &class.fields {
            if Some(&f.from) == global.as_ref() || !f.def.path.is_empty() {
                continue;
            }
            let v = defaults
                .iter()
                .find(|(k, _)| *k == f.def.name)
                .map_or(EditValue::Null, |(_, v)| v.clone());
            push(&mut keys, &f.def.name, v);
        }
        for (k, v) in &defaults {
            push(&mut keys, k, v.clone());
        }
        for v in values {
            match keys.iter_mut().find(|(k, _)| *k == v.field) {
                Some(slot) => slot.1 = v.value.clone(),
                None => keys.push((v.field.clone(), v.value.clone())),
            }
        }
        let mut text = String::from("---\n---\n");
        for (k, v) in &keys {
            match add_key(&text, k, v, None) {
                Ok(t) => text = t,
                Err(d) => {
                    self.plan.diagnostics.push(d.with_path(path));
                    return None;
                }
            }
        }
        for heading in &class.rules.body {
            text.push_str(&format!("\n## {heading}\n---\n"));
            if let Some((_, t)) = sections.iter().find(|(h, _)| h == heading) {
                let t = t.trim_end();
                if !t.is_empty() {
                    text.push_str(t);
                    text.push('\n');
                }
            }
        }
        let note = parse_note_text(text.clone());
        if let Some(fm) = &note.frontmatter {
            let found = self.ws.schema.validate_note(Some(class.name()), fm, path);
            self.plan.diagnostics.extend(found);
        }
        Some(text)
    }

    /// Defaults of the global class, then of the ancestors (farthest first), then the class's own.
    fn defaults(&self, class: &Class) -> Vec<(String, Value)> {
        let mut chain: Vec<&Class> = Vec::new();
        if let Some(g) = self.ws.schema.global_class() {
            chain.push(g);
        }
        chain.extend(
            class
                .ancestors
                .iter()
                .rev()
                .filter_map(|a| self.ws.schema.class(a)),
        );
        chain.push(class);
        let mut out: Vec<(String, Value)> = Vec::new();
        let mut seen = HashSet::new();
        for c in chain {
            if !seen.insert(c.name().to_owned()) {
                continue;
            }
            for (k, v) in &c.rules.defaults {
                match out.iter_mut().find(|(x, _)| x == k) {
                    Some(slot) => slot.1 = v.clone(),
                    None => out.push((k.clone(), v.clone())),
                }
            }
        }
        out
    }

    fn default_value(&mut self, v: &Value, name: &str) -> EditValue {
        match v {
            Value::Text(t) if t.trim() == "{epoch_ms}" => EditValue::Int(self.unique_id()),
            Value::Text(t) => {
                let filled = t
                    .replace("{now}", &self.now.stamp())
                    .replace("{today}", &self.now.date)
                    .replace("{title}", name);
                let filled = if filled.contains("{epoch_ms}") {
                    filled.replace("{epoch_ms}", &self.unique_id().to_string())
                } else {
                    filled
                };
                match filled
                    .trim()
                    .strip_prefix("[[")
                    .and_then(|r| r.strip_suffix("]]"))
                {
                    Some(inner) if !inner.contains("]]") => EditValue::Link(inner.to_owned()),
                    _ => EditValue::Scalar(filled),
                }
            }
            other => EditValue::from_value(other).unwrap_or(EditValue::Null),
        }
    }

    /// The note at `target` (existing or planned) lists the new note `name` when one of its
    /// relations has `field` as its inverse and targets `class` (`practice_session.live_rehearsals`
    /// ↔ `live_rehearsal.practice_session`).
    pub(crate) fn link_back(&mut self, target: &str, field: &str, class: &str, name: &str) {
        for relation in self.inverse_fields(target, field, class) {
            let item = EditValue::Link(name.to_owned());
            self.edit_file(target, |text| append_to_list(text, &relation, &item));
        }
    }

    /// The way back, undone: the note at `target` no longer lists `name` (a link field of
    /// `name` was set to point elsewhere).
    pub(crate) fn unlink_back(&mut self, target: &str, field: &str, class: &str, name: &str) {
        for relation in self.inverse_fields(target, field, class) {
            self.edit_file(target, |text| {
                let note = parse_note_text(text.to_owned());
                let Some(f) = note.frontmatter.as_ref().and_then(|fm| fm.get(&relation)) else {
                    return Ok(text.to_owned());
                };
                let is_name =
                    |v: &Value| matches!(v, Value::Link(l) if key(name_of(&l.target)) == key(name));
                let kept = match &f.value {
                    Value::List(items) if items.iter().any(is_name) => {
                        Value::List(items.iter().filter(|v| !is_name(v)).cloned().collect())
                    }
                    v if is_name(v) => Value::Null,
                    _ => return Ok(text.to_owned()),
                };
                match EditValue::from_value(&kept) {
                    Some(v) => set_key(text, &relation, &v),
                    None => Ok(text.to_owned()),
                }
            });
        }
    }

    /// Relation fields of the note at `target` whose inverse is `field` and whose targets
    /// include `class`.
    fn inverse_fields(&self, target: &str, field: &str, class: &str) -> Vec<String> {
        let ws = self.ws;
        let target_class = match self.planned.iter().find(|(p, _)| p == target) {
            Some((_, c)) => ws.schema.class(c),
            None => ws
                .vault
                .notes
                .iter()
                .position(|n| n.path() == target)
                .and_then(|i| ws.class_of_note(i)),
        };
        let Some(target_class) = target_class else {
            return Vec::new();
        };
        let new_class = ws.schema.class(class).map(Class::name);
        target_class
            .rules
            .relations
            .iter()
            .filter(|r| r.inverse.as_deref() == Some(field))
            .filter(|r| {
                r.targets
                    .iter()
                    .any(|t| ws.schema.class(t).map(Class::name) == new_class)
            })
            .map(|r| r.field.clone())
            .collect()
    }

    /// Change the text of `target` (planned, or read from the vault into the plan), bumping
    /// `last_modified` of an existing note when the text changes.
    fn edit_file(&mut self, target: &str, edit: impl FnOnce(&str) -> Result<String, Diagnostic>) {
        if self.plan.file(target).is_none() {
            let Some(source) = self
                .ws
                .vault
                .notes
                .iter()
                .find(|n| n.path() == target)
                .map(|n| n.note.source.clone())
            else {
                return;
            };
            self.plan.files.push(PlannedFile {
                path: target.to_owned(),
                before: Some(source.clone()),
                after: source,
            });
        }
        let stamp = self.now.stamp();
        let Some(file) = self.plan.file_mut(target) else {
            return;
        };
        let is_new = file.is_new();
        let result = edit(&file.after).and_then(|t| {
            let has_modified = parse_note_text(t.clone())
                .frontmatter
                .is_some_and(|fm| fm.get("last_modified").is_some());
            if t != file.after && has_modified && !is_new {
                set_key(&t, "last_modified", &EditValue::Scalar(stamp))
            } else {
                Ok(t)
            }
        });
        match result {
            Ok(t) => file.after = t,
            Err(d) => self.plan.diagnostics.push(d.with_path(target)),
        }
        // A note read into the plan and left unchanged is not written.
        self.plan
            .files
            .retain(|f| f.before.as_deref() != Some(f.after.as_str()));
    }

    /// A practice session with mode "Live Rehearsal", "Coaching" or both gets its take and/or
    /// coaching note, linking back to it.
    fn companions(&mut self, class: &Class, name: &str, values: &[FieldValue]) {
        let ws = self.ws;
        for rule in COMPANIONS {
            if class.short_name() != rule.class
                && !class.rules.fileclass_names.iter().any(|n| n == rule.class)
            {
                continue;
            }
            let Some(mode) = values
                .iter()
                .find(|v| v.field == rule.mode_field)
                .and_then(|v| edit_text(&v.value))
            else {
                continue;
            };
            let mode = key(&mode);
            for (word, relation_field) in rule.modes {
                if !mode.contains(word) {
                    continue;
                }
                let Some(relation) = class.relation(relation_field) else {
                    continue;
                };
                let Some(inverse) = relation.inverse.clone() else {
                    continue;
                };
                let Some(child_class) = relation.targets.first().and_then(|t| ws.schema.class(t))
                else {
                    continue;
                };
                let child_form = Form::of(ws, child_class);
                let mut preset = vec![FieldValue {
                    field: inverse.clone(),
                    value: shaped(
                        child_form.field(&inverse).is_some_and(|f| f.multiple),
                        EditValue::Link(name.to_owned()),
                    ),
                    missing_links: Vec::new(),
                    linked: Vec::new(),
                }];
                for copied in rule.copied {
                    let (Some(v), Some(f)) = (
                        values.iter().find(|v| v.field == *copied),
                        child_form.field(copied),
                    ) else {
                        continue;
                    };
                    preset.push(FieldValue {
                        field: v.field.clone(),
                        value: shaped(f.multiple, v.value.clone()),
                        missing_links: Vec::new(),
                        linked: Vec::new(),
                    });
                }
                let child_name = child_class.name().to_owned();
                if let Some((_, child, _)) =
                    self.create(&child_name, None, &[], preset, false, false)
                {
                    let path = self
                        .planned
                        .iter()
                        .find(|(p, c)| {
                            *c == class.name() && name_of(p.trim_end_matches(".md")) == name
                        })
                        .map(|(p, _)| p.clone());
                    if let Some(session_path) = path {
                        self.link_back(&session_path, &inverse, &child_name, &child);
                    }
                }
            }
        }
    }
}

/// A value in the shape a field takes: a list for a multi-value field, else its first item.
fn shaped(multiple: bool, value: EditValue) -> EditValue {
    match (multiple, value) {
        (true, EditValue::List(items)) => EditValue::List(items),
        (true, EditValue::Null) => EditValue::List(Vec::new()),
        (true, v) => EditValue::List(vec![v]),
        (false, EditValue::List(items)) => items.into_iter().next().unwrap_or(EditValue::Null),
        (false, v) => v,
    }
}

/// The text of an edit value as a name placeholder uses it (a link's target, a list's first item).
fn edit_text(value: &EditValue) -> Option<String> {
    match value {
        EditValue::Scalar(s) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
        EditValue::Link(l) => Some(attune_syntax::LinkTarget::parse(l).target.into_string()),
        EditValue::List(items) => items.iter().find_map(edit_text),
        EditValue::Int(i) => Some(i.to_string()),
        EditValue::Float(f) => Some(f.to_string()),
        EditValue::Bool(b) => Some(b.to_string()),
        EditValue::Null => None,
    }
}

fn replace_link(value: &mut EditValue, from: &str, to: &str) {
    match value {
        EditValue::Link(l) if l == from => *l = to.to_owned(),
        EditValue::List(items) => items.iter_mut().for_each(|i| replace_link(i, from, to)),
        _ => {}
    }
}

/// The text a field holds in a note, for a form prefilled from it.
pub fn field_text(ws: &Workspace, note: usize, field: &str) -> Option<String> {
    ws.note(note)
        .note
        .frontmatter
        .as_ref()?
        .get(field)
        .and_then(|f| value_text(&f.value))
}
