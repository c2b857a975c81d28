//! Calendar values written in a spec, quoted: a `date` (`"2026-12-01"`)
//! and a `timestamp` (`"2026-12-01T09:30:00Z"`, RFC 3339), checked without
//! a calendar library. Scenarios and rules read them alike.

/// `2026-12-01`: a year of four digits, a month and a day that exist.
pub(crate) fn date(text: &str) -> Option<(i32, u32, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i32 = digits(&text[0..4])?;
    let month: u32 = digits(&text[5..7])?;
    let day: u32 = digits(&text[8..10])?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some((year, month, day))
}

/// `2026-12-01T09:30:00Z`, `2026-12-01T09:30:00.5+01:00`: RFC 3339.
pub(crate) fn timestamp(text: &str) -> bool {
    let Some((day, time)) = text.split_once(['T', 't']) else {
        return false;
    };
    if date(day).is_none() || !time.is_ascii() || time.len() < 9 {
        return false;
    }
    let (clock, zone) = time.split_at(8);
    let b = clock.as_bytes();
    let clock_ok = b[2] == b':'
        && b[5] == b':'
        && digits::<u32>(&clock[0..2]).is_some_and(|h| h < 24)
        && digits::<u32>(&clock[3..5]).is_some_and(|m| m < 60)
        && digits::<u32>(&clock[6..8]).is_some_and(|s| s < 61);
    let zone = match zone.strip_prefix('.') {
        Some(fraction) => {
            let end = fraction
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(fraction.len());
            if end == 0 {
                return false;
            }
            &fraction[end..]
        }
        None => zone,
    };
    let zone_ok = matches!(zone, "Z" | "z")
        || (zone.len() == 6
            && zone.starts_with(['+', '-'])
            && zone.as_bytes()[3] == b':'
            && digits::<u32>(&zone[1..3]).is_some_and(|h| h < 24)
            && digits::<u32>(&zone[4..6]).is_some_and(|m| m < 60));
    clock_ok && zone_ok
}

/// A timestamp that `timestamp` accepts as seconds and nanoseconds since
/// 1970-01-01T00:00:00Z (what generated code builds it from, without
/// parsing text at run time).
pub fn unix_time(text: &str) -> Option<(i64, u32)> {
    if !timestamp(text) {
        return None;
    }
    let (y, m, d) = date(&text[..10])?;
    let hours: i64 = digits(&text[11..13])?;
    let minutes: i64 = digits(&text[14..16])?;
    let seconds: i64 = digits(&text[17..19])?;
    let rest = &text[19..];
    let (fraction, zone) = match rest.strip_prefix('.') {
        Some(after) => {
            let end = after.find(|c: char| !c.is_ascii_digit())?;
            (&after[..end], &after[end..])
        }
        None => ("", rest),
    };
    let nanos: u32 = format!("{:0<9}", &fraction[..fraction.len().min(9)])
        .parse()
        .ok()?;
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let h: i64 = digits(&zone[1..3])?;
            let m: i64 = digits(&zone[4..6])?;
            sign * (h * 3600 + m * 60)
        }
    };
    let days = days_from_civil(i64::from(y), i64::from(m), i64::from(d));
    Some((
        days * 86_400 + hours * 3600 + minutes * 60 + seconds - offset,
        nanos,
    ))
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse().ok())
        .flatten()
}

/// What a clock fixed by `given today is "<date>"` (at midnight, UTC) or
/// `given now is "<timestamp>"` reads; `None` when the text is not one.
pub(crate) fn clock(text: &str, today: bool) -> Option<chrono::DateTime<chrono::Utc>> {
    if today {
        let (y, m, d) = date(text)?;
        chrono::NaiveDate::from_ymd_opt(y, m, d)?
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
    } else if timestamp(text) {
        chrono::DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.to_utc())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{date, timestamp, unix_time};

    #[test]
    fn timestamps_are_read_as_unix_time() {
        assert_eq!(unix_time("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(unix_time("2026-12-01T10:00:00Z"), Some((1_796_119_200, 0)));
        assert_eq!(
            unix_time("2026-12-01T11:00:00.25+01:00"),
            Some((1_796_119_200, 250_000_000))
        );
        assert_eq!(unix_time("1969-12-31T23:59:59Z"), Some((-1, 0)));
        assert_eq!(
            unix_time("2024-02-29T00:00:00-00:30"),
            Some((1_709_166_600, 0))
        );
        assert_eq!(unix_time("not a time"), None);
    }

    #[test]
    fn dates_and_timestamps_are_checked() {
        assert_eq!(date("2026-12-01"), Some((2026, 12, 1)));
        assert_eq!(date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(date("2026-02-29"), None);
        assert_eq!(date("2026-13-01"), None);
        assert_eq!(date("2026-1-01"), None);
        assert_eq!(date("２０２6-12-01"), None);
        assert!(timestamp("2026-12-01T09:30:00Z"));
        assert!(timestamp("2026-12-01T09:30:00.250+01:00"));
        assert!(!timestamp("2026-12-01T24:30:00Z"));
        assert!(!timestamp("2026-12-01T09:30:00"));
        assert!(!timestamp("2026-12-01 09:30:00Z"));
        assert!(!timestamp("2026-12-01T09:30:00.Z"));
        assert!(!timestamp("2026-12-01T0é:30:00Z"));
    }
}
