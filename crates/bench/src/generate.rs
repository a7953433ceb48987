//! The synthetic vault generator: plans N notes under `ME/` (kinds, names, empty stubs, practice
//! sessions with their takes and coaching notes, dates over years), renders each note from its
//! own random stream, and writes the files in parallel. Same seed, same bytes.

use std::collections::HashSet;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use crate::date::{HISTORY_MINUTES, HISTORY_START, Minute};
use crate::layout::{self, Family, KINDS, KindId, Naming};
use crate::note;
use crate::rng::{Rng, mix};
use crate::schema::{self, VaultFile};
use crate::words;

/// What a generation run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenSummary {
    /// Markdown files under `ME/` (the `notes` asked for).
    pub notes: usize,
    /// Of those: empty stubs (0 bytes, or `---\n---\n`).
    pub stubs: usize,
    /// Of those: notes with a `fileClass:` key.
    pub typed: usize,
    /// Of those: folder index notes (dashboards with Dataview blocks).
    pub folder_indexes: usize,
    /// Of those: notes whose YAML no parser accepts.
    pub invalid_yaml: usize,
    /// Of those: unrendered Templater files literally named `.md`.
    pub template_leftovers: usize,
    /// People notes under `Personal/👤 People`.
    pub people: usize,
    /// Metadata Menu files (fileClass notes, value lists, `data.json`).
    pub schema_files: usize,
    /// Wiki-links written in `ME/` notes (frontmatter and body).
    pub links: usize,
    /// Bytes written, all files.
    pub bytes: u64,
}

/// Writes a synthetic vault of `notes` Markdown files under `dir/ME` (plus its fileClass
/// schemas under `dir/Meta/fileClass`, people notes and the Metadata Menu settings).
/// `dir` must not exist or be empty. The same `notes` and `seed` give the same bytes.
pub fn generate(dir: &Path, notes: usize, seed: u64) -> io::Result<GenSummary> {
    if dir.exists() && fs_err::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty; the generator only writes into a new or empty folder",
                dir.display()
            ),
        ));
    }
    let plan = Plan::new(notes, seed);
    let mut folders: Vec<String> = plan.folders();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs_err::create_dir_all(dir.join(folder))?;
    }
    let written = (0..plan.file_count())
        .into_par_iter()
        .map(|i| {
            let (file, stats) = plan.render(i);
            fs_err::write(dir.join(&file.path), &file.text)?;
            Ok::<_, io::Error>(stats.with_bytes(file.text.len()))
        })
        .try_reduce(note::Stats::default, |a, b| Ok(a.add(b)))?;
    Ok(plan.summary(written))
}

/// The files `generate` writes, in memory (for tests and for callers that want no disk).
pub fn vault_files(notes: usize, seed: u64) -> (Vec<VaultFile>, GenSummary) {
    let plan = Plan::new(notes, seed);
    let (files, stats): (Vec<VaultFile>, Vec<note::Stats>) = (0..plan.file_count())
        .into_par_iter()
        .map(|i| {
            let (file, stats) = plan.render(i);
            let bytes = file.text.len();
            (file, stats.with_bytes(bytes))
        })
        .unzip();
    let total = stats
        .into_iter()
        .fold(note::Stats::default(), note::Stats::add);
    let summary = plan.summary(total);
    (files, summary)
}

/// The role a planned file plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A filled-in note.
    Note,
    /// An empty stub: 0 bytes, or `---\n---\n`.
    Stub { zero_bytes: bool },
    /// A folder's dashboard note.
    FolderIndex,
    /// An unrendered template named `.md`.
    Template,
    /// A note whose frontmatter no YAML parser accepts.
    InvalidYaml,
}

/// One note of the plan.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The note's kind; `None` for the index notes of parent folders.
    pub kind: Option<KindId>,
    pub folder: &'static str,
    pub role: Role,
    /// File name without `.md` (empty for template leftovers).
    pub name: String,
    pub created: Minute,
    /// Practice Lab structure: the scenario, session, number, takes and coaching notes.
    pub practice: Practice,
}

/// How a Practice Lab note hangs together with the others (indices into `Plan::notes`).
#[derive(Debug, Clone, Default)]
pub struct Practice {
    pub scenario: Option<usize>,
    pub session: Option<usize>,
    /// Session number, take number or coaching number.
    pub number: usize,
    pub takes: Vec<usize>,
    pub coaching: Vec<usize>,
}

/// The whole vault, decided before any note is rendered.
pub struct Plan {
    pub seed: u64,
    pub notes: Vec<Planned>,
    /// Per kind (by `KindId as usize`): indices of its notes, stubs included.
    pub by_kind: Vec<Vec<usize>>,
    pub people: Vec<String>,
}

