//! Body scanning: wiki-links, tags, headings, inline fields, query blocks, tasks.
//! A fast hand-written scanner (no Markdown render): code spans, fenced code and
//! `%% comments %%` are skipped for links and tags.

use crate::Span;

/// The target of a wiki-link, as written: `[[folder/Name#Heading|alias]]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LinkTarget {
    /// Path or name before `#`/`|`, trimmed (`folder/Name`, `Name`, `Name.md`); empty for `[[]]`.
    pub target: String,
    /// `Heading` or `^block` after `#`.
    pub fragment: Option<String>,
    /// Display text after `|`.
    pub alias: Option<String>,
}

impl LinkTarget {
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
        LinkTarget {
            target: target.trim().to_owned(),
            fragment: fragment.filter(|f| !f.is_empty()).map(str::to_owned),
            alias: alias.filter(|a| !a.is_empty()).map(str::to_owned),
        }
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

/// Where a link sits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LinkPlace {
    /// In the value of this top-level frontmatter key.
    Frontmatter {
        key: String,
    },
    Body,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Link {
    pub target: LinkTarget,
    /// `![[…]]`
    pub embed: bool,
    /// The whole `[[…]]` (with the `!` for embeds).
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
    pub text: String,
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
pub(crate) fn scan_note(note: &mut crate::Note) {
    let source = note.source.as_str();
    let mut links = Vec::new();
    let mut tags = Vec::new();
    if let Some(fm) = &note.frontmatter {
        for field in &fm.fields {
            if field.value_span.is_empty() {
                continue;
            }
            let place = || LinkPlace::Frontmatter {
                key: field.key.clone(),
            };
            find_links(source, field.value_span, &place, &mut links);
            if field.key == "tags" || field.key == "tag" {
                frontmatter_tags(source, field, &mut tags);
            }
        }
    }
    note.links = links;
    note.tags = tags;
}

/// Every `[[…]]` / `![[…]]` in `source[span]` (no code or comment awareness: for YAML values
/// and for stretches of body text already cleared of code).
fn find_links(source: &str, span: Span, place: &dyn Fn() -> LinkPlace, out: &mut Vec<Link>) {
    let bytes = source.as_bytes();
    let end = span.end as usize;
    let mut at = span.start as usize;
    while let Some(i) = memchr::memmem::find(&bytes[at..end], b"[[") {
        let mut open = at + i;
        // `[[[A]]`: the link is the innermost `[[`.
        while bytes.get(open + 2) == Some(&b'[') && open + 2 < end {
            open += 1;
        }
        let inner_start = open + 2;
        // The link closes at the first `]]` on the same line; a later `[[` restarts it.
        let line_end =
            memchr::memchr(b'\n', &bytes[inner_start..end]).map_or(end, |j| inner_start + j);
        let Some(j) = memchr::memmem::find(&bytes[inner_start..line_end], b"]]") else {
            at = inner_start;
            continue;
        };
        let close = inner_start + j;
        if let Some(k) = memchr::memmem::rfind(&bytes[inner_start..close], b"[[") {
            at = inner_start + k;
            continue;
        }
        let embed = open > 0 && bytes[open - 1] == b'!';
        let start = if embed { open - 1 } else { open };
        out.push(Link {
            target: LinkTarget::parse(&source[inner_start..close]),
            embed,
            span: Span::new(start, close + 2),
            place: place(),
        });
        at = close + 2;
    }
}

/// Tags from a frontmatter `tags` value: list items, or words of a text (`a, b` / `a b`),
/// each without a leading `#`; spans point at the tag's text in the YAML.
fn frontmatter_tags(source: &str, field: &crate::Field, out: &mut Vec<Tag>) {
    let spans: Vec<Span> = if field.item_spans.is_empty() {
        vec![field.value_span]
    } else {
        field.item_spans.clone()
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
