//! "Did you mean": the closest name or path to one that does not exist.

/// The known name closest to `wanted` (case-insensitive Jaro-Winkler), when close enough to help.
pub fn closest_name<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.trim().to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for name in known {
        let score = strsim::jaro_winkler(&wanted_lower, &name.to_lowercase());
        if score >= 0.85 && best.is_none_or(|(b, n)| score > b || (score == b && name < n)) {
            best = Some((score, name));
        }
    }
    best.map(|(_, n)| n)
}

/// The existing Markdown note whose path is closest to `wanted`: a note with the same file
/// name wins (the closest path among those), otherwise the best similarity of file name
/// (to `wanted`'s, or to `hint`, e.g. the field name: `emotion_group` → `emotion group list`)
/// and path, when it is close enough. Only notes in the same top folder are candidates.
pub fn closest_path<'a>(wanted: &str, hint: Option<&str>, paths: Vec<&'a str>) -> Option<&'a str> {
    let wanted = wanted.trim();
    let wanted_md = if wanted.ends_with(".md") {
        wanted.to_string()
    } else {
        format!("{wanted}.md")
    };
    let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_lowercase();
    let wanted_lower = wanted_md.to_lowercase();
    let wanted_name = file_name(&wanted_md);
    let hint_name = hint.map(|h| format!("{} list.md", h.replace('_', " ").to_lowercase()));
    let path_score = |p: &str| strsim::normalized_levenshtein(&wanted_lower, &p.to_lowercase());
    let better = |best: Option<(f64, &str)>, score: f64, path: &str| {
        best.is_none_or(|(b, p)| score > b || (score == b && path < p))
    };
    let mut same_name: Option<(f64, &'a str)> = None;
    let mut overall: Option<(f64, &'a str)> = None;
    // Candidates share the wanted path's top folder (value lists live in the schema folder).
    let top = wanted.split('/').next().unwrap_or_default();
    let same_top = |p: &str| !wanted.contains('/') || p.split('/').next() == Some(top);
    for path in paths
        .into_iter()
        .filter(|p| p.ends_with(".md") && same_top(p))
    {
        let candidate = file_name(path);
        if candidate == wanted_name {
            let score = path_score(path);
            if better(same_name, score, path) {
                same_name = Some((score, path));
            }
            continue;
        }
        let by_hint = hint_name
            .as_deref()
            .map_or(0.0, |h| strsim::normalized_levenshtein(h, &candidate));
        let name_score = strsim::normalized_levenshtein(&wanted_name, &candidate).max(by_hint);
        // 0.6 * name + 0.4 * path can reach 0.7 only when the name scores 0.5 or more.
        if name_score < 0.5 {
            continue;
        }
        let score = 0.6 * name_score + 0.4 * path_score(path);
        if score >= 0.7 && better(overall, score, path) {
            overall = Some((score, path));
        }
    }
    same_name.or(overall).map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_name_in_another_folder_wins() {
        let paths = vec![
            "Meta/a/lists/intensity list.md",
            "Meta/b/intensity lists.md",
            "Meta/a/other.md",
        ];
        assert_eq!(
            closest_path("Meta/shared/lists/intensity list.md", None, paths),
            Some("Meta/a/lists/intensity list.md")
        );
    }

    #[test]
    fn the_field_name_hints_a_renamed_list() {
        let paths = vec![
            "M/e/lists/emotion group list.md",
            "M/e/lists/emotion type list.md",
            "M/e/lists/emotion flags list.md",
        ];
        assert_eq!(
            closest_path("M/emotion category list.md", Some("emotion_group"), paths),
            Some("M/e/lists/emotion group list.md")
        );
    }

    #[test]
    fn nothing_close_gives_no_suggestion() {
        assert_eq!(
            closest_path(
                "Meta/x/zebra.md",
                None,
                vec!["Meta/a/lists/intensity list.md"]
            ),
            None
        );
        assert_eq!(
            closest_name("healing_resource", ["trigger_group", "definition"]),
            None
        );
    }

    #[test]
    fn near_name_is_suggested() {
        assert_eq!(
            closest_name("trigger_grup", ["trigger_group", "trigger_type"]),
            Some("trigger_group")
        );
    }
}
