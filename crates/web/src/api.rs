//! The JSON API under `/api/`: the same facts the pages show, for programs. Documented in
//! `crates/web/README.md`. Reads are GET; anything that changes state is POST with the
//! session's `X-CSRF-Token` (from `GET /api/session`).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value as Json_, json};

use attune_syntax::{Diagnostic, Value};

use crate::pages::{CheckQuery, GraphQuery, SearchQuery, folder_of, ordered_fields};
use crate::site::{Resolved, Site};
use crate::state::{AppState, Origin};

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// A frontmatter value as JSON (links as `{"link": target, "path": resolved path or null}`).
pub fn value_json(site: &Site, from: Option<usize>, field: Option<&str>, value: &Value) -> Json_ {
    match value {
        Value::Null => Json_::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Text(t) => json!(t.as_str()),
        Value::Link(l) => {
            let path = site
                .resolve(from, l, field)
                .note()
                .map(|i| site.entries[i].path.clone());
            json!({ "link": l.target, "display": l.alias, "path": path })
        }
        Value::List(items) => Json_::Array(
            items
                .iter()
                .map(|v| value_json(site, from, field, v))
                .collect(),
        ),
        Value::Map(entries) => Json_::Object(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), value_json(site, from, field, v)))
                .collect(),
        ),
    }
}

pub fn diagnostic_json(d: &Diagnostic) -> Json_ {
    json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "path": d.path,
        "span": d.span.map(|s| [s.start, s.end]),
        "message": d.message,
        "help": d.help,
    })
}

fn note_summary(site: &Site, i: usize) -> Json_ {
    let e = &site.entries[i];
    json!({
        "path": e.path,
        "name": e.name,
        "title": e.title,
        "class": site.class_of(i).map(|c| c.short_name()),
        "status": site.status(i),
        "empty_stub": e.stub,
    })
}

/// `GET /api/session`: the CSRF token for POSTs, the snapshot version, the vault's name.
pub async fn session(State(state): State<AppState>) -> Json<Json_> {
    Json(json!({ "csrf": state.0.csrf, "version": state.version(), "vault": state.0.vault_name }))
}

fn class_json(site: &Site, c: &attune_schema::Class) -> Json_ {
    json!({
        "name": c.name(),
        "short_name": c.short_name(),
        "count": site.entries_of(c.name()).len(),
        "folder": c.rules.folder.clone().or_else(|| c.file_class.files_paths.first().cloned()),
        "extends": c.file_class.extends,
        "fields": c.fields.iter().map(|f| json!({
            "name": f.def.name,
            "type": f.def.field_type.as_str(),
            "from": f.from,
            "options": f.def.closed_options(),
            "relation": c.relation(&f.def.name).map(|r| json!({"targets": r.targets, "inverse": r.inverse})),
            "group": c.group_rule(&f.def.name).map(|g| json!({"by": g.by, "options": g.options})),
        })).collect::<Vec<_>>(),
    })
}

/// `GET /api/classes`
pub async fn classes(State(state): State<AppState>) -> Json<Json_> {
    let site = state.site();
    Json(Json_::Array(
        site.ws
            .schema
            .classes()
            .iter()
            .map(|c| class_json(&site, c))
            .collect(),
    ))
}

/// `GET /api/classes/{class}`: the class and its notes.
pub async fn class(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let site = state.site();
    let Some(c) = site.class(&name) else {
        return error(StatusCode::NOT_FOUND, "no such class");
    };
    let mut body = class_json(&site, c);
    body["notes"] = Json_::Array(
        site.entries_of(c.name())
            .into_iter()
            .map(|i| note_summary(&site, i))
            .collect(),
    );
    Json(body).into_response()
}

#[derive(Deserialize)]
pub struct NotesQuery {
    #[serde(default)]
    class: String,
    /// Case-insensitive substring of the name.
    #[serde(default)]
    q: String,
    #[serde(default)]
    limit: Option<usize>,
}

/// `GET /api/notes?class=&q=&limit=`: notes, optionally of one class and matching a name
/// fragment (what a link picker asks).
pub async fn notes(State(state): State<AppState>, Query(q): Query<NotesQuery>) -> Response {
    let site = state.site();
    let class = if q.class.is_empty() {
        None
    } else {
        match site.class(&q.class) {
            Some(c) => Some(c.name().to_owned()),
            None => return error(StatusCode::NOT_FOUND, "no such class"),
        }
    };
    let needle = q.q.to_lowercase();
    let list: Vec<Json_> = (0..site.entries.len())
        .filter(|&i| class.is_none() || site.entries[i].class.as_deref() == class.as_deref())
        .filter(|&i| needle.is_empty() || site.entries[i].name.to_lowercase().contains(&needle))
        .take(q.limit.unwrap_or(usize::MAX))
        .map(|i| note_summary(&site, i))
        .collect();
    Json(Json_::Array(list)).into_response()
}

