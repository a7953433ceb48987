//! Acceptance: every page of the reference vault renders, and every internal link on every
//! page leads to a page that exists. Starts at `/`, every type page and every note page, and
//! follows every `href` inside the site. No 5xx, no 404.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use attune_web::{Access, AppState, href, router};
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/reference-vault"
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_vault_every_page_renders_and_no_internal_link_is_broken() {
    let root = Path::new(REFERENCE);
    if !root.is_dir() {
        eprintln!("reference vault not found at {REFERENCE}: skipping the crawl");
        return;
    }
    let state = AppState::load(root, Access::default()).expect("the reference vault loads");
    assert!(state.wait_for_search(), "the search index builds");
    let app = router(state.clone());
    let site = state.site();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    queue.push_back(("/".into(), "start".into()));
    for c in site.ws.schema.classes() {
        queue.push_back((href::class(c.short_name()), "start".into()));
    }
    for e in &site.entries {
        queue.push_back((href::note(&e.path), "start".into()));
    }
    let notes = site.entries.len();
    drop(site);
    let mut seen = BTreeSet::new();
    let mut broken: BTreeMap<String, (u16, String)> = BTreeMap::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let started = std::time::Instant::now();
    let mut slowest = (std::time::Duration::ZERO, String::new());
    while let Some((uri, from)) = queue.pop_front() {
        if uri == "/events" || !seen.insert(uri.clone()) {
            continue;
        }
        let request = Request::get(&uri)
            .header(header::HOST, "127.0.0.1:7878")
            .body(Body::empty())
            .unwrap();
        let t = std::time::Instant::now();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, uri.clone());
        }
        let kind = uri
            .trim_start_matches('/')
            .split(['/', '?'])
            .next()
            .unwrap_or("")
            .to_owned();
        *kinds.entry(kind).or_default() += 1;
        if status != 200 {
            broken.insert(uri.clone(), (status, from.clone()));
            continue;
        }
        if uri.starts_with("/assets/") || uri.starts_with("/api/") {
            continue;
        }
        let html = String::from_utf8_lossy(&body);
        for link in common::internal_links(&html) {
            if !seen.contains(&link) {
                queue.push_back((link, uri.clone()));
            }
        }
    }
    eprintln!(
        "crawled {} pages ({notes} notes) in {:?}; by kind {kinds:?}; slowest {:?} {}",
        seen.len(),
        started.elapsed(),
        slowest.0,
        slowest.1
    );
    assert!(
        broken.is_empty(),
        "{} broken: {:#?}",
        broken.len(),
        broken.iter().take(20).collect::<Vec<_>>()
    );
    assert!(seen.len() > notes, "every note page and more was visited");
}

/// A note's link list (resolved by the index when the vault loads) and a link rendered in its
/// body (resolved by the site on the spot) point to the same place.
#[test]
fn reference_vault_links_resolve_alike_in_lists_and_bodies() {
    let root = Path::new(REFERENCE);
    if !root.is_dir() {
        eprintln!("reference vault not found at {REFERENCE}: skipping");
        return;
    }
    let state = AppState::load(root, Access::default()).expect("the reference vault loads");
    let site = state.site();
    let mut differ = Vec::new();
    let mut links = 0;
    for (i, e) in site.entries.iter().enumerate() {
        for l in &e.links {
            links += 1;
            let again = site.resolve(Some(i), &l.target, l.field.as_deref());
            if again != l.resolved {
                differ.push(format!(
                    "{}: {} ({:?}): list {:?}, body {:?}",
                    e.path,
                    l.target.to_wiki(),
                    l.field,
                    l.resolved,
                    again
                ));
            }
        }
    }
    assert!(links > 1000, "{links} links");
    assert!(
        differ.is_empty(),
        "{} of {links} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
