//! Splits master-file text (RFC 1035 §5.1) into entries of tokens.
//!
//! An *entry* is one record or directive: a line, or several lines joined by
//! parentheses. Tokens keep their byte offsets and line so every later
//! diagnostic can point at them. Escapes are not decoded here; a word token is
//! the raw text between separators (a backslash protects the next byte), a
//! quoted token is the raw text between the quotes. As in BIND, a quoted
//! string may hold any byte but a bare newline, and a backslash before the
//! newline continues the string on the next line (the newline is part of it).

use super::diag::Code;
use super::sink::Sink;

/// Most tokens one entry may hold. The largest record data BIND accepts
/// (65,535 octets) written as one-digit hex tokens is 131,070 tokens; an
/// entry with more is an unclosed `(` swallowing the file, and keeping every
/// token of it would cost memory for nothing.
pub(crate) const MAX_TOKENS: usize = 132_000;

/// A token of an entry. Offsets are byte offsets into the whole input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub start: u32,
    pub end: u32,
    pub line: u32,
    /// Byte offset of the start of `line`, to compute columns.
    pub line_start: u32,
    pub quoted: bool,
}

impl Token {
    pub fn text<'a>(&self, src: &'a [u8]) -> &'a [u8] {
        &src[self.start as usize..self.end as usize]
    }

    /// The 1-based column of the token on its line.
    pub fn column(&self, src: &[u8]) -> u32 {
        column(src, self.line_start, self.start)
    }
}

/// One record or directive.
#[derive(Debug, Default)]
pub(crate) struct Entry {
    /// Line of the first token (not of a `(` before it).
    pub line: u32,
    /// Byte offset of the start of `line`.
    pub line_start: u32,
    /// The entry's first line starts with a blank: the owner is inherited.
    pub blank_start: bool,
    pub tokens: Vec<Token>,
    /// A lexical error was reported inside this entry: it must not be used.
    pub bad: bool,
    /// More than [`MAX_TOKENS`] tokens: the rest were not kept.
    capped: bool,
}

/// Number of characters (not bytes) in `bytes` as they are displayed: valid
/// UTF-8 counts one per character, and each invalid sequence counts one (it
/// is shown as one `�`, exactly as `String::from_utf8_lossy` does).
pub(crate) fn char_count(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes
        .utf8_chunks()
        .map(|c| c.valid().chars().count() + usize::from(!c.invalid().is_empty()))
        .sum()
}

/// Number of characters (see [`char_count`]) before `offset` on its line,
/// plus one.
pub(crate) fn column(src: &[u8], line_start: u32, offset: u32) -> u32 {
    let end = (offset as usize).min(src.len());
    let start = (line_start as usize).min(end);
    1 + char_count(&src[start..end]) as u32
}

/// The byte offset of column `column` (see [`column`]) on the line that
/// starts at byte `line_start`, or `None` when the line is shorter.
pub(crate) fn offset_of_column(src: &[u8], line_start: usize, column: u32) -> Option<usize> {
    let line = &src[line_start.min(src.len())..];
    let eol = line.iter().position(|&b| b == b'\n').unwrap_or(line.len());
    let line = &line[..eol];
    let want = column.checked_sub(1)? as usize;
    let mut chars = 0;
    let mut at = 0;
    for chunk in line.utf8_chunks() {
        for c in chunk.valid().chars() {
            if chars == want {
                return Some(line_start + at);
            }
            chars += 1;
            at += c.len_utf8();
        }
        if !chunk.invalid().is_empty() {
            if chars == want {
                return Some(line_start + at);
            }
            chars += 1;
            at += chunk.invalid().len();
        }
    }
    (chars == want).then_some(line_start + at)
}

/// The tokenizer. Call [`Lexer::next_entry`] until it returns `false`.
pub(crate) struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    /// 1-based number of the line that starts at `pos`.
    line: u32,
    max_line: usize,
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f
}

/// The line being lexed: its number, where it starts and where it ends.
struct Line {
    number: u32,
    start: usize,
    eol: usize,
}

