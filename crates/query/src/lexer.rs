//! Tokens of DQL, read on demand from a byte position (the parser sometimes re-reads raw text,
//! for `date(2025-07-05)` and `dur(1 day)` literals).
//!
//! Dataview docs: "Expressions" (identifiers may contain letters, digits, `_`, `-` and emoji;
//! `a-b` is one field name, `a - b` a subtraction), "Literals", "Structure of a Query"
//! (`//` comments).

use attune_syntax::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    Ident(String),
    Number(f64),
    Str(String),
    /// The inside of `[[…]]`.
    Link(String),
    /// The inside of `![[…]]`.
    EmbedLink(String),
    /// `#tag`, without the `#`.
    Tag(String),
    Punct(&'static str),
    Eof,
    /// A character that starts no token, or an unterminated string.
    Bad(String),
}

impl Token {
    pub fn is_ident(&self, word: &str) -> bool {
        matches!(self, Token::Ident(s) if s.eq_ignore_ascii_case(word))
    }
}

/// Emoji (pictographs, symbols, their joiners, selectors and modifiers), as Dataview's
/// `emoji-regex` accepts them in identifiers.
pub fn is_emoji(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{2190}'..='\u{21FF}'
        | '\u{25A0}'..='\u{25FF}'
        | '\u{2934}' | '\u{2935}' | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}'
        | '\u{00A9}' | '\u{00AE}' | '\u{203C}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
        | '\u{FE0F}' | '\u{200D}' | '\u{20E3}'
        | '\u{E0020}'..='\u{E007F}')
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || is_emoji(c)
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || is_emoji(c) || is_mark(c)
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Characters a tag may contain (Dataview's tag regex excludes these).
fn is_tag_char(c: char) -> bool {
    !(c.is_whitespace()
        || matches!(c, '\u{2000}'..='\u{206F}' | '\u{2E00}'..='\u{2E7F}')
        || "'!\"#$%&()*+,.:;<=>?@^`{|}~[]\\".contains(c))
}

/// Skip whitespace and `//` line comments from `pos`.
pub fn skip_trivia(text: &str, mut pos: usize) -> usize {
    loop {
        let rest = &text[pos..];
        let trimmed = rest.trim_start();
        pos += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            pos += trimmed.find('\n').unwrap_or(trimmed.len());
        } else {
            return pos;
        }
    }
}

const PUNCT2: [&str; 4] = ["=>", ">=", "<=", "!="];
const PUNCT1: [&str; 18] = [
    "(", ")", "[", "]", "{", "}", ",", ".", ":", "+", "-", "*", "/", "%", "=", "<", ">", "!",
];
const PUNCT_BOOL: [&str; 2] = ["&", "|"];

/// Read one token starting at `pos` (after trivia). Returns the token and its span.
pub fn next_token(text: &str, pos: usize) -> (Token, Span) {
    let start = skip_trivia(text, pos);
    let rest = &text[start..];
    let Some(c) = rest.chars().next() else {
        return (Token::Eof, Span::new(start, start));
    };
    let span = |len: usize| Span::new(start, start + len);

    if c == '"' {
        return lex_string(rest, start);
    }
    if let Some(after) = rest.strip_prefix("![[")
        && let Some((inner, len)) = link_inner(after)
    {
        return (Token::EmbedLink(inner.to_string()), span(3 + len));
    }
    if let Some(after) = rest.strip_prefix("[[")
        && let Some((inner, len)) = link_inner(after)
    {
        return (Token::Link(inner.to_string()), span(2 + len));
    }
    if c == '#' {
        let len: usize = rest[1..]
            .chars()
            .take_while(|c| is_tag_char(*c))
            .map(char::len_utf8)
            .sum();
        return (Token::Tag(rest[1..1 + len].to_string()), span(1 + len));
    }
    if c.is_ascii_digit() {
        let b = rest.as_bytes();
        let mut i = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        let n = rest[..i].parse().unwrap_or(f64::NAN);
        return (Token::Number(n), span(i));
    }
    if is_ident_start(c) {
        let len: usize = rest
            .chars()
            .take_while(|c| is_ident_continue(*c))
            .map(char::len_utf8)
            .sum();
        return (Token::Ident(rest[..len].to_string()), span(len));
    }
    for p in PUNCT2 {
        if rest.starts_with(p) {
            return (Token::Punct(p), span(2));
        }
    }
    for p in PUNCT1.iter().chain(PUNCT_BOOL.iter()) {
        if rest.starts_with(p) {
            return (Token::Punct(p), span(1));
        }
    }
    (Token::Bad(c.to_string()), span(c.len_utf8()))
}

/// The text inside `[[` … `]]` (no brackets inside), and the length including `]]`.
fn link_inner(after: &str) -> Option<(&str, usize)> {
    let end = after.find("]]")?;
    let inner = &after[..end];
    if inner.contains('[') || inner.contains(']') {
        return None;
    }
    Some((inner, end + 2))
}

fn lex_string(rest: &str, start: usize) -> (Token, Span) {
    let mut out = String::new();
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (Token::Str(out), Span::new(start, start + i + 1)),
            '\\' => match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => break,
            },
            c => out.push(c),
        }
    }
    (
        Token::Bad("unterminated string".to_string()),
        Span::new(start, start + rest.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token> {
        let mut pos = 0;
        let mut out = Vec::new();
        loop {
            let (t, span) = next_token(text, pos);
            if t == Token::Eof {
                return out;
            }
            out.push(t);
            pos = span.end as usize;
        }
    }

    #[test]
    fn identifiers_take_dashes_and_emoji() {
        assert_eq!(
            tokens("working-hours - 1 🎭mood"),
            vec![
                Token::Ident("working-hours".into()),
                Token::Punct("-"),
                Token::Number(1.0),
                Token::Ident("🎭mood".into())
            ]
        );
    }

    #[test]
    fn links_strings_tags_comments() {
        assert_eq!(
            tokens("[[A|b]] ![[C]] \"x\\\"y\" #a/b // note\n!="),
            vec![
                Token::Link("A|b".into()),
                Token::EmbedLink("C".into()),
                Token::Str("x\"y".into()),
                Token::Tag("a/b".into()),
                Token::Punct("!=")
            ]
        );
    }
}
