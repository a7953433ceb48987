//! Importing the rules kept in Modal Forms definitions
//! (`.obsidian/plugins/modalforms/data.json`): which options a field may take depending on a
//! group field (selects shown on the condition `isExactly <group>`), the closed option lists
//! the forms offer, and which form field fills which frontmatter key.
//!
//! Pure: [`read_modal_forms`] takes the JSON text (and the vault's schema, to match forms to
//! classes and form fields to frontmatter keys); [`render_toml`] writes the result in
//! `attune.toml` format.

use std::collections::BTreeMap;

use attune_syntax::Diagnostic;
use serde_json::Value as Json;

use crate::schema::{Class, Schema};

/// What the forms say, one entry per form ([`render_toml`] merges them per class).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormsImport {
    pub forms: Vec<FormImport>,
}

/// What one form says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormImport {
    /// The form's name (`Create New Trigger`).
    pub form: String,
    /// Full name of the class the form creates or updates, when one matches.
    pub class: Option<String>,
    /// Group maps: a group select and the options shown for each of its values.
    pub groups: Vec<FormGroupMap>,
    /// Closed option lists of selects shown without a condition: frontmatter key → options.
    pub option_lists: Vec<(String, Vec<String>)>,
    /// Form field name → frontmatter key, where they differ.
    pub renames: Vec<(String, String)>,
}

/// The options of one field, per value of a group field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormGroupMap {
    /// The group field as the form names it (`type_group`).
    pub form_group_field: String,
    /// The group's frontmatter key (`trigger_group`).
    pub by: String,
    /// The frontmatter key whose options depend on the group (`trigger_type`).
    pub field: String,
    /// The conditional form fields that make up this map (`type_relational`, …).
    pub form_fields: Vec<String>,
    /// Group value → options, in form order.
    pub options: Vec<(String, Vec<String>)>,
    /// When the options are notes picked from one folder per group, that folders' parent.
    pub folder: Option<String>,
}

const FORMS_PATH: &str = ".obsidian/plugins/modalforms/data.json";

/// Read Modal Forms definitions. With a `schema`, forms are matched to classes and form
/// fields to frontmatter keys; without one, keys are the form's field names.
pub fn read_modal_forms(json: &str, schema: Option<&Schema>) -> (FormsImport, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let data: Json = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    "forms/invalid",
                    format!("Modal Forms settings are not valid JSON: {e}"),
                )
                .with_path(FORMS_PATH)
                .with_help("fix the JSON, or re-save a form in Obsidian to rewrite the file"),
            );
            return (FormsImport::default(), diagnostics);
        }
    };
    let Some(forms) = data.get("formDefinitions").and_then(Json::as_array) else {
        diagnostics.push(
            Diagnostic::warning(
                "forms/invalid",
                "Modal Forms settings hold no `formDefinitions`",
            )
            .with_path(FORMS_PATH)
            .with_help("nothing to import"),
        );
        return (FormsImport::default(), diagnostics);
    };
    let mut out = FormsImport::default();
    for form in forms {
        out.forms.push(read_form(form, schema));
    }
    (out, diagnostics)
}

/// One form field as read.
struct FormField {
    name: String,
    label: String,
    kind: String,
    source: String,
    folder: Option<String>,
    options: Vec<String>,
    condition: Option<(String, String, String)>,
}

