//! Insights: charts built from the vault — entries written per month, the emotions and
//! triggers that come up most, triggers by group, where notes stand, practice sessions per
//! scenario and their grades over time.
//!
//! [`charts`] computes every chart as plain data (labels, series, a link per label); the
//! page (`/insights`) shows each as a table the server renders and `app.js` draws it with the
//! vendored Chart.js from `GET /api/insights` (no inline script: the CSP forbids it).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use serde::Serialize;

use crate::href;
use crate::site::Site;
use crate::view::{class_label, escape};

/// The classes whose notes are entries written at a moment (not foundations, not maps):
/// what "entries per month" counts.
pub const ENTRY_CLASSES: [&str; 8] = [
    "capturedMoment",
    "emotional_growth_journal",
    "inner_checkin",
    "observation",
    "fromthefire",
    "practice_session",
    "live_rehearsal",
    "coaching",
];

/// How many bars a "most frequent" chart shows.
const TOP: usize = 12;
/// How many months a "per month" chart shows at most (the latest).
const MONTHS: usize = 36;

/// One chart as data.
#[derive(Clone, Debug, Serialize)]
pub struct Chart {
    /// Stable id (`entries`, `emotions`, …), the canvas's `data-chart`.
    pub id: &'static str,
    pub title: String,
    /// What it shows, in a sentence.
    pub caption: String,
    /// `bar`, `hbar` (horizontal bars), `stacked` (stacked bars), `doughnut` or `line`.
    pub kind: &'static str,
    pub labels: Vec<String>,
    /// A page per label (`/notes/…`) when the label is a note, else `None`.
    pub links: Vec<Option<String>>,
    pub series: Vec<Series>,
}

/// One data series of a chart; `None` is a gap (a line chart skips it).
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    pub label: String,
    pub data: Vec<Option<f64>>,
}

