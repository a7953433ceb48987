//! HTTP tests of every route and API call over a small fixture vault written here: status
//! codes, escaping of hostile names and values, the CSRF / Origin / Host guards, the
//! security headers, live dataview tables, search, reloads and live events.
#![allow(clippy::disallowed_methods, clippy::unwrap_used)] // the tests edit fixture files on disk; helpers panic on failure

mod common;

use attune_web::site::Resolved;
use attune_web::{Access, Origin};
use axum::body::Body;
use axum::http::{Request, header};
use common::{App, internal_links};

const FIXTURE: &[(&str, &str)] = &[
    (
        ".obsidian/plugins/metadata-menu/data.json",
        r#"{"classFilesPath": "Meta/fileClass/", "fileIndexingExcludedFolders": ["Meta/"]}"#,
    ),
    (
        "attune.toml",
        r#"
[class.trigger]
folder = "Triggers"
naming = "title-case"
body = ["What it sets off"]

[class.trigger.relations]
calms = "emotion"

[class.trigger.groups.trigger_type]
by = "trigger_group"
options.Relational = ["Rejection", "Criticism"]
options.Environmental = ["Crowds", "Loud Noises"]

[class.emotion]
folder = "Emotions"
naming = "title-case"
"#,
    ),
    (
        "Meta/fileClass/trigger.md",
        r#"---
fields:
  - name: status
    type: Select
    options:
      sourceType: ValuesList
      valuesList: ["🟧 in progress", "🟨 review", "🟩 complete"]
    path: ""
    id: s1
  - name: trigger_group
    type: Select
    options:
      sourceType: ValuesList
      valuesList: [Relational, Environmental]
    path: ""
    id: g1
  - name: trigger_type
    type: Select
    options:
      sourceType: ValuesList
      valuesList: [Rejection, Criticism, Crowds, Loud Noises]
    path: ""
    id: t1
  - name: calms
    type: MultiFile
    options: {}
    path: ""
    id: c1
  - name: intense
    type: Boolean
    options: {}
    path: ""
    id: i1
---
"#,
    ),
    (
        "Meta/fileClass/emotion.md",
        r#"---
fields:
  - name: status
    type: Input
    options: {}
    path: ""
    id: s2
---
"#,
    ),
    (
        "Triggers/Crowded Rooms.md",
        "---\nstatus: 🟩 complete\ntrigger_group: Environmental\ntrigger_type: Crowds\ncalms: [\"[[Calm]]\"]\nintense: true\n---\nToo many voices at once. See [[Calm]].\n",
    ),
    (
        "Triggers/Unfinished.md",
        "---\nstatus: 🟧 in progress\ntrigger_group: Relational\n---\nStill thinking about this café moment.\n",
    ),
    (
        "Triggers/<script>alert(1)</script>.md",
        "---\ntitle: \"<script>alert('title')</script>\"\nstatus: \"<img src=x onerror=alert(2)>\"\ntrigger_group: Relational\n---\n<script>alert('body')</script>\n\n[[Crowded Rooms|<b>bold</b>]]\n",
    ),
    (
        "Emotions/Calm.md",
        "---\nstatus: 🟩 complete\n---\n# Calm\n\n> [!tip] Breathe\n> Slowly, in and out.\n\nhidden %%private thought%% text\n\n```dataview\nTABLE trigger_group AS \"Group\"\nFROM \"Triggers\"\nWHERE status\nSORT file.name ASC\n```\n",
    ),
    ("Emotions/Empty.md", ""),
    (
        "Notes/Loose.md",
        "An untyped note that links to [[Missing Note]] and [[Calm]]. ⚡ energy\n\n![[calm sea.png]] and [[page.html]] and ![](../Emotions/calm%20sea.png)\n",
    ),
    ("Emotions/calm sea.png", "not really a png"),
    ("Notes/page.html", "<script>alert('from a file')</script>"),
    (".obsidian/app.json", "{\"secret\": true}"),
];

fn app() -> App {
    App::new(FIXTURE)
}

const CRS: &str = "/notes/Triggers/Crowded%20Rooms.md";
const HOSTILE: &str = "/notes/Triggers/%3Cscript%3Ealert%281%29%3C/script%3E.md";

