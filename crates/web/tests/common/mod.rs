//! Test helpers: write a vault into a temporary folder, drive the router with `oneshot`.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, dead_code)] // test helpers: fixture vaults, panics are failures

use std::path::Path;

use attune_web::{Access, AppState, router};
use axum::body::Body;
use axum::http::{Request, Response, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Write `(path, text)` files under `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (p, t) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
}

pub struct App {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    pub router: axum::Router,
}

impl App {
    pub fn new(files: &[(&str, &str)]) -> App {
        App::with_access(files, Access::default())
    }

    pub fn with_access(files: &[(&str, &str)], access: Access) -> App {
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), files);
        let state = AppState::load(dir.path(), access).unwrap();
        // The search index is built in the background; tests search at once.
        assert!(state.wait_for_search(), "the search index builds");
        let router = router(state.clone());
        App { dir, state, router }
    }

    pub fn csrf(&self) -> String {
        self.state.0.csrf.clone()
    }

    pub async fn send(&self, request: Request<Body>) -> (u16, Response<()>, String) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        (parts.status.as_u16(), Response::from_parts(parts, ()), text)
    }

    /// GET with a loopback Host.
    pub async fn get(&self, uri: &str) -> (u16, String) {
        let req = Request::get(uri)
            .header(header::HOST, "127.0.0.1:7878")
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = self.send(req).await;
        (status, body)
    }

    /// POST a JSON body with the session's CSRF token and a same-origin Origin.
    pub async fn post_json(&self, uri: &str, json: &str) -> (u16, String) {
        let req = Request::post(uri)
            .header(header::HOST, "127.0.0.1:7878")
            .header(header::ORIGIN, "http://127.0.0.1:7878")
            .header("x-csrf-token", self.csrf())
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_owned()))
            .unwrap();
        let (status, _, body) = self.send(req).await;
        (status, body)
    }
}

/// Every `href="…"` of a page that points inside the site, unescaped.
pub fn internal_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        rest = &rest[at + 6..];
        let Some(end) = rest.find('"') else { break };
        let link = rest[..end]
            .replace("&amp;", "&")
            .replace("&#39;", "'")
            .replace("&quot;", "\"");
        rest = &rest[end..];
        if link.starts_with('/') && !link.starts_with("//") {
            out.push(link.split('#').next().unwrap_or("").to_owned());
        }
    }
    out
}
