//! `grader results record`: fills the gradebook with result messages as
//! the worker publishes them on `grader.results`, from a JSON-lines file
//! or from a queue bound to that exchange, so that a workshop without an
//! LMS keeps every result with a worker and this command alone (or with a
//! worker started with `--gradebook`).
//!
//! Recording is idempotent (submission id, checker SHA-256, exercise
//! version): running it twice over the same results records nothing new.
//! A `rejected` result is read and skipped (nothing was graded). A result
//! that differs from the one recorded under its key is a conflict: the
//! gradebook keeps the first, and the summary names the submission.
//!
//! Exit status: 0 every result recorded (or already there, or a conflict,
//! or a rejected one skipped), 1 some lines or messages were not results
//! (each named on stderr; the others are recorded), 2 usage, file,
//! gradebook or broker problems.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use futures_util::StreamExt;
use grader_core::message::ResultBody;
use grader_gradebook::{Entry, Gradebook, Recorded, Tally};
use grader_worker::client::Client;
use grader_worker::topology::{self, RESULTS};
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicQosOptions, QueueBindOptions,
    QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{Channel, Consumer};
use tokio::signal::unix::{Signal, SignalKind, signal};

use crate::commands::fail;
use crate::progress::Progress;

/// Lines or messages that are not results named on stderr; the others
/// are counted.
const MAX_NAMED: u64 = 50;
/// Results recorded in one transaction.
const BATCH: usize = 500;
/// Messages taken from a queue before they are recorded together (the
/// prefetch).
const QUEUE_BATCH: usize = 200;
/// How long to wait for more messages to join a batch.
const GATHER: Duration = Duration::from_millis(100);

/// `grader results` subcommands.
#[derive(clap::Subcommand)]
pub enum ResultsCommand {
    /// Record result messages (as the worker publishes them on
    /// `grader.results`) into the gradebook, from a JSON-lines file or a
    /// queue. Idempotent: results already there are counted, not added.
    Record(RecordArgs),
}

/// Arguments of `grader results record`.
#[derive(clap::Args)]
pub struct RecordArgs {
    /// The gradebook: the path of an SQLite file (created with its
    /// tables), or a PostgreSQL URL (`postgres://user:password@host/db`).
    #[arg(
        long,
        env = "GRADER_GRADEBOOK",
        hide_env_values = true,
        value_name = "LOCATION"
    )]
    gradebook: String,
    #[command(flatten)]
    source: Source,
    /// With --queue: the broker, `amqp://user:password@host:port/vhost` or
    /// `amqps://...`.
    #[arg(
        long,
        env = "AMQP_URL",
        default_value = grader_worker::config::DEFAULT_AMQP_URL,
        hide_env_values = true,
        requires = "queue"
    )]
    amqp_url: String,
    /// With --queue: declare it first, a durable quorum queue bound to the
    /// `grader.results` exchange with `#` (every result) or with the
    /// --bind keys. Declare it before results are published: results
    /// published while no queue is bound wait in `grader.results.unrouted`.
    #[arg(long, requires = "queue")]
    declare: bool,
    /// With --queue: a binding key on `grader.results` (`<course>.#`,
    /// `*.<exercise>`), instead of `#`; repeatable; implies --declare.
    #[arg(long, value_name = "KEY", requires = "queue")]
    bind: Vec<String>,
    /// With --queue: go on recording until SIGINT or SIGTERM (the results
    /// in hand are recorded and acknowledged first), instead of stopping
    /// when the queue is drained.
    #[arg(long, requires = "queue")]
    follow: bool,
    /// With --queue, without --follow: the queue is drained when no
    /// message came for this long.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = humantime::parse_duration, requires = "queue")]
    idle: Duration,
    /// With --queue: acknowledge (drop) messages that are not results,
    /// naming each on stderr, and go on. Without it, the first such message
    /// is left in the queue and the command stops there, naming it.
    #[arg(long, requires = "queue")]
    drop_invalid: bool,
}

