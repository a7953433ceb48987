//! The edit law, by proptest over generated frontmatter (comments, flow and block lists at
//! several indents, plain/quoted/emoji scalars, `|+` block scalars, trailing comments, CRLF,
//! BOM): an edit of key k changes no byte outside k's lines (or, for a new key, outside the
//! insertion point), and the result re-parses to the intended value with every other key's
//! value unchanged. Runs 10,000 cases (set in code, so CI runs them too).

use attune_syntax::edit::{EditValue, add_key, append_to_list, remove_key, set_key};
use attune_syntax::{Value, parse_note};
use proptest::prelude::*;

/// How one generated key is written.
#[derive(Clone, Debug)]
enum Shape {
    Plain(&'static str),
    DoubleQuoted(&'static str),
    SingleQuoted(&'static str),
    Flow(Vec<&'static str>),
    Block {
        indent: usize,
        items: Vec<&'static str>,
    },
    Empty {
        trailing_space: bool,
    },
    BlockScalar {
        header: &'static str,
        lines: Vec<&'static str>,
        blank_after: usize,
    },
    NestedLink(&'static str),
    NestedMap(Vec<&'static str>),
    FlowOverLines(Vec<&'static str>),
}

#[derive(Clone, Debug)]
struct Entry {
    comment_before: Option<&'static str>,
    shape: Shape,
    trailing_comment: bool,
}

const WORDS: &[&str] = &[
    "emotion",
    "🟩 complete",
    "🔒 private",
    "2025-07-05 00:46",
    "a b c",
    "Shame",
    "🏛️ Foundations",
    "x",
    "Привет",
    "⚖️Trade-Offs",
];
const QUOTED: &[&str] = &[
    "[[Masking Vulnerability]]",
    "[[ME/🏛️ Foundations/🪖 Protective Strategies/Emotional Shutdown]]",
    "",
    "a: b",
    "42",
    "🎭 ✨",
    "it's",
    "#tag",
];
const ITEMS: &[&str] = &[
    "\"[[A]]\"",
    "\"[[B|alias]]\"",
    "plain",
    "\"\"",
    "[[Nested]]",
    "'single'",
    "🎭",
    "\"🟩 complete\"",
];
const COMMENTS: &[&str] = &["# comment", "# 🧠 emoji comment", "#", "# key: not a key"];

fn shape() -> impl Strategy<Value = Shape> {
    let word = proptest::sample::select(WORDS);
    let quoted = proptest::sample::select(QUOTED);
    let item = proptest::sample::select(ITEMS);
    prop_oneof![
        word.clone().prop_map(Shape::Plain),
        quoted.clone().prop_map(Shape::DoubleQuoted),
        word.clone().prop_map(Shape::SingleQuoted),
        proptest::collection::vec(
            proptest::sample::select(&["a", "\"b\"", "\"[[C]]\"", "\"\"", "🎭 d"][..]),
            0..4
        )
        .prop_map(Shape::Flow),
        (
            proptest::sample::select(&[0usize, 2, 4][..]),
            proptest::collection::vec(item, 1..4)
        )
            .prop_map(|(indent, items)| Shape::Block { indent, items }),
        any::<bool>().prop_map(|trailing_space| Shape::Empty { trailing_space }),
        (
            proptest::sample::select(&["|+", "|", ">-", "|-"][..]),
            proptest::collection::vec(word.clone(), 1..3),
            0..3usize
        )
            .prop_map(|(header, lines, blank_after)| Shape::BlockScalar {
                header,
                lines,
                blank_after
            }),
        proptest::sample::select(&["Shame", "A B", "🏛️ X"][..]).prop_map(Shape::NestedLink),
        proptest::collection::vec(word, 1..3).prop_map(Shape::NestedMap),
        proptest::collection::vec(
            proptest::sample::select(&["a", "\"[[C]]\"", "🎭 d"][..]),
            1..4
        )
        .prop_map(Shape::FlowOverLines),
    ]
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        proptest::option::of(proptest::sample::select(COMMENTS)),
        shape(),
        any::<bool>(),
    )
        .prop_map(|(comment_before, shape, trailing_comment)| Entry {
            comment_before,
            shape,
            trailing_comment,
        })
}

fn key_name(i: usize) -> String {
    match i % 3 {
        0 => format!("k{i}"),
        1 => format!("field_{i}"),
        _ => format!("ключ{i}"),
    }
}

/// The note text (LF; CRLF is applied afterwards).
fn write_note(entries: &[Entry], body: &str) -> String {
    let mut s = String::from("---\n");
    for (i, e) in entries.iter().enumerate() {
        if let Some(c) = e.comment_before {
            s.push_str(c);
            s.push('\n');
        }
        let key = key_name(i);
        let comment = if e.trailing_comment {
            " # trailing"
        } else {
            ""
        };
        match &e.shape {
            Shape::Plain(w) => s.push_str(&format!("{key}: {w}{comment}\n")),
            Shape::DoubleQuoted(w) => s.push_str(&format!("{key}: \"{w}\"{comment}\n")),
            Shape::SingleQuoted(w) => {
                s.push_str(&format!("{key}: '{}'{comment}\n", w.replace('\'', "''")))
            }
            Shape::Flow(items) => s.push_str(&format!("{key}: [{}]{comment}\n", items.join(", "))),
            Shape::Block { indent, items } => {
                s.push_str(&format!("{key}:{comment}\n"));
                for (j, item) in items.iter().enumerate() {
                    if j == 1 {
                        s.push_str(&format!("{}# between items\n", " ".repeat(*indent)));
                    }
                    s.push_str(&format!("{}- {item}\n", " ".repeat(*indent)));
                }
            }
            Shape::Empty { trailing_space } => s.push_str(&format!(
                "{key}:{}{comment}\n",
                if *trailing_space { " " } else { "" }
            )),
            Shape::BlockScalar {
                header,
                lines,
                blank_after,
            } => {
                s.push_str(&format!("{key}: {header}{comment}\n"));
                for l in lines {
                    s.push_str(&format!("  {l}\n"));
                }
                s.push_str(&"\n".repeat(*blank_after));
            }
            Shape::NestedLink(name) => s.push_str(&format!("{key}: [[{name}]]{comment}\n")),
            Shape::NestedMap(words) => {
                s.push_str(&format!("{key}:{comment}\n"));
                for (j, w) in words.iter().enumerate() {
                    s.push_str(&format!("  sub{j}: {w}\n"));
                }
            }
            Shape::FlowOverLines(items) => s.push_str(&format!(
                "{key}: [\n    {}\n  ]{comment}\n",
                items.join(",\n    ")
            )),
        }
    }
    s.push_str("---\n");
    s.push_str(body);
    s
}

fn scalar_value() -> impl Strategy<Value = EditValue> {
    prop_oneof![
        proptest::sample::select(
            &[
                "🟨 review",
                "a: b",
                "#x",
                "42",
                "",
                " padded ",
                "say \"hi\"",
                "[[Link]]",
                "multi\nline",
                "yes",
                "null",
                "- dash",
                "🏛️ Foundations/🪖",
                "tab\there",
                "back\\slash",
                "x, y",
                "{a}",
                "ok"
            ][..]
        )
        .prop_map(|s| EditValue::Scalar(s.to_owned())),
        any::<bool>().prop_map(EditValue::Bool),
        any::<i64>().prop_map(EditValue::Int),
        Just(EditValue::Null),
        (-1e6f64..1e6).prop_map(EditValue::Float),
        proptest::sample::select(
            &[
                "Shame",
                "ME/🏛️ Foundations/Shame",
                "Name#Heading",
                "Name|alias",
                "Name#^block"
            ][..]
        )
        .prop_map(|s| EditValue::Link(s.to_owned())),
    ]
}

fn edit_value() -> impl Strategy<Value = EditValue> {
    prop_oneof![3 => scalar_value(), 2 => proptest::collection::vec(scalar_value(), 0..4).prop_map(EditValue::List)]
}

#[derive(Clone, Debug)]
enum Op {
    Set(usize, EditValue),
    SetNew(EditValue),
    Append(usize, EditValue),
    Remove(usize),
    Add(Option<usize>, EditValue),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..20usize, edit_value()).prop_map(|(k, v)| Op::Set(k, v)),
        1 => edit_value().prop_map(Op::SetNew),
        3 => (0..20usize, scalar_value()).prop_map(|(k, v)| Op::Append(k, v)),
        2 => (0..20usize).prop_map(Op::Remove),
        2 => (proptest::option::of(0..20usize), edit_value()).prop_map(|(k, v)| Op::Add(k, v)),
    ]
}

fn same_item(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Link(x), Value::Link(y)) => x.target == y.target && x.fragment == y.fragment,
        _ => a == b,
    }
}

fn check_law(entries: &[Entry], crlf: bool, bom: bool, op: &Op) -> Result<(), TestCaseError> {
    let mut source = write_note(entries, "# Body\n---\ntext [[Link]]\n");
    if crlf {
        source = source.replace('\n', "\r\n");
    }
    if bom {
        source.insert(0, '\u{feff}');
    }
    let before = parse_note(source.as_bytes());
    let fm = before.frontmatter.as_ref().expect("generated frontmatter");
    prop_assert!(
        fm.valid,
        "generator wrote invalid YAML: {source:?} {:?}",
        before.diagnostics()
    );
    prop_assert_eq!(fm.fields.len(), entries.len());
    let key_of = |i: usize| key_name(i % entries.len());
    let new_key = "new_key 🆕";

    // (key edited, expected value or None for removed, span of `source` that may change)
    let (key, result, expected, changed) = match op {
        Op::Set(i, v) => {
            let k = key_of(*i);
            let f = fm.find(&k).expect("generated key");
            (
                k.clone(),
                set_key(&source, &k, v),
                Some(v.intended()),
                f.lines(&source),
            )
        }
        Op::SetNew(v) => {
            let at = fm.yaml.end;
            (
                new_key.to_owned(),
                set_key(&source, new_key, v),
                Some(v.intended()),
                attune_syntax::Span { start: at, end: at },
            )
        }
        Op::Append(i, v) => {
            let k = key_of(*i);
            let f = fm.find(&k).expect("generated key");
            if matches!(f.value, Value::Map(_)) && !matches!(v.intended(), Value::Null) {
                let refused = append_to_list(&source, &k, v).map_err(|d| d.code);
                prop_assert_eq!(refused, Err("edit/not-a-list"));
                return Ok(());
            }
            let mut items: Vec<Value> = f.value.items().cloned().collect();
            let wanted = v.intended();
            if !matches!(wanted, Value::Null) && !items.iter().any(|x| same_item(x, &wanted)) {
                items.push(wanted);
            }
            let expected = if items.len() == f.value.items().count() {
                f.value.clone()
            } else {
                Value::list(items)
            };
            (
                k.clone(),
                append_to_list(&source, &k, v),
                Some(expected),
                f.lines(&source),
            )
        }
        Op::Remove(i) => {
            let k = key_of(*i);
            let f = fm.find(&k).expect("generated key");
            (k.clone(), remove_key(&source, &k), None, f.lines(&source))
        }
        Op::Add(after, v) => {
            let after_key = after.map(key_of);
            let at = match &after_key {
                Some(a) => fm.find(a).expect("generated key").lines(&source).end,
                None => fm.yaml.end,
            };
            (
                new_key.to_owned(),
                add_key(&source, new_key, v, after_key.as_deref()),
                Some(v.intended()),
                attune_syntax::Span { start: at, end: at },
            )
        }
    };
    let result = match result {
        Ok(r) => r,
        Err(d) => {
            return Err(TestCaseError::fail(format!(
                "edit refused: {d:?}\nsource: {source:?}"
            )));
        }
    };
    // No byte outside the key's lines changes.
    let (head, tail) = (
        &source[..changed.start as usize],
        &source[changed.end as usize..],
    );
    prop_assert!(
        result.len() >= head.len() + tail.len(),
        "result shorter than the untouched bytes"
    );
    prop_assert!(
        result.starts_with(head),
        "bytes before `{}` changed:\n{:?}\n{:?}",
        key,
        source,
        result
    );
    prop_assert!(
        result.ends_with(tail),
        "bytes after `{}` changed:\n{:?}\n{:?}",
        key,
        source,
        result
    );
    if crlf {
        prop_assert!(
            !result.replace("\r\n", "").contains('\n'),
            "a bare LF in a CRLF note: {:?}",
            result
        );
    }
    // The result reads back as intended, every other key as before.
    let after = parse_note(result.as_bytes());
    let fm_after = after.frontmatter.as_ref().expect("frontmatter kept");
    prop_assert!(fm_after.valid, "result does not parse: {:?}", result);
    prop_assert_eq!(
        fm_after.get(&key).map(|f| &f.value),
        expected.as_ref(),
        "value of `{}` in {:?}",
        key,
        result
    );
    for old in fm.fields.iter().filter(|f| f.key != key) {
        prop_assert_eq!(
            fm_after.get(&old.key).map(|f| &f.value),
            Some(&old.value),
            "`{}` changed",
            old.key
        );
    }
    prop_assert_eq!(after.body_text(), before.body_text());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn an_edit_changes_only_its_keys_lines(entries in proptest::collection::vec(entry(), 1..7), crlf in any::<bool>(), bom in any::<bool>(), op in op()) {
        check_law(&entries, crlf, bom, &op)?;
    }
}
