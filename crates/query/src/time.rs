//! Dates and durations as Dataview reads and prints them.
//!
//! Dataview docs: "Literals › Dates" (`YYYY-MM[-DD[THH[:mm[:ss[.SSS]]]]]`, the `T` is
//! required for a time, so `2025-07-05 00:46` is text), "Literals › Durations"
//! (`dur(1 day 2 hours)`, unit spellings), "Functions › dateformat" (Luxon format tokens).
//! Dates are civil (wall-clock) date-times; a zone suffix is accepted and the wall-clock time
//! kept, as Dataview does (`keepLocalTime`).

use jiff::civil::{Date, DateTime, Time};
use jiff::{Span, Unit};

use crate::value::{Duration, MS_DAY};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A civil date-time from its parts, `None` when any is out of range.
fn civil(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
) -> Option<DateTime> {
    let date = Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    let time = Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        i32::try_from(milli).ok()? * 1_000_000,
    )
    .ok()?;
    Some(date.to_datetime(time))
}

fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    if at + n > s.len() {
        return None;
    }
    let mut v = 0u32;
    for b in &s[at..at + n] {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(b - b'0');
    }
    Some(v)
}

/// Parse the longest Dataview date at the start of `text`; returns the date and the bytes used.
pub fn parse_date_prefix(text: &str) -> Option<(DateTime, usize)> {
    let s = text.as_bytes();
    let year = digits(s, 0, 4)?;
    if s.get(4) != Some(&b'-') {
        return None;
    }
    let month = digits(s, 5, 2)?;
    let mut pos = 7;
    let mut day = 1;
    let (mut hour, mut minute, mut second, mut milli) = (0, 0, 0, 0);
    if s.get(pos) == Some(&b'-') && digits(s, pos + 1, 2).is_some() {
        day = digits(s, pos + 1, 2)?;
        pos += 3;
        if s.get(pos) == Some(&b'T') && digits(s, pos + 1, 2).is_some() {
            hour = digits(s, pos + 1, 2)?;
            pos += 3;
            if s.get(pos) == Some(&b':') && digits(s, pos + 1, 2).is_some() {
                minute = digits(s, pos + 1, 2)?;
                pos += 3;
                if s.get(pos) == Some(&b':') && digits(s, pos + 1, 2).is_some() {
                    second = digits(s, pos + 1, 2)?;
                    pos += 3;
                    if s.get(pos) == Some(&b'.') && digits(s, pos + 1, 3).is_some() {
                        milli = digits(s, pos + 1, 3)?;
                        pos += 4;
                    }
                    // Zone: +HH[:mm], -HH[:mm], Z, [Zone/Name]; the wall-clock time is kept.
                    pos += zone_suffix(&s[pos..]);
                }
            }
        }
    }
    Some((
        civil(
            year.into(),
            month.into(),
            day.into(),
            hour.into(),
            minute.into(),
            second.into(),
            milli.into(),
        )?,
        pos,
    ))
}

fn zone_suffix(s: &[u8]) -> usize {
    match s.first() {
        Some(b'Z') => 1,
        Some(b'+' | b'-') => {
            let mut n = 1;
            while n < s.len() && n < 3 && s[n].is_ascii_digit() {
                n += 1;
            }
            if n == 1 {
                return 0;
            }
            if s.get(n) == Some(&b':') && digits(s, n + 1, 2).is_some() {
                n += 3;
            }
            n
        }
        Some(b'[') => match s.iter().position(|b| *b == b']') {
            Some(end) if end > 1 => end + 1,
            _ => 0,
        },
        _ => 0,
    }
}

/// The whole text is a Dataview date (frontmatter strings become dates only then).
pub fn parse_date(text: &str) -> Option<DateTime> {
    match parse_date_prefix(text) {
        Some((d, used)) if used == text.len() => Some(d),
        _ => None,
    }
}

/// `today`, `now`, `sow`, … relative to `now` (Dataview docs: "Literals › Dates").
pub fn date_shorthand(name: &str, now: DateTime) -> Option<DateTime> {
    let today = now.date().to_datetime(Time::midnight());
    let day = |n: i64| today.checked_add(Span::new().days(n)).ok();
    let weekday = i64::from(now.date().weekday().to_monday_zero_offset());
    let end = |start: Option<DateTime>, span: Span| -> Option<DateTime> {
        start?
            .checked_add(span)
            .ok()?
            .checked_sub(Span::new().milliseconds(1))
            .ok()
    };
    let som = now.date().first_of_month().to_datetime(Time::midnight());
    let soy = Date::new(now.year(), 1, 1)
        .ok()?
        .to_datetime(Time::midnight());
    match name {
        "now" => Some(now),
        "today" => Some(today),
        "yesterday" => day(-1),
        "tomorrow" => day(1),
        "sow" | "start-of-week" => day(-weekday),
        "eow" | "end-of-week" => end(day(-weekday), Span::new().days(7)),
        "som" | "start-of-month" => Some(som),
        "eom" | "end-of-month" => end(Some(som), Span::new().months(1)),
        "soy" | "start-of-year" => Some(soy),
        "eoy" | "end-of-year" => end(Some(soy), Span::new().years(1)),
        _ => None,
    }
}

