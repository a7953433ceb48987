//! Body scanning: every link form, tags, headings, inline fields, query blocks and tasks, and
//! the places none of them may come from (code spans, fenced code, `%% comments %%`).

mod render;

use expect_test::{Expect, expect};

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render::render(text));
}

#[test]
fn link_forms() {
    check(
        "[[Name]] [[folder/Name]] [[Name|alias]] [[Name#Heading]] [[Name#^block]] ![[embed.png]] [[]] [[Name.md#H|a]] [[ 🏛️ Foundations/Shame ]]\n",
        expect![[r#"
            body "[[Name]] [[folder/Name]] [[Name|alias]] [[Name#Heading]] [[Name#^block]] ![[embed.png]] [[]] [[Name.md#H|a]] [[ 🏛\u{fe0f} Foundations/Shame ]]\n"
            link body "[[Name]]" target="Name" fragment=None alias=None
            link body "[[folder/Name]]" target="folder/Name" fragment=None alias=None
            link body "[[Name|alias]]" target="Name" fragment=None alias=Some("alias")
            link body "[[Name#Heading]]" target="Name" fragment=Some("Heading") alias=None
            link body "[[Name#^block]]" target="Name" fragment=Some("^block") alias=None
            link body "![[embed.png]]" target="embed.png" fragment=None alias=None embed
            link body "[[]]" target="" fragment=None alias=None
            link body "[[Name.md#H|a]]" target="Name.md" fragment=Some("H") alias=Some("a")
            link body "[[ 🏛\u{fe0f} Foundations/Shame ]]" target="🏛\u{fe0f} Foundations/Shame" fragment=None alias=None
        "#]],
    );
}

#[test]
fn links_not_from_code_or_comments() {
    check(
        "a `[[code]]` b ``x [[code2]] `` [[yes1]]\n```\n[[fenced]]\n```\n~~~md\n[[tilde]]\n~~~\n%% [[inline comment]] %% [[yes2]]\n%%\n[[multi\nline]] [[comment]]\n%% [[yes3]]\n````\n```\n[[still fenced]]\n````\n",
        expect![[r#"
            body "a `[[code]]` b ``x [[code2]] `` [[yes1]]\n```\n[[fenced]]\n```\n~~~md\n[[tilde]]\n~~~\n%% [[inline comment]] %% [[yes2]]\n%%\n[[multi\nline]] [[comment]]\n%% [[yes3]]\n````\n```\n[[still fenced]]\n````\n"
            link body "[[yes1]]" target="yes1" fragment=None alias=None
            link body "[[yes2]]" target="yes2" fragment=None alias=None
            link body "[[yes3]]" target="yes3" fragment=None alias=None
        "#]],
    );
}

#[test]
fn unclosed_links_and_brackets() {
    check(
        "[[open\n[[a [[b]] c]] [[[x]]] \\[[y]]\n",
        expect![[r#"
        body "[[open\n[[a [[b]] c]] [[[x]]] \\[[y]]\n"
        link body "[[b]]" target="b" fragment=None alias=None
        link body "[[x]]" target="x" fragment=None alias=None
    "#]],
    );
}

#[test]
fn tags() {
    check(
        "#tag #self-work/trigger #a_b #123 #1st #🎭feeling #émotion text#no (#no) `#code`\n# Heading #inhead\n## Two\n#not-heading, #x.\n",
        expect![[r###"
            body "#tag #self-work/trigger #a_b #123 #1st #🎭feeling #émotion text#no (#no) `#code`\n# Heading #inhead\n## Two\n#not-heading, #x.\n"
            tag tag "#tag"
            tag self-work/trigger "#self-work/trigger"
            tag a_b "#a_b"
            tag 1st "#1st"
            tag 🎭feeling "#🎭feeling"
            tag émotion "#émotion"
            tag inhead "#inhead"
            tag not-heading "#not-heading"
            tag x "#x"
            heading 1 "Heading #inhead" "# Heading #inhead"
            heading 2 "Two" "## Two"
        "###]],
    );
}

#[test]
fn headings() {
    check(
        "# One\n## Two ##\n###### Six\n####### Seven\n#NoSpace\n   ### Indented\n    # code-ish\n#\n",
        expect![[r#######"
        body "# One\n## Two ##\n###### Six\n####### Seven\n#NoSpace\n   ### Indented\n    # code-ish\n#\n"
        tag NoSpace "#NoSpace"
        heading 1 "One" "# One"
        heading 2 "Two" "## Two ##"
        heading 6 "Six" "###### Six"
        heading 3 "Indented" "### Indented"
        heading 1 "" "#"
    "#######]],
    );
}

#[test]
fn inline_fields() {
    check(
        "status:: 🟩 complete\n- rating:: 5\n**Bold Key**:: v\nText [inline:: one] and (hidden:: two) [[link::no]]\nNot a field: x:: y\nhttp://x::y\n",
        expect![[r#"
            body "status:: 🟩 complete\n- rating:: 5\n**Bold Key**:: v\nText [inline:: one] and (hidden:: two) [[link::no]]\nNot a field: x:: y\nhttp://x::y\n"
            link body "[[link::no]]" target="link::no" fragment=None alias=None
            field "status" = "🟩 complete" "status:: 🟩 complete"
            field "rating" = "5" "rating:: 5"
            field "Bold Key" = "v" "**Bold Key**:: v"
            field "inline" = "one" "[inline:: one]"
            field "hidden" = "two" "(hidden:: two)"
        "#]],
    );
}

#[test]
fn query_blocks() {
    check(
        "```dataview\nTABLE status\nFROM \"ME\"\n```\n``` dataview\nLIST\n```\n```dataviewjs\ndv.list()\n```\n```js\nnot a query\n```\n```DataView\nlist\n```\n",
        expect![[r#"
            body "```dataview\nTABLE status\nFROM \"ME\"\n```\n``` dataview\nLIST\n```\n```dataviewjs\ndv.list()\n```\n```js\nnot a query\n```\n```DataView\nlist\n```\n"
            query dataview "TABLE status\nFROM \"ME\"\n" text="TABLE status\nFROM \"ME\"\n"
            query dataview "LIST\n" text="LIST\n"
            query dataviewjs "dv.list()\n" text="dv.list()\n"
            query dataview "list\n" text="list\n"
        "#]],
    );
}

#[test]
fn unclosed_query_block_runs_to_the_end() {
    check(
        "```dataview\nLIST\n",
        expect![[r#"
        body "```dataview\nLIST\n"
        query dataview "LIST\n" text="LIST\n"
        warning 1:1 markdown/unclosed-query: this ```dataview block has no closing fence; it runs to the end of the note
    "#]],
    );
}

#[test]
fn tasks() {
    check(
        "- [ ] open\n* [x] done [[Link]]\n1. [ ] numbered\n2) [>] forwarded\n  - [ ] nested\n- [] not a task\n- [ ]no space\n-[ ] no\n```\n- [ ] in code\n```\n",
        expect![[r#"
            body "- [ ] open\n* [x] done [[Link]]\n1. [ ] numbered\n2) [>] forwarded\n  - [ ] nested\n- [] not a task\n- [ ]no space\n-[ ] no\n```\n- [ ] in code\n```\n"
            link body "[[Link]]" target="Link" fragment=None alias=None
            task [ ] "open" line 1 "- [ ] open"
            task [x] "done [[Link]]" line 2 "* [x] done [[Link]]"
            task [ ] "numbered" line 3 "1. [ ] numbered"
            task [>] "forwarded" line 4 "2) [>] forwarded"
            task [ ] "nested" line 5 "- [ ] nested"
        "#]],
    );
}

#[test]
fn crlf_body_and_frontmatter_links() {
    check(
        "---\r\nrel: \"[[A]]\"\r\n---\r\n# H\r\n- [ ] t [[B]]\r\nk:: v\r\n",
        expect![[r##"
        frontmatter "---\r\nrel: \"[[A]]\"\r\n---\r\n" yaml="rel: \"[[A]]\"\r\n" valid=true
          rel = link([[A]])  key="rel" value="\"[[A]]\"" lines="rel: \"[[A]]\"\r\n"
        body "# H\r\n- [ ] t [[B]]\r\nk:: v\r\n"
        link fm:rel "[[A]]" target="A" fragment=None alias=None
        link body "[[B]]" target="B" fragment=None alias=None
        heading 1 "H" "# H"
        field "k" = "v" "k:: v"
        task [ ] "t [[B]]" line 5 "- [ ] t [[B]]"
    "##]],
    );
}

#[test]
fn broken_yaml_still_shows_links() {
    check(
        "---\nok: \"[[A]]\"\nbad:\n  - \"[[B]]\" [\"[[C]]\"]\n---\n",
        expect![[r#"
        frontmatter "---\nok: \"[[A]]\"\nbad:\n  - \"[[B]]\" [\"[[C]]\"]\n---\n" yaml="ok: \"[[A]]\"\nbad:\n  - \"[[B]]\" [\"[[C]]\"]\n" valid=false
        body ""
        link fm:ok "[[A]]" target="A" fragment=None alias=None
        link fm:bad "[[B]]" target="B" fragment=None alias=None
        link fm:bad "[[C]]" target="C" fragment=None alias=None
        error 4:13 yaml/invalid: frontmatter is not valid YAML: invalid trailing content after double-quoted scalar
    "#]],
    );
}
