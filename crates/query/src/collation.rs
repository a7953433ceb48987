//! Text ordering close to JavaScript's `localeCompare` (ICU root collation), which Dataview
//! uses for every string and path comparison: case-insensitive and accent-insensitive first
//! (`apple < Banana`), then accents, then lower case before upper case; whitespace <
//! punctuation < symbols (emoji) < digits < letters; format characters such as the emoji
//! variation selector are ignored. Not a full UCA implementation.

use std::cmp::Ordering;

use unicode_normalization::char::decompose_canonical;

/// Primary weight of one character: (class, folded char). `None` for ignorable characters.
fn primary(c: char) -> Option<(u8, char)> {
    if c.is_ascii() {
        // The answers of the general rules below, without their Unicode tables.
        return match c {
            _ if c.is_ascii_control() && !c.is_whitespace() => None,
            _ if c.is_whitespace() => Some((0, ' ')),
            _ if c.is_ascii_alphabetic() => Some((4, c.to_ascii_lowercase())),
            _ if c.is_ascii_digit() => Some((3, c)),
            _ => Some((1, c)),
        };
    }
    if is_ignorable(c) {
        return None;
    }
    if c.is_whitespace() {
        return Some((0, ' '));
    }
    if c.is_alphabetic() {
        return Some((4, base_letter(c)));
    }
    if c.is_numeric() {
        return Some((3, c));
    }
    if c.is_ascii_punctuation() || is_general_punctuation(c) {
        return Some((1, c));
    }
    Some((2, c))
}

fn is_general_punctuation(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3001}'..='\u{3003}' | '\u{00A1}' | '\u{00BF}')
}

fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{00AD}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
        || (c.is_control() && !c.is_whitespace())
}

/// The letter without accents, lower-cased.
fn base_letter(c: char) -> char {
    let mut first = None;
    decompose_canonical(c, |d| {
        if first.is_none() {
            first = Some(d);
        }
    });
    let base = first.unwrap_or(c);
    base.to_lowercase().next().unwrap_or(base)
}

/// Texts' primary weights, computed once so a sort need not recompute them on every
/// comparison: [`compare_text`] orders texts by these first (see [`KeyArena::compare`]).
/// All keys of one sort live in one buffer, side by side, so comparing them reads memory
/// that is close together.
#[derive(Clone, Debug, Default)]
pub struct KeyArena {
    weights: Vec<u8>,
}

/// Where one text's weights lie in its [`KeyArena`]: for an ASCII text, the weights
/// [`compare_text`] uses when both texts are ASCII, as `[class, byte]` pairs; for any other
/// text, its primary weights `(class, char)`, three big-endian bytes each
/// (`class << 21 | char`). Either way two keys of the same kind compare as byte strings.
#[derive(Clone, Copy, Debug)]
pub struct TextKey {
    ascii: bool,
    start: u32,
    end: u32,
}

impl KeyArena {
    pub fn new() -> KeyArena {
        KeyArena::default()
    }

    /// Compute and store the weights of `s`.
    pub fn push(&mut self, s: &str) -> TextKey {
        let start = self.weights.len();
        let ascii = s.is_ascii();
        if ascii {
            self.weights.reserve(s.len() * 2);
            for b in s.bytes() {
                let (class, byte) = ascii_class(b);
                self.weights.push(class);
                self.weights.push(byte);
            }
        } else {
            self.weights.reserve(s.len() * 3);
            for (class, c) in s.chars().filter_map(primary) {
                let [_, a, b, c] = ((u32::from(class) << 21) | u32::from(c)).to_be_bytes();
                self.weights.push(a);
                self.weights.push(b);
                self.weights.push(c);
            }
        }
        match (u32::try_from(start), u32::try_from(self.weights.len())) {
            (Ok(start), Ok(end)) => TextKey { ascii, start, end },
            // Past 4 GiB of weights: no key; such texts compare by `compare_text` alone.
            _ => TextKey {
                ascii,
                start: 1,
                end: 0,
            },
        }
    }

    fn slice(&self, key: TextKey) -> &[u8] {
        self.weights
            .get(key.start as usize..key.end as usize)
            .unwrap_or_default()
    }

