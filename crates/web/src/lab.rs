//! Practice Lab structure: which sessions belong to a scenario, and which takes and coaching
//! notes belong to a session — read from the links the notes hold (`scenario`,
//! `practice_session`, `live_rehearsals`, `coaching_sessions`), whichever side wrote them.

use crate::site::Site;

/// One session of a scenario with its takes and coaching notes, each in name order.
pub struct Session {
    pub session: usize,
    pub takes: Vec<usize>,
    pub coaching: Vec<usize>,
}

fn short_class(site: &Site, entry: usize) -> Option<&str> {
    site.class_of(entry).map(|c| c.short_name())
}

/// Does `from` link to `to` through `field`?
fn links_through(site: &Site, from: usize, to: usize, fields: &[&str]) -> bool {
    site.entries[from].links.iter().any(|l| {
        l.field.as_deref().is_some_and(|f| fields.contains(&f)) && l.resolved.note() == Some(to)
    })
}

/// The sessions of scenario `scenario`, in name order (`…_Session-1`, `…_Session-2`, numbers compared as numbers).
pub fn sessions_of(site: &Site, scenario: usize) -> Vec<Session> {
    let mut sessions: Vec<usize> = (0..site.entries.len())
        .filter(|&i| {
            short_class(site, i) == Some("practice_session")
                && links_through(site, i, scenario, &["scenario"])
        })
        .collect();
    sessions.sort_by(|&a, &b| {
        natural_key(&site.entries[a].name).cmp(&natural_key(&site.entries[b].name))
    });
    sessions
        .into_iter()
        .map(|s| {
            let mut takes = Vec::new();
            let mut coaching = Vec::new();
            for i in 0..site.entries.len() {
                let class = short_class(site, i);
                let belongs = |back: &[&str], forward: &[&str]| {
                    links_through(site, i, s, back) || links_through(site, s, i, forward)
                };
                match class {
                    Some("live_rehearsal")
                        if belongs(&["practice_session", "practice_log"], &["live_rehearsals"]) =>
                    {
                        takes.push(i)
                    }
                    Some("coaching")
                        if belongs(
                            &["practice_session", "practice_log"],
                            &["coaching_sessions", "coaching_session"],
                        ) =>
                    {
                        coaching.push(i)
                    }
                    _ => {}
                }
            }
            takes.sort_by(|&a, &b| {
                natural_key(&site.entries[a].name).cmp(&natural_key(&site.entries[b].name))
            });
            coaching.sort_by(|&a, &b| {
                natural_key(&site.entries[a].name).cmp(&natural_key(&site.entries[b].name))
            });
            Session {
                session: s,
                takes,
                coaching,
            }
        })
        .collect()
}

/// Sort key that compares runs of digits as numbers (`Take-10` after `Take-9`).
pub fn natural_key(name: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for c in name.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                out.push((
                    std::mem::take(&mut text),
                    digits.parse().unwrap_or(u64::MAX),
                ));
                digits.clear();
            }
            text.extend(c.to_lowercase());
        }
    }
    out.push((text, digits.parse().unwrap_or(0)));
    out
}

#[cfg(test)]
mod tests {
    use super::natural_key;

    #[test]
    fn numbers_sort_as_numbers() {
        let mut names = vec!["S_Session-10", "S_Session-9", "S_Session-1"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(names, ["S_Session-1", "S_Session-9", "S_Session-10"]);
    }
}
