//! The loaded schema of a vault: every fileClass with its effective fields after `extends`,
//! plus the `attune.toml` rules (or the built-in pack's) attached to each class.

use std::collections::BTreeMap;
use std::sync::Arc;

use attune_syntax::Diagnostic;

use crate::config::{ClassRules, GroupRule, Relation, parse_config};
use crate::field::FieldDef;
use crate::fileclass::{FileClass, read_file_class};
use crate::list_note::folder_groups;
use crate::settings::Settings;
use crate::suggest::closest_name;
use crate::vault::SchemaInput;

/// Where the class rules came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesSource {
    /// The vault's own `attune.toml`.
    Vault,
    /// The built-in self-work pack (the vault has no `attune.toml`).
    Pack,
}

/// A field as a class sees it after inheritance.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectiveField {
    pub def: FieldDef,
    /// Full name of the class that declares it.
    pub from: String,
    /// Full name of the ancestor whose field of the same name this one replaces.
    pub overrides: Option<String>,
}

/// One class: the fileClass as written, its effective fields and its rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Class {
    pub file_class: FileClass,
    /// Effective fields: own fields first (in `fieldsOrder`), then inherited ones not
    /// overridden or excluded, nearest ancestor first.
    pub fields: Vec<EffectiveField>,
    /// Full names of the ancestors, nearest first.
    pub ancestors: Vec<String>,
    /// `attune.toml` rules: this class's own, with defaults, relations, groups and aliases
    /// inherited from ancestors (and the global class) where the class does not say otherwise.
    /// `folder`, `naming` and `body` are never inherited.
    pub rules: ClassRules,
    /// The full name, shared with every note of the class ([`Class::shared_name`]).
    shared_name: Arc<str>,
}

impl Class {
    pub fn name(&self) -> &str {
        &self.file_class.name
    }
    /// The full name as one allocation that notes of this class share (a vault's notes
    /// hold their class name; at 100k notes a copy each was 100k allocations).
    pub fn shared_name(&self) -> &Arc<str> {
        &self.shared_name
    }
    pub fn short_name(&self) -> &str {
        &self.file_class.short_name
    }
    pub fn field(&self, name: &str) -> Option<&EffectiveField> {
        self.fields.iter().find(|f| f.def.name == name)
    }
    /// The relation declared for `field`, if any.
    pub fn relation(&self, field: &str) -> Option<&Relation> {
        self.rules.relations.iter().find(|r| r.field == field)
    }
    /// The group rule deciding the options of `field`, if any.
    pub fn group_rule(&self, field: &str) -> Option<&GroupRule> {
        self.rules.groups.iter().find(|g| g.field == field)
    }
    /// What an old field name became, if an alias says so.
    pub fn alias(&self, old: &str) -> Option<&str> {
        self.rules
            .aliases
            .iter()
            .find(|(o, _)| o == old)
            .map(|(_, n)| n.as_str())
    }
}

/// The schema of one vault.
#[derive(Clone, Debug)]
pub struct Schema {
    pub settings: Settings,
    /// Classes sorted by full name.
    classes: Vec<Class>,
    global: Option<usize>,
    /// Field renames that hold in every class.
    pub aliases: Vec<(String, String)>,
    pub rules_source: RulesSource,
    /// Every class folder (`filesPaths`, then attune.toml's `folder`), trimmed, with its
    /// class's index: what [`Schema::class_of`] compares each note's folder with.
    pub(crate) class_folders: Vec<(Box<str>, usize)>,
}

