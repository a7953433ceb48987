//! `encoding/mojibake`: UTF-8 text that was once decoded as Windows-1252 or Windows-1254 and
//! saved again, so `🟩` reads `ğŸŸ©`, `—` reads `â€”` and `é` reads `Ã©`.
//!
//! A suspect run is a stretch of characters that each come from one byte ≥ 0x80 of the code
//! page. Encoding the run back to those bytes and reading them as UTF-8 gives the text the
//! owner wrote. Real accented words and emoji do not survive this test: `café` encodes to a
//! lone `0xE9`, which is not UTF-8, and `🟩` is not a code page character at all. A run is
//! reported when it yields at least one whole multi-byte UTF-8 character, or the first three
//! bytes of a four-byte one (an emoji whose last byte the code page could not hold).

use std::sync::OnceLock;

use attune_syntax::{Diagnostic, Span};
use encoding_rs::{Encoding, WINDOWS_1252, WINDOWS_1254};

/// Every character of both code pages lies below this (the highest is `™`, U+2122).
const LIMIT: usize = 0x2200;

/// Code page character → byte, for the bytes 0x80–0xFF: a table by character, 0 for a
/// character the code page does not have (no hashing per character of every note).
struct CodePage {
    encoding: &'static Encoding,
    bytes: Box<[u8]>,
}

impl CodePage {
    fn byte_of(&self, c: char) -> Option<u8> {
        self.bytes.get(c as usize).copied().filter(|&b| b != 0)
    }
}

/// The two code pages, and the UTF-8 lead bytes of their characters: a text with none of
/// those bytes has no suspect character (emoji and most accented text are skipped at once).
struct Pages {
    pages: [CodePage; 2],
    lead: [bool; 256],
}

fn pages() -> &'static Pages {
    static PAGES: OnceLock<Pages> = OnceLock::new();
    PAGES.get_or_init(|| {
        let pages = [code_page(WINDOWS_1252), code_page(WINDOWS_1254)];
        let mut lead = [false; 256];
        for page in &pages {
            for (c, &b) in page.bytes.iter().enumerate() {
                if let (true, Some(c)) = (b != 0, char::from_u32(c as u32)) {
                    let mut buf = [0; 4];
                    lead[c.encode_utf8(&mut buf).as_bytes()[0] as usize] = true;
                }
            }
        }
        Pages { pages, lead }
    })
}

fn code_pages() -> &'static [CodePage; 2] {
    &pages().pages
}

fn code_page(encoding: &'static Encoding) -> CodePage {
    let mut bytes = vec![0u8; LIMIT];
    for b in 0x80u8..=0xFF {
        let byte = [b];
        let (text, _, had_errors) = encoding.decode(&byte);
        let mut chars = text.chars();
        if let (Some(c), None, false) = (chars.next(), chars.next(), had_errors) {
            // A test checks that every character fits the table.
            if let Some(slot) = bytes.get_mut(c as usize) {
                *slot = b;
            }
        }
    }
    CodePage {
        encoding,
        bytes: bytes.into_boxed_slice(),
    }
}

/// What reading a run's bytes as UTF-8 gives.
#[derive(Default)]
struct Reading {
    /// Whole multi-byte characters.
    whole: usize,
    /// Lead byte of a four-byte character with two continuation bytes after it, then a stop.
    cut_emoji: usize,
    /// Lead byte with at least one continuation byte, then a stop.
    cut: usize,
}

fn read_utf8(bytes: &[u8]) -> Reading {
    let mut reading = Reading::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let width = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => {
                i += 1;
                continue;
            }
        };
        let continuation = bytes[i + 1..]
            .iter()
            .take(width - 1)
            .take_while(|&&c| (0x80..=0xBF).contains(&c))
            .count();
        if continuation == width - 1 && std::str::from_utf8(&bytes[i..i + width]).is_ok() {
            reading.whole += 1;
        } else if width == 4 && continuation == 2 {
            reading.cut_emoji += 1;
        } else if continuation >= 1 {
            reading.cut += 1;
        }
        i += 1 + continuation;
    }
    reading
}

/// One suspect run and its repair.
struct Run {
    span: Span,
    strong: bool,
    code_page: &'static str,
}

