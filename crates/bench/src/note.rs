//! Renders one planned note: frontmatter in the owner's shapes (scalars, `[x]`, `["", x]`,
//! empty values, quoted `"[[Name]]"` links in flow and block lists, a few unquoted, path-qualified
//! and aliased links, renamed fields of older notes) and a body of `## ` sections with a few links.

use std::fmt::Write as _;

use crate::generate::{Plan, Planned, Role};
use crate::layout::{self, Family, Field, FieldType, KindId};
use crate::rng::Rng;
use crate::schema::VaultFile;
use crate::words;

/// Counts one rendered file contributes to the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub stubs: usize,
    pub typed: usize,
    pub folder_indexes: usize,
    pub invalid_yaml: usize,
    pub template_leftovers: usize,
    pub schema_files: usize,
    pub links: usize,
    pub bytes: u64,
}

impl Stats {
    pub fn add(self, o: Self) -> Self {
        Self {
            stubs: self.stubs + o.stubs,
            typed: self.typed + o.typed,
            folder_indexes: self.folder_indexes + o.folder_indexes,
            invalid_yaml: self.invalid_yaml + o.invalid_yaml,
            template_leftovers: self.template_leftovers + o.template_leftovers,
            schema_files: self.schema_files + o.schema_files,
            links: self.links + o.links,
            bytes: self.bytes + o.bytes,
        }
    }

    pub fn with_bytes(self, bytes: usize) -> Self {
        Self {
            bytes: bytes as u64,
            ..self
        }
    }
}

/// Renders note `i` of the plan.
pub fn render(plan: &Plan, i: usize, rng: &mut Rng) -> (VaultFile, Stats) {
    let note = &plan.notes[i];
    let path = plan.path(i);
    let mut stats = Stats::default();
    let text = match note.role {
        Role::Stub { zero_bytes } => {
            stats.stubs = 1;
            if zero_bytes {
                String::new()
            } else {
                "---\n---\n".to_owned()
            }
        }
        Role::FolderIndex => {
            stats.folder_indexes = 1;
            folder_index(note)
        }
        Role::Template => {
            stats.template_leftovers = 1;
            stats.typed = 1;
            let class = note.kind.map_or("", |k| layout::kind(k).written_class);
            format!(
                "---\nfileClass: {class}\nid: <% tp.date.now(\"x\") %>\ncreated: <% tp.date.now(\"YYYY-MM-DD HH:mm\") %>\ntitle: <% tp.file.title %>\nstatus: \n---\n"
            )
        }
        Role::Note | Role::InvalidYaml => {
            let mut w = Writer {
                plan,
                rng,
                text: String::with_capacity(2048),
                links: 0,
                current: i,
            };
            let kind = note.kind.map(layout::kind);
            match kind {
                Some(k) if k.family != Family::Untyped => {
                    stats.typed = 1;
                    w.typed_note(note, k, note.role == Role::InvalidYaml);
                    stats.invalid_yaml = usize::from(note.role == Role::InvalidYaml);
                }
                _ => w.untyped_note(note),
            }
            stats.links = w.links;
            w.text
        }
    };
    (VaultFile { path, text }, stats)
}

/// A people note (`Personal/👤 People/<Name>.md`), the target of `people` links.
pub fn render_person(plan: &Plan, i: usize, rng: &mut Rng) -> VaultFile {
    let name = &plan.people[i];
    let practice = if rng.chance(600) { "true" } else { "false" };
    let kind = rng.pick(&["Friend", "Family", "Colleague", "Neighbor"]);
    VaultFile {
        path: format!("Personal/👤 People/{name}.md"),
        text: format!(
            "---\nfileClass: person\nid: {}\ntitle: {name}\nfull_name: {name}\nperson_type: [{kind}]\npractice_lab: {practice}\ntags: []\n---\n",
            1_600_000_000_000u64 + i as u64 * 86_400_000
        ),
    }
}