impl Line {
    fn start32(&self) -> u32 {
        self.start as u32
    }
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8], max_line: usize) -> Self {
        Lexer {
            src,
            pos: 0,
            line: 1,
            max_line,
        }
    }

    /// The end of the line that starts at `start`.
    fn eol(&self, start: usize) -> usize {
        self.src[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.src.len(), |p| start + p)
    }

    /// Reads the next entry into `entry` (cleared first). Returns `false` at
    /// the end of the input.
    pub fn next_entry(&mut self, entry: &mut Entry, sink: &mut Sink) -> bool {
        entry.tokens.clear();
        entry.bad = false;
        entry.capped = false;
        let src = self.src;
        // Where the open parenthesis is, while one is open.
        let mut open: Option<(u32, u32, u32)> = None;
        let mut depth = 0u32;
        let mut first_line = true;
        loop {
            if self.pos >= src.len() {
                if let Some((line, line_start, at)) = open {
                    sink.push_at(
                        src,
                        Code::UnbalancedParentheses,
                        line,
                        line_start,
                        at,
                        "(",
                        "this `(` is never closed: add the matching `)`",
                    );
                    entry.bad = true;
                }
                self.finish(entry);
                return !entry.tokens.is_empty() || entry.bad;
            }
            let line_start = self.pos;
            let eol = self.eol(line_start);
            let line = self.line;
            self.pos = eol + 1;
            self.line += 1;
            if first_line {
                entry.line = line;
                entry.line_start = line_start as u32;
                entry.blank_start = src
                    .get(line_start)
                    .is_some_and(|&b| b == b' ' || b == b'\t');
            }
            if eol - line_start > self.max_line {
                self.too_long(line, line_start, eol, sink);
                entry.bad = true;
                if open.is_none() {
                    self.finish(entry);
                    return true;
                }
                continue;
            }
            let mut at = Line {
                number: line,
                start: line_start,
                eol,
            };
            self.lex_line(&mut at, entry, &mut open, &mut depth, sink);
            if open.is_none() {
                if entry.tokens.is_empty() && !entry.bad {
                    // A blank or comment-only line: keep looking.
                    first_line = true;
                    continue;
                }
                self.finish(entry);
                return true;
            }
            first_line = false;
        }
    }

    /// The entry's line is the line of its first token (a `(` alone on the
    /// line before it does not count).
    fn finish(&self, entry: &mut Entry) {
        if let Some(t) = entry.tokens.first() {
            entry.line = t.line;
            entry.line_start = t.line_start;
        }
    }

    fn too_long(&self, line: u32, line_start: usize, eol: usize, sink: &mut Sink) {
        sink.push_at(
            self.src,
            Code::LineTooLong,
            line,
            line_start as u32,
            line_start as u32,
            "",
            format!(
                "line is {} bytes long, more than the limit of {} bytes; the line is skipped",
                eol - line_start,
                self.max_line
            ),
        );
    }

    /// Moves to the next physical line inside a quoted string that an
    /// escaped newline continues. Returns `false` (after reporting) when that
    /// line is too long.
    fn continue_line(&mut self, at: &mut Line, entry: &mut Entry, sink: &mut Sink) -> bool {
        let start = at.eol + 1;
        let eol = self.eol(start);
        *at = Line {
            number: at.number + 1,
            start,
            eol,
        };
        self.pos = eol + 1;
        self.line = at.number + 1;
        if eol - start > self.max_line {
            self.too_long(at.number, start, eol, sink);
            entry.bad = true;
            return false;
        }
        true
    }

    fn push(&self, entry: &mut Entry, tok: Token, sink: &mut Sink) {
        if entry.tokens.len() < MAX_TOKENS {
            entry.tokens.push(tok);
            return;
        }
        if !entry.capped {
            entry.capped = true;
            entry.bad = true;
            sink.push_token(
                self.src,
                Code::EntryTooLong,
                &tok,
                format!(
                    "this record has more than {MAX_TOKENS} fields, more than any record can hold: is a `(` not closed?"
                ),
            );
        }
    }

    fn lex_line(
        &mut self,
        at: &mut Line,
        entry: &mut Entry,
        open: &mut Option<(u32, u32, u32)>,
        depth: &mut u32,
        sink: &mut Sink,
    ) {
        let src = self.src;
        let mut reported_control = false;
        let mut i = at.start;
        while i < at.eol {
            let c = src[i];
            match c {
                b' ' | b'\t' | b'\r' => i += 1,
                b';' => break,
                b'(' => {
                    // BIND accepts nested parentheses; so does this reader.
                    if *depth == 0 {
                        *open = Some((at.number, at.start32(), i as u32));
                    }
                    *depth += 1;
                    i += 1;
                }
                b')' => {
                    if *depth > 0 {
                        *depth -= 1;
                        if *depth == 0 {
                            *open = None;
                        }
                    } else {
                        sink.push_at(
                            src,
                            Code::UnbalancedParentheses,
                            at.number,
                            at.start32(),
                            i as u32,
                            ")",
                            "this `)` has no matching `(`",
                        );
                        entry.bad = true;
                    }
                    i += 1;
                }
                b'"' => {
                    let (qline, qstart) = (at.number, at.start32());
                    let start = i + 1;
                    let mut j = start;
                    let mut closed = false;
                    while j < at.eol {
                        match src[j] {
                            b'\\' if j + 1 == at.eol && at.eol < src.len() => {
                                // An escaped newline: the string goes on.
                                if !self.continue_line(at, entry, sink) {
                                    return;
                                }
                                j = at.start;
                            }
                            b'\\' => j += 2,
                            b'"' => {
                                closed = true;
                                break;
                            }
                            _ => j += 1,
                        }
                    }
                    let end = j.min(at.eol);
                    if !closed {
                        sink.push_at(
                            src,
                            Code::UnterminatedQuote,
                            qline,
                            qstart,
                            i as u32,
                            "\"",
                            "this quoted string is not closed on its line: add the closing `\"`",
                        );
                        entry.bad = true;
                    }
                    self.push(
                        entry,
                        Token {
                            start: start as u32,
                            end: end as u32,
                            line: qline,
                            line_start: qstart,
                            quoted: true,
                        },
                        sink,
                    );
                    i = if closed { end + 1 } else { at.eol };
                }
                c if is_control(c) => {
                    if !reported_control {
                        self.control(at, i, entry, sink);
                        reported_control = true;
                    }
                    i += 1;
                }
                _ => {
                    let start = i;
                    let mut j = i;
                    while j < at.eol {
                        let b = src[j];
                        if b == b'\\' {
                            j = (j + 2).min(at.eol);
                            continue;
                        }
                        if is_blank(b) || matches!(b, b';' | b'(' | b')' | b'"') || is_control(b) {
                            break;
                        }
                        j += 1;
                    }
                    self.push(
                        entry,
                        Token {
                            start: start as u32,
                            end: j as u32,
                            line: at.number,
                            line_start: at.start32(),
                            quoted: false,
                        },
                        sink,
                    );
                    i = j;
                }
            }
        }
    }

    fn control(&self, at: &Line, pos: usize, entry: &mut Entry, sink: &mut Sink) {
        sink.push_at(
            self.src,
            Code::ControlCharacter,
            at.number,
            at.start32(),
            pos as u32,
            "",
            format!(
                "unexpected control character 0x{:02x}: a zone file is plain text (is this a binary file?)",
                self.src[pos]
            ),
        );
        entry.bad = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_displayed_characters() {
        // `é` is one column; a lone continuation byte and a truncated
        // sequence are one `�` each, as in `String::from_utf8_lossy`.
        for bytes in [&b"a\xc3\xa9b"[..], b"\x80x", b"\xe2\x82x", b"\xff\xfe\x80"] {
            let lossy = String::from_utf8_lossy(bytes).chars().count();
            assert_eq!(char_count(bytes), lossy, "{bytes:?}");
        }
        let src = b"ab\xffcd x";
        assert_eq!(column(src, 0, 6), 7);
        assert_eq!(offset_of_column(src, 0, 7), Some(6));
        assert_eq!(offset_of_column(src, 0, 3), Some(2));
        assert_eq!(offset_of_column(src, 0, 4), Some(3));
        assert_eq!(offset_of_column(src, 0, 9), None);
    }
}
