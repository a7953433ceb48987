//! Benchmark: build the index of a synthetic vault shaped like the reference vault (twelve
//! Foundations folders whose notes share names, relation fields full of bare `[[Name]]` links,
//! body links, daily-note links, empty stubs), then apply single-file changes.
//! Prints figures; it asserts nothing about time.
//!
//! `cargo run --release -p attune-index --example build_index -- 100000`

use std::time::Instant;

use attune_index::{Change, ClassFacts, Index, NoteInput};
use attune_syntax::parse_note;

const KINDS: &[(&str, &str, &str)] = &[
    ("ME/🏛️ Foundations/⚡ Triggers", "trigger", "triggered_by"),
    (
        "ME/🏛️ Foundations/🎭 Emotions",
        "emotion",
        "associated_emotions",
    ),
    (
        "ME/🏛️ Foundations/🌀 Emotional Wounds",
        "emotional_wound",
        "linked_wounds",
    ),
    (
        "ME/🏛️ Foundations/🛡️ Emotional Needs",
        "emotional_need",
        "needs_behind_it",
    ),
    (
        "ME/🏛️ Foundations/📢 Internal Voices",
        "internal_voice",
        "internal_voices",
    ),
    (
        "ME/🏛️ Foundations/🪖 Protective Strategies",
        "protective_strategy",
        "protective_strategies",
    ),
    (
        "ME/🏛️ Foundations/🐾 Behavior Functions",
        "behavior_function",
        "behavior_functions",
    ),
    (
        "ME/🏛️ Foundations/🩹 Soothing Resources",
        "soothing_resource",
        "soothing_resources",
    ),
    ("ME/🏛️ Foundations/⚖️Trade-Offs", "tradeoff", "tradeoffs"),
    ("ME/📝 Captured Moments", "capturedMoment", "emotions"),
    ("ME/👀 Observations", "observation", "emotions"),
    ("ME/📓 Journal", "emotional_growth_journal", "emotions"),
];

const WORDS: &[&str] = &[
    "Shame",
    "Validation",
    "Connection",
    "Rejection",
    "Safety",
    "Trust",
    "Anger",
    "Grief",
    "Control",
    "Fear",
    "Worth",
    "Hope",
    "Belonging",
    "Guilt",
    "Calm",
    "Pride",
    "Loss",
    "Distance",
    "Repair",
    "Voice",
];

/// A small deterministic generator (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Note `j` of kind `kind`: two words and a number. One name in ten is the same in every
/// kind's folder (as `Shame` is an emotion, a wound and a voice); the rest carry the kind.
fn name(j: usize, kind: usize) -> String {
    let words = format!(
        "{} {} {}",
        WORDS[j % WORDS.len()],
        WORDS[(j / WORDS.len()) % WORDS.len()],
        j / (WORDS.len() * WORDS.len())
    );
    if j.is_multiple_of(10) {
        words
    } else {
        format!("{words} {}", KINDS[kind].1)
    }
}

fn vault(count: usize) -> Vec<(String, String, &'static str)> {
    let mut rng = Rng(42);
    let per_kind = count.div_ceil(KINDS.len());
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let kind = i % KINDS.len();
        let (folder, class, _) = KINDS[kind];
        let path = format!("{folder}/{}.md", name(i / KINDS.len(), kind));
        if rng.below(3) == 0 {
            out.push((path, String::new(), class)); // an empty stub
            continue;
        }
        let mut text = format!(
            "---\nfileClass: {class}\nid: {}\nstatus: 🟩 complete\ntags: [self-work/{class}]\n",
            1_750_000_000_000u64 + i as u64
        );
        for (target, (_, _, field)) in KINDS.iter().take(9).enumerate() {
            text.push_str(field);
            text.push_str(":\n");
            for _ in 0..rng.below(3) {
                text.push_str(&format!(
                    "  - \"[[{}]]\"\n",
                    name(rng.below(per_kind), target)
                ));
            }
        }
        text.push_str(&format!(
            "source_daily_note: \"[[2025-{:02}-{:02}]]\"\n---\n## Notes\n",
            1 + rng.below(12),
            1 + rng.below(28)
        ));
        for _ in 0..rng.below(4) {
            text.push_str(&format!(
                "It relates to [[{}]] and more.\n",
                name(rng.below(per_kind), rng.below(KINDS.len()))
            ));
        }
        out.push((path, text, class));
    }
    out
}

fn facts() -> ClassFacts {
    let mut facts = ClassFacts::new();
    for (_, class, _) in KINDS {
        for (_, target, field) in KINDS.iter().take(9) {
            facts.add_relation(class, field, [*target], None);
        }
    }
    facts
}

/// CPU seconds this process has used (user + system, all threads), from `/proc/self/stat`;
/// on a shared machine it says more than the wall clock. 0 where there is no `/proc`.
fn cpu_seconds() -> f64 {
    #[allow(clippy::disallowed_methods)]
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let files = vault(count);
    let started = Instant::now();
    let notes: Vec<NoteInput> = files
        .iter()
        .map(|(path, text, class)| {
            NoteInput::new(path.clone(), parse_note(text.as_bytes())).with_class(*class)
        })
        .collect();
    let parsed = started.elapsed();
    let links: usize = notes.iter().map(|n| n.note.links.len()).sum();
    let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
    let mut index = None;
    for _ in 0..3 {
        let copy = notes.clone();
        let (started, cpu) = (Instant::now(), cpu_seconds());
        let built = Index::build(copy, Vec::new(), facts());
        best = best.min(started.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu_seconds() - cpu);
        index = Some(built);
    }
    let Some(mut index) = index else { return };
    let started = Instant::now();
    let findings = index.diagnostics().len();
    let lint = started.elapsed();
    // Single-file changes: modify a note, create one that makes many links ambiguous, delete it.
    let hub = notes[1].clone();
    let started = Instant::now();
    index.apply(Change::Modified(hub.clone()));
    let modify = started.elapsed();
    let twin = NoteInput {
        path: format!(
            "ME/Elsewhere/{}",
            hub.path.rsplit('/').next().unwrap_or("x.md")
        )
        .into(),
        ..hub.clone()
    };
    let started = Instant::now();
    index.apply(Change::Created(twin.clone()));
    let create = started.elapsed();
    let started = Instant::now();
    index.apply(Change::Deleted(twin.path.to_string()));
    let delete = started.elapsed();
    println!(
        "notes: {count}, links: {links}, parse (1 thread, not the index): {:.0} ms",
        parsed.as_secs_f64() * 1e3
    );
    println!(
        "Index::build: {:.0} ms wall, {:.0} ms CPU (best of 3)",
        best * 1e3,
        best_cpu * 1e3
    );
    println!(
        "diagnostics: {findings} findings in {:.0} ms",
        lint.as_secs_f64() * 1e3
    );
    println!(
        "apply: modify {:.2} ms, create a same-named note {:.2} ms, delete it {:.2} ms",
        modify.as_secs_f64() * 1e3,
        create.as_secs_f64() * 1e3,
        delete.as_secs_f64() * 1e3
    );
}