#[tokio::test]
async fn every_page_and_api_route_answers() {
    let app = app();
    let ok = [
        "/",
        "/types/trigger",
        "/types/emotion",
        CRS,
        "/notes/Triggers/Unfinished.md",
        HOSTILE,
        "/notes/Emotions/Calm.md",
        "/notes/Emotions/Empty.md",
        "/notes/Notes/Loose.md",
        "/missing?name=Missing%20Note",
        "/search",
        "/search?q=crowd",
        "/check",
        "/check?code=link/dangling",
        "/check?folder=Notes",
        "/graph",
        "/graph?note=Triggers/Crowded%20Rooms.md&depth=2",
        "/graph?class=trigger",
        "/lab",
        "/insights",
        "/file/Emotions/calm%20sea.png",
        "/new/trigger",
        "/edit/Triggers/Crowded%20Rooms.md",
        "/assets/app.css",
        "/assets/app.js",
        "/assets/vendor/htmx-2.0.4.min.js",
        "/assets/vendor/cytoscape-3.30.4.min.js",
        "/api/session",
        "/api/classes",
        "/api/classes/trigger",
        "/api/notes",
        "/api/notes?class=trigger&q=crowd",
        "/api/notes/Triggers/Crowded%20Rooms.md",
        "/api/search?q=calm",
        "/api/check",
        "/api/check?code=link/dangling",
        "/api/graph?note=Emotions/Calm.md&depth=3",
        "/api/graph?class=emotion",
        "/api/forms/trigger",
        "/api/forms/trigger?path=Triggers/Crowded%20Rooms.md",
        "/api/insights",
        "/assets/vendor/chart-4.6.1.umd.min.js",
    ];
    for uri in ok {
        let (status, body) = app.get(uri).await;
        assert_eq!(status, 200, "{uri}: {body}");
    }
    let missing = [
        "/nope",
        "/types/nope",
        "/notes/Triggers/Nope.md",
        "/lab/Nope.md",
        "/new/nope",
        "/edit/Nope.md",
        "/assets/nope.js",
        "/api/classes/nope",
        "/api/notes/Nope.md",
        "/api/notes?class=nope",
        "/api/forms/nope",
        "/api/forms/trigger?path=Nope.md",
        "/api/graph?note=Nope.md",
        "/api/graph",
        "/file/nope.png",
    ];
    for uri in missing {
        let (status, body) = app.get(uri).await;
        assert_eq!(status, 404, "{uri}: {body}");
    }
}

#[tokio::test]
async fn pages_link_only_to_pages_that_exist() {
    let app = app();
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec!["/".to_owned()];
    while let Some(uri) = queue.pop() {
        if !seen.insert(uri.clone()) || uri == "/events" {
            continue;
        }
        let (status, body) = app.get(&uri).await;
        assert_eq!(status, 200, "{uri}");
        if !uri.starts_with("/assets/") && !uri.starts_with("/api/") {
            queue.extend(internal_links(&body));
        }
    }
    assert!(seen.len() > 20, "{seen:?}");
    assert!(seen.contains(CRS), "{seen:?}");
}

#[tokio::test]
async fn hostile_names_and_values_are_escaped_everywhere() {
    let app = app();
    for uri in [
        HOSTILE,
        "/types/trigger",
        "/",
        "/search?q=alert",
        "/check",
        "/graph?class=trigger",
        "/insights",
        "/edit/Triggers/%3Cscript%3Ealert%281%29%3C/script%3E.md",
    ] {
        let (status, body) = app.get(uri).await;
        assert_eq!(status, 200, "{uri}");
        for raw in ["<script>alert", "<img src=x", "<b>bold</b>"] {
            assert!(!body.contains(raw), "{uri} contains raw {raw}");
        }
    }
    let (_, body) = app.get(HOSTILE).await;
    assert!(
        body.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
        "{body}"
    );
    assert!(
        body.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{body}"
    );
    // The only scripts are our own files.
    for line in body.lines().filter(|l| l.contains("<script")) {
        assert!(line.contains("src=\"/assets/"), "{line}");
    }
}

#[tokio::test]
async fn note_page_shows_fields_links_callouts_and_live_queries() {
    let app = app();
    let (_, calm) = app.get("/notes/Emotions/Calm.md").await;
    assert!(calm.contains("data-callout=\"tip\""), "callout");
    assert!(!calm.contains("private thought"), "%% comment hidden");
    // The dataview block is a live table of the Triggers folder.
    assert!(calm.contains("<table class=\"query-table"), "{calm}");
    assert!(
        calm.contains(">Crowded Rooms</a>") && calm.contains("Environmental"),
        "{calm}"
    );
    // Backlinks grouped by the linking note's type and field.
    assert!(calm.contains("trigger · calms"), "{calm}");
    assert!(calm.contains("obsidian://open?vault="), "{calm}");

    let (_, crowded) = app.get(CRS).await;
    assert!(
        crowded.contains("<span class=\"chip\">🟩 complete</span>"),
        "status chip"
    );
    assert!(
        crowded.contains("href=\"/notes/Emotions/Calm.md\""),
        "field link"
    );
    assert!(crowded.contains("calms → emotion"), "relation label");
    assert!(
        crowded.contains("<span class=\"bool yes\">yes</span>"),
        "toggle"
    );

    let (_, loose) = app.get("/notes/Notes/Loose.md").await;
    assert!(
        loose.contains("href=\"/missing?name=Missing%20Note\""),
        "{loose}"
    );
    assert!(
        loose.contains("link/dangling"),
        "diagnostic on the note page"
    );
}

