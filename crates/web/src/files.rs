//! `GET /file/{path}`: the vault's attachments (images, audio, PDFs, …) for `![[pic.png]]`
//! embeds and links to files that are not notes.
//!
//! *Invariant*: only a file the vault scan found as an attachment is served — so never a
//! note's neighbour outside the vault, never anything under a dot-folder (`.obsidian/`,
//! `.git/`, `.attune/`), never a symbolic link — and only images, audio, video and PDFs are
//! shown in the browser; anything else (HTML, SVG scripts, JavaScript) is a download that
//! cannot run in the app's origin.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use attune_store::Disk;

use crate::state::AppState;

/// The policy of a served file: no script, no plugin; a document (SVG, PDF) gets its own
/// sandboxed origin.
pub const FILE_CSP: &str = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";

/// How a file is served: its content type and whether the browser may show it inline.
pub fn file_type(path: &str) -> (&'static str, bool) {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => ("image/png", true),
        "jpg" | "jpeg" => ("image/jpeg", true),
        "gif" => ("image/gif", true),
        "webp" => ("image/webp", true),
        "avif" => ("image/avif", true),
        "bmp" => ("image/bmp", true),
        "ico" => ("image/x-icon", true),
        "svg" => ("image/svg+xml", true),
        "mp3" => ("audio/mpeg", true),
        "m4a" => ("audio/mp4", true),
        "ogg" | "oga" => ("audio/ogg", true),
        "wav" => ("audio/wav", true),
        "flac" => ("audio/flac", true),
        "webm" => ("video/webm", true),
        "mp4" | "m4v" => ("video/mp4", true),
        "mov" => ("video/quicktime", true),
        "pdf" => ("application/pdf", true),
        _ => ("application/octet-stream", false),
    }
}

/// Whether `![[path]]` shows as an image.
pub fn is_image(path: &str) -> bool {
    file_type(path).0.starts_with("image/")
}

/// Whether `![[path]]` plays as audio or video.
pub fn media_kind(path: &str) -> Option<&'static str> {
    let t = file_type(path).0;
    if t.starts_with("audio/") {
        Some("audio")
    } else if t.starts_with("video/") {
        Some("video")
    } else {
        None
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such file in this vault").into_response()
}

pub async fn serve_file(State(state): State<AppState>, Path(path): Path<String>) -> Response {
    if path
        .split('/')
        .any(|part| part.is_empty() || part.starts_with('.'))
        || path.contains('\\')
    {
        return not_found();
    }
    let site = state.site();
    let key = attune_store::path::nfc(&path);
    let Some(on_disk) = site
        .ws
        .vault
        .other_files
        .iter()
        .find(|f| *f.on_disk == *path || f.key() == key)
        .map(|f| f.on_disk.clone())
    else {
        return not_found();
    };
    let root = site.root.clone();
    drop(site);
    let read = tokio::task::spawn_blocking(move || read_inside(&root, &on_disk)).await;
    let Ok(Some(bytes)) = read else {
        return not_found();
    };
    let (content_type, inline) = file_type(&path);
    let name = path.rsplit('/').next().unwrap_or("file");
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        crate::href::encode_component(name)
    );
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        bytes,
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(FILE_CSP),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The bytes of `rel` when it is a plain file (not a link) whose real place is inside `root`.
fn read_inside(root: &std::path::Path, rel: &str) -> Option<Vec<u8>> {
    let abs = root.join(rel);
    let md = std::fs::symlink_metadata(&abs).ok()?;
    if !md.is_file() {
        return None;
    }
    let real = abs.canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    if !real.starts_with(&real_root) {
        return None;
    }
    attune_store::RealDisk.read(&real).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_media_is_shown_inline() {
        assert_eq!(file_type("a/B.PNG"), ("image/png", true));
        assert_eq!(file_type("x.pdf"), ("application/pdf", true));
        assert_eq!(file_type("page.html"), ("application/octet-stream", false));
        assert_eq!(file_type("evil.js"), ("application/octet-stream", false));
        assert_eq!(file_type("noext"), ("application/octet-stream", false));
        assert!(is_image("x.webp") && !is_image("x.mp3"));
        assert_eq!(media_kind("x.mp3"), Some("audio"));
    }
}
