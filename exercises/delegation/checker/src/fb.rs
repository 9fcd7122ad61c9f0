//! Feedback with a cap: the grader refuses a checker's whole result when it
//! exceeds `limits.max_output_bytes` (64 KiB for all checks together), so a
//! zone with thousands of faulty records must not make every check list them
//! all. Each check keeps at most [`MAX_ENTRIES`] entries and [`MAX_BYTES`]
//! bytes, and ends with a count of what it left out.

use std::fmt::Display;

use grader_checker_sdk::prelude::*;

pub const MAX_ENTRIES: usize = 15;
pub const MAX_BYTES: usize = 6000;
/// The longest single entry kept, in bytes.
const MAX_ENTRY: usize = 1000;

#[derive(Default)]
pub struct Fb {
    fb: Feedback,
    bytes: usize,
    omitted: usize,
}

fn shorten(mut s: String) -> String {
    if s.len() > MAX_ENTRY {
        let mut end = MAX_ENTRY;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

impl Fb {
    pub fn new() -> Self {
        Self::default()
    }

    fn room(&mut self, len: usize) -> bool {
        if self.fb.len() < MAX_ENTRIES && self.bytes + len <= MAX_BYTES {
            self.bytes += len;
            true
        } else {
            self.omitted += 1;
            false
        }
    }

    pub fn push_line(&mut self, line: u32, message: impl Display) -> &mut Self {
        let m = shorten(message.to_string());
        if self.room(m.len() + 16) {
            self.fb.push_line(line, m);
        }
        self
    }

    pub fn push_record(&mut self, record: &ZoneRecord, message: impl Display) -> &mut Self {
        self.push_line(record.line, message)
    }

    pub fn push_note(&mut self, message: impl Display) -> &mut Self {
        self.push_line(0, message)
    }

    pub fn is_empty(&self) -> bool {
        self.fb.is_empty() && self.omitted == 0
    }
}

impl From<Fb> for Feedback {
    fn from(f: Fb) -> Feedback {
        let mut fb = f.fb;
        if f.omitted > 0 {
            fb.push_note(format!("… and {} more like these", f.omitted));
        }
        fb
    }
}
