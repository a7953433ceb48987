//! The manifest of one commit, as kept in `.attune/journal/<n>/manifest` while the commit is
//! applied and in `.attune/history/<n>/manifest` once it is done.
//!
//! A small line format a person can read with `cat`:
//!
//! ```text
//! attune-commit 1
//! number 3
//! time 1732812345678
//! message new practice_session A Different Story_Session-3
//! undoes 2
//! file 0<TAB><blake3 of the bytes before, or -><TAB><blake3 after, or -><TAB><mode in octal, or -><TAB><path>
//! ```
//!
//! `-` means "no file" (a created file had none before, a deleted one has none after). The
//! bytes each file had before are kept beside the manifest as `before/<i>`.

use blake3::Hash;

/// Content hash of a file (BLAKE3).
pub type ContentHash = Hash;

/// Hash bytes the way every conflict check and manifest does.
pub fn hash(bytes: &[u8]) -> ContentHash {
    blake3::hash(bytes)
}

const MAGIC: &str = "attune-commit 1";

/// One file of a commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestFile {
    /// Vault-relative, `/`-separated.
    pub path: String,
    pub before: Option<ContentHash>,
    pub after: Option<ContentHash>,
    /// Permission bits the file had (and keeps), when it existed.
    pub mode: Option<u32>,
}

/// What a commit did, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub number: u64,
    /// Milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// One line saying what the commit was (`new trigger Being Interrupted`).
    pub message: String,
    /// The commit this one undid, for an undo.
    pub undoes: Option<u64>,
    pub files: Vec<ManifestFile>,
}

impl Manifest {
    pub fn render(&self) -> String {
        let mut out = format!("{MAGIC}\nnumber {}\ntime {}\n", self.number, self.time_ms);
        out.push_str("message ");
        out.push_str(&one_line(&self.message));
        out.push('\n');
        if let Some(n) = self.undoes {
            out.push_str(&format!("undoes {n}\n"));
        }
        for (i, f) in self.files.iter().enumerate() {
            let h = |h: &Option<ContentHash>| {
                h.map_or_else(|| "-".to_owned(), |h| h.to_hex().to_string())
            };
            let mode = f.mode.map_or_else(|| "-".to_owned(), |m| format!("{m:o}"));
            out.push_str(&format!(
                "file {i}\t{}\t{}\t{mode}\t{}\n",
                h(&f.before),
                h(&f.after),
                f.path
            ));
        }
        out
    }

    /// Read a manifest; `Err` says what is wrong with it.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            return Err(format!("does not start with `{MAGIC}`"));
        }
        let mut m = Manifest {
            number: 0,
            time_ms: 0,
            message: String::new(),
            undoes: None,
            files: Vec::new(),
        };
        for line in lines {
            let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "number" => m.number = rest.parse().map_err(|_| format!("bad number `{rest}`"))?,
                "time" => m.time_ms = rest.parse().map_err(|_| format!("bad time `{rest}`"))?,
                "message" => m.message = rest.to_owned(),
                "undoes" => {
                    m.undoes = Some(rest.parse().map_err(|_| format!("bad undoes `{rest}`"))?)
                }
                "file" => {
                    let mut parts = rest.splitn(5, '\t');
                    let index = parts.next().unwrap_or_default();
                    if index.parse::<usize>().ok() != Some(m.files.len()) {
                        return Err(format!("file lines out of order at `{index}`"));
                    }
                    let hash_of = |s: Option<&str>| -> Result<Option<ContentHash>, String> {
                        match s {
                            Some("-") => Ok(None),
                            Some(h) => Hash::from_hex(h)
                                .map(Some)
                                .map_err(|_| format!("bad hash `{h}`")),
                            None => Err("short file line".to_owned()),
                        }
                    };
                    let before = hash_of(parts.next())?;
                    let after = hash_of(parts.next())?;
                    let mode = match parts.next() {
                        Some("-") => None,
                        Some(m) => {
                            Some(u32::from_str_radix(m, 8).map_err(|_| format!("bad mode `{m}`"))?)
                        }
                        None => return Err("short file line".to_owned()),
                    };
                    let path = parts.next().ok_or("short file line")?.to_owned();
                    m.files.push(ManifestFile {
                        path,
                        before,
                        after,
                        mode,
                    });
                }
                "" => {}
                other => return Err(format!("unknown line `{other}`")),
            }
        }
        Ok(m)
    }
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips() {
        let m = Manifest {
            number: 3,
            time_ms: 1_732_812_345_678,
            message: "new practice_session\nA Different Story_Session-3".into(),
            undoes: Some(2),
            files: vec![
                ManifestFile {
                    path: "ME/a b\tc.md".into(),
                    before: None,
                    after: Some(hash(b"x")),
                    mode: None,
                },
                ManifestFile {
                    path: "ME/d.md".into(),
                    before: Some(hash(b"y")),
                    after: Some(hash(b"z")),
                    mode: Some(0o640),
                },
            ],
        };
        let text = m.render();
        let back = Manifest::parse(&text).unwrap();
        assert_eq!(
            back.message,
            "new practice_session A Different Story_Session-3"
        );
        assert_eq!(back.files, m.files);
        assert_eq!(back.undoes, Some(2));
        assert!(Manifest::parse("nonsense").is_err());
        assert!(Manifest::parse(&text.replace("file 1", "file 7")).is_err());
    }
}