/// Load a vault's schema. Never fails: problems are returned as diagnostics
/// (`schema/missing-values-note`, `schema/field-name-whitespace`, `config/invalid`, …).
pub fn load_schema(input: &SchemaInput<'_>) -> (Schema, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let settings = match input.metadata_menu_settings {
        Some(text) => Settings::parse(text, &mut diagnostics),
        None => Settings::default(),
    };
    let (config, rules_source) = match input.attune_toml {
        Some(text) => {
            let (config, d) = parse_config(text, "attune.toml");
            diagnostics.extend(d);
            (config, RulesSource::Vault)
        }
        None => (crate::pack::config(), RulesSource::Pack),
    };

    // Every note under the schema folder that is a fileClass.
    let folder = settings.class_files_path.trim_end_matches('/');
    // The folder's files, in path order (only those are sorted: at 100k notes sorting every
    // path was a serial 40 ms of the load).
    let paths = input.files.paths();
    let mut in_folder: Vec<(&str, &str)> = paths
        .iter()
        .filter_map(|&path| {
            let name = path
                .strip_prefix(folder)
                .and_then(|p| p.strip_prefix('/'))
                .and_then(|p| p.strip_suffix(".md"))?;
            Some((path, name))
        })
        .collect();
    in_folder.sort_unstable();
    let mut file_classes = Vec::new();
    for (path, name) in in_folder {
        let Some(text) = input.files.text(path) else {
            continue;
        };
        if let Some(fc) = read_file_class(name, path, text, input.files, &mut diagnostics) {
            file_classes.push(fc);
        }
    }
    file_classes.sort_by(|a, b| a.name.cmp(&b.name));
    // Notes name classes by short name: two classes sharing one is ambiguous.
    for pair in file_classes.iter().enumerate() {
        let (i, fc) = pair;
        if let Some(first) = file_classes[..i]
            .iter()
            .find(|o| o.short_name == fc.short_name)
        {
            diagnostics.push(
                Diagnostic::warning(
                    "schema/duplicate-class-name",
                    format!(
                        "the fileClasses `{}` and `{}` share the short name `{}`",
                        first.name, fc.name, fc.short_name
                    ),
                )
                .with_path(&fc.path)
                .with_help(format!(
                    "`fileClass: {}` means `{}`; rename one of the two notes",
                    fc.short_name, first.name
                )),
            );
        }
    }

    let mut schema = Schema {
        settings,
        classes: Vec::new(),
        global: None,
        aliases: config.aliases.clone(),
        rules_source,
        class_folders: Vec::new(),
    };
    schema.classes = file_classes
        .iter()
        .map(|fc| Class {
            file_class: fc.clone(),
            fields: Vec::new(),
            ancestors: Vec::new(),
            rules: ClassRules::default(),
            shared_name: fc.name.as_str().into(),
        })
        .collect();

    // extends chains.
    for i in 0..schema.classes.len() {
        let ancestors = schema.resolve_ancestors(i, &mut diagnostics);
        schema.classes[i].ancestors = ancestors;
    }
    for i in 0..schema.classes.len() {
        schema.classes[i].fields = schema.effective_fields(i);
    }

    // attune.toml rules, own first, then inherited relations/groups/aliases.
    let mut own_rules: BTreeMap<String, ClassRules> = BTreeMap::new();
    // Group folders look through every path (in any order: `folder_groups` sorts its result).
    for rules in config.classes {
        let found = schema.lookup(&rules.class).map(|c| c.name().to_string());
        match found {
            Some(full) => {
                let mut rules = rules;
                resolve_group_folders(&mut rules, &paths, rules_source, &mut diagnostics);
                own_rules.insert(full, rules);
            }
            None if rules_source == RulesSource::Vault => {
                let names: Vec<&str> = schema.classes.iter().map(|c| c.short_name()).collect();
                let help = match closest_name(&rules.class, names) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "name a class by its fileClass short name or its full path below the schema folder".to_string(),
                };
                diagnostics.push(
                    Diagnostic::warning(
                        "config/unknown-class",
                        format!(
                            "attune.toml has rules for `{}`, which is no fileClass",
                            rules.class
                        ),
                    )
                    .with_path("attune.toml")
                    .with_help(help),
                );
            }
            None => {}
        }
    }
    schema.global = schema.find_global();
    let global_name = schema.global_class().map(|g| g.name().to_string());
    for i in 0..schema.classes.len() {
        let name = schema.classes[i].name().to_string();
        let mut rules = own_rules.get(&name).cloned().unwrap_or_else(|| ClassRules {
            class: name.clone(),
            ..Default::default()
        });
        // Ancestors, nearest first, then the global class: every note carries its fields.
        let mut lineage = schema.classes[i].ancestors.clone();
        if let Some(g) = &global_name
            && *g != name
            && !lineage.contains(g)
        {
            lineage.push(g.clone());
        }
        for ancestor in &lineage {
            let Some(inherited) = own_rules.get(ancestor) else {
                continue;
            };
            for (key, value) in &inherited.defaults {
                if !rules.defaults.iter().any(|(k, _)| k == key) {
                    rules.defaults.push((key.clone(), value.clone()));
                }
            }
            for r in &inherited.relations {
                if !rules.relations.iter().any(|x| x.field == r.field) {
                    rules.relations.push(r.clone());
                }
            }
            for g in &inherited.groups {
                if !rules.groups.iter().any(|x| x.field == g.field) {
                    rules.groups.push(g.clone());
                }
            }
            for a in &inherited.aliases {
                if !rules.aliases.iter().any(|x| x.0 == a.0) {
                    rules.aliases.push(a.clone());
                }
            }
        }
        schema.classes[i].rules = rules;
    }
    // Fields attune.toml adds (own and inherited), after the fileClass's own.
    for i in 0..schema.classes.len() {
        let mut chain = vec![schema.classes[i].name().to_string()];
        chain.extend(schema.classes[i].ancestors.iter().cloned());
        for owner in chain {
            let Some(rules) = own_rules.get(&owner) else {
                continue;
            };
            for (name, kind) in &rules.fields {
                if schema.classes[i].field(name).is_some() {
                    continue;
                }
                let def = FieldDef {
                    name: name.clone(),
                    written_name: None,
                    field_type: crate::field::FieldType::parse(kind),
                    id: String::new(),
                    path: String::new(),
                    options: crate::field::OptionSource::None,
                    raw_options: attune_syntax::Value::Null,
                };
                schema.classes[i].fields.push(EffectiveField {
                    def,
                    from: format!("attune.toml [class.{}]", rules.class),
                    overrides: None,
                });
            }
        }
    }

    schema.class_folders = schema
        .classes
        .iter()
        .enumerate()
        .flat_map(|(i, class)| {
            class
                .file_class
                .files_paths
                .iter()
                .map(String::as_str)
                .chain(class.rules.folder.as_deref())
                .map(|f| f.trim().trim_end_matches('/'))
                .filter(|f| !f.is_empty())
                .map(move |f| (Box::from(f), i))
        })
        .collect();
    (schema, diagnostics)
}