/// Where the results come from.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct Source {
    /// A file of result messages, one JSON object per line (blank lines
    /// are skipped); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    /// A queue bound to the `grader.results` exchange: each message is
    /// acknowledged once its result is committed to the gradebook.
    #[arg(long, value_name = "NAME", value_parser = queue_name)]
    queue: Option<String>,
}

fn queue_name(s: &str) -> Result<String, String> {
    if s.is_empty() || s.len() > 255 || s.starts_with("amq.") {
        return Err("a queue name is 1 to 255 bytes and does not start with `amq.`".into());
    }
    Ok(s.to_string())
}

/// Runs a `grader results` subcommand.
pub fn run(cmd: &ResultsCommand) -> ExitCode {
    match cmd {
        ResultsCommand::Record(args) => record(args),
    }
}

fn record(args: &RecordArgs) -> ExitCode {
    // The whole file is read before anything is recorded.
    let input = match &args.source.jsonl {
        Some(path) => match crate::read_input(path) {
            Ok(v) => Some(v),
            Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
        },
        None => None,
    };
    crate::commands::block_on(async {
        let book = match Gradebook::open(&args.gradebook).await {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        let code = match (input, &args.source.queue) {
            (Some((label, bytes)), _) => from_jsonl(&book, &label, &bytes).await,
            (None, Some(queue)) => from_queue(&book, args, queue).await,
            // clap requires one of them.
            (None, None) => fail("give --jsonl FILE or --queue NAME"),
        };
        book.close().await;
        code
    })
}

/// What a run recorded.
#[derive(Default)]
struct Summary {
    tally: Tally,
    /// The submissions whose result conflicts with the one recorded.
    conflicts: Vec<String>,
    /// Lines or messages that are not results.
    not_results: u64,
}

impl Summary {
    /// Counts a line or message that is not a result, naming it on stderr
    /// (up to [`MAX_NAMED`]).
    fn not_a_result(&mut self, what: String) {
        self.not_results += 1;
        if self.not_results <= MAX_NAMED {
            eprintln!("grader: {what}");
        } else if self.not_results == MAX_NAMED + 1 {
            eprintln!("grader: (more that are not results are counted, not named)");
        }
    }

    fn add(&mut self, recorded: &Recorded, result: &str) {
        self.tally.add(recorded);
        if *recorded == Recorded::Conflict {
            let id = serde_json::from_str::<ResultBody>(result)
                .map_or_else(|_| "(unreadable id)".to_string(), |r| r.submission_id);
            self.conflicts.push(id);
        }
    }

    /// The summary, for stdout: the counts, then the conflicts.
    fn render(&self, location: &str, what: &str, bad_fate: &str) -> String {
        let t = &self.tally;
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut out = format!(
            "{location}: {} new, {} already recorded, {}, {} skipped",
            t.new,
            t.already,
            plural(t.conflicts, "conflict", "conflicts"),
            plural(t.skipped, "rejected result", "rejected results"),
        );
        if self.not_results > 0 {
            let _ = write!(
                out,
                ", {} not a result{bad_fate}",
                plural(
                    self.not_results,
                    what,
                    &format!("{what}s") // "lines", "messages"
                ),
            );
        }
        out.push('\n');
        if !self.conflicts.is_empty() {
            let _ = writeln!(
                out,
                "conflicts (the gradebook keeps the result it had; was one submission id given \
                 to two submissions?): {}",
                self.conflicts.join(", ")
            );
        }
        out
    }

    fn exit_code(&self) -> ExitCode {
        if self.not_results > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Records `entries`, in as few transactions as possible: all of them in
/// one, and when some are not results, halves again and again until those
/// are alone. Gives what happened to each (or why it is not a result); an
/// error of the database stops everything (batches already committed
/// stay).
async fn record_all(
    book: &Gradebook,
    entries: &[Entry<'_>],
) -> Result<Vec<Result<Recorded, String>>, grader_gradebook::Error> {
    let mut out: Vec<Option<Result<Recorded, String>>> = vec![None; entries.len()];
    let mut stack: Vec<Range<usize>> = Vec::new();
    if !entries.is_empty() {
        stack.push(0..entries.len());
    }
    while let Some(range) = stack.pop() {
        let mut done = Vec::with_capacity(range.len());
        match book.record_batch(&entries[range.clone()], &mut done).await {
            Ok(()) => {
                for (i, r) in range.zip(done) {
                    out[i] = Some(Ok(r));
                }
            }
            Err(grader_gradebook::Error::Invalid { .. }) if range.len() > 1 => {
                let mid = range.start + range.len() / 2;
                // The first half is popped first: the order stays.
                stack.push(mid..range.end);
                stack.push(range.start..mid);
            }
            Err(e @ grader_gradebook::Error::Invalid { .. }) => {
                out[range.start] = Some(Err(e.to_string()));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("not recorded".into())))
        .collect())
}

/// The lines of a JSON-lines file that are not blank, numbered from 1,
/// without their line ends.
fn lines(bytes: &[u8]) -> Vec<(usize, &[u8])> {
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .collect()
}

async fn from_jsonl(book: &Gradebook, label: &str, bytes: &[u8]) -> ExitCode {
    let lines = lines(bytes);
    let mut progress = Progress::new("recorded", lines.len() as u64, 2000);
    let mut summary = Summary::default();
    for chunk in lines.chunks(BATCH) {
        let mut entries = Vec::with_capacity(chunk.len());
        let mut numbers = Vec::with_capacity(chunk.len());
        for &(n, line) in chunk {
            match std::str::from_utf8(line) {
                Ok(text) => {
                    entries.push(Entry {
                        result: text.trim(),
                        submission: None,
                        pending_publish: false,
                    });
                    numbers.push(n);
                }
                Err(e) => {
                    summary.not_a_result(format!(
                        "{label}:{n}: not UTF-8 text (byte {}): not a result",
                        e.valid_up_to() + 1
                    ));
                    progress.inc();
                }
            }
        }
        let done = match record_all(book, &entries).await {
            Ok(d) => d,
            Err(e) => {
                progress.finish();
                print!("{}", summary.render(book.location(), "line", ""));
                return fail(format!(
                    "{e} (the results before line {} are recorded; run again to go on)",
                    numbers.first().copied().unwrap_or(0)
                ));
            }
        };
        for ((r, entry), n) in done.iter().zip(&entries).zip(&numbers) {
            match r {
                Ok(recorded) => summary.add(recorded, entry.result),
                Err(why) => summary.not_a_result(format!("{label}:{n}: {why}")),
            }
            progress.inc();
        }
    }
    progress.finish();
    print!("{}", summary.render(book.location(), "line", ""));
    summary.exit_code()
}

/// A message, for the person reading stderr: its number in this run and
/// what identifies it.
fn describe(n: u64, d: &Delivery) -> String {
    let mut s = format!("message {n} (routing key `{}`", d.routing_key);
    let p = &d.properties;
    if let Some(c) = p.correlation_id() {
        let _ = write!(s, ", correlation id `{c}`");
    }
    if let Some(m) = p.message_id() {
        let _ = write!(s, ", message id `{m}`");
    }
    s.push(')');
    s
}

/// Why a declaration failed, with what to do.
fn declare_error(what: &str, e: &lapin::Error) -> String {
    let text = e.to_string();
    let hint = if text.contains("PRECONDITION_FAILED") || text.contains("inequivalent") {
        " (it exists with other arguments: use it without --declare)"
    } else if text.contains("NOT_FOUND") {
        " (start a grader-worker once: it declares the exchange)"
    } else {
        ""
    };
    format!("{what}: {text}{hint}")
}

/// Declares `queue` (durable, quorum) and binds it to `grader.results`
/// with `keys`, or checks that it exists.
async fn prepare_queue(
    ch: &Channel,
    queue: &str,
    declare: bool,
    keys: &[String],
) -> Result<(), String> {
    if !declare {
        return topology::message_count(ch, queue)
            .await
            .map(|_| ())
            .map_err(|e| {
                format!(
                    "no queue `{queue}`: {e}; bind a queue to the `{RESULTS}` exchange, or add \
                     --declare to have one declared (before the results are published)"
                )
            });
    }
    let mut args = FieldTable::default();
    args.insert(
        ShortString::from("x-queue-type"),
        AMQPValue::LongString("quorum".into()),
    );
    ch.queue_declare(
        queue.into(),
        QueueDeclareOptions {
            durable: true,
            ..QueueDeclareOptions::default()
        },
        args,
    )
    .await
    .map_err(|e| declare_error(&format!("declaring queue `{queue}`"), &e))?;
    let hash = ["#".to_string()];
    let keys = if keys.is_empty() { &hash[..] } else { keys };
    for key in keys {
        ch.queue_bind(
            queue.into(),
            RESULTS.into(),
            key.as_str().into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .map_err(|e| {
            declare_error(
                &format!("binding queue `{queue}` to exchange `{RESULTS}` with `{key}`"),
                &e,
            )
        })?;
    }
    Ok(())
}

/// SIGINT and SIGTERM.
struct Signals {
    int: Signal,
    term: Signal,
}

impl Signals {
    fn new() -> Result<Signals, String> {
        let listen = |kind| signal(kind).map_err(|e| format!("cannot listen for signals: {e}"));
        Ok(Signals {
            int: listen(SignalKind::interrupt())?,
            term: listen(SignalKind::terminate())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
    }
}

/// How waiting for the next batch ended.
enum Next {
    Batch(Vec<Delivery>),
    /// Nothing came for `--idle`.
    Drained,
    /// SIGINT or SIGTERM.
    Stop,
    Failed(String),
}

/// The next messages: waits for one (up to `idle`, or for ever), then
/// takes those that follow it closely, up to [`QUEUE_BATCH`].
async fn next_batch(
    consumer: &mut Consumer,
    idle: Option<Duration>,
    signals: &mut Signals,
) -> Next {
    let wait = async {
        match idle {
            Some(idle) => tokio::time::sleep(idle).await,
            None => std::future::pending().await,
        }
    };
    let first = tokio::select! {
        next = consumer.next() => next,
        () = wait => return Next::Drained,
        () = signals.recv() => return Next::Stop,
    };
    let mut batch = Vec::new();
    let mut next = first;
    loop {
        match next {
            Some(Ok(d)) => batch.push(d),
            Some(Err(e)) => return Next::Failed(format!("consuming failed: {e}")),
            None => {
                return Next::Failed(
                    "the broker cancelled the consumer (was the queue deleted?)".into(),
                );
            }
        }
        if batch.len() >= QUEUE_BATCH {
            break;
        }
        match tokio::time::timeout(GATHER, consumer.next()).await {
            Ok(n) => next = n,
            Err(_) => break,
        }
    }
    Next::Batch(batch)
}

async fn from_queue(book: &Gradebook, args: &RecordArgs, queue: &str) -> ExitCode {
    let mut signals = match Signals::new() {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let client = match Client::connect_as(&args.amqp_url, "grader results record").await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let channel = client.channel();
    let declare = args.declare || !args.bind.is_empty();
    if let Err(e) = prepare_queue(channel, queue, declare, &args.bind).await {
        return fail(e);
    }
    let consumed = async {
        channel
            .basic_qos(QUEUE_BATCH as u16, BasicQosOptions::default())
            .await?;
        channel
            .basic_consume(
                queue.into(),
                "".into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await
    };
    let mut consumer = match consumed.await {
        Ok(c) => c,
        Err(e) => return fail(format!("cannot consume queue `{queue}`: {e}")),
    };
    let idle = (!args.follow).then_some(args.idle);
    let mut summary = Summary::default();
    let mut seen = 0u64;
    let mut failure = None;
    let mut stopped_at = None;
    loop {
        let batch = match next_batch(&mut consumer, idle, &mut signals).await {
            Next::Batch(b) => b,
            Next::Drained | Next::Stop => break,
            Next::Failed(why) => {
                failure = Some(why);
                break;
            }
        };
        let first = seen + 1;
        seen += batch.len() as u64;
        match record_batch(book, &batch, first, args.drop_invalid, &mut summary).await {
            Ok(None) => {}
            Ok(Some(stop)) => {
                stopped_at = Some(stop);
                break;
            }
            Err(why) => {
                failure = Some(why);
                break;
            }
        }
        if args.follow {
            let t = &summary.tally;
            eprintln!(
                "{} results so far: {} new, {} already recorded, {} conflicts, {} rejected skipped",
                t.new + t.already + t.conflicts + t.skipped,
                t.new,
                t.already,
                t.conflicts,
                t.skipped
            );
        }
    }
    // Whatever was not acknowledged goes back to the queue.
    let _ = channel
        .basic_cancel(consumer.tag(), BasicCancelOptions::default())
        .await;
    drop(consumer);
    client.close().await;
    let fate = if args.drop_invalid {
        " (dropped)"
    } else {
        " (left in the queue)"
    };
    print!("{}", summary.render(book.location(), "message", fate));
    if let Some(why) = failure {
        return fail(why);
    }
    if let Some(what) = stopped_at {
        eprintln!(
            "grader: stopped at {what}, left in queue `{queue}`: remove it, or run again with \
             --drop-invalid to drop such messages"
        );
    }
    summary.exit_code()
}

/// Records one batch of messages and acknowledges those committed (and,
/// with `drop_invalid`, those that are not results). Gives the first
/// message that is not a result when it stops there, or an error that
/// stops everything.
async fn record_batch(
    book: &Gradebook,
    batch: &[Delivery],
    first: u64,
    drop_invalid: bool,
    summary: &mut Summary,
) -> Result<Option<String>, String> {
    let mut entries = Vec::with_capacity(batch.len());
    let mut index = Vec::with_capacity(batch.len());
    let mut verdicts: Vec<Option<Result<Recorded, String>>> = vec![None; batch.len()];
    for (i, d) in batch.iter().enumerate() {
        match std::str::from_utf8(&d.data) {
            Ok(text) => {
                entries.push(Entry {
                    result: text.trim(),
                    submission: None,
                    pending_publish: false,
                });
                index.push(i);
            }
            Err(_) => verdicts[i] = Some(Err("not UTF-8 text: not a result".into())),
        }
    }
    // Nothing is acknowledged unless committed: on an error, the channel
    // closes and the broker keeps every message of the batch.
    let done = record_all(book, &entries)
        .await
        .map_err(|e| e.to_string())?;
    for (i, r) in index.into_iter().zip(done) {
        verdicts[i] = Some(r);
    }
    let mut stop = None;
    for (i, (d, verdict)) in batch.iter().zip(verdicts).enumerate() {
        let n = first + i as u64;
        match verdict {
            Some(Ok(recorded)) => {
                summary.add(&recorded, std::str::from_utf8(&d.data).unwrap_or_default());
            }
            Some(Err(why)) => {
                summary.not_a_result(format!("{}: {why}", describe(n, d)));
                if !drop_invalid {
                    // Left unacknowledged: back in the queue when the
                    // channel closes.
                    stop.get_or_insert_with(|| describe(n, d));
                    continue;
                }
            }
            None => continue,
        }
        d.ack(BasicAckOptions::default())
            .await
            .map_err(|e| format!("acknowledging {}: {e}", describe(n, d)))?;
    }
    Ok(stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_skipped_and_numbers_kept() {
        let l = lines(b"{}\r\n\n  \n{\"a\":1}\n");
        assert_eq!(l, vec![(1, &b"{}"[..]), (4, &b"{\"a\":1}"[..])]);
    }

    #[test]
    fn the_summary_names_conflicts_and_counts_bad_lines() {
        let mut s = Summary::default();
        s.tally.new = 2;
        s.tally.conflicts = 1;
        s.tally.skipped = 1;
        s.conflicts.push("s-1".into());
        s.not_results = 1;
        let text = s.render("book.db", "line", "");
        assert!(
            text.starts_with(
                "book.db: 2 new, 0 already recorded, 1 conflict, 1 rejected result skipped, \
                 1 line not a result\n"
            ),
            "{text}"
        );
        assert!(text.contains("s-1"), "{text}");
    }
}
