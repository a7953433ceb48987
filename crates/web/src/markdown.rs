//! A note's body as HTML: CommonMark + GFM tables and task lists, Obsidian callouts,
//! `%% comments %%` hidden, wiki-links resolved to the site's pages, raw HTML in notes
//! escaped (never passed through), and each ` ```dataview ` block replaced by what the
//! caller renders for it.

use comrak::nodes::{NodeLink, NodeValue};
use comrak::{Arena, Options, parse_document};

use attune_syntax::LinkTarget;

use crate::href;
use crate::site::{Resolved, Site};

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.tasklist = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.ofm_callouts = true;
    o.extension.ofm_comments = true;
    o.extension.wikilinks_title_after_pipe = true;
    o.extension.header_id_prefix = Some(String::new());
    o.render.r#unsafe = false;
    o.render.escape = true;
    o
}

/// Render the body of the site's entry `from` (or any Markdown text when `from` is
/// `None`). `query` is called for every `dataview`/`dataviewjs` fence with the language and
/// the query text and returns trusted HTML.
pub fn render(
    site: &Site,
    from: Option<usize>,
    text: &str,
    query: &mut dyn FnMut(&str, &str) -> String,
) -> String {
    let arena = Arena::new();
    let options = options();
    let root = parse_document(&arena, text, &options);
    let nonce = format!("attunequery{:x}", text.len() ^ 0x5eed);
    let mut blocks = Vec::new();
    for node in root.descendants() {
        let mut data = node.data_mut();
        match &mut data.value {
            NodeValue::WikiLink(link) => {
                let target = LinkTarget::parse(&link.url);
                if let Resolved::File(p) = site.resolve(from, &target, None) {
                    // `![[pic.png]]` shows the picture; other files are links to them.
                    let url = href::file(&p);
                    if link.embed && crate::files::is_image(&p) {
                        data.value = NodeValue::Image(Box::new(NodeLink {
                            url,
                            title: String::new(),
                        }));
                    } else {
                        link.url = url;
                    }
                    continue;
                }
                link.url = match site.resolve(from, &target, None) {
                    r @ (Resolved::Note(_) | Resolved::Ambiguous(_)) => {
                        let i = r.note().expect("a note was found");
                        let mut url = href::note(&site.entries[i].path);
                        if let Some(f) = &target.fragment {
                            url.push('#');
                            url.push_str(&href::encode_component(&heading_id(f)));
                        }
                        url
                    }
                    Resolved::File(p) => href::file(&p),
                    Resolved::Missing if target.target.is_empty() => target
                        .fragment
                        .as_deref()
                        .map(|f| format!("#{}", href::encode_component(&heading_id(f))))
                        .unwrap_or_default(),
                    Resolved::Missing => href::missing(target.name()),
                };
            }
            NodeValue::Image(image) if is_local(&image.url) => {
                // `![](pic.png)`: a file of the vault, by path or name.
                let written = percent_decode(&image.url);
                let folder = from.map_or("", |i| crate::site::parent(&site.entries[i].path));
                let candidates = [
                    relative_to(folder, &written),
                    written.clone(),
                    crate::site::file_name(&written).to_owned(),
                ];
                image.url = candidates
                    .iter()
                    .find_map(|c| match site.resolve(from, &LinkTarget::parse(c), None) {
                        Resolved::File(p) => Some(href::file(&p)),
                        _ => None,
                    })
                    .unwrap_or_default();
            }
            NodeValue::CodeBlock(block) => {
                let lang = block
                    .info
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if lang == "dataview" || lang == "dataviewjs" {
                    let html = query(&lang, &block.literal);
                    block.info = format!("{nonce}{}", blocks.len());
                    block.literal.clear();
                    blocks.push(html);
                }
            }
            _ => {}
        }
    }
    let mut out = String::new();
    if comrak::format_html(root, &options, &mut out).is_err() {
        return String::new();
    }
    for (i, html) in blocks.iter().enumerate() {
        let placeholder = format!("<pre><code class=\"language-{nonce}{i}\"></code></pre>");
        out = out.replacen(&placeholder, html, 1);
    }
    out
}

/// A link or image address without a scheme: a path inside the vault.
fn is_local(url: &str) -> bool {
    !url.is_empty() && !url.starts_with('/') && !url.starts_with('#') && !url.contains(':')
}

/// `path` (with `./` and `../`) read from `folder`, as a vault path.
fn relative_to(folder: &str, path: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `%20` and the like decoded (Markdown links encode spaces in paths).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `id` a heading gets (lower case, spaces as dashes), for `[[Note#Heading]]`.
pub fn heading_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // fixture files for the tests
mod tests {
    use super::*;
    use attune_engine::Vault;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        let vault = Vault::load(dir.path()).unwrap();
        let site = Site::from_vault(vault);
        (dir, site)
    }

    #[test]
    fn links_callouts_comments_queries_and_html() {
        let (_dir, site) = site(&[("A.md", "x"), ("B b.md", "y"), ("pic.png", "")]);
        let body = "See [[B b]] and [[Nope]] and [[A#Top|top]] ![[pic.png]].\n\n\
                    > [!tip] Breathe\n> slowly\n\n\
                    hidden %%secret%% text\n\n\
                    <script>alert(1)</script>\n\n\
                    ```dataview\nLIST FROM \"x\"\n```\n";
        let html = render(&site, Some(0), body, &mut |lang, q| {
            format!("<table data-lang=\"{lang}\">{}</table>", q.trim())
        });
        assert!(html.contains("href=\"/notes/B%20b.md\""), "{html}");
        assert!(html.contains("href=\"/missing?name=Nope\""), "{html}");
        assert!(html.contains("href=\"/notes/A.md#top\""), "{html}");
        assert!(html.contains("data-callout=\"tip\""), "{html}");
        assert!(!html.contains("secret"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("<table data-lang=\"dataview\">LIST FROM \"x\"</table>"),
            "{html}"
        );
    }
}
