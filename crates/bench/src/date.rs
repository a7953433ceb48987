//! Minutes since the Unix epoch and the two ways notes write them: `YYYY-MM-DD HH:mm` and the
//! `YYYY-MM-DD @ HHmm` of journal names (proleptic Gregorian, after Howard Hinnant's algorithm).

/// A point in time, in whole minutes since 1970-01-01 00:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Minute(pub i64);

/// 2021-01-01 00:00: the generated history starts here…
pub const HISTORY_START: Minute = Minute(26_824_320);
/// …and lasts about five and a half years.
pub const HISTORY_MINUTES: i64 = 2_000 * 24 * 60;

impl Minute {
    /// Year, month (1-12), day (1-31), hour, minute.
    pub fn parts(self) -> (i64, u32, u32, u32, u32) {
        let days = self.0.div_euclid(1440);
        let in_day = self.0.rem_euclid(1440);
        let (y, m, d) = civil_from_days(days);
        (y, m, d, (in_day / 60) as u32, (in_day % 60) as u32)
    }

    /// `YYYY-MM-DD`.
    pub fn day(self) -> String {
        let (y, m, d, _, _) = self.parts();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `YYYY-MM-DD HH:mm`, the owner's date-time format.
    pub fn date_time(self) -> String {
        let (y, m, d, h, min) = self.parts();
        format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}")
    }

    /// `YYYY-MM-DD @ HHmm`, as in journal entry names.
    pub fn journal_stamp(self) -> String {
        let (y, m, d, h, min) = self.parts();
        format!("{y:04}-{m:02}-{d:02} @ {h:02}{min:02}")
    }

    /// Epoch milliseconds, the owner's note id.
    pub fn epoch_millis(self) -> i64 {
        self.0 * 60_000
    }
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(HISTORY_START.date_time(), "2021-01-01 00:00");
        assert_eq!(Minute(0).date_time(), "1970-01-01 00:00");
        // 2024-02-29 23:59, a leap day.
        let leap = Minute(19_782 * 1440 + 23 * 60 + 59);
        assert_eq!(leap.date_time(), "2024-02-29 23:59");
        assert_eq!(leap.journal_stamp(), "2024-02-29 @ 2359");
        assert_eq!(leap.day(), "2024-02-29");
        let end = Minute(HISTORY_START.0 + HISTORY_MINUTES);
        assert_eq!(end.day(), "2026-06-24");
    }
}
