//! Body scanning: wiki-links, tags, headings, inline fields, query blocks, tasks.
//! A fast hand-written scanner (no Markdown render): code spans, fenced code and
//! `%% comments %%` are skipped for links and tags.

use std::sync::Arc;

use crate::{Span, Value};

/// The target of a wiki-link, as written: `[[folder/Name#Heading|alias]]` (56 bytes: the
/// parts are boxed strings, as they never change after parsing, and a [`NameMemo`]).
/// Compares, hashes and prints by its three parts; the memo is not part of its meaning.
#[derive(Clone)]
pub struct LinkTarget {
    /// Path or name before `#`/`|`, trimmed (`folder/Name`, `Name`, `Name.md`); empty for `[[]]`.
    pub target: Box<str>,
    /// `Heading` or `^block` after `#`.
    pub fragment: Option<Box<str>>,
    /// Display text after `|`.
    pub alias: Option<Box<str>>,
    memo: NameMemo,
}

impl PartialEq for LinkTarget {
    fn eq(&self, other: &Self) -> bool {
        (&self.target, &self.fragment, &self.alias)
            == (&other.target, &other.fragment, &other.alias)
    }
}

impl Eq for LinkTarget {}

impl std::hash::Hash for LinkTarget {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (&self.target, &self.fragment, &self.alias).hash(state);
    }
}

impl std::fmt::Debug for LinkTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkTarget")
            .field("target", &self.target)
            .field("fragment", &self.fragment)
            .field("alias", &self.alias)
            .finish()
    }
}

/// Where a link index remembers what a [`LinkTarget`]'s name is in its own table of names
/// (a number of its choosing), so that the same target shared by a thousand links is looked
/// up once: lower-casing the name and finding it in a table of 100 000 names was most of
/// the cost of resolving a link. Each index has its own `owner` number (never 0); a memo
/// written by one index reads as empty to every other, and the last writer's value is the
/// one kept. Owner and value are one atomic word (`Relaxed`: no other memory depends on it,
/// and the threads of one owner all write the same value for a target).
#[derive(Default)]
pub struct NameMemo(std::sync::atomic::AtomicU64);

impl NameMemo {
    /// What `owner` remembered, if it was the last to write here.
    #[inline]
    pub fn get(&self, owner: u32) -> Option<u32> {
        let v = self.0.load(std::sync::atomic::Ordering::Relaxed);
        (owner != 0 && (v >> 32) as u32 == owner).then_some(v as u32)
    }

