//! The fast reader for flat frontmatter: top-level `key: scalar`, `key: [flow, list]` on
//! one line, `key:` followed by `- item` lines, `key: |` / `key: |-` literal blocks, quoted
//! scalars and comments. That is nearly every note a vault holds, and reading it by hand
//! costs a fraction of a full YAML parse.
//!
//! It gives exactly what the saphyr reader gives (same [`Field`]s, spans, values and
//! diagnostics: both finish through the same `Builder`), and it answers `None` for anything
//! it is not sure of — anchors, aliases, tags, folded and kept (`|+`) block scalars, nested maps, multi-line
//! scalars or flow lists, escapes, tabs, CR line ends, odd characters, blank lines inside a
//! list — so that saphyr reads those. The tests compare both readers on every note of the
//! reference vault and of generated vaults, and on generated frontmatter (proptest).
//!
//! [`Field`]: crate::Field

use saphyr_parser::ScalarStyle;

use super::{Builder, Node, ParsedYaml, scalar_value};
use crate::{Span, Value};

/// Flow lists nested deeper than this are left to saphyr.
const MAX_FLOW_DEPTH: usize = 8;

/// Read the YAML at `yaml` in `source` when it is flat; `None` sends it to saphyr.
pub(crate) fn parse(source: &str, yaml: Span) -> Option<ParsedYaml> {
    let text = &source[yaml.range()];
    if !plain_characters(text) {
        return None;
    }
    // The builder's field list is already the size of the text's top-level key lines, which
    // in flat frontmatter is exactly its number of fields: no growing, and no shrinking copy
    // when the note keeps it (growing it to one per line, as this did, cost a copy to grow
    // and another to shrink for most notes).
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        builder: Builder::new(text, yaml.start as usize),
    };
    reader.read()?;
    Some(reader.builder.finish())
}

/// Only line feeds and printable characters: no tabs, no CR, no control characters, no
/// byte order mark or Unicode line separators (whose YAML meaning is not worth guessing).
/// Works on bytes: the ASCII test runs over whole blocks (the compiler vectorises it), and
/// only the lead bytes of the few excluded non-ASCII characters are looked at closely.
fn plain_characters(text: &str) -> bool {
    let bytes = text.as_bytes();
    let control = |b: u8| (b < 0x20 && b != b'\n') | (b == 0x7F);
    for block in bytes.chunks(32) {
        if block.iter().fold(false, |bad, &b| bad | control(b)) {
            return false;
        }
    }
    // U+0080–U+009F: C2 80–C2 9F; U+2028/U+2029: E2 80 A8/A9; U+FEFF: EF BB BF;
    // U+FFFE/U+FFFF: EF BF BE/BF.
    !memchr::memchr3_iter(0xC2, 0xE2, 0xEF, bytes).any(|i| {
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        match bytes[i] {
            0xC2 => (0x80..=0x9F).contains(&next(1)),
            0xE2 => next(1) == 0x80 && matches!(next(2), 0xA8 | 0xA9),
            _ => matches!((next(1), next(2)), (0xBB, 0xBF) | (0xBF, 0xBE | 0xBF)),
        }
    })
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    builder: Builder<'a>,
}

/// Where a scalar may end: block context (a whole line) or inside a flow list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Block,
    Flow,
}

