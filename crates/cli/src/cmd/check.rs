//! `attune check [VAULT]`: every problem of a vault, rustc-style for people or as JSON for
//! programs, with a summary by code. Exit 0 when nothing at or above `--severity` (default:
//! error) is found, 1 otherwise, 2 for bad usage.

use std::fmt::Write as _;
use std::process::ExitCode;

use attune_engine::check::{CodeCount, Locator, check, summarize};
use attune_syntax::{Diagnostic, Severity};
use serde_json::json;

use crate::render;
use crate::vault_arg::VaultArg;

use crate::format::Format;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    vault: VaultArg,
    /// Output format (`json`: every finding that passes `--code`/`--path`, then a summary).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit with status 1 when a finding at or above this severity is found.
    #[arg(long, value_enum, default_value = "error")]
    severity: Level,
    /// Print findings at or above this severity (text output; the summary counts all).
    #[arg(long, value_enum, default_value = "warning")]
    show: Level,
    /// Only findings with this code (`link/dangling`), or codes under a prefix (`link/`, `schema`); repeatable.
    #[arg(long, value_name = "CODE")]
    code: Vec<String>,
    /// Only findings in files under this vault-relative path (folder or file); repeatable.
    #[arg(long, value_name = "PATH")]
    path: Vec<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Level::Info => Severity::Info,
            Level::Warning => Severity::Warning,
            Level::Error => Severity::Error,
        }
    }
}

/// `--code` matches a code exactly or as a prefix at a `/` boundary (`link` and `link/` match `link/dangling`).
fn code_matches(filters: &[String], code: &str) -> bool {
    filters.is_empty()
        || filters.iter().any(|f| {
            let f = f.trim().trim_end_matches('*');
            code == f.trim_end_matches('/')
                || (f.ends_with('/') && code.starts_with(f))
                || code.starts_with(&format!("{f}/"))
        })
}

/// `--path` matches a file or anything under a folder (no `/` needed at the end).
fn path_matches(filters: &[String], path: &str) -> bool {
    filters.is_empty()
        || filters.iter().any(|f| {
            let f = f.trim().trim_start_matches("./").trim_end_matches('/');
            f.is_empty()
                || path == f
                || path.starts_with(&format!("{f}/"))
                || path.strip_suffix(".md") == Some(f)
        })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.vault.resolve()?;
    if !dir.path.is_dir() {
        anstream::eprintln!("error: no vault folder at {}", dir.path.display());
        return Ok(ExitCode::from(2));
    }
    let vault = dir.load(&attune_engine::vault::Silent)?;
    let findings: Vec<Diagnostic> = check(vault)
        .into_iter()
        .filter(|d| code_matches(&args.code, d.code) && path_matches(&args.path, &d.path))
        .collect();
    let locator = Locator::new(vault);
    let summary = summarize(&findings);
    match args.format {
        Format::Json => println!("{}", json_report(&findings, &summary, &locator)),
        Format::Text => print_text(&findings, &summary, &locator, args.show.severity()),
    }
    let failed = findings
        .iter()
        .any(|d| d.severity >= args.severity.severity());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_text(
    findings: &[Diagnostic],
    summary: &[CodeCount],
    locator: &Locator<'_>,
    show: Severity,
) {
    use anstream::println;
    for d in findings.iter().filter(|d| d.severity >= show) {
        println!("{}", render::render(d, locator.source(&d.path)));
    }
    if findings.is_empty() {
        println!("\x1b[1;32mno problems found\x1b[0m");
        return;
    }
    println!("{}", summary_table(summary, show));
}

/// The summary by code: severity, code, count; then totals and what was not shown.
fn summary_table(summary: &[CodeCount], show: Severity) -> String {
    let mut out = String::new();
    let width = summary
        .iter()
        .map(|c| c.code.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "\x1b[1m{:<8} {:<width$} {:>6}\x1b[0m",
        "severity", "code", "count"
    );
    for c in summary {
        let _ = writeln!(
            out,
            "{}{:<8}\x1b[0m {:<width$} {:>6}",
            style(c.severity),
            c.severity.as_str(),
            c.code,
            c.count
        );
    }
    let count = |s: Severity| {
        summary
            .iter()
            .filter(|c| c.severity == s)
            .map(|c| c.count)
            .sum::<usize>()
    };
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let _ = write!(out, "\x1b[1m{}\x1b[0m", totals(errors, warnings, infos));
    let hidden: usize = summary
        .iter()
        .filter(|c| c.severity < show)
        .map(|c| c.count)
        .sum();
    if hidden > 0 {
        let level = if show == Severity::Error {
            "warning"
        } else {
            "info"
        };
        let _ = write!(out, " ({hidden} not shown: use --show {level})");
    }
    out
}

fn totals(errors: usize, warnings: usize, infos: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(infos, "info")
    )
}

