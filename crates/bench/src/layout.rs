//! What a generated vault is made of: the self-work kinds of note (fileClass, folder, naming,
//! share of the vault, share of empty stubs) and the fields each kind carries. The fileClass
//! schemas and the notes are both written from this one table, so they agree.

use crate::words;

/// Every kind of note the generator writes under `ME/`, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KindId {
    Emotion,
    Trigger,
    EmotionalWound,
    EmotionalNeed,
    InternalVoice,
    ProtectiveStrategy,
    BehaviorFunction,
    SoothingResource,
    Tradeoff,
    AttachmentTheory,
    AttachmentStyle,
    AttachmentNeed,
    Scenario,
    PracticeSession,
    LiveRehearsal,
    Coaching,
    CoreSkill,
    MetaSkill,
    CapturedMoment,
    Observation,
    Journal,
    InnerCheckin,
    FromTheFire,
    Anchor,
    GrowthPath,
    MapsAndPatterns,
    Theology,
}

/// How a kind's notes are named (SYSTEM.md, "Types, folders, names").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// Title Case, "<Quality> <theme noun>" (theme nouns given).
    Themed(&'static [&'static str]),
    /// A Title Case phrase ("Waiting at the Ferry").
    Phrase,
    /// `🔁 Integration Journal Entry YYYY-MM-DD @ HHmm` or the Reflection twin.
    Journal,
    /// The context text as typed, lower case.
    CheckIn,
    /// `<scenario>_Session-<n>`.
    Session,
    /// `<session>_Live Rehearsal_Take-<n>`.
    Take,
    /// `<session>_Coaching Session-<n>`.
    Coaching,
}

/// Where a kind sits in the self-work system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Foundation,
    PracticeLab,
    DailyLife,
    /// Notes without a fileClass (anchors, growth path, …).
    Untyped,
}

/// The type of a schema field, in Metadata Menu's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Input,
    Number,
    Boolean,
    DateTime,
    Select(&'static [&'static str]),
    Multi(&'static [&'static str]),
    Cycle(&'static [&'static str]),
    /// A list of links to notes of the given kind (`None`: people notes).
    MultiFile(Option<KindId>),
    /// One link to a note of the given kind.
    File(Option<KindId>),
}

/// One field of a fileClass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
}

const fn f(name: &'static str, ty: FieldType) -> Field {
    Field { name, ty }
}