/// The dashboard note of a folder: a search box and Dataview tables over the folder.
fn folder_index(note: &Planned) -> String {
    let folder = note.folder;
    let name = &note.name;
    let mut t = format!(
        "---\nsearchTerm: \"\"\n---\n\n# {name}\n\n#### Search By Title:\n`INPUT[text:searchTerm]`\n\n"
    );
    let Some(kind) = note.kind.map(layout::kind) else {
        // A parent folder: links to the folders inside it.
        t.push_str("## Sections\n---\n");
        for k in layout::KINDS
            .iter()
            .filter(|k| k.folder.starts_with(folder) && k.folder != folder)
        {
            let _ = writeln!(
                t,
                "- [[{}]]",
                k.folder.rsplit('/').next().unwrap_or(k.folder)
            );
        }
        return t;
    };
    let columns = match (kind.group, kind.family) {
        (Some((prefix, _)), _) => {
            format!("{prefix}_group as \"Group\", {prefix}_type as \"Type\", status as \"Status\"")
        }
        (None, Family::PracticeLab) => {
            "scenario as \"Scenario\", created as \"Date/Time\", grade as \"Grade\"".to_owned()
        }
        (None, _) => "summary as \"Summary\", created as \"Date/Time\"".to_owned(),
    };
    let _ = write!(
        t,
        "### To Review\n```dataview\ntable status as \"Status\", created as \"Created\"\nfrom \"ME/{folder}\"\nwhere file.name != \"{name}\" and (status = null or contains(status, \"progress\") or contains(status, \"review\")) and icontains(file.name, this.searchTerm)\nsort file.name asc\n```\n\n### Completed File List\n```dataview\ntable {columns}\nfrom \"ME/{folder}\"\nwhere file.name != \"{name}\" and contains(status, \"complete\") and icontains(title, this.searchTerm)\nsort file.name asc\n```\n"
    );
    t
}

struct Writer<'a, 'r> {
    plan: &'a Plan,
    rng: &'r mut Rng,
    text: String,
    links: usize,
    /// The note being written (index into `plan.notes`).
    current: usize,
}

impl Writer<'_, '_> {
    fn line(&mut self, key: &str, value: &str) {
        self.text.push_str(key);
        self.text.push(':');
        if !value.is_empty() && !value.starts_with('\n') {
            self.text.push(' ');
        }
        self.text.push_str(value);
        self.text.push('\n');
    }

    /// An empty value, as the owner's notes write it: `key: `, `key:`, `key: ""` or `key: []`.
    fn empty(&mut self, key: &str) {
        let value = match self.rng.below(10) {
            0..=5 => " ",
            6 => "",
            7 => "\"\"",
            _ => "[]",
        };
        if value == " " {
            let _ = writeln!(self.text, "{key}: ");
        } else {
            self.line(key, value);
        }
    }

    /// A single option in one of the four shapes: `x`, `[x]`, `["", x]`, or empty.
    fn option(&mut self, key: &str, value: &str) {
        match self.rng.below(20) {
            0..=9 => self.line(key, value),
            10..=15 => self.line(key, &format!("[{value}]")),
            16..=17 => self.line(key, &format!("[\"\", {value}]")),
            _ => self.empty(key),
        }
    }

    fn typed_note(&mut self, note: &Planned, kind: &layout::Kind, broken: bool) {
        self.text.push_str("---\n");
        self.global_head(note, kind);
        let first_generation = kind.id == KindId::Emotion && self.rng.chance(300);
        if first_generation {
            self.first_generation_emotion(note, kind);
        } else {
            if kind.family == Family::Foundation {
                for field in layout::FOUNDATION_ELEMENT {
                    self.field(kind, field);
                }
                if let Some((prefix, groups)) = kind.group {
                    let group = *self.rng.pick(groups);
                    self.option(&format!("{prefix}_group"), group);
                    let types = layout::types_of_group(group);
                    let n = self.rng.between(1, 2);
                    let chosen: Vec<&str> = types.iter().take(n).map(String::as_str).collect();
                    self.line(
                        &format!("{prefix}_type"),
                        &format!("[{}]", chosen.join(", ")),
                    );
                }
            }
            for field in kind.fields {
                self.field(kind, field);
            }
        }
        self.empty("notes");
        if broken {
            // A quoted item followed by a flow list: invalid for every YAML parser.
            let a = self.target_name(KindId::ProtectiveStrategy);
            let b = self.target_name(KindId::ProtectiveStrategy);
            self.links += 2;
            let _ = writeln!(
                self.text,
                "related:\n  - \"[[{a}]]\" [\"[[{b}]]\", \"[[{a}]]\"]"
            );
        } else if self.rng.chance(150) {
            let list = self.link_list(None);
            self.line("related", &list);
        } else {
            self.empty("related");
        }
        self.empty("media");
        self.empty("attachments");
        if kind.family != Family::Foundation {
            self.line("export_to_inputs", "false");
        }
        self.text.push_str("---\n");
        self.body(kind);
    }