    /// The primary weights ([`primary`] of each character), also for an ASCII key.
    fn primary(&self, key: TextKey) -> impl Iterator<Item = (u8, char)> + '_ {
        let (ascii, other): (&[u8], &[u8]) = if key.ascii {
            (self.slice(key), &[])
        } else {
            (&[], self.slice(key))
        };
        ascii
            .chunks_exact(2)
            .filter_map(|pair| primary_of_ascii_weight(pair[0], pair[1]))
            .chain(other.chunks_exact(3).map(|w| {
                let packed = u32::from_be_bytes([0, w[0], w[1], w[2]]);
                let c = char::from_u32(packed & 0x1F_FFFF).unwrap_or('\u{FFFD}');
                ((packed >> 21) as u8, c)
            }))
    }

    /// [`compare_text`] of the two texts when their primary weights differ; `Equal` when
    /// they tie, and then only [`compare_text`] knows the order.
    pub fn compare(&self, a: TextKey, b: TextKey) -> Ordering {
        if a.start > a.end || b.start > b.end {
            return Ordering::Equal;
        }
        if a.ascii == b.ascii {
            self.slice(a).cmp(self.slice(b))
        } else {
            self.primary(a).cmp(self.primary(b))
        }
    }
}

/// [`primary`] of the ASCII character whose [`ascii_class`] is `(class, byte)`: the class
/// keeps enough of the character to recover it (letters only lose their case, which
/// `primary` drops too).
fn primary_of_ascii_weight(class: u8, byte: u8) -> Option<(u8, char)> {
    let c = char::from(byte);
    match class {
        // Whitespace (stored as ' '), or a control character `ascii_class` keeps as itself.
        0 => primary(c),
        // Punctuation; `primary` has no separate class for the ASCII symbols.
        1 | 2 => Some((1, c)),
        _ => Some((class, c)),
    }
}

/// Compare two texts as `a.localeCompare(b)` would (approximately). Never `Equal` for
/// different texts unless they differ only in ignorable characters.
pub fn compare_text(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return compare_ascii(a, b);
    }
    let mut x = a.chars().filter_map(primary);
    let mut y = b.chars().filter_map(primary);
    loop {
        match (x.next(), y.next()) {
            (None, None) => break,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let c = p.cmp(&q);
                if c != Ordering::Equal {
                    return c;
                }
            }
        }
    }
    // Secondary: accents (compare decomposed marks), tertiary: lower before upper.
    let secondary = |s: &str| -> Vec<char> {
        let mut out = Vec::new();
        for c in s.chars().filter(|c| !is_ignorable(*c)) {
            decompose_canonical(c, |d| {
                if !d.is_alphanumeric() || d.is_lowercase() || d.is_uppercase() {
                    out.push(d.to_lowercase().next().unwrap_or(d));
                }
            });
        }
        out
    };
    let c = secondary(a).cmp(&secondary(b));
    if c != Ordering::Equal {
        return c;
    }
    let tertiary = |s: &str| -> Vec<bool> {
        s.chars()
            .filter(|c| !is_ignorable(*c))
            .map(|c| c.is_uppercase())
            .collect()
    };
    let c = tertiary(a).cmp(&tertiary(b));
    if c != Ordering::Equal {
        return c;
    }
    let stripped = |s: &str| -> String { s.chars().filter(|c| !is_ignorable(*c)).collect() };
    if stripped(a) == stripped(b) {
        Ordering::Equal
    } else {
        a.cmp(b)
    }
}

/// `compare_text(a, b) == Equal`, without computing collation weights: the same bytes, or
/// (unless both are ASCII) the same characters once ignorable ones are dropped.
pub(crate) fn text_equal(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return false;
    }
    // After the bytes they share, a visible character on one side facing a different visible
    // character (or the end) on the other decides it without walking both texts.
    let mut common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(common) {
        common -= 1;
    }
    let next = |s: &str| s.get(common..).and_then(|rest| rest.chars().next());
    match (next(a), next(b)) {
        (Some(x), Some(y)) if !is_ignorable(x) && !is_ignorable(y) && x != y => return false,
        (Some(c), None) | (None, Some(c)) if !is_ignorable(c) => return false,
        _ => {}
    }
    let visible = |c: &char| !is_ignorable(*c);
    a.chars().filter(visible).eq(b.chars().filter(visible))
}

