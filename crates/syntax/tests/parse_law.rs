//! Laws of `parse_note` over generated text: it never panics, printing gives back the input,
//! and every span lies inside the text on character boundaries and covers what it claims.

use attune_syntax::{Note, Span, parse_note};
use proptest::prelude::*;

/// Pieces that exercise every branch of the scanner and the YAML reader.
const PIECES: &[&str] = &[
    "---",
    "\n",
    "\r\n",
    "\u{feff}",
    "key: value",
    "k:",
    "  - ",
    "- ",
    "\"[[A]]\"",
    "[[",
    "]]",
    "![[",
    "[[B|c]]",
    "[[#^x]]",
    "#tag",
    "# ",
    "## H",
    "`",
    "``",
    "```",
    "```dataview",
    "``` dataview",
    "~~~",
    "%%",
    "key:: v",
    "[k:: v]",
    "(k:: v)",
    "- [ ] ",
    "1. [x] ",
    "🏛️",
    "🎭",
    "é",
    "\u{fe0f}",
    "|+",
    ">-",
    "'q'",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    " ",
    "\t",
    "\\",
    "&a",
    "*a",
    "!!str",
    "? ",
    "...",
    "%YAML 1.2",
    "\u{2028}",
];

/// A field's lines searched for inside the YAML text only: from the line holding the key
/// to the end of the line holding the value's (or key's) last byte, clamped to the YAML.
fn lines_within_yaml(source: &str, yaml: Span, f: &attune_syntax::FieldAt<'_>) -> Span {
    let base = yaml.start as usize;
    let bytes = &source.as_bytes()[yaml.range()];
    let (k_start, k_end) = (
        f.key_span.start as usize - base,
        f.key_span.end as usize - base,
    );
    let value_end = f.value_span.end as usize - base;
    let line_start = bytes[..k_start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let last = value_end.max(k_end).max(line_start + 1) - 1;
    let line_end = bytes[last.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| last + i + 1);
    Span::new(base + line_start, base + line_end.max(line_start))
}

fn check_spans(note: &Note) -> Result<(), TestCaseError> {
    let text = &note.source;
    let ok = |s: Span| {
        s.start <= s.end
            && (s.end as usize) <= text.len()
            && text.is_char_boundary(s.start as usize)
            && text.is_char_boundary(s.end as usize)
    };
    let mut spans = vec![note.body];
    if let Some(fm) = &note.frontmatter {
        spans.extend([fm.span, fm.yaml]);
        for f in fm.iter() {
            let lines = f.lines(text);
            spans.extend([f.key_span, f.value_span, lines]);
            spans.extend(f.item_spans().iter().copied());
            prop_assert!(
                lines.start <= f.key_span.start && f.value_span.end <= lines.end,
                "field `{}` outside its lines",
                f.key
            );
            // `lines` is computed from the whole source; it must equal the lines found
            // within the YAML text alone (how the parser once stored them).
            prop_assert_eq!(
                lines,
                lines_within_yaml(text, fm.yaml, &f),
                "field `{}`",
                f.key
            );
        }
    }
    for l in &note.links {
        prop_assert!(ok(l.span));
        let t = note.text(l.span);
        let bracketed = t.starts_with(if l.embed { "![[" } else { "[[" }) && t.ends_with("]]");
        // `- - Name` in frontmatter: a nested-list link with no brackets in the text.
        let block_form =
            matches!(l.place, attune_syntax::LinkPlace::Frontmatter { .. }) && !t.contains('[');
        prop_assert!(bracketed || block_form, "link span {:?}", t);
    }
    for t in note.tags() {
        spans.push(t.span);
    }
    spans.extend(note.headings.iter().map(|h| h.span));
    spans.extend(note.inline_fields().iter().map(|f| f.span));
    spans.extend(
        note.query_blocks()
            .iter()
            .flat_map(|q| [q.span, q.text_span]),
    );
    spans.extend(note.tasks().iter().map(|t| t.span));
    spans.extend(note.diagnostics().iter().filter_map(|d| d.span));
    for s in spans {
        prop_assert!(ok(s), "bad span {:?} in {:?}", s, text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn pieces_round_trip_without_panic(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)) {
        let text: String = pieces.concat();
        let note = parse_note(text.as_bytes());
        prop_assert_eq!(note.print(), text.as_str());
        check_spans(&note)?;
    }

    #[test]
    fn frontmatter_pieces_round_trip_without_panic(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..30)) {
        let text = format!("---\n{}\n---\nbody", pieces.concat());
        let note = parse_note(text.as_bytes());
        prop_assert_eq!(note.print(), text.as_str());
        check_spans(&note)?;
    }

    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let note = parse_note(&bytes);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            prop_assert_eq!(note.print(), text);
        }
        check_spans(&note)?;
    }
}
