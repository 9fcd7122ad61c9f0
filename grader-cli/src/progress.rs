//! Progress of long runs (a regrade, a report over many results): a bar
//! on a terminal, plain lines otherwise (CI logs, files), on stderr.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often a plain line is written when stderr is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(2);

/// The progress of one run over a known number of items.
pub struct Progress {
    what: &'static str,
    total: u64,
    done: u64,
    bar: Option<ProgressBar>,
    last_line: Instant,
    started: Instant,
}

impl Progress {
    /// Starts showing the progress of `total` items (`what`: "regraded",
    /// "read"). Nothing is shown for fewer than `quiet_below` items.
    pub fn new(what: &'static str, total: u64, quiet_below: u64) -> Progress {
        let bar = (total >= quiet_below && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{bar:40.cyan/blue} {pos}/{len} {msg} ({elapsed}, about {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style.progress_chars("=> "));
            bar.set_message(what);
            bar
        });
        let now = Instant::now();
        Progress {
            what,
            total,
            done: 0,
            bar,
            // No plain line for short runs.
            last_line: if total >= quiet_below {
                now
            } else {
                now + Duration::from_secs(86400)
            },
            started: now,
        }
    }

    /// One more item done.
    pub fn inc(&mut self) {
        self.done += 1;
        match &self.bar {
            Some(bar) => bar.inc(1),
            None => {
                if self.last_line.elapsed() >= LINE_EVERY && self.done < self.total {
                    self.last_line = Instant::now();
                    eprintln!("{} {}/{}", self.what, self.done, self.total);
                }
            }
        }
    }

    /// Done: the bar is cleared; a plain run gets a final line if it
    /// printed any.
    pub fn finish(self) {
        match self.bar {
            Some(bar) => bar.finish_and_clear(),
            None => {
                if self.started.elapsed() >= LINE_EVERY && self.total > 0 {
                    eprintln!("{} {}/{}", self.what, self.done, self.total);
                }
            }
        }
    }
}