    fn global_head(&mut self, note: &Planned, kind: &layout::Kind) {
        self.line("fileClass", kind.written_class);
        let id = match self.rng.below(1000) {
            0..=19 => "\"\"".to_owned(),
            20..=21 => "1234567890".to_owned(),
            _ => (note.created.epoch_millis() + self.rng.below(60_000) as i64).to_string(),
        };
        self.line("id", &id);
        if self.rng.chance(30) {
            self.line("created", "\"\"");
            self.line("last_modified", "\"\"");
        } else {
            let created = note.created.date_time();
            self.line("created", &created);
            let later = crate::date::Minute(note.created.0 + self.rng.below(90 * 1440) as i64);
            self.line("last_modified", &later.date_time());
        }
        self.line("title", &note.name);
        let status = if self.rng.chance(700) {
            kind.create_status
        } else {
            *self.rng.pick(layout::STATUS)
        };
        self.option("status", status);
        match self.rng.below(3) {
            0 => self.empty("type"),
            1 => self.line("type", &format!("[{}]", kind.class)),
            _ => self.line("type", kind.class),
        }
        self.line("tags", "[]");
        self.option("category", "note");
        let entered = if self.rng.chance(600) {
            "true"
        } else {
            "false"
        };
        self.line("entered", entered);
        self.line("archived", "false");
        let priority = *self.rng.pick(layout::PRIORITY);
        self.option("priority", priority);
        self.line("visibility", "🔒 private");
    }

    /// The first generation of emotion notes: `name`, `emotion_category`, plain-text lists.
    fn first_generation_emotion(&mut self, note: &Planned, kind: &layout::Kind) {
        self.line("name", &note.name);
        let energy = *self.rng.pick(layout::ENERGY_MOOD);
        self.line("energy_mood", energy);
        if let Some((_, groups)) = kind.group {
            let group = *self.rng.pick(groups);
            self.line("emotion_category", group);
            self.line("emotion_type", "Core Emotion");
        }
        let definition = self.sentence(8);
        self.line("definition", &definition);
        for key in ["triggered_by", "needs_behind_it"] {
            let n = self.rng.between(2, 5);
            let plain: Vec<&str> = (0..n).map(|_| *self.rng.pick(words::NOUNS)).collect();
            self.line(key, &format!("[{}]", plain.join(", ")));
        }
        self.empty("opposite");
    }

    fn field(&mut self, kind: &layout::Kind, field: &Field) {
        let name = match (kind.id, field.name) {
            // Older notes still carry renamed fields (SYSTEM.md, "Renamed fields").
            (KindId::EmotionalWound, "healing_resources") if self.rng.chance(800) => {
                "healing_resource"
            }
            (KindId::Observation, "emotions") if self.rng.chance(500) => "feelings",
            _ => field.name,
        };
        if let Some(value) = self.structural(kind, field.name) {
            self.line(name, &value);
            return;
        }
        match field.ty {
            FieldType::Input => {
                if self.rng.chance(350) {
                    self.empty(name);
                } else if field.name == "definition" && self.rng.chance(400) {
                    let s = self.sentence(12);
                    self.line(name, &format!("|\n  {s}"));
                } else if field.name == "source_daily_note" {
                    let day = self.plan_day();
                    // A few are unquoted, which YAML reads as a nested list.
                    if self.rng.chance(30) {
                        self.line(name, &format!("[[{day}]]"));
                    } else {
                        self.line(name, &format!("\"[[{day}]]\""));
                    }
                    self.links += 1;
                } else {
                    let s = self.sentence(6);
                    self.line(name, &s);
                }
            }
            FieldType::Number => {
                let n = self.rng.below(6);
                self.line(name, &n.to_string());
            }
            FieldType::Boolean => {
                let value = if self.rng.chance(500) {
                    "true"
                } else {
                    "false"
                };
                self.line(name, value);
            }
            FieldType::DateTime => {
                let m = crate::date::Minute(
                    crate::date::HISTORY_START.0
                        + self.rng.below(crate::date::HISTORY_MINUTES as usize) as i64,
                );
                self.line(name, &m.date_time());
            }
            FieldType::Select(values) | FieldType::Cycle(values) => {
                if values.is_empty() || self.rng.chance(250) {
                    self.empty(name);
                } else {
                    let v = *self.rng.pick(values);
                    self.option(name, v);
                }
            }
            FieldType::Multi(values) => {
                if values.is_empty() || self.rng.chance(400) {
                    self.empty(name);
                } else {
                    let n = self.rng.between(1, 3.min(values.len()));
                    let chosen: Vec<&str> = (0..n).map(|_| *self.rng.pick(values)).collect();
                    self.line(name, &format!("[{}]", chosen.join(", ")));
                }
            }
            FieldType::MultiFile(target) => {
                let fill = match (kind.id, field.name) {
                    (KindId::Emotion, _) => 700,
                    (_, "people") | (_, "emotions") => 650,
                    (KindId::ProtectiveStrategy, "functions" | "tradeoffs") => 700,
                    (KindId::Tradeoff, "conflicted_part") => 700,
                    (KindId::AttachmentTheory, "strategies") => 700,
                    (KindId::CoreSkill, "supporting_meta_skills") => 800,
                    (_, "threatened_by" | "attachment_style_link") => 500,
                    (k, _) if layout::kind(k).family == Family::PracticeLab => 80,
                    _ => 180,
                };
                if self.rng.chance(fill) && self.has_targets(target) {
                    let list = self.link_list(target);
                    self.line(name, &list);
                } else {
                    self.empty(name);
                }
            }
            FieldType::File(target) => {
                if self.has_targets(target) && !self.rng.chance(200) {
                    let link = self.link(target);
                    self.line(name, &format!("\"[[{link}]]\""));
                } else {
                    self.empty(name);
                }
            }
        }
    }