fn style(s: Severity) -> &'static str {
    match s {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
    }
}

/// `{"findings": [ …one object per line… ], "summary": {…}}`: valid JSON whose findings diff
/// line by line, in the stable order of `check`.
fn json_report(findings: &[Diagnostic], summary: &[CodeCount], locator: &Locator<'_>) -> String {
    let mut out = String::from("{\"findings\": [\n");
    for (i, d) in findings.iter().enumerate() {
        let (line, column) = locator
            .locate(d)
            .map_or((None, None), |lc| (Some(lc.line), Some(lc.col)));
        let end = d.span.and_then(|span| {
            let mut end = d.clone();
            end.span = Some(attune_syntax::Span {
                start: span.end,
                end: span.end,
            });
            locator.locate(&end)
        });
        let text = d
            .span
            .and_then(|s| locator.source(&d.path).and_then(|t| t.get(s.range())));
        let object = json!({
            "code": d.code,
            "severity": d.severity.as_str(),
            "path": d.path,
            "line": line,
            "column": column,
            "end_line": end.map(|e| e.line),
            "end_column": end.map(|e| e.col),
            "message": d.message,
            "help": d.help,
            "text": text,
        });
        let _ = writeln!(
            out,
            "  {object}{}",
            if i + 1 < findings.len() { "," } else { "" }
        );
    }
    let count = |s: Severity| {
        summary
            .iter()
            .filter(|c| c.severity == s)
            .map(|c| c.count)
            .sum::<usize>()
    };
    let summary_json = json!({
        "total": findings.len(),
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "infos": count(Severity::Info),
        "by_code": summary.iter().map(|c| json!({"code": c.code, "severity": c.severity.as_str(), "count": c.count})).collect::<Vec<_>>(),
    });
    let _ = write!(out, "],\n\"summary\": {summary_json}}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_filters_match_exactly_or_by_prefix() {
        let f = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(code_matches(&[], "link/dangling"));
        assert!(code_matches(&f(&["link/dangling"]), "link/dangling"));
        assert!(code_matches(&f(&["link"]), "link/dangling"));
        assert!(code_matches(&f(&["link/"]), "link/dangling"));
        assert!(code_matches(&f(&["link/*"]), "link/dangling"));
        assert!(!code_matches(&f(&["link/dangl"]), "link/dangling"));
        assert!(!code_matches(&f(&["lin"]), "link/dangling"));
        assert!(!code_matches(&f(&["schema"]), "link/dangling"));
    }

    #[test]
    fn path_filters_match_files_and_folders() {
        let f = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(path_matches(&f(&["ME/Journal"]), "ME/Journal/a.md"));
        assert!(path_matches(&f(&["ME/Journal/"]), "ME/Journal/a.md"));
        assert!(path_matches(&f(&["ME/Journal/a.md"]), "ME/Journal/a.md"));
        assert!(path_matches(&f(&["ME/Journal/a"]), "ME/Journal/a.md"));
        assert!(!path_matches(&f(&["ME/Jour"]), "ME/Journal/a.md"));
    }

    #[test]
    fn summary_counts_and_says_what_is_hidden() {
        let summary = [
            CodeCount {
                code: "note/unrendered-template",
                severity: Severity::Error,
                count: 5,
            },
            CodeCount {
                code: "link/dangling",
                severity: Severity::Warning,
                count: 1,
            },
            CodeCount {
                code: "note/empty-stub",
                severity: Severity::Info,
                count: 351,
            },
        ];
        let plain: String = crate::render::strip_ansi(&summary_table(&summary, Severity::Warning));
        assert_eq!(
            plain,
            "severity code                      count\n\
             error    note/unrendered-template      5\n\
             warning  link/dangling                 1\n\
             info     note/empty-stub             351\n\
             5 errors, 1 warning, 351 infos (351 not shown: use --show info)"
        );
    }
}