impl Plan {
    /// Decides kinds, names, stubs, dates and Practice Lab structure for `notes` notes.
    pub fn new(count: usize, seed: u64) -> Self {
        let mut rng = Rng::new(mix(seed, 0x706c_616e));
        let mut notes: Vec<Planned> = Vec::with_capacity(count);

        // Folder index notes first: one per folder.
        let mut index_folders: Vec<(&'static str, Option<KindId>)> =
            layout::PARENT_FOLDERS.iter().map(|f| (*f, None)).collect();
        index_folders.extend(KINDS.iter().map(|k| (k.folder, Some(k.id))));
        for (folder, kind) in index_folders.into_iter().take(count) {
            notes.push(Planned {
                kind,
                folder,
                role: Role::FolderIndex,
                name: last_component(folder).to_owned(),
                created: HISTORY_START,
                practice: Practice::default(),
            });
        }
        if count >= 1000 {
            for &kind in layout::TEMPLATE_LEFTOVER_FOLDERS {
                notes.push(Planned {
                    kind: Some(kind),
                    folder: layout::kind(kind).folder,
                    role: Role::Template,
                    name: String::new(),
                    created: HISTORY_START,
                    practice: Practice::default(),
                });
            }
        }

        let mut counts = apportion(count - notes.len(), KINDS.iter().map(|k| k.weight));
        // A take or coaching note needs a session, a session needs a scenario.
        let practice = [
            KindId::Scenario,
            KindId::PracticeSession,
            KindId::LiveRehearsal,
            KindId::Coaching,
        ];
        if counts[KindId::Scenario as usize] == 0 || counts[KindId::PracticeSession as usize] == 0 {
            for k in practice {
                counts[KindId::CapturedMoment as usize] += counts[k as usize];
                counts[k as usize] = 0;
            }
        }

        let mut by_kind: Vec<Vec<usize>> = vec![Vec::new(); KINDS.len()];
        let mut taken: Vec<HashSet<String>> = vec![HashSet::new(); KINDS.len()];
        for kind in KINDS {
            let n = counts[kind.id as usize];
            let shared = shared_name_count(kind, n);
            for ordinal in 0..n {
                let created = Minute(HISTORY_START.0 + rng.below(HISTORY_MINUTES as usize) as i64);
                let name = match kind.naming {
                    Naming::Themed(_) if ordinal < shared => {
                        shared_name(kind.id, ordinal).to_owned()
                    }
                    Naming::Themed(nouns) => themed_name(kind.id, nouns, ordinal - shared),
                    Naming::Phrase => phrase(&mut rng),
                    Naming::Journal => {
                        let variant = if rng.chance(500) {
                            "🔁 Integration"
                        } else {
                            "🪞 Reflection"
                        };
                        format!("{variant} Journal Entry {}", created.journal_stamp())
                    }
                    Naming::CheckIn => check_in_context(&mut rng),
                    // Named below, once their sessions exist.
                    Naming::Session | Naming::Take | Naming::Coaching => String::new(),
                };
                let name = if name.is_empty() {
                    name
                } else {
                    unclashed(&mut taken[kind.id as usize], name)
                };
                let role = if kind.stub_per_mille > 0 && rng.chance(kind.stub_per_mille) {
                    Role::Stub {
                        zero_bytes: rng.chance(260),
                    }
                } else {
                    Role::Note
                };
                by_kind[kind.id as usize].push(notes.len());
                notes.push(Planned {
                    kind: Some(kind.id),
                    folder: kind.folder,
                    role,
                    name,
                    created,
                    practice: Practice::default(),
                });
            }
        }

        link_practice_lab(&mut notes, &by_kind, &mut rng);

        // About one note in a thousand has YAML that no parser accepts.
        let eligible: Vec<usize> = (0..notes.len())
            .filter(|&i| {
                notes[i].role == Role::Note
                    && notes[i]
                        .kind
                        .is_some_and(|k| layout::kind(k).family != Family::Untyped)
            })
            .collect();
        if !eligible.is_empty() {
            for _ in 0..count / 1000 {
                let i = eligible[rng.below(eligible.len())];
                notes[i].role = Role::InvalidYaml;
            }
        }

        let people_count =
            (10 + count / 200).min(words::FIRST_NAMES.len() * words::LAST_NAMES.len());
        let people = (0..people_count)
            .map(|i| {
                let first = words::FIRST_NAMES[i % words::FIRST_NAMES.len()];
                let last =
                    words::LAST_NAMES[(i / words::FIRST_NAMES.len() + i) % words::LAST_NAMES.len()];
                format!("{first} {last}")
            })
            .collect();

        Self {
            seed,
            notes,
            by_kind,
            people,
        }
    }

    /// Every folder that will hold a file.
    fn folders(&self) -> Vec<String> {
        let mut folders: Vec<String> = self
            .notes
            .iter()
            .map(|n| format!("ME/{}", n.folder))
            .collect();
        folders.push("Personal/👤 People".to_owned());
        for file in schema::schema_files() {
            if let Some((parent, _)) = file.path.rsplit_once('/') {
                folders.push(parent.to_owned());
            }
        }
        folders
    }

    /// Notes, then people, then schema files.
    fn file_count(&self) -> usize {
        self.notes.len() + self.people.len() + schema::schema_files().len()
    }

    /// Renders file `i` (see `file_count`) with its own random stream.
    fn render(&self, i: usize) -> (VaultFile, note::Stats) {
        let mut rng = Rng::for_item(self.seed, 1, i as u64);
        if i < self.notes.len() {
            return note::render(self, i, &mut rng);
        }
        let i = i - self.notes.len();
        if i < self.people.len() {
            return (
                note::render_person(self, i, &mut rng),
                note::Stats::default(),
            );
        }
        let file = schema::schema_files().swap_remove(i - self.people.len());
        (
            file,
            note::Stats {
                schema_files: 1,
                ..Default::default()
            },
        )
    }

    fn summary(&self, stats: note::Stats) -> GenSummary {
        GenSummary {
            notes: self.notes.len(),
            stubs: stats.stubs,
            typed: stats.typed,
            folder_indexes: stats.folder_indexes,
            invalid_yaml: stats.invalid_yaml,
            template_leftovers: stats.template_leftovers,
            people: self.people.len(),
            schema_files: stats.schema_files,
            links: stats.links,
            bytes: stats.bytes,
        }
    }

    /// The vault-relative path of note `i`.
    pub fn path(&self, i: usize) -> String {
        let n = &self.notes[i];
        format!("ME/{}/{}.md", n.folder, n.name)
    }
}

/// Splits `total` in proportion to `weights` (largest remainder), so counts add up exactly.
fn apportion(total: usize, weights: impl Iterator<Item = u32>) -> Vec<usize> {
    let weights: Vec<u64> = weights.map(u64::from).collect();
    let sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut counts: Vec<usize> = weights
        .iter()
        .map(|w| (total as u64 * w / sum) as usize)
        .collect();
    let mut remainders: Vec<(u64, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (total as u64 * w % sum, i))
        .collect();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let missing = total - counts.iter().sum::<usize>();
    for &(_, i) in remainders.iter().take(missing) {
        counts[i] += 1;
    }
    counts
}

fn last_component(folder: &str) -> &str {
    folder.rsplit('/').next().unwrap_or(folder)
}

/// How many of a Foundations kind's notes take a name several folders share (about 6%).
fn shared_name_count(kind: &layout::Kind, n: usize) -> usize {
    let shares = matches!(
        kind.id,
        KindId::Emotion
            | KindId::EmotionalWound
            | KindId::InternalVoice
            | KindId::EmotionalNeed
            | KindId::Trigger
            | KindId::BehaviorFunction
            | KindId::ProtectiveStrategy
    );
    if !shares {
        return 0;
    }
    (n * 6 / 100).min(words::SHARED_NAMES.len())
}

fn shared_name(kind: KindId, ordinal: usize) -> &'static str {
    let len = words::SHARED_NAMES.len();
    words::SHARED_NAMES[(ordinal + kind as usize * 7) % len]
}

