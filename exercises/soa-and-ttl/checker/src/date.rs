//! Calendar dates (proleptic Gregorian, UTC), for serials in the form
//! YYYYMMDDnn and the grading time.

use std::fmt;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// `YYYYMMDD` (exactly eight digits) when it names a real date.
    pub fn parse_yyyymmdd(text: &str) -> Option<Date> {
        if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i64 = text.get(..4)?.parse().ok()?;
        let month: u32 = text.get(4..6)?.parse().ok()?;
        let day: u32 = text.get(6..8)?.parse().ok()?;
        (year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let y = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = i64::from((self.month + 9) % 12);
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date of a day number (inverse of [`Date::days`]).
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date { year, month, day }
    }

    /// The UTC date of a Unix time.
    pub fn from_unix(secs: i64) -> Date {
        Date::from_days(secs.div_euclid(86400))
    }

    /// Midnight UTC of the date, as a Unix time.
    pub fn to_unix(self) -> i64 {
        self.days().saturating_mul(86400)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        assert_eq!(Date::parse_yyyymmdd("19700101").map(Date::days), Some(0));
        let d = Date::parse_yyyymmdd("20261129").unwrap();
        assert_eq!(Date::from_days(d.days()), d);
        // 2026-11-29T10:00:00Z
        assert_eq!(Date::from_unix(1_795_946_400), d);
        assert_eq!(d.to_string(), "2026-11-29");
        assert!(Date::parse_yyyymmdd("20260229").is_none());
        assert!(Date::parse_yyyymmdd("20240229").is_some());
        assert!(Date::parse_yyyymmdd("20261301").is_none());
        assert!(Date::parse_yyyymmdd("20261100").is_none());
        assert_eq!(Date::from_unix(-1).to_string(), "1969-12-31");
    }
}
