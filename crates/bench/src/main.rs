//! `attune-bench`: generates vaults and measures attune against the floor (ripgrep, a plain
//! read) and a Python peer, in one run on the same vaults; writes BENCHMARKS.md.
//!
//! Subcommands: none (run the benchmark), `gen` (write a vault), and the child modes the
//! benchmark runs in a fresh process so that each reports its own peak RSS (`load`).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use attune_bench::measure::{self, Figure, Measurement};
use attune_bench::report::{Report, SizeReport, phase};
use attune_bench::{GenSummary, Machine};
use clap::{Parser, Subcommand};

/// The workspace root, where `bench/` and `target/` are.
const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[derive(Parser)]
#[command(about = "attune's synthetic vault generator and benchmark harness")]
struct Cli {
    #[command(subcommand)]
    command: Option<Mode>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Vault sizes (notes under ME/), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
    sizes: Vec<usize>,
    /// Timed runs per phase (the vault is read once, untimed, before the first).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the report (default: BENCHMARKS.md at the workspace root; with --quick,
    /// target/bench/BENCHMARKS-quick.md).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Folder for the generated vaults (default: target/bench).
    #[arg(long)]
    work: Option<PathBuf>,
    /// CI smoke run: 1 000 notes, one run, report under target/bench.
    #[arg(long)]
    quick: bool,
    /// Skip the Python peer baseline.
    #[arg(long)]
    no_python: bool,
    /// Never run bench/setup.sh to install ripgrep or the Python venv.
    #[arg(long)]
    no_setup: bool,
    /// Incremental-update samples per size.
    #[arg(long, default_value_t = 200)]
    update_samples: usize,
    /// Runs of each query shape per size (fewer when a shape takes over ten seconds).
    #[arg(long, default_value_t = 30)]
    query_samples: usize,
}

#[derive(Subcommand)]
enum Mode {
    /// Write a synthetic vault of N notes into DIR (new or empty).
    Gen {
        dir: PathBuf,
        #[arg(long, default_value_t = 1000)]
        notes: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Child mode: load VAULT with attune's engine and print what it took (key=value).
    Load { vault: PathBuf },
    /// Child mode: open VAULT with its snapshot in CACHE (`Vault::open`; a full load when
    /// there is none), print what it took, and with `--write` write the snapshot afterwards.
    Open {
        vault: PathBuf,
        cache: PathBuf,
        #[arg(long)]
        write: bool,
    },
    /// Child mode: rewrite one note at a time on disk (a body link added), bring the index
    /// up to date, and print each latency; every note is put back afterwards.
    Update {
        vault: PathBuf,
        #[arg(long, default_value_t = 200)]
        samples: usize,
    },
    /// Child mode: load VAULT and run `attune check`'s engine call; print the findings count.
    Check { vault: PathBuf },
    /// Child mode: run the dashboard queries and a FLATTEN + GROUP BY; print each latency.
    Query {
        vault: PathBuf,
        #[arg(long, default_value_t = 30)]
        samples: usize,
    },
}

/// jemalloc instead of the system allocator: see the workspace Cargo.toml for the measurement.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Mode::Gen { dir, notes, seed }) => {
            let started = Instant::now();
            let summary = attune_bench::generate(&dir, notes, seed)
                .with_context(|| format!("generating {notes} notes into {}", dir.display()))?;
            println!("{}", describe(&summary));
            println!("written in {:.2?}", started.elapsed());
            Ok(())
        }
        Some(Mode::Load { vault }) => child_load(&vault),
        Some(Mode::Open {
            vault,
            cache,
            write,
        }) => child_open(&vault, cache, write),
        Some(Mode::Update { vault, samples }) => child_update(&vault, samples),
        Some(Mode::Query { vault, samples }) => child_query(&vault, samples),
        Some(Mode::Check { vault }) => child_check(&vault),
        None => run(cli.run),
    }
}

fn describe(s: &GenSummary) -> String {
    format!(
        "notes={} stubs={} typed={} folder_indexes={} invalid_yaml={} template_leftovers={} people={} schema_files={} links={} bytes={}",
        s.notes,
        s.stubs,
        s.typed,
        s.folder_indexes,
        s.invalid_yaml,
        s.template_leftovers,
        s.people,
        s.schema_files,
        s.links,
        s.bytes
    )
}

