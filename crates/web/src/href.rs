//! The addresses of the site's pages, built in one place so every link matches a route.

/// Percent-encode a path for a URL, keeping `/` between segments.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() * 2);
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-encode one query-string or path component (`/` encoded too).
pub fn encode_component(text: &str) -> String {
    encode_path(text).replace('/', "%2F")
}

/// A note's page; `path` is vault-relative with `.md`.
pub fn note(path: &str) -> String {
    format!("/notes/{}", encode_path(path))
}

/// An attachment of the vault (`/file/…`).
pub fn file(path: &str) -> String {
    format!("/file/{}", encode_path(path))
}

/// A note's edit form.
pub fn edit(path: &str) -> String {
    format!("/edit/{}", encode_path(path))
}

/// A class's page (short name).
pub fn class(short_name: &str) -> String {
    format!("/types/{}", encode_component(short_name))
}

/// The create form of a class.
pub fn new_note(short_name: &str) -> String {
    format!("/new/{}", encode_component(short_name))
}

/// The page of a link target that does not exist yet.
pub fn missing(name: &str) -> String {
    format!("/missing?name={}", encode_component(name))
}

/// The graph around a note.
pub fn graph_note(path: &str, depth: u8) -> String {
    format!("/graph?note={}&depth={depth}", encode_component(path))
}

/// Obsidian's own URL for a note (`obsidian://open?vault=…&file=…`).
pub fn obsidian(vault_name: &str, path: &str) -> String {
    let file = path.strip_suffix(".md").unwrap_or(path);
    format!(
        "obsidian://open?vault={}&file={}",
        encode_component(vault_name),
        encode_component(file)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_per_segment() {
        assert_eq!(
            note("ME/⚡ Triggers/A b.md"),
            "/notes/ME/%E2%9A%A1%20Triggers/A%20b.md"
        );
        assert_eq!(class("a/b"), "/types/a%2Fb");
        assert_eq!(
            obsidian("My Vault", "ME/x y.md"),
            "obsidian://open?vault=My%20Vault&file=ME%2Fx%20y"
        );
        assert_eq!(note("<script>?#&.md"), "/notes/%3Cscript%3E%3F%23%26.md");
    }
}