/// Find the mojibake of one note's text; one diagnostic per affected line.
pub fn find_mojibake(text: &str) -> Vec<Diagnostic> {
    let lead = &self::pages().lead;
    if !text.bytes().any(|b| lead[b as usize]) {
        return Vec::new();
    }
    let pages = code_pages();
    let mut runs: Vec<Run> = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let suspect = !c.is_ascii() && pages.iter().any(|p| p.byte_of(c).is_some());
        if suspect && start.is_none() {
            start = Some(i);
        }
        let at_end = chars.peek().is_none();
        if let Some(s) = start
            && (!suspect || at_end)
        {
            let end = if suspect { i + c.len_utf8() } else { i };
            if let Some(run) = judge_run(&text[s..end], s, pages) {
                runs.push(run);
            }
            start = None;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        // Group runs by line; a line is reported when one of its runs is strong evidence.
        let line_end = text[runs[i].span.start as usize..]
            .find('\n')
            .map_or(text.len(), |n| runs[i].span.start as usize + n);
        let mut j = i;
        while j < runs.len() && (runs[j].span.end as usize) <= line_end {
            j += 1;
        }
        let line_runs = &runs[i..j.max(i + 1)];
        i = j.max(i + 1);
        let Some(strong) = line_runs.iter().find(|r| r.strong) else {
            continue;
        };
        let code_page = strong.code_page;
        let page = pages
            .iter()
            .find(|p| p.encoding.name() == code_page)
            .unwrap_or(&pages[0]);
        let first = line_runs[0].span.start as usize;
        let last = line_runs[line_runs.len() - 1].span.end as usize;
        let region = &text[first..last];
        let repaired = repair(region, page);
        out.push(
            Diagnostic::warning(
                "encoding/mojibake",
                format!("`{}` is UTF-8 text that was decoded as {code_page}", shorten(region)),
            )
            .with_span(Span::new(first, last))
            .with_help(format!(
                "it reads `{}`: re-read the file's bytes as UTF-8 (encode as {code_page}, decode as UTF-8) and save it",
                shorten(&repaired)
            )),
        );
    }
    out
}

fn judge_run(run: &str, offset: usize, pages: &[CodePage; 2]) -> Option<Run> {
    run.chars().nth(1)?; // one character alone is never evidence
    let mut best: Option<(Reading, &'static str)> = None;
    for page in pages {
        let Some(bytes) = run
            .chars()
            .map(|c| page.byte_of(c))
            .collect::<Option<Vec<u8>>>()
        else {
            continue;
        };
        let reading = read_utf8(&bytes);
        let better = match &best {
            None => true,
            Some((b, _)) => (reading.whole, reading.cut_emoji) > (b.whole, b.cut_emoji),
        };
        if better {
            best = Some((reading, page.encoding.name()));
        }
    }
    let (reading, code_page) = best?;
    let strong = reading.whole > 0 || reading.cut_emoji > 0;
    (strong || reading.cut > 0).then(|| Run {
        span: Span::new(offset, offset + run.len()),
        strong,
        code_page,
    })
}

/// Re-read `region`: each code page character back to its byte, then the bytes as UTF-8.
fn repair(region: &str, page: &CodePage) -> String {
    let mut bytes = Vec::with_capacity(region.len());
    for c in region.chars() {
        match page.byte_of(c) {
            Some(b) if !c.is_ascii() => bytes.push(b),
            _ => {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(MAX).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_page_character_fits_the_table() {
        for encoding in [WINDOWS_1252, WINDOWS_1254] {
            let page = code_page(encoding);
            let mut mapped = 0;
            for b in 0x80u8..=0xFF {
                let byte = [b];
                let (text, _, had_errors) = encoding.decode(&byte);
                let mut chars = text.chars();
                if let (Some(c), None, false) = (chars.next(), chars.next(), had_errors) {
                    assert!((c as usize) < LIMIT, "{c:?} of {}", encoding.name());
                    assert_eq!(page.byte_of(c), Some(b));
                    mapped += 1;
                }
            }
            assert!(mapped > 100, "{} maps {mapped} bytes", encoding.name());
            assert_eq!(page.byte_of('a'), None);
            assert_eq!(page.byte_of('🟩'), None);
        }
    }

    fn repairs(text: &str) -> Vec<String> {
        find_mojibake(text)
            .into_iter()
            .map(|d| d.help.unwrap_or_default())
            .collect()
    }

    #[test]
    fn flags_windows_1254_emoji() {
        let found = find_mojibake("status: ğŸŸ© complete\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span, Some(Span::new(8, 8 + "ğŸŸ©".len())));
        assert!(
            found[0].message.contains("windows-1254"),
            "{}",
            found[0].message
        );
        assert!(found[0].help.as_deref().unwrap_or("").contains("`🟩`"));
    }

    #[test]
    fn flags_windows_1252_dash_and_accent() {
        assert_eq!(
            repairs("a â€” b"),
            [
                "it reads `—`: re-read the file's bytes as UTF-8 (encode as windows-1252, decode as UTF-8) and save it"
            ]
        );
        assert!(repairs("caf Ã© ok")[0].contains("`é`"));
    }

    #[test]
    fn one_finding_per_line_spanning_every_run() {
        let found = find_mojibake("itâ€™s â€” fine\nnext â€œlineâ€\n");
        assert_eq!(found.len(), 2);
        assert!(
            found[0].help.as_deref().unwrap_or("").contains("`’s —`"),
            "{:?}",
            found[0].help
        );
    }

    #[test]
    fn emoji_missing_its_last_byte_is_still_flagged() {
        // 🔁 is F0 9F 94 81; Windows-1254 has no character for 0x81, so it was lost.
        assert_eq!(find_mojibake("## ğŸ” What").len(), 1);
    }

    #[test]
    fn real_text_is_left_alone() {
        for text in [
            "🟩 complete, 🔒 private, ⚪ None, 🏛️ Foundations",
            "café, naïve, Ångström, für, œuvre, ¿Qué?, “quoted”, … — –",
            "Türkçe: ğüşıöç İĞ",
            "© 2025 · 50 % · 3×4 · ½",
            "é— dash after an accent",
            "",
        ] {
            assert_eq!(find_mojibake(text), Vec::new(), "{text}");
        }
    }
}