/// Title Case "<Quality> <Theme>", every combination once (in a kind-specific order), then
/// "<Quality> <Theme> of the <Noun>", then a number.
fn themed_name(kind: KindId, nouns: &[&str], ordinal: usize) -> String {
    let adjectives = words::ADJECTIVES;
    let pairs = adjectives.len() * nouns.len();
    if ordinal < pairs {
        // A bijection on 0..pairs: an odd stride coprime with `pairs`, a kind-specific offset.
        let stride = coprime_stride(pairs, 7 + 2 * kind as usize);
        let j = (ordinal * stride + kind as usize * 13) % pairs;
        return format!(
            "{} {}",
            adjectives[j % adjectives.len()],
            nouns[j / adjectives.len()]
        );
    }
    let m = ordinal - pairs;
    let triples = pairs * words::NOUNS.len();
    let base = format!(
        "{} {} of the {}",
        adjectives[m % adjectives.len()],
        nouns[(m / adjectives.len()) % nouns.len()],
        words::NOUNS[(m / pairs) % words::NOUNS.len()]
    );
    if m < triples {
        base
    } else {
        format!("{base} {}", m / triples + 1)
    }
}

fn coprime_stride(n: usize, start: usize) -> usize {
    (start..).find(|s| gcd(*s, n) == 1).unwrap_or(1)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// A Title Case phrase: "Waiting at the Lantern", "The Hushed Kettle", …
fn phrase(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => format!(
            "{} {} the {}",
            rng.pick(words::GERUNDS),
            rng.pick(words::PREPOSITIONS),
            rng.pick(words::NOUNS)
        ),
        1 => format!(
            "The {} {}",
            rng.pick(words::ADJECTIVES),
            rng.pick(words::NOUNS)
        ),
        _ => format!(
            "{} {} the {} {}",
            rng.pick(words::GERUNDS),
            rng.pick(words::PREPOSITIONS),
            rng.pick(words::ADJECTIVES),
            rng.pick(words::NOUNS)
        ),
    }
}

