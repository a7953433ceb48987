//! The graph data behind `/graph` and `/api/graph`: a note's neighbourhood up to depth 3
//! (links both ways), or every note of one type with the links among them. Nodes carry
//! their class (for colour), edges the field they come from (for the label).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Serialize;

use crate::href;
use crate::site::Site;

#[derive(Serialize, Debug)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub class: String,
    pub href: String,
    /// Distance from the centre note (0 for it; 0 for every node of a type view).
    pub depth: u8,
}

#[derive(Serialize, Debug)]
pub struct Edge {
    pub source: String,
    pub target: String,
    /// The frontmatter field, or empty for a link in the text.
    pub label: String,
}

#[derive(Serialize, Debug)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// The graph for a note path (with `depth`) or a class; `None` when neither names anything.
pub fn build(site: &Site, note: &str, depth: u8, class: &str) -> Option<Graph> {
    let mut chosen: BTreeMap<usize, u8> = BTreeMap::new();
    if !note.trim().is_empty() {
        let start = site.entry_by_path(note.trim())?;
        let mut queue = VecDeque::from([(start, 0u8)]);
        chosen.insert(start, 0);
        while let Some((i, d)) = queue.pop_front() {
            if d >= depth.clamp(1, 3) {
                continue;
            }
            let out = site.entries[i]
                .links
                .iter()
                .filter_map(|l| l.resolved.note());
            let back = site.backlinks[i].iter().map(|b| b.from);
            for n in out.chain(back).collect::<Vec<_>>() {
                if let std::collections::btree_map::Entry::Vacant(slot) = chosen.entry(n) {
                    slot.insert(d + 1);
                    queue.push_back((n, d + 1));
                }
            }
        }
    } else if !class.trim().is_empty() {
        let c = site.class(class.trim())?;
        for i in site.entries_of(c.name()) {
            chosen.insert(i, 0);
        }
    } else {
        return None;
    }
    let nodes = chosen
        .iter()
        .map(|(&i, &d)| {
            let e = &site.entries[i];
            Node {
                id: e.path.clone(),
                label: e.name.clone(),
                class: site
                    .class_of(i)
                    .map(|c| c.short_name().to_owned())
                    .unwrap_or_default(),
                href: href::note(&e.path),
                depth: d,
            }
        })
        .collect();
    let mut seen = BTreeSet::new();
    let mut edges = Vec::new();
    for &i in chosen.keys() {
        for l in &site.entries[i].links {
            let Some(t) = l.resolved.note() else { continue };
            if t == i || !chosen.contains_key(&t) {
                continue;
            }
            let label = l.field.as_deref().unwrap_or_default().to_owned();
            if seen.insert((i, t, label.clone())) {
                edges.push(Edge {
                    source: site.entries[i].path.clone(),
                    target: site.entries[t].path.clone(),
                    label,
                });
            }
        }
    }
    Some(Graph { nodes, edges })
}
