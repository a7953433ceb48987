//! Full-text search over titles, fields and bodies: an in-memory SQLite FTS5 table,
//! rebuilt from the vault (it is derived data; nothing is stored on disk).
//!
//! - diacritics-insensitive (`unicode61 remove_diacritics 2`: `cafe` finds `Café`);
//! - prefix search (every word of the query is a prefix: `trig` finds `Triggers`);
//! - emoji searchable: `unicode61` treats symbols as separators, so each emoji is written
//!   into the index as a word of its own (`u1f7e9`) and the query is encoded the same way;
//!   snippets are decoded back before they are shown.

use rusqlite::{Connection, params};

/// The FTS5 table and its connection.
pub struct SearchIndex {
    conn: Connection,
}

/// One hit, best first.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub path: String,
    pub title: String,
    /// Text around the match; the matched words are between `\u{1}` and `\u{2}`.
    pub snippet: String,
}

/// What is indexed for one note.
pub struct Document<'a> {
    pub path: &'a str,
    pub title: &'a str,
    pub fields: String,
    pub body: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The index is built in the background after the server starts.
    #[error("the search index is still being built ({0} notes); try again in a few seconds")]
    Building(usize),
    /// Building the index failed; search stays off until the server restarts.
    #[error("the search index could not be built: {0}")]
    Failed(String),
}

