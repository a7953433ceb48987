//! Conformance suite: DQL queries over a small fixture vault, each case written from the
//! Dataview documentation section cited beside it (blacksmithgu.github.io/obsidian-dataview,
//! "Query Types", "Data Commands", "Sources", "Expressions", "Literals", "Functions",
//! "Metadata on Pages", "Metadata on Tasks", "Types of Metadata").
//!
//! Output format of a case: the header line, then one line per row, cells ` | `-separated and
//! typed: `"text"`, `3`, `true`, `null`, `[[path|display]]`, `2025-07-05`, `dur(1 day)`,
//! `[a, b]`, `{k: v}`. Warnings follow as `warning: …`; errors are `error code at L:C: …`.

use std::sync::OnceLock;

use attune_query::{
    MemorySource, PageId, QValue, QueryResult, QuerySource, RunOptions, query, render,
};
use expect_test::{Expect, expect};

const VAULT: &str = r#"
//- Projects/Alpha.md
---
title: Alpha Project
status: 🟨 review
tags: [project, work/urgent]
priority: 2
due: 2025-07-05
created: 2025-07-05 00:46
started: 2025-07-01T09:30
estimate: 3 hours
owner: "[[Bob]]"
related: ["[[Beta]]", "[[Gamma]]"]
Energy Mood: high
aliases: [A1, First]
scores: [3, 1, 2]
---
# Alpha
Working with [[Beta]] and #inline-tag today.
effort:: 5
- [ ] write spec
- [x] kickoff
//- Projects/Beta.md
---
title: Beta
status: ["🟩 complete"]
tags: project
priority: 1
due: 2025-06-01
owner: "[[Carol]]"
related: "[[Alpha]]"
rating: 4.5
scores: []
---
Beta links to [[Alpha#Goals|the goals]] and ![[Diagram.png]].
- [ ] ship it
//- Projects/Archive/Gamma.md
---
title: gamma
status:
priority: 3
tags: [project/old]
notes: "contains, comma"
scores: [10]
---
Old project, see [[Missing Note]].
//- Projects/Delta.md
---
title: Delta
status: "-"
priority: "2"
tags: [project/new, Work]
---
//- People/Bob.md
---
role: engineer
age: 34
tags: person
practice_lab: true
---
Bob works on [[Alpha]].
//- People/Carol.md
---
role: manager
age: 41
tags: [person]
practice_lab: false
---
//- Journal/2025-07-05.md
---
mood: 7
people: ["[[Bob]]", "[[Carol]]"]
---
Met about [[Alpha]].
weather:: sunny
- [ ] call [[Bob]]
- [X] write journal
- [-] cancelled thing
//- Index.md
---
searchTerm: pha
empty: ""
limit: 2
---
# Index
```dataview
LIST FROM "Projects"
```
"#;

fn fixture_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for chunk in VAULT.split("//- ").skip(1) {
        let (path, text) = chunk.split_once('\n').expect("header line");
        files.push((path.trim().to_string(), text.to_string()));
    }
    files
}

fn vault() -> &'static MemorySource {
    static VAULT_SOURCE: OnceLock<MemorySource> = OnceLock::new();
    VAULT_SOURCE.get_or_init(|| MemorySource::from_texts(fixture_files()))
}

fn options() -> RunOptions {
    let vault = vault();
    RunOptions {
        this: vault.page_by_path("Index.md"),
        now: Some(jiff::civil::date(2025, 7, 10).at(12, 0, 0, 0)),
    }
}

