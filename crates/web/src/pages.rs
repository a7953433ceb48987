//! The HTML pages: home, type, note, search, check, graph, Practice Lab, forms.
//! Handlers read one [`Site`] snapshot and render an askama template; everything taken from
//! notes is escaped (templates escape their fields; ready-made HTML comes from [`view`]).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use attune_syntax::Severity;

use crate::forms;
use crate::href;
use crate::markdown;
use crate::site::{Resolved, Site, parent};
use crate::state::AppState;
use crate::view::{self, Layout, escape, value_html};

/// A rendered page or an error page.
pub struct Page(pub StatusCode, pub Result<String, askama::Error>);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        match self.1 {
            Ok(html) => (self.0, Html(html)).into_response(),
            Err(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("rendering the page failed: {e}"),
            )
                .into_response(),
        }
    }
}

fn ok(t: &impl Template) -> Page {
    Page(StatusCode::OK, t.render())
}

/// The layout data of a page titled `title`.
pub fn layout(state: &AppState, site: &Site, title: &str) -> Layout {
    let mut nav: Vec<(String, String)> = site
        .class_counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(c, _)| {
            let label = view::class_label(site, &c);
            (label.clone(), href::class(&label))
        })
        .collect();
    nav.sort();
    Layout {
        title: title.to_owned(),
        csrf: state.0.csrf.clone(),
        vault_name: state.0.vault_name.clone(),
        nav,
        version: state.version(),
    }
}

#[derive(Template)]
#[template(path = "simple.html")]
struct SimplePage {
    layout: Layout,
    content: String,
}

/// A page with a heading and a message (404s, refusals), escaped.
pub fn message_page(state: &AppState, status: StatusCode, title: &str, message: &str) -> Page {
    let site = state.site();
    let content = format!(
        "<h1>{}</h1><p>{}</p><p><a href=\"/\">Home</a></p>",
        escape(title),
        escape(message)
    );
    Page(
        status,
        SimplePage {
            layout: layout(state, &site, title),
            content,
        }
        .render(),
    )
}

pub async fn not_found(State(state): State<AppState>) -> Page {
    message_page(
        &state,
        StatusCode::NOT_FOUND,
        "Not found",
        "There is no page at this address.",
    )
}

// ---------------------------------------------------------------- home

struct TypeCard {
    label: String,
    href: String,
    count: usize,
    to_review: usize,
}

struct Item {
    name: String,
    href: String,
    status: String,
}

struct ReviewGroup {
    label: String,
    /// How many notes the group holds (only the first [`SHOWN`] are listed).
    total: usize,
    items: Vec<Item>,
}

/// Notes listed per review group on the home page (a vault can hold thousands of stubs).
const SHOWN: usize = 40;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    types: Vec<TypeCard>,
    review: Vec<ReviewGroup>,
    recent: Vec<Item>,
    findings: (usize, usize, usize),
}

fn item(site: &Site, i: usize, status: String) -> Item {
    let e = &site.entries[i];
    Item {
        name: e.name.clone(),
        href: href::note(&e.path),
        status,
    }
}