/// An inner check-in is named by its context, as typed.
fn check_in_context(rng: &mut Rng) -> String {
    let n = rng.between(3, 6);
    let mut s = String::from(*rng.pick(&["after", "before", "during", "while"]));
    for _ in 0..n {
        s.push(' ');
        let word = *rng.pick(words::SENTENCE_WORDS);
        s.push_str(word);
    }
    s
}

/// A clash gets `-1`, `-2`, … (SYSTEM.md's naming rule).
fn unclashed(taken: &mut HashSet<String>, name: String) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let mut n = 1;
    loop {
        let candidate = format!("{name}-{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// Sessions pick a scenario and take its next number; takes and coaching notes pick a session
/// and take its next number; each side links the other. Dates follow the session numbers.
fn link_practice_lab(notes: &mut [Planned], by_kind: &[Vec<usize>], rng: &mut Rng) {
    let scenarios = &by_kind[KindId::Scenario as usize];
    let sessions = &by_kind[KindId::PracticeSession as usize];
    if scenarios.is_empty() || sessions.is_empty() {
        return;
    }
    let mut next = vec![0usize; notes.len()];
    for &s in sessions {
        let scenario = scenarios[rng.below(scenarios.len())];
        next[scenario] += 1;
        let number = next[scenario];
        notes[s].name = format!("{}_Session-{number}", notes[scenario].name);
        notes[s].created =
            Minute(notes[scenario].created.0 + (number as i64) * 6 * 1440 + rng.below(1440) as i64);
        notes[s].practice = Practice {
            scenario: Some(scenario),
            number,
            ..Practice::default()
        };
    }
    for (kind, label) in [
        (KindId::LiveRehearsal, "Live Rehearsal_Take"),
        (KindId::Coaching, "Coaching Session"),
    ] {
        let mut next_here = vec![0usize; notes.len()];
        for &t in &by_kind[kind as usize] {
            let session = sessions[rng.below(sessions.len())];
            next_here[session] += 1;
            let number = next_here[session];
            notes[t].name = format!("{}_{label}-{number}", notes[session].name);
            notes[t].created = Minute(notes[session].created.0 + (number as i64) * 30);
            notes[t].practice = Practice {
                scenario: notes[session].practice.scenario,
                session: Some(session),
                number,
                ..Practice::default()
            };
            if kind == KindId::LiveRehearsal {
                notes[session].practice.takes.push(t);
            } else {
                notes[session].practice.coaching.push(t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_adds_up_exactly() {
        let counts = apportion(1000, KINDS.iter().map(|k| k.weight));
        assert_eq!(counts.iter().sum::<usize>(), 1000);
        assert_eq!(counts[KindId::Emotion as usize], 140);
        assert_eq!(apportion(7, [1, 1, 1].into_iter()), vec![3, 2, 2]);
    }

    #[test]
    fn themed_names_are_unique_within_a_kind() {
        let mut seen = HashSet::new();
        for ordinal in 0..40_000 {
            assert!(
                seen.insert(themed_name(KindId::Trigger, words::TRIGGER_NOUNS, ordinal)),
                "{ordinal}"
            );
        }
    }

    #[test]
    fn practice_names_follow_the_session_numbering() {
        let plan = Plan::new(2000, 3);
        let sessions = &plan.by_kind[KindId::PracticeSession as usize];
        assert!(!sessions.is_empty());
        for &s in sessions {
            let n = &plan.notes[s];
            let scenario = &plan.notes[n.practice.scenario.expect("session has a scenario")];
            assert_eq!(
                n.name,
                format!("{}_Session-{}", scenario.name, n.practice.number)
            );
            for (k, &t) in n.practice.takes.iter().enumerate() {
                assert_eq!(
                    plan.notes[t].name,
                    format!("{}_Live Rehearsal_Take-{}", n.name, k + 1)
                );
            }
            for (k, &c) in n.practice.coaching.iter().enumerate() {
                assert_eq!(
                    plan.notes[c].name,
                    format!("{}_Coaching Session-{}", n.name, k + 1)
                );
            }
        }
    }
}