fn show(v: &QValue) -> String {
    match v {
        QValue::Null => "null".to_string(),
        QValue::Bool(b) => b.to_string(),
        QValue::Number(n) => attune_query::format_number(*n),
        QValue::Text(s) => format!("\"{s}\""),
        QValue::Date(d) => {
            if d.hour() == 0 && d.minute() == 0 && d.second() == 0 {
                d.date().to_string()
            } else {
                d.to_string()
            }
        }
        QValue::Duration(_) => format!("dur({})", render::display_value(v)),
        QValue::Link(l) => {
            let mut s = String::from(if l.embed { "![[" } else { "[[" });
            s.push_str(&l.path);
            if let Some(sub) = &l.subpath {
                s.push('#');
                s.push_str(sub);
            }
            if let Some(d) = &l.display {
                s.push('|');
                s.push_str(d);
            }
            s + "]]"
        }
        QValue::List(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        QValue::Object(fields) => {
            format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", show(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        other => format!("{other:?}"),
    }
}

fn run(text: &str) -> String {
    match query(text, vault(), &options()) {
        Err(e) => {
            let at = e
                .line_col(text)
                .map_or(String::new(), |(l, c)| format!(" at {l}:{c}"));
            let help = e.help.map_or(String::new(), |h| format!(" (help: {h})"));
            format!("error {}{at}: {}{help}", e.code, e.message)
        }
        Ok(out) => {
            let mut lines = Vec::new();
            match &out.result {
                QueryResult::Table { headers, rows } => {
                    lines.push(headers.join(" | "));
                    for row in rows {
                        lines.push(row.iter().map(show).collect::<Vec<_>>().join(" | "));
                    }
                }
                QueryResult::List { items } => {
                    for item in items {
                        let parts: Vec<String> =
                            item.id.iter().chain(item.value.iter()).map(show).collect();
                        lines.push(format!("- {}", parts.join(": ")));
                    }
                }
                QueryResult::Task { groups } => {
                    for g in groups {
                        if let Some(key) = &g.key {
                            lines.push(format!("## {}", show(key)));
                        }
                        for t in &g.tasks {
                            lines.push(format!(
                                "- [{}] {} ({}:{})",
                                t.status, t.text, t.path, t.line
                            ));
                        }
                    }
                }
            }
            for w in &out.warnings {
                lines.push(format!("warning: {w}"));
            }
            lines.join("\n")
        }
    }
}

/// A whole query.
fn case(text: &str, expect: Expect) {
    expect.assert_eq(&run(text));
}

/// One expression, evaluated on the page Projects/Alpha.md (`this` is Index.md).
fn e(expr: &str, expect: Expect) {
    let out = run(&format!(
        "TABLE WITHOUT ID {expr} AS v\nFROM \"Projects/Alpha.md\""
    ));
    let value = out.strip_prefix("v\n").map_or(out.clone(), str::to_string);
    expect.assert_eq(&value);
}

// ---------------------------------------------------------------- Query Types

#[test]
fn query_types() {
    // Query Types › Table: the implicit File column first, then the named fields.
    case(
        r#"TABLE title, priority FROM "Projects" SORT file.name"#,
        expect![[r#"
            File | title | priority
            [[Projects/Alpha.md]] | "Alpha Project" | 2
            [[Projects/Beta.md]] | "Beta" | 1
            [[Projects/Delta.md]] | "Delta" | "2"
            [[Projects/Archive/Gamma.md]] | "gamma" | 3"#]],
    );
    // Query Types › Table: `AS "Header"` names a column; `AS word` too.
    case(
        r#"TABLE title AS "Title", priority AS prio FROM "People" SORT file.name"#,
        expect![[r#"
            File | Title | prio
            [[People/Bob.md]] | null | null
            [[People/Carol.md]] | null | null"#]],
    );
    // Query Types › Table: WITHOUT ID drops the File column.
    case(
        r#"TABLE WITHOUT ID file.name AS Name, role FROM "People" SORT file.name"#,
        expect![[r#"
            Name | role
            "Bob" | "engineer"
            "Carol" | "manager""#]],
    );
    // Query Types › Table: a TABLE without fields lists the files only.
    case(
        r#"TABLE FROM #person SORT file.name DESC"#,
        expect![[r#"
            File
            [[People/Carol.md]]
            [[People/Bob.md]]"#]],
    );
    // Query Types › List: the file links.
    case(
        r#"LIST FROM "People""#,
        expect![[r#"
            - [[People/Bob.md]]
            - [[People/Carol.md]]"#]],
    );
    // Query Types › List: `LIST expr` shows the value beside the file.
    case(
        r#"LIST role FROM "People""#,
        expect![[r#"
            - [[People/Bob.md]]: "engineer"
            - [[People/Carol.md]]: "manager""#]],
    );
    // Query Types › List: `LIST WITHOUT ID expr` shows the value alone.
    case(
        r#"LIST WITHOUT ID age + 1 FROM "People""#,
        expect![[r#"
            - 35
            - 42"#]],
    );
    // Query Types › Task: every task of the matching pages.
    case(
        r#"TASK FROM "Journal""#,
        expect![[r#"
            - [ ] call [[Bob]] (Journal/2025-07-05.md:7)
            - [X] write journal (Journal/2025-07-05.md:8)
            - [-] cancelled thing (Journal/2025-07-05.md:9)"#]],
    );
    // Metadata on Tasks: `completed` is true for [x]/[X]; `checked` for any status but space.
    case(
        r#"TASK WHERE !completed"#,
        expect![[r#"
            - [ ] call [[Bob]] (Journal/2025-07-05.md:7)
            - [-] cancelled thing (Journal/2025-07-05.md:9)
            - [ ] write spec (Projects/Alpha.md:19)
            - [ ] ship it (Projects/Beta.md:13)"#]],
    );
    case(
        r#"TASK WHERE checked AND !completed"#,
        expect!["- [-] cancelled thing (Journal/2025-07-05.md:9)"],
    );
    // Query Types › Task: GROUP BY groups the tasks (here by their page).
    case(
        r#"TASK WHERE !completed GROUP BY file.link"#,
        expect![[r#"
            ## [[Journal/2025-07-05.md]]
            - [ ] call [[Bob]] (Journal/2025-07-05.md:7)
            - [-] cancelled thing (Journal/2025-07-05.md:9)
            ## [[Projects/Alpha.md]]
            - [ ] write spec (Projects/Alpha.md:19)
            ## [[Projects/Beta.md]]
            - [ ] ship it (Projects/Beta.md:13)"#]],
    );
    // Metadata on Tasks: task fields `text`, `line`, `status`; page fields stay reachable.
    case(
        r#"TASK WHERE contains(text, "spec") AND priority = 2"#,
        expect!["- [ ] write spec (Projects/Alpha.md:19)"],
    );
    // Structure of a Query: a column without AS is named by its text.
    case(
        r#"TABLE WITHOUT ID length(file.outlinks), file.name FROM "People/Bob""#,
        expect![[r#"
            length(file.outlinks) | file.name
            1 | "Bob""#]],
    );
    // Structure of a Query: keywords are case-insensitive; a query may span lines.
    case(
        "table without id\n  file.name\nfrom \"People\"\nwhere age > 40",
        expect![[r#"
            file.name
            "Carol""#]],
    );
}

// ---------------------------------------------------------------- Sources

#[test]
fn sources() {
    // Sources › Folders: a folder includes its subfolders.
    case(
        r#"LIST FROM "Projects" SORT file.path"#,
        expect![[r#"
            - [[Projects/Alpha.md]]
            - [[Projects/Archive/Gamma.md]]
            - [[Projects/Beta.md]]
            - [[Projects/Delta.md]]"#]],
    );
    case(
        r#"LIST FROM "Projects/Archive""#,
        expect!["- [[Projects/Archive/Gamma.md]]"],
    );
    // Sources › Specific Files: a full path selects one file, with or without `.md`.
    case(
        r#"LIST FROM "Projects/Beta""#,
        expect!["- [[Projects/Beta.md]]"],
    );
    case(
        r#"LIST FROM "Projects/Beta.md""#,
        expect!["- [[Projects/Beta.md]]"],
    );
    // Sources › Folders: a missing folder gives no rows (not an error).
    case(r#"LIST FROM "Nowhere""#, expect![""]);
    // Sources › Folders: a folder name is a full path, not a bare folder name.
    case(r#"LIST FROM "Archive""#, expect![""]);
    // Sources › Tags: `#tag` matches nested tags `#tag/sub` too.
    case(
        r#"LIST FROM #project SORT file.name"#,
        expect![[r#"
            - [[Projects/Alpha.md]]
            - [[Projects/Beta.md]]
            - [[Projects/Delta.md]]
            - [[Projects/Archive/Gamma.md]]"#]],
    );
    case(
        r#"LIST FROM #project/old"#,
        expect!["- [[Projects/Archive/Gamma.md]]"],
    );
    // Sources › Tags: tags in the body count; tag matching ignores case.
    case(
        r#"LIST FROM #inline-tag"#,
        expect!["- [[Projects/Alpha.md]]"],
    );
    case(
        r#"LIST FROM #work"#,
        expect![[r#"
        - [[Projects/Alpha.md]]
        - [[Projects/Delta.md]]"#]],
    );
    // Sources › Links: `[[note]]` = pages linking to the note.
    case(
        r#"LIST FROM [[Alpha]] SORT file.name"#,
        expect![[r#"
            - [[Journal/2025-07-05.md]]
            - [[Projects/Beta.md]]
            - [[People/Bob.md]]"#]],
    );
    // Sources › Links: `outgoing([[note]])` = pages the note links to (existing ones).
    case(
        r#"LIST FROM outgoing([[Alpha]]) SORT file.name"#,
        expect![[r#"
            - [[Projects/Beta.md]]
            - [[People/Bob.md]]
            - [[Projects/Archive/Gamma.md]]"#]],
    );
    case(
        r#"LIST FROM outgoing([[Nope]])"#,
        expect![[
            r#"error query/eval: Could not find file "Nope" during link lookup - does it exist?"#
        ]],
    );
    // Sources › Combining Sources: `and`, `or`, negation with `-` or `!`, parentheses.
    case(
        r#"LIST FROM #project and "Projects/Archive""#,
        expect!["- [[Projects/Archive/Gamma.md]]"],
    );
    case(
        r#"LIST FROM #person or "Journal" SORT file.name"#,
        expect![[r#"
            - [[Journal/2025-07-05.md]]
            - [[People/Bob.md]]
            - [[People/Carol.md]]"#]],
    );
    case(
        r#"LIST FROM #project AND -#project/old AND !#work SORT file.name"#,
        expect!["- [[Projects/Beta.md]]"],
    );
    case(
        r#"LIST FROM ("People" OR "Journal") AND -#person"#,
        expect!["- [[Journal/2025-07-05.md]]"],
    );
    // Sources › Links: `[[]]` is the current file (pages linking to Index: none).
    case(r#"LIST FROM [[]]"#, expect![""]);
    // Structure of a Query: no FROM means every page of the vault.
    case(
        r#"TABLE WITHOUT ID length(rows) AS n GROUP BY true"#,
        expect![[r#"
            n
            8"#]],
    );
    // Sources › Links: a link to a note that does not exist finds the pages naming it.
    case(
        r#"LIST FROM [[Missing Note]]"#,
        expect!["- [[Projects/Archive/Gamma.md]]"],
    );
}

// ---------------------------------------------------------------- Data Commands

#[test]
fn data_commands() {
    // Data Commands › WHERE: keeps rows whose expression is truthy.
    case(
        r#"LIST WHERE priority > 1 AND typeof(priority) = "number" SORT file.name"#,
        expect![[r#"
            - [[Projects/Alpha.md]]
            - [[Projects/Archive/Gamma.md]]"#]],
    );
    // Data Commands › WHERE: a missing field is null, and null is falsy.
    case(r#"LIST WHERE rating"#, expect!["- [[Projects/Beta.md]]"]);
    // Data Commands › SORT: ascending by default, DESC reverses; several keys break ties.
    case(
        r#"TABLE WITHOUT ID file.name, priority FROM #project SORT typeof(priority), priority DESC"#,
        expect![[r#"
            file.name | priority
            "Gamma" | 3
            "Alpha" | 2
            "Beta" | 1
            "Delta" | "2""#]],
    );
    // Data Commands › SORT: null sorts before everything.
    case(
        r#"TABLE WITHOUT ID file.name, due FROM #project SORT due ASC"#,
        expect![[r#"
            file.name | due
            "Gamma" | null
            "Delta" | null
            "Beta" | 2025-06-01
            "Alpha" | 2025-07-05"#]],
    );
    // Data Commands › SORT: text sorts like localeCompare (case-insensitive first).
    case(
        r#"TABLE WITHOUT ID title FROM #project SORT title"#,
        expect![[r#"
            title
            "Alpha Project"
            "Beta"
            "Delta"
            "gamma""#]],
    );
    // Data Commands › GROUP BY: one row per key; the id column is named after the group;
    // `rows` holds the grouped pages.
    case(
        r#"TABLE rows.file.name AS Names FROM #project GROUP BY typeof(priority) AS kind"#,
        expect![[r#"
            kind | Names
            "number" | ["Alpha", "Gamma", "Beta"]
            "string" | ["Delta"]"#]],
    );
    // Data Commands › GROUP BY: without AS the column is named by the expression text.
    case(
        r#"TABLE length(rows) AS n FROM "Projects" GROUP BY file.folder"#,
        expect![[r#"
            file.folder | n
            "Projects" | 3
            "Projects/Archive" | 1"#]],
    );
    // Data Commands › GROUP BY: `key` is the group's value too.
    case(
        r#"LIST WITHOUT ID key + ": " + length(rows) FROM "People" GROUP BY role"#,
        expect![[r#"
            - "engineer: 1"
            - "manager: 1""#]],
    );
    // Data Commands › FLATTEN: one row per list element, named by the expression.
    case(
        r#"TABLE WITHOUT ID file.name, related FROM "Projects" FLATTEN related WHERE related SORT file.name"#,
        expect![[r#"
            file.name | related
            "Alpha" | [[Projects/Beta.md]]
            "Alpha" | [[Projects/Archive/Gamma.md]]
            "Beta" | [[Projects/Alpha.md]]"#]],
    );
    // Data Commands › FLATTEN … AS name.
    case(
        r#"TABLE WITHOUT ID file.name, s FROM #project FLATTEN scores AS s SORT s DESC"#,
        expect![[r#"
            file.name | s
            "Gamma" | 10
            "Alpha" | 3
            "Alpha" | 2
            "Alpha" | 1
            "Delta" | null"#]],
    );
    // Data Commands › FLATTEN: an empty list yields no rows; a non-list value one row.
    case(
        r#"LIST WITHOUT ID file.name FROM "Projects/Beta" FLATTEN scores"#,
        expect![""],
    );
    case(
        r#"LIST WITHOUT ID title FROM "Projects/Beta" FLATTEN title"#,
        expect![r#"- "Beta""#],
    );
    // Data Commands › SORT: `SORT file` compares the file objects key by key (aliases,
    // then creation day/time, tags, …), not by name: Alpha, the only one with aliases, is last.
    case(
        r#"LIST FROM "Projects" SORT file"#,
        expect![[r#"
            - [[Projects/Beta.md]]
            - [[Projects/Delta.md]]
            - [[Projects/Archive/Gamma.md]]
            - [[Projects/Alpha.md]]"#]],
    );
    // Data Commands › LIMIT.
    case(
        r#"LIST FROM #project SORT file.name LIMIT 2"#,
        expect![[r#"
            - [[Projects/Alpha.md]]
            - [[Projects/Beta.md]]"#]],
    );
    // Data Commands › LIMIT takes an expression (this.limit = 2 on the query's note).
    case(
        r#"LIST FROM #project SORT file.name DESC LIMIT this.limit - 1"#,
        expect!["- [[Projects/Archive/Gamma.md]]"],
    );
    case(
        r#"LIST LIMIT "x""#,
        expect![
            "error query/eval: Failed to execute 'limit' statement: limit should be a number, but got 'string'"
        ],
    );
    // Structure of a Query: commands run in the order written and may repeat.
    case(
        r#"LIST FROM #project SORT file.name LIMIT 3 WHERE priority != 1 SORT file.name DESC"#,
        expect![[r#"
            - [[Projects/Delta.md]]
            - [[Projects/Alpha.md]]"#]],
    );
    // Structure of a Query: FROM only once and right after the query type.
    case(
        r#"LIST WHERE true FROM "People""#,
        expect![
            "error query/parse at 1:17: FROM can appear only once, right after the query type (help: move the FROM line up, just below the TABLE/LIST/TASK line)"
        ],
    );
    // Data Commands › GROUP BY then FLATTEN rows un-groups.
    case(
        r#"TABLE WITHOUT ID key, r.file.name AS name FROM "People" GROUP BY practice_lab FLATTEN rows AS r"#,
        expect![[r#"
            key | name
            false | "Carol"
            true | "Bob""#]],
    );
    // Structure of a Query: `//` comment lines between commands.
    case(
        "LIST FROM \"People\"\n// only engineers\nWHERE role = \"engineer\"",
        expect!["- [[People/Bob.md]]"],
    );
    // Data Commands › GROUP BY a list value groups by the whole list.
    case(
        r#"TABLE length(rows) AS n FROM #project GROUP BY length(scores) > 0 AS has"#,
        expect![[r#"
            has | n
            false | 2
            true | 2"#]],
    );
}

// ---------------------------------------------------------------- Expressions and fields

#[test]
fn fields_and_access() {
    // Expressions › Field access: a frontmatter field by name.
    e("title", expect![[r#""Alpha Project""#]]);
    // Adding Metadata › Field names: `Energy Mood` is also `energy-mood`, and
    // `row["Energy Mood"]` reaches the name as written.
    e("energy-mood", expect![[r#""high""#]]);
    e(r#"row["Energy Mood"]"#, expect![[r#""high""#]]);
    e(r#"row.title"#, expect![[r#""Alpha Project""#]]);
    // Adding Metadata › Inline fields `key:: value`.
    e("effort", expect!["5"]);
    // Expressions › Index: `list[0]`, out of range is null.
    e("scores[0]", expect!["3"]);
    e("scores[7]", expect!["null"]);
    // Expressions › Index: a string index on a list maps over its elements.
    e(r#"related["path"]"#, expect![[r#"[null, null]"#]]);
    // Expressions › Link indexing: a link's fields through the linked page.
    e("owner.role", expect![[r#""engineer""#]]);
    e("[[Carol]].age", expect!["41"]);
    e("related.title", expect![[r#"["Beta", "gamma"]"#]]);
    e("[[Missing Note]].title", expect!["null"]);
    // Expressions › `this`: the note holding the query.
    e("this.searchTerm", expect![[r#""pha""#]]);
    e("this.file.name", expect![[r#""Index""#]]);
    // Types of Metadata › Object: nested YAML and dotted access into objects.
    e(r#"{a: {b: 2}}.a.b"#, expect!["2"]);
    e(r#"{"x y": 1}["x y"]"#, expect!["1"]);
    // Expressions › Index: a text index into text is a character.
    e(r#""abc"[1]"#, expect![[r#""b""#]]);
    // Expressions › Index: date components.
    e("due.year + due.month + due.day", expect!["2037"]);
    e("started.hour", expect!["9"]);
    e("due.weekday", expect!["6"]);
    // Literals › Durations: duration components.
    e("estimate.minutes", expect!["180"]);
    // Expressions › Index: indexing null gives null.
    e("nothing.here", expect!["null"]);
}

#[test]
fn implicit_file_fields() {
    // Metadata on Pages › Implicit Fields.
    e("file.name", expect![[r#""Alpha""#]]);
    e("file.path", expect![[r#""Projects/Alpha.md""#]]);
    e("file.folder", expect![[r#""Projects""#]]);
    e("file.ext", expect![[r#""md""#]]);
    e("file.link", expect!["[[Projects/Alpha.md]]"]);
    e(
        "file.etags",
        expect![[r##"["#project", "#work/urgent", "#inline-tag"]"##]],
    );
    e(
        "file.tags",
        expect![[r##"["#project", "#work/urgent", "#work", "#inline-tag"]"##]],
    );
    e("file.aliases", expect![[r#"["A1", "First"]"#]]);
    e(
        "file.outlinks",
        expect![
            "[[[People/Bob.md]], [[Projects/Beta.md]], [[Projects/Archive/Gamma.md]], [[Projects/Beta.md]]]"
        ],
    );
    e(
        "file.inlinks",
        expect!["[[[Journal/2025-07-05.md]], [[People/Bob.md]], [[Projects/Beta.md]]]"],
    );
    e("length(file.tasks)", expect!["2"]);
    e("file.tasks.text", expect![[r#"["write spec", "kickoff"]"#]]);
    e("file.tasks.completed", expect!["[false, true]"]);
    e("file.lists.line", expect!["[19, 20]"]);
    e("file.frontmatter.priority", expect!["2"]);
    e("file.size", expect!["0"]);
    e("file.day", expect!["null"]);
    e("file.starred", expect!["false"]);
    // Metadata on Pages: `file.day` from a date in the file name.
    case(
        r#"TABLE WITHOUT ID file.day, file.day.year FROM "Journal""#,
        expect![[r#"
            file.day | file.day.year
            2025-07-05 | 2025"#]],
    );
    // Metadata on Pages: `file.cday` is the creation date without its time (null here: no stats).
    e("file.cday", expect!["null"]);
    // Metadata on Pages: links keep their heading and display parts.
    case(
        r#"TABLE WITHOUT ID file.outlinks FROM "Projects/Beta""#,
        expect![[r#"
            file.outlinks
            [[[People/Carol.md]], [[Projects/Alpha.md]], [[Projects/Alpha.md#Goals|the goals]], ![[Diagram.png]]]"#]],
    );
}

#[test]
fn operators() {
    // Expressions › Arithmetic.
    e("1 + 2 * 3", expect!["7"]);
    e("(1 + 2) * 3", expect!["9"]);
    e("7 % 4 - 10 / 4", expect!["0.5"]);
    e("-3 + 1", expect!["-2"]);
    e("1 / 0", expect!["Infinity"]);
    // Expressions › Arithmetic: `+` with text concatenates; text * number repeats.
    e(r#""a" + 1 + 2"#, expect![[r#""a12""#]]);
    e(r#"1 + 2 + "a""#, expect![[r#""3a""#]]);
    e(r#""ab" * 3"#, expect![[r#""ababab""#]]);
    e(r#""x" + null"#, expect![[r#""x-""#]]);
    // Expressions › Arithmetic: lists and objects concatenate.
    e("[1] + [2, 3]", expect!["[1, 2, 3]"]);
    e("{a: 1} + {b: 2, a: 3}", expect!["{a: 3, b: 2}"]);
    // Expressions › Arithmetic: null with null is null; a number with null is an error,
    // which drops the row (Dataview reports it; every row failing fails the query).
    e("null + null", expect!["null"]);
    e(
        "priority + nothing",
        expect![
            "error query/eval: every row failed during TABLE with an error; first 1:\n- No implementation found for 'number + null'"
        ],
    );
    case(
        r#"TABLE WITHOUT ID file.name, priority * 2 AS p FROM #project SORT file.name"#,
        expect![[r#"
            file.name | p
            "Alpha" | 4
            "Beta" | 2
            "Delta" | "22"
            "Gamma" | 6"#]],
    );
    case(
        r#"TABLE WITHOUT ID file.name, age - nothing AS x FROM "People" WHERE file.name = "Bob" OR age > 0"#,
        expect![
            "error query/eval: every row failed during TABLE with an error; first 2:\n- No implementation found for 'number - null'\n- No implementation found for 'number - null'"
        ],
    );
    case(
        r#"TABLE WITHOUT ID file.name, rating * 2 AS x FROM "Projects" SORT file.name"#,
        expect![[r#"
            file.name | x
            "Beta" | 9
            warning: TABLE: No implementation found for 'null * number' (3 row(s) dropped)"#]],
    );
    // Expressions › Comparison: across types, values order by type name.
    e("1 < 2 and 2 >= 2 and 3 != 4", expect!["true"]);
    e(r#""a" < "b""#, expect!["true"]);
    e(r#"1 < "a""#, expect!["true"]);
    e("null < 0", expect!["true"]);
    e(r#"[1, 2] = [1, 2]"#, expect!["true"]);
    e(r#"[1, 2] < [1, 3]"#, expect!["true"]);
    e(r#"2 = "2""#, expect!["false"]);
    // Expressions › Comparison: dates compare in time order.
    e("due < date(2025-08-01)", expect!["true"]);
    e("due = date(2025-07-05)", expect!["true"]);
    // Expressions › Comparison: links compare by the file they point to.
    e("owner = [[Bob]]", expect!["true"]);
    e("file.link = [[Alpha]]", expect!["true"]);
    e("contains(related, [[Gamma]])", expect!["true"]);
    // Expressions › Boolean: `and`/`or`/`&`/`|`, `!` negation, truthiness of values.
    e("true and false or true", expect!["true"]);
    e("true & false | false", expect!["false"]);
    e("!title", expect!["false"]);
    e("!nothing", expect!["true"]);
    e(r#"!"" and ![] and !0"#, expect!["true"]);
    // Expressions › and/or share one precedence level, left to right.
    e("false and false or true", expect!["true"]);
    e("true or false and false", expect!["false"]);
    // Expressions › Date arithmetic.
    e("due - date(2025-07-01)", expect!["dur(4 days)"]);
    e("due + dur(1 month)", expect!["2025-08-05"]);
    e("due - dur(1 week)", expect!["2025-06-28"]);
    e(
        "date(2025-03-01) - date(2025-01-01)",
        expect!["dur(2 months)"],
    );
    e(
        "dur(1 day) + dur(12 hours)",
        expect!["dur(1 day, 12 hours)"],
    );
    e("dur(1 day) * 2", expect!["dur(2 days)"]);
    e("estimate > dur(2 hours)", expect!["true"]);
    // Expressions › a-b is a field name; a - b is subtraction.
    e("effort-1", expect!["null"]);
    e("effort - 1", expect!["4"]);
}

#[test]
fn literals_and_values() {
    // Literals › Numbers, Text (with escapes), Booleans, null.
    e("12.5", expect!["12.5"]);
    e(r#""say \"hi\"""#, expect![[r#""say "hi"""#]]);
    e("True", expect!["true"]);
    e("null", expect!["null"]);
    // Literals › Lists and Objects.
    e(r#"[1, "a", [2]]"#, expect![[r#"[1, "a", [2]]"#]]);
    e(
        r#"{ name: "x", "with space": 1 }"#,
        expect![[r#"{name: "x", with space: 1}"#]],
    );
    // Literals › Links: `[[path|display]]`, `[[path#heading]]`.
    e("[[Bob|Robert]]", expect!["[[Bob|Robert]]"]);
    e("[[Bob#Work]]", expect!["[[Bob#Work]]"]);
    // Literals › Dates: `date(YYYY-MM-DD)`, with time after a `T`, and shorthands.
    e("date(2025-07-05)", expect!["2025-07-05"]);
    e("date(2025-07-05T10:11:12)", expect!["2025-07-05T10:11:12"]);
    e("date(2025-07)", expect!["2025-07-01"]);
    e("date(today)", expect!["2025-07-10"]);
    e("date(now)", expect!["2025-07-10T12:00:00"]);
    e("date(yesterday)", expect!["2025-07-09"]);
    e("date(sow)", expect!["2025-07-07"]);
    e("date(eom)", expect!["2025-07-31T23:59:59.999"]);
    // Literals › Durations: units and combinations.
    e("dur(2 hours 30 min)", expect!["dur(2 hours, 30 minutes)"]);
    e("dur(1 yr, 2 mo)", expect!["dur(1 year, 2 months)"]);
    e("dur(3d)", expect!["dur(3 days)"]);
    // Types of Metadata › Date: an ISO date is a date; `YYYY-MM-DD HH:mm` (no T) stays text.
    e("typeof(due)", expect![[r#""date""#]]);
    e("typeof(created)", expect![[r#""string""#]]);
    e("created", expect![[r#""2025-07-05 00:46""#]]);
    e("typeof(started)", expect![[r#""date""#]]);
    // Types of Metadata › Duration: duration text is a duration.
    e("typeof(estimate)", expect![[r#""duration""#]]);
    // Types of Metadata › Link: a quoted `"[[Bob]]"` in frontmatter is a link.
    e("typeof(owner)", expect![[r#""link""#]]);
    e("typeof(related)", expect![[r#""array""#]]);
    e("typeof(priority)", expect![[r#""number""#]]);
    e("typeof({})", expect![[r#""object""#]]);
    e("typeof(true)", expect![[r#""boolean""#]]);
    e("typeof(nothing)", expect![[r#""null""#]]);
    // Types of Metadata: an empty value is null; `""` is empty text.
    case(
        r#"TABLE WITHOUT ID typeof(status), status = null FROM "Projects/Archive""#,
        expect![[r#"
            typeof(status) | status = null
            "null" | true"#]],
    );
    e(r#"this.empty = """#, expect!["true"]);
}

#[test]
fn null_and_list_semantics() {
    // Expressions › null: comparing null with `=`: only null equals null.
    case(
        r#"LIST WHERE status = null SORT file.name"#,
        expect![[r#"
            - [[Journal/2025-07-05.md]]
            - [[People/Bob.md]]
            - [[People/Carol.md]]
            - [[Projects/Archive/Gamma.md]]
            - [[Index.md]]"#]],
    );
    // The owner's "To Review" filter: empty or "-".
    case(
        r#"LIST FROM "Projects" WHERE (status = null or status = "-") SORT file.name"#,
        expect![[r#"
            - [[Projects/Delta.md]]
            - [[Projects/Archive/Gamma.md]]"#]],
    );
    // Functions › contains: recursive into lists and substring on text.
    case(
        r#"LIST FROM "Projects" WHERE contains(status, "complete") OR contains(status, "review")"#,
        expect![[r#"
            - [[Projects/Alpha.md]]
            - [[Projects/Beta.md]]"#]],
    );
    // `!contains(null, …)` is true: contains(null, "x") is false.
    case(
        r#"LIST FROM "Projects" WHERE !contains(status, "review") SORT file.name"#,
        expect![[r#"
            - [[Projects/Beta.md]]
            - [[Projects/Delta.md]]
            - [[Projects/Archive/Gamma.md]]"#]],
    );
    // Expressions › null displays as "-" in text.
    e("string(nothing)", expect![[r#""-""#]]);
    // A list field with one element is a list, not its element.
    case(
        r#"TABLE WITHOUT ID status, status = "🟩 complete" FROM "Projects/Beta""#,
        expect![[r#"
            status | status = "🟩 complete"
            ["🟩 complete"] | false"#]],
    );
}

// ---------------------------------------------------------------- Functions

#[test]
fn functions_constructors() {
    // Functions › Constructors: object, list, date, dur, number, string, link, elink, typeof.
    e(
        r#"object("a", 1, "b", "x")"#,
        expect![[r#"{a: 1, b: "x"}"#]],
    );
    e(
        r#"object("a")"#,
        expect![
            "error query/eval: every row failed during TABLE with an error; first 1:\n- object() requires an even number of arguments"
        ],
    );
    e("list(1, 2)", expect!["[1, 2]"]);
    e("array()", expect!["[]"]);
    e(r#"date("2025-07-05")"#, expect!["2025-07-05"]);
    e(r#"date("2025-07-05 10:00")"#, expect!["null"]);
    e(r#"date("05/07/2025", "dd/MM/yyyy")"#, expect!["2025-07-05"]);
    e(r#"date("1751700000", "X")"#, expect!["2025-07-05T07:20:00"]);
    e("date([[2025-07-05]])", expect!["2025-07-05"]);
    e(
        r#"date(["2025-01-01", "x"])"#,
        expect!["[2025-01-01, null]"],
    );
    e(r#"dur("3 hours")"#, expect!["dur(3 hours)"]);
    e(r#"dur("soon")"#, expect!["null"]);
    e(r#"number("about 18.5 kg")"#, expect!["18.5"]);
    e(r#"number("none")"#, expect!["null"]);
    e(r#"number(["1", "x2"])"#, expect!["[1, 2]"]);
    e("string(3)", expect![[r#""3""#]]);
    e("string(due)", expect![[r#""July 05, 2025""#]]);
    e("string(started)", expect![[r#""9:30 AM - July 01, 2025""#]]);
    e("string(owner)", expect![[r#""[[People/Bob.md|Bob]]""#]]);
    e("string(scores)", expect![[r#""3, 1, 2""#]]);
    e(r#"link("Bob")"#, expect!["[[People/Bob.md]]"]);
    e(
        r#"link("Bob", "Robert")"#,
        expect!["[[People/Bob.md|Robert]]"],
    );
    e(
        r#"link(["Bob", "Carol"])"#,
        expect!["[[[People/Bob.md]], [[People/Carol.md]]]"],
    );
    e(
        r#"elink("https://x.org", "X")"#,
        expect![[r#""[X](https://x.org)""#]],
    );
    e("typeof(dur(1 day))", expect![[r#""duration""#]]);
    e("typeof(file.link)", expect![[r#""link""#]]);
}

#[test]
fn functions_numeric() {
    // Functions › Numeric Operations: round, trunc, floor, ceil.
    e("round(2.5)", expect!["3"]);
    e("round(-2.5)", expect!["-2"]);
    e("round(3.14159, 2)", expect!["3.14"]);
    e("round(nothing)", expect!["null"]);
    e("trunc(-2.7)", expect!["-2"]);
    e("floor(-2.2)", expect!["-3"]);
    e("ceil(2.1)", expect!["3"]);
    e("round([1.4, 1.6])", expect!["[1, 2]"]);
    // Functions › min/max: over arguments or a list; null is skipped.
    e("min(3, 1, 2)", expect!["1"]);
    e("max(scores)", expect!["3"]);
    e("min(5, nothing)", expect!["5"]);
    e("max()", expect!["null"]);
    e(r#"max("a", 2)"#, expect![[r#""a""#]]);
    // Functions › sum, product, average.
    e("sum(scores)", expect!["6"]);
    e("sum([])", expect!["null"]);
    e("product([2, 3, 4])", expect!["24"]);
    e("average(scores)", expect!["2"]);
    e("average([])", expect!["null"]);
    e(
        "sum([dur(1 hour), dur(30 min)])",
        expect!["dur(1 hour, 30 minutes)"],
    );
    // Functions › minby/maxby with a lambda.
    e(
        r#"minby(["ccc", "a", "bb"], (x) => length(x))"#,
        expect![[r#""a""#]],
    );
    e(
        "maxby(related, (p) => p.priority)",
        expect!["[[Projects/Archive/Gamma.md]]"],
    );
    // Functions › reduce with an operator.
    e(r#"reduce([1, 2, 3], "*")"#, expect!["6"]);
}

#[test]
fn functions_lists_objects() {
    // Functions › contains: lists recursively, text by substring, objects by key.
    e(r#"contains(["🟨 review"], "review")"#, expect!["true"]);
    e(r#"contains([ ["deep", "x"] ], "ee")"#, expect!["true"]);
    // Literals › Links: `[[…]]` is always a link, even around list syntax.
    e(r#"typeof([["deep", "x"]])"#, expect![[r#""link""#]]);
    e(r#"contains("Hello", "ell")"#, expect!["true"]);
    e(r#"contains("Hello", "hello")"#, expect!["false"]);
    e(r#"contains({a: 1}, "a")"#, expect!["true"]);
    e("contains(scores, 2)", expect!["true"]);
    e(r#"contains(nothing, "x")"#, expect!["false"]);
    // Functions › contains is vectorised over its second argument.
    e(r#"contains("abc", ["a", "z"])"#, expect!["[true, false]"]);
    // Functions › icontains: case-insensitive; a null needle matches nothing.
    e(r#"icontains("Hello", "HELLO")"#, expect!["true"]);
    e(r#"icontains(["Alpha"], "alp")"#, expect!["true"]);
    e("icontains(file.name, null)", expect!["false"]);
    e("icontains(file.name, this.searchTerm)", expect!["true"]);
    // Functions › econtains: exact element match, no recursion.
    e(r#"econtains(["ab", "c"], "a")"#, expect!["false"]);
    e(r#"econtains(["ab", "c"], "c")"#, expect!["true"]);
    e(r#"econtains("abc", "b")"#, expect!["true"]);
    // Functions › containsword: whole words, any case.
    e(
        r#"containsword("Alpha Project", "project")"#,
        expect!["true"],
    );
    e(r#"containsword("Projects", "project")"#, expect!["false"]);
    e(
        r#"containsword(["a b", "ab"], "a")"#,
        expect!["[true, false]"],
    );
    // Functions › extract.
    e(
        r#"extract(file, "name", "ext")"#,
        expect![[r#"{name: "Alpha", ext: "md"}"#]],
    );
    // Functions › sort and reverse.
    e("sort(scores)", expect!["[1, 2, 3]"]);
    e(r#"sort(["b", "A", "c"])"#, expect![[r#"["A", "b", "c"]"#]]);
    e("sort(scores, (x) => -x)", expect!["[3, 2, 1]"]);
    e("reverse(scores)", expect!["[2, 1, 3]"]);
    e(r#"reverse("abc")"#, expect![[r#""cba""#]]);
    // Functions › length.
    e("length(scores)", expect!["3"]);
    e(r#"length("🟨 review")"#, expect!["9"]);
    e("length(nothing)", expect!["0"]);
    e("length({a: 1, b: 2})", expect!["2"]);
    // Functions › nonnull, firstvalue.
    e("nonnull([1, null, 2])", expect!["[1, 2]"]);
    e("firstvalue([null, 4, 5])", expect!["4"]);
    // Functions › all, any, none (with and without lambdas).
    e("all([1, true, \"x\"])", expect!["true"]);
    e("any([0, \"\", null])", expect!["false"]);
    e("none([0, null])", expect!["true"]);
    e("any(scores, (x) => x > 2)", expect!["true"]);
    e("all(scores, (x) => x > 2)", expect!["false"]);
    e("any(true, false)", expect!["true"]);
    // Functions › join.
    e(r#"join(scores, " + ")"#, expect![[r#""3 + 1 + 2""#]]);
    e(
        "join(related)",
        expect![[r#""[[Projects/Beta.md|Beta]], [[Projects/Archive/Gamma.md|Gamma]]""#]],
    );
    e("join([1, null])", expect![[r#""1, -""#]]);
    // Functions › filter, map (lambdas `(x) => expr`).
    e("filter(scores, (x) => x >= 2)", expect!["[3, 2]"]);
    e("map(scores, (x) => x * 10)", expect!["[30, 10, 20]"]);
    e(
        "map(related, (r) => r.file.name)",
        expect![[r#"["Beta", "Gamma"]"#]],
    );
    e("filter(nothing, (x) => x)", expect!["null"]);
    e("map(scores, (x) => x + effort)", expect!["[8, 6, 7]"]);
    // Functions › flat, slice, unique.
    e("flat([1, [2, [3]]])", expect!["[1, 2, [3]]"]);
    e("flat([1, [2, [3]]], 2)", expect!["[1, 2, 3]"]);
    e("slice([1, 2, 3, 4], 1, 3)", expect!["[2, 3]"]);
    e("slice([1, 2, 3, 4], -2)", expect!["[3, 4]"]);
    e("unique([1, 2, 1, \"1\"])", expect![[r#"[1, 2, "1"]"#]]);
}

#[test]
fn functions_strings() {
    // Functions › String Operations.
    e(r#"lower("ÀbC")"#, expect![[r#""àbc""#]]);
    e(r#"upper(["a", "b"])"#, expect![[r#"["A", "B"]"#]]);
    e("lower(nothing)", expect!["null"]);
    e(r#"startswith(file.name, "Al")"#, expect!["true"]);
    e(r#"endswith("file.md", ".md")"#, expect!["true"]);
    e(r#"startswith(nothing, "x")"#, expect!["null"]);
    e(r#"replace("a-b-c", "-", "+")"#, expect![[r#""a+b+c""#]]);
    e(r#"replace("a.b", ".", "")"#, expect![[r#""ab""#]]);
    e(r#"regexmatch("\w+ Project", title)"#, expect!["true"]);
    e(r#"regexmatch("Alpha", title)"#, expect!["false"]);
    e(r#"regexmatch("^Alpha", title)"#, expect!["true"]);
    e(r#"regextest("Proj", title)"#, expect!["true"]);
    e(
        r#"regexreplace("Alpha Project", "(\w+) (\w+)", "$2: $1")"#,
        expect![[r#""Project: Alpha""#]],
    );
    e(r#"regexreplace("aaa", "a", "b")"#, expect![[r#""bbb""#]]);
    e(
        r#"regexreplace("x", "(", "y")"#,
        expect![
            "error query/eval: every row failed during TABLE with an error; first 1:\n- invalid regular expression '(': error: unclosed group"
        ],
    );
    e(r#"split("a, b,c", ", ?")"#, expect![[r#"["a", "b", "c"]"#]]);
    e(
        r#"split("a1b2c", "(\d)")"#,
        expect![[r#"["a", "1", "b", "2", "c"]"#]],
    );
    e(r#"split("abc", "")"#, expect![[r#"["a", "b", "c"]"#]]);
    e(r#"split("a b c", " ", 2)"#, expect![[r#"["a", "b"]"#]]);
    e(r#"padleft("7", 3, "0")"#, expect![[r#""007""#]]);
    e(r#"padright("ab", 4)"#, expect![[r#""ab  ""#]]);
    e(r#"substring("hello", 1, 3)"#, expect![[r#""el""#]]);
    e(r#"substring("hello", 3)"#, expect![[r#""lo""#]]);
    e(r#"truncate("hello world", 8)"#, expect![[r#""hello...""#]]);
    e(r#"truncate("hi", 8)"#, expect![[r#""hi""#]]);
}

#[test]
fn functions_utility() {
    // Functions › Utility Functions: default, ldefault, choice, display, striptime,
    // dateformat, durationformat, meta, typeof.
    e("default(nothing, 5)", expect!["5"]);
    e("default(title, 5)", expect![[r#""Alpha Project""#]]);
    e("default([1, null], 0)", expect!["[1, 0]"]);
    e("ldefault([1, null], 0)", expect!["[1, null]"]);
    e(
        r#"choice(priority > 1, "high", "low")"#,
        expect![[r#""high""#]],
    );
    e(
        r#"choice([true, false], "y", "n")"#,
        expect![[r#"["y", "n"]"#]],
    );
    e(
        r#"display("see [[Bob|Robert]] **now**")"#,
        expect![[r#""see Robert now""#]],
    );
    e("display(owner)", expect![[r#""Bob""#]]);
    e("display(nothing)", expect![[r#""""#]]);
    e("striptime(started)", expect!["2025-07-01"]);
    e(
        r#"dateformat(started, "yyyy-MM-dd HH:mm")"#,
        expect![[r#""2025-07-01 09:30""#]],
    );
    e(
        r#"dateformat(due, "EEEE d MMMM yy, 'week' W")"#,
        expect![[r#""Saturday 5 July 25, week 27""#]],
    );
    e(r#"dateformat(nothing, "yyyy")"#, expect!["null"]);
    e(
        r#"durationformat(estimate, "h'h' mm'm'")"#,
        expect![[r#""3h 00m""#]],
    );
    e(
        "meta(owner)",
        expect![[
            r#"{display: null, embed: false, path: "People/Bob.md", subpath: null, type: "file"}"#
        ]],
    );
    e("meta([[Bob#Work|B]]).subpath", expect![[r#""Work""#]]);
    e("meta([[Bob#^abc]]).type", expect![[r#""block""#]]);
    e("localtime(due)", expect!["2025-07-05"]);
    // Functions: lambdas called directly.
    e("((x, y) => x + y)(2, 3)", expect!["5"]);
    // Functions: a wrong argument type is an error naming the types.
    e(
        "lower(3)",
        expect![
            "error query/eval: every row failed during TABLE with an error; first 1:\n- No implementation of 'lower' found for arguments: number"
        ],
    );
}

// ---------------------------------------------------------------- Errors

#[test]
fn parse_errors() {
    // Structure of a Query: errors point at the exact place with what was expected.
    case(
        "TABLE status\nWHERE\nSORT file.name",
        expect!["error query/parse at 3:1: expected expression, found 'SORT'"],
    );
    case(
        "TABEL x",
        expect![
            "error query/parse at 1:1: expected a query type (TABLE, LIST or TASK), found 'TABEL'"
        ],
    );
    case(
        "LIST WHERE contians(file.name, \"a\")",
        expect![
            "error query/unknown-function at 1:12: unknown function 'contians' (help: did you mean 'contains', 'icontains', 'econtains'?)"
        ],
    );
    case(
        "LIST WHERE icontain(a, b)",
        expect![
            "error query/unknown-function at 1:12: unknown function 'icontain' (help: did you mean 'icontains', 'contains', 'econtains'?)"
        ],
    );
    case(
        "LIST WHERE \"open",
        expect!["error query/parse at 1:12: expected expression, found an unterminated string"],
    );
    case(
        "LIST WHERE (a = 1",
        expect!["error query/parse at 1:18: expected ')', found end of query"],
    );
    case(
        "TABLE a b",
        expect![
            "error query/parse at 1:9: expected ',', AS, FROM, a data command or end of query, found 'b'"
        ],
    );
    case(
        "LIST FROM",
        expect![
            "error query/parse at 1:10: expected a source (\"folder\", #tag, [[link]], outgoing([[link]]), '-' or '('), found end of query"
        ],
    );
    case(
        "LIST GROUP file.name",
        expect!["error query/parse at 1:12: expected BY after GROUP, found 'file'"],
    );
    case(
        "LIST WHERE a.",
        expect!["error query/parse at 1:14: expected a field name after '.', found end of query"],
    );
    case(
        "CALENDAR file.day",
        expect![
            "error query/parse at 1:1: CALENDAR queries are not supported; use TABLE, LIST or TASK"
        ],
    );
    case(
        "LIST WHERE x = 1 2",
        expect![
            "error query/parse at 1:18: expected a data command (WHERE, SORT, GROUP BY, FLATTEN, LIMIT) or end of query, found '2'"
        ],
    );
}

#[test]
fn never_panics_on_odd_input() {
    // Any text gives a result or an error.
    for text in [
        "",
        " ",
        "LIST WHERE",
        "TABLE ,",
        "LIST FROM ((",
        "LIST WHERE [[",
        "LIST WHERE {a:",
        "TASK x",
        "LIST WHERE (x) =>",
        "LIST WHERE date(",
        "LIST WHERE dur(",
        "LIST WHERE 1 +",
        "LIST SORT",
        "LIST LIMIT",
        "LIST FLATTEN",
        "LIST WHERE ![[",
        "LIST WHERE -",
        "LIST WHERE row[",
        "📊",
        "LIST WHERE \"\\",
    ] {
        let _ = run(text);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn random_text_never_panics(text in "[A-Za-z0-9 ()\\[\\]{}\",.:!#=<>+*/%&|\\-\n\"🟨é]{0,60}") {
        let _ = run(&format!("TABLE {text}"));
        let _ = run(&format!("LIST WHERE {text}"));
        let _ = run(&text);
    }
}

#[test]
fn rendering() {
    // Query Types › Table: how cells display (links by name, lists joined, null as "-",
    // dates in the default format).
    let out = query(
        r#"TABLE owner AS Owner, related, due, started, nothing AS "Empty", estimate FROM "Projects/Alpha""#,
        vault(),
        &options(),
    )
    .expect("runs");
    expect![[r#"
        File,Owner,related,due,started,Empty,estimate
        Alpha,Bob,"Beta, Gamma","July 05, 2025","9:30 AM - July 01, 2025",-,3 hours
    "#]]
    .assert_eq(&render::to_csv(&out.result));
    expect![[r#"
        | File | Owner | related | due | started | Empty | estimate |
        | --- | --- | --- | --- | --- | --- | --- |
        | Alpha | Bob | Beta, Gamma | July 05, 2025 | 9:30 AM - July 01, 2025 | - | 3 hours |
    "#]]
    .assert_eq(&render::to_markdown(&out.result));
    expect![[r#"
        File  │ Owner │ related     │ due        │ started    │ Empty │ estimate
        ──────┼───────┼─────────────┼────────────┼────────────┼───────┼─────────
        Alpha │ Bob   │ Beta, Gamma │ July 05, … │ 9:30 AM -… │ -     │ 3 hours
    "#]]
    .assert_eq(&render::to_terminal(&out.result, 72));
}

#[test]
fn dataview_blocks_run_with_this() {
    // Query Types / `this`: a block runs with `this` = its note.
    let vault = vault();
    let index = vault.page_by_path("Index.md").expect("fixture");
    let text = fixture_files()
        .into_iter()
        .find(|(p, _)| p == "Index.md")
        .expect("fixture")
        .1;
    let outcomes = attune_query::run_note_blocks(&text, index, "Index.md", vault, &options());
    assert_eq!(outcomes.len(), 1);
    let out = outcomes[0].outcome.as_ref().expect("runs");
    assert_eq!(out.result.len(), 4);
    // An error is positioned in the note.
    let bad = "x\n```dataview\nLIST WHERE\n```\n";
    let outcomes = attune_query::run_note_blocks(bad, PageId(0), "Index.md", vault, &options());
    let err = outcomes[0].outcome.as_ref().expect_err("fails");
    let span = err.span.expect("positioned");
    assert_eq!(&bad[span.range()], "");
    assert_eq!(span.start as usize, "x\n```dataview\nLIST WHERE".len() + 1);
}
