//! `attune.toml`: the rules a vault's fileClasses cannot say.
//!
//! The file sits at the vault root. Everything in it is optional; a class is named by its
//! short name (`trigger`) or its full name (`me/foundations/trigger/trigger`).
//!
//! ```toml
//! # Field renames that hold in every class: old name = new name.
//! [aliases]
//! enetered = "entered"
//!
//! [class.trigger]
//! folder = "ME/🏛️ Foundations/⚡ Triggers"   # where new notes go (also classifies notes)
//! naming = "title-case"                      # or "as-typed", or a pattern (below)
//! body = ["Definition", "Notes"]             # section headings of a new note
//! fileclass_names = []                       # other names notes give this class in `fileClass:`
//!
//! [class.global.fields]                      # fields notes carry that the fileClass lacks
//! export_to_inputs = "Boolean"               # name = Metadata Menu type
//!
//! [class.trigger.defaults]                   # frontmatter of a new note
//! id = "{epoch_ms}"
//! created = "{now}"                          # YYYY-MM-DD HH:mm, local time
//! status = "🟩 complete"
//! entered = false
//!
//! [class.trigger.relations]                  # link field = target class(es)
//! protective_strategies = "protective_strategy"
//!
//! [class.practice_session.relations]
//! live_rehearsals = { target = "live_rehearsal", inverse = "practice_session" }
//!
//! [class.trigger.groups.trigger_type]        # the options of `trigger_type` depend on
//! by = "trigger_group"                       # the note's `trigger_group`
//! options.Relational = ["Rejection", "Abandonment"]
//! options.Environmental = ["Loud Noises", "Crowds"]
//!
//! [class.trigger.groups.trigger_flags]       # one folder per group, one empty note per option
//! by = "trigger_flag_group"
//! folder = "Meta/fileClass/me/foundations/trigger/lists/trigger flags"
//!
//! [class.emotional_wound.aliases]            # old field name = new field name
//! healing_resource = "healing_resources"
//! ```
//!
//! Naming patterns use `{field}` for a field of the new note (`{scenario}`), `{session}` for
//! the linked session's name, `{n}` for the next free counter (1 + the highest number among
//! existing names with exactly that prefix), `{date}` (`YYYY-MM-DD`) and `{time}` (`HHmm`).
//! A class whose name depends on a field gives one pattern per value:
//! `naming = { by = "journal_type", patterns = { Integration = "…", Reflection = "…" } }`.
//!
//! Default values are TOML values; in strings `{epoch_ms}`, `{now}`, `{today}` are filled in
//! when the note is created (`source_daily_note = "[[{today}]]"`).

use std::collections::BTreeMap;

use attune_syntax::{Diagnostic, Span, Value};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::suggest::closest_name;

/// The parsed `attune.toml`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VaultConfig {
    /// Field renames that hold in every class (old → new).
    pub aliases: Vec<(String, String)>,
    /// Rules per class, in file order of class names.
    pub classes: Vec<ClassRules>,
}

/// What `attune.toml` says about one class.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClassRules {
    /// The class as named in the file (short or full name).
    pub class: String,
    /// Where the class's notes live and new notes go.
    pub folder: Option<String>,
    pub naming: Option<Naming>,
    /// Section headings a new note gets.
    pub body: Vec<String>,
    /// Frontmatter defaults of a new note, in key order.
    pub defaults: Vec<(String, Value)>,
    pub relations: Vec<Relation>,
    pub groups: Vec<GroupRule>,
    /// Old field name → new field name.
    pub aliases: Vec<(String, String)>,
    /// Other names notes use for this class in their `fileClass:` key (`practice_log`).
    pub fileclass_names: Vec<String>,
    /// Fields the notes carry that the fileClass does not declare: name → Metadata Menu type
    /// (`export_to_inputs = "Boolean"`). They are known (not reported as unknown) and typed.
    pub fields: Vec<(String, String)>,
}

/// How a new note's file name is made.
#[derive(Clone, Debug, PartialEq)]
pub enum Naming {
    /// Title Case of the title (small words lower-case, acronyms kept, illegal characters removed).
    TitleCase,
    /// The title exactly as typed.
    AsTyped,
    /// A pattern with `{placeholders}` (`{scenario}_Session-{n}`).
    Pattern(String),
    /// One pattern per value of a field (`journal_type`).
    ByField {
        field: String,
        patterns: Vec<(String, String)>,
    },
}

impl Naming {
    /// The `{placeholders}` a pattern uses, in order (empty for Title Case / as typed).
    pub fn placeholders(pattern: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push(&rest[open + 1..open + close]);
            rest = &rest[open + close + 1..];
        }
        out
    }
}