fn read_field(json: &Json) -> Option<FormField> {
    let name = json.get("name")?.as_str()?.to_string();
    let input = json.get("input")?;
    let text = |v: &Json, k: &str| {
        v.get(k)
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let mut options = Vec::new();
    for list in ["options", "multi_select_options"] {
        for o in input
            .get(list)
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let value = match o {
                Json::String(s) => s.clone(),
                other => text(other, "value"),
            };
            let value = value.trim().to_string();
            if !value.is_empty() && !options.contains(&value) {
                options.push(value);
            }
        }
    }
    let condition = json.get("condition").map(|c| {
        let value = match c.get("value") {
            Some(Json::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        (text(c, "dependencyName"), text(c, "type"), value)
    });
    Some(FormField {
        name,
        label: text(json, "label"),
        kind: text(input, "type"),
        source: text(input, "source"),
        folder: input
            .get("folder")
            .and_then(Json::as_str)
            .map(|s| s.trim_end_matches('/').to_string()),
        options,
        condition,
    })
}

fn read_form(json: &Json, schema: Option<&Schema>) -> FormImport {
    let name = json
        .get("name")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string();
    let title = json.get("title").and_then(Json::as_str).unwrap_or_default();
    let fields: Vec<FormField> = json
        .get("fields")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(read_field)
        .collect();
    let class = schema.and_then(|s| match_class(s, &name, title));
    let mut keys = KeyMatcher::new(
        class,
        schema.and_then(|s| s.global_class()).map(|g| g.name()),
    );
    let mut import = FormImport {
        form: name,
        class: class.map(|c| c.name().to_string()),
        ..FormImport::default()
    };

    // Conditional selects per group field: `isExactly <value>`.
    let mut by_group: BTreeMap<&str, Vec<&FormField>> = BTreeMap::new();
    for f in &fields {
        if let Some((dep, kind, _)) = &f.condition
            && kind == "isExactly"
            && matches!(f.kind.as_str(), "select" | "multiselect")
        {
            by_group.entry(dep.as_str()).or_default().push(f);
        }
    }
    // Non-conditional fields first claim their keys (exact names win).
    for f in fields.iter().filter(|f| f.condition.is_none()) {
        keys.claim_exact(&f.name);
    }
    // Group fields next, then the families that depend on them, then the other fields.
    for f in fields
        .iter()
        .filter(|f| f.condition.is_none() && by_group.contains_key(f.name.as_str()))
    {
        keys.resolve(&f.name, &f.label);
    }
    // Families: the conditional fields of one group that fill one key.
    let mut families: Vec<(String, String, String, Vec<&FormField>)> = Vec::new();
    for (group_field, members) in by_group {
        let Some(group) = fields.iter().find(|f| f.name == group_field) else {
            continue;
        };
        let by = keys
            .resolved(&group.name)
            .unwrap_or_else(|| group.name.clone());
        // Split by prefix when one group value shows several fields (`type_*`, `origin_*`).
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &members {
            if let Some((_, _, v)) = &m.condition {
                *counts.entry(v.as_str()).or_default() += 1;
            }
        }
        if counts.values().all(|c| *c == 1) {
            families.push((
                group.name.clone(),
                by,
                prefix(&members[0].name).to_string(),
                members,
            ));
        } else {
            let mut split: Vec<(String, Vec<&FormField>)> = Vec::new();
            for m in members {
                let p = prefix(&m.name).to_string();
                match split.iter_mut().find(|(fp, _)| *fp == p) {
                    Some((_, list)) => list.push(m),
                    None => split.push((p, vec![m])),
                }
            }
            split.sort_by_key(|(p, _)| usize::from(p != "type"));
            families.extend(
                split
                    .into_iter()
                    .map(|(p, list)| (group.name.clone(), by.clone(), p, list)),
            );
        }
    }
    // Keep only option families: selects of fixed values, or notes from one folder per group
    // under an excluded folder (option notes, not vault notes: those are relations).
    families.retain(|(_, _, _, members)| {
        if !members.iter().all(|m| m.source == "notes") {
            return true;
        }
        option_folder(members, schema).is_some()
    });
    let mut keys_of: Vec<Option<String>> = families
        .iter_mut()
        .map(|(_, by, p, _)| keys.resolve_family_by_stem(by, p))
        .collect();
    for (i, (_, by, p, members)) in families.iter().enumerate() {
        if keys_of[i].is_none() {
            let labels: Vec<&str> = members.iter().map(|m| m.label.as_str()).collect();
            keys_of[i] = Some(keys.resolve_family_by_words(by, p, &labels));
        }
    }
    for ((group_name, by, _, members), field) in families.into_iter().zip(keys_of) {
        let field = field.unwrap_or_default();
        let mut map = FormGroupMap {
            form_group_field: group_name,
            by,
            field: field.clone(),
            form_fields: members.iter().map(|m| m.name.clone()).collect(),
            folder: option_folder(&members, schema),
            ..FormGroupMap::default()
        };
        for m in &members {
            let Some((_, _, value)) = &m.condition else {
                continue;
            };
            match map.options.iter_mut().find(|(g, _)| g == value) {
                Some((_, opts)) => {
                    for o in &m.options {
                        if !opts.contains(o) {
                            opts.push(o.clone());
                        }
                    }
                }
                None => map.options.push((value.clone(), m.options.clone())),
            }
            if m.name != field && keys.knows_keys() {
                import.renames.push((m.name.clone(), field.clone()));
            }
        }
        import.groups.push(map);
    }
    for f in fields.iter().filter(|f| f.condition.is_none()) {
        let key = keys.resolve(&f.name, &f.label);
        if key != f.name {
            import.renames.push((f.name.clone(), key.clone()));
        }
        let dependents = fields.iter().any(|d| {
            d.condition
                .as_ref()
                .is_some_and(|(dep, _, _)| *dep == f.name)
        });
        if !dependents
            && f.source == "fixed"
            && matches!(f.kind.as_str(), "select" | "multiselect")
            && !f.options.is_empty()
        {
            import.option_lists.push((key, f.options.clone()));
        }
    }
    import.renames.sort();
    import.renames.dedup();
    import
}

/// When every member picks notes from the folder `<parent>/<group value>`, and `<parent>` is
/// an option folder (excluded from the vault's notes, as `Meta/` is), that parent.
fn option_folder(members: &[&FormField], schema: Option<&Schema>) -> Option<String> {
    let mut parent: Option<&str> = None;
    for m in members {
        if m.source != "notes" {
            return None;
        }
        let value = &m.condition.as_ref()?.2;
        let p = m
            .folder
            .as_deref()?
            .strip_suffix(value.as_str())?
            .strip_suffix('/')?;
        if parent.is_some_and(|q| q != p) {
            return None;
        }
        parent = Some(p);
    }
    let parent = parent?;
    let probe = format!("{parent}/x.md");
    let excluded = match schema {
        Some(s) => s.settings.is_excluded(&probe),
        None => probe.starts_with("Meta/"),
    };
    excluded.then(|| parent.to_string())
}

/// The first `_`-separated word of a form field name (`type_relational` → `type`).
fn prefix(name: &str) -> &str {
    name.split('_').next().unwrap_or(name)
}

/// Lower-case words of a name or label, singular, with hyphenated words also joined
/// (`Trade-Offs` → `trade`, `off`, `tradeoff`).
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |w: String| {
        let w = singular(&w);
        if !w.is_empty() && !out.contains(&w) {
            out.push(w);
        }
    };
    for chunk in
        text.split(|c: char| c.is_whitespace() || c == '_' || c == '/' || c == '&' || c == '.')
    {
        let parts: Vec<String> = chunk
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .map(str::to_lowercase)
            .collect();
        if parts.len() > 1 {
            push(parts.concat());
        }
        for p in parts {
            push(p);
        }
    }
    out
}

fn singular(word: &str) -> String {
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

fn word_match(a: &str, b: &str) -> bool {
    a == b || (a.len() >= 5 && b.len() >= 5 && (a.starts_with(b) || b.starts_with(a)))
}

/// Match a form that creates or updates notes (`Create New Coaching Session`, `Update
/// Trade-Off`) to a class by name or folder. Other forms (pickers, checkers) match none.
fn match_class<'s>(schema: &'s Schema, name: &str, title: &str) -> Option<&'s Class> {
    let subject = [name, title].into_iter().find_map(|s| {
        let s = s.trim();
        s.strip_prefix("Create New ")
            .or_else(|| s.strip_prefix("Update "))
            .or_else(|| s.strip_prefix("New "))
            .map(str::to_string)
    })?;
    let subject_words = words(&subject);
    let joined: String = subject
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let mut best: Option<(f64, &Class)> = None;
    for class in schema.classes() {
        let mut names = vec![class.short_name().to_string()];
        names.extend(
            class
                .file_class
                .files_paths
                .iter()
                .map(|p| p.rsplit('/').next().unwrap_or(p).to_string()),
        );
        names.extend(
            class
                .rules
                .folder
                .iter()
                .map(|p| p.rsplit('/').next().unwrap_or(p).to_string()),
        );
        names.extend(class.rules.fileclass_names.iter().cloned());
        for candidate in names {
            let candidate_joined: String = candidate
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            let score = if !joined.is_empty()
                && (candidate_joined == joined || singular(&candidate_joined) == singular(&joined))
            {
                1.0
            } else {
                let cw = words(&candidate);
                let common = subject_words
                    .iter()
                    .filter(|w| cw.iter().any(|c| word_match(w, c)))
                    .count();
                let union = subject_words.len() + cw.len() - common;
                let mut s = if union == 0 {
                    0.0
                } else {
                    common as f64 / union as f64
                };
                if common > 0
                    && subject_words
                        .first()
                        .is_some_and(|f| cw.first().is_some_and(|c| word_match(f, c)))
                {
                    s += 0.1;
                }
                s
            };
            if score >= 0.3 && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, class));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Maps form field names to the class's frontmatter keys, each key used once.
struct KeyMatcher {
    /// (key, declared by the class itself rather than inherited, from the global class).
    keys: Vec<(String, bool, bool)>,
    /// Form field (or `group/prefix` family) → the key it fills.
    claimed: BTreeMap<String, String>,
}

impl KeyMatcher {
    fn new(class: Option<&Class>, global: Option<&str>) -> KeyMatcher {
        let keys = class
            .map(|c| {
                c.fields
                    .iter()
                    .map(|f| {
                        (
                            f.def.name.clone(),
                            f.from == c.name(),
                            global.is_some_and(|g| f.from == g),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        KeyMatcher {
            keys,
            claimed: BTreeMap::new(),
        }
    }

    /// `false` without a class: then no key is known and nothing is renamed.
    fn knows_keys(&self) -> bool {
        !self.keys.is_empty()
    }

    fn has(&self, key: &str) -> bool {
        self.keys.iter().any(|(k, _, _)| k == key)
    }

    fn free(&self, key: &str) -> bool {
        self.has(key) && !self.claimed.values().any(|v| v == key)
    }

    fn claim_exact(&mut self, form_field: &str) {
        let normalized = form_field.trim().replace(' ', "_");
        if self.free(&normalized) {
            self.claimed.insert(form_field.to_string(), normalized);
        }
    }

    fn resolved(&self, form_field: &str) -> Option<String> {
        self.claimed.get(form_field).cloned()
    }

    /// The key a form field fills: its own name when the class has it, else the best match by
    /// words of its name and label; its own name when nothing matches.
    fn resolve(&mut self, form_field: &str, label: &str) -> String {
        if let Some(k) = self.resolved(form_field) {
            return k;
        }
        if self.keys.is_empty() {
            return form_field.to_string();
        }
        let name_words = words(form_field);
        let label_words: Vec<(String, f64)> = words(label).into_iter().map(|w| (w, 1.0)).collect();
        if name_words.last().is_some_and(|w| w == "name") && self.has("title") && self.free("title")
        {
            self.claimed
                .insert(form_field.to_string(), "title".to_string());
            return "title".to_string();
        }
        let best = self.best_by_words(&name_words, &label_words);
        match best {
            Some(key) => {
                self.claimed.insert(form_field.to_string(), key.clone());
                key
            }
            None => form_field.to_string(),
        }
    }

    /// The free key whose words best match a field's name words and its label words (each
    /// label word weighted by the share of the family's labels holding it). Keys of the global
    /// class only match the same name (singular or plural); a group key matches only a group field and the other way round.
    fn best_by_words(
        &self,
        name_words: &[String],
        label_words: &[(String, f64)],
    ) -> Option<String> {
        let field_is_group = name_words
            .iter()
            .chain(label_words.iter().map(|(w, _)| w))
            .any(|w| w == "group");
        let mut best: Option<(f64, bool, usize, &str)> = None;
        for (key, own, global) in &self.keys {
            if !self.free(key) {
                continue;
            }
            let kw = words(key);
            if kw.is_empty() || kw.iter().any(|w| w == "group") != field_is_group {
                continue;
            }
            let label_weight = |k: &String| {
                label_words
                    .iter()
                    .filter(|(w, _)| word_match(w, k))
                    .map(|(_, weight)| *weight)
                    .fold(0.0, f64::max)
            };
            let in_name = |k: &String| name_words.iter().any(|w| word_match(w, k));
            let weights: Vec<f64> = kw
                .iter()
                .map(|k| if in_name(k) { 1.0 } else { label_weight(k) })
                .collect();
            let covered: f64 = weights.iter().sum();
            let significant = kw
                .iter()
                .zip(&weights)
                .any(|(k, w)| k != "group" && *w > 0.0);
            if !significant || covered * 2.0 < kw.len() as f64 {
                continue;
            }
            if *global && singular(&kw.concat()) != singular(&name_words.concat()) {
                continue;
            }
            let labels: f64 = kw.iter().map(label_weight).sum();
            let names = kw.iter().filter(|k| in_name(k)).count() as f64;
            let score = (2.0 * labels + names) / (3 * kw.len()) as f64 + covered / kw.len() as f64;
            let candidate = (score, *own, usize::MAX - key.len(), key.as_str());
            if best.is_none_or(|b| (candidate.0, candidate.1, candidate.2) > (b.0, b.1, b.2)) {
                best = Some(candidate);
            }
        }
        best.map(|b| b.3.to_string())
    }

    /// The key filled by a family of conditional fields (`type_*` under `trigger_group`),
    /// by name alone: `<stem>_<prefix>`, `<stem>_type`, `<stem>`, `<stem>s`.
    fn resolve_family_by_stem(&mut self, by: &str, family_prefix: &str) -> Option<String> {
        let stem = by.strip_suffix("_group").unwrap_or(by);
        let candidates = [
            format!("{stem}_{family_prefix}"),
            format!("{stem}_type"),
            stem.to_string(),
            format!("{stem}s"),
        ];
        let found = candidates.into_iter().find(|c| self.free(c))?;
        self.claimed
            .insert(format!("{by}/{family_prefix}"), found.clone());
        Some(found)
    }

    /// The key filled by a family, by the words of the group, the prefix and the labels.
    fn resolve_family_by_words(
        &mut self,
        by: &str,
        family_prefix: &str,
        labels: &[&str],
    ) -> String {
        let stem = by.strip_suffix("_group").unwrap_or(by);
        let mut name_words = words(stem);
        name_words.push(singular(family_prefix));
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for label in labels {
            for w in words(label) {
                *counts.entry(w).or_default() += 1;
            }
        }
        let label_words: Vec<(String, f64)> = counts
            .into_iter()
            .map(|(w, n)| (w, n as f64 / labels.len().max(1) as f64))
            .collect();
        match self.best_by_words(&name_words, &label_words) {
            Some(found) => {
                self.claimed
                    .insert(format!("{by}/{family_prefix}"), found.clone());
                found
            }
            None if family_prefix == stem || family_prefix == "type" => format!("{stem}_type"),
            None => format!("{stem}_{family_prefix}"),
        }
    }
}

fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        text.to_string()
    } else {
        quote(text)
    }
}

/// Forms, group maps by field, and renames gathered for one class.
type ClassImport = (
    Vec<String>,
    BTreeMap<String, FormGroupMap>,
    BTreeMap<String, String>,
);

/// Render the import as `attune.toml` text: per class, its group maps and the renames
/// (as `aliases`, so notes that kept a form field's name are reported as legacy fields).
/// Forms that match no class are listed in a comment. Maps of several forms for the same
/// class and field are merged.
pub fn render_toml(import: &FormsImport, schema: Option<&Schema>) -> String {
    let short = |full: &str| -> String {
        schema
            .and_then(|s| s.class(full))
            .map(|c| c.short_name().to_string())
            .unwrap_or_else(|| full.to_string())
    };
    let mut per_class: BTreeMap<String, ClassImport> = BTreeMap::new();
    let mut unmatched = Vec::new();
    for form in &import.forms {
        let Some(class) = &form.class else {
            if !form.groups.is_empty() {
                unmatched.push(form.form.clone());
            }
            continue;
        };
        let entry = per_class.entry(short(class)).or_default();
        entry.0.push(form.form.clone());
        for g in &form.groups {
            let merged = entry
                .1
                .entry(g.field.clone())
                .or_insert_with(|| FormGroupMap {
                    options: Vec::new(),
                    ..g.clone()
                });
            for (value, opts) in &g.options {
                match merged.options.iter_mut().find(|(v, _)| v == value) {
                    Some((_, existing)) => {
                        for o in opts {
                            if !existing.contains(o) {
                                existing.push(o.clone());
                            }
                        }
                    }
                    None => merged.options.push((value.clone(), opts.clone())),
                }
            }
        }
        for (from, to) in &form.renames {
            entry.2.entry(from.clone()).or_insert_with(|| to.clone());
        }
    }
    let mut out = String::from(
        "# Imported from Modal Forms (.obsidian/plugins/modalforms/data.json) by `attune import modal-forms`.\n",
    );
    for (class, (forms, groups, renames)) in &per_class {
        if groups.is_empty() && renames.is_empty() {
            continue;
        }
        out.push_str(&format!("\n# {class}: from {}\n", forms.join(", ")));
        for g in groups.values() {
            out.push_str(&format!(
                "[class.{}.groups.{}]\nby = {}\n",
                key(class),
                key(&g.field),
                quote(&g.by)
            ));
            match &g.folder {
                Some(folder) => out.push_str(&format!("folder = {}\n", quote(folder))),
                None => {
                    for (value, opts) in &g.options {
                        let list: Vec<String> = opts.iter().map(|o| quote(o)).collect();
                        out.push_str(&format!("options.{} = [{}]\n", key(value), list.join(", ")));
                    }
                }
            }
        }
        if !renames.is_empty() {
            out.push_str(&format!("[class.{}.aliases]\n", key(class)));
            for (from, to) in renames {
                out.push_str(&format!("{} = {}\n", key(from), quote(to)));
            }
        }
    }
    if !unmatched.is_empty() {
        out.push_str(&format!(
            "\n# Forms with group maps that match no class: {}\n",
            unmatched.join(", ")
        ));
    }
    out
}
