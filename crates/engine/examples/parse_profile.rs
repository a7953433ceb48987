//! Time the note parser alone, without disk I/O: `cargo run --release -p attune-engine
//! --example parse_profile -- VAULT [ROUNDS]`. Reads every `.md` file of VAULT into memory
//! once, then parses them all ROUNDS times on one thread and prints the time per note and
//! per MB. Meant for `perf record`, where a whole load mixes parsing with file system calls.

use std::path::Path;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: parse_profile VAULT [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    // The store's own walk (the files a load reads), keeping each file's bytes unparsed.
    let files: Vec<Vec<u8>> = match attune_store::scan(
        Path::new(&root),
        &attune_store::ScanOptions::default(),
        |_| {},
        |_, bytes| bytes,
    ) {
        Ok(scan) => scan.notes,
        Err(e) => {
            eprintln!("cannot read {root}: {e}");
            std::process::exit(1);
        }
    };
    let bytes: usize = files.iter().map(Vec::len).sum();
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let copies = files.clone();
        let started = Instant::now();
        let notes: Vec<attune_syntax::Note> = copies
            .into_iter()
            .map(|b| match String::from_utf8(b) {
                Ok(text) => attune_syntax::parse_note_text(text),
                Err(e) => attune_syntax::parse_note(e.as_bytes()),
            })
            .collect();
        best = best.min(started.elapsed().as_secs_f64());
        drop(notes);
    }
    println!(
        "{} notes, {:.1} MB: best of {rounds} rounds {:.1} ms, {:.2} µs per note, {:.0} MB/s",
        files.len(),
        bytes as f64 / 1e6,
        best * 1e3,
        best * 1e6 / files.len() as f64,
        bytes as f64 / 1e6 / best
    );
}