impl Chart {
    /// No data at all: the page says so instead of drawing an empty chart.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
            || self
                .series
                .iter()
                .all(|s| s.data.iter().all(|v| v.is_none_or(|v| v == 0.0)))
    }

    /// The chart as an HTML table (what screen readers and a browser without scripts get).
    pub fn table_html(&self) -> String {
        let mut html = String::from(
            "<div class=\"table-wrap\"><table class=\"chart-data\"><thead><tr><th scope=\"col\"></th>",
        );
        for s in &self.series {
            let _ = write!(html, "<th scope=\"col\">{}</th>", escape(&s.label));
        }
        html.push_str("</tr></thead><tbody>");
        for (i, label) in self.labels.iter().enumerate() {
            html.push_str("<tr><th scope=\"row\">");
            match self.links.get(i).and_then(Option::as_ref) {
                Some(link) => {
                    let _ = write!(html, "<a href=\"{}\">{}</a>", escape(link), escape(label));
                }
                None => html.push_str(&escape(label)),
            }
            html.push_str("</th>");
            for s in &self.series {
                match s.data.get(i).copied().flatten() {
                    Some(v) => {
                        let _ = write!(html, "<td>{v}</td>");
                    }
                    None => html.push_str("<td class=\"muted\">–</td>"),
                }
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table></div>");
        html
    }
}

/// The month (`2026-03`) and day (`2026-03-14`) a note was written: its `created` field when
/// it holds a date, else the file's creation time.
pub fn written_on(site: &Site, entry: usize) -> Option<(String, String)> {
    let from_field = site
        .field(entry, "created")
        .and_then(|v| v.as_single_str().map(str::to_owned))
        .and_then(|t| {
            let day = t.trim().get(..10)?.to_owned();
            jiff::civil::Date::strptime("%Y-%m-%d", &day).ok()?;
            Some(day)
        });
    let day = match from_field {
        Some(d) => d,
        None => {
            let ms = site.vault_note(entry).meta.ctime_ms;
            let t = attune_engine::query::local_time(ms)?;
            t.date().strftime("%Y-%m-%d").to_string()
        }
    };
    Some((day.get(..7)?.to_owned(), day))
}

/// A field's value as a number (`3`, `2.5`, `"4"`), first item of a list.
fn number(value: &attune_syntax::Value) -> Option<f64> {
    use attune_syntax::Value;
    match value {
        Value::Int(n) => Some(*n as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        Value::Text(t) => t.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        Value::List(items) => items.first().and_then(number),
        _ => None,
    }
}

/// Every month from `first` to `last` (`YYYY-MM`), at most the last [`MONTHS`].
fn month_range(first: &str, last: &str) -> Vec<String> {
    let parse = |m: &str| -> Option<(i32, u32)> {
        let (y, mo) = m.split_once('-')?;
        Some((y.parse().ok()?, mo.parse().ok()?))
    };
    let (Some((mut y, mut m)), Some(end)) = (parse(first), parse(last)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while (y, m) <= end && out.len() < 1200 {
        out.push(format!("{y:04}-{m:02}"));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    let skip = out.len().saturating_sub(MONTHS);
    out.split_off(skip)
}

/// Counts per month and per series name, as a stacked chart over contiguous months.
fn per_month(
    id: &'static str,
    title: &str,
    caption: &str,
    counts: &BTreeMap<String, BTreeMap<String, f64>>,
) -> Chart {
    let months: BTreeSet<&String> = counts.values().flat_map(|m| m.keys()).collect();
    let labels = match (months.first(), months.last()) {
        (Some(a), Some(b)) => month_range(a, b),
        _ => Vec::new(),
    };
    let series = counts
        .iter()
        .map(|(name, by_month)| Series {
            label: name.clone(),
            data: labels
                .iter()
                .map(|m| Some(by_month.get(m).copied().unwrap_or(0.0)))
                .collect(),
        })
        .collect();
    Chart {
        id,
        title: title.to_owned(),
        caption: caption.to_owned(),
        kind: "stacked",
        links: vec![None; labels.len()],
        labels,
        series,
    }
}

/// Notes of class `short` ranked by how many notes of other classes link to them.
fn most_linked(
    site: &Site,
    short: &str,
    id: &'static str,
    title: &str,
    caption: &str,
) -> Option<Chart> {
    let class = site.class(short)?;
    let mut ranked: Vec<(usize, usize)> = site
        .entries_of(class.name())
        .into_iter()
        .map(|i| {
            let from: BTreeSet<usize> = site.backlinks[i]
                .iter()
                .map(|b| b.from)
                .filter(|&f| site.entries[f].class.as_deref() != Some(class.name()))
                .collect();
            (i, from.len())
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    ranked.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(site.entries[a.0].name.cmp(&site.entries[b.0].name))
    });
    ranked.truncate(TOP);
    Some(Chart {
        id,
        title: title.to_owned(),
        caption: caption.to_owned(),
        kind: "hbar",
        labels: ranked
            .iter()
            .map(|(i, _)| site.entries[*i].name.clone())
            .collect(),
        links: ranked
            .iter()
            .map(|(i, _)| Some(href::note(&site.entries[*i].path)))
            .collect(),
        series: vec![Series {
            label: "notes linking to it".to_owned(),
            data: ranked.iter().map(|(_, n)| Some(*n as f64)).collect(),
        }],
    })
}

/// Notes counted by the text of one field (`no value` when empty), biggest first.
fn by_value(
    site: &Site,
    entries: &[usize],
    field: &str,
    id: &'static str,
    title: &str,
    caption: &str,
) -> Chart {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for &i in entries {
        let value = site
            .field(i, field)
            .and_then(|v| {
                v.items()
                    .find_map(|x| x.as_str().map(|s| s.trim().to_owned()))
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "no value".to_owned());
        *counts.entry(value).or_default() += 1;
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Chart {
        id,
        title: title.to_owned(),
        caption: caption.to_owned(),
        kind: "doughnut",
        links: vec![None; ranked.len()],
        labels: ranked.iter().map(|(v, _)| v.clone()).collect(),
        series: vec![Series {
            label: "notes".to_owned(),
            data: ranked.iter().map(|(_, n)| Some(*n as f64)).collect(),
        }],
    }
}

/// Every chart of the vault, in the order the page shows them. Charts with no data are
/// kept (the page says "nothing yet" for them).
pub fn charts(site: &Site) -> Vec<Chart> {
    let mut out = Vec::new();

    // Entries per month, by type.
    let mut entries: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for short in ENTRY_CLASSES {
        let Some(class) = site.class(short) else {
            continue;
        };
        let label = class_label(site, class.name());
        for i in site.entries_of(class.name()) {
            if let Some((month, _)) = written_on(site, i) {
                *entries
                    .entry(label.clone())
                    .or_default()
                    .entry(month)
                    .or_default() += 1.0;
            }
        }
    }
    out.push(per_month(
        "entries",
        "Entries per month",
        "Captured moments, journal entries, check-ins, observations and practice notes, by the month they were written.",
        &entries,
    ));

    if let Some(c) = most_linked(
        site,
        "emotion",
        "emotions",
        "Emotions that come up most",
        "How many moments, entries and sessions name each emotion.",
    ) {
        out.push(c);
    }
    if let Some(c) = most_linked(
        site,
        "trigger",
        "triggers",
        "Triggers that come up most",
        "How many other notes link to each trigger.",
    ) {
        out.push(c);
    }
    if let Some(trigger) = site.class("trigger") {
        let all = site.entries_of(trigger.name());
        out.push(by_value(
            site,
            &all,
            "trigger_group",
            "trigger-groups",
            "Triggers by group",
            "Your triggers by their trigger group.",
        ));
    }

    // Where notes stand: status of every typed note.
    let typed: Vec<usize> = (0..site.entries.len())
        .filter(|&i| site.entries[i].class.is_some() && !site.entries[i].stub)
        .collect();
    out.push(by_value(
        site,
        &typed,
        "status",
        "status",
        "Where your notes stand",
        "Every typed note by its status (empty stubs left out).",
    ));

    // Practice: sessions per scenario per month, and grades over time.
    if let Some(scenario) = site.class("scenario") {
        let mut sessions: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
        let mut grades: Vec<(String, String, f64)> = Vec::new();
        for s in site.entries_of(scenario.name()) {
            let name = site.entries[s].name.clone();
            for session in crate::lab::sessions_of(site, s) {
                let Some((month, day)) = written_on(site, session.session) else {
                    continue;
                };
                *sessions
                    .entry(name.clone())
                    .or_default()
                    .entry(month)
                    .or_default() += 1.0;
                let grade = site.field(session.session, "grade").and_then(number);
                if let Some(g) = grade {
                    grades.push((day, name.clone(), g));
                }
            }
        }
        out.push(per_month(
            "sessions",
            "Practice sessions per month",
            "Practice sessions by scenario and the month they were held.",
            &sessions,
        ));
        let days: Vec<String> = grades
            .iter()
            .map(|(d, _, _)| d.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let names: BTreeSet<&String> = grades.iter().map(|(_, n, _)| n).collect();
        let series = names
            .into_iter()
            .map(|name| Series {
                label: name.clone(),
                data: days
                    .iter()
                    .map(|d| {
                        grades
                            .iter()
                            .find(|(gd, gn, _)| gd == d && gn == name)
                            .map(|(_, _, g)| *g)
                    })
                    .collect(),
            })
            .collect();
        out.push(Chart {
            id: "grades",
            title: "Session grades over time".to_owned(),
            caption: "The grade you gave each practice session, by scenario.".to_owned(),
            kind: "line",
            links: vec![None; days.len()],
            labels: days,
            series,
        });
    }
    out
}

#[derive(askama::Template)]
#[template(path = "insights.html")]
struct InsightsPage {
    layout: crate::view::Layout,
    charts: Vec<Chart>,
}

/// `GET /insights`: every chart, with its numbers as a table.
pub async fn insights_page(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
) -> crate::pages::Page {
    use askama::Template;
    let site = state.site();
    let page = InsightsPage {
        layout: crate::pages::layout(&state, &site, "Insights"),
        charts: charts(&site),
    };
    crate::pages::Page(axum::http::StatusCode::OK, page.render())
}

/// `GET /api/insights`: `{"charts": [{id, title, caption, kind, labels, links, series:
/// [{label, data}]}]}`.
pub async fn api_insights(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
) -> axum::Json<serde_json::Value> {
    let site = state.site();
    axum::Json(serde_json::json!({ "charts": charts(&site) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_contiguous_and_capped() {
        assert_eq!(
            month_range("2025-11", "2026-02"),
            vec!["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert_eq!(month_range("2000-01", "2026-12").len(), MONTHS);
        assert_eq!(
            month_range("2000-01", "2026-12").last().map(String::as_str),
            Some("2026-12")
        );
        assert!(month_range("garbage", "2026-01").is_empty());
    }

    #[test]
    fn an_empty_chart_is_empty_and_tables_escape() {
        let chart = Chart {
            id: "x",
            title: "t".into(),
            caption: "c".into(),
            kind: "bar",
            labels: vec!["<script>".into()],
            links: vec![Some("/notes/a\"b".into())],
            series: vec![Series {
                label: "<b>".into(),
                data: vec![Some(0.0)],
            }],
        };
        assert!(chart.is_empty());
        let html = chart.table_html();
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;") && html.contains("a&quot;b"),
            "{html}"
        );
    }
}