fn resolve_group_folders(
    rules: &mut ClassRules,
    paths: &[&str],
    source: RulesSource,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for group in &mut rules.groups {
        let Some(folder) = &group.folder else {
            continue;
        };
        let found = folder_groups(folder, paths.iter().copied());
        if found.is_empty() && source == RulesSource::Vault {
            diagnostics.push(
                Diagnostic::warning(
                    "config/missing-folder",
                    format!("the options of `{}` in class `{}` come from `{folder}`, which holds no group folders", group.field, rules.class),
                )
                .with_path("attune.toml")
                .with_help("create one folder per group with one note per option, or list the options inline"),
            );
        }
        for (g, values) in found {
            match group.options.iter_mut().find(|(x, _)| *x == g) {
                Some((_, existing)) => {
                    for v in values {
                        if !existing.contains(&v) {
                            existing.push(v);
                        }
                    }
                }
                None => group.options.push((g, values)),
            }
        }
    }
}

impl Schema {
    /// All classes, sorted by full name.
    pub fn classes(&self) -> &[Class] {
        &self.classes
    }

    /// A class by full name (`me/foundations/trigger/trigger`), short name (`trigger`) or a
    /// `fileclass_names` alias from `attune.toml` (`practice_log`).
    pub fn class(&self, name: &str) -> Option<&Class> {
        self.lookup(name).or_else(|| {
            let name = name.trim();
            self.classes
                .iter()
                .find(|c| c.rules.fileclass_names.iter().any(|n| n == name))
        })
    }