/// Duration units in Dataview's spellings, longest first so `mins` wins over `m`.
const UNITS: [(&str, f64, bool); 31] = [
    ("minutes", 60_000.0, false),
    ("seconds", 1000.0, false),
    ("minute", 60_000.0, false),
    ("months", 1.0, true),
    ("second", 1000.0, false),
    ("hours", 3_600_000.0, false),
    ("month", 1.0, true),
    ("weeks", 7.0 * MS_DAY, false),
    ("years", 12.0, true),
    ("hour", 3_600_000.0, false),
    ("days", MS_DAY, false),
    ("mins", 60_000.0, false),
    ("secs", 1000.0, false),
    ("week", 7.0 * MS_DAY, false),
    ("year", 12.0, true),
    ("day", MS_DAY, false),
    ("hrs", 3_600_000.0, false),
    ("min", 60_000.0, false),
    ("mos", 1.0, true),
    ("sec", 1000.0, false),
    ("wks", 7.0 * MS_DAY, false),
    ("yrs", 12.0, true),
    ("hr", 3_600_000.0, false),
    ("mo", 1.0, true),
    ("wk", 7.0 * MS_DAY, false),
    ("yr", 12.0, true),
    ("d", MS_DAY, false),
    ("h", 3_600_000.0, false),
    ("m", 60_000.0, false),
    ("s", 1000.0, false),
    ("w", 7.0 * MS_DAY, false),
];

/// Parse a number at the start: `-?[0-9]+(\.[0-9]+)?`.
pub fn number_prefix(s: &str) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let start_digits = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == start_digits {
        return None;
    }
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    s[..i].parse().ok().map(|n| (n, i))
}

/// Parse a whole text as a Dataview duration: `1 day`, `4hr2min`, `1 year, 2 months`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let mut rest = text;
    let mut total = Duration::default();
    let mut first = true;
    loop {
        if !first {
            let trimmed = rest.trim_start();
            let trimmed = match trimmed.strip_prefix(',') {
                Some(after) => after.trim_start(),
                None => trimmed,
            };
            if trimmed.is_empty() {
                return if rest.is_empty() { Some(total) } else { None };
            }
            rest = trimmed;
        }
        first = false;
        let (n, used) = number_prefix(rest)?;
        rest = rest[used..].trim_start();
        let (unit, factor, months) = UNITS
            .iter()
            .copied()
            .find(|(u, _, _)| rest.starts_with(u))?;
        rest = &rest[unit.len()..];
        if months {
            total.months += n * factor;
        } else {
            total.millis += n * factor;
        }
        if rest.is_empty() {
            return Some(total);
        }
    }
}

/// Dataview's default display: `MMMM dd, yyyy` for midnight, else `h:mm a - MMMM dd, yyyy`.
pub fn format_date_default(d: DateTime) -> String {
    if d.hour() == 0 && d.minute() == 0 && d.second() == 0 {
        format_date(d, "MMMM dd, yyyy")
    } else {
        format_date(d, "h:mm a - MMMM dd, yyyy")
    }
}

/// Walk a Luxon format string: `'literal'` text is copied, every run of one character
/// (`yyyy`, `MM`, `-`) is handed to `token(char, run length)`; a run it returns `None` for is
/// copied as written. Shared by date and duration formatting.
pub fn format_tokens(format: &str, mut token: impl FnMut(char, usize) -> Option<String>) -> String {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\'' {
                out.push(chars[j]);
                j += 1;
            }
            i = j + 1;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        match token(c, n) {
            Some(text) => out.push_str(&text),
            None => out.extend(std::iter::repeat_n(c, n)),
        }
        i += n;
    }
    out
}