    /// Values the plan decides (Practice Lab structure), not the random stream.
    fn structural(&mut self, kind: &layout::Kind, field: &str) -> Option<String> {
        let plan = self.plan;
        let p = &plan.notes[self.current].practice;
        let quoted = |i: usize| format!("\"[[{}]]\"", plan.notes[i].name);
        let value = match (kind.id, field) {
            (KindId::PracticeSession | KindId::LiveRehearsal | KindId::Coaching, "scenario") => {
                p.scenario.map(quoted)?
            }
            (KindId::LiveRehearsal | KindId::Coaching, "practice_session") => {
                p.session.map(quoted)?
            }
            (KindId::PracticeSession, "session_number")
            | (KindId::LiveRehearsal | KindId::Coaching, "take") => p.number.to_string(),
            (KindId::PracticeSession, "live_rehearsals") if p.scenario.is_some() => {
                list_of(&p.takes, quoted).unwrap_or_default()
            }
            (KindId::PracticeSession, "coaching_sessions") if p.scenario.is_some() => {
                list_of(&p.coaching, quoted).unwrap_or_default()
            }
            (KindId::PracticeSession, "rehearsal_mode") => {
                match (p.takes.is_empty(), p.coaching.is_empty()) {
                    (false, false) => "Live Rehearsal & Coaching".to_owned(),
                    (true, false) => "Coaching".to_owned(),
                    _ => "Live Rehearsal".to_owned(),
                }
            }
            _ => return None,
        };
        self.links += value.matches("[[").count();
        Some(value)
    }

    fn plan_day(&mut self) -> String {
        self.plan.notes[self.current].created.day()
    }

    fn has_targets(&self, target: Option<KindId>) -> bool {
        match target {
            Some(k) => !self.plan.by_kind[k as usize].is_empty(),
            None => !self.plan.people.is_empty(),
        }
    }

    /// The name of a random existing note of kind `k` (stubs included).
    fn target_name(&mut self, k: KindId) -> String {
        let notes = &self.plan.by_kind[k as usize];
        if notes.is_empty() {
            return "Nowhere".to_owned();
        }
        self.plan.notes[notes[self.rng.below(notes.len())]]
            .name
            .clone()
    }