pub async fn home(State(state): State<AppState>) -> Page {
    let site = state.site();
    let mut types = Vec::new();
    let mut review = Vec::new();
    for (class, count) in site.class_counts() {
        if count == 0 {
            continue;
        }
        let label = view::class_label(&site, &class);
        let waiting: Vec<usize> = site
            .entries_of(&class)
            .into_iter()
            .filter(|&i| !site.entries[i].stub && view::needs_review(site.status(i).as_deref()))
            .collect();
        types.push(TypeCard {
            label: label.clone(),
            href: href::class(&label),
            count,
            to_review: waiting.len(),
        });
        if !waiting.is_empty() {
            let total = waiting.len();
            review.push(ReviewGroup {
                label: format!("{label}: in progress or review"),
                total,
                items: waiting
                    .into_iter()
                    .take(SHOWN)
                    .map(|i| item(&site, i, site.status(i).unwrap_or_default()))
                    .collect(),
            });
        }
    }
    let stubs: Vec<usize> = (0..site.entries.len())
        .filter(|&i| site.entries[i].stub)
        .collect();
    if !stubs.is_empty() {
        review.insert(
            0,
            ReviewGroup {
                label: "Empty stubs (created by a link, never filled in)".into(),
                total: stubs.len(),
                items: stubs
                    .iter()
                    .take(SHOWN)
                    .map(|&i| item(&site, i, String::new()))
                    .collect(),
            },
        );
    }
    let mut by_time: Vec<usize> = (0..site.entries.len()).collect();
    let newest = 12.min(by_time.len());
    if newest > 0 {
        by_time.select_nth_unstable_by_key(newest - 1, |&i| {
            std::cmp::Reverse(site.vault_note(i).meta.mtime_ms)
        });
    }
    by_time.truncate(newest);
    by_time.sort_by_key(|&i| std::cmp::Reverse(site.vault_note(i).meta.mtime_ms));
    let recent = by_time
        .into_iter()
        .map(|i| item(&site, i, format_time(site.vault_note(i).meta.mtime_ms)))
        .collect();
    let count = |s: Severity| site.diagnostics.iter().filter(|d| d.severity == s).count();
    let findings = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    ok(&HomePage {
        layout: layout(&state, &site, "Home"),
        types,
        review,
        recent,
        findings,
    })
}

/// `YYYY-MM-DD HH:mm` (UTC) of a Unix time in milliseconds.
pub fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

// ---------------------------------------------------------------- type page

struct Row {
    name: String,
    href: String,
    /// (sort/filter text, HTML)
    cells: Vec<(String, String)>,
}

struct Split {
    label: String,
    /// Notes in the split (matching the search); `rows` may show only the first ones.
    total: usize,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "class.html")]
struct ClassPage {
    layout: Layout,
    label: String,
    total: usize,
    columns: Vec<String>,
    splits: Vec<Split>,
    can_create: bool,
    new_href: String,
    graph_href: String,
    /// The server-side search (`?q=`).
    q: String,
    /// Some split shows only its first rows.
    capped: bool,
    all_href: String,
    page_href: String,
}

/// The columns of a class's table: its own fields in `fieldsOrder`, then status and priority.
pub fn table_columns(class: &attune_schema::Class) -> Vec<String> {
    let mut cols: Vec<String> = class
        .fields
        .iter()
        .filter(|f| f.from == class.name())
        .map(|f| f.def.name.clone())
        .collect();
    for extra in ["status", "priority"] {
        if !cols.iter().any(|c| c == extra) {
            cols.insert(0, extra.to_owned());
        }
    }
    cols.sort_by_key(|c| match c.as_str() {
        "status" => 0,
        "priority" => 1,
        _ => 2,
    });
    cols
}

/// Rows a type page shows per split unless `?all=1` (a class can hold thousands of notes;
/// the search box narrows them on the server).
pub const TYPE_PAGE_ROWS: usize = 200;

#[derive(Deserialize, Default)]
pub struct ClassQuery {
    /// Words every listed note must contain (name or any column), accents and case ignored.
    #[serde(default)]
    q: String,
    /// Show every row.
    #[serde(default)]
    all: Option<String>,
}

/// Lower case without accents (`Café` → `cafe`), as the search box compares.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