#[tokio::test]
async fn type_page_splits_review_and_completed_with_field_columns() {
    let app = app();
    let (_, page) = app.get("/types/trigger").await;
    let review = page.find("To Review").unwrap();
    let completed = page.find("Completed").unwrap();
    let crowded = page.find(">Crowded Rooms<").unwrap();
    let unfinished = page.find(">Unfinished<").unwrap();
    assert!(
        review < unfinished && unfinished < completed && completed < crowded,
        "splits"
    );
    for col in ["trigger_group", "trigger_type", "calms", "intense"] {
        assert!(
            page.contains(&format!("data-sort>{col}</button>")),
            "column {col}"
        );
    }
    assert!(page.contains("href=\"/new/trigger\""), "New button");
}

#[tokio::test]
async fn form_offers_group_dependent_types_and_link_choices() {
    let app = app();
    let (_, form) = app.get("/new/trigger").await;
    assert!(form.contains("data-group-by=\"f-trigger_group\""), "{form}");
    assert!(form.contains("<optgroup label=\"Environmental\" data-group=\"Environmental\"><option >Crowds</option>"), "{form}");
    assert!(form.contains("name=\"_csrf\""), "csrf field");
    assert!(
        form.contains("name=\"section:What it sets off\""),
        "body section"
    );
    let (_, json) = app
        .get("/api/forms/trigger?path=Triggers/Crowded%20Rooms.md")
        .await;
    let form: serde_json::Value = serde_json::from_str(&json).unwrap();
    let calms = form["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "calms")
        .unwrap();
    assert_eq!(calms["input"]["kind"], "link");
    assert_eq!(
        calms["input"]["choices"],
        serde_json::json!(["Calm", "Empty"])
    );
    assert_eq!(calms["values"], serde_json::json!(["Calm"]));
}

#[tokio::test]
async fn search_is_diacritics_insensitive_prefix_and_emoji() {
    let app = app();
    let (_, hits) = app.get("/api/search?q=cafe").await;
    assert!(hits.contains("Triggers/Unfinished.md"), "{hits}");
    let (_, hits) = app.get("/api/search?q=crow").await;
    assert!(hits.contains("Triggers/Crowded Rooms.md"), "{hits}");
    let (_, hits) = app.get("/api/search?q=%E2%9A%A1").await;
    assert!(hits.contains("Notes/Loose.md"), "{hits}");
    let (_, page) = app.get("/search?q=voices").await;
    assert!(page.contains("<mark>voices</mark>"), "{page}");
}

#[tokio::test]
async fn api_returns_notes_classes_and_queries() {
    let app = app();
    let (_, note) = app.get("/api/notes/Triggers/Crowded%20Rooms.md").await;
    let note: serde_json::Value = serde_json::from_str(&note).unwrap();
    assert_eq!(note["class"], "trigger");
    assert_eq!(note["fields"]["calms"][0]["path"], "Emotions/Calm.md");
    assert_eq!(
        note["backlinks"][0]["path"],
        "Triggers/<script>alert(1)</script>.md"
    );
    let (_, classes) = app.get("/api/classes").await;
    let classes: serde_json::Value = serde_json::from_str(&classes).unwrap();
    let trigger = classes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["short_name"] == "trigger")
        .unwrap();
    assert_eq!(trigger["count"], 3);
    let (status, result) = app
        .post_json(
            "/api/query",
            r#"{"query": "LIST FROM \"Emotions\" SORT file.name ASC"}"#,
        )
        .await;
    assert_eq!(status, 200, "{result}");
    let result: serde_json::Value = serde_json::from_str(&result).unwrap();
    assert_eq!(
        result["result"]["items"][0]["id"]["link"],
        "Emotions/Calm.md"
    );
    let (status, _) = app
        .post_json("/api/query", r#"{"query": "TABLE FROM WHERE ("}"#)
        .await;
    assert_eq!(status, 422);
}

fn post(uri: &str) -> axum::http::request::Builder {
    Request::post(uri).header(header::HOST, "localhost:7878")
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token_and_same_origin() {
    let app = app();
    let token = app.csrf();
    let cases: Vec<(Request<Body>, u16, &str)> = vec![
        (
            post("/api/reload").body(Body::empty()).unwrap(),
            403,
            "no token",
        ),
        (
            post("/api/reload")
                .header("x-csrf-token", "wrong")
                .body(Body::empty())
                .unwrap(),
            403,
            "wrong token",
        ),
        (
            post("/api/reload")
                .header("x-csrf-token", &token)
                .body(Body::empty())
                .unwrap(),
            200,
            "header token",
        ),
        (
            post("/api/reload")
                .header("x-csrf-token", &token)
                .header(header::ORIGIN, "http://evil.example")
                .body(Body::empty())
                .unwrap(),
            403,
            "cross-origin with token",
        ),
        (
            post("/api/reload")
                .header("x-csrf-token", &token)
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())
                .unwrap(),
            403,
            "cross-site fetch",
        ),
        (
            post("/api/reload")
                .header("x-csrf-token", &token)
                .header(header::ORIGIN, "http://localhost:7878")
                .body(Body::empty())
                .unwrap(),
            200,
            "same origin",
        ),
        (
            post("/new/trigger")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("title=X&_csrf=nope"))
                .unwrap(),
            403,
            "form with wrong token",
        ),
        (
            post("/new/trigger")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("title=X&_action=preview&_csrf={token}")))
                .unwrap(),
            200,
            "form with token reaches the handler",
        ),
    ];
    for (request, expected, why) in cases {
        let (status, response, body) = app.send(request).await;
        assert_eq!(status, expected, "{why}: {body}");
        assert!(
            response
                .headers()
                .contains_key(header::CONTENT_SECURITY_POLICY),
            "{why}: CSP on refusals too"
        );
    }
}