    /// The inside of one link to a note of `target`: mostly a bare name, some path-qualified,
    /// some aliased, a few dangling.
    fn link(&mut self, target: Option<KindId>) -> String {
        let Some(k) = target else {
            let p = self.rng.below(self.plan.people.len());
            let name = &self.plan.people[p];
            return if self.rng.chance(50) {
                format!("Personal/👤 People/{name}|{}", first_word(name))
            } else {
                name.clone()
            };
        };
        if self.rng.chance(40) {
            return format!("Unwritten {}", self.rng.pick(words::NOUNS));
        }
        let name = self.target_name(k);
        let folder = layout::kind(k).folder;
        match self.rng.below(100) {
            0..=4 => format!("ME/{folder}/{name}"),
            5..=7 => format!("{name}|{}", name.to_lowercase()),
            8 => format!("ME/{folder}/{name}|{name}"),
            _ => name,
        }
    }

    /// A list of 1-4 links (rarely up to 8) in one of the owner's list shapes.
    fn link_list(&mut self, target: Option<KindId>) -> String {
        let n = if self.rng.chance(50) {
            self.rng.between(5, 8)
        } else {
            self.rng.between(1, 4)
        };
        let links: Vec<String> = (0..n).map(|_| self.link(target)).collect();
        self.links += n;
        match self.rng.below(100) {
            0..=79 => {
                let items: Vec<String> = links.iter().map(|l| format!("\"[[{l}]]\"")).collect();
                format!("[{}]", items.join(", "))
            }
            80..=94 => links.iter().map(|l| format!("\n  - \"[[{l}]]\"")).collect(),
            95..=96 => links.iter().map(|l| format!("\n  - [[{l}]]")).collect(),
            _ => {
                let items: Vec<String> = links.iter().map(|l| format!("\"[[{l}]]\"")).collect();
                format!("[\"\", {}]", items.join(", "))
            }
        }
    }

    fn sentence(&mut self, words_hint: usize) -> String {
        let n = self
            .rng
            .between(words_hint.saturating_sub(3).max(3), words_hint + 4);
        let mut s = String::new();
        for i in 0..n {
            let w = *self.rng.pick(words::SENTENCE_WORDS);
            if i == 0 {
                let mut chars = w.chars();
                if let Some(c) = chars.next() {
                    s.extend(c.to_uppercase());
                    s.push_str(chars.as_str());
                }
            } else {
                s.push(' ');
                s.push_str(w);
            }
        }
        s.push('.');
        s
    }

    /// `## Heading` + `---` sections, a few sentences each, now and then a link.
    fn body(&mut self, kind: &layout::Kind) {
        let sections = match kind.family {
            Family::Foundation if self.rng.chance(300) => 0,
            Family::Foundation => self.rng.between(2, 5),
            _ => self.rng.between(1, 4),
        };
        if sections == 0 {
            return;
        }
        self.text.push('\n');
        for s in 0..sections {
            let heading = if s == 0 && kind.family == Family::Foundation {
                "Definition"
            } else {
                *self.rng.pick(words::HEADINGS)
            };
            let _ = write!(self.text, "## {heading}\n---\n");
            for _ in 0..self.rng.between(1, 3) {
                let sentence = self.sentence(11);
                self.text.push_str(&sentence);
                if self.rng.chance(250) {
                    let target = match kind.family {
                        Family::Foundation => kind.id,
                        _ => KindId::Emotion,
                    };
                    if self.has_targets(Some(target)) {
                        let name = self.target_name(target);
                        let link = match self.rng.below(10) {
                            0..=6 => format!("[[{name}]]"),
                            7..=8 => format!("[[{name}|{}]]", name.to_lowercase()),
                            _ => format!("[[{name}#Definition]]"),
                        };
                        self.links += 1;
                        let _ = write!(self.text, " See {link}.");
                    }
                }
                self.text.push('\n');
            }
            self.text.push('\n');
        }
    }

    /// Notes without a fileClass: a small frontmatter of tags, then prose.
    fn untyped_note(&mut self, note: &Planned) {
        if self.rng.chance(500) {
            let _ = write!(
                self.text,
                "---\ntags: [anchor]\ncreated: {}\n---\n",
                note.created.date_time()
            );
        }
        let _ = write!(self.text, "# {}\n\n", note.name);
        for _ in 0..self.rng.between(2, 6) {
            let sentence = self.sentence(14);
            self.text.push_str(&sentence);
            self.text.push('\n');
        }
    }
}

fn list_of(items: &[usize], quoted: impl Fn(usize) -> String) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let items: Vec<String> = items.iter().map(|&i| quoted(i)).collect();
    Some(format!("[{}]", items.join(", ")))
}

fn first_word(name: &str) -> &str {
    name.split(' ').next().unwrap_or(name)
}
