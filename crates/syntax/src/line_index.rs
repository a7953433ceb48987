//! Byte offset → line:column, computed only at the edge (printing, the browser).

/// 1-based line and column; `col` counts Unicode scalar values, `col_utf16` UTF-16 units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
    pub col_utf16: u32,
}

impl LineCol {
    /// Line and column of byte `offset` in `text`, found without a [`LineIndex`]: for one
    /// or two places in a text (a finding in a note), counting the line breaks before the
    /// offset costs less than indexing every line.
    pub fn of(text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let bytes = &text.as_bytes()[..offset];
        let start = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
        let line = memchr::memchr_iter(b'\n', bytes).count();
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = &text[start.min(end)..end];
        LineCol {
            line: line as u32 + 1,
            col: prefix.chars().count() as u32 + 1,
            col_utf16: prefix.encode_utf16().count() as u32 + 1,
        }
    }
}

/// Start offsets of every line of a text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        LineIndex { starts }
    }

    /// Line and column of byte `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = self.starts[line] as usize;
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = &text[start..end];
        LineCol {
            line: line as u32 + 1,
            col: prefix.chars().count() as u32 + 1,
            col_utf16: prefix.encode_utf16().count() as u32 + 1,
        }
    }

    /// Byte range of line `line` (1-based), without its line terminator.
    pub fn line_span(&self, text: &str, line: u32) -> std::ops::Range<usize> {
        let i = (line.max(1) - 1) as usize;
        let start = self.starts.get(i).map_or(text.len(), |&s| s as usize);
        let mut end = self.starts.get(i + 1).map_or(text.len(), |&s| s as usize);
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_and_indexed_line_col_agree() {
        let texts = [
            "",
            "one line",
            "a\nb\r\nc\n",
            "---\nkey: 🟩 done\n---\nbody é\n\nend",
            "\n\n\n",
        ];
        for text in texts {
            let index = LineIndex::new(text);
            // Every byte offset, inside characters too, and one past the end.
            for offset in 0..=text.len() + 1 {
                assert_eq!(
                    LineCol::of(text, offset),
                    index.line_col(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }
}