    /// Remember `value` for `owner` (0 remembers nothing).
    #[inline]
    pub fn set(&self, owner: u32, value: u32) {
        if owner != 0 {
            let v = (u64::from(owner) << 32) | u64::from(value);
            self.0.store(v, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// A copy starts empty: the copy may go where the original's owner never looks.
impl Clone for NameMemo {
    fn clone(&self) -> Self {
        NameMemo::default()
    }
}

impl LinkTarget {
    /// A target from its parts, taken as they are (see [`LinkTarget::parse`] to read link text).
    pub fn new(
        target: Box<str>,
        fragment: Option<Box<str>>,
        alias: Option<Box<str>>,
    ) -> LinkTarget {
        LinkTarget {
            target,
            fragment,
            alias,
            memo: NameMemo::default(),
        }
    }

    /// The memo a link index keeps this target's name in (see [`NameMemo`]).
    pub fn name_memo(&self) -> &NameMemo {
        &self.memo
    }

    /// Read the text between `[[` and `]]`: `folder/Name#Heading|alias`. The first `|` starts
    /// the alias (a `\|` escape, as written inside tables, counts as that `|`); the first `#`
    /// before it starts the fragment. Parts are trimmed; empty fragment/alias become `None`.
    pub fn parse(inner: &str) -> LinkTarget {
        let (path, alias) = match inner.find('|') {
            Some(i) => (
                inner[..i].strip_suffix('\\').unwrap_or(&inner[..i]),
                Some(inner[i + 1..].trim()),
            ),
            None => (inner, None),
        };
        let (target, fragment) = match path.find('#') {
            Some(i) => (&path[..i], Some(path[i + 1..].trim())),
            None => (path, None),
        };
        LinkTarget::new(
            target.trim().into(),
            fragment.filter(|f| !f.is_empty()).map(Box::from),
            alias.filter(|a| !a.is_empty()).map(Box::from),
        )
    }

    /// [`LinkTarget::parse`] of `inner`, shared with equal link texts parsed on this thread.
    ///
    /// A vault links the same few names over and over (`[[Shame]]` in thousands of notes):
    /// at 100 000 generated notes, 501 000 links have 114 000 distinct texts, and one target
    /// per text instead of one per link keeps 2.3 times fewer targets (25 MB). Like [`crate::Key`], the
    /// table is per thread (no lock) and bounded: it holds at most [`MAX_SHARED_TARGETS`]
    /// texts of at most [`MAX_SHARED_TARGET_LEN`] bytes and starts again empty when full, so
    /// it follows what the parse is reading now. Sharing changes no meaning: targets compare
    /// by content.
    pub fn shared(inner: &str) -> Arc<LinkTarget> {
        if inner.len() > MAX_SHARED_TARGET_LEN {
            return Arc::new(LinkTarget::parse(inner));
        }
        SHARED_TARGETS.with(|table| {
            let mut table = table.borrow_mut();
            if let Some(t) = table.get(inner) {
                return Arc::clone(t);
            }
            let target = Arc::new(LinkTarget::parse(inner));
            if table.len() >= MAX_SHARED_TARGETS {
                table.clear();
            } else if table.capacity() == 0 {
                // Its final size at once: growing there rehashed it some 17 times per thread.
                table.reserve(MAX_SHARED_TARGETS);
            }
            table.insert(inner.into(), Arc::clone(&target));
            target
        })
    }

    /// The note name: the last path segment without a `.md` extension (`folder/Name.md` → `Name`).
    pub fn name(&self) -> &str {
        let last = self.target.rsplit('/').next().unwrap_or(&self.target);
        last.strip_suffix(".md").unwrap_or(last)
    }

    /// `[[Name]]` written back as text, with fragment and alias.
    pub fn to_wiki(&self) -> String {
        let mut s = String::with_capacity(self.target.len() + 4);
        s.push_str("[[");
        s.push_str(&self.target);
        if let Some(f) = &self.fragment {
            s.push('#');
            s.push_str(f);
        }
        if let Some(a) = &self.alias {
            s.push('|');
            s.push_str(a);
        }
        s.push_str("]]");
        s
    }
}

/// Distinct link texts [`LinkTarget::shared`] remembers per thread.
pub const MAX_SHARED_TARGETS: usize = 1 << 16;
/// Longer link texts are never shared.
pub const MAX_SHARED_TARGET_LEN: usize = 160;

thread_local! {
    static SHARED_TARGETS: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Arc<LinkTarget>>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// Empty this thread's table of [`LinkTarget::shared`] (targets already handed out stay
/// shared). A loader calls it on each parse thread when the parse is done, so the table's
/// memory does not stay with a thread that parses nothing more.
pub fn forget_shared_targets() {
    SHARED_TARGETS.with(|table| *table.borrow_mut() = rustc_hash::FxHashMap::default());
}

/// Where a link sits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LinkPlace {
    /// In the value of this top-level frontmatter key.
    Frontmatter {
        /// The same shared key as the field's ([`crate::Field::key`]).
        key: crate::Key,
    },
    Body,
}

/// One wiki-link (32 bytes). Its target is shared: a frontmatter link holds the same
/// [`LinkTarget`] as its field's [`Value::Link`], so each target is kept once.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Link {
    pub target: Arc<LinkTarget>,
    /// `![[…]]`
    pub embed: bool,
    /// The whole `[[…]]` (with the `!` for embeds). For a frontmatter link written as block
    /// lists (`- - Name`, no brackets in the text) it is the name.
    pub span: Span,
    pub place: LinkPlace,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tag {
    /// Without `#`, as written (`self-work/trigger`).
    pub name: String,
    pub span: Span,
    pub in_frontmatter: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Heading {
    pub level: u8,
    /// The heading's text, without the `#`s (and closing `#`s): `note.text(heading.text)`
    /// (a span, not a copy: a vault has hundreds of thousands of headings).
    pub text: Span,
    pub span: Span,
}

/// A Dataview inline field: `key:: value` on its own line, or `[key:: value]` / `(key:: value)` inline.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InlineField {
    pub key: String,
    pub value: String,
    pub span: Span,
}

/// A fenced query block (```` ```dataview ````, also ```` ``` dataview ````, `dataviewjs`, `query`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QueryBlock {
    /// The info string's language, lower-cased (`dataview`, `dataviewjs`, …).
    pub language: String,
    /// The query text between the fences.
    pub text: String,
    /// The query text's span.
    pub text_span: Span,
    /// The whole block including fences.
    pub span: Span,
}

/// A Markdown task line `- [ ] text` / `- [x] text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Task {
    pub text: String,
    /// The character between the brackets (' ' open, 'x' done, other custom statuses).
    pub status: char,
    pub span: Span,
    pub line: u32,
}

/// Fill a freshly parsed note's links, tags, headings, inline fields, query blocks and tasks.
pub(crate) fn scan_note(
    source: &str,
    frontmatter: Option<&crate::Frontmatter>,
    body: Span,
) -> Found {
    let mut out = Found::default();
    if let Some(fm) = frontmatter {
        if fm.valid {
            for field in fm.iter() {
                if field.value_span.is_empty() {
                    continue;
                }
                let place = || LinkPlace::Frontmatter {
                    key: field.key.clone(),
                };
                let found = out.links.len();
                find_links(source, field.value_span, &place, &mut out.links);
                share_value_targets(&field.value, &mut out.links[found..]);
                if out.links.len() == found
                    && let Value::Link(target) = &field.value
                {
                    // `- - Name`: a link with no brackets in the text; its span is the name.
                    let text = &source[field.value_span.range()];
                    let name = text
                        .trim_start_matches(['-', ' ', '\t', '\r', '\n'])
                        .trim_end();
                    let start = field.value_span.start as usize
                        + (text.len()
                            - text.trim_start_matches(['-', ' ', '\t', '\r', '\n']).len());
                    out.links.push(Link {
                        target: Arc::clone(target),
                        embed: false,
                        span: Span::new(start, start + name.len()),
                        place: place(),
                    });
                }
                if field.key == "tags" || field.key == "tag" {
                    frontmatter_tags(source, &field, &mut out.tags);
                }
            }
        } else {
            links_in_broken_yaml(source, fm.yaml, &mut out.links);
        }
    }
    let first_line =
        1 + memchr::memchr_iter(b'\n', &source.as_bytes()[..body.start as usize]).count() as u32;
    BodyScanner {
        source,
        bytes: source.as_bytes(),
        out: &mut out,
        fence: None,
        in_comment: false,
    }
    .scan(body, first_line);
    out
}

/// Point each of a field's links at the equal target its value already holds (the value's
/// `[[A]]` and the link found in the text read alike), so the note keeps one copy.
fn share_value_targets(value: &Value, links: &mut [Link]) {
    let mut targets = Vec::new();
    value.link_targets(&mut targets);
    if targets.is_empty() {
        return;
    }
    for link in links {
        if let Some(t) = targets.iter().find(|t| ***t == link.target) {
            link.target = Arc::clone(t);
        }
    }
}

/// What [`scan_note`] found, in source order.
#[derive(Default)]
pub(crate) struct Found {
    pub(crate) links: Vec<Link>,
    pub(crate) tags: Vec<Tag>,
    pub(crate) headings: Vec<Heading>,
    pub(crate) inline_fields: Vec<InlineField>,
    pub(crate) query_blocks: Vec<QueryBlock>,
    pub(crate) tasks: Vec<Task>,
    pub(crate) diagnostics: Vec<crate::Diagnostic>,
}

/// Links in frontmatter that YAML could not read: each line's links go to the top-level key
/// above them (a `key:` line starting at column 0), so a broken note still shows its links.
fn links_in_broken_yaml(source: &str, yaml: Span, out: &mut Vec<Link>) {
    let bytes = source.as_bytes();
    let mut key: Option<&str> = None;
    let mut line = yaml.start as usize;
    let end = yaml.end as usize;
    while line < end {
        let line_end = memchr::memchr(b'\n', &bytes[line..end]).map_or(end, |i| line + i);
        let text = &source[line..line_end];
        let mut from = line;
        if !text.starts_with([' ', '\t', '#', '-'])
            && let Some(colon) = text.find(':')
        {
            key = Some(text[..colon].trim().trim_matches(['"', '\'']));
            from = line + colon + 1;
        }
        if let Some(k) = key {
            find_links(
                source,
                Span::new(from, line_end),
                &|| LinkPlace::Frontmatter {
                    key: crate::key::shared_key(k),
                },
                out,
            );
        }
        line = line_end + 1;
    }
}

/// An open fenced code block.
struct Fence {
    /// `` ` `` or `~`.
    marker: u8,
    len: usize,
    /// Start of the opening fence line.
    start: usize,
    /// Start of the line after the opening fence.
    text_start: usize,
    /// The language when it is a query block (`dataview`, `dataviewjs`, `query`).
    query: Option<String>,
}

struct BodyScanner<'a, 'o> {
    source: &'a str,
    bytes: &'a [u8],
    out: &'o mut Found,
    fence: Option<Fence>,
    /// Inside a `%%` comment that spans lines.
    in_comment: bool,
}

/// Languages whose fenced blocks are queries.
const QUERY_LANGUAGES: [&str; 3] = ["dataview", "dataviewjs", "query"];

impl BodyScanner<'_, '_> {
    fn scan(&mut self, body: Span, first_line: u32) {
        let mut line_no = first_line;
        let mut pos = body.start as usize;
        let end = body.end as usize;
        while pos < end {
            let next = memchr::memchr(b'\n', &self.bytes[pos..end]).map_or(end, |i| pos + i + 1);
            let mut content_end = next;
            if content_end > pos && self.bytes[content_end - 1] == b'\n' {
                content_end -= 1;
            }
            if content_end > pos && self.bytes[content_end - 1] == b'\r' {
                content_end -= 1;
            }
            self.line(pos, content_end, line_no);
            pos = next;
            line_no += 1;
        }
        if let Some(fence) = self.fence.take() {
            self.close_fence(fence, end, end, false);
        }
    }

    fn line(&mut self, start: usize, end: usize, line_no: u32) {
        let bytes = self.bytes;
        if let Some(fence) = &self.fence {
            let closes = fence_marker(bytes, start, end).is_some_and(|(m, n, info)| {
                m == fence.marker && n >= fence.len && info.is_blank(bytes)
            });
            if closes {
                let fence = self.fence.take().expect("checked just above");
                self.close_fence(fence, start, end, true);
            }
            return;
        }
        let mut from = start;
        if self.in_comment {
            match find_pair(&bytes[start..end], *b"%%") {
                Some(i) => {
                    self.in_comment = false;
                    from = start + i + 2;
                }
                None => return,
            }
        } else if let Some((marker, len, info)) = fence_marker(bytes, start, end) {
            let info = info.text(self.source).trim();
            if !(marker == b'`' && info.contains('`')) {
                let language = info
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let query = QUERY_LANGUAGES
                    .contains(&language.as_str())
                    .then_some(language);
                let text_start = (end + 1).min(self.bytes.len());
                let text_start = if bytes.get(end) == Some(&b'\r') {
                    (end + 2).min(bytes.len())
                } else {
                    text_start
                };
                self.fence = Some(Fence {
                    marker,
                    len,
                    start,
                    text_start,
                    query,
                });
                return;
            }
        }
        let indent = bytes[from..end]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let content = from + indent;
        if from == start {
            if let Some(heading) = self.heading(content, end, indent) {
                self.out.headings.push(heading);
                self.inline(content, end);
                return;
            }
            self.task(content, end, line_no);
            self.line_field(content, end);
        }
        self.inline(from, end);
    }

    fn close_fence(&mut self, fence: Fence, close_start: usize, close_end: usize, closed: bool) {
        let Some(language) = fence.query else { return };
        let text_end = close_start.max(fence.text_start);
        let text_span = Span::new(fence.text_start.min(text_end), text_end);
        if !closed {
            self.out.diagnostics.push(
                crate::Diagnostic::warning("markdown/unclosed-query", format!("this ```{language} block has no closing fence; it runs to the end of the note"))
                    .with_span(Span::new(fence.start, fence.start + 3)),
            );
        }
        self.out.query_blocks.push(QueryBlock {
            text: self.source[text_span.range()].to_owned(),
            language,
            text_span,
            span: Span::new(fence.start, close_end),
        });
    }

    /// `#`–`######` then a blank (or the end of the line), at most 3 spaces in.
    fn heading(&self, content: usize, end: usize, indent: usize) -> Option<Heading> {
        let bytes = self.bytes;
        if indent > 3 {
            return None;
        }
        let level = bytes[content..end]
            .iter()
            .take_while(|&&b| b == b'#')
            .count();
        if level == 0 || level > 6 {
            return None;
        }
        let after = content + level;
        if after < end && !matches!(bytes[after], b' ' | b'\t') {
            return None;
        }
        let mut text = self.source[after..end].trim();
        // Closing `#`s, when a blank separates them from the text.
        let stripped = text.trim_end_matches('#');
        if stripped.is_empty() || stripped.ends_with([' ', '\t']) {
            text = stripped.trim_end();
        }
        // `text` is a slice of `self.source`: its place there is its span.
        let start = text.as_ptr() as usize - self.source.as_ptr() as usize;
        Some(Heading {
            level: level as u8,
            text: Span::new(start, start + text.len()),
            span: Span::new(content, end),
        })
    }

    /// `- [ ] text`, `* [x] text`, `+ [>] text`, `1. [ ] text`, `1) [ ] text`.
    fn task(&mut self, content: usize, end: usize, line_no: u32) {
        let bytes = self.bytes;
        let Some(after_marker) = list_marker(bytes, content, end) else {
            return;
        };
        if bytes.get(after_marker) != Some(&b'[') {
            return;
        }
        let rest = &self.source[after_marker + 1..end];
        let mut chars = rest.char_indices();
        let Some((_, status)) = chars.next() else {
            return;
        };
        let Some((close, ']')) = chars.next() else {
            return;
        };
        let text_at = after_marker + 1 + close + 1;
        if text_at < end && !matches!(bytes[text_at], b' ' | b'\t') {
            return;
        }
        self.out.tasks.push(Task {
            text: self.source[text_at..end].trim().to_owned(),
            status,
            span: Span::new(content, end),
            line: line_no,
        });
    }

    /// `key:: value` as a whole line (after any list or task marker).
    fn line_field(&mut self, content: usize, end: usize) {
        let bytes = self.bytes;
        let Some(sep) = find_pair(&bytes[content..end], *b"::") else {
            return;
        };
        let mut key_start = content;
        if bytes.get(key_start) == Some(&b'>') {
            key_start += 1;
            while key_start < end && bytes[key_start] == b' ' {
                key_start += 1;
            }
        }
        if let Some(after) = list_marker(bytes, key_start, end) {
            key_start = after;
            if bytes.get(key_start) == Some(&b'[') && bytes.get(key_start + 2) == Some(&b']') {
                key_start = (key_start + 3).min(end);
                while key_start < end && bytes[key_start] == b' ' {
                    key_start += 1;
                }
            }
        }
        let sep = content + sep;
        if sep <= key_start {
            return;
        }
        let Some(key) = field_key(&self.source[key_start..sep]) else {
            return;
        };
        let value = self.source[sep + 2..end].trim();
        self.out.inline_fields.push(InlineField {
            key: key.to_owned(),
            value: value.to_owned(),
            span: Span::new(key_start, end),
        });
    }

    /// Links, tags and bracketed inline fields of a line, outside code spans and `%%` comments.
    fn inline(&mut self, start: usize, end: usize) {
        let bytes = self.bytes;
        let mut plain = start;
        let mut i = start;
        while i < end {
            match bytes[i] {
                b'`' => {
                    let run = bytes[i..end].iter().take_while(|&&b| b == b'`').count();
                    match closing_backticks(bytes, i + run, end, run) {
                        Some(close) => {
                            self.plain(plain, i);
                            i = close + run;
                            plain = i;
                        }
                        None => i += run,
                    }
                }
                b'%' if bytes.get(i + 1) == Some(&b'%') && i + 1 < end => {
                    self.plain(plain, i);
                    match find_pair(&bytes[i + 2..end], *b"%%") {
                        Some(j) => {
                            i = i + 2 + j + 2;
                            plain = i;
                        }
                        None => {
                            self.in_comment = true;
                            return;
                        }
                    }
                }
                _ => i += 1,
            }
        }
        self.plain(plain, end);
    }

    /// A stretch of text that is neither code nor comment.
    fn plain(&mut self, start: usize, end: usize) {
        if start >= end {
            return;
        }
        let bytes = &self.bytes[start..end];
        if memchr::memchr3(b'[', b'#', b'(', bytes).is_none() {
            return;
        }
        find_links(
            self.source,
            Span::new(start, end),
            &|| LinkPlace::Body,
            &mut self.out.links,
        );
        for i in memchr::memchr_iter(b'#', bytes) {
            let at = start + i;
            if at > 0 && !self.source[..at].ends_with(|c: char| c.is_whitespace()) {
                continue;
            }
            let name_len = tag_length(&self.source[at + 1..end]);
            if name_len > 0 {
                let name = &self.source[at + 1..at + 1 + name_len];
                if !name.bytes().all(|b| b.is_ascii_digit()) {
                    self.out.tags.push(Tag {
                        name: name.to_owned(),
                        span: Span::new(at, at + 1 + name_len),
                        in_frontmatter: false,
                    });
                }
            }
        }
        if find_pair(bytes, *b"::").is_some() {
            self.bracketed_fields(start, end);
        }
    }

    /// `[key:: value]` and `(key:: value)`.
    fn bracketed_fields(&mut self, start: usize, end: usize) {
        let bytes = self.bytes;
        let mut i = start;
        while i < end {
            let (open, close) = match bytes[i] {
                b'[' if bytes.get(i + 1) == Some(&b'[') => {
                    // Skip a wiki-link as a whole.
                    i = find_pair(&bytes[i..end], *b"]]").map_or(end, |j| i + j + 2);
                    continue;
                }
                b'[' => (b'[', b']'),
                b'(' => (b'(', b')'),
                _ => {
                    i += 1;
                    continue;
                }
            };
            let mut depth = 0usize;
            let mut j = i;
            let mut matched = None;
            while j < end {
                if bytes[j] == open {
                    depth += 1;
                } else if bytes[j] == close {
                    depth -= 1;
                    if depth == 0 {
                        matched = Some(j);
                        break;
                    }
                }
                j += 1;
            }
            let Some(close_at) = matched else {
                i += 1;
                continue;
            };
            let inner = &self.source[i + 1..close_at];
            if let Some(sep) = inner.find("::")
                && let Some(key) = field_key(&inner[..sep])
            {
                self.out.inline_fields.push(InlineField {
                    key: key.to_owned(),
                    value: inner[sep + 2..].trim().to_owned(),
                    span: Span::new(i, close_at + 1),
                });
                i = close_at + 1;
            } else {
                i += 1;
            }
        }
    }
}

/// The `[` … of a list item: the position after `- `, `* `, `+ `, `1. ` or `1) `.
fn list_marker(bytes: &[u8], content: usize, end: usize) -> Option<usize> {
    let first = *bytes.get(content)?;
    let after = match first {
        b'-' | b'*' | b'+' => content + 1,
        b'0'..=b'9' => {
            let digits = bytes[content..end]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 9 || !matches!(bytes.get(content + digits), Some(b'.' | b')')) {
                return None;
            }
            content + digits + 1
        }
        _ => return None,
    };
    if after >= end || !matches!(bytes[after], b' ' | b'\t') {
        return None;
    }
    Some(
        bytes[after..end]
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .map_or(end, |i| after + i),
    )
}

/// A Dataview field key: word characters, blanks, `-`, `/`, emoji; may be wrapped in
/// `**`/`_`/`~`/`` ` `` formatting. Trimmed; `None` when it is not a key.
fn field_key(raw: &str) -> Option<&str> {
    let key = raw.trim().trim_matches(['*', '_', '~', '`']).trim();
    let first = key.chars().next()?;
    if key.len() > 100 || !(first.is_alphanumeric() || is_symbol(first)) {
        return None;
    }
    key.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '/') || is_symbol(c))
        .then_some(key)
}

