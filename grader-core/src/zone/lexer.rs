//! Splits master-file text (RFC 1035 §5.1) into entries of tokens.
//!
//! An *entry* is one record or directive: a line, or several lines joined by
//! parentheses. Tokens keep their byte offsets and line so every later
//! diagnostic can point at them. Escapes are not decoded here; a word token is
//! the raw text between separators (a backslash protects the next byte), a
//! quoted token is the raw text between the quotes.

use super::diag::Code;
use super::sink::Sink;

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
}

/// One record or directive.
#[derive(Debug, Default)]
pub(crate) struct Entry {
    /// Line of the first token.
    pub line: u32,
    pub line_start: u32,
    /// The entry's first line starts with a blank: the owner is inherited.
    pub blank_start: bool,
    pub tokens: Vec<Token>,
    /// A lexical error was reported inside this entry: it must not be used.
    pub bad: bool,
}

/// Number of characters (not bytes) before `offset` on its line, plus one.
pub(crate) fn column(src: &[u8], line_start: u32, offset: u32) -> u32 {
    let end = (offset as usize).min(src.len());
    let start = (line_start as usize).min(end);
    1 + src[start..end]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count() as u32
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

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8], max_line: usize) -> Self {
        Lexer {
            src,
            pos: 0,
            line: 1,
            max_line,
        }
    }

    /// Reads the next entry into `entry` (cleared first). Returns `false` at
    /// the end of the input.
    pub fn next_entry(&mut self, entry: &mut Entry, sink: &mut Sink) -> bool {
        entry.tokens.clear();
        entry.bad = false;
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
                return !entry.tokens.is_empty() || entry.bad;
            }
            let line_start = self.pos;
            let eol = src[line_start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(src.len(), |p| line_start + p);
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
                sink.push_at(
                    src,
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
                entry.bad = true;
                if open.is_none() {
                    return true;
                }
                continue;
            }
            self.lex_line(line, line_start, eol, entry, &mut open, &mut depth, sink);
            if open.is_none() {
                if entry.tokens.is_empty() && !entry.bad {
                    // A blank or comment-only line: keep looking.
                    first_line = true;
                    continue;
                }
                return true;
            }
            first_line = false;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn lex_line(
        &mut self,
        line: u32,
        line_start: usize,
        eol: usize,
        entry: &mut Entry,
        open: &mut Option<(u32, u32, u32)>,
        depth: &mut u32,
        sink: &mut Sink,
    ) {
        let src = self.src;
        let ls = line_start as u32;
        let mut reported_control = false;
        let mut i = line_start;
        while i < eol {
            let c = src[i];
            match c {
                b' ' | b'\t' | b'\r' => i += 1,
                b';' => break,
                b'(' => {
                    // BIND accepts nested parentheses; so does this reader.
                    if *depth == 0 {
                        *open = Some((line, ls, i as u32));
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
                            line,
                            ls,
                            i as u32,
                            ")",
                            "this `)` has no matching `(`",
                        );
                        entry.bad = true;
                    }
                    i += 1;
                }
                b'"' => {
                    let start = i + 1;
                    let mut j = start;
                    let mut closed = false;
                    while j < eol {
                        match src[j] {
                            b'\\' => j += 2,
                            b'"' => {
                                closed = true;
                                break;
                            }
                            b if is_control(b) => {
                                if !reported_control {
                                    self.control(line, ls, j, entry, sink);
                                    reported_control = true;
                                }
                                j += 1;
                            }
                            _ => j += 1,
                        }
                    }
                    let end = j.min(eol);
                    if !closed {
                        sink.push_at(
                            src,
                            Code::UnterminatedQuote,
                            line,
                            ls,
                            i as u32,
                            "\"",
                            "this quoted string is not closed on its line: add the closing `\"`",
                        );
                        entry.bad = true;
                    }
                    entry.tokens.push(Token {
                        start: start as u32,
                        end: end as u32,
                        line,
                        line_start: ls,
                        quoted: true,
                    });
                    i = if closed { end + 1 } else { eol };
                }
                c if is_control(c) => {
                    if !reported_control {
                        self.control(line, ls, i, entry, sink);
                        reported_control = true;
                    }
                    i += 1;
                }
                _ => {
                    let start = i;
                    let mut j = i;
                    while j < eol {
                        let b = src[j];
                        if b == b'\\' {
                            j = (j + 2).min(eol);
                            continue;
                        }
                        if is_blank(b) || matches!(b, b';' | b'(' | b')' | b'"') || is_control(b) {
                            break;
                        }
                        j += 1;
                    }
                    entry.tokens.push(Token {
                        start: start as u32,
                        end: j as u32,
                        line,
                        line_start: ls,
                        quoted: false,
                    });
                    i = j;
                }
            }
        }
    }

    fn control(&self, line: u32, ls: u32, at: usize, entry: &mut Entry, sink: &mut Sink) {
        sink.push_at(
            self.src,
            Code::ControlCharacter,
            line,
            ls,
            at as u32,
            "",
            format!(
                "unexpected control character 0x{:02x}: a zone file is plain text (is this a binary file?)",
                self.src[at]
            ),
        );
        entry.bad = true;
    }
}
