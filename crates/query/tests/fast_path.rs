//! The evaluator's fast path keeps Dataview's answers where its shortcuts could change them:
//! `this.field` computed once per query only while no row can shadow `this`, field keys read
//! by number (a key no page has, a page built by hand), FROM "folder" as a path range, and
//! `=`/`!=`/`icontains` on texts without collation weights.

use attune_query::{MemorySource, Page, QValue, QueryResult, QuerySource, RunOptions, query};

fn vault() -> MemorySource {
    MemorySource::from_texts([
        ("Dash.md", "---\nsearchTerm: am\n---\n"),
        ("E/Amber.md", "---\nstatus: review\ntitle: Amber\n---\n"),
        ("E/Camel.md", "---\nstatus: done\ntitle: Camel\n---\n"),
        ("E/Sub/Dame.md", "---\nstatus: review\ntitle: Dame\n---\n"),
        ("E/Zinc.md", "---\nstatus: review\ntitle: Zinc\n---\n"),
        ("Ex/Amber.md", "---\nstatus: review\n---\n"),
        (
            "Shadow/Amethyst.md",
            "---\nthis: not a page\nstatus: review\n---\n",
        ),
    ])
}

/// First column of each row as text (`[[path]]` for links), then `warning: …` lines.
fn run(source: &dyn QuerySource, text: &str, this: Option<&str>) -> Vec<String> {
    let options = RunOptions {
        this: this.and_then(|p| source.page_by_path(p)),
        now: None,
    };
    let out = query(text, source, &options).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    let QueryResult::Table { rows, .. } = out.result else {
        panic!("{text}: not a table");
    };
    let mut lines: Vec<String> = rows
        .iter()
        .map(|r| match r.first() {
            Some(QValue::Link(l)) => format!("[[{}]]", l.path),
            Some(QValue::Text(t)) => t.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    lines.extend(out.warnings.iter().map(|w| format!("warning: {w}")));
    lines
}

#[test]
fn this_is_read_once_when_no_row_can_shadow_it() {
    let v = vault();
    assert_eq!(
        run(
            &v,
            "TABLE status FROM \"E\" WHERE icontains(file.name, this.searchTerm) SORT file.name",
            Some("Dash.md")
        ),
        ["[[E/Amber.md]]", "[[E/Camel.md]]", "[[E/Sub/Dame.md]]"]
    );
}

#[test]
fn a_page_field_named_this_shadows_the_query_note_on_its_own_row() {
    // On `Shadow/Amethyst.md`, `this` is its text field: indexing text by a name fails and
    // drops that row with a warning (Dataview's rule), while other rows see the query note.
    let v = vault();
    assert_eq!(
        run(
            &v,
            "TABLE status WHERE icontains(file.name, this.searchTerm) SORT file.path",
            Some("Dash.md")
        ),
        [
            "[[E/Amber.md]]",
            "[[E/Camel.md]]",
            "[[E/Sub/Dame.md]]",
            "[[Ex/Amber.md]]",
            "warning: WHERE: string indexing requires a numeric index (string[index]) (1 row(s) dropped)"
        ]
    );
}

#[test]
fn a_flatten_named_this_shadows_the_query_note_after_it() {
    let v = vault();
    assert_eq!(
        run(
            &v,
            "TABLE WITHOUT ID this FROM \"E\" FLATTEN title AS this WHERE this != \"Zinc\" SORT this DESC",
            Some("Dash.md")
        ),
        ["Dame", "Camel", "Amber"]
    );
}

#[test]
fn folder_sources_take_subfolders_but_not_siblings_sharing_a_prefix() {
    let v = vault();
    assert_eq!(
        run(&v, "TABLE status FROM \"E\"", None),
        [
            "[[E/Amber.md]]",
            "[[E/Camel.md]]",
            "[[E/Sub/Dame.md]]",
            "[[E/Zinc.md]]"
        ]
    );
}

#[test]
fn a_field_no_page_has_is_null_and_hand_built_pages_are_read_by_key() {
    let mut page = Page::new("P/One.md");
    page.fields
        .push(("status".to_string(), QValue::text("open")));
    let mut other = Page::new("P/Two.md");
    other
        .fields
        .push(("status".to_string(), QValue::text("shut")));
    other.index_fields();
    // Changed after indexing: still read, by a scan.
    other.fields.push(("late".to_string(), QValue::text("yes")));
    let v = MemorySource::from_pages(vec![page, other]);
    assert_eq!(
        run(
            &v,
            "TABLE WITHOUT ID string(status) + \"/\" + string(late) + \"/\" + string(nowhere)",
            None
        ),
        ["open/-/-", "shut/yes/-"]
    );
}

#[test]
fn text_equality_ignores_only_ignorable_characters() {
    // U+FE0F (emoji variation selector) is ignorable: Dataview's localeCompare calls the two
    // equal; case is not ignorable.
    let v = MemorySource::from_texts([
        ("A.md", "---\nname: \"⚖️Trade\"\n---\n"),
        ("B.md", "---\nname: \"⚖Trade\"\n---\n"),
        ("C.md", "---\nname: \"⚖trade\"\n---\n"),
    ]);
    assert_eq!(
        run(&v, "TABLE name WHERE name = \"⚖Trade\"", None),
        ["[[A.md]]", "[[B.md]]"]
    );
    assert_eq!(
        run(
            &v,
            "TABLE name WHERE icontains(name, \"TRADE\") AND name != \"⚖️Trade\"",
            None
        ),
        ["[[C.md]]"]
    );
}

#[test]
fn group_keys_written_differently_that_compare_equal_form_one_group() {
    // GROUP BY buckets keys as written, then merges the buckets that compare equal: a link
    // written by name and one written by path to the same note, texts differing by an
    // ignorable character (U+FE0F). The key shown is the first row's.
    let v = MemorySource::from_texts([
        ("A.md", "---\nname: \"⚖️Trade\"\nfeel: \"[[Joy]]\"\n---\n"),
        (
            "B.md",
            "---\nname: \"⚖Trade\"\nfeel: [\"[[E/Joy]]\", \"[[Calm]]\"]\n---\n",
        ),
        (
            "C.md",
            "---\nname: \"⚖Trade\"\nfeel: \"[[E/Joy.md]]\"\n---\n",
        ),
        ("E/Joy.md", "---\n---\n"),
    ]);
    let counts = |text: &str| -> Vec<String> {
        let out = query(text, &v, &RunOptions::default()).unwrap_or_else(|e| panic!("{e:?}"));
        let QueryResult::Table { rows, .. } = out.result else {
            panic!("not a table");
        };
        rows.iter()
            .map(|r| match r.as_slice() {
                [QValue::Link(l), QValue::Number(n)] => format!("[[{}]] {n}", l.path),
                [QValue::Text(t), QValue::Number(n)] => format!("{t} {n}"),
                other => format!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(
        counts("TABLE length(rows) WHERE feel FLATTEN feel GROUP BY feel"),
        ["[[Calm]] 1", "[[E/Joy.md]] 3"]
    );
    assert_eq!(
        counts("TABLE length(rows) WHERE name GROUP BY name"),
        ["⚖️Trade 3"]
    );
}

#[test]
fn sorting_by_file_name_through_ranks_matches_sorting_the_names() {
    // Names that differ only by case, accent, an ignorable character, or not at all (same
    // name in two folders): ranks must order them as comparing the texts does, and keep
    // equal names in their incoming order.
    let v = MemorySource::from_texts([
        ("N/apple.md", "---\nstatus: b\n---\n"),
        ("N/Apple.md", "---\nstatus: a\n---\n"),
        ("N/Émile.md", "---\nstatus: a\n---\n"),
        ("N/emile.md", "---\nstatus: c\n---\n"),
        ("N/⚖️Trade.md", "---\nstatus: a\n---\n"),
        ("N/⚖Trade.md", "---\nstatus: b\n---\n"),
        ("N/10.md", "---\nstatus: a\n---\n"),
        ("N/9.md", "---\nstatus: a\n---\n"),
        ("N/_x.md", "---\nstatus: a\n---\n"),
        ("N/a/Zeta.md", "---\nstatus: b\n---\n"),
        ("N/b/Zeta.md", "---\nstatus: a\n---\n"),
        ("N/zeta.md", "---\nstatus: a\n---\n"),
    ]);
    for (ranked, by_text) in [
        ("SORT file.name", "SORT file.name + \"\""),
        ("SORT file.name DESC", "SORT file.name + \"\" DESC"),
        ("SORT file[\"name\"] ASC", "SORT file.name + \"\" ASC"),
        ("SORT file.name, status", "SORT file.name + \"\", status"),
        (
            "SORT status DESC, file.name",
            "SORT status DESC, file.name + \"\"",
        ),
    ] {
        let sorted = run(&v, &format!("TABLE status FROM \"N\" {ranked}"), None);
        assert_eq!(
            sorted,
            run(&v, &format!("TABLE status FROM \"N\" {by_text}"), None),
            "{ranked}"
        );
        assert_eq!(sorted.len(), 12, "{ranked}");
    }
    // A FLATTEN named `file` replaces the page's file object: no ranks for those rows.
    assert_eq!(
        run(
            &v,
            "TABLE WITHOUT ID file.name FROM \"N\" FLATTEN object(\"name\", status) AS file SORT file.name LIMIT 3",
            None
        ),
        ["a", "a", "a"]
    );
}

#[test]
fn and_or_skip_a_right_side_only_when_it_cannot_fail() {
    // Dataview evaluates both sides; a right side that may fail still drops every row.
    let v = vault();
    let options = RunOptions::default();
    for text in [
        "TABLE status FROM \"E\" WHERE false and (1 * null) = 1",
        "TABLE status FROM \"E\" WHERE true or (1 * null) = 1",
        "TABLE status FROM \"E\" WHERE status = null and contains(status, [\"x\", 1 * null])",
        // `file.name.x` indexes a text by a name: an error, not a `file.*` read.
        "TABLE status FROM \"E\" WHERE false and file.name.x = null",
    ] {
        assert!(query(text, &v, &options).is_err(), "{text}");
    }
    // A right side that cannot fail gives the answer the left side decides.
    assert_eq!(
        run(
            &v,
            "TABLE status FROM \"E\" WHERE status = \"done\" or contains(file.name, \"m\") and !icontains(status, \"x\") SORT file.name",
            None
        ),
        ["[[E/Amber.md]]", "[[E/Camel.md]]", "[[E/Sub/Dame.md]]"]
    );
    assert_eq!(
        run(
            &v,
            "TABLE status FROM \"E\" WHERE false and file.size = null",
            None
        ),
        Vec::<String>::new()
    );
}

#[test]
fn file_name_equality_through_ranks_matches_comparing_the_texts() {
    let v = MemorySource::from_texts([
        ("N/apple.md", "---\nstatus: b\n---\n"),
        ("N/Apple.md", "---\nstatus: a\n---\n"),
        ("N/⚖️Trade.md", "---\nstatus: a\n---\n"),
        ("N/a/Zeta.md", "---\nstatus: b\n---\n"),
        ("N/b/Zeta.md", "---\nstatus: a\n---\n"),
        ("N/🎭 Emotions.md", "---\nstatus: a\n---\n"),
    ]);
    for name in [
        "apple",
        "Apple",
        "APPLE",
        "⚖Trade",
        "⚖️Trade",
        "Zeta",
        "🎭 Emotions",
        "Missing",
        "",
        "zzz",
    ] {
        for op in ["=", "!="] {
            let ranked = format!("TABLE status FROM \"N\" WHERE file.name {op} \"{name}\"");
            let by_text = format!("TABLE status FROM \"N\" WHERE file.name + \"\" {op} \"{name}\"");
            assert_eq!(run(&v, &ranked, None), run(&v, &by_text, None), "{ranked}");
        }
    }
    // Where `file` is not the page's own file object, the name is read as usual.
    assert_eq!(
        run(
            &v,
            "TABLE WITHOUT ID file.name FROM \"N\" FLATTEN object(\"name\", status) AS file WHERE file.name = \"b\"",
            None
        ),
        ["b", "b"]
    );
}
