//! Collects diagnostics, up to a limit.

use super::diag::{Code, Diagnostic, Severity};
use super::lexer::{Token, column};

/// Where diagnostics go while a zone is read and checked.
pub(crate) struct Sink {
    pub list: Vec<Diagnostic>,
    max: usize,
    errors: usize,
    full: bool,
}

impl Sink {
    pub fn new(max: usize) -> Self {
        Sink {
            list: Vec::new(),
            max,
            errors: 0,
            full: false,
        }
    }

    /// Whether the next diagnostic will be kept (the limit is not reached):
    /// when not, the caller need not work out its text.
    pub fn keeps(&self) -> bool {
        self.list.len() < self.max
    }

    /// Number of errors reported so far, including those not kept.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// Takes what another sink collected (in its order), keeping the count
    /// of errors exact.
    pub fn absorb(&mut self, other: Sink) {
        let listed = other
            .list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        self.errors += other.errors - listed;
        for d in other.list {
            self.push(d);
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        if d.severity == Severity::Error {
            self.errors += 1;
        }
        if self.list.len() < self.max {
            self.list.push(d);
        } else if !self.full {
            self.full = true;
            let (line, column) = (d.line, d.column);
            self.list.push(Diagnostic::new(
                Code::TooManyDiagnostics,
                line,
                column,
                "",
                format!("more than {} problems; the rest are not listed", self.max),
            ));
        }
    }

    /// A diagnostic at byte `offset` of line `line` (which starts at `line_start`).
    #[allow(clippy::too_many_arguments)]
    pub fn push_at(
        &mut self,
        src: &[u8],
        code: Code,
        line: u32,
        line_start: u32,
        offset: u32,
        text: impl Into<String>,
        message: impl Into<String>,
    ) {
        let col = column(src, line_start, offset);
        self.push(Diagnostic::new(code, line, col, text, message));
    }

    /// A diagnostic pointing at a token; its text is the token's text.
    pub fn push_token(&mut self, src: &[u8], code: Code, tok: &Token, message: impl Into<String>) {
        let text = shown(tok.text(src));
        self.push_at(
            src,
            code,
            tok.line,
            tok.line_start,
            tok.start,
            text,
            message,
        );
    }
}

/// A token's text for a diagnostic: lossy UTF-8, cut to a readable length.
pub(crate) fn shown(bytes: &[u8]) -> String {
    const MAX: usize = 80;
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX * 4)]);
    let mut out: String = s.chars().take(MAX).collect();
    if s.chars().count() > MAX {
        out.push('…');
    }
    out
}
