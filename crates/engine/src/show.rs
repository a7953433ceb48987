//! `attune show NOTE`: one note as attune understands it — its class, each field with its
//! logical value, type and findings, every link and what it resolved to, typed relations,
//! the relations of other notes that point back (inverses), and backlinks grouped by class.
//! Plain data; the CLI and the web app render it.

use attune_index::{NoteId, Target};
use attune_syntax::{Diagnostic, LinkPlace, Value};

use crate::Vault;

/// How the note was named on the command line did not pick one note.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShowError {
    #[error("no note `{wanted}` in the vault{}", suggest(.suggestions))]
    NotFound {
        wanted: String,
        suggestions: Vec<String>,
    },
    #[error("`{wanted}` names {} notes: {}; give the path", .candidates.len(), .candidates.join(", "))]
    Ambiguous {
        wanted: String,
        candidates: Vec<String>,
    },
}

fn suggest(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(" or "))
    }
}

/// A note in a list: its path and class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSummary {
    pub path: String,
    /// File name without `.md`.
    pub name: String,
    pub class: Option<String>,
}

/// One frontmatter field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldReport {
    /// The key as written.
    pub key: String,
    /// What the value means (`["", x]` reads as `[x]`, `"[[A]]"` as a link).
    pub value: Value,
    /// The Metadata Menu type the class gives the field (`MultiFile`, `Select`, …); `None`
    /// when the class does not know the field.
    pub field_type: Option<String>,
    /// Findings about this field (`schema/*`, links in it); empty when valid.
    pub findings: Vec<Diagnostic>,
}

/// One link and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkReport {
    /// As written, `[[Name#Heading|alias]]`.
    pub written: String,
    /// The frontmatter field it sits in (`None`: the body).
    pub field: Option<String>,
    pub embed: bool,
    pub outcome: LinkOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    Note(NoteSummary),
    File(String),
    Dangling,
    Ambiguous(Vec<NoteSummary>),
    Empty,
}

/// A relation field of the note and its resolved targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationReport {
    pub field: String,
    pub target_classes: Vec<String>,
    /// The field on each target that points back, when declared.
    pub inverse: Option<String>,
    pub targets: Vec<NoteSummary>,
    /// Links in the field that did not resolve to one note.
    pub unresolved: usize,
}

/// Another note's relation field pointing here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InverseReport {
    /// The declared inverse field on this note (`None`: the schema declares none).
    pub field: Option<String>,
    /// The relation field on the other note.
    pub via: String,
    pub source: NoteSummary,
}

/// Backlinks from notes of one class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BacklinkGroup {
    /// `None`: notes without a class.
    pub class: Option<String>,
    /// Each linking note once, with the fields its links sit in (`None` = body).
    pub notes: Vec<(NoteSummary, Vec<Option<String>>)>,
}

/// Everything `attune show` prints.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteReport {
    pub note: NoteSummary,
    /// The `fileClass:` key as written, when it differs from the class (a mismatch).
    pub declared_class: Option<String>,
    pub excluded: bool,
    pub fields: Vec<FieldReport>,
    pub links: Vec<LinkReport>,
    pub relations: Vec<RelationReport>,
    pub inverses: Vec<InverseReport>,
    pub backlinks: Vec<BacklinkGroup>,
    /// Every finding about the note (the same as `attune check` reports for its path).
    pub findings: Vec<Diagnostic>,
}

