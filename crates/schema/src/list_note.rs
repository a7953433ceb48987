//! Value-list notes: the notes a `valuesListNotePath` points to, and folders of empty notes
//! that give one option set per group (`trigger flags/<Group>/<Flag>.md`).

/// What a value-list note holds.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ListValues {
    /// Every value, in note order, trimmed, blanks and duplicates dropped.
    pub values: Vec<String>,
    /// `(group, values)` when the note groups values under `####` headings with `- ` bullets.
    pub groups: Vec<(String, Vec<String>)>,
}

/// Read a value-list note.
///
/// A plain list note holds one value per line. A grouped list note holds `#### Group`
/// headings (bold markers allowed) with `- value` bullets below each; its values are all
/// bullets, and its groups say which bullets sit under which heading. A frontmatter block
/// at the top is skipped.
pub fn parse_list_note(text: &str) -> ListValues {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let body = skip_frontmatter(text);
    let grouped = body.lines().any(|l| l.trim_start().starts_with("####"));
    let mut out = ListValues::default();
    if grouped {
        for line in body.lines() {
            let line = line.trim();
            if let Some(heading) = line.strip_prefix("####") {
                let name = heading
                    .trim_start_matches('#')
                    .trim()
                    .trim_matches('*')
                    .trim()
                    .to_string();
                out.groups.push((name, Vec::new()));
            } else if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
                let item = item.trim();
                if item.is_empty() {
                    continue;
                }
                if let Some((_, values)) = out.groups.last_mut()
                    && !values.iter().any(|v| v == item)
                {
                    values.push(item.to_string());
                }
                push_unique(&mut out.values, item);
            }
        }
    } else {
        for line in body.lines() {
            let item = line.trim();
            if !item.is_empty() {
                push_unique(&mut out.values, item);
            }
        }
    }
    out
}

fn push_unique(values: &mut Vec<String>, item: &str) {
    if !values.iter().any(|v| v == item) {
        values.push(item.to_string());
    }
}

fn skip_frontmatter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---") else {
        return text;
    };
    let Some(first_break) = rest.find('\n') else {
        return text;
    };
    if !rest[..first_break].trim().is_empty() {
        return text;
    }
    let mut offset = first_break + 1;
    for line in rest[offset..].split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" {
            return &rest[offset..];
        }
    }
    text
}

/// Option sets given as a folder per group of notes: `<folder>/<Group>/<Value>.md`.
/// Returns `(group, values)` sorted by group then value; files directly in `folder` are ignored.
pub fn folder_groups<'a>(
    folder: &str,
    paths: impl IntoIterator<Item = &'a str>,
) -> Vec<(String, Vec<String>)> {
    let folder = folder.trim_end_matches('/');
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for path in paths {
        let Some(rest) = path.strip_prefix(folder).and_then(|r| r.strip_prefix('/')) else {
            continue;
        };
        let mut parts = rest.split('/');
        let (Some(group), Some(file), None) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Some(value) = file.strip_suffix(".md") else {
            continue;
        };
        groups
            .entry(group.to_string())
            .or_default()
            .push(value.to_string());
    }
    groups
        .into_iter()
        .map(|(g, mut v)| {
            v.sort();
            (g, v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_list_trims_and_drops_blanks_and_duplicates() {
        let got = parse_list_note("Relational\n  Somatic  \n\nRelational\r\nSpiritual\n");
        assert_eq!(got.values, ["Relational", "Somatic", "Spiritual"]);
        assert!(got.groups.is_empty());
    }

    #[test]
    fn grouped_list_reads_bullets_under_headings() {
        let text = "#### **Inner Work**\n\n- Naming it\n    \n- Letting it be\n\n#### Outer Work\n- Asking for help\n- Naming it\n";
        let got = parse_list_note(text);
        assert_eq!(
            got.values,
            ["Naming it", "Letting it be", "Asking for help"]
        );
        assert_eq!(
            got.groups,
            vec![
                (
                    "Inner Work".to_string(),
                    vec!["Naming it".to_string(), "Letting it be".to_string()]
                ),
                (
                    "Outer Work".to_string(),
                    vec!["Asking for help".to_string(), "Naming it".to_string()]
                ),
            ]
        );
    }

    #[test]
    fn frontmatter_is_not_a_value() {
        let got = parse_list_note("---\nicon: list\n---\nA\nB\n");
        assert_eq!(got.values, ["A", "B"]);
    }

    #[test]
    fn folder_per_group_collects_one_level_of_notes() {
        let paths = [
            "L/flags/Rooted/Inherited.md",
            "L/flags/Rooted/Acute.md",
            "L/flags/Time/Chronic.md",
            "L/flags/flag list.md",
            "L/flags/Time/deeper/No.md",
            "L/other/Time/No.md",
        ];
        let got = folder_groups("L/flags/", paths);
        assert_eq!(
            got,
            vec![
                (
                    "Rooted".to_string(),
                    vec!["Acute".to_string(), "Inherited".to_string()]
                ),
                ("Time".to_string(), vec!["Chronic".to_string()]),
            ]
        );
    }
}