/// Format with Luxon tokens (`yyyy MM dd HH mm ss`, `MMMM`, `EEEE`, `a`, `'literal'`, …).
pub fn format_date(d: DateTime, format: &str) -> String {
    let month = d.month() as usize;
    let weekday = d.weekday().to_monday_zero_offset() as usize;
    let hour12 = match d.hour() % 12 {
        0 => 12,
        h => h,
    };
    format_tokens(format, |c, n| {
        Some(match (c, n) {
            ('y', 2) => format!("{:02}", d.year().rem_euclid(100)),
            ('y', _) => format!("{:0width$}", d.year(), width = n.max(4)),
            ('M', 1) | ('L', 1) => month.to_string(),
            ('M', 2) | ('L', 2) => format!("{month:02}"),
            ('M', 3) | ('L', 3) => MONTHS[month - 1][..3].to_string(),
            ('M', _) | ('L', _) => MONTHS[month - 1].to_string(),
            ('d', 1) => d.day().to_string(),
            ('d', _) => format!("{:02}", d.day()),
            ('o', _) => format!("{:03}", d.date().day_of_year()),
            ('H', 1) => d.hour().to_string(),
            ('H', _) => format!("{:02}", d.hour()),
            ('h', 1) => hour12.to_string(),
            ('h', _) => format!("{hour12:02}"),
            ('m', 1) => d.minute().to_string(),
            ('m', _) => format!("{:02}", d.minute()),
            ('s', 1) => d.second().to_string(),
            ('s', _) => format!("{:02}", d.second()),
            ('S', _) => format!("{:03}", d.subsec_nanosecond() / 1_000_000),
            ('a', _) => (if d.hour() < 12 { "AM" } else { "PM" }).to_string(),
            ('E' | 'c', 1) => (weekday + 1).to_string(),
            ('E' | 'c', 3) => WEEKDAYS[weekday][..3].to_string(),
            ('E' | 'c', _) => WEEKDAYS[weekday].to_string(),
            ('W', 1) => d.date().iso_week_date().week().to_string(),
            ('W', _) => format!("{:02}", d.date().iso_week_date().week()),
            ('k', _) => format!("{:04}", d.date().iso_week_date().year()),
            ('q', _) => ((month - 1) / 3 + 1).to_string(),
            _ => return None,
        })
    })
}