impl<'a> Reader<'a> {
    /// End of the line starting at `at` (the offset of its `\n`, or the text's end).
    fn line_end(&self, at: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[at..]).map_or(self.bytes.len(), |i| at + i)
    }

    /// Start of the line after the one ending at `end`.
    fn next_line(&self, end: usize) -> usize {
        (end + 1).min(self.bytes.len())
    }

    /// How many spaces the line from `start` (ending at `end`) begins with.
    fn indent(&self, start: usize, end: usize) -> usize {
        self.bytes[start..end]
            .iter()
            .take_while(|&&b| b == b' ')
            .count()
    }

    fn is_blank(&self, start: usize, end: usize) -> bool {
        self.bytes[start..end].iter().all(|&b| b == b' ')
    }

    fn read(&mut self) -> Option<()> {
        let mut pos = 0;
        while pos < self.bytes.len() {
            let end = self.line_end(pos);
            let first = self.bytes[pos];
            if self.is_blank(pos, end) || first == b'#' {
                pos = self.next_line(end);
                continue;
            }
            if first == b' ' || self.bytes[pos..end].starts_with(b"...") {
                return None;
            }
            pos = self.key_line(pos, end)?;
        }
        Some(())
    }

    /// One `key: value` line (and its block list, if any); gives where the next line starts.
    fn key_line(&mut self, start: usize, end: usize) -> Option<usize> {
        let line = &self.text[start..end];
        if is_indicator(line.as_bytes()[0]) {
            return None;
        }
        let colon = line.find(':')?;
        let key = &line[..colon];
        if key.is_empty() || key.ends_with(' ') || key.contains('#') {
            return None;
        }
        let after = start + colon + 1;
        if after < end && self.bytes[after] != b' ' {
            return None;
        }
        let key_node = Node {
            value: Value::Null,
            start,
            end: start + colon,
            // `Builder::field` takes the key's text apart; the node gives only its place.
            scalar: None,
            block_scalar: false,
            item_spans: Vec::new(),
        };
        let mut value_start = after;
        while value_start < end && self.bytes[value_start] == b' ' {
            value_start += 1;
        }
        let (value, next) = if value_start == end || self.bytes[value_start] == b'#' {
            // Nothing on the key's line: a block list may follow, else the value is empty.
            match self.block_list(self.next_line(end))? {
                Some(found) => found,
                None => (
                    Node {
                        value: Value::Null,
                        start: after,
                        end: after,
                        scalar: None,
                        block_scalar: false,
                        item_spans: Vec::new(),
                    },
                    self.next_line(end),
                ),
            }
        } else if self.bytes[value_start] == b'|' {
            self.literal_block(value_start, end)?
        } else {
            let (node, used) = self.value(value_start, end, Context::Block, 0)?;
            self.rest_is_comment(used, end)?;
            (node, self.next_line(end))
        };
        let field = self.builder.field(key, &key_node, value);
        self.builder.fields.push(field);
        Some(next)
    }

    /// Only blanks, or blanks and a comment, from `at` to `end`.
    fn rest_is_comment(&self, at: usize, end: usize) -> Option<()> {
        let mut i = at;
        while i < end && self.bytes[i] == b' ' {
            i += 1;
        }
        (i == end || (i > at && self.bytes[i] == b'#')).then_some(())
    }

    /// `- item` lines starting at `pos`, all at one indentation. `Some(None)` when the next
    /// line is not a list item at all; `None` when the shape is not flat.
    fn block_list(&mut self, pos: usize) -> Option<Option<(Node, usize)>> {
        if pos >= self.bytes.len() {
            return Some(None);
        }
        let end = self.line_end(pos);
        let indent = self.indent(pos, end);
        if !self.is_dash(pos + indent, end) {
            // An indented line that is no item (a nested map, a continuation): not flat.
            return if indent > 0 && !self.is_blank(pos, end) {
                None
            } else {
                Some(None)
            };
        }
        let mut items = Vec::new();
        let mut item_spans = Vec::new();
        let list_start = pos + indent;
        let mut last_end = list_start;
        let mut line = pos;
        while line < self.bytes.len() {
            let end = self.line_end(line);
            let this_indent = self.indent(line, end);
            if this_indent == indent && self.is_dash(line + indent, end) {
                let mut at = line + indent + 1;
                while at < end && self.bytes[at] == b' ' {
                    at += 1;
                }
                // An item starting with `-` (`- -x`) moves where saphyr says the list starts.
                if at == end || matches!(self.bytes[at], b'#' | b'-') {
                    return None;
                }
                let (node, used) = self.value(at, end, Context::Block, 0)?;
                self.rest_is_comment(used, end)?;
                last_end = node.end;
                item_spans.push(Span::new(node.start, node.end));
                items.push(node.value);
                line = self.next_line(end);
                continue;
            }
            // The list ends at a line at the left margin (the next key or a comment) or at a
            // blank line; anything else indented is not flat.
            if this_indent == 0 || self.is_blank(line, end) {
                break;
            }
            return None;
        }
        let value = self
            .builder
            .sequence_value(items, &item_spans, list_start, last_end, false);
        Some(Some((
            Node {
                value,
                start: list_start,
                end: last_end,
                scalar: None,
                block_scalar: false,
                item_spans,
            },
            line,
        )))
    }

    /// A literal block scalar (`key: |` or `key: |-`, then lines indented alike): its node and
    /// where the next key starts. Only the plain shape: the header has nothing after its
    /// indicator but blanks, the first line after it holds text, and the last text line ends
    /// with a line break; anything else (`|+`, `|2`, a comment, folding `>`, leading empty
    /// lines) goes to saphyr.
    fn literal_block(&self, at: usize, end: usize) -> Option<(Node, usize)> {
        let mut i = at + 1;
        let strip = self.bytes.get(i) == Some(&b'-');
        if strip {
            i += 1;
        }
        if !self.is_blank(i, end) {
            return None;
        }
        let first = self.next_line(end);
        if first >= self.bytes.len() {
            return None;
        }
        let first_end = self.line_end(first);
        let indent = self.indent(first, first_end);
        if indent == 0 || first + indent == first_end {
            return None;
        }
        // Lines of text (indented by `indent` or more) and empty lines (blanks up to
        // `indent`), until a line indented less that holds text.
        let mut lines: Vec<&str> = Vec::new();
        let mut kept = 0;
        let mut line = first;
        while line < self.bytes.len() {
            let line_end = self.line_end(line);
            let spaces = self.indent(line, line_end);
            let blank = line + spaces == line_end;
            if blank && spaces <= indent {
                lines.push("");
            } else if spaces >= indent {
                if line_end == self.bytes.len() {
                    return None;
                }
                lines.push(&self.text[line + indent..line_end]);
                kept = lines.len();
            } else {
                break;
            }
            line = self.next_line(line_end);
        }
        let mut text = lines[..kept].join("\n");
        if !strip {
            text.push('\n');
        }
        let value = scalar_value(&text, ScalarStyle::Literal, None);
        Some((
            Node {
                value,
                start: first,
                end: line,
                scalar: None,
                block_scalar: true,
                item_spans: Vec::new(),
            },
            line,
        ))
    }

    /// `-` followed by a blank at `at` (an item's dash).
    fn is_dash(&self, at: usize, end: usize) -> bool {
        at < end && self.bytes[at] == b'-' && (at + 1 == end || self.bytes[at + 1] == b' ')
    }

    /// A value starting at `at` on a line ending at `end`: its node and where it ended.
    fn value(
        &self,
        at: usize,
        end: usize,
        context: Context,
        depth: usize,
    ) -> Option<(Node, usize)> {
        match self.bytes[at] {
            b'"' => self.double_quoted(at, end),
            b'\'' => self.single_quoted(at, end),
            b'[' => self.flow_list(at, end, depth + 1),
            // `-5` is a plain scalar; `- x` is not (`plain` tells them apart).
            b if is_indicator(b) && b != b'-' => None,
            _ => self.plain(at, end, context),
        }
    }

    fn double_quoted(&self, at: usize, end: usize) -> Option<(Node, usize)> {
        let close = at + 1 + memchr::memchr(b'"', &self.bytes[at + 1..end])?;
        let content = &self.text[at + 1..close];
        if content.contains('\\') {
            return None;
        }
        Some((
            scalar_node(content, ScalarStyle::DoubleQuoted, at, close + 1),
            close + 1,
        ))
    }

    fn single_quoted(&self, at: usize, end: usize) -> Option<(Node, usize)> {
        let mut i = at + 1;
        loop {
            let q = i + memchr::memchr(b'\'', &self.bytes[i..end])?;
            if self.bytes.get(q + 1) == Some(&b'\'') && q + 1 < end {
                i = q + 2;
                continue;
            }
            let content = self.text[at + 1..q].replace("''", "'");
            return Some((
                scalar_node(&content, ScalarStyle::SingleQuoted, at, q + 1),
                q + 1,
            ));
        }
    }

    /// `[a, "b", [[C]]]` on one line.
    fn flow_list(&self, at: usize, end: usize, depth: usize) -> Option<(Node, usize)> {
        if depth > MAX_FLOW_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        let mut item_spans = Vec::new();
        let mut i = at + 1;
        loop {
            while i < end && self.bytes[i] == b' ' {
                i += 1;
            }
            if i >= end {
                return None;
            }
            if self.bytes[i] == b']' {
                if !items.is_empty() {
                    // `[a, ]`: a trailing comma.
                    return None;
                }
                break;
            }
            let (node, used) = self.value(i, end, Context::Flow, depth)?;
            item_spans.push(Span::new(node.start, node.end));
            items.push(node.value);
            i = used;
            while i < end && self.bytes[i] == b' ' {
                i += 1;
            }
            match self.bytes.get(i) {
                Some(b',') if i < end => i += 1,
                Some(b']') if i < end => break,
                _ => return None,
            }
        }
        let close = i;
        let value = self
            .builder
            .sequence_value(items, &item_spans, at, close + 1, true);
        Some((
            Node {
                value,
                start: at,
                end: close + 1,
                scalar: None,
                block_scalar: false,
                item_spans,
            },
            close + 1,
        ))
    }

    /// A plain scalar: to the end of the line (block) or to `,`/`]` (flow), without a
    /// trailing comment or blanks.
    fn plain(&self, at: usize, end: usize, context: Context) -> Option<(Node, usize)> {
        let b = self.bytes;
        if matches!(b[at], b'-' | b'?' | b':')
            && (at + 1 == end || matches!(b[at + 1], b' ' | b',' | b'[' | b']' | b'{' | b'}'))
        {
            return None;
        }
        let mut i = at;
        while i < end {
            match b[i] {
                b'#' if b[i - 1] == b' ' => break,
                // `a: b` is a map; `a:b` is text, but not worth the doubt in a list.
                b':' if context == Context::Flow || i + 1 == end || b[i + 1] == b' ' => {
                    return None;
                }
                b',' | b'[' | b']' | b'{' | b'}' if context == Context::Flow => break,
                _ => {}
            }
            i += 1;
        }
        let mut stop = i;
        while stop > at && b[stop - 1] == b' ' {
            stop -= 1;
        }
        if stop == at {
            return None;
        }
        let text = &self.text[at..stop];
        Some((scalar_node(text, ScalarStyle::Plain, at, stop), stop))
    }
}

