//! Query blocks inside notes (```` ```dataview ````, also ```` ``` dataview ```` with a space,
//! as Obsidian accepts) and running them with `this` set to their note: what `attune views`
//! and the web UI call.

use attune_syntax::{Diagnostic, Span};

use crate::execute::{QueryOutput, RunOptions, query};
use crate::source::QuerySource;
use crate::value::PageId;

/// One ```` ```dataview ```` block of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataviewBlock {
    /// The query text between the fences.
    pub text: String,
    /// Byte span of `text` in the note.
    pub text_span: Span,
    /// Byte span of the whole block, fences included.
    pub span: Span,
}

/// Every ```` ```dataview ```` block of a note's text, in order. A block left open runs to the
/// end of the note. Other fenced blocks (including `dataviewjs`) are skipped whole.
pub fn find_query_blocks(text: &str) -> Vec<DataviewBlock> {
    let mut blocks = Vec::new();
    let mut offset = 0;
    let mut open: Option<(usize, usize, char, usize, bool)> = None; // (block start, text start, fence char, fence len, is dataview)
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let trimmed = &content[indent..];
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let fence_len = fence_char.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
        match open {
            None => {
                if indent <= 3 && fence_len >= 3 {
                    let fc = fence_char.unwrap_or('`');
                    let info = trimmed[fence_len..].trim();
                    let language = info.split_whitespace().next().unwrap_or("");
                    let is_dataview = language.eq_ignore_ascii_case("dataview");
                    open = Some((start, offset, fc, fence_len, is_dataview));
                }
            }
            Some((block_start, text_start, fc, len, is_dataview)) => {
                let closes = indent <= 3
                    && fence_char == Some(fc)
                    && fence_len >= len
                    && trimmed[fence_len..].trim().is_empty();
                if closes {
                    if is_dataview {
                        blocks.push(DataviewBlock {
                            text: text[text_start..start].to_string(),
                            text_span: Span::new(text_start, start),
                            span: Span::new(block_start, offset),
                        });
                    }
                    open = None;
                }
            }
        }
    }
    if let Some((block_start, text_start, _, _, true)) = open {
        blocks.push(DataviewBlock {
            text: text[text_start..].to_string(),
            text_span: Span::new(text_start, text.len()),
            span: Span::new(block_start, text.len()),
        });
    }
    blocks
}

/// The outcome of one block: its result, or the error as a diagnostic positioned in the note.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockOutcome {
    pub block: DataviewBlock,
    pub outcome: Result<QueryOutput, Diagnostic>,
}

/// Run one block with `this` = `note`. `path` is the note's vault path (for diagnostics).
pub fn run_block(
    block: &DataviewBlock,
    note: PageId,
    path: &str,
    source: &dyn QuerySource,
    options: &RunOptions,
) -> BlockOutcome {
    let options = RunOptions {
        this: Some(note),
        ..options.clone()
    };
    let outcome = query(&block.text, source, &options).map_err(|e| {
        let mut d = e.to_diagnostic(path, block.text_span.start as usize);
        if d.span.is_none() {
            d = d.with_span(block.span);
        }
        d
    });
    BlockOutcome {
        block: block.clone(),
        outcome,
    }
}

/// Find and run every block of a note's text.
pub fn run_note_blocks(
    text: &str,
    note: PageId,
    path: &str,
    source: &dyn QuerySource,
    options: &RunOptions,
) -> Vec<BlockOutcome> {
    find_query_blocks(text)
        .iter()
        .map(|b| run_block(b, note, path, source, options))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_dataview_blocks_with_or_without_space() {
        let text = "# T\n```dataview\nLIST\n```\n\n``` dataview\nTABLE a\n```\n```dataviewjs\nx\n```\n````\n```dataview\nno\n```\n````\n";
        let blocks = find_query_blocks(text);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["LIST\n", "TABLE a\n"]);
        assert_eq!(&text[blocks[1].text_span.range()], "TABLE a\n");
    }
}