/// Non-ASCII characters that are neither blanks nor punctuation (emoji, pictographs, joiners).
fn is_symbol(c: char) -> bool {
    !c.is_ascii()
        && !c.is_whitespace()
        && !matches!(c, '\u{00A1}'..='\u{00BF}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}')
}

/// Length in bytes of the tag name at the start of `rest` (the text after `#`).
fn tag_length(rest: &str) -> usize {
    rest.char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '/') || is_symbol(c)))
        .map_or(rest.len(), |(i, _)| i)
}

/// The start of a run of exactly `run` backticks in `from..end`.
fn closing_backticks(bytes: &[u8], from: usize, end: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while let Some(j) = memchr::memchr(b'`', &bytes[i..end]) {
        let at = i + j;
        let n = bytes[at..end].iter().take_while(|&&b| b == b'`').count();
        if n == run {
            return Some(at);
        }
        i = at + n;
    }
    None
}

/// The info string after a fence, as a span.
#[derive(Clone, Copy)]
struct Info(usize, usize);

impl Info {
    fn text(self, source: &str) -> &str {
        &source[self.0..self.1]
    }
    fn is_blank(self, bytes: &[u8]) -> bool {
        bytes[self.0..self.1]
            .iter()
            .all(|b| b.is_ascii_whitespace())
    }
}