fn scalar_node(text: &str, style: ScalarStyle, start: usize, end: usize) -> Node {
    Node {
        value: scalar_value(text, style, None),
        start,
        end,
        scalar: None,
        block_scalar: false,
        item_spans: Vec::new(),
    }
}

/// Characters that start something other than a plain scalar (or are reserved).
fn is_indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::disallowed_methods)]

    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::*;
    use crate::frontmatter::{Fences, find_fences};

    /// Read `source`'s frontmatter both ways. `Ok(true)`: the fast reader took it and gave
    /// exactly what saphyr gives; `Ok(false)`: it left it to saphyr; `Err`: they differ.
    fn compare(source: &str) -> Result<bool, String> {
        let start = if source.starts_with('\u{FEFF}') { 3 } else { 0 };
        let Fences::Closed { yaml, .. } = find_fences(source, start) else {
            return Ok(false);
        };
        let Some(fast) = parse(source, yaml) else {
            return Ok(false);
        };
        let slow = super::super::parse_with_saphyr(source, yaml);
        let show = |p: &ParsedYaml| {
            format!(
                "valid: {}\nfields: {:#?}\ndiagnostics: {:#?}",
                p.valid, p.fields, p.diagnostics
            )
        };
        let (fast, slow) = (show(&fast), show(&slow));
        if fast == slow {
            Ok(true)
        } else {
            Err(format!(
                "the readers differ on\n{source}\n--- fast ---\n{fast}\n--- saphyr ---\n{slow}"
            ))
        }
    }

    fn note(yaml: &str) -> String {
        format!("---\n{yaml}---\nbody [[Link]]\n")
    }

    /// The field list comes out exactly the size of the fields read (the note keeps it
    /// as is: no shrinking copy), comments, lists and literal blocks included.
    #[test]
    fn the_field_list_is_allocated_at_its_final_size() {
        let source = note(
            "# c\nfileClass: trigger\nlist:\n  - a\n  - b\nempty:\ntext: |\n  one\n  two\n\nlast: [x, y]\n",
        );
        let Fences::Closed { yaml, .. } = find_fences(&source, 0) else {
            panic!("fenced");
        };
        let parsed = parse(&source, yaml).expect("flat");
        assert_eq!(parsed.fields.len(), 5);
        assert_eq!(parsed.fields.capacity(), parsed.fields.len());
    }

    #[test]
    fn flat_shapes_are_read_fast_and_alike() {
        let fast = [
            "",
            "# only a comment\n\n",
            "a: 1\n",
            "fileClass: trigger\ncreated: 2025-07-05 00:46\n",
            "a:\nb: \n",
            "tags: [x, y/z]\n",
            "tags: []\n",
            "link: [[Some Note]]\n",
            "link: \"[[Some Note|alias]]\"\n",
            "links: [[[A]], [[B#Part]]]\n",
            "links: [\"[[A]]\", \"\", '[[B]]']\n",
            "list:\n  - a\n  - \"[[B]]\"\n  - 3\n",
            "list:\n- a\n- b # note\nnext: x\n",
            "list: # why\n  - a\n\n# after\nnext: 1\n",
            "q: 'it''s'\n",
            "n: -5\nf: 1.5\nh: 0x1F\nb: true\nz: ~\ne: null\n",
            "t: a#b and more # comment\n",
            "a: 1\na: 2\n",
            "é clé: ünï 🎭\n",
            "t: [a b, c]   # c\n",
            "u: http//x\n",
            "a: |\n  text\n",
            "a: |\n  text\n  more\nb: 1\n",
            "a: |\n  text\n\n  more\n\n\nb: 1\n",
            "a: |-\n  text\n  # not a comment\nb: 1\n",
            "a: |  \n    x\n      y\n     \n  \nb: 1\n",
            "a: |\n  é 🎭 [[Link]]\n# comment\nb: |-\n  z\n",
        ];
        for yaml in fast {
            assert_eq!(compare(&note(yaml)), Ok(true), "{yaml:?}");
        }
        let left_to_saphyr = [
            "a: &x 1\nb: *x\n",
            "a: !tag x\n",
            "a:\n  b: 1\n",
            "a: one\n  two\n",
            "a: [x,\n  y]\n",
            "a: \"esc\\n\"\n",
            "a:\tx\n",
            "a: {b: 1}\n",
            "- a\n- b\n",
            "just text\n",
            "a: b: c\n",
            "a:b\n",
            "\"quoted key\": 1\n",
            "a: [x, ]\n",
            "list:\n  - a\n\n  - b\n",
            "list:\n  - a\n   - b\n",
            "list:\n  -\n",
            "a: x\r\n",
            "...\n",
            "a: 'open\n",
            "a: |+\n  text\n\nb: 1\n",
            "a: |2\n  text\n",
            "a: | # why\n  text\n",
            "a: >\n  folded\n  text\n",
            "a: |\n\n  text\n",
            "a: |\nb: 1\n",
            "a: |\n  text\n x\n",
        ];
        for yaml in left_to_saphyr {
            assert_eq!(compare(&note(yaml)), Ok(false), "{yaml:?}");
        }
    }

    fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                markdown_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }

    /// Every note of the reference vault, and of any vault named in
    /// `ATTUNE_FLAT_YAML_VAULTS` (`:`-separated; e.g. vaults from `attune gen`).
    #[test]
    fn every_vault_note_reads_alike_both_ways() {
        let reference = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference-vault"
        ));
        let mut vaults = Vec::new();
        if reference.is_dir() {
            vaults.push((reference, true));
        } else {
            eprintln!(
                "reference vault not found at {}: skipping it",
                reference.display()
            );
        }
        if let Ok(more) = std::env::var("ATTUNE_FLAT_YAML_VAULTS") {
            vaults.extend(
                more.split(':')
                    .filter(|p| !p.is_empty())
                    .map(|p| (PathBuf::from(p), false)),
            );
        }
        for (vault, is_reference) in vaults {
            let mut files = Vec::new();
            markdown_files(&vault, &mut files);
            files.sort();
            let (mut with_frontmatter, mut read_fast) = (0, 0);
            for file in &files {
                let bytes = std::fs::read(file).expect("a file just listed reads");
                let text = String::from_utf8_lossy(&bytes);
                let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
                if matches!(find_fences(&text, start), Fences::Closed { .. }) {
                    with_frontmatter += 1;
                }
                match compare(&text) {
                    Ok(fast) => read_fast += usize::from(fast),
                    Err(e) => panic!("{}: {e}", file.display()),
                }
            }
            eprintln!(
                "{}: {} notes, {with_frontmatter} with frontmatter, {read_fast} read by the fast reader, all alike",
                vault.display(),
                files.len()
            );
            if is_reference {
                assert!(
                    read_fast * 2 > with_frontmatter,
                    "the fast reader should take most of the owner's notes"
                );
            }
        }
    }

    fn scalar() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "",
            "text",
            "two words",
            "42",
            "-5",
            "0x1F",
            "0o17",
            "1.5",
            "1e3",
            ".inf",
            "+1",
            "~",
            "null",
            "Null",
            "true",
            "False",
            "yes",
            "2025-07-05 00:46",
            "[[Note]]",
            "[[Note|alias]]",
            "\"[[Note]]\"",
            "'[[A#B]]'",
            "'it''s'",
            "\"q\"",
            "\"\"",
            "''",
            "[]",
            "[a, b]",
            "[[A]]",
            "[[[A]], [[B]]]",
            "[\"[[A]]\", \"\"]",
            "[ a , b ]",
            "[a,]",
            "[a",
            "a #comment",
            "a#b",
            "x: y",
            "x:y",
            "&anchor x",
            "*alias",
            "!tag x",
            "|",
            ">",
            "{a: 1}",
            "a, b",
            "-",
            "- x",
            "-x",
            ":x",
            "?x",
            "'open",
            "\"esc\\n\"",
            "é ü 🎭",
            "a  b",
            "@x",
            "`x`",
            "%x",
            "[a, [b, c]]",
            "[[a], [b]]",
            "[\"a\", 'b''c']",
            "http://x.y/z",
            "a ]",
            "[a] b",
            "\"a\" b",
            "#c",
        ])
    }

    fn line() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "a",
            "title",
            "fileClass",
            "tags",
            "my key",
            "clé",
            "🎭 mood",
            "1",
            "true",
            "a-b",
            "x_y",
            "a",
            "tags",
        ]);
        prop_oneof![
            (key.clone(), scalar()).prop_map(|(k, v)| format!("{k}: {v}\n")),
            (key.clone(), scalar()).prop_map(|(k, v)| format!("{k}:{v}\n")),
            key.clone().prop_map(|k| format!("{k}:\n")),
            (
                key.clone(),
                prop::sample::select(vec!["", "  ", " ", "    "]),
                prop::collection::vec(scalar(), 0..4)
            )
                .prop_map(|(k, indent, items)| {
                    let mut s = format!("{k}:\n");
                    for item in items {
                        s.push_str(&format!("{indent}- {item}\n"));
                    }
                    s
                }),
            (
                key,
                prop::sample::select(vec!["|", "|-", "|+", "| ", "|1", ">"]),
                prop::collection::vec(
                    prop::sample::select(vec![
                        "  text",
                        "  two  words ",
                        "    deeper",
                        "   ",
                        "",
                        "  # hash",
                        " x",
                        "  - item",
                        "  é 🎭",
                        "  key: v",
                    ]),
                    0..5
                )
            )
                .prop_map(|(k, header, body)| {
                    let mut s = format!("{k}: {header}\n");
                    for line in body {
                        s.push_str(line);
                        s.push('\n');
                    }
                    s
                }),
            prop::sample::select(vec![
                "\n",
                "# comment\n",
                "  # indented comment\n",
                "  nested: 1\n",
                "  - stray\n",
                "- top\n",
                "  continued\n",
                "---\n",
                "...\n",
                " \n",
            ])
            .prop_map(str::to_owned),
        ]
    }

    proptest! {
        /// The byte-level test agrees with the definition by characters.
        #[test]
        fn plain_characters_agrees_with_its_definition(
            text in "[a\n\t\r\u{1}\u{7F}\u{80}\u{9F}\u{A0}\u{FEFF}\u{FEFE}\u{2028}\u{2029}\u{2027}\u{FFFE}\u{FFFF}\u{FFFD}é🎭\u{FE0F}]{0,40}"
        ) {
            let by_chars = text.chars().all(|c| {
                c == '\n'
                    || (!c.is_control()
                        && !matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}'))
            });
            prop_assert_eq!(plain_characters(&text), by_chars);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// On any frontmatter made of these pieces, the fast reader either declines or
        /// gives exactly what saphyr gives.
        #[test]
        fn fast_reader_agrees_with_saphyr(lines in prop::collection::vec(line(), 0..8)) {
            let source = note(&lines.concat());
            if let Err(e) = compare(&source) {
                prop_assert!(false, "{}", e);
            }
        }
    }
}