/// Parse `text` with a Luxon format (the subset `yyyy yy MM M dd d HH H hh h mm m ss s SSS a`
/// and literals); `None` when it does not match exactly.
pub fn parse_date_with_format(text: &str, format: &str) -> Option<DateTime> {
    let f: Vec<char> = format.chars().collect();
    let t = text.as_bytes();
    let (mut year, mut month, mut day, mut hour, mut minute, mut second, mut milli) =
        (1970i64, 1, 1, 0, 0, 0, 0);
    let mut pm: Option<bool> = None;
    let (mut i, mut pos) = (0, 0);
    let read = |pos: &mut usize, min: usize, max: usize| -> Option<i64> {
        let start = *pos;
        while *pos < t.len() && *pos - start < max && t[*pos].is_ascii_digit() {
            *pos += 1;
        }
        if *pos - start < min {
            return None;
        }
        text[start..*pos].parse().ok()
    };
    while i < f.len() {
        let c = f[i];
        if c == '\'' {
            let mut j = i + 1;
            while j < f.len() && f[j] != '\'' {
                let mut buf = [0u8; 4];
                let lit = f[j].encode_utf8(&mut buf);
                if !text[pos..].starts_with(&*lit) {
                    return None;
                }
                pos += lit.len();
                j += 1;
            }
            i = j + 1;
            continue;
        }
        let mut n = 1;
        while i + n < f.len() && f[i + n] == c {
            n += 1;
        }
        match (c, n) {
            ('y', 2) => year = 2000 + read(&mut pos, 2, 2)?,
            ('y', _) => year = read(&mut pos, 4, 4)?,
            ('M', 1 | 2) => month = read(&mut pos, n, 2)?,
            ('d', 1 | 2) => day = read(&mut pos, n, 2)?,
            ('H' | 'h', 1 | 2) => hour = read(&mut pos, n, 2)?,
            ('m', 1 | 2) => minute = read(&mut pos, n, 2)?,
            ('s', 1 | 2) => second = read(&mut pos, n, 2)?,
            ('S', _) => milli = read(&mut pos, 1, 3)?,
            ('a', _) => {
                let rest = text[pos..].to_ascii_uppercase();
                pm = Some(rest.starts_with("PM"));
                if !(rest.starts_with("AM") || rest.starts_with("PM")) {
                    return None;
                }
                pos += 2;
            }
            _ if !c.is_ascii_alphabetic() => {
                for _ in 0..n {
                    let mut buf = [0u8; 4];
                    let lit = c.encode_utf8(&mut buf);
                    if !text[pos..].starts_with(&*lit) {
                        return None;
                    }
                    pos += lit.len();
                }
            }
            _ => return None,
        }
        i += n;
    }
    if pos != text.len() {
        return None;
    }
    if let Some(pm) = pm {
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    civil(year, month, day, hour, minute, second, milli)
}

/// `date + duration` (calendar months first, then exact time), `None` when out of range.
pub fn add_duration(d: DateTime, dur: Duration, sign: f64) -> Option<DateTime> {
    let months = (dur.months * sign).trunc();
    let extra_ms = (dur.months * sign - months) * 30.0 * MS_DAY;
    let millis = (dur.millis * sign + extra_ms).round();
    let with_months = d
        .checked_add(Span::new().try_months(months as i64).ok()?)
        .ok()?;
    let days = (millis / MS_DAY).trunc();
    let rest = millis - days * MS_DAY;
    with_months
        .checked_add(Span::new().try_days(days as i64).ok()?)
        .ok()?
        .checked_add(Span::new().try_milliseconds(rest as i64).ok()?)
        .ok()
}

/// `date - date`: years and months by the calendar, the rest exact (Luxon's `diff`).
pub fn diff_dates(a: DateTime, b: DateTime) -> Duration {
    match a.since((Unit::Year, b)) {
        Ok(span) => {
            let months = f64::from(span.get_years()) * 12.0 + f64::from(span.get_months());
            let millis = f64::from(span.get_weeks()) * 7.0 * MS_DAY
                + f64::from(span.get_days()) * MS_DAY
                + span.get_hours() as f64 * 3_600_000.0
                + span.get_minutes() as f64 * 60_000.0
                + span.get_seconds() as f64 * 1000.0
                + span.get_milliseconds() as f64;
            Duration { months, millis }
        }
        Err(_) => Duration::default(),
    }
}

/// Luxon's `toHuman` of a normalised duration: `1 year, 2 months, 3 days, 4 hours`.
pub fn format_duration(d: Duration) -> String {
    let mut parts = Vec::new();
    let sign = if d.approx_millis() < 0.0 { -1.0 } else { 1.0 };
    let months = d.months * sign;
    let years = (months / 12.0).trunc();
    let months = months - years * 12.0;
    let mut ms = d.millis * sign;
    let unit = |name: &str, value: f64, parts: &mut Vec<String>| {
        if value != 0.0 {
            let v = value * sign;
            let plural = if v == 1.0 { "" } else { "s" };
            parts.push(format!("{} {name}{plural}", crate::value::format_number(v)));
        }
    };
    unit("year", years, &mut parts);
    unit("month", months, &mut parts);
    for (name, size) in [
        ("week", 7.0 * MS_DAY),
        ("day", MS_DAY),
        ("hour", 3_600_000.0),
        ("minute", 60_000.0),
        ("second", 1000.0),
    ] {
        let n = (ms / size).trunc();
        ms -= n * size;
        unit(name, n, &mut parts);
    }
    unit("millisecond", (ms * 1000.0).round() / 1000.0, &mut parts);
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_need_a_t_for_time() {
        assert!(parse_date("2025-07-05 00:46").is_none());
        assert_eq!(parse_date("2025-07-05T00:46").map(|d| d.minute()), Some(46));
        assert_eq!(parse_date("2025-07").map(|d| d.day()), Some(1));
        assert!(parse_date("2025-13-01").is_none());
        assert!(parse_date("2025-07-05T10:00:00Z").is_some());
    }

    #[test]
    fn durations_parse_and_print() {
        let d = parse_duration("1 day, 2 hours").expect("valid");
        assert_eq!(format_duration(d), "1 day, 2 hours");
        assert_eq!(
            format_duration(parse_duration("4hr2min").expect("valid")),
            "4 hours, 2 minutes"
        );
        assert_eq!(
            format_duration(parse_duration("1 year 1 mo").expect("valid")),
            "1 year, 1 month"
        );
        assert!(parse_duration("1 fortnight").is_none());
    }

    #[test]
    fn formats_like_luxon() {
        let d = parse_date("2025-07-05T00:46").expect("valid");
        assert_eq!(format_date_default(d), "12:46 AM - July 05, 2025");
        assert_eq!(
            format_date(d, "yyyy-MM-dd EEE 'at' HH:mm"),
            "2025-07-05 Sat at 00:46"
        );
        assert_eq!(
            parse_date_with_format("05/07/2025", "dd/MM/yyyy").map(|d| d.month()),
            Some(7)
        );
    }
}
