//! The machine a benchmark ran on: CPU model, cores, memory, OS, compiler, date. Read from
//! `/proc` and `/etc/os-release` (Linux); what cannot be read says "unknown".

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::date::Minute;

/// The machine description printed at the top of BENCHMARKS.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    pub cpu: String,
    /// Logical CPUs this process may use.
    pub cores: usize,
    pub memory: String,
    pub os: String,
    pub kernel: String,
    pub rustc: String,
    /// `YYYY-MM-DD HH:mm UTC`.
    pub date: String,
}

impl Machine {
    /// Describes the machine this process runs on.
    pub fn describe() -> Self {
        let read = |path: &str| fs_err::read_to_string(path).unwrap_or_default();
        let cpu = cpu_model(&read("/proc/cpuinfo")).unwrap_or_else(|| "unknown".to_owned());
        let memory = mem_total(&read("/proc/meminfo")).unwrap_or_else(|| "unknown".to_owned());
        let os =
            os_name(&read("/etc/os-release")).unwrap_or_else(|| std::env::consts::OS.to_owned());
        let kernel = read("/proc/sys/kernel/osrelease").trim().to_owned();
        let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "unknown".to_owned());
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            memory,
            os,
            kernel,
            rustc,
            date: format!("{} UTC", Minute((now / 60) as i64).date_time()),
        }
    }
}

fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
}

fn mem_total(meminfo: &str) -> Option<String> {
    let kib: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(format!("{:.1} GiB", kib as f64 / 1024.0 / 1024.0))
}

fn os_name(os_release: &str) -> Option<String> {
    os_release
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_files() {
        assert_eq!(
            cpu_model("processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags: x\n").as_deref(),
            Some("AMD EPYC 7B13")
        );
        assert_eq!(
            mem_total("MemTotal:       24576000 kB\n").as_deref(),
            Some("23.4 GiB")
        );
        assert_eq!(
            os_name("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n").as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        let m = Machine::describe();
        assert!(m.cores >= 1);
        assert!(m.date.ends_with(" UTC"));
    }
}
