//! Figures and the statistics the report prints: min/median/max of repeated wall-clock runs,
//! p50/p99 of latency samples, and the peak RSS a process reports about itself.

use std::time::Duration;

/// What one phase measured, or why it could not be measured.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// Repeated runs of a whole phase: wall time of each, and each run's peak RSS when known.
    Runs {
        seconds: Vec<f64>,
        peak_rss_kib: Vec<u64>,
    },
    /// Many short operations: the latency of each, in milliseconds.
    Latencies { millis: Vec<f64> },
    /// Not measured, and why ("API missing", "rg not installed", …).
    NotMeasured(String),
}

impl Figure {
    pub fn runs(durations: &[Duration], peak_rss_kib: Vec<u64>) -> Self {
        Figure::Runs {
            seconds: durations.iter().map(Duration::as_secs_f64).collect(),
            peak_rss_kib,
        }
    }

    /// Median wall time in seconds, for ratios.
    pub fn median_seconds(&self) -> Option<f64> {
        match self {
            Figure::Runs { seconds, .. } => median(seconds),
            _ => None,
        }
    }
}

/// One row of the report: a phase on one vault size.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// Short stable name (`floor/rg`, `attune/load`, …).
    pub phase: String,
    /// What exactly was run.
    pub detail: String,
    pub figure: Figure,
}

/// The smallest value.
pub fn min(values: &[f64]) -> Option<f64> {
    values.iter().copied().min_by(f64::total_cmp)
}

/// The largest value.
pub fn max(values: &[f64]) -> Option<f64> {
    values.iter().copied().max_by(f64::total_cmp)
}

/// The median (mean of the two middle values for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let sorted = sorted(values);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The nearest-rank percentile (`p` in 0..=100).
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let sorted = sorted(values);
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The peak resident set size of this process (`VmHWM` in `/proc/self/status`), in KiB.
pub fn own_peak_rss_kib() -> Option<u64> {
    let status = fs_err::read_to_string("/proc/self/status").ok()?;
    peak_rss_from_status(&status)
}

/// The resident set size of this process now (`VmRSS`), in KiB.
pub fn own_rss_kib() -> Option<u64> {
    let status = fs_err::read_to_string("/proc/self/status").ok()?;
    status_kib(&status, "VmRSS:")
}

/// `VmHWM` from the text of a `/proc/<pid>/status` file.
pub fn peak_rss_from_status(status: &str) -> Option<u64> {
    status_kib(status, "VmHWM:")
}

/// The KiB figure on the line starting with `label` of a `/proc/<pid>/status` text.
fn status_kib(status: &str, label: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The `key=value` pairs of a line such as the child modes and the Python baseline print.
pub fn key_values(line: &str) -> Vec<(&str, &str)> {
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_of_small_samples() {
        let v = [5.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(min(&v), Some(1.0));
        assert_eq!(max(&v), Some(5.0));
        assert_eq!(median(&v), Some(3.0));
        assert_eq!(median(&[1.0, 2.0]), Some(1.5));
        assert_eq!(median(&[]), None);
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&hundred, 50.0), Some(50.0));
        assert_eq!(percentile(&hundred, 99.0), Some(99.0));
        assert_eq!(percentile(&[7.0], 99.0), Some(7.0));
    }

    #[test]
    fn reads_vmhwm_from_a_status_file() {
        let status =
            "Name:\tattune-bench\nVmPeak:\t  20000 kB\nVmHWM:\t    8123 kB\nVmRSS:\t 8000 kB\n";
        assert_eq!(peak_rss_from_status(status), Some(8123));
        assert_eq!(peak_rss_from_status("Name: x\n"), None);
        assert!(own_peak_rss_kib().is_some_and(|k| k > 0));
    }

    #[test]
    fn parses_key_value_lines() {
        assert_eq!(
            key_values("files=3 links=10 junk"),
            vec![("files", "3"), ("links", "10")]
        );
    }
}