#[tokio::test]
async fn non_loopback_host_is_refused() {
    let app = app();
    for (host, expected) in [
        ("evil.example", 403),
        ("evil.example:7878", 403),
        ("127.0.0.1.nip.io", 403),
        ("localhost:9", 200),
        ("[::1]:7878", 200),
    ] {
        let req = Request::get("/")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let (status, _, _) = app.send(req).await;
        assert_eq!(status, expected, "{host}");
    }
    let req = Request::get("/").body(Body::empty()).unwrap();
    assert_eq!(app.send(req).await.0, 400, "no Host at all");
}

#[tokio::test]
async fn every_response_carries_a_strict_csp() {
    let app = app();
    for uri in ["/", CRS, "/nope", "/api/classes", "/assets/app.js"] {
        let req = Request::get(uri)
            .header(header::HOST, "localhost")
            .body(Body::empty())
            .unwrap();
        let (_, response, _) = app.send(req).await;
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            csp.contains("script-src 'self'")
                && csp.contains("default-src 'none'")
                && !csp.contains("unsafe"),
            "{csp}"
        );
        assert_eq!(
            response.headers()[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff"
        );
        assert_eq!(response.headers()[header::X_FRAME_OPTIONS], "DENY");
    }
    let (_, page) = app.get("/").await;
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no request leaves the machine"
    );
}

#[tokio::test]
async fn remote_access_needs_the_token() {
    let app = App::with_access(
        FIXTURE,
        Access {
            token: Some("s3cret-token-0123456789".into()),
        },
    );
    let get = |auth: Option<&str>, uri: &str| {
        let mut b = Request::get(uri).header(header::HOST, "192.168.1.20:7878");
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        b.body(Body::empty()).unwrap()
    };
    assert_eq!(app.send(get(None, "/")).await.0, 401);
    assert_eq!(app.send(get(Some("Bearer wrong"), "/")).await.0, 401);
    assert_eq!(
        app.send(get(Some("Bearer s3cret-token-0123456789"), "/"))
            .await
            .0,
        200
    );
    let (status, response, _) = app
        .send(get(None, "/types/trigger?token=s3cret-token-0123456789"))
        .await;
    assert_eq!(status, 303);
    assert_eq!(response.headers()[header::LOCATION], "/types/trigger");
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let req = Request::get("/")
        .header(header::HOST, "192.168.1.20:7878")
        .header(header::COOKIE, "attune_token=s3cret-token-0123456789")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.0, 200);
}

#[tokio::test]
async fn external_edits_reload_and_are_announced_once() {
    let app = app();
    let mut events = app.state.subscribe();
    // Nothing changed: nothing to announce (this is how attune's own writes stay quiet).
    assert!(app.state.reload(Origin::External).unwrap().is_none());
    let path = app.dir.path().join("Triggers/Crowded Rooms.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Environmental", "Relational");
    std::fs::write(&path, text).unwrap();
    std::fs::write(
        app.dir.path().join("Triggers/Brand New.md"),
        "---\nstatus: 🟨 review\n---\nfresh\n",
    )
    .unwrap();
    let change = app
        .state
        .reload(Origin::External)
        .unwrap()
        .expect("a change");
    assert_eq!(
        change.paths,
        ["Triggers/Brand New.md", "Triggers/Crowded Rooms.md"]
    );
    assert_eq!(change.origin, Origin::External);
    let sent = events.try_recv().unwrap();
    assert_eq!(sent.version, change.version);
    assert!(
        app.state.reload(Origin::External).unwrap().is_none(),
        "a second reload finds nothing new"
    );
    let (_, page) = app.get("/types/trigger").await;
    assert!(page.contains(">Brand New<"), "new note listed");
    let (_, hits) = app.get("/api/search?q=fresh").await;
    assert!(hits.contains("Brand New"), "search index updated: {hits}");
    std::fs::remove_file(app.dir.path().join("Triggers/Brand New.md")).unwrap();
    let change = app
        .state
        .reload(Origin::External)
        .unwrap()
        .expect("a removal");
    assert_eq!(change.paths, ["Triggers/Brand New.md"]);
    let (_, hits) = app.get("/api/search?q=fresh").await;
    assert_eq!(hits, "[]");
}

