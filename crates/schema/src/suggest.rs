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
/// and path, when it is close enough.
pub fn closest_path<'a>(wanted: &str, hint: Option<&str>, paths: Vec<&'a str>) -> Option<&'a str> {
    let wanted = wanted.trim();
    let wanted_md = if wanted.ends_with(".md") {
        wanted.to_string()
    } else {
        format!("{wanted}.md")
    };
    let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_lowercase();
    let wanted_name = file_name(&wanted_md);
    let mut same_name: Option<(f64, &str)> = None;
    let mut overall: Option<(f64, &str)> = None;
    for path in paths.into_iter().filter(|p| p.ends_with(".md")) {
        let path_score =
            strsim::normalized_levenshtein(&wanted_md.to_lowercase(), &path.to_lowercase());
        let better = |best: Option<(f64, &str)>, score: f64| {
            best.is_none_or(|(b, p)| score > b || (score == b && path < p))
        };
        if file_name(path) == wanted_name {
            if better(same_name, path_score) {
                same_name = Some((path_score, path));
            }
        } else {
            let candidate = file_name(path);
            let by_hint = hint.map_or(0.0, |h| {
                let h = format!("{} list.md", h.replace('_', " ").to_lowercase());
                strsim::normalized_levenshtein(&h, &candidate)
            });
            let name_score = strsim::normalized_levenshtein(&wanted_name, &candidate).max(by_hint);
            let score = 0.6 * name_score + 0.4 * path_score;
            if score >= 0.7 && better(overall, score) {
                overall = Some((score, path));
            }
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
