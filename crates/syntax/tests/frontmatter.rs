//! Frontmatter detection and YAML reading: every edge case from issue 2, as snapshots.

mod render;

use expect_test::{Expect, expect};

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render::render(text));
}

#[test]
fn empty_file() {
    check(
        "",
        expect![[r##"
        body ""
    "##]],
    );
}

#[test]
fn body_only() {
    check(
        "# Title\ntext\n",
        expect![[r##"
            body "# Title\ntext\n"
            heading 1 "Title" "# Title"
        "##]],
    );
}

#[test]
fn empty_block_without_final_newline() {
    check(
        "---\n---",
        expect![[r##"
        frontmatter "---\n---" yaml="" valid=true
        body ""
    "##]],
    );
}

#[test]
fn empty_block_then_body() {
    check(
        "---\n---\nbody",
        expect![[r##"
        frontmatter "---\n---\n" yaml="" valid=true
        body "body"
    "##]],
    );
}

#[test]
fn bom_and_crlf() {
    check(
        "\u{feff}---\r\na: 1\r\nb: \"x\"\r\n---\r\nbody\r\n",
        expect![[r##"
        bom
        frontmatter "---\r\na: 1\r\nb: \"x\"\r\n---\r\n" yaml="a: 1\r\nb: \"x\"\r\n" valid=true
          a = 1  key="a" value="1" lines="a: 1\r\n"
          b = "x"  key="b" value="\"x\"" lines="b: \"x\"\r\n"
        body "body\r\n"
    "##]],
    );
}

#[test]
fn unterminated_block_is_body() {
    check(
        "---\na: 1\nno end\n",
        expect![[r##"
        body "---\na: 1\nno end\n"
        warning 1:1 frontmatter/unterminated: the note starts with `---` but no closing `---` line follows; it is read as body text
    "##]],
    );
}

#[test]
fn fence_must_be_first_line() {
    check(
        "\n---\na: 1\n---\n",
        expect![[r##"
        body "\n---\na: 1\n---\n"
    "##]],
    );
}

#[test]
fn value_shapes() {
    check(
        "---\nscalar: 🟩 complete\none: [x]\nwith_empty: [\"\", x]\nempty:\nnull: ~\nblank_quoted: \"\"\nlist: []\nnum: 1751694370578\nfloat: 1.5\nyes: true\nno_bool: no\ncreated: 2025-07-05 00:46\nquoted_num: \"42\"\n---\n",
        expect![[r##"
            frontmatter "---\nscalar: 🟩 complete\none: [x]\nwith_empty: [\"\", x]\nempty:\nnull: ~\nblank_quoted: \"\"\nlist: []\nnum: 1751694370578\nfloat: 1.5\nyes: true\nno_bool: no\ncreated: 2025-07-05 00:46\nquoted_num: \"42\"\n---\n" yaml="scalar: 🟩 complete\none: [x]\nwith_empty: [\"\", x]\nempty:\nnull: ~\nblank_quoted: \"\"\nlist: []\nnum: 1751694370578\nfloat: 1.5\nyes: true\nno_bool: no\ncreated: 2025-07-05 00:46\nquoted_num: \"42\"\n" valid=true
              scalar = "🟩 complete"  key="scalar" value="🟩 complete" lines="scalar: 🟩 complete\n"
              one = ["x"]  key="one" value="[x]" lines="one: [x]\n"
                items "x"
              with_empty = ["x"]  key="with_empty" value="[\"\", x]" lines="with_empty: [\"\", x]\n"
                items "\"\"" "x"
              empty = null  key="empty" value="" lines="empty:\n"
              null = null  key="null" value="~" lines="null: ~\n"
              blank_quoted = null  key="blank_quoted" value="\"\"" lines="blank_quoted: \"\"\n"
              list = []  key="list" value="[]" lines="list: []\n"
              num = 1751694370578  key="num" value="1751694370578" lines="num: 1751694370578\n"
              float = 1.5  key="float" value="1.5" lines="float: 1.5\n"
              yes = true  key="yes" value="true" lines="yes: true\n"
              no_bool = "no"  key="no_bool" value="no" lines="no_bool: no\n"
              created = "2025-07-05 00:46"  key="created" value="2025-07-05 00:46" lines="created: 2025-07-05 00:46\n"
              quoted_num = "42"  key="quoted_num" value="\"42\"" lines="quoted_num: \"42\"\n"
            body ""
        "##]],
    );
}

#[test]
fn links_as_values() {
    check(
        "---\nunquoted: [[Shame]]\nquoted: \"[[Shame|the feeling]]\"\nflow: [\"[[A]]\", \"[[B#Head]]\"]\nnested: [[[A]], [[B]]]\nblock:\n  - [[A]]\n  - \"[[ME/🏛️ Foundations/B]]\"\n  - \"\"\nempty_link: [[]]\nspaced: [ [x] ]\n---\n",
        expect![[r#"
            frontmatter "---\nunquoted: [[Shame]]\nquoted: \"[[Shame|the feeling]]\"\nflow: [\"[[A]]\", \"[[B#Head]]\"]\nnested: [[[A]], [[B]]]\nblock:\n  - [[A]]\n  - \"[[ME/🏛\u{fe0f} Foundations/B]]\"\n  - \"\"\nempty_link: [[]]\nspaced: [ [x] ]\n---\n" yaml="unquoted: [[Shame]]\nquoted: \"[[Shame|the feeling]]\"\nflow: [\"[[A]]\", \"[[B#Head]]\"]\nnested: [[[A]], [[B]]]\nblock:\n  - [[A]]\n  - \"[[ME/🏛\u{fe0f} Foundations/B]]\"\n  - \"\"\nempty_link: [[]]\nspaced: [ [x] ]\n" valid=true
              unquoted = link([[Shame]])  key="unquoted" value="[[Shame]]" lines="unquoted: [[Shame]]\n"
                items "[Shame]"
              quoted = link([[Shame|the feeling]])  key="quoted" value="\"[[Shame|the feeling]]\"" lines="quoted: \"[[Shame|the feeling]]\"\n"
              flow = [link([[A]]), link([[B#Head]])]  key="flow" value="[\"[[A]]\", \"[[B#Head]]\"]" lines="flow: [\"[[A]]\", \"[[B#Head]]\"]\n"
                items "\"[[A]]\"" "\"[[B#Head]]\""
              nested = [link([[A]]), link([[B]])]  key="nested" value="[[[A]], [[B]]]" lines="nested: [[[A]], [[B]]]\n"
                items "[[A]]" "[[B]]"
              block = [link([[A]]), link([[ME/🏛️ Foundations/B]])]  key="block" value="- [[A]]\n  - \"[[ME/🏛\u{fe0f} Foundations/B]]\"\n  - \"\"" lines="block:\n  - [[A]]\n  - \"[[ME/🏛\u{fe0f} Foundations/B]]\"\n  - \"\"\n"
                items "[[A]]" "\"[[ME/🏛\u{fe0f} Foundations/B]]\"" "\"\""
              empty_link = link([[]])  key="empty_link" value="[[]]" lines="empty_link: [[]]\n"
                items "[]"
              spaced = [["x"]]  key="spaced" value="[ [x] ]" lines="spaced: [ [x] ]\n"
                items "[x]"
            body ""
            link fm:unquoted "[[Shame]]" target="Shame" fragment=None alias=None
            link fm:quoted "[[Shame|the feeling]]" target="Shame" fragment=None alias=Some("the feeling")
            link fm:flow "[[A]]" target="A" fragment=None alias=None
            link fm:flow "[[B#Head]]" target="B" fragment=Some("Head") alias=None
            link fm:nested "[[A]]" target="A" fragment=None alias=None
            link fm:nested "[[B]]" target="B" fragment=None alias=None
            link fm:block "[[A]]" target="A" fragment=None alias=None
            link fm:block "[[ME/🏛\u{fe0f} Foundations/B]]" target="ME/🏛\u{fe0f} Foundations/B" fragment=None alias=None
            link fm:empty_link "[[]]" target="" fragment=None alias=None
        "#]],
    );
}

#[test]
fn block_scalars_and_comments() {
    check(
        "---\n# leading comment\nkeep: |+\n  kept\n\nclip: >\n  folded\n  text\n\n\nafter: 1 # trailing\nlist: # why\n  - a # first\n\n  - b\nlast: x\n---\n",
        expect![[r##"
            frontmatter "---\n# leading comment\nkeep: |+\n  kept\n\nclip: >\n  folded\n  text\n\n\nafter: 1 # trailing\nlist: # why\n  - a # first\n\n  - b\nlast: x\n---\n" yaml="# leading comment\nkeep: |+\n  kept\n\nclip: >\n  folded\n  text\n\n\nafter: 1 # trailing\nlist: # why\n  - a # first\n\n  - b\nlast: x\n" valid=true
              keep = "kept\n\n"  key="keep" value="|+\n  kept\n\n" lines="keep: |+\n  kept\n\n"
              clip = "folded text\n"  key="clip" value=">\n  folded\n  text\n\n\n" lines="clip: >\n  folded\n  text\n\n\n"
              after = 1  key="after" value="1" lines="after: 1 # trailing\n"
              list = ["a", "b"]  key="list" value="- a # first\n\n  - b" lines="list: # why\n  - a # first\n\n  - b\n"
                items "a" "b"
              last = "x"  key="last" value="x" lines="last: x\n"
            body ""
        "##]],
    );
}

#[test]
fn invalid_yaml_points_at_the_error() {
    check(
        "---\na: 1\nlist:\n  - \"🎭 x\" [\"y\"]\nb: 2\n---\nbody [[Still]]\n",
        expect![[r#"
            frontmatter "---\na: 1\nlist:\n  - \"🎭 x\" [\"y\"]\nb: 2\n---\n" yaml="a: 1\nlist:\n  - \"🎭 x\" [\"y\"]\nb: 2\n" valid=false
            body "body [[Still]]\n"
            link body "[[Still]]" target="Still" fragment=None alias=None
            error 4:11 yaml/invalid: frontmatter is not valid YAML: invalid trailing content after double-quoted scalar
        "#]],
    );
}

#[test]
fn not_a_mapping() {
    check(
        "---\n- a\n- b\n---\n",
        expect![[r#"
        frontmatter "---\n- a\n- b\n---\n" yaml="- a\n- b\n" valid=true
        body ""
        warning 2:1 yaml/not-a-mapping: frontmatter is a YAML list, not `key: value` lines; no fields are read
    "#]],
    );
}

#[test]
fn duplicate_keys_and_deep_nesting() {
    let deep = format!(
        "---\na: 1\na: 2\nd: {}{}\n---\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    check(
        &deep,
        expect![[r#"
        frontmatter "---\na: 1\na: 2\nd: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n---\n" yaml="a: 1\na: 2\nd: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n" valid=true
          a = 1  key="a" value="1" lines="a: 1\n"
          a = 2  key="a" value="2" lines="a: 2\n"
          d = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]  key="d" value="[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]" lines="d: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
            items "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
        body ""
        link fm:d "[[]]" target="" fragment=None alias=None
        warning 3:1 yaml/duplicate-key: frontmatter key `a` appears more than once; the first one is read
        warning 4:140 yaml/too-deep: frontmatter nests collections deeper than 64; the inner part is not read
    "#]],
    );
}

#[test]
fn tags_in_frontmatter() {
    check(
        "---\ntags: [self-work/trigger, \"#quoted\"]\n---\n",
        expect![[r##"
        frontmatter "---\ntags: [self-work/trigger, \"#quoted\"]\n---\n" yaml="tags: [self-work/trigger, \"#quoted\"]\n" valid=true
          tags = ["self-work/trigger", "#quoted"]  key="tags" value="[self-work/trigger, \"#quoted\"]" lines="tags: [self-work/trigger, \"#quoted\"]\n"
            items "self-work/trigger" "\"#quoted\""
        body ""
        tag self-work/trigger "self-work/trigger" fm
        tag quoted "quoted" fm
    "##]],
    );
    check(
        "---\ntags: one, #two three\n---\n",
        expect![[r#"
        frontmatter "---\ntags: one, #two three\n---\n" yaml="tags: one, #two three\n" valid=true
          tags = "one,"  key="tags" value="one," lines="tags: one, #two three\n"
        body ""
        tag one "one" fm
    "#]],
    );
    check(
        "---\ntags:\n  - 🎭emotion\n  - a_b-c\n---\n",
        expect![[r#"
        frontmatter "---\ntags:\n  - 🎭emotion\n  - a_b-c\n---\n" yaml="tags:\n  - 🎭emotion\n  - a_b-c\n" valid=true
          tags = ["🎭emotion", "a_b-c"]  key="tags" value="- 🎭emotion\n  - a_b-c" lines="tags:\n  - 🎭emotion\n  - a_b-c\n"
            items "🎭emotion" "a_b-c"
        body ""
        tag 🎭emotion "🎭emotion" fm
        tag a_b-c "a_b-c" fm
    "#]],
    );
}

#[test]
fn invalid_utf8_is_decoded_lossily() {
    let note = attune_syntax::parse_note(b"---\na: \xff\n---\n");
    expect![[r#"
        frontmatter "---\na: �\n---\n" yaml="a: �\n" valid=true
          a = "�"  key="a" value="�" lines="a: �\n"
        body ""
        error 2:4 encoding/invalid-utf8: the file is not valid UTF-8; unreadable bytes are shown as �
    "#]]
    .assert_eq(&render::render_note(&note));
}

#[test]
fn indentless_block_list_starts_at_its_dash() {
    check(
        "---\nk:\n- [[Nested]]\n- b\n---\n",
        expect![[r#"
        frontmatter "---\nk:\n- [[Nested]]\n- b\n---\n" yaml="k:\n- [[Nested]]\n- b\n" valid=true
          k = [link([[Nested]]), "b"]  key="k" value="- [[Nested]]\n- b" lines="k:\n- [[Nested]]\n- b\n"
            items "[[Nested]]" "b"
        body ""
        link fm:k "[[Nested]]" target="Nested" fragment=None alias=None
    "#]],
    );
}

#[test]
fn nested_list_link_resaved_as_block_lists() {
    check(
        "---\nsource_daily_note:\n  - - 2025-05-28\nnot_a_link:\n  - - a\n    - b\n---\n",
        expect![[r#"
        frontmatter "---\nsource_daily_note:\n  - - 2025-05-28\nnot_a_link:\n  - - a\n    - b\n---\n" yaml="source_daily_note:\n  - - 2025-05-28\nnot_a_link:\n  - - a\n    - b\n" valid=true
          source_daily_note = link([[2025-05-28]])  key="source_daily_note" value="- - 2025-05-28" lines="source_daily_note:\n  - - 2025-05-28\n"
            items "- 2025-05-28"
          not_a_link = [["a", "b"]]  key="not_a_link" value="- - a\n    - b" lines="not_a_link:\n  - - a\n    - b\n"
            items "- a\n    - b"
        body ""
        link fm:source_daily_note "2025-05-28" target="2025-05-28" fragment=None alias=None
    "#]],
    );
}