#[tokio::test]
async fn events_stream_says_hello_with_the_version() {
    let app = app();
    let req = Request::get("/events")
        .header(header::HOST, "localhost")
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut body = response.into_body();
    let frame = http_body_util::BodyExt::frame(&mut body)
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert_eq!(text, "event: hello\ndata: 1\n\n");
}

async fn post_form(app: &App, uri: &str, fields: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let mut body = form_urlencoded::Serializer::new(String::new());
    body.append_pair("_csrf", &app.csrf());
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    let req = Request::post(uri)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::ORIGIN, "http://127.0.0.1:7878")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.finish()))
        .unwrap();
    let (status, response, text) = app.send(req).await;
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_owned());
    (status, text, location)
}

const NEW_TRIGGER: &[(&str, &str)] = &[
    ("title", "loud kitchens"),
    ("trigger_group", "Environmental"),
    ("trigger_type", "Loud Noises"),
    ("calms", "Calm"),
    ("section:What it sets off", "My shoulders go up."),
];

#[tokio::test]
async fn create_previews_the_plan_then_commits_it() {
    let app = app();
    let mut events = app.state.subscribe();
    let mut fields = NEW_TRIGGER.to_vec();
    fields.push(("_action", "preview"));
    let (status, page, _) = post_form(&app, "/new/trigger", &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("+++ b/Triggers/Loud Kitchens.md"), "{page}");
    assert!(page.contains("+trigger_type: Loud Noises"), "{page}");
    assert!(page.contains("+My shoulders go up."), "{page}");
    let file = app.dir.path().join("Triggers/Loud Kitchens.md");
    assert!(!file.exists(), "a preview writes nothing");

    let mut fields = NEW_TRIGGER.to_vec();
    fields.push(("_action", "commit"));
    let (status, page, location) = post_form(&app, "/new/trigger", &fields).await;
    assert_eq!(status, 303, "{page}");
    assert_eq!(
        location.as_deref(),
        Some("/notes/Triggers/Loud%20Kitchens.md")
    );
    let text = std::fs::read_to_string(&file).unwrap();
    for line in [
        "trigger_group: Environmental",
        "trigger_type: Loud Noises",
        "## What it sets off\n---\nMy shoulders go up.\n",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    let change = events.try_recv().expect("open pages hear about it");
    assert_eq!(change.origin, Origin::Attune);
    assert_eq!(change.paths, ["Triggers/Loud Kitchens.md"]);
    assert!(
        app.state.reload(Origin::External).unwrap().is_none(),
        "the watcher's echo of our own write is not news"
    );
    let (_, page) = app.get("/types/trigger").await;
    assert!(page.contains(">Loud Kitchens<"), "listed on the type page");
}

#[tokio::test]
async fn create_refuses_a_type_outside_its_group_with_a_field_error() {
    let app = app();
    let fields = [
        ("title", "Mixed Up"),
        ("trigger_group", "Relational"),
        ("trigger_type", "Crowds"),
        ("_action", "commit"),
    ];
    let (status, page, _) = post_form(&app, "/new/trigger", &fields).await;
    assert_eq!(status, 422, "{page}");
    let error = page
        .split("kind-grouped has-error")
        .nth(1)
        .expect("the type field is marked");
    let error = &error[..error.find("</div>").unwrap()];
    assert!(
        error.contains("field-error") && error.contains("Crowds"),
        "{error}"
    );
    assert!(!app.dir.path().join("Triggers/Mixed Up.md").exists());
}

#[tokio::test]
async fn edit_changes_only_the_changed_field_and_refuses_on_conflict() {
    let app = app();
    let (_, form) = app.get("/edit/Triggers/Crowded%20Rooms.md").await;
    let base = form
        .split("name=\"_base\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let path = app.dir.path().join("Triggers/Crowded Rooms.md");
    let before = std::fs::read_to_string(&path).unwrap();
    let fields = [
        ("_base", base.as_str()),
        ("status", "🟩 complete"),
        ("trigger_group", "Environmental"),
        ("trigger_type", "Loud Noises"),
        ("calms", "Calm"),
        ("intense", "false"),
        ("intense", "true"),
        ("_action", "commit"),
    ];
    let (status, page, location) =
        post_form(&app, "/edit/Triggers/Crowded%20Rooms.md", &fields).await;
    assert_eq!(status, 303, "{page}");
    assert_eq!(
        location.as_deref(),
        Some("/notes/Triggers/Crowded%20Rooms.md")
    );
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("trigger_type: Loud Noises"), "{after}");
    let changed: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert!(
        changed
            .iter()
            .all(|l| l.starts_with("trigger_type:") || l.starts_with("last_modified:")),
        "{changed:?}"
    );

    // The form was opened before this external edit: saving it is a conflict.
    std::fs::write(&path, after.replace("Too many voices", "Too many people")).unwrap();
    app.state.reload(Origin::External).unwrap();
    let mut stale = fields.to_vec();
    stale[3] = ("trigger_type", "Crowds");
    let (status, page, _) = post_form(&app, "/edit/Triggers/Crowded%20Rooms.md", &stale).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("changed on disk"), "{page}");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("trigger_type: Loud Noises"),
        "nothing written"
    );
}