/// `GET /api/notes/{path}`: one note with fields (in `fieldsOrder`), links, backlinks,
/// findings and its body as Markdown source.
pub async fn note(State(state): State<AppState>, Path(path): Path<String>) -> Response {
    let site = state.site();
    let Some(i) = site.entry_by_path(&path) else {
        return error(StatusCode::NOT_FOUND, "no such note");
    };
    let e = &site.entries[i];
    let mut body = note_summary(&site, i);
    let fields: serde_json::Map<String, Json_> = ordered_fields(&site, i)
        .into_iter()
        .map(|(k, v)| {
            let j = value_json(&site, Some(i), Some(&k), &v);
            (k, j)
        })
        .collect();
    body["fields"] = Json_::Object(fields);
    body["links"] = Json_::Array(
        e.links
            .iter()
            .map(|l| {
                let (state_, path) = match &l.resolved {
                    Resolved::Note(t) => ("note", Some(site.entries[*t].path.clone())),
                    Resolved::Ambiguous(all) => ("ambiguous", all.first().map(|t| site.entries[*t].path.clone())),
                    Resolved::File(p) => ("file", Some(p.clone())),
                    Resolved::Missing => ("missing", None),
                };
                json!({ "target": l.target.target, "field": l.field.as_deref(), "resolved": state_, "path": path })
            })
            .collect(),
    );
    body["backlinks"] = Json_::Array(
        site.backlinks[i]
            .iter()
            .map(|b| json!({ "path": site.entries[b.from].path, "field": b.field.as_deref() }))
            .collect(),
    );
    body["diagnostics"] = Json_::Array(
        site.diagnostics_of(&e.path)
            .into_iter()
            .map(diagnostic_json)
            .collect(),
    );
    body["body"] = json!(site.vault_note(i).note.body_text());
    Json(body).into_response()
}