/// A fence line: up to 3 spaces, then 3+ backticks or tildes. Returns marker, run length, info.
fn fence_marker(bytes: &[u8], start: usize, end: usize) -> Option<(u8, usize, Info)> {
    let indent = bytes[start..end].iter().take_while(|&&b| b == b' ').count();
    if indent > 3 {
        return None;
    }
    let at = start + indent;
    let marker = *bytes.get(at).filter(|&&b| b == b'`' || b == b'~')?;
    let len = bytes[at..end].iter().take_while(|&&b| b == marker).count();
    (len >= 3).then_some((marker, len, Info(at + len, end)))
}

/// Every `[[…]]` / `![[…]]` in `source[span]` (no code or comment awareness: for YAML values
/// and for stretches of body text already cleared of code).
fn find_links(source: &str, span: Span, place: &dyn Fn() -> LinkPlace, out: &mut Vec<Link>) {
    let bytes = source.as_bytes();
    let end = span.end as usize;
    let mut at = span.start as usize;
    while let Some(i) = find_pair(&bytes[at..end], *b"[[") {
        let mut open = at + i;
        // `[[[A]]`: the link is the innermost `[[`.
        while bytes.get(open + 2) == Some(&b'[') && open + 2 < end {
            open += 1;
        }
        let inner_start = open + 2;
        // The link closes at the first `]]` on the same line; a later `[[` restarts it.
        let line_end =
            memchr::memchr(b'\n', &bytes[inner_start..end]).map_or(end, |j| inner_start + j);
        let Some(j) = find_pair(&bytes[inner_start..line_end], *b"]]") else {
            at = inner_start;
            continue;
        };
        let close = inner_start + j;
        if let Some(k) = rfind_pair(&bytes[inner_start..close], *b"[[") {
            at = inner_start + k;
            continue;
        }
        if open > 0 && bytes[open - 1] == b'\\' {
            // `\[[x]]` is written-out brackets, not a link.
            at = close + 2;
            continue;
        }
        let embed = open > 0 && bytes[open - 1] == b'!';
        let start = if embed { open - 1 } else { open };
        out.push(Link {
            target: LinkTarget::shared(&source[inner_start..close]),
            embed,
            span: Span::new(start, close + 2),
            place: place(),
        });
        at = close + 2;
    }
}