/// A typed link field: its target class(es) and the field on the target that points back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    pub field: String,
    /// Target classes (short or full names as written).
    pub targets: Vec<String>,
    /// The field on the target that holds the inverse link, when there is one.
    pub inverse: Option<String>,
    /// A field of the linking note whose value names which target class (or its folder) a
    /// link means, when there are several targets (`threat_source_group = "🪖 Protective
    /// Strategies"` for `threatened_by`).
    pub chosen_by: Option<String>,
}

/// Which options a field may take, depending on a sibling group field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRule {
    /// The field whose options depend on the group (`trigger_type`).
    pub field: String,
    /// The group field (`trigger_group`).
    pub by: String,
    /// Group value → allowed options.
    pub options: Vec<(String, Vec<String>)>,
    /// A folder holding one sub-folder per group, one note per option (read at load time
    /// into `options`).
    pub folder: Option<String>,
}

impl GroupRule {
    /// The allowed options for one group value (compared like options: NFC, U+FE0F and
    /// case ignored), `None` when the group is not in the map.
    pub fn options_for(&self, group: &str) -> Option<&[String]> {
        let wanted = crate::field::normalize_option(group).to_lowercase();
        self.options
            .iter()
            .find(|(g, _)| crate::field::normalize_option(g).to_lowercase() == wanted)
            .map(|(_, o)| o.as_slice())
    }
}

/// Parse `attune.toml`. `path` is used in diagnostics. Problems never stop the parse: a
/// syntax error gives an empty config and a `config/invalid` error located at the fault;
/// a wrong value or unknown key is skipped with a diagnostic.
pub fn parse_config(text: &str, path: &str) -> (VaultConfig, Vec<Diagnostic>) {
    let mut cx = Cx {
        path,
        diagnostics: Vec::new(),
    };
    let table = match DeTable::parse(text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            let span = e.span().map(|r| Span::new(r.start, r.end));
            let mut d = Diagnostic::error(
                "config/invalid",
                format!("{path} is not valid TOML: {}", e.message().trim()),
            )
            .with_path(path)
            .with_help(
                "fix the TOML syntax at this position (text values need double quotes); until then the file's rules are ignored",
            );
            if let Some(span) = span {
                d = d.with_span(span);
            }
            return (VaultConfig::default(), vec![d]);
        }
    };
    let mut config = VaultConfig::default();
    for (key, value) in &table {
        match key.get_ref().as_ref() {
            "aliases" => config.aliases = cx.string_map(value, "aliases"),
            "class" => {
                let Some(classes) = cx.table(value, "class") else {
                    continue;
                };
                for (name, rules) in classes {
                    if let Some(rules) = cx.class_rules(name.get_ref(), rules) {
                        config.classes.push(rules);
                    }
                }
            }
            other => cx.unknown_key(key, other, &["aliases", "class"], "the top level"),
        }
    }
    (config, cx.diagnostics)
}

struct Cx<'p> {
    path: &'p str,
    diagnostics: Vec<Diagnostic>,
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

