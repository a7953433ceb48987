//! Fuzz `parse_note`: it must never panic, printing must give back valid UTF-8 input byte for
//! byte, and every span must lie inside the text on character boundaries.
#![no_main]

use attune_syntax::{Note, Span, parse_note};
use libfuzzer_sys::fuzz_target;

fn check(note: &Note) {
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
            spans.extend([f.key_span, f.value_span, f.lines(text)]);
            spans.extend(f.item_spans().iter().copied());
        }
    }
    spans.extend(note.links.iter().map(|l| l.span));
    spans.extend(note.tags().iter().map(|t| t.span));
    spans.extend(note.headings.iter().map(|h| h.span));
    spans.extend(note.inline_fields().iter().map(|f| f.span));
    spans.extend(note.query_blocks().iter().flat_map(|q| [q.span, q.text_span]));
    spans.extend(note.tasks().iter().map(|t| t.span));
    spans.extend(note.diagnostics().iter().filter_map(|d| d.span));
    for s in spans {
        assert!(
            ok(s),
            "span {s:?} outside the text or not on a character boundary"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let note = parse_note(data);
    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(note.print(), text, "round trip");
    }
    check(&note);
});