    fn lookup(&self, name: &str) -> Option<&Class> {
        let name = name.trim().trim_end_matches(".md");
        self.classes
            .iter()
            .find(|c| c.name() == name)
            .or_else(|| self.classes.iter().find(|c| c.short_name() == name))
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        let class = self.lookup(name)?;
        self.classes.iter().position(|c| c.name() == class.name())
    }

    /// The global class (`globalFileClass`; `_global` falls back to a class named `global`):
    /// its fields are allowed in every note.
    pub fn global_class(&self) -> Option<&Class> {
        self.global.map(|i| &self.classes[i])
    }

    fn find_global(&self) -> Option<usize> {
        let setting = self.settings.global_file_class.as_deref()?;
        self.index_of(setting)
            .or_else(|| self.index_of(setting.trim_start_matches('_')))
    }

    /// The relation declared for `field` of `class` (target classes and inverse), if any.
    pub fn relation_targets(&self, class: &str, field: &str) -> Option<&Relation> {
        self.class(class)?.relation(field)
    }

    /// The target classes of a relation, resolved to classes (unknown names skipped).
    pub fn relation_target_classes(&self, class: &str, field: &str) -> Vec<&Class> {
        self.relation_targets(class, field)
            .map(|r| r.targets.iter().filter_map(|t| self.class(t)).collect())
            .unwrap_or_default()
    }

    /// What an old field name became in `class` (class aliases, then vault-wide aliases).
    pub fn alias<'a>(&'a self, class: Option<&'a Class>, old: &str) -> Option<&'a str> {
        class.and_then(|c| c.alias(old)).or_else(|| {
            self.aliases
                .iter()
                .find(|(o, _)| o == old)
                .map(|(_, n)| n.as_str())
        })
    }

    fn resolve_ancestors(&self, index: usize, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = index;
        loop {
            let class = &self.classes[current];
            let Some(parent) = class.file_class.extends.as_deref() else {
                break;
            };
            let Some(p) = self.index_of(parent) else {
                if current == index {
                    let names: Vec<&str> = self.classes.iter().map(|c| c.name()).collect();
                    let help = match closest_name(parent, names) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "point `extends` at an existing fileClass (its path below the schema folder)".to_string(),
                    };
                    diagnostics.push(
                        Diagnostic::warning(
                            "schema/unknown-extends",
                            format!(
                                "fileClass `{}` extends `{parent}`, which is no fileClass",
                                class.name()
                            ),
                        )
                        .with_path(&class.file_class.path)
                        .with_help(help),
                    );
                }
                break;
            };
            let parent_name = self.classes[p].name().to_string();
            if p == index || out.contains(&parent_name) {
                if current == index || p == index {
                    diagnostics.push(
                        Diagnostic::error(
                            "schema/extends-cycle",
                            format!(
                                "fileClass `{}` extends itself through `{parent}`",
                                self.classes[index].name()
                            ),
                        )
                        .with_path(&self.classes[index].file_class.path)
                        .with_help("remove one `extends` of the cycle"),
                    );
                }
                break;
            }
            out.push(parent_name);
            current = p;
        }
        out
    }

    fn effective_fields(&self, index: usize) -> Vec<EffectiveField> {
        // Walk from the root ancestor down, so nearer classes override farther ones.
        let class = &self.classes[index];
        let mut chain: Vec<&Class> = class
            .ancestors
            .iter()
            .rev()
            .filter_map(|a| self.lookup(a))
            .collect();
        chain.push(class);
        let mut fields: Vec<EffectiveField> = Vec::new();
        for c in chain {
            fields.retain(|f| !c.file_class.excludes.contains(&f.def.name));
            let mut own: Vec<EffectiveField> = Vec::new();
            for def in &c.file_class.fields {
                let overrides = fields
                    .iter()
                    .position(|f| f.def.name == def.name)
                    .map(|at| fields.remove(at).from);
                own.push(EffectiveField {
                    def: def.clone(),
                    from: c.name().to_string(),
                    overrides,
                });
            }
            own.extend(fields);
            fields = own;
        }
        fields
    }
}