impl SearchIndex {
    pub fn new() -> Result<SearchIndex, SearchError> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE notes USING fts5(
                path UNINDEXED, title, fields, body,
                tokenize = 'unicode61 remove_diacritics 2'
            );",
        )?;
        Ok(SearchIndex { conn })
    }

    /// Add or replace one note.
    pub fn put(&mut self, doc: &Document<'_>) -> Result<(), SearchError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM notes WHERE path = ?1", params![doc.path])?;
        tx.execute(
            "INSERT INTO notes (path, title, fields, body) VALUES (?1, ?2, ?3, ?4)",
            params![
                doc.path,
                encode_emoji(doc.title),
                encode_emoji(&doc.fields),
                encode_emoji(doc.body)
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Replace everything.
    pub fn rebuild<'a>(
        &mut self,
        docs: impl Iterator<Item = Document<'a>>,
    ) -> Result<(), SearchError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM notes", [])?;
        {
            let mut insert = tx
                .prepare("INSERT INTO notes (path, title, fields, body) VALUES (?1, ?2, ?3, ?4)")?;
            for doc in docs {
                insert.execute(params![
                    doc.path,
                    encode_emoji(doc.title),
                    encode_emoji(&doc.fields),
                    encode_emoji(doc.body)
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn remove(&mut self, path: &str) -> Result<(), SearchError> {
        self.conn
            .execute("DELETE FROM notes WHERE path = ?1", params![path])?;
        Ok(())
    }

    /// Search; an empty or symbol-only query finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let Some(expr) = match_expression(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT path, title,
                    snippet(notes, -1, char(1), char(2), '…', 24)
             FROM notes WHERE notes MATCH ?1
             ORDER BY bm25(notes, 0.0, 10.0, 3.0, 1.0) LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![expr, limit as i64], |row| {
            Ok(Hit {
                path: row.get(0)?,
                title: decode_emoji(&row.get::<_, String>(1)?),
                snippet: decode_emoji(&row.get::<_, String>(2)?),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// The FTS5 expression for what a person typed: every word a quoted prefix, all required.
pub fn match_expression(query: &str) -> Option<String> {
    let encoded = encode_emoji(query);
    let words: Vec<String> = encoded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

/// Symbols that `unicode61` would drop: pictographs, dingbats, arrows, geometric shapes.
fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x2190..=0x21FF | 0x2300..=0x23FF | 0x25A0..=0x27BF | 0x2900..=0x297F | 0x2B00..=0x2BFF
        | 0x3030 | 0x303D | 0x3297 | 0x3299 | 0x1F000..=0x1FAFF)
}

/// Write each emoji as a word `u<hex>` (variation selectors and joiners dropped).
pub fn encode_emoji(text: &str) -> String {
    if !text
        .chars()
        .any(|c| is_emoji(c) || matches!(c, '\u{FE0F}' | '\u{200D}'))
    {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_emoji(c) {
            out.push_str(&format!(" u{:x}emoji ", c as u32));
        } else if !matches!(c, '\u{FE0F}' | '\u{200D}') {
            out.push(c);
        }
    }
    out
}

/// Undo [`encode_emoji`] in text that came back from the index (snippet markers
/// `\u{1}`/`\u{2}` may sit around the encoded word).
pub fn decode_emoji(text: &str) -> String {
    if !text.contains("emoji") {
        return text.to_owned();
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = text[i..].find("emoji") {
        let end = i + found;
        let mut start = end;
        while start > 0 && b[start - 1].is_ascii_hexdigit() {
            start -= 1;
        }
        let decoded = (start < end && start > 0 && b[start - 1] == b'u')
            .then(|| {
                u32::from_str_radix(&text[start..end], 16)
                    .ok()
                    .and_then(char::from_u32)
            })
            .flatten();
        let Some(c) = decoded else {
            i = end + "emoji".len();
            continue;
        };
        let mut word_start = start - 1;
        let mut word_end = end + "emoji".len();
        // The spaces encode_emoji added, outside any snippet marker.
        let mut before = word_start;
        if before > 0 && b[before - 1] == 1 {
            before -= 1;
        }
        if before > copied && b[before - 1] == b' ' {
            out.push_str(&text[copied..before - 1]);
            out.push_str(&text[before..word_start]);
        } else {
            out.push_str(&text[copied..word_start]);
        }
        out.push(c);
        let mut after = word_end;
        if after < b.len() && b[after] == 2 {
            after += 1;
        }
        if after < b.len() && b[after] == b' ' {
            out.push_str(&text[word_end..after]);
            word_end = after + 1;
        }
        word_start = word_end;
        copied = word_start;
        i = word_start;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(docs: &[(&str, &str, &str)]) -> SearchIndex {
        let mut idx = SearchIndex::new().unwrap();
        idx.rebuild(docs.iter().map(|(p, t, b)| Document {
            path: p,
            title: t,
            fields: String::new(),
            body: b,
        }))
        .unwrap();
        idx
    }

    fn paths(idx: &SearchIndex, q: &str) -> Vec<String> {
        idx.search(q, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.path)
            .collect()
    }

    #[test]
    fn diacritics_prefix_and_emoji_are_searchable() {
        let idx = index(&[
            ("a.md", "Café Talk", "we met at the café"),
            ("b.md", "Triggers", "status 🟩 complete"),
            ("c.md", "Other", "nothing here 🟧 in progress"),
        ]);
        assert_eq!(paths(&idx, "cafe"), ["a.md"]);
        assert_eq!(paths(&idx, "CAFÉ"), ["a.md"]);
        assert_eq!(paths(&idx, "trig"), ["b.md"]);
        assert_eq!(paths(&idx, "🟩"), ["b.md"]);
        assert_eq!(paths(&idx, "🟧 progress"), ["c.md"]);
        assert!(paths(&idx, "").is_empty());
        assert!(paths(&idx, "\"*)(").is_empty());
    }

    #[test]
    fn snippets_show_emoji_again() {
        let idx = index(&[("b.md", "Triggers", "the status is 🟩 complete today")]);
        let hit = &idx.search("complete", 10).unwrap()[0];
        assert!(hit.snippet.contains('🟩'), "{:?}", hit.snippet);
        assert!(
            hit.snippet.contains("\u{1}complete\u{2}"),
            "{:?}",
            hit.snippet
        );
    }

    #[test]
    fn emoji_round_trips() {
        for text in [
            "🏛️ Foundations",
            "a⚡b",
            "plain",
            "⬛️ blocked",
            " u1f7e9 not emoji",
        ] {
            let decoded = decode_emoji(&encode_emoji(text));
            let expected: String = text.chars().filter(|c| *c != '\u{FE0F}').collect();
            assert_eq!(
                decoded.split_whitespace().collect::<Vec<_>>().join(""),
                expected.split_whitespace().collect::<Vec<_>>().join("")
            );
        }
    }
}
