//! Fixture vaults written inline (`//- path` starts a file) for the schema layer.

use std::collections::BTreeMap;

use attune_schema::{ClassSource, NoClassReason, OptionSource, Schema, SchemaInput, load_schema};
use attune_syntax::Diagnostic;

/// Split a fixture into files: each `//- path` line starts a file.
fn vault(fixture: &str) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in fixture.split_inclusive('\n') {
        if let Some(path) = line.trim_start().strip_prefix("//- ") {
            if let Some((p, t)) = current.take() {
                files.insert(p, t);
            }
            current = Some((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line.strip_prefix("    ").unwrap_or(line));
        }
    }
    if let Some((p, t)) = current {
        files.insert(p, t);
    }
    files
}

fn load(fixture: &str) -> (Schema, Vec<Diagnostic>) {
    let files = vault(fixture);
    let settings = files
        .get(".obsidian/plugins/metadata-menu/data.json")
        .cloned();
    let toml = files.get("attune.toml").cloned();
    let input = SchemaInput {
        metadata_menu_settings: settings.as_deref(),
        attune_toml: toml.as_deref(),
        files: &files,
    };
    load_schema(&input)
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

const BASE: &str = r#"
//- Meta/fileClass/base.md
    ---
    fields:
      - name: definition
        type: Input
        options: {}
        path: ""
        id: d1
      - name: mood
        type: Select
        options:
          sourceType: ValuesList
          valuesList:
            "1": calm
            "2": tense
        path: ""
        id: m1
      - name: dropped
        type: Input
        options: {}
        path: ""
        id: x1
    ---
//- Meta/fileClass/kinds/child.md
    ---
    extends: base
    excludes:
      - dropped
    filesPaths:
      - Notes/Children
    icon: zap
    fields:
      - name: mood
        type: Multi
        options:
          sourceType: ValuesList
          valuesList: [joyful, sad]
        path: ""
        id: m2
      - name: count
        type: Number
        options: {}
        path: ""
        id: c1
    ---
"#;

#[test]
fn extends_overrides_and_excludes() {
    let (schema, diagnostics) = load(BASE);
    assert_eq!(codes(&diagnostics), Vec::<&str>::new());
    let child = schema.class("child").expect("short name resolves");
    assert_eq!(child.name(), "kinds/child");
    assert_eq!(
        schema.class("kinds/child").map(|c| c.name()),
        Some("kinds/child")
    );
    let summary: Vec<String> = child
        .fields
        .iter()
        .map(|f| {
            format!(
                "{}:{}<-{}{}",
                f.def.name,
                f.def.field_type.as_str(),
                f.from,
                f.overrides
                    .as_ref()
                    .map(|o| format!(" over {o}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "mood:Multi<-kinds/child over base",
            "count:Number<-kinds/child",
            "definition:Input<-base"
        ]
    );
    assert_eq!(child.ancestors, ["base"]);
    assert_eq!(child.file_class.icon.as_deref(), Some("zap"));
    assert_eq!(
        child
            .field("mood")
            .and_then(|f| f.def.closed_options())
            .map(|o| o.to_vec()),
        Some(vec!["joyful".to_string(), "sad".to_string()])
    );
    // The base class keeps its own version and the excluded field.
    let base = schema.class("base").expect("base");
    assert!(base.field("dropped").is_some());
    assert_eq!(
        base.field("mood").map(|f| f.def.field_type.as_str()),
        Some("Select")
    );
}

#[test]
fn option_sources_inline_note_grouped_query_and_missing() {
    let (schema, diagnostics) = load(
        r#"
//- Meta/fileClass/c.md
    ---
    fields:
      - name: a
        type: Select
        options:
          sourceType: ValuesList
          valuesList:
            "1": one
            "2": two
        path: ""
        id: a
      - name: b
        type: Multi
        options:
          sourceType: ValuesListNotePath
          valuesList: {}
          valuesListNotePath: Meta/lists/b list.md
        path: ""
        id: b
      - name: g
        type: Multi
        options:
          sourceType: ValuesListNotePath
          valuesListNotePath: Meta/lists/grouped.md
        path: ""
        id: g
      - name: q
        type: Select
        options:
          sourceType: ValuesFromDVQuery
          valuesFromDVQuery: dv.pages('"People"').file.name
        path: ""
        id: q
      - name: m
        type: Select
        options:
          sourceType: ValuesListNotePath
          valuesListNotePath: Meta/shared/lists/mood list.md
        path: ""
        id: m
    ---
//- Meta/lists/b list.md
    x
      y  

    x
//- Meta/lists/grouped.md
    #### **Inner**
    - calm
    - steady
    #### Outer
    - loud
//- Meta/elsewhere/lists/mood list.md
    happy
"#,
    );
    let c = schema.class("c").expect("class");
    let opts = |name: &str| c.field(name).expect(name).def.options.clone();
    assert_eq!(
        opts("a"),
        OptionSource::Inline(vec!["one".into(), "two".into()])
    );
    let OptionSource::Note(b) = opts("b") else {
        panic!("b is a note list")
    };
    assert_eq!(b.values, Some(vec!["x".into(), "y".into()]));
    let OptionSource::Note(g) = opts("g") else {
        panic!("g is a note list")
    };
    assert_eq!(
        g.values,
        Some(vec!["calm".into(), "steady".into(), "loud".into()])
    );
    assert_eq!(g.groups.len(), 2);
    assert_eq!(
        opts("q"),
        OptionSource::Query("dv.pages('\"People\"').file.name".into())
    );
    assert_eq!(c.field("q").and_then(|f| f.def.closed_options()), None);
    let OptionSource::Note(m) = opts("m") else {
        panic!("m is a note list")
    };
    assert_eq!(m.values, None);
    assert_eq!(codes(&diagnostics), ["schema/missing-values-note"]);
    let d = &diagnostics[0];
    assert_eq!(d.path, "Meta/fileClass/c.md");
    assert!(
        d.message.contains("`m`")
            && d.message.contains("Meta/shared/lists/mood list.md")
            && d.message.contains("`c`"),
        "{}",
        d.message
    );
    assert_eq!(
        d.help.as_deref(),
        Some(
            "did you mean `Meta/elsewhere/lists/mood list.md`? point `valuesListNotePath` at it, or create the note"
        )
    );
}

#[test]
fn field_name_whitespace_is_normalised_with_a_warning() {
    let (schema, diagnostics) = load(
        r#"
//- Meta/fileClass/s.md
    ---
    fields:
      - name: "strategy_group "
        type: Input
        options: {}
        path: ""
        id: s
    ---
"#,
    );
    let field = &schema.class("s").expect("class").fields[0].def;
    assert_eq!(field.name, "strategy_group");
    assert_eq!(field.written_name.as_deref(), Some("strategy_group "));
    assert_eq!(codes(&diagnostics), ["schema/field-name-whitespace"]);
    assert!(diagnostics[0].span.is_some());
}

#[test]
fn files_paths_longest_prefix_wins_and_fileclass_key_is_a_hint() {
    let (schema, _) = load(
        r#"
//- Meta/fileClass/outer.md
    ---
    filesPaths:
      - ME/Lab
    fields: []
    ---
//- Meta/fileClass/inner.md
    ---
    filesPaths:
      - ME/Lab/Takes
    fields: []
    ---
//- Meta/fileClass/loose.md
    ---
    fields: []
    ---
"#,
    );
    let a = schema.class_of("ME/Lab/Takes/Take 1.md", None);
    assert_eq!(
        (a.class.as_deref(), &a.source),
        (Some("inner"), &ClassSource::Folder)
    );
    let b = schema.class_of("ME/Lab/Other/x.md", None);
    assert_eq!(b.class.as_deref(), Some("outer"));
    // Written with slashes around it, the folder still matches.
    let (slashed, _) = load(
        "//- Meta/fileClass/s.md\n    ---\n    filesPaths: [/ME/Lab/]\n    fields: []\n    ---\n",
    );
    assert_eq!(
        slashed.class_of("ME/Lab/x.md", None).class.as_deref(),
        Some("s")
    );
    // A folder prefix must end at a folder boundary.
    let c = schema.class_of("ME/Labs/x.md", Some("loose"));
    assert_eq!(
        (c.class.as_deref(), &c.source),
        (Some("loose"), &ClassSource::Declared)
    );
    // A disagreeing key is a mismatch; the folder decides.
    let d = schema.class_of("ME/Lab/Takes/Take 2.md", Some("outer"));
    assert_eq!(d.class.as_deref(), Some("inner"));
    assert_eq!(codes(&d.diagnostics), ["schema/class-mismatch"]);
    // Agreeing key: no finding.
    assert!(
        schema
            .class_of("ME/Lab/Takes/Take 3.md", Some("inner"))
            .diagnostics
            .is_empty()
    );
    // No class: unknown key, folder index, no rule, excluded.
    let e = schema.class_of("Elsewhere/x.md", Some("lose"));
    assert_eq!(
        e.source,
        ClassSource::None(NoClassReason::UnknownClass("lose".into()))
    );
    assert_eq!(
        e.diagnostics[0].help.as_deref(),
        Some("did you mean `loose`?")
    );
    assert_eq!(
        schema.class_of("Elsewhere/Elsewhere.md", None).source,
        ClassSource::None(NoClassReason::FolderIndex)
    );
    let f = schema.class_of("Elsewhere/y.md", None);
    assert_eq!(
        (f.source, codes(&f.diagnostics)),
        (
            ClassSource::None(NoClassReason::NoRule),
            vec!["schema/no-class"]
        )
    );
    assert_eq!(
        schema.class_of("Meta/fileClass/inner.md", None).source,
        ClassSource::None(NoClassReason::Excluded)
    );
}

#[test]
fn class_resolution_ties_are_reported_and_the_key_breaks_them() {
    let (schema, _) = load(
        r#"
//- Meta/fileClass/a.md
    ---
    filesPaths: [Shared]
    fields: []
    ---
//- Meta/fileClass/b.md
    ---
    filesPaths: [Shared]
    fields: []
    ---
"#,
    );
    let tie = schema.class_of("Shared/n.md", None);
    assert_eq!(tie.class.as_deref(), Some("a"));
    assert_eq!(codes(&tie.diagnostics), ["schema/class-ambiguous"]);
    let hinted = schema.class_of("Shared/n.md", Some("b"));
    assert_eq!(hinted.class.as_deref(), Some("b"));
    assert!(hinted.diagnostics.is_empty(), "{:?}", hinted.diagnostics);
}

/// Render config diagnostics as `code line:col message | help`.
fn located(text: &str, diagnostics: &[Diagnostic]) -> Vec<String> {
    let index = attune_syntax::LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| {
            let at = d
                .span
                .map(|s| index.line_col(text, s.start as usize))
                .map(|lc| format!("{}:{}", lc.line, lc.col))
                .unwrap_or_default();
            format!(
                "{} {at} {} | {}",
                d.code,
                d.message,
                d.help.as_deref().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn attune_toml_syntax_error_has_line_and_column() {
    let text = "[class.trigger]\nfolder = \"ME/Triggers\"\nnaming = title-case\n";
    let (config, diagnostics) = attune_schema::parse_config(text, "attune.toml");
    assert!(config.classes.is_empty());
    let got = located(text, &diagnostics);
    assert_eq!(got.len(), 1);
    assert!(
        got[0].starts_with("config/invalid 3:10 attune.toml is not valid TOML: "),
        "{got:?}"
    );
    eprintln!("{}", got[0]);
}

#[test]
fn attune_toml_wrong_values_and_unknown_keys_are_located() {
    let text = r#"[class.trigger]
folder = 3
nmaing = "title-case"
naming = "loud"

[class.trigger.relations]
protective_strategies = 4
"#;
    let (config, diagnostics) = attune_schema::parse_config(text, "attune.toml");
    assert_eq!(
        located(text, &diagnostics),
        [
            "config/invalid 2:10 `class.trigger.folder` must be a string, found integer | quote the value",
            "config/invalid 4:10 `class.trigger.naming` is `loud`, which is neither a naming style nor a pattern | use \"title-case\", \"as-typed\", or a pattern with {placeholders} such as \"{scenario}_Session-{n}\"",
            "config/unknown-key 3:1 unknown key `nmaing` in [class.trigger] | did you mean `naming`?",
            "config/invalid 7:25 `class.trigger.relations.protective_strategies` must name a class, found integer | write field = \"<class>\" or field = { target = \"<class>\", inverse = \"<field>\" }",
        ]
    );
    // What was valid is kept.
    assert_eq!(config.classes.len(), 1);
}

#[test]
fn attune_toml_rules_attach_to_classes_and_folders_give_group_options() {
    let (schema, diagnostics) = load(
        r#"
//- attune.toml
    [class.session]
    folder = "Lab/Sessions"
    naming = "{scenario}_Session-{n}"
    body = ["Summary", "Grade"]
    fileclass_names = ["practice_log"]
    defaults = { status = "open", entered = false }

    [class.session.relations]
    takes = { target = "take", inverse = "session" }
    scenario = "scenario"

    [class.take.relations]
    session = { target = "session", inverse = "takes" }

    [class.take.groups.flags]
    by = "flag_group"
    folder = "Meta/lists/flags"

    [class.ghost]
    folder = "Nowhere"
//- Meta/fileClass/session.md
    ---
    fields: []
    ---
//- Meta/fileClass/take.md
    ---
    fields:
      - name: flags
        type: Multi
        options: {}
        path: ""
        id: f
    ---
//- Meta/lists/flags/Rooted/Inherited.md
//- Meta/lists/flags/Rooted/Pre-Verbal.md
//- Meta/lists/flags/Time/Acute.md
//- Meta/lists/flags/flag list.md
    Inherited
"#,
    );
    assert_eq!(codes(&diagnostics), ["config/unknown-class"]);
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("name a class by its fileClass short name or its full path below the schema folder")
    );
    let session = schema
        .class("practice_log")
        .expect("fileclass_names resolve");
    assert_eq!(session.name(), "session");
    assert_eq!(
        session.rules.naming,
        Some(attune_schema::Naming::Pattern(
            "{scenario}_Session-{n}".into()
        ))
    );
    assert_eq!(
        attune_schema::Naming::placeholders("{scenario}_Session-{n}"),
        ["scenario", "n"]
    );
    assert_eq!(session.rules.body, ["Summary", "Grade"]);
    assert_eq!(session.rules.defaults.len(), 2);
    let takes = schema
        .relation_targets("session", "takes")
        .expect("relation");
    assert_eq!(
        (takes.targets.as_slice(), takes.inverse.as_deref()),
        (&["take".to_string()][..], Some("session"))
    );
    assert_eq!(
        schema
            .relation_target_classes("take", "session")
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>(),
        ["session"]
    );
    // The attune.toml folder classifies notes when the fileClass has no filesPaths.
    assert_eq!(
        schema
            .class_of("Lab/Sessions/S_Session-1.md", Some("practice_log"))
            .class
            .as_deref(),
        Some("session")
    );
    assert!(
        schema
            .class_of("Lab/Sessions/S_Session-1.md", Some("practice_log"))
            .diagnostics
            .is_empty()
    );
    let flags = schema
        .class("take")
        .and_then(|c| c.group_rule("flags"))
        .expect("group");
    assert_eq!(
        flags.options,
        vec![
            (
                "Rooted".to_string(),
                vec!["Inherited".to_string(), "Pre-Verbal".to_string()]
            ),
            ("Time".to_string(), vec!["Acute".to_string()]),
        ]
    );
    assert_eq!(flags.options_for("rooted").map(|o| o.len()), Some(2));
}

#[test]
fn without_attune_toml_the_self_work_pack_applies() {
    let (schema, diagnostics) = load(
        r#"
//- Meta/fileClass/me/foundations/emotional wound/emotional_wound.md
    ---
    fields: []
    ---
//- Meta/fileClass/me/practice_lab/practice_session.md
    ---
    fields: []
    ---
"#,
    );
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert_eq!(schema.rules_source, attune_schema::RulesSource::Pack);
    let wound = schema.class("emotional_wound").expect("class");
    assert_eq!(wound.alias("healing_resource"), Some("healing_resources"));
    assert_eq!(
        wound.rules.folder.as_deref(),
        Some("ME/🏛️ Foundations/🌀 Emotional Wounds")
    );
    assert_eq!(
        schema.class("practice_log").map(|c| c.short_name()),
        Some("practice_session")
    );
}

#[test]
fn map_with_tag_classes_untyped_notes_by_tag() {
    let (schema, _) = load(
        r#"
//- Meta/fileClass/moment.md
    ---
    mapWithTag: true
    tagNames:
      - captured
    fields: []
    ---
//- Meta/fileClass/plain.md
    ---
    fields: []
    ---
"#,
    );
    let by_name = schema.class_of_note("Daily/x.md", None, &["moment"]);
    assert_eq!(
        (by_name.class.as_deref(), by_name.source),
        (Some("moment"), ClassSource::Tag)
    );
    assert_eq!(
        schema
            .class_of_note("Daily/y.md", None, &["#captured"])
            .class
            .as_deref(),
        Some("moment")
    );
    // Near miss: a class without mapWithTag is not chosen by tag.
    assert_eq!(
        schema.class_of_note("Daily/z.md", None, &["plain"]).class,
        None
    );
}

#[test]
fn two_classes_with_one_short_name_are_reported() {
    let (schema, diagnostics) = load(
        r#"
//- Meta/fileClass/a/note.md
    ---
    fields: []
    ---
//- Meta/fileClass/b/note.md
    ---
    fields: []
    ---
"#,
    );
    assert_eq!(codes(&diagnostics), ["schema/duplicate-class-name"]);
    assert_eq!(schema.class("note").map(|c| c.name()), Some("a/note"));
    assert_eq!(schema.class("b/note").map(|c| c.name()), Some("b/note"));
}