fn ascii_class(c: u8) -> (u8, u8) {
    if c.is_ascii_whitespace() {
        (0, b' ')
    } else if c.is_ascii_alphabetic() {
        (4, c.to_ascii_lowercase())
    } else if c.is_ascii_digit() {
        (3, c)
    } else if c.is_ascii_punctuation() {
        // ICU puts a few ASCII symbols after punctuation.
        if matches!(
            c,
            b'`' | b'^' | b'+' | b'<' | b'=' | b'>' | b'|' | b'~' | b'$'
        ) {
            (2, c)
        } else {
            (1, c)
        }
    } else {
        (0, c)
    }
}

fn compare_ascii(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    for (p, q) in x.iter().zip(y) {
        let c = ascii_class(*p).cmp(&ascii_class(*q));
        if c != Ordering::Equal {
            return c;
        }
    }
    let c = x.len().cmp(&y.len());
    if c != Ordering::Equal {
        return c;
    }
    // Same letters ignoring case: lower case first.
    for (p, q) in x.iter().zip(y) {
        if p != q {
            return if p.is_ascii_lowercase() {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Where two texts' primary keys differ, they decide the order exactly as
        /// `compare_text` does (ASCII, non-ASCII and mixed pairs).
        #[test]
        fn primary_keys_agree_with_compare_text(
            a in "[ \t\u{1}\u{b}a-zA-Z0-9_`^+|$.\\-]{0,6}|[ \t\u{1}aAéÉ🎭\u{FE0F}\u{200B}z9_^-]{0,6}",
            b in "[ \t\u{1}\u{b}a-zA-Z0-9_`^+|$.\\-]{0,6}|[ \t\u{1}aAéÉ🎭\u{FE0F}\u{200B}z9_^-]{0,6}",
        ) {
            let mut arena = KeyArena::new();
            let (ka, kb) = (arena.push(&a), arena.push(&b));
            let by_key = arena.compare(ka, kb);
            if by_key != Ordering::Equal {
                prop_assert_eq!(by_key, compare_text(&a, &b));
            }
        }
    }

    proptest! {
        /// `text_equal` is exactly `compare_text(..) == Equal`.
        #[test]
        fn text_equal_agrees_with_compare_text(
            a in "[ aA\u{FE0F}\u{200B}\u{1}é🎭]{0,5}",
            b in "[ aA\u{FE0F}\u{200B}\u{1}é🎭]{0,5}",
        ) {
            prop_assert_eq!(text_equal(&a, &b), compare_text(&a, &b) == Ordering::Equal);
        }
    }

    #[test]
    fn ascii_primary_weights_follow_the_general_rules() {
        for b in 0u8..=127 {
            let c = char::from(b);
            let general = if is_ignorable(c) {
                None
            } else if c.is_whitespace() {
                Some((0, ' '))
            } else if c.is_alphabetic() {
                Some((4, base_letter(c)))
            } else if c.is_numeric() {
                Some((3, c))
            } else if c.is_ascii_punctuation() || is_general_punctuation(c) {
                Some((1, c))
            } else {
                Some((2, c))
            };
            assert_eq!(primary(c), general, "{c:?}");
        }
    }

    #[test]
    fn orders_like_locale_compare() {
        let mut words = vec![
            "banana",
            "Apple",
            "apple",
            "Émile",
            "zeta",
            "10",
            "9",
            "_x",
            "🎭 Emotions",
            "Anger",
        ];
        words.sort_by(|a, b| compare_text(a, b));
        assert_eq!(
            words,
            vec![
                "_x",
                "🎭 Emotions",
                "10",
                "9",
                "Anger",
                "apple",
                "Apple",
                "banana",
                "Émile",
                "zeta"
            ]
        );
    }

    #[test]
    fn ignores_variation_selectors() {
        assert_eq!(compare_text("⚖️Trade", "⚖Trade"), Ordering::Equal);
        assert_eq!(compare_text("a", "a"), Ordering::Equal);
        assert_ne!(compare_text("a", "A"), Ordering::Equal);
    }
}