#[tokio::test]
async fn api_plans_and_commits() {
    let app = app();
    let create = r#"{"create": {"class": "trigger", "title": "Phone Ringing", "values": [["trigger_group", "Environmental"], ["trigger_type", "Loud Noises"]]}}"#;
    let (status, plan) = app.post_json("/api/plans", create).await;
    assert_eq!(status, 200, "{plan}");
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    assert_eq!(plan["files"][0]["path"], "Triggers/Phone Ringing.md");
    assert!(!app.dir.path().join("Triggers/Phone Ringing.md").exists());
    let bad =
        r#"{"create": {"class": "trigger", "title": "X", "values": [["trigger_group", "Nope"]]}}"#;
    assert_eq!(app.post_json("/api/plans", bad).await.0, 422);
    let (status, body) = app.post_json("/api/commits", create).await;
    assert_eq!(status, 200, "{body}");
    assert!(app.dir.path().join("Triggers/Phone Ringing.md").exists());
    let update =
        r#"{"update": {"note": "Triggers/Phone Ringing.md", "set": [["trigger_type", "Crowds"]]}}"#;
    let (status, body) = app.post_json("/api/commits", update).await;
    assert_eq!(status, 200, "{body}");
    let text = std::fs::read_to_string(app.dir.path().join("Triggers/Phone Ringing.md")).unwrap();
    assert!(text.contains("trigger_type: Crowds"), "{text}");
    let (_, note) = app.get("/api/notes/Triggers/Phone%20Ringing.md").await;
    assert!(
        note.contains("\"trigger_type\":\"Crowds\""),
        "the snapshot is current: {note}"
    );
}

#[tokio::test]
async fn create_form_is_prefilled_from_the_address() {
    let app = app();
    let (status, form) = app
        .get("/new/trigger?title=From%20Link&trigger_group=Environmental&calms=Calm")
        .await;
    assert_eq!(status, 200);
    assert!(
        form.contains("name=\"title\" type=\"text\" value=\"From Link\""),
        "{form}"
    );
    assert!(
        form.contains("<option selected>Environmental</option>"),
        "{form}"
    );
    assert!(form.contains("<option selected>Calm</option>"), "{form}");
}