/// One kind of note.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    pub id: KindId,
    /// The fileClass name its schema has (empty for untyped notes).
    pub class: &'static str,
    /// What its notes write in `fileClass:` (the owner's notes are not always right).
    pub written_class: &'static str,
    /// Folder under `ME/`.
    pub folder: &'static str,
    /// The schema file, relative to `Meta/fileClass/`, without `.md`.
    pub schema: &'static str,
    /// The schema this kind's schema extends.
    pub extends: &'static str,
    pub family: Family,
    pub naming: Naming,
    /// Share of the vault, in parts per 10 000.
    pub weight: u32,
    /// Share of this kind's notes that are empty stubs, per mille.
    pub stub_per_mille: u32,
    /// The status a new note of this kind gets.
    pub create_status: &'static str,
    /// `<prefix>_group` / `<prefix>_type` select pair, with the groups.
    pub group: Option<(&'static str, &'static [&'static str])>,
    /// The kind's own fields, after the inherited ones.
    pub fields: &'static [Field],
}

pub const STATUS: &[&str] = &[
    "🟥 draft",
    "🟧 in progress",
    "🟨 review",
    "🟩 complete",
    "🟦 archived",
    "⬛️ blocked",
];
pub const PRIORITY: &[&str] = &["🔴 High", "🟠 Medium", "🟢 Low", "⚪ None"];
pub const VISIBILITY: &[&str] = &["🔒 private", "👁️ internal", "🌐 external"];
pub const INTENSITY: &[&str] = &["1 faint", "2 mild", "3 clear", "4 strong", "5 flooding"];
pub const MECHANISM: &[&str] = &[
    "Somatic",
    "Cognitive",
    "Relational",
    "Learned",
    "Protective",
];
pub const ENERGY_MOOD: &[&str] = &[
    "High Energy Unpleasant",
    "High Energy Pleasant",
    "Low Energy Unpleasant",
    "Low Energy Pleasant",
];
pub const COLORS: &[&str] = &["Red", "Orange", "Yellow", "Green", "Blue", "Violet", "Grey"];
pub const IMPORTANCE: &[&str] = &["⭐ low", "⭐⭐ medium", "⭐⭐⭐ high"];
pub const MODES: &[&str] = &["Live Rehearsal", "Coaching", "Live Rehearsal & Coaching"];
pub const GRADES: &[&str] = &["A", "B", "C", "D", "Incomplete"];
pub const JOURNAL_TYPES: &[&str] = &["Integration", "Reflection"];
pub const THEMES: &[&str] = &[
    "Work", "Family", "Friends", "Health", "Home", "Money", "Self",
];
pub const DRIVERS: &[&str] = &["Fear", "Care", "Habit", "Curiosity", "Duty", "Fatigue"];
pub const THREAT_SOURCES: &[&str] = &[
    "Internal Voice",
    "Trigger",
    "Protective Strategy",
    "Emotional Wound",
    "Trade-Off",
    "Behavior Function",
];

/// The relation set every Foundations kind inherits (SYSTEM.md).
pub const FOUNDATION_ELEMENT: &[Field] = &[
    f("definition", FieldType::Input),
    f(
        "linked_wounds",
        FieldType::MultiFile(Some(KindId::EmotionalWound)),
    ),
    f(
        "associated_emotions",
        FieldType::MultiFile(Some(KindId::Emotion)),
    ),
    f(
        "internal_voices",
        FieldType::MultiFile(Some(KindId::InternalVoice)),
    ),
    f(
        "soothing_resources",
        FieldType::MultiFile(Some(KindId::SoothingResource)),
    ),
    f(
        "healing_pathways",
        FieldType::MultiFile(Some(KindId::SoothingResource)),
    ),
    f(
        "healing_resources",
        FieldType::MultiFile(Some(KindId::SoothingResource)),
    ),
    f(
        "protective_strategies",
        FieldType::MultiFile(Some(KindId::ProtectiveStrategy)),
    ),
    f("triggered_by", FieldType::MultiFile(Some(KindId::Trigger))),
    f(
        "needs_behind_it",
        FieldType::MultiFile(Some(KindId::EmotionalNeed)),
    ),
    f(
        "behavior_functions",
        FieldType::MultiFile(Some(KindId::BehaviorFunction)),
    ),
    f("tradeoffs", FieldType::MultiFile(Some(KindId::Tradeoff))),
    f("intensity_scale", FieldType::Cycle(INTENSITY)),
    f("mechanism", FieldType::Multi(MECHANISM)),
];

/// The Practice Lab relation set (declared, mostly empty in the owner's notes).
const PRACTICE: &[Field] = &[
    f("meta_skills", FieldType::MultiFile(Some(KindId::MetaSkill))),
    f("core_skills", FieldType::MultiFile(Some(KindId::CoreSkill))),
    f(
        "emotions_in_play",
        FieldType::MultiFile(Some(KindId::Emotion)),
    ),
    f("triggers", FieldType::MultiFile(Some(KindId::Trigger))),
    f(
        "needs_activated",
        FieldType::MultiFile(Some(KindId::EmotionalNeed)),
    ),
    f(
        "emotional_wounds",
        FieldType::MultiFile(Some(KindId::EmotionalWound)),
    ),
    f("grade", FieldType::Select(GRADES)),
    f("skill_level", FieldType::Number),
];

const TAKE_FIELDS: &[Field] = &[
    f("rehearsal_mode", FieldType::Select(MODES)),
    f(
        "practice_session",
        FieldType::File(Some(KindId::PracticeSession)),
    ),
    f("take", FieldType::Number),
    f("scenario", FieldType::File(Some(KindId::Scenario))),
    f("people", FieldType::MultiFile(None)),
    f("summary", FieldType::Input),
    f("meta_skills", FieldType::MultiFile(Some(KindId::MetaSkill))),
    f(
        "emotions_in_play",
        FieldType::MultiFile(Some(KindId::Emotion)),
    ),
    f("triggers", FieldType::MultiFile(Some(KindId::Trigger))),
    f("grade", FieldType::Select(GRADES)),
    f("skill_level", FieldType::Number),
    f("key_miss", FieldType::Input),
];

const DAILY: &[Field] = &[
    f("source_daily_note", FieldType::Input),
    f("importance", FieldType::Select(IMPORTANCE)),
    f("emotions", FieldType::MultiFile(Some(KindId::Emotion))),
    f("people", FieldType::MultiFile(None)),
    f("theme", FieldType::Multi(THEMES)),
    f("summary", FieldType::Input),
];

const FOUNDATION_BASE: &str = "me/foundations/foundation element/foundation_element";
const GLOBAL: &str = "global/global";

#[allow(clippy::too_many_arguments, reason = "one row of the kinds table")]
const fn foundation(
    id: KindId,
    class: &'static str,
    folder: &'static str,
    schema: &'static str,
    nouns: &'static [&'static str],
    weight: u32,
    stub_per_mille: u32,
    group: (&'static str, &'static [&'static str]),
    fields: &'static [Field],
) -> Kind {
    Kind {
        id,
        class,
        written_class: class,
        folder,
        schema,
        extends: FOUNDATION_BASE,
        family: Family::Foundation,
        naming: Naming::Themed(nouns),
        weight,
        stub_per_mille,
        create_status: "🟩 complete",
        group: Some(group),
        fields,
    }
}

#[allow(clippy::too_many_arguments, reason = "one row of the kinds table")]
const fn other(
    id: KindId,
    class: &'static str,
    folder: &'static str,
    schema: &'static str,
    family: Family,
    naming: Naming,
    weight: u32,
    fields: &'static [Field],
) -> Kind {
    Kind {
        id,
        class,
        written_class: class,
        folder,
        schema,
        extends: GLOBAL,
        family,
        naming,
        weight,
        stub_per_mille: 0,
        create_status: "🟧 in progress",
        group: None,
        fields,
    }
}

/// The kinds, indexed by `KindId as usize`. Weights add up to 10 000; with the stub shares
/// they give about 38% empty stubs, as measured on the owner's vault.
pub const KINDS: &[Kind] = &[
    foundation(
        KindId::Emotion,
        "emotion",
        "🏛️ Foundations/🎭 Emotions",
        "me/foundations/emotion/emotion",
        words::EMOTION_NOUNS,
        1400,
        350,
        (
            "emotion",
            &["Joy", "Fear", "Anger", "Sadness", "Peace", "Shame"],
        ),
        &[
            f("energy_mood", FieldType::Select(ENERGY_MOOD)),
            f("opposite", FieldType::MultiFile(Some(KindId::Emotion))),
            f("emotion_color", FieldType::Select(COLORS)),
        ],
    ),
    foundation(
        KindId::Trigger,
        "trigger",
        "🏛️ Foundations/⚡ Triggers",
        "me/foundations/trigger/trigger",
        words::TRIGGER_NOUNS,
        1000,
        800,
        (
            "trigger",
            &[
                "Interpersonal",
                "Surroundings",
                "Inner Weather",
                "Circumstance",
                "Senses",
            ],
        ),
        &[f(
            "trigger_flags",
            FieldType::Multi(&["Recurring", "Rooted", "Sudden", "Anticipated"]),
        )],
    ),
    foundation(
        KindId::EmotionalWound,
        "emotional_wound",
        "🏛️ Foundations/🌀 Emotional Wounds",
        "me/foundations/emotional wound/emotional_wound",
        words::WOUND_NOUNS,
        500,
        500,
        (
            "wound",
            &["Abandonment", "Rejection", "Betrayal", "Neglect", "Control"],
        ),
        &[],
    ),
    foundation(
        KindId::EmotionalNeed,
        "emotional_need",
        "🏛️ Foundations/🛡️ Emotional Needs",
        "me/foundations/emotional need/emotional_need",
        words::NEED_NOUNS,
        700,
        750,
        (
            "need",
            &[
                "Shelter",
                "Kinship",
                "Self-Direction",
                "Standing",
                "Purpose",
            ],
        ),
        &[
            f("threat_source_group", FieldType::Select(THREAT_SOURCES)),
            f(
                "threatened_by",
                FieldType::MultiFile(Some(KindId::InternalVoice)),
            ),
        ],
    ),
    foundation(
        KindId::InternalVoice,
        "internal_voice",
        "🏛️ Foundations/📢 Internal Voices",
        "me/foundations/internal voice/internal_voice",
        words::VOICE_NOUNS,
        1200,
        850,
        (
            "voice",
            &["Critic", "Protector", "Child", "Caretaker", "Rebel"],
        ),
        &[],
    ),
    // The owner's protective strategies all say `fileClass: emotional_need`; see `written_class`.
    Kind {
        written_class: "emotional_need",
        ..foundation(
            KindId::ProtectiveStrategy,
            "protective_strategy",
            "🏛️ Foundations/🪖 Protective Strategies",
            "me/foundations/protectice strategy/protective_strategy",
            words::STRATEGY_NOUNS,
            300,
            0,
            (
                "strategy",
                &["Avoidance", "Control", "Appeasement", "Numbing"],
            ),
            &[
                f(
                    "functions",
                    FieldType::MultiFile(Some(KindId::BehaviorFunction)),
                ),
                // `tradeoffs` comes with the foundation-element set.
            ],
        )
    },
    foundation(
        KindId::BehaviorFunction,
        "behavior_function",
        "🏛️ Foundations/🐾 Behavior Functions",
        "me/foundations/behavior functions/behavior_function",
        words::FUNCTION_NOUNS,
        300,
        20,
        ("function", &["Escape", "Attention", "Tangible", "Sensory"]),
        &[],
    ),
    foundation(
        KindId::SoothingResource,
        "soothing_resource",
        "🏛️ Foundations/🩹 Soothing Resources",
        "me/foundations/soothing resouce/soothing_resource",
        words::SOOTHING_NOUNS,
        800,
        850,
        ("resource", &["Body", "Mind", "People", "Place", "Creative"]),
        &[],
    ),
    Kind {
        create_status: "🟨 review",
        ..foundation(
            KindId::Tradeoff,
            "tradeoff",
            "🏛️ Foundations/⚖️Trade-Offs",
            "me/foundations/tradeoffs/tradeoff",
            words::TRADEOFF_NOUNS,
            250,
            0,
            (
                "tradeoff",
                &["Short Term", "Long Term", "Relational", "Identity"],
            ),
            &[f(
                "conflicted_part",
                FieldType::MultiFile(Some(KindId::InternalVoice)),
            )],
        )
    },
    foundation(
        KindId::AttachmentTheory,
        "attachment_theory",
        "🏛️ Foundations/🕸️ Attachment/💖 Theory",
        "me/foundations/attachment/theory/attachment_theory",
        words::ATTACHMENT_NOUNS,
        150,
        0,
        ("theory", &["Foundations", "Research", "Practice"]),
        &[f(
            "strategies",
            FieldType::MultiFile(Some(KindId::ProtectiveStrategy)),
        )],
    ),
    foundation(
        KindId::AttachmentStyle,
        "attachment_style",
        "🏛️ Foundations/🕸️ Attachment/🔗 Styles",
        "me/foundations/attachment/style/attachment_style",
        words::ATTACHMENT_NOUNS,
        150,
        0,
        ("styles", &["Secure", "Anxious", "Avoidant", "Disorganized"]),
        &[],
    ),
    Kind {
        extends: "me/foundations/emotional need/emotional_need",
        ..foundation(
            KindId::AttachmentNeed,
            "attachment_need",
            "🏛️ Foundations/🕸️ Attachment/🗝️ Needs",
            "me/foundations/attachment/needs/attachment_need",
            words::NEED_NOUNS,
            150,
            0,
            (
                "need",
                &[
                    "Shelter",
                    "Kinship",
                    "Self-Direction",
                    "Standing",
                    "Purpose",
                ],
            ),
            &[f(
                "attachment_style_link",
                FieldType::MultiFile(Some(KindId::AttachmentStyle)),
            )],
        )
    },
    other(
        KindId::Scenario,
        "scenario",
        "🧪 Practice Lab/🎲 Scenarios",
        "me/practice_lab/scenario",
        Family::PracticeLab,
        Naming::Phrase,
        100,
        PRACTICE,
    ),
    Kind {
        written_class: "practice_log",
        ..other(
            KindId::PracticeSession,
            "practice_session",
            "🧪 Practice Lab/🎬 Practice Logs",
            "me/practice_lab/practice_session",
            Family::PracticeLab,
            Naming::Session,
            250,
            &[
                f("rehearsal_mode", FieldType::Select(MODES)),
                f("scenario", FieldType::File(Some(KindId::Scenario))),
                f("session_number", FieldType::Number),
                f("people", FieldType::MultiFile(None)),
                f("summary", FieldType::Input),
                f(
                    "live_rehearsals",
                    FieldType::MultiFile(Some(KindId::LiveRehearsal)),
                ),
                f(
                    "coaching_sessions",
                    FieldType::MultiFile(Some(KindId::Coaching)),
                ),
                f("meta_skills", FieldType::MultiFile(Some(KindId::MetaSkill))),
                f("core_skills", FieldType::MultiFile(Some(KindId::CoreSkill))),
                f("grade", FieldType::Select(GRADES)),
                f("skill_level", FieldType::Number),
            ],
        )
    },
    other(
        KindId::LiveRehearsal,
        "live_rehearsal",
        "🧪 Practice Lab/🎙️ Live Rehearsals",
        "me/practice_lab/live_rehearsal",
        Family::PracticeLab,
        Naming::Take,
        200,
        TAKE_FIELDS,
    ),
    other(
        KindId::Coaching,
        "coaching",
        "🧪 Practice Lab/🧠 Coaching",
        "me/practice_lab/coaching",
        Family::PracticeLab,
        Naming::Coaching,
        150,
        TAKE_FIELDS,
    ),
    other(
        KindId::CoreSkill,
        "core_skill",
        "🧪 Practice Lab/🗺️ Skill Maps/🗣️ Core Skills",
        "me/practice_lab/core_skill",
        Family::PracticeLab,
        Naming::Themed(words::SKILL_NOUNS),
        30,
        &[
            f("description", FieldType::Input),
            f(
                "supporting_meta_skills",
                FieldType::MultiFile(Some(KindId::MetaSkill)),
            ),
        ],
    ),
    other(
        KindId::MetaSkill,
        "meta_skill",
        "🧪 Practice Lab/🗺️ Skill Maps/🧬 Meta Skills",
        "me/practice_lab/meta_skill",
        Family::PracticeLab,
        Naming::Themed(words::SKILL_NOUNS),
        40,
        &[
            f("description", FieldType::Input),
            f("level_0", FieldType::Input),
            f("level_1", FieldType::Input),
            f("level_2", FieldType::Input),
            f("level_3", FieldType::Input),
            f("level_4", FieldType::Input),
            f("level_5", FieldType::Input),
            f(
                "current_level",
                FieldType::Select(&[
                    "level_0", "level_1", "level_2", "level_3", "level_4", "level_5",
                ]),
            ),
            f("current_level_num", FieldType::Number),
        ],
    ),
    other(
        KindId::CapturedMoment,
        "capturedMoment",
        "📝 Captured Moments",
        "me/capturedMoment",
        Family::DailyLife,
        Naming::Phrase,
        1090,
        DAILY,
    ),
    other(
        KindId::Observation,
        "observation",
        "👀 Observations",
        "me/observation",
        Family::DailyLife,
        Naming::Phrase,
        300,
        DAILY,
    ),
    other(
        KindId::Journal,
        "emotional_growth_journal",
        "📓 Journal",
        "me/emotional_growth_journal",
        Family::DailyLife,
        Naming::Journal,
        600,
        &[
            f("source_daily_note", FieldType::Input),
            f("journal_type", FieldType::Select(JOURNAL_TYPES)),
            f("people", FieldType::MultiFile(None)),
            f("emotions", FieldType::MultiFile(Some(KindId::Emotion))),
            f("summary", FieldType::Input),
        ],
    ),
    other(
        KindId::InnerCheckin,
        "inner_checkin",
        "🌒 Reflections/🕹️ Inner Check-Ins",
        "me/inner_checkin",
        Family::DailyLife,
        Naming::CheckIn,
        200,
        &[
            f("event_date_time", FieldType::DateTime),
            f("driver", FieldType::Select(DRIVERS)),
            f("context", FieldType::Input),
            f("people", FieldType::MultiFile(None)),
            f("emotions", FieldType::MultiFile(Some(KindId::Emotion))),
        ],
    ),
    other(
        KindId::FromTheFire,
        "fromthefire",
        "🔥 From The Fire",
        "me/fromthefire",
        Family::DailyLife,
        Naming::Phrase,
        100,
        &[],
    ),
    untyped(KindId::Anchor, "⚓ Anchors & Protocols", 15),
    untyped(KindId::GrowthPath, "🌱 Growth Path", 10),
    untyped(KindId::MapsAndPatterns, "🧭 Maps & Patterns", 10),
    untyped(KindId::Theology, "📖 Theology & Emotional Integration", 5),
];

const fn untyped(id: KindId, folder: &'static str, weight: u32) -> Kind {
    Kind {
        id,
        class: "",
        written_class: "",
        folder,
        schema: "",
        extends: "",
        family: Family::Untyped,
        naming: Naming::Phrase,
        weight,
        stub_per_mille: 150,
        create_status: "",
        group: None,
        fields: &[],
    }
}

/// Folders that hold no notes of their own kind but still get an index note.
pub const PARENT_FOLDERS: &[&str] = &[
    "🏛️ Foundations",
    "🏛️ Foundations/🕸️ Attachment",
    "🧪 Practice Lab",
    "🧪 Practice Lab/🗺️ Skill Maps",
    "🌒 Reflections",
];

/// Folders that get a template file literally named `.md` (an unrendered Templater note).
pub const TEMPLATE_LEFTOVER_FOLDERS: &[KindId] = &[
    KindId::CapturedMoment,
    KindId::Observation,
    KindId::Journal,
    KindId::Scenario,
    KindId::InnerCheckin,
];

/// The kind with this id.
pub fn kind(id: KindId) -> &'static Kind {
    &KINDS[id as usize]
}

/// The group's options for the `<prefix>_type` field: three per group, named after it.
pub fn types_of_group(group: &str) -> [String; 3] {
    [
        format!("{group} Surge"),
        format!("{group} Drift"),
        format!("{group} Echo"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_kind_id_and_weights_add_up() {
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(k.id as usize, i, "{:?} out of place", k.id);
        }
        assert_eq!(KINDS.iter().map(|k| k.weight).sum::<u32>(), 10_000);
    }

    #[test]
    fn expected_stub_share_is_near_the_measured_38_percent() {
        let stubs: u32 = KINDS.iter().map(|k| k.weight * k.stub_per_mille).sum();
        let share = f64::from(stubs) / 10_000_000.0;
        assert!((0.36..0.40).contains(&share), "{share}");
    }
}