/// Tags from a frontmatter `tags` value: list items, or words of a text (`a, b` / `a b`),
/// each without a leading `#`; spans point at the tag's text in the YAML.
fn frontmatter_tags(source: &str, field: &crate::FieldAt<'_>, out: &mut Vec<Tag>) {
    let items = field.item_spans();
    let spans: Vec<Span> = if items.is_empty() {
        vec![field.value_span]
    } else {
        items.to_vec()
    };
    for span in spans {
        let text = &source[span.range()];
        let separator =
            |c: char| c == ',' || c.is_whitespace() || matches!(c, '"' | '\'' | '[' | ']');
        let mut word_start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if !separator(c) {
                word_start.get_or_insert(i);
                continue;
            }
            let Some(s) = word_start.take() else { continue };
            let word = &text[s..i];
            let name = word.trim_start_matches('#');
            if !name.is_empty() {
                let start = span.start as usize + s + (word.len() - name.len());
                out.push(Tag {
                    name: name.to_owned(),
                    span: Span::new(start, start + name.len()),
                    in_frontmatter: true,
                });
            }
        }
    }
}

/// Where the two bytes `pair` first occur together in `hay`. The needles here are two
/// bytes and the haystacks short lines: a byte search plus a look at the next byte beats
/// building a substring finder per call.
fn find_pair(hay: &[u8], pair: [u8; 2]) -> Option<usize> {
    memchr::memchr_iter(pair[0], hay).find(|&i| hay.get(i + 1) == Some(&pair[1]))
}

/// Where the two bytes `pair` last occur together in `hay`.
fn rfind_pair(hay: &[u8], pair: [u8; 2]) -> Option<usize> {
    memchr::memrchr_iter(pair[0], hay).find(|&i| hay.get(i + 1) == Some(&pair[1]))
}
