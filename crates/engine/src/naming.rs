//! File names of new notes: Title Case, characters illegal in file names removed, counters
//! (`A Different Story_Session-3`), date and time stamps, and `-1`, `-2` on a clash.

use unicode_normalization::UnicodeNormalization;

/// Words kept lower-case inside a title (unless first or last).
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "vs",
    "vs.",
];

/// Title Case as the owner writes names: every word capitalised, small words lower-case
/// unless first or last, words in capitals (acronyms) kept, hyphenated parts capitalised
/// alike (`step-by-step framing` → `Step-by-Step Framing`).
pub fn title_case(title: &str) -> String {
    let words: Vec<&str> = title.split_whitespace().collect();
    let last_word = words.len().saturating_sub(1);
    let mut out = Vec::with_capacity(words.len());
    for (wi, word) in words.iter().enumerate() {
        let parts: Vec<&str> = word.split('-').collect();
        let last_part = parts.len() - 1;
        let cased: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(pi, part)| {
                let first = wi == 0 && pi == 0;
                let last = wi == last_word && pi == last_part;
                case_word(part, first || last)
            })
            .collect();
        out.push(cased.join("-"));
    }
    out.join(" ")
}

fn case_word(word: &str, edge: bool) -> String {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return word.to_owned(); // an acronym
    }
    if !edge && SMALL_WORDS.contains(&word.to_lowercase().as_str()) {
        return word.to_lowercase();
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Characters Obsidian refuses in a note name.
const ILLEGAL: &[char] = &[
    '*', '"', '\\', '/', '<', '>', ':', '|', '?', '#', '^', '[', ']',
];

/// A name safe as a file name: illegal characters and control characters removed, blanks
/// collapsed, no leading dot or trailing dot/blank, NFC.
pub fn clean_file_name(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| !ILLEGAL.contains(c) && !c.is_control())
        .collect();
    let collapsed = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .nfc()
        .collect()
}

/// `1 +` the highest `n` among `existing` names that are exactly `prefix` + digits + `suffix`
/// (so `Session-1` never matches `Session-10_…`), or 1 when none is.
pub fn next_counter<'a>(
    prefix: &str,
    suffix: &str,
    existing: impl IntoIterator<Item = &'a str>,
) -> u64 {
    let prefix = key(prefix);
    let suffix = key(suffix);
    existing
        .into_iter()
        .filter_map(|name| {
            let name = key(name);
            let rest = name
                .strip_prefix(&prefix)?
                .strip_suffix(&suffix)?
                .to_owned();
            (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
                .then(|| rest.parse::<u64>().ok())?
        })
        .max()
        .map_or(1, |n| n + 1)
}

/// `name`, or `name-1`, `name-2`, … whichever is not `taken` (compared NFC, case-insensitive).
pub fn free_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_owned();
    }
    (1..)
        .map(|i| format!("{name}-{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| name.to_owned())
}

/// Comparison key of a name: NFC, lower-case.
pub fn key(name: &str) -> String {
    // Composing is needed only for text that is not NFC already (rare: names typed on macOS
    // keyboards); checking costs a fraction of composing (`Workspace::new` keys every note).
    if unicode_normalization::is_nfc(name) {
        name.to_lowercase()
    } else {
        name.nfc().collect::<String>().to_lowercase()
    }
}

/// Fill a naming pattern's `{placeholders}` with `fill`; `{n}` is left for [`counter_parts`].
/// Returns the placeholder names `fill` had no value for.
pub fn fill_pattern(
    pattern: &str,
    fill: impl Fn(&str) -> Option<String>,
) -> Result<String, Vec<String>> {
    let mut out = String::new();
    let mut missing = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        if name == "n" {
            out.push_str("{n}");
        } else {
            match fill(name) {
                Some(v) => out.push_str(&v),
                None => missing.push(name.to_owned()),
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// Split a filled pattern at its `{n}`: `(prefix, suffix)`, or `None` without a counter.
pub fn counter_parts(filled: &str) -> Option<(&str, &str)> {
    let at = filled.find("{n}")?;
    Some((&filled[..at], &filled[at + 3..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_follows_the_owner() {
        for (input, want) in [
            (
                "being interrupted mid-sentence",
                "Being Interrupted Mid-Sentence",
            ),
            ("fear of being a burden", "Fear of Being a Burden"),
            ("step-by-step framing", "Step-by-Step Framing"),
            (
                "discharging pain vs. co-regulating",
                "Discharging Pain vs. Co-Regulating",
            ),
            ("the thing to hold on to", "The Thing to Hold on To"),
            (
                "ADHD   overwhelm in  the morning",
                "ADHD Overwhelm in the Morning",
            ),
            ("sense of loss", "Sense of Loss"),
            ("", ""),
        ] {
            assert_eq!(title_case(input), want, "{input:?}");
        }
    }

    #[test]
    fn file_names_lose_illegal_characters() {
        assert_eq!(
            clean_file_name("What? A \"new\" [[thing]]: a/b | c#d^e*"),
            "What A new thing ab cde"
        );
        assert_eq!(clean_file_name("  ..hidden.  "), "hidden");
    }

    #[test]
    fn counters_match_the_exact_prefix() {
        let names = [
            "A Different Story_Session-1",
            "A Different Story_Session-2",
            "A Different Story_Session-1_Live Rehearsal_Take-1",
            "A Different Story_Session-10x",
            "Other_Session-7",
        ];
        assert_eq!(next_counter("A Different Story_Session-", "", names), 3);
        assert_eq!(
            next_counter(
                "A Different Story_Session-1_Live Rehearsal_Take-",
                "",
                names
            ),
            2
        );
        assert_eq!(
            next_counter(
                "A Different Story_Session-2_Live Rehearsal_Take-",
                "",
                names
            ),
            1
        );
        assert_eq!(
            next_counter("Session-", "", ["Session-1", "Session-10"]),
            11
        );
        assert_eq!(next_counter("Session-", "", ["Session-10"]), 11);
        assert_eq!(
            next_counter("Session-", "_x", ["Session-1_x", "Session-9_xy"]),
            2
        );
    }

    #[test]
    fn clashes_get_a_number() {
        let taken = ["Shame", "shame-1"];
        assert_eq!(
            free_name("Shame", |n| taken.iter().any(|t| key(t) == key(n))),
            "Shame-2"
        );
        assert_eq!(
            free_name("Pride", |n| taken.iter().any(|t| key(t) == key(n))),
            "Pride"
        );
    }

    #[test]
    fn patterns_fill_and_split_at_the_counter() {
        let filled = fill_pattern("{session}_Live Rehearsal_Take-{n}", |p| {
            (p == "session").then(|| "S_Session-2".into())
        })
        .unwrap();
        assert_eq!(filled, "S_Session-2_Live Rehearsal_Take-{n}");
        assert_eq!(
            counter_parts(&filled),
            Some(("S_Session-2_Live Rehearsal_Take-", ""))
        );
        assert_eq!(
            fill_pattern("{scenario}_Session-{n}", |_| None),
            Err(vec!["scenario".to_owned()])
        );
    }
}