impl Cx<'_> {
    fn invalid(&mut self, at: Span, message: String, help: &str) {
        self.diagnostics.push(
            Diagnostic::error("config/invalid", message)
                .with_path(self.path)
                .with_span(at)
                .with_help(help),
        );
    }

    fn unknown_key(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        name: &str,
        known: &[&str],
        place: &str,
    ) {
        let help = match closest_name(name, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known keys here: {}", known.join(", ")),
        };
        self.diagnostics.push(
            Diagnostic::warning(
                "config/unknown-key",
                format!("unknown key `{name}` in {place}"),
            )
            .with_path(self.path)
            .with_span(span_of(key))
            .with_help(help),
        );
    }

    fn table<'a, 'i>(
        &mut self,
        value: &'a Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.invalid(
                    span_of(value),
                    format!("`{what}` must be a table, found {}", other.type_str()),
                    "write it as a [section] or an inline { … } table",
                );
                None
            }
        }
    }

    fn string(&mut self, value: &Spanned<DeValue<'_>>, what: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.invalid(
                    span_of(value),
                    format!("`{what}` must be a string, found {}", other.type_str()),
                    "quote the value",
                );
                None
            }
        }
    }

    /// A string or an array of strings.
    fn strings(&mut self, value: &Spanned<DeValue<'_>>, what: &str) -> Vec<String> {
        match value.get_ref() {
            DeValue::String(s) => vec![s.to_string()],
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| self.string(item, what))
                .collect(),
            other => {
                self.invalid(
                    span_of(value),
                    format!(
                        "`{what}` must be a string or an array of strings, found {}",
                        other.type_str()
                    ),
                    "write a list such as [\"a\", \"b\"]",
                );
                Vec::new()
            }
        }
    }

    fn string_map(&mut self, value: &Spanned<DeValue<'_>>, what: &str) -> Vec<(String, String)> {
        let Some(table) = self.table(value, what) else {
            return Vec::new();
        };
        table
            .iter()
            .filter_map(|(k, v)| {
                self.string(v, &format!("{what}.{}", k.get_ref()))
                    .map(|s| (k.get_ref().to_string(), s))
            })
            .collect()
    }

    fn class_rules(&mut self, name: &str, value: &Spanned<DeValue<'_>>) -> Option<ClassRules> {
        let table = self.table(value, &format!("class.{name}"))?;
        let mut rules = ClassRules {
            class: name.to_string(),
            ..ClassRules::default()
        };
        const KEYS: &[&str] = &[
            "folder",
            "naming",
            "body",
            "defaults",
            "relations",
            "groups",
            "aliases",
            "fileclass_names",
            "fields",
        ];
        for (key, value) in table {
            let what = format!("class.{name}.{}", key.get_ref());
            match key.get_ref().as_ref() {
                "folder" => {
                    rules.folder = self
                        .string(value, &what)
                        .map(|s| s.trim_end_matches('/').to_string())
                }
                "naming" => rules.naming = self.naming(value, &what),
                "body" => rules.body = self.strings(value, &what),
                "fileclass_names" => rules.fileclass_names = self.strings(value, &what),
                "aliases" => rules.aliases = self.string_map(value, &what),
                "fields" => rules.fields = self.string_map(value, &what),
                "defaults" => {
                    if let Some(t) = self.table(value, &what) {
                        rules.defaults = t
                            .iter()
                            .map(|(k, v)| (k.get_ref().to_string(), to_value(v.get_ref())))
                            .collect();
                    }
                }
                "relations" => {
                    let Some(t) = self.table(value, &what) else {
                        continue;
                    };
                    for (field, spec) in t {
                        if let Some(r) = self.relation(
                            field.get_ref(),
                            spec,
                            &format!("{what}.{}", field.get_ref()),
                        ) {
                            rules.relations.push(r);
                        }
                    }
                }
                "groups" => {
                    let Some(t) = self.table(value, &what) else {
                        continue;
                    };
                    for (field, spec) in t {
                        if let Some(g) = self.group(
                            field.get_ref(),
                            spec,
                            &format!("{what}.{}", field.get_ref()),
                        ) {
                            rules.groups.push(g);
                        }
                    }
                }
                other => self.unknown_key(key, other, KEYS, &format!("[class.{name}]")),
            }
        }
        Some(rules)
    }

    fn naming(&mut self, value: &Spanned<DeValue<'_>>, what: &str) -> Option<Naming> {
        match value.get_ref() {
            DeValue::String(s) => Some(match s.trim() {
                "title-case" => Naming::TitleCase,
                "as-typed" => Naming::AsTyped,
                pattern if pattern.contains('{') => Naming::Pattern(pattern.to_string()),
                other => {
                    self.invalid(
                        span_of(value),
                        format!("`{what}` is `{other}`, which is neither a naming style nor a pattern"),
                        "use \"title-case\", \"as-typed\", or a pattern with {placeholders} such as \"{scenario}_Session-{n}\"",
                    );
                    return None;
                }
            }),
            DeValue::Table(t) => {
                let mut field = None;
                let mut patterns = Vec::new();
                for (k, v) in t {
                    match k.get_ref().as_ref() {
                        "by" => field = self.string(v, &format!("{what}.by")),
                        "patterns" => patterns = self.string_map(v, &format!("{what}.patterns")),
                        other => self.unknown_key(k, other, &["by", "patterns"], what),
                    }
                }
                match field {
                    Some(field) => Some(Naming::ByField { field, patterns }),
                    None => {
                        self.invalid(
                            span_of(value),
                            format!("`{what}` needs `by`, the field that picks the pattern"),
                            "add by = \"<field>\"",
                        );
                        None
                    }
                }
            }
            other => {
                self.invalid(
                    span_of(value),
                    format!(
                        "`{what}` must be a string or a table, found {}",
                        other.type_str()
                    ),
                    "write naming = \"title-case\"",
                );
                None
            }
        }
    }

    fn relation(
        &mut self,
        field: &str,
        value: &Spanned<DeValue<'_>>,
        what: &str,
    ) -> Option<Relation> {
        match value.get_ref() {
            DeValue::String(_) | DeValue::Array(_) => Some(Relation {
                field: field.to_string(),
                targets: self.strings(value, what),
                inverse: None,
                chosen_by: None,
            }),
            DeValue::Table(t) => {
                let mut relation = Relation {
                    field: field.to_string(),
                    targets: Vec::new(),
                    inverse: None,
                    chosen_by: None,
                };
                for (k, v) in t {
                    match k.get_ref().as_ref() {
                        "target" => relation.targets = self.strings(v, &format!("{what}.target")),
                        "inverse" => relation.inverse = self.string(v, &format!("{what}.inverse")),
                        "chosen_by" => {
                            relation.chosen_by = self.string(v, &format!("{what}.chosen_by"))
                        }
                        other => {
                            self.unknown_key(k, other, &["target", "inverse", "chosen_by"], what)
                        }
                    }
                }
                if relation.targets.is_empty() {
                    self.invalid(
                        span_of(value),
                        format!("`{what}` names no target class"),
                        "add target = \"<class>\"",
                    );
                    return None;
                }
                Some(relation)
            }
            other => {
                self.invalid(
                    span_of(value),
                    format!("`{what}` must name a class, found {}", other.type_str()),
                    "write field = \"<class>\" or field = { target = \"<class>\", inverse = \"<field>\" }",
                );
                None
            }
        }
    }

    fn group(
        &mut self,
        field: &str,
        value: &Spanned<DeValue<'_>>,
        what: &str,
    ) -> Option<GroupRule> {
        let table = self.table(value, what)?;
        let mut rule = GroupRule {
            field: field.to_string(),
            by: String::new(),
            options: Vec::new(),
            folder: None,
        };
        for (k, v) in table {
            match k.get_ref().as_ref() {
                "by" => rule.by = self.string(v, &format!("{what}.by")).unwrap_or_default(),
                "folder" => {
                    rule.folder = self
                        .string(v, &format!("{what}.folder"))
                        .map(|s| s.trim_end_matches('/').to_string())
                }
                "options" => {
                    let Some(t) = self.table(v, &format!("{what}.options")) else {
                        continue;
                    };
                    let mut options = BTreeMap::new();
                    for (group, values) in t {
                        options.insert(
                            group.get_ref().to_string(),
                            self.strings(values, &format!("{what}.options.{}", group.get_ref())),
                        );
                    }
                    rule.options = options.into_iter().collect();
                }
                other => self.unknown_key(k, other, &["by", "options", "folder"], what),
            }
        }
        if rule.by.is_empty() {
            self.invalid(
                span_of(value),
                format!("`{what}` needs `by`, the group field"),
                "add by = \"<group field>\"",
            );
            return None;
        }
        Some(rule)
    }
}

