//! rustc-style rendering of diagnostics for people. ANSI colour is always written here;
//! `anstream` strips it when stdout/stderr is not a terminal or `NO_COLOR` is set.

use std::fmt::Write;

use attune_syntax::{Diagnostic, LineIndex, Severity};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[1;34m";

fn severity_style(s: Severity) -> &'static str {
    match s {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
    }
}

/// Render one diagnostic:
///
/// ```text
/// warning[link/dangling]: no note named `Foo`
///   --> ME/x.md:12:5
///    |
/// 12 |     - "[[Foo]]"
///    |        ^^^^^^^
///    = help: create the note, or fix the name
/// ```
pub fn render(d: &Diagnostic, source: Option<&str>) -> String {
    let mut out = String::new();
    let sev = severity_style(d.severity);
    let _ = writeln!(
        out,
        "{sev}{}[{}]{RESET}{BOLD}: {}{RESET}",
        d.severity.as_str(),
        d.code,
        d.message
    );
    let (Some(span), Some(text)) = (d.span, source) else {
        if !d.path.is_empty() {
            let _ = writeln!(out, "  {BLUE}-->{RESET} {}", d.path);
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "   {BLUE}={RESET} {BOLD}help{RESET}: {help}");
        }
        return out;
    };
    let index = LineIndex::new(text);
    let start = index.line_col(text, span.start as usize);
    let line_range = index.line_span(text, start.line);
    let line_text = &text[line_range.clone()];
    let gutter = start.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad}{BLUE}-->{RESET} {}:{}:{}",
        d.path, start.line, start.col
    );
    let _ = writeln!(out, "{pad} {BLUE}|{RESET}");
    let _ = writeln!(
        out,
        "{BLUE}{}{RESET} {BLUE}|{RESET} {}",
        start.line,
        line_text.trim_end_matches('\r')
    );
    // Underline the span's part on this line, in characters.
    let under_start = (start.col - 1) as usize;
    let end_on_line = (span.end as usize).clamp(span.start as usize, line_range.end);
    let mut end = end_on_line;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let width = text[(span.start as usize).min(end)..end]
        .chars()
        .count()
        .max(1);
    let _ = writeln!(
        out,
        "{pad} {BLUE}|{RESET} {}{sev}{}{RESET}",
        " ".repeat(under_start),
        "^".repeat(width)
    );
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} {BLUE}={RESET} {BOLD}help{RESET}: {help}");
    }
    out
}

/// `s` without ANSI colour codes, for tests that compare rendered text.
#[cfg(test)]
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use attune_syntax::Span;

    #[test]
    fn points_at_the_span_with_a_caret() {
        let text = "---\nstatus: [oops\n---\n";
        let d = Diagnostic::error("yaml/invalid", "bad list")
            .with_path("ME/a.md")
            .with_span(Span::new(12, 16))
            .with_help("close the list with `]`");
        let plain = strip_ansi(&render(&d, Some(text)));
        expect_eq(
            &plain,
            "error[yaml/invalid]: bad list\n --> ME/a.md:2:9\n  |\n2 | status: [oops\n  |         ^^^^\n  = help: close the list with `]`\n",
        );
    }

    fn expect_eq(a: &str, b: &str) {
        assert_eq!(a, b, "\n{a}\n---\n{b}");
    }
}
