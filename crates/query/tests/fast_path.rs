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
            Some(QValue::Text(t)) => t.to_string(),
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

/// Long WHERE and TABLE steps run on several threads: the rows, their order, the values and
/// the dropped-row warnings are what one thread gives (checked against the data itself).
#[test]
fn long_steps_on_several_threads_keep_rows_order_and_warnings() {
    // 9,000 pages (above the parallel threshold), in path order `N/p0000.md`…; `n` is a
    // number except on every 7th page, where it is a text and `n - 1` fails.
    let texts: Vec<(String, String)> = (0..9000)
        .map(|i| {
            let n = if i % 7 == 0 {
                "\"text\"".to_string()
            } else {
                (i % 100).to_string()
            };
            (format!("N/p{i:04}.md"), format!("---\nn: {n}\n---\n"))
        })
        .collect();
    let source = MemorySource::from_texts(texts.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let options = RunOptions::default();
    let out = query(
        "TABLE n, n * 2 AS double FROM \"N\" WHERE n - 1 >= 50",
        &source,
        &options,
    )
    .expect("the query runs");
    let QueryResult::Table { rows, .. } = out.result else {
        panic!("not a table");
    };
    let expected: Vec<usize> = (0..9000).filter(|i| i % 7 != 0 && i % 100 > 50).collect();
    assert_eq!(rows.len(), expected.len());
    for (row, i) in rows.iter().zip(&expected) {
        match row.as_slice() {
            [QValue::Link(l), QValue::Number(n), QValue::Number(d)] => {
                assert_eq!(*l.path, format!("N/p{i:04}.md"));
                assert_eq!(*n, (i % 100) as f64);
                assert_eq!(*d, 2.0 * (i % 100) as f64);
            }
            other => panic!("row {i}: {other:?}"),
        }
    }
    let failed = (0..9000).filter(|i| i % 7 == 0).count();
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(
        out.warnings[0].starts_with("WHERE: ")
            && out.warnings[0].ends_with(&format!("({failed} row(s) dropped)")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn a_where_answers_as_the_value_of_its_expression_would() {
    // `WHERE e` answers yes/no without building values for `and`, `or`, `!`, comparisons and
    // `contains`; `choice(e, true, false)` takes the general path (the value, then its
    // truthiness). Same rows, same warnings, same failures.
    let v = vault();
    let options = RunOptions::default();
    for e in [
        "status = \"review\"",
        "!(status = \"review\")",
        "status != null and contains(title, \"m\")",
        "contains(status, \"rev\") or icontains(title, \"ZI\")",
        "!contains(status, [\"done\", \"x\"])",
        "econtains(status, \"review\") and !econtains(status, \"rev\")",
        "icontains(file.name, this.searchTerm) or title",
        "title and status",
        "file.name = \"Camel\" or file.name != \"Zinc\" and status = \"done\"",
        "(title < \"D\") or (1 * title) = 1",
        "contains(1 * title, \"a\")",
        "contains(status, 1 * null) or true",
        "!(1 * null)",
    ] {
        let fast = query(
            &format!("TABLE status FROM \"E\" WHERE {e} SORT file.name"),
            &v,
            &options,
        );
        let general = query(
            &format!("TABLE status FROM \"E\" WHERE choice({e}, true, false) SORT file.name"),
            &v,
            &options,
        );
        match (fast, general) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.result, b.result, "{e}");
                assert_eq!(
                    a.warnings.len(),
                    b.warnings.len(),
                    "{e}: {:?} / {:?}",
                    a.warnings,
                    b.warnings
                );
            }
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{e}: {a:?} / {b:?}"),
        }
    }
}

#[test]
fn sorting_rows_already_in_name_order_keeps_them() {
    let v = MemorySource::from_texts([
        ("N/b.md", "---\ns: 1\n---\n"),
        ("N/a.md", "---\ns: 2\n---\n"),
        ("N/B.md", "---\ns: 3\n---\n"),
        ("N/c.md", "---\ns: 4\n---\n"),
    ]);
    // The second SORT meets rows in name order already (equal names keep their order).
    let once = run(&v, "TABLE s FROM \"N\" SORT file.name", None);
    assert_eq!(
        run(&v, "TABLE s FROM \"N\" SORT file.name SORT file.name", None),
        once
    );
    assert_eq!(
        run(&v, "TABLE s FROM \"N\" SORT file.name + \"\"", None),
        once
    );
    assert_eq!(
        run(
            &v,
            "TABLE s FROM \"N\" SORT file.name DESC SORT file.name",
            None
        ),
        run(
            &v,
            "TABLE s FROM \"N\" SORT file.name + \"\" DESC SORT file.name + \"\"",
            None
        )
    );
}

#[test]
fn placing_pages_for_queries_keeps_their_values_and_shares_equal_short_texts() {
    let v = MemorySource::from_texts([
        (
            "A.md",
            "---\nstatus: review\ntags_x: [review, done]\nnote: long text that is longer than sixty-four bytes, so it is left as it is\n---\n",
        ),
        (
            "B.md",
            "---\nstatus: review\ntags_x: [done]\nnote: long text that is longer than sixty-four bytes, so it is left as it is\n---\n",
        ),
    ]);
    let mut pages: Vec<Page> = (0..2)
        .map(|i| {
            let id = v.page_by_path(["A.md", "B.md"][i]).expect("page");
            v.page(id).expect("page").clone()
        })
        .collect();
    let before: Vec<Page> = pages.clone();
    let mut texts = attune_query::SharedTexts::default();
    for page in &mut pages {
        page.place_for_queries(&mut texts);
    }
    for (a, b) in pages.iter().zip(&before) {
        assert_eq!(a.fields, b.fields);
        assert_eq!(a.frontmatter(), b.frontmatter());
    }
    let text = |page: &Page, key: &str| match page.fields.iter().find(|(k, _)| k == key) {
        Some((_, QValue::Text(t))) => t.clone(),
        other => panic!("{key}: {other:?}"),
    };
    assert!(std::sync::Arc::ptr_eq(
        &text(&pages[0], "status"),
        &text(&pages[1], "status")
    ));
    assert!(!std::sync::Arc::ptr_eq(
        &text(&pages[0], "note"),
        &text(&pages[1], "note")
    ));
    let done = |page: &Page, at: usize| match page.fields.iter().find(|(k, _)| k == "tags_x") {
        Some((_, QValue::List(items))) => match &items[at] {
            QValue::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert!(std::sync::Arc::ptr_eq(
        &done(&pages[0], 1),
        &done(&pages[1], 0)
    ));
}