#[tokio::test]
async fn attachments_are_served_from_inside_the_vault_only() {
    let app = app();
    // Shown in the page: an embedded picture, a link to a file, a Markdown image by path.
    let (_, page) = app.get("/notes/Notes/Loose.md").await;
    assert!(
        page.contains("<img src=\"/file/Emotions/calm%20sea.png\" alt=\"calm sea.png\""),
        "{page}"
    );
    assert!(page.contains("href=\"/file/Notes/page.html\""), "{page}");
    assert_eq!(
        page.matches("src=\"/file/Emotions/calm%20sea.png\"")
            .count(),
        2,
        "{page}"
    );

    let get = |uri: &str| {
        Request::get(uri)
            .header(header::HOST, "127.0.0.1")
            .body(Body::empty())
            .unwrap()
    };
    let (status, response, body) = app.send(get("/file/Emotions/calm%20sea.png")).await;
    assert_eq!(status, 200);
    assert_eq!(body, "not really a png");
    let h = response.headers();
    assert_eq!(h[header::CONTENT_TYPE], "image/png");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        h[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .ends_with("sandbox")
    );

    // HTML (or script) from the vault never renders in the app's origin: a download.
    let (status, response, _) = app.send(get("/file/Notes/page.html")).await;
    assert_eq!(status, 200);
    let h = response.headers();
    assert_eq!(h[header::CONTENT_TYPE], "application/octet-stream");
    assert!(
        h[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );

    // Outside the vault, dot-folders, notes, traversal, links out: nothing.
    let outside = app
        .dir
        .path()
        .parent()
        .unwrap()
        .join("attune-outside-secret.txt");
    std::fs::write(&outside, "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, app.dir.path().join("Notes/link.png")).unwrap();
    app.state.reload(Origin::External).unwrap();
    for uri in [
        "/file/.obsidian/app.json",
        "/file/.obsidian/plugins/metadata-menu/data.json",
        "/file/Notes/Loose.md",
        "/file/../attune-outside-secret.txt",
        "/file/%2E%2E/attune-outside-secret.txt",
        "/file/Notes/..%2F..%2Fattune-outside-secret.txt",
        "/file/Notes/%2e%2e/%2e%2e/etc/passwd",
        "/file//etc/passwd",
        "/file/Notes/link.png",
        "/file/attune.toml/../Emotions/calm%20sea.png",
    ] {
        let (status, body) = app.get(uri).await;
        assert_eq!(status, 404, "{uri}: {body}");
        assert!(!body.contains("secret"), "{uri}");
    }
    std::fs::remove_file(outside).unwrap();
}

#[tokio::test]
async fn insights_count_what_the_vault_holds() {
    let app = app();
    let (status, body) = app.get("/api/insights").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let chart = |id: &str| {
        json["charts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no chart {id}: {body}"))
            .clone()
    };
    let groups = chart("trigger-groups");
    assert_eq!(
        groups["labels"],
        serde_json::json!(["Relational", "Environmental"])
    );
    assert_eq!(groups["series"][0]["data"], serde_json::json!([2.0, 1.0]));
    // Calm is named by a trigger and by an untyped note.
    let emotions = chart("emotions");
    assert_eq!(emotions["labels"], serde_json::json!(["Calm"]));
    assert_eq!(emotions["series"][0]["data"], serde_json::json!([2.0]));
    assert_eq!(
        emotions["links"],
        serde_json::json!(["/notes/Emotions/Calm.md"])
    );
    let status = chart("status");
    assert!(
        status["labels"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("🟩 complete")),
        "{status}"
    );
    let (_, page) = app.get("/insights").await;
    assert!(page.contains("data-chart=\"emotions\""), "{page}");
    assert!(
        page.contains("/assets/vendor/chart-4.6.1.umd.min.js"),
        "{page}"
    );
    assert!(
        page.contains("href=\"/insights\""),
        "the nav links the page"
    );
}

#[tokio::test]
async fn a_refresh_of_named_paths_announces_exactly_them() {
    let app = app();
    let mut events = app.state.subscribe();
    let dir = app.dir.path();
    std::fs::write(
        dir.join("Emotions/Calm.md"),
        "---\nstatus: 🟨 review\n---\ncalmer now\n",
    )
    .unwrap();
    std::fs::write(dir.join("Triggers/Fresh One.md"), "[[Calm]]\n").unwrap();
    std::fs::remove_file(dir.join("Notes/Loose.md")).unwrap();
    let paths: Vec<std::path::PathBuf> = [
        "Emotions/Calm.md",
        "Triggers/Fresh One.md",
        "Notes/Loose.md",
    ]
    .iter()
    .map(|p| dir.join(p))
    .collect();
    let change = app
        .state
        .refresh(Origin::External, &paths)
        .unwrap()
        .expect("a change");
    assert_eq!(
        change.paths,
        [
            "Emotions/Calm.md",
            "Notes/Loose.md",
            "Triggers/Fresh One.md"
        ]
    );
    assert_eq!(events.try_recv().unwrap().version, change.version);
    // The same paths again: nothing new (how attune's own writes stay quiet).
    assert!(
        app.state
            .refresh(Origin::External, &paths)
            .unwrap()
            .is_none()
    );
    let (_, page) = app.get("/notes/Emotions/Calm.md").await;
    assert!(page.contains("calmer now"), "{page}");
    assert!(
        page.contains("Fresh One"),
        "the new backlink is shown: {page}"
    );
    let (_, hits) = app.get("/api/search?q=calmer").await;
    assert!(hits.contains("Emotions/Calm.md"), "{hits}");
    let (status, _) = app.get("/notes/Notes/Loose.md").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_attachment_that_appears_is_announced_and_linked() {
    let app = app();
    let dir = app.dir.path();
    std::fs::write(dir.join("Notes/Sketch.md"), "See ![[diagram.png]]\n").unwrap();
    let note = [dir.join("Notes/Sketch.md")];
    app.state.refresh(Origin::External, &note).unwrap();
    let site = app.state.site();
    let sketch = site.entry_by_path("Notes/Sketch.md").expect("the new note");
    assert_eq!(site.entries[sketch].links[0].resolved, Resolved::Missing);
    drop(site);
    std::fs::write(dir.join("Notes/diagram.png"), b"\x89PNG").unwrap();
    let change = app
        .state
        .refresh(Origin::External, &[dir.join("Notes/diagram.png")])
        .unwrap()
        .expect("the new attachment is a change");
    assert_eq!(change.paths, ["Notes/diagram.png"]);
    let site = app.state.site();
    assert_eq!(
        site.entries[sketch].links[0].resolved,
        Resolved::File("Notes/diagram.png".to_owned())
    );
}

#[tokio::test]
async fn binding_beyond_loopback_needs_a_token() {
    let app = app();
    let options = |listen: &str, token: Option<&str>| attune_web::ServeOptions {
        vault: app.dir.path().to_path_buf(),
        listen: listen.parse().unwrap(),
        token: token.map(str::to_owned),
        watch: false,
    };
    for listen in ["0.0.0.0:0", "[::]:0"] {
        match attune_web::Server::bind(&options(listen, None)).await {
            Err(attune_web::ServeError::NotLoopback(addr)) => {
                assert_eq!(addr, listen.parse().unwrap())
            }
            Err(e) => panic!("{listen}: {e}"),
            Ok(_) => panic!("{listen}: bound without a token"),
        }
    }
    let server = attune_web::Server::bind(&options("127.0.0.1:0", None))
        .await
        .unwrap();
    assert!(server.addr.ip().is_loopback());
}

#[tokio::test]
async fn long_type_pages_show_their_first_rows_and_search_on_the_server() {
    let mut files: Vec<(String, String)> = FIXTURE
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    for i in 0..230 {
        files.push((
            format!("Emotions/Feeling {i:03}.md"),
            "---\nstatus: 🟩 complete\n---\n".to_owned(),
        ));
    }
    files.push((
        "Emotions/Café Calm.md".to_owned(),
        "---\nstatus: 🟩 complete\n---\n".to_owned(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let app = App::new(&refs);
    let rows = |page: &str| page.matches("<tr><th scope=\"row\"").count();
    let (status, page) = app.get("/types/emotion").await;
    assert_eq!(status, 200);
    // "To Review" holds the empty stub; "Completed" holds 232 notes, shown up to the cap.
    assert_eq!(rows(&page), 1 + attune_web::pages::TYPE_PAGE_ROWS, "capped");
    assert!(
        page.contains("href=\"/types/emotion?all=1\""),
        "show-all link"
    );
    assert!(page.contains("(first 200)"), "says it is capped");
    let (_, page) = app.get("/types/emotion?all=1").await;
    assert_eq!(
        rows(&page),
        232 + 1,
        "every emotion (Calm, Empty stub, 230, Café Calm)"
    );
    // Server-side search: words, accents and case ignored; the show-all link keeps it.
    let (_, page) = app.get("/types/emotion?q=feeling+01").await;
    // Every word anywhere in the row: 001, 010..019, 101, 201.
    assert_eq!(rows(&page), 13);
    let (_, page) = app.get("/types/emotion?q=CAFE").await;
    assert_eq!(rows(&page), 1);
    assert!(page.contains(">Café Calm<"), "{page}");
    let (_, page) = app.get("/types/emotion?q=nothing-like-this").await;
    assert_eq!(rows(&page), 0);
    assert!(page.contains("No match."));
}

/// The built-in demo vault (the self-work pack and its notes) as fixture files.
fn demo_app() -> App {
    let files: Vec<(String, String)> = attune_engine::demo::files()
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    App::new(&refs)
}

#[tokio::test]
async fn practice_lab_shows_a_scenarios_sessions_takes_and_coaching_in_order() {
    let app = demo_app();
    let (status, lab) = app.get("/lab").await;
    assert_eq!(status, 200);
    let scenario =
        "/lab/ME/%F0%9F%A7%AA%20Practice%20Lab/%F0%9F%8E%B2%20Scenarios/The%20Late%20Reply.md";
    assert!(lab.contains(&format!("href=\"{scenario}\"")), "{lab}");
    assert!(lab.contains("1 sessions"), "{lab}");
    let (status, page) = app.get(scenario).await;
    assert_eq!(status, 200);
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in {page}"))
    };
    // Session, then its takes, then its coaching notes.
    assert!(
        at(">The Late Reply_Session-1<") < at(">The Late Reply_Session-1_Live Rehearsal_Take-1<")
    );
    assert!(
        at(">The Late Reply_Session-1_Live Rehearsal_Take-1<")
            < at(">The Late Reply_Session-1_Coaching Session-1<")
    );
    for (label, href) in [
        (
            "New session",
            "/new/practice_session?scenario=The%20Late%20Reply",
        ),
        (
            "New take",
            "/new/live_rehearsal?practice_session=The%20Late%20Reply_Session-1&amp;scenario=The%20Late%20Reply",
        ),
        (
            "New coaching note",
            "/new/coaching?practice_session=The%20Late%20Reply_Session-1&amp;scenario=The%20Late%20Reply",
        ),
    ] {
        assert!(
            page.contains(&format!("href=\"{href}\">{label}</a>")),
            "{label}: {page}"
        );
        let (status, form) = app.get(&href.replace("&amp;", "&")).await;
        assert_eq!(status, 200, "{href}");
        assert!(form.contains("The Late Reply"), "{href} is prefilled");
    }
    // "New take" plans the next take of that session and links it back.
    let (status, body) = app
        .post_json(
            "/api/plans",
            r#"{"create": {"class": "live_rehearsal", "title": "", "values": [["practice_session", "The Late Reply_Session-1"], ["scenario", "The Late Reply"]], "create_missing": false}}"#,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("The Late Reply_Session-1_Live Rehearsal_Take-2"),
        "{body}"
    );
}