/// Find the note `wanted` names: a vault path (with or without `.md`), a note name, or an `id`.
pub fn find_note(vault: &Vault, wanted: &str) -> Result<NoteId, ShowError> {
    let index = &vault.index;
    let trimmed = wanted
        .trim()
        .trim_start_matches("./")
        .trim_start_matches("[[")
        .trim_end_matches("]]");
    if let Some(id) = index.by_path(trimmed) {
        return Ok(id);
    }
    let path_of = |id: NoteId| {
        index
            .note(id)
            .map(|n| n.path().to_owned())
            .unwrap_or_default()
    };
    // A path that ends a unique note's path, or a bare name, resolves as a link would.
    match index.resolve_text(trimmed) {
        Target::Note(id) => return Ok(id),
        Target::Ambiguous(ids) => {
            return Err(ShowError::Ambiguous {
                wanted: wanted.to_owned(),
                candidates: ids.iter().map(|&i| path_of(i)).collect(),
            });
        }
        _ => {}
    }
    let by_id = index.by_id(trimmed);
    match by_id.len() {
        1 => return Ok(by_id[0]),
        0 => {}
        _ => {
            return Err(ShowError::Ambiguous {
                wanted: wanted.to_owned(),
                candidates: by_id.into_iter().map(path_of).collect(),
            });
        }
    }
    let wanted_lower = trimmed.to_lowercase();
    let mut scored: Vec<(f64, String)> = index
        .notes()
        .filter(|n| !n.excluded())
        .map(|n| {
            (
                strsim::jaro_winkler(&wanted_lower, &n.name().to_lowercase()),
                n.path().to_owned(),
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Err(ShowError::NotFound {
        wanted: wanted.to_owned(),
        suggestions: scored.into_iter().take(3).map(|(_, p)| p).collect(),
    })
}

fn summary(vault: &Vault, id: NoteId) -> NoteSummary {
    match vault.index.note(id) {
        Some(n) => NoteSummary {
            path: n.path().to_owned(),
            name: n.name().to_owned(),
            class: n.class().map(str::to_owned),
        },
        None => NoteSummary {
            path: String::new(),
            name: String::new(),
            class: None,
        },
    }
}

/// The report for the note `wanted` names (see [`find_note`]).
pub fn show(vault: &Vault, wanted: &str) -> Result<NoteReport, ShowError> {
    let id = find_note(vault, wanted)?;
    Ok(report(vault, id))
}

/// The report for one note of the index.
pub fn report(vault: &Vault, id: NoteId) -> NoteReport {
    let index = &vault.index;
    let note_ref = index
        .note(id)
        .expect("the id comes from this vault's index");
    let path = note_ref.path();
    let note = note_ref.note();
    let class = note_ref.class().and_then(|c| vault.schema.class(c));

    // Every finding about this note, as `attune check` gives them.
    let mut findings: Vec<Diagnostic> = vault
        .diagnostics
        .iter()
        .chain(&vault.schema_diagnostics)
        .filter(|d| d.path == path)
        .cloned()
        .collect();
    if let Some(fm) = note.frontmatter.as_ref().filter(|fm| fm.valid)
        && !note_ref.excluded()
    {
        findings.extend(
            vault
                .schema
                .validate_note(note_ref.class(), fm, path)
                .into_iter()
                .map(|mut d| {
                    if d.path.is_empty() {
                        d.path = path.to_owned();
                    }
                    d
                }),
        );
    }
    findings.extend(index.note_diagnostics(id));
    crate::check::sort_findings(vault, &mut findings);

    let fields: Vec<FieldReport> = note
        .frontmatter
        .iter()
        .flat_map(|fm| fm.iter())
        .map(|field| {
            let field_type = class
                .and_then(|c| c.field(field.key.trim()))
                .map(|f| f.def.field_type.as_str().to_owned());
            let lines = field.lines(&note.source);
            let field_findings = findings
                .iter()
                .filter(|d| {
                    d.span.is_some_and(|s| {
                        s.start >= lines.start && s.start < lines.end.max(lines.start + 1)
                    })
                })
                .cloned()
                .collect();
            FieldReport {
                key: field.key.to_string(),
                value: field.value.clone(),
                field_type,
                findings: field_findings,
            }
        })
        .collect();

    let links: Vec<LinkReport> = note_ref
        .links()
        .map(|(link, target)| LinkReport {
            written: link.target.to_wiki(),
            field: match &link.place {
                LinkPlace::Frontmatter { key } => Some(key.to_string()),
                LinkPlace::Body => None,
            },
            embed: link.embed,
            outcome: match target {
                Target::Note(t) => LinkOutcome::Note(summary(vault, *t)),
                Target::File(f) => {
                    LinkOutcome::File(index.file_path(*f).unwrap_or_default().to_owned())
                }
                Target::Dangling => LinkOutcome::Dangling,
                Target::Ambiguous(ids) => {
                    LinkOutcome::Ambiguous(ids.iter().map(|&i| summary(vault, i)).collect())
                }
                Target::Empty => LinkOutcome::Empty,
            },
        })
        .collect();

    let relations = index
        .relations(id)
        .into_iter()
        .map(|r| RelationReport {
            field: r.field.to_owned(),
            target_classes: r.target_classes.iter().map(|c| (*c).to_owned()).collect(),
            inverse: r.inverse.map(str::to_owned),
            targets: r.targets.iter().map(|&t| summary(vault, t)).collect(),
            unresolved: r.unresolved,
        })
        .collect();

    let inverses = index
        .inverses(id)
        .into_iter()
        .map(|i| InverseReport {
            field: i.field.map(str::to_owned),
            via: i.via.to_owned(),
            source: summary(vault, i.source),
        })
        .collect();

    let mut backlinks: Vec<BacklinkGroup> = Vec::new();
    for b in note_ref.backlinks() {
        let source = summary(vault, b.source);
        let field = match &b.link.place {
            LinkPlace::Frontmatter { key } => Some(key.to_string()),
            LinkPlace::Body => None,
        };
        let group = match backlinks.iter().position(|g| g.class == source.class) {
            Some(at) => &mut backlinks[at],
            None => {
                backlinks.push(BacklinkGroup {
                    class: source.class.clone(),
                    notes: Vec::new(),
                });
                backlinks.last_mut().expect("just pushed")
            }
        };
        match group.notes.iter_mut().find(|(n, _)| n.path == source.path) {
            Some((_, fields)) => {
                if !fields.contains(&field) {
                    fields.push(field);
                }
            }
            None => group.notes.push((source, vec![field])),
        }
    }
    backlinks.sort_by(|a, b| (a.class.is_none(), &a.class).cmp(&(b.class.is_none(), &b.class)));

    let declared = note
        .frontmatter
        .as_ref()
        .and_then(|fm| fm.get(&vault.schema.settings.file_class_alias))
        .and_then(|f| f.value.as_single_str().map(str::to_owned));
    let declared_class = declared.filter(|d| {
        let known = vault.schema.class(d).map(|c| c.short_name().to_owned());
        known.as_deref().unwrap_or(d.as_str()) != note_ref.class().unwrap_or("")
    });

    NoteReport {
        note: summary(vault, id),
        declared_class,
        excluded: note_ref.excluded(),
        fields,
        links,
        relations,
        inverses,
        backlinks,
        findings,
    }
}