/// `GET /api/search?q=`
pub async fn search(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Response {
    match state.search(&q.q, 50) {
        Ok(hits) => Json(Json_::Array(
            hits.into_iter()
                .map(|h| {
                    let snippet = h.snippet.replace(['\u{1}', '\u{2}'], "");
                    json!({ "path": h.path, "title": h.title, "snippet": snippet })
                })
                .collect(),
        ))
        .into_response(),
        Err(e @ crate::search::SearchError::Building(_)) => {
            error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// `GET /api/check?code=&folder=`
pub async fn check(State(state): State<AppState>, Query(q): Query<CheckQuery>) -> Json<Json_> {
    let site = state.site();
    Json(Json_::Array(
        site.diagnostics
            .iter()
            .filter(|d| q.code.is_empty() || d.code == q.code)
            .filter(|d| q.folder.is_empty() || folder_of(&d.path) == q.folder)
            .map(diagnostic_json)
            .collect(),
    ))
}

/// `GET /api/graph?note=&depth=&class=`
pub async fn graph(State(state): State<AppState>, Query(q): Query<GraphQuery>) -> Response {
    let site = state.site();
    match crate::graph::build(&site, &q.note, q.depth.unwrap_or(1).clamp(1, 3), &q.class) {
        Some(g) => Json(g).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "name a note (note=path) or a class (class=name)",
        ),
    }
}

#[derive(Deserialize)]
pub struct FormQuery {
    #[serde(default)]
    path: String,
}

/// `GET /api/forms/{class}?path=`: the form of a class (filled from a note when `path` is given).
pub async fn form(
    State(state): State<AppState>,
    Path(class): Path<String>,
    Query(q): Query<FormQuery>,
) -> Response {
    let site = state.site();
    let Some(c) = site.class(&class) else {
        return error(StatusCode::NOT_FOUND, "no such class");
    };
    let entry = if q.path.is_empty() {
        None
    } else {
        match site.entry_by_path(&q.path) {
            Some(i) => Some(i),
            None => return error(StatusCode::NOT_FOUND, "no such note"),
        }
    };
    Json(crate::forms::build(&site, c, entry)).into_response()
}

#[derive(Deserialize)]
pub struct QueryRequest {
    pub query: String,
    /// The note the query runs in (`this`).
    #[serde(default)]
    pub this: Option<String>,
}

/// `POST /api/query` `{"query": "TABLE …", "this": "path"}`: run a DQL query.
pub async fn query(State(state): State<AppState>, Json(req): Json<QueryRequest>) -> Response {
    let site = state.site();
    match crate::query::run(&site, &req.query, req.this.as_deref()) {
        Ok(out) => {
            let result = match &out.result {
                attune_query::QueryResult::Table { headers, rows } => json!({
                    "type": "table",
                    "headers": headers,
                    "rows": rows.iter().map(|r| r.iter().map(crate::query::value_json).collect::<Vec<_>>()).collect::<Vec<_>>(),
                }),
                attune_query::QueryResult::List { items } => json!({
                    "type": "list",
                    "items": items.iter().map(|i| json!({
                        "id": i.id.as_ref().map(crate::query::value_json),
                        "value": i.value.as_ref().map(crate::query::value_json),
                    })).collect::<Vec<_>>(),
                }),
                attune_query::QueryResult::Task { groups } => json!({
                    "type": "task",
                    "groups": groups.iter().map(|g| json!({
                        "key": g.key.as_ref().map(crate::query::value_json),
                        "tasks": g.tasks.iter().map(|t| json!({"path": t.path, "line": t.line, "status": t.status.to_string(), "text": t.text})).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                }),
            };
            Json(json!({ "result": result, "warnings": out.warnings })).into_response()
        }
        Err(e) => error(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
    }
}

/// A change to plan or commit: a new note, or an update of one.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeRequest {
    Create {
        class: String,
        #[serde(default)]
        title: Option<String>,
        /// `[field, text]` pairs; a field repeated gets several values.
        #[serde(default)]
        values: Vec<(String, String)>,
        #[serde(default)]
        create_missing: bool,
    },
    Update {
        /// Path or unique name.
        note: String,
        #[serde(default)]
        set: Vec<(String, String)>,
        #[serde(default)]
        append: Vec<(String, String)>,
        #[serde(default)]
        remove: Vec<String>,
        #[serde(default)]
        reviewed: bool,
    },
}

fn make_plan(site: &Site, request: ChangeRequest) -> attune_engine::plan::Plan {
    let now = attune_engine::create::Now::local();
    match request {
        ChangeRequest::Create {
            class,
            title,
            values,
            create_missing,
        } => attune_engine::create::plan_create(
            &site.ws,
            &attune_engine::create::NewNote {
                class,
                title,
                values,
                create_missing,
            },
            &now,
        ),
        ChangeRequest::Update {
            note,
            set,
            append,
            remove,
            reviewed,
        } => attune_engine::update::plan_update(
            &site.ws,
            &attune_engine::update::NoteUpdate {
                note,
                set,
                append,
                remove,
                reviewed,
            },
            &now,
        ),
    }
}

fn plan_json(plan: &attune_engine::plan::Plan) -> Json_ {
    json!({
        "summary": plan.summary,
        "refused": plan.is_refused(),
        "files": plan.files.iter().map(|f| json!({ "path": f.path, "new": f.is_new(), "diff": f.diff() })).collect::<Vec<_>>(),
        "diagnostics": plan.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
    })
}

/// `POST /api/plans` `{"create": {…}}` or `{"update": {…}}`: what the change would write
/// (diffs) and its diagnostics. Writes nothing.
pub async fn plan(State(state): State<AppState>, Json(request): Json<ChangeRequest>) -> Response {
    let site = state.site();
    let plan = make_plan(&site, request);
    let status = if plan.is_refused() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, Json(plan_json(&plan))).into_response()
}

/// `POST /api/commits`: plan the change against the current vault and commit it in one
/// checked transaction (refused plans and files changed on disk meanwhile write nothing).
pub async fn commit(State(state): State<AppState>, Json(request): Json<ChangeRequest>) -> Response {
    let _writing = state.0.writing.lock().await;
    let site = state.site();
    let plan = make_plan(&site, request);
    drop(site);
    if plan.is_refused() {
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(plan_json(&plan))).into_response();
    }
    let root = state.0.root.clone();
    let s = state.clone();
    let result = tokio::task::spawn_blocking(move || {
        let written: Vec<std::path::PathBuf> =
            plan.files.iter().map(|f| f.path.clone().into()).collect();
        let committed = attune_engine::commit::commit(&root, &plan).map(|_| plan);
        if committed.is_ok() {
            // Load what was written now, so the watcher's echo finds nothing new.
            let _ = s.refresh(Origin::Attune, &written);
        }
        committed
    })
    .await;
    match result {
        Ok(Ok(plan)) => {
            let mut body = plan_json(&plan);
            body["version"] = json!(state.version());
            Json(body).into_response()
        }
        Ok(Err(attune_engine::commit::EditError::Refused(errors))) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "error": "refused", "diagnostics": errors.iter().map(diagnostic_json).collect::<Vec<_>>() })),
        )
            .into_response(),
        Ok(Err(e)) => error(StatusCode::CONFLICT, &e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// `POST /api/reload`: read the vault again now (the watcher does this by itself).
pub async fn reload(State(state): State<AppState>) -> Response {
    let _guard = state.0.writing.lock().await;
    let s = state.clone();
    match tokio::task::spawn_blocking(move || s.reload(Origin::External)).await {
        Ok(Ok(change)) => {
            Json(json!({ "version": state.version(), "change": change })).into_response()
        }
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}