// ---------------------------------------------------------------------------------------------
// Child modes: each prints one `key=value` line, with its own peak RSS.

/// Records when each phase of a load ended.
#[derive(Default)]
struct Phases(std::sync::Mutex<Vec<(&'static str, Duration, u64)>>);

impl attune_engine::vault::LoadProgress for Phases {
    fn phase(&self, name: &'static str, elapsed: Duration) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push((
            name,
            elapsed,
            measure::own_rss_kib().unwrap_or(0),
        ));
    }
}

impl Phases {
    /// `phase_read=1.234 rss_read=401234 phase_schema=0.012 …`: each phase's own seconds
    /// and the resident memory (KiB) when it ended.
    fn key_values(self) -> String {
        let ends = self.0.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut before = Duration::ZERO;
        let mut out = Vec::new();
        for (name, end, rss) in ends {
            out.push(format!(
                "phase_{name}={:.3} rss_{name}={rss}",
                end.saturating_sub(before).as_secs_f64()
            ));
            before = end;
        }
        out.join(" ")
    }
}

fn child_load(vault: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let phases = Phases::default();
    let loaded = attune_engine::Vault::load_with(vault, &phases)
        .with_context(|| format!("loading {}", vault.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = measure::own_peak_rss_kib().unwrap_or(0);
    // The counts the report prints, in parallel: the parent times this whole process, and a
    // full `stats::compute` (one thread, per-folder tables) added a few per cent that are
    // not part of a load.
    use rayon::prelude::*;
    let (notes, stubs, links) = loaded
        .notes
        .par_iter()
        .filter(|n| !n.meta.excluded)
        .map(|n| (1, usize::from(n.is_empty_stub()), n.note.links.len()))
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    println!(
        "files={} notes={notes} stubs={stubs} links={links} diagnostics={} seconds={seconds:.6} vmhwm_kib={peak} {}",
        loaded.notes.len(),
        loaded.diagnostics.len(),
        phases.key_values()
    );
    // As the `attune` binary does: a command's vault lives until the process ends, and the
    // OS takes its memory back at once instead of a free per allocation.
    std::mem::forget(loaded);
    Ok(())
}

fn child_open(vault: &Path, dir: PathBuf, write: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let phases = Phases::default();
    let cache = attune_engine::snapshot::Cache { dir, min_notes: 0 };
    let (opened, start) = attune_engine::Vault::open(vault, &cache, &phases)
        .with_context(|| format!("opening {}", vault.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = measure::own_peak_rss_kib().unwrap_or(0);
    let start = match start {
        attune_engine::snapshot::Start::Warm { changed } => format!("warm changed={changed}"),
        attune_engine::snapshot::Start::Cold { reason } => {
            format!("cold reason={:?}", reason.replace(' ', "_"))
        }
    };
    if write {
        opened.write_snapshot(&cache)?;
    }
    println!(
        "start={start} notes={} seconds={seconds:.6} vmhwm_kib={peak} {}",
        opened.notes.len(),
        phases.key_values()
    );
    std::mem::forget(opened);
    Ok(())
}

fn child_update(root: &Path, samples: usize) -> anyhow::Result<()> {
    let mut vault =
        attune_engine::Vault::load(root).with_context(|| format!("loading {}", root.display()))?;
    let candidates: Vec<usize> = (0..vault.notes.len())
        .filter(|&i| {
            let n = &vault.notes[i];
            !n.meta.excluded
                && n.path().starts_with("ME/")
                && !n.is_empty_stub()
                && n.note.frontmatter.as_ref().is_some_and(|f| f.valid)
        })
        .collect();
    if candidates.is_empty() {
        bail!("no note to rewrite in {}", root.display());
    }
    let mut rng = attune_bench::rng::Rng::new(7);
    let mut millis = Vec::with_capacity(samples);
    for k in 0..samples {
        let i = candidates[rng.below(candidates.len())];
        let other = vault.notes[candidates[rng.below(candidates.len())]]
            .path()
            .to_owned();
        let target = other
            .rsplit('/')
            .next()
            .unwrap_or(&other)
            .trim_end_matches(".md")
            .to_owned();
        let abs = vault.root.join(vault.notes[i].path());
        let original = vault.notes[i].note.source.clone();
        fs_err::write(&abs, format!("{original}\nEdited {k}: see [[{target}]].\n"))?;
        // Timed: what a watcher does when it sees the file change.
        let started = Instant::now();
        apply_from_disk(&mut vault, i, &abs)?;
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
        fs_err::write(&abs, &original)?;
        apply_from_disk(&mut vault, i, &abs)?;
    }
    println!(
        "samples={} millis={} vmhwm_kib={}",
        millis.len(),
        join(&millis),
        measure::own_peak_rss_kib().unwrap_or(0)
    );
    Ok(())
}

/// What the web app's watcher does when it sees note `i` change: `Vault::refresh` re-reads
/// and re-parses the note, decides its class again and brings the index up to date.
fn apply_from_disk(vault: &mut attune_engine::Vault, i: usize, abs: &Path) -> anyhow::Result<()> {
    let path = vault.notes[i].path().to_owned();
    let report = vault.refresh(&[abs])?;
    if report.full_reload || !report.notes_changed.contains(&path) {
        bail!(
            "refresh of {} did not re-read just that note: {report:?}",
            abs.display()
        );
    }
    Ok(())
}

fn child_query(root: &Path, samples: usize) -> anyhow::Result<()> {
    let vault =
        attune_engine::Vault::load(root).with_context(|| format!("loading {}", root.display()))?;
    let started = Instant::now();
    let pages = attune_engine::query::VaultPages::new(&vault);
    let source_seconds = started.elapsed().as_secs_f64();
    let dashboard = attune_bench::EMOTIONS_DASHBOARD;
    let text = &vault
        .note_by_path(dashboard)
        .with_context(|| format!("{dashboard} missing"))?
        .note
        .source;
    let blocks = attune_query::find_query_blocks(text);
    let [to_review, completed, ..] = blocks.as_slice() else {
        bail!("{dashboard} has fewer than two dataview blocks");
    };
    let rows = |text: &str, this: Option<&str>| -> anyhow::Result<usize> {
        let out = pages
            .run(text, this)
            .map_err(|e| anyhow::anyhow!("query failed: {e:?}"))?;
        Ok(out.result.len())
    };
    let shapes: [(&str, &str, Option<&str>); 3] = [
        ("to_review", &to_review.text, Some(dashboard)),
        ("completed", &completed.text, Some(dashboard)),
        ("group_by", attune_bench::GROUP_BY_QUERY, None),
    ];
    let mut line = format!("source_seconds={source_seconds:.6}");
    for (name, text, this) in shapes {
        // `samples` runs, or as many as fit in ten seconds (at least three).
        let budget = Instant::now();
        let mut millis = Vec::new();
        let mut found = 0;
        while millis.len() < samples.max(1)
            && (millis.len() < 3 || budget.elapsed() < Duration::from_secs(10))
        {
            let started = Instant::now();
            found = rows(text, this)?;
            millis.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        line.push_str(&format!(" {name}={} {name}_rows={found}", join(&millis)));
    }
    println!(
        "{line} vmhwm_kib={}",
        measure::own_peak_rss_kib().unwrap_or(0)
    );
    Ok(())
}

fn child_check(root: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let vault =
        attune_engine::Vault::load(root).with_context(|| format!("loading {}", root.display()))?;
    let findings = attune_engine::check::check(&vault);
    let seconds = started.elapsed().as_secs_f64();
    let errors = findings
        .iter()
        .filter(|d| d.severity == attune_syntax::Severity::Error)
        .count();
    let mut codes: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in &findings {
        *codes.entry(d.code).or_default() += 1;
    }
    let mut codes: Vec<(&str, usize)> = codes.into_iter().collect();
    codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = codes
        .iter()
        .take(6)
        .map(|(c, n)| format!("{c}:{n}"))
        .collect();
    println!(
        "findings={} errors={errors} top={} seconds={seconds:.6} vmhwm_kib={}",
        findings.len(),
        top.join(","),
        measure::own_peak_rss_kib().unwrap_or(0)
    );
    // As in `child_load`: the `attune check` command does not free its vault either.
    std::mem::forget((vault, findings));
    Ok(())
}

fn join(millis: &[f64]) -> String {
    millis
        .iter()
        .map(|m| format!("{m:.4}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_millis(list: &str) -> Vec<f64> {
    list.split(',').filter_map(|v| v.parse().ok()).collect()
}

// ---------------------------------------------------------------------------------------------
// The benchmark run.

fn run(mut args: RunArgs) -> anyhow::Result<()> {
    let repo = fs_err::canonicalize(REPO).unwrap_or_else(|_| PathBuf::from(REPO));
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo.join("target"), PathBuf::from);
    if args.quick {
        args.sizes = vec![1000];
        args.runs = 1;
        args.update_samples = args.update_samples.min(20);
        args.query_samples = args.query_samples.min(5);
    }
    let runs = args.runs.max(1);
    let work = args.work.clone().unwrap_or_else(|| target.join("bench"));
    let out = args.out.clone().unwrap_or_else(|| {
        if args.quick {
            work.join("BENCHMARKS-quick.md")
        } else {
            repo.join("BENCHMARKS.md")
        }
    });
    fs_err::create_dir_all(&work)?;
    if !cfg!(debug_assertions) {
        eprintln!("attune-bench: release build");
    } else {
        eprintln!("attune-bench: DEBUG build; figures are meaningless, use --release");
    }

    let peers = Peers::find(&repo, &target, &args);
    let mut sizes = Vec::new();
    for &notes in &args.sizes {
        let vault = work.join(format!("vault-{notes}-seed{}", args.seed));
        sizes.push(bench_size(
            &vault,
            notes,
            args.seed,
            runs,
            &peers,
            (args.update_samples, args.query_samples),
        )?);
    }
    let report = Report {
        machine: Machine::describe(),
        command: command_line(),
        runs,
        sizes,
        tools: peers.versions.clone(),
    };
    print!("{}", report.terminal());
    fs_err::write(&out, report.markdown())?;
    eprintln!("\nwrote {}", out.display());
    Ok(())
}

fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut s = String::from("cargo run --release -p attune-bench --");
    for a in args {
        s.push(' ');
        s.push_str(&a);
    }
    s
}

/// The tools attune is compared with, and why one is missing.
struct Peers {
    rg: Result<PathBuf, String>,
    python: Result<(PathBuf, PathBuf), String>,
    versions: Vec<String>,
}

impl Peers {
    fn find(repo: &Path, target: &Path, args: &RunArgs) -> Self {
        let venv_python = target.join("bench-venv/bin/python");
        let script = repo.join("bench/python_baseline.py");
        let rg_found = || which("rg");
        let python_ready = || {
            Command::new(&venv_python)
                .args(["-c", "import frontmatter, yaml"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let wants_python = !args.no_python;
        if (rg_found().is_none() || (wants_python && !python_ready())) && !args.no_setup {
            eprintln!("attune-bench: running bench/setup.sh (ripgrep, Python venv)");
            let status = Command::new("bash")
                .arg(repo.join("bench/setup.sh"))
                .status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!(
                    "attune-bench: bench/setup.sh failed; the missing peers are reported as not measured"
                );
            }
        }
        let mut versions = Vec::new();
        let rg = match rg_found() {
            Some(rg) => {
                versions.push(first_line(Command::new(&rg).arg("--version")));
                Ok(rg)
            }
            None => Err("ripgrep not installed (run bench/setup.sh)".to_owned()),
        };
        let python = if !wants_python {
            Err("skipped (--no-python)".to_owned())
        } else if python_ready() {
            versions.push(first_line(Command::new(&venv_python).args([
                "-c",
                "import sys, yaml; from importlib.metadata import version; \
                 print('Python', sys.version.split()[0], '+ python-frontmatter', version('python-frontmatter'), \
                 '+ PyYAML', yaml.__version__, '(libyaml)' if yaml.__with_libyaml__ else '(pure Python)')",
            ])));
            Ok((venv_python, script))
        } else {
            Err("Python venv missing (run bench/setup.sh; needs PyPI)".to_owned())
        };
        Self {
            rg,
            python,
            versions,
        }
    }
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn first_line(command: &mut Command) -> String {
    command
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .unwrap_or_default()
}

fn bench_size(
    vault: &Path,
    notes: usize,
    seed: u64,
    runs: usize,
    peers: &Peers,
    (update_samples, query_samples): (usize, usize),
) -> anyhow::Result<SizeReport> {
    eprintln!("\n== {notes} notes: generating {}", vault.display());
    if vault.exists() {
        fs_err::remove_dir_all(vault)?;
    }
    let started = Instant::now();
    let summary = attune_bench::generate(vault, notes, seed)?;
    let mut measurements = vec![Measurement {
        phase: phase::GENERATE.to_owned(),
        detail: "write the vault (parallel)".to_owned(),
        figure: Figure::runs(&[started.elapsed()], Vec::new()),
    }];
    // The generator's 100,000 new files are still being written back to disk for a while
    // (18-25 s of writing on a slow hour here); flush them now, so that writeback does not
    // run under the timed phases.
    if let Err(e) = Command::new("sync").status() {
        eprintln!("   (sync not run: {e})");
    }

    // Warm the page cache once for every tool alike.
    read_every_file(vault)?;

    // The floor and attune's load are timed alternately (rg, load, rg, load, …): on a shared
    // machine whose speed drifts, both then see the same conditions, and their ratio does not
    // depend on what ran just before (the Python baseline keeps a core busy for a while).
    eprintln!("   floor: rg, alternating with attune: load");
    let exe = std::env::current_exe()?;
    let mut load_detail = String::new();
    let mut rg_runs: Vec<Duration> = Vec::with_capacity(runs);
    let (mut load_runs, mut load_peaks): (Vec<Duration>, Vec<u64>) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        if let Ok(rg) = &peers.rg {
            let started = Instant::now();
            let status = Command::new(rg)
                .args(["--files-with-matches", "^---"])
                .arg(vault)
                .stdout(Stdio::null())
                .status()?;
            rg_runs.push(started.elapsed());
            // rg exits 1 when nothing matched; both are a completed run.
            if status.code().is_some_and(|c| c > 1) {
                bail!("rg failed: {status}");
            }
        }
        let started = Instant::now();
        let line = child_line(Command::new(&exe).arg("load").arg(vault))?;
        load_runs.push(started.elapsed());
        let kv = measure::key_values(&line);
        load_detail = format!(
            "`Vault::load` (walk + read + parse + schema + classes + index with link resolution): \
             {} files, {} notes, {} stubs, {} links, {} diagnostics; last run's phases (and \
             RSS at each one's end): read {} s ({} MiB), schema {} s, classes {} s ({} MiB), \
             index {} s ({} MiB)",
            value(&kv, "files"),
            value(&kv, "notes"),
            value(&kv, "stubs"),
            value(&kv, "links"),
            value(&kv, "diagnostics"),
            value(&kv, "phase_read"),
            mib(value(&kv, "rss_read")),
            value(&kv, "phase_schema"),
            value(&kv, "phase_classes"),
            mib(value(&kv, "rss_classes")),
            value(&kv, "phase_index"),
            mib(value(&kv, "rss_index")),
        );
        load_peaks.extend(value(&kv, "vmhwm_kib").parse::<u64>().ok());
    }
    let rg = match &peers.rg {
        Ok(_) => Figure::runs(&rg_runs, Vec::new()),
        Err(why) => Figure::NotMeasured(why.clone()),
    };
    let load = Figure::runs(&load_runs, load_peaks);
    measurements.push(Measurement {
        phase: phase::FLOOR_RG.to_owned(),
        detail: "`rg --files-with-matches '^---' VAULT`".to_owned(),
        figure: rg,
    });

    eprintln!("   floor: read");
    let mut files = 0;
    let read = timed(runs, || {
        files = read_every_file(vault)?.0;
        Ok(None)
    })?;
    measurements.push(Measurement {
        phase: phase::FLOOR_READ.to_owned(),
        detail: format!("read all {files} files, one thread, in-process"),
        figure: read,
    });

    eprintln!("   peer: python");
    let mut python_detail = "python-frontmatter: parse frontmatter + extract wiki-links".to_owned();
    let python = match &peers.python {
        Ok((python, script)) => timed(runs, || {
            let line = child_line(Command::new(python).arg(script).arg(vault))?;
            let kv = measure::key_values(&line);
            python_detail = format!(
                "python-frontmatter: {} files, {} YAML errors, {} links",
                value(&kv, "files"),
                value(&kv, "yaml_errors"),
                value(&kv, "links")
            );
            Ok(value(&kv, "vmhwm_kib").parse().ok())
        })?,
        Err(why) => Figure::NotMeasured(why.clone()),
    };
    measurements.push(Measurement {
        phase: phase::PEER_PYTHON.to_owned(),
        detail: python_detail,
        figure: python,
    });

    measurements.push(Measurement {
        phase: phase::LOAD.to_owned(),
        detail: load_detail,
        figure: load,
    });

    let missing = |phase: &str, detail: &str, why: &str| Measurement {
        phase: phase.to_owned(),
        detail: detail.to_owned(),
        figure: Figure::NotMeasured(why.to_owned()),
    };
    eprintln!("   attune: check");
    let mut check_detail = String::new();
    let check = timed(runs, || {
        let line = child_line(Command::new(&exe).arg("check").arg(vault))?;
        let kv = measure::key_values(&line);
        check_detail = format!(
            "load + `attune_engine::check::check` (what `attune check` runs): {} findings, {} errors; \
             most frequent: {}",
            value(&kv, "findings"),
            value(&kv, "errors"),
            value(&kv, "top").replace(',', ", ")
        );
        Ok(value(&kv, "vmhwm_kib").parse().ok())
    })?;
    measurements.push(Measurement {
        phase: phase::CHECK.to_owned(),
        detail: check_detail,
        figure: check,
    });

    eprintln!("   attune: update");
    let update = child_line(
        Command::new(&exe)
            .arg("update")
            .arg(vault)
            .args(["--samples", &update_samples.to_string()]),
    )
    .map(|line| {
        let kv = measure::key_values(&line);
        Figure::Latencies {
            millis: parse_millis(value(&kv, "millis")),
        }
    })
    .unwrap_or_else(|e| Figure::NotMeasured(format!("failed: {e}")));
    measurements.push(Measurement {
        phase: phase::UPDATE.to_owned(),
        detail: "a note rewritten on disk (a body link added) → `Vault::refresh` of that path \
                 (what the web app's watcher calls): re-read, re-parse, class, `Index::apply`"
            .to_owned(),
        figure: update,
    });

    eprintln!("   attune: queries");
    let shapes = [
        (
            phase::QUERY_TO_REVIEW,
            "to_review",
            "\"To Review\" block of the Emotions dashboard (`this.searchTerm`)",
        ),
        (
            phase::QUERY_COMPLETED,
            "completed",
            "\"Completed File List\" block of the Emotions dashboard",
        ),
        (
            phase::QUERY_GROUP_BY,
            "group_by",
            "FLATTEN emotions + GROUP BY over captured moments",
        ),
    ];
    match child_line(
        Command::new(&exe)
            .arg("query")
            .arg(vault)
            .args(["--samples", &query_samples.to_string()]),
    ) {
        Ok(line) => {
            let kv = measure::key_values(&line);
            for (p, key, what) in shapes {
                measurements.push(Measurement {
                    phase: p.to_owned(),
                    detail: format!(
                        "{what}: {} rows; `VaultPages::run` (parse + run over the index-backed \
                         source, built once in {} s)",
                        value(&kv, &format!("{key}_rows")),
                        value(&kv, "source_seconds")
                    ),
                    figure: Figure::Latencies {
                        millis: parse_millis(value(&kv, key)),
                    },
                });
            }
        }
        Err(e) => {
            for (p, _, what) in shapes {
                measurements.push(missing(p, what, &format!("failed: {e}")));
            }
        }
    }

    eprintln!("   attune: warm start, then after touching 1% of the notes");
    let (warm, touched) = warm_starts(&exe, vault, runs)?;
    measurements.extend([warm, touched]);

    Ok(SizeReport {
        notes,
        seed,
        summary,
        measurements,
    })
}

/// The warm start from a snapshot (written first by an untimed run), then the same after
/// rewriting every hundredth note (a line appended; the notes are put back afterwards).
fn warm_starts(
    exe: &Path,
    vault: &Path,
    runs: usize,
) -> anyhow::Result<(Measurement, Measurement)> {
    let cache = vault.with_extension("snapshot-cache");
    if cache.exists() {
        fs_err::remove_dir_all(&cache)?;
    }
    let open = |write: bool| {
        let mut command = Command::new(exe);
        command.arg("open").arg(vault).arg(&cache);
        if write {
            command.arg("--write");
        }
        child_line(&mut command)
    };
    open(true)?;
    let series = |what: &str| -> anyhow::Result<(Figure, String)> {
        let mut durations = Vec::with_capacity(runs);
        let mut peaks = Vec::new();
        let mut detail = String::new();
        for _ in 0..runs {
            let started = Instant::now();
            let line = open(false)?;
            durations.push(started.elapsed());
            let kv = measure::key_values(&line);
            if !value(&kv, "start").starts_with("warm") {
                bail!("the {what} start did not use the snapshot: {line}");
            }
            peaks.extend(value(&kv, "vmhwm_kib").parse::<u64>().ok());
            detail = format!(
                "`Vault::open` ({what}): {} notes, {} read again; last run's phases: survey + \
                 notes {} s, schema {} s, index {} s, refresh {} s ({} MiB at the end)",
                value(&kv, "notes"),
                value(&kv, "changed"),
                value(&kv, "phase_read"),
                value(&kv, "phase_schema"),
                value(&kv, "phase_index"),
                value(&kv, "phase_refresh"),
                mib(value(&kv, "rss_refresh")),
            );
        }
        Ok((Figure::runs(&durations, peaks), detail))
    };
    let (warm, warm_detail) = series("snapshot current")?;
    // Every hundredth note in path order (as attune lists them), a line appended; kept to
    // be put back.
    let notes = attune_store::survey(vault, &attune_store::ScanOptions::default())?.notes;
    let touched: Vec<(PathBuf, Vec<u8>)> = notes
        .iter()
        .step_by(100)
        .map(|m| {
            let path = vault.join(&*m.path.on_disk);
            fs_err::read(&path).map(|b| (path, b))
        })
        .collect::<Result<_, _>>()?;
    for (path, bytes) in &touched {
        let mut changed = bytes.clone();
        changed.extend_from_slice(b"\nTouched by the benchmark.\n");
        fs_err::write(path, changed)?;
    }
    let result = series("1% of the notes rewritten since the snapshot");
    for (path, bytes) in &touched {
        fs_err::write(path, bytes)?;
    }
    let (after, after_detail) = result?;
    fs_err::remove_dir_all(&cache)?;
    Ok((
        Measurement {
            phase: phase::WARM.to_owned(),
            detail: warm_detail,
            figure: warm,
        },
        Measurement {
            phase: phase::TOUCHED.to_owned(),
            detail: format!("{after_detail}; {} notes touched", touched.len()),
            figure: after,
        },
    ))
}

/// A KiB figure from a child's line as whole MiB (`?` when it is missing).
fn mib(kib: &str) -> String {
    kib.parse::<u64>()
        .map_or_else(|_| "?".to_owned(), |k| (k / 1024).to_string())
}

fn value<'a>(kv: &[(&'a str, &'a str)], key: &str) -> &'a str {
    kv.iter().find(|(k, _)| *k == key).map_or("?", |(_, v)| v)
}

/// Runs `f` `runs` times, timing each; `f` returns a peak RSS when it knows one.
fn timed(
    runs: usize,
    mut f: impl FnMut() -> anyhow::Result<Option<u64>>,
) -> anyhow::Result<Figure> {
    let mut durations: Vec<Duration> = Vec::with_capacity(runs);
    let mut peaks = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let peak = f()?;
        durations.push(started.elapsed());
        peaks.extend(peak);
    }
    Ok(Figure::runs(&durations, peaks))
}

/// Runs a child that prints one `key=value` line; fails with its stderr when it fails.
fn child_line(command: &mut Command) -> anyhow::Result<String> {
    let output = command.stderr(Stdio::piped()).output()?;
    if !output.status.success() {
        bail!(
            "{:?} failed: {}",
            command,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(stdout.lines().last().unwrap_or("").to_owned())
}

/// Reads every file under `dir` once, one thread: the in-process floor. Returns files, bytes.
fn read_every_file(dir: &Path) -> anyhow::Result<(usize, u64)> {
    let mut buffer = Vec::with_capacity(1 << 16);
    let mut pending = vec![dir.to_path_buf()];
    let (mut files, mut bytes) = (0, 0);
    while let Some(folder) = pending.pop() {
        for entry in fs_err::read_dir(&folder)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                pending.push(entry.path());
            } else {
                buffer.clear();
                fs_err::File::open(entry.path())?.read_to_end(&mut buffer)?;
                files += 1;
                bytes += buffer.len() as u64;
            }
        }
    }
    Ok((files, bytes))
}