pub async fn class_page(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<ClassQuery>,
) -> Page {
    let site = state.site();
    let Some(class) = site.class(&name) else {
        return message_page(
            &state,
            StatusCode::NOT_FOUND,
            "No such type",
            &format!("The vault has no type named “{name}”."),
        );
    };
    let columns = table_columns(class);
    let entries = site.entries_of(class.name());
    let words: Vec<String> = fold(&query.q)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let show_all = query.all.is_some();
    // Which split each note belongs to, and whether it matches the words; the cells (the
    // costly part) are built only for the rows shown.
    let mut split_entries: [Vec<usize>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for &i in &entries {
        if !words.is_empty() {
            let mut text = fold(&site.entries[i].name);
            for c in &columns {
                if let Some(v) = site.field(i, c) {
                    text.push(' ');
                    text.push_str(&fold(&view::value_text(v)));
                }
            }
            if !words.iter().all(|w| text.contains(w.as_str())) {
                continue;
            }
        }
        let status = site.status(i);
        let at = if view::is_complete(status.as_deref()) {
            1
        } else if view::needs_review(status.as_deref()) {
            0
        } else {
            2
        };
        split_entries[at].push(i);
    }
    let row = |i: usize| {
        let e = &site.entries[i];
        let cells = columns
            .iter()
            .map(|c| match site.field(i, c) {
                Some(v) => (view::value_text(v), value_html(&site, Some(i), Some(c), v)),
                None => (String::new(), String::new()),
            })
            .collect();
        Row {
            name: e.name.clone(),
            href: href::note(&e.path),
            cells,
        }
    };
    let mut splits = Vec::new();
    let mut capped = false;
    for (at, label) in ["🟨 To Review", "🟩 Completed", "Other statuses"]
        .into_iter()
        .enumerate()
    {
        let list = &split_entries[at];
        if at == 2 && list.is_empty() {
            continue;
        }
        let shown = if show_all {
            list.len()
        } else {
            list.len().min(TYPE_PAGE_ROWS)
        };
        capped |= shown < list.len();
        splits.push(Split {
            label: label.into(),
            total: list.len(),
            rows: list[..shown].iter().map(|&i| row(i)).collect(),
        });
    }
    let label = class.short_name().to_owned();
    let base = href::class(&label);
    let all_href = if query.q.is_empty() {
        format!("{base}?all=1")
    } else {
        format!("{base}?all=1&q={}", href::encode_component(&query.q))
    };
    ok(&ClassPage {
        layout: layout(&state, &site, &label),
        total: entries.len(),
        columns,
        splits,
        can_create: forms::can_create(&site, class),
        new_href: href::new_note(&label),
        graph_href: format!("/graph?class={}", href::encode_component(&label)),
        q: query.q.clone(),
        capped,
        all_href,
        page_href: base,
        label,
    })
}

// ---------------------------------------------------------------- note page

struct Finding {
    severity: String,
    code: String,
    message: String,
    help: String,
}

struct LinkGroup {
    label: String,
    links: Vec<String>,
}

#[derive(Template)]
#[template(path = "note.html")]
struct NotePage {
    layout: Layout,
    title: String,
    path: String,
    class_label: String,
    class_href: String,
    can_edit: bool,
    edit_href: String,
    obsidian_href: String,
    graph_href: String,
    fields: Vec<(String, String)>,
    more_fields: Vec<(String, String)>,
    body: String,
    relations: Vec<LinkGroup>,
    backlinks: Vec<LinkGroup>,
    diagnostics: Vec<Finding>,
}

/// Fields every note carries for housekeeping: shown folded on the note page.
const BOOKKEEPING: &[&str] = &[
    "id",
    "created",
    "last_modified",
    "title",
    "type",
    "category",
    "entered",
    "archived",
    "visibility",
    "export_to_inputs",
    "tags",
    "media",
    "attachments",
];

/// The fields of a note in the class's `fieldsOrder` (then any others as written).
pub fn ordered_fields(site: &Site, entry: usize) -> Vec<(String, attune_syntax::Value)> {
    let Some(fm) = &site.vault_note(entry).note.frontmatter else {
        return Vec::new();
    };
    let mut out: Vec<(String, attune_syntax::Value)> = Vec::new();
    if let Some(class) = site.class_of(entry) {
        for f in &class.fields {
            if let Some(field) = fm.get(&f.def.name) {
                out.push((field.key.to_string(), field.value.clone()));
            }
        }
    }
    for field in &fm.fields {
        if !out.iter().any(|(k, _)| *k == field.key) {
            out.push((field.key.to_string(), field.value.clone()));
        }
    }
    out
}

pub async fn note_page(State(state): State<AppState>, Path(path): Path<String>) -> Page {
    let site = state.site();
    let Some(i) = site.entry_by_path(&path) else {
        return message_page(
            &state,
            StatusCode::NOT_FOUND,
            "No such note",
            &format!("There is no note at “{path}”."),
        );
    };
    let e = &site.entries[i];
    let note = &site.vault_note(i).note;
    // Status and priority first, the note's own fields next, bookkeeping folded away.
    let mut fields = Vec::new();
    let mut more_fields = Vec::new();
    let mut all = ordered_fields(&site, i);
    all.sort_by_key(|(k, _)| match k.as_str() {
        "status" => 0,
        "priority" => 1,
        _ => 2,
    });
    for (k, v) in all {
        if k == "fileClass" {
            continue;
        }
        let html = value_html(&site, Some(i), Some(&k), &v);
        if BOOKKEEPING.contains(&k.as_str()) {
            more_fields.push((k, html));
        } else {
            fields.push((k, html));
        }
    }
    let body = markdown::render(&site, Some(i), note.body_text(), &mut |lang, text| {
        crate::query::render_block(&site, i, lang, text)
    });

    // Relations: frontmatter links grouped by field; body links together.
    let mut relations: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in &e.links {
        let label = match &l.field {
            Some(f) => match e
                .class
                .as_deref()
                .and_then(|c| site.ws.schema.relation_targets(c, f))
            {
                Some(r) => format!("{f} → {}", r.targets.join(", ")),
                None => f.to_string(),
            },
            None => "in the text".to_owned(),
        };
        let html = match &l.resolved {
            Resolved::Note(t) => view::entry_link(&site, *t),
            Resolved::Ambiguous(all) if !all.is_empty() => view::entry_link(&site, all[0]),
            Resolved::File(p) => format!(
                "<a class=\"file\" href=\"{}\">{}</a>",
                escape(&href::file(p)),
                escape(p)
            ),
            _ => format!(
                "<a class=\"missing\" href=\"{}\">{}</a>",
                escape(&href::missing(l.target.name())),
                escape(l.target.name())
            ),
        };
        let list = relations.entry(label).or_default();
        if !list.contains(&html) {
            list.push(html);
        }
    }
    let mut backlinks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for b in &site.backlinks[i] {
        let from = &site.entries[b.from];
        let class = from
            .class
            .as_deref()
            .map(|c| view::class_label(&site, c))
            .unwrap_or_else(|| "untyped".to_owned());
        let label = match &b.field {
            Some(f) => format!("{class} · {f}"),
            None => format!("{class} · in the text"),
        };
        let html = view::entry_link(&site, b.from);
        let list = backlinks.entry(label).or_default();
        if !list.contains(&html) {
            list.push(html);
        }
    }
    let diagnostics = site
        .diagnostics_of(&e.path)
        .into_iter()
        .map(|d| Finding {
            severity: d.severity.as_str().to_owned(),
            code: d.code.to_owned(),
            message: d.message.clone(),
            help: d.help.clone().unwrap_or_default(),
        })
        .collect();
    let class = site.class_of(i);
    let class_label = class.map(|c| c.short_name().to_owned()).unwrap_or_default();
    ok(&NotePage {
        layout: layout(&state, &site, &e.title),
        title: e.title.clone(),
        path: e.path.clone(),
        class_href: href::class(&class_label),
        class_label,
        can_edit: class.is_some(),
        edit_href: href::edit(&e.path),
        obsidian_href: href::obsidian(&state.0.vault_name, &e.path),
        graph_href: href::graph_note(&e.path, 1),
        fields,
        more_fields,
        body,
        relations: relations
            .into_iter()
            .map(|(label, links)| LinkGroup { label, links })
            .collect(),
        backlinks: backlinks
            .into_iter()
            .map(|(label, links)| LinkGroup { label, links })
            .collect(),
        diagnostics,
    })
}

#[derive(Deserialize)]
pub struct NameQuery {
    #[serde(default)]
    name: String,
}

/// A link target that does not exist: who links to it, and where it could be created.
pub async fn missing_page(State(state): State<AppState>, Query(q): Query<NameQuery>) -> Page {
    let site = state.site();
    let key = crate::site::name_key(&q.name);
    let mut from: Vec<usize> = (0..site.entries.len())
        .filter(|&i| {
            site.entries[i].links.iter().any(|l| {
                l.resolved == Resolved::Missing && crate::site::name_key(l.target.name()) == key
            })
        })
        .collect();
    from.dedup();
    let mut content = format!(
        "<h1>“{}” does not exist yet</h1><p>No note has this name. ",
        escape(&q.name)
    );
    if from.is_empty() {
        content.push_str("No note links to it.</p>");
    } else {
        content.push_str("These notes link to it:</p><ul class=\"plain\">");
        for i in from {
            content.push_str(&format!("<li>{}</li>", view::entry_link(&site, i)));
        }
        content.push_str("</ul>");
    }
    Page(
        StatusCode::OK,
        SimplePage {
            layout: layout(&state, &site, &q.name),
            content,
        }
        .render(),
    )
}

// ---------------------------------------------------------------- search

struct HitView {
    title: String,
    path: String,
    href: String,
    snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    query: String,
    hits: Vec<HitView>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
}

/// Escape a snippet and turn the match markers into `<mark>`.
pub fn snippet_html(snippet: &str) -> String {
    escape(snippet)
        .replace('\u{1}', "<mark>")
        .replace('\u{2}', "</mark>")
}

pub async fn search_page(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Page {
    let site = state.site();
    let hits = match state.search(&q.q, 50) {
        Ok(hits) => hits,
        Err(e @ crate::search::SearchError::Building(_)) => {
            return message_page(
                &state,
                StatusCode::SERVICE_UNAVAILABLE,
                "Search is not ready yet",
                &e.to_string(),
            );
        }
        Err(e) => {
            return message_page(
                &state,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Search failed",
                &e.to_string(),
            );
        }
    };
    let hits = hits
        .into_iter()
        .map(|h| HitView {
            href: href::note(&h.path),
            snippet: snippet_html(&h.snippet),
            title: h.title,
            path: h.path,
        })
        .collect();
    ok(&SearchPage {
        layout: layout(&state, &site, "Search"),
        query: q.q,
        hits,
    })
}

// ---------------------------------------------------------------- check

struct FindingRow {
    severity: String,
    code: String,
    path: String,
    href: String,
    line: String,
    message: String,
    help: String,
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    layout: Layout,
    code: String,
    folder: String,
    codes: Vec<(String, usize)>,
    folders: Vec<(String, usize)>,
    findings: Vec<FindingRow>,
    shown: usize,
    total: usize,
}

#[derive(Deserialize)]
pub struct CheckQuery {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub folder: String,
}

/// Top two folder levels of a path (`ME/🏛️ Foundations`).
pub fn folder_of(path: &str) -> String {
    let parts: Vec<&str> = parent(path)
        .split('/')
        .filter(|s| !s.is_empty())
        .take(2)
        .collect();
    parts.join("/")
}

pub async fn check_page(State(state): State<AppState>, Query(q): Query<CheckQuery>) -> Page {
    let site = state.site();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut folders: BTreeMap<String, usize> = BTreeMap::new();
    for d in &site.diagnostics {
        *codes.entry(d.code.to_owned()).or_default() += 1;
        *folders.entry(folder_of(&d.path)).or_default() += 1;
    }
    let findings: Vec<FindingRow> = site
        .diagnostics
        .iter()
        .filter(|d| q.code.is_empty() || d.code == q.code)
        .filter(|d| q.folder.is_empty() || folder_of(&d.path) == q.folder)
        .map(|d| {
            let entry = site.entry_by_path(&d.path);
            let line = match (d.span, entry) {
                (Some(span), Some(i)) => {
                    let src = &site.vault_note(i).note.source;
                    let at = (span.start as usize).min(src.len());
                    (src.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1).to_string()
                }
                _ => String::new(),
            };
            FindingRow {
                severity: d.severity.as_str().to_owned(),
                code: d.code.to_owned(),
                href: entry
                    .map(|i| href::note(&site.entries[i].path))
                    .unwrap_or_default(),
                path: d.path.clone(),
                line,
                message: d.message.clone(),
                help: d.help.clone().unwrap_or_default(),
            }
        })
        .collect();
    ok(&CheckPage {
        layout: layout(&state, &site, "Check"),
        shown: findings.len(),
        total: site.diagnostics.len(),
        code: q.code,
        folder: q.folder,
        codes: codes.into_iter().collect(),
        folders: folders.into_iter().collect(),
        findings,
    })
}

// ---------------------------------------------------------------- graph

#[derive(Template)]
#[template(path = "graph.html")]
struct GraphPage {
    layout: Layout,
    note: String,
    depth: u8,
    class: String,
    classes: Vec<String>,
    note_paths: Vec<String>,
    summary: String,
    data_src: String,
}

#[derive(Deserialize, Default)]
pub struct GraphQuery {
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub depth: Option<u8>,
    #[serde(default)]
    pub class: String,
}

pub async fn graph_page(State(state): State<AppState>, Query(q): Query<GraphQuery>) -> Page {
    let site = state.site();
    let depth = q.depth.unwrap_or(1).clamp(1, 3);
    let graph = crate::graph::build(&site, &q.note, depth, &q.class);
    let summary = match &graph {
        Some(g) => format!("{} notes, {} links", g.nodes.len(), g.edges.len()),
        None if q.note.is_empty() && q.class.is_empty() => "Choose a note or a type.".to_owned(),
        None => "No such note or type.".to_owned(),
    };
    let data_src = if graph.is_some() {
        format!(
            "/api/graph?note={}&depth={depth}&class={}",
            href::encode_component(&q.note),
            href::encode_component(&q.class)
        )
    } else {
        String::new()
    };
    let mut classes: Vec<String> = site
        .class_counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(c, _)| view::class_label(&site, &c))
        .collect();
    classes.sort();
    ok(&GraphPage {
        layout: layout(&state, &site, "Graph"),
        note: q.note,
        depth,
        class: q.class,
        classes,
        note_paths: site
            .entries
            .iter()
            .filter(|e| !e.stub)
            .map(|e| e.path.clone())
            .collect(),
        summary,
        data_src,
    })
}

// ---------------------------------------------------------------- Practice Lab

/// Practice Lab: every scenario with its sessions.
pub async fn lab_page(State(state): State<AppState>) -> Page {
    let site = state.site();
    let mut content = String::from("<h1>🧪 Practice Lab</h1>");
    let Some(scenario) = site.class("scenario") else {
        content.push_str("<p class=\"muted\">This vault has no <code>scenario</code> type.</p>");
        return Page(
            StatusCode::OK,
            SimplePage {
                layout: layout(&state, &site, "Practice Lab"),
                content,
            }
            .render(),
        );
    };
    let scenarios = site.entries_of(scenario.name());
    if let Some(session) = site.class("practice_session")
        && forms::can_create(&site, session)
    {
        content.push_str(&format!(
            "<p><a class=\"button primary\" href=\"{}\">New session</a></p>",
            escape(&href::new_note(session.short_name()))
        ));
    }
    content.push_str("<h2>Scenarios</h2><ul class=\"plain\">");
    for i in scenarios {
        let e = &site.entries[i];
        let sessions = crate::lab::sessions_of(&site, i).len();
        content.push_str(&format!(
            "<li><a href=\"/lab/{}\">{}</a> <span class=\"muted\">{} sessions</span></li>",
            escape(&href::encode_path(&e.path)),
            escape(&e.name),
            sessions
        ));
    }
    content.push_str("</ul>");
    Page(
        StatusCode::OK,
        SimplePage {
            layout: layout(&state, &site, "Practice Lab"),
            content,
        }
        .render(),
    )
}

/// A scenario: its sessions in order, each with its takes and coaching notes.
pub async fn scenario_page(State(state): State<AppState>, Path(path): Path<String>) -> Page {
    let site = state.site();
    let Some(i) = site.entry_by_path(&path) else {
        return message_page(
            &state,
            StatusCode::NOT_FOUND,
            "No such scenario",
            &format!("There is no note at “{path}”."),
        );
    };
    let e = &site.entries[i];
    let mut content = format!(
        "<h1>🎲 {}</h1><p><a href=\"{}\">the scenario note</a></p>",
        escape(&e.title),
        escape(&href::note(&e.path))
    );
    let scenario_name = href::encode_component(&e.name);
    if site.class("practice_session").is_some() {
        content.push_str(&format!(
            "<p><a class=\"button primary\" href=\"/new/practice_session?scenario={scenario_name}\">New session</a></p>"
        ));
    }
    let sessions = crate::lab::sessions_of(&site, i);
    if sessions.is_empty() {
        content.push_str("<p class=\"muted\">No sessions yet.</p>");
    }
    for s in sessions {
        content.push_str(&format!(
            "<section class=\"session\"><h2>{}</h2>",
            view::entry_link(&site, s.session)
        ));
        if let Some(status) = site.status(s.session) {
            content.push_str(&format!(
                "<p><span class=\"chip\">{}</span></p>",
                escape(&status)
            ));
        }
        // The write flows of a session: a new take, a new coaching note, linked to it.
        let session_name = href::encode_component(&site.entries[s.session].name);
        let mut actions = String::new();
        for (short, label) in [
            ("live_rehearsal", "New take"),
            ("coaching", "New coaching note"),
        ] {
            if let Some(class) = site.class(short)
                && forms::can_create(&site, class)
            {
                actions.push_str(&format!(
                    "<a class=\"button\" href=\"{}?practice_session={session_name}&amp;scenario={scenario_name}\">{label}</a> ",
                    escape(&href::new_note(class.short_name()))
                ));
            }
        }
        if !actions.is_empty() {
            content.push_str(&format!("<p class=\"actions\">{actions}</p>"));
        }
        for (label, list) in [("Takes", &s.takes), ("Coaching", &s.coaching)] {
            content.push_str(&format!("<h3>{label}</h3>"));
            if list.is_empty() {
                content.push_str("<p class=\"muted\">None.</p>");
            } else {
                content.push_str("<ol>");
                for &t in list {
                    content.push_str(&format!("<li>{}</li>", view::entry_link(&site, t)));
                }
                content.push_str("</ol>");
            }
        }
        content.push_str("</section>");
    }
    Page(
        StatusCode::OK,
        SimplePage {
            layout: layout(&state, &site, &e.title),
            content,
        }
        .render(),
    )
}

// ---------------------------------------------------------------- forms

/// `GET /new/{class}?field=value…`: the create form, prefilled from the address.
pub async fn new_form(
    State(state): State<AppState>,
    Path(class): Path<String>,
    Query(prefill): Query<Vec<(String, String)>>,
) -> Page {
    forms::new_form(&state, &class, &prefill)
}

pub async fn new_submit(
    State(state): State<AppState>,
    Path(class): Path<String>,
    body: String,
) -> Response {
    forms::new_submit(&state, &class, &body).await
}

pub async fn edit_form(State(state): State<AppState>, Path(path): Path<String>) -> Page {
    forms::edit_form(&state, &path)
}

pub async fn edit_submit(
    State(state): State<AppState>,
    Path(path): Path<String>,
    body: String,
) -> Response {
    forms::edit_submit(&state, &path, &body).await
}