fn to_value(value: &DeValue<'_>) -> Value {
    match value {
        DeValue::String(s) => Value::text(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(Value::Int)
            .unwrap_or_else(|_| Value::text(i.as_str())),
        DeValue::Float(f) => f
            .as_str()
            .parse()
            .map(Value::Float)
            .unwrap_or_else(|_| Value::text(f.as_str())),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::text(d.to_string()),
        DeValue::Array(items) => Value::List(items.iter().map(|i| to_value(i.get_ref())).collect()),
        DeValue::Table(t) => Value::Map(
            t.iter()
                .map(|(k, v)| (Box::from(&**k.get_ref()), to_value(v.get_ref())))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod chosen_by_tests {
    use super::*;

    #[test]
    fn a_relation_can_name_the_field_that_chooses_its_target() {
        let text = "[class.emotional_need.relations]\nthreatened_by = { target = [\"trigger\", \"tradeoff\"], chosen_by = \"threat_source_group\" }\nother = \"trigger\"\n";
        let (config, diagnostics) = parse_config(text, "attune.toml");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let relations = &config.classes[0].relations;
        let threatened = relations
            .iter()
            .find(|r| r.field == "threatened_by")
            .unwrap();
        assert_eq!(threatened.chosen_by.as_deref(), Some("threat_source_group"));
        assert_eq!(threatened.targets, ["trigger", "tradeoff"]);
        assert_eq!(
            relations
                .iter()
                .find(|r| r.field == "other")
                .unwrap()
                .chosen_by,
            None
        );
    }

    #[test]
    fn a_misspelt_relation_key_is_reported_with_the_known_ones() {
        let text = "[class.x.relations]\nf = { target = \"y\", chosenby = \"g\" }\n";
        let (_, diagnostics) = parse_config(text, "attune.toml");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(
            diagnostics[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("chosen_by")
                || diagnostics[0].message.contains("chosen_by"),
            "{diagnostics:?}"
        );
    }
}
