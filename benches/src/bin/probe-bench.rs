//! `probe-bench`: the wall time of one full grading of a submission with a
//! target, against real authoritative servers on loopback. Run through
//! `benches/probe.sh`.
//!
//! The exercise is `benches/exercises/twenty-probes` (the
//! `authoritative-server` lab with 20 probes; its checker is built and
//! loaded once). For each server (Knot DNS and NSD by default, started one
//! after the other by the test harness, `tests/common/servers.rs`, serving
//! `tests/servers/zones/grp7.lab.example.zone` on 127.0.0.1), every
//! submission is graded as the worker grades one (`grader_worker::intake`):
//! the target checked against the default allowlist, the probes resolved
//! for the learner, all 20 sent at once (`grader_worker::probe::run`, the
//! exercise's timeout and attempts), then `grade::grade` with the captures,
//! and the result serialised to JSON. Broker and message parsing are not
//! included (`benches/worker.sh` measures those).
//!
//! Gradings start on a schedule, 20 per second by default (`--rate`; 0
//! runs them back to back): in production each grading probes another
//! student's server, while here all go to one server. (The test servers
//! run without response rate limiting, which Debian's NSD enables by
//! default: 200 responses per second per /24 would truncate a faster
//! stream of the same questions, and the checks below would report it.)
//!
//! Printed per server: median, p95 and max of the whole grading (failed
//! ones included, with their timeouts), and of its parts: probing (send
//! the 20 queries, wait for the last response) and grading (zone reading
//! and validation, checker input, the checker, points, JSON), with the
//! checker's own share.
//!
//! Every result is checked, warm-up included: the outcome `graded` with
//! full marks, every probe answered, and each probe the checker does not
//! read (the 11 added ones) answered NOERROR, authoritatively, untruncated,
//! with records of the type asked exactly when the zone file has them.
//! Anything else (a timeout, a wrong answer) is printed and the bench
//! exits 1. With `--concurrency` above 1, gradings overlap only when they
//! take longer than the interval of `--rate` (or with `--rate 0`).

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use grader_core::catalog::{self, Catalog, Loaded};
use grader_core::grade::{self, Outcome, Submission, parse_rfc3339};
use grader_core::probe::{Allowlist, Capture, CaptureOutcome, Query, Target};
use grader_core::response::Transport;
use grader_core::sandbox::Sandbox;
use grader_core::zone;
use grader_tests::servers::{Kind, LAB_ORIGIN, Server, authoritative_lab, lab_zone};
use grader_worker::probe::Settings;
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::{Name, RecordType};

/// The learner whose zone the servers serve (`grp7.lab.example.`).
const LEARNER: &str = "grp7";
/// The grading time of every submission.
const GRADED_AT: &str = "2026-11-29T10:00:00Z";
/// The probes the `authoritative-server` checker reads (it judges them;
/// the bench checks the others itself).
const CHECKED: [&str; 9] = [
    "soa",
    "ns",
    "www",
    "nxdomain",
    "recursion",
    "soa-rd",
    "tcp",
    "edns",
    "no-edns",
];
/// The goal of issue 6: one grading of a 20-probe submission against a
/// local server, wall time.
const GOAL: Duration = Duration::from_millis(50);

/// One full grading of a 20-probe submission against local servers
/// (see `benches/probe.sh`).
#[derive(Parser)]
#[command(name = "probe-bench")]
struct Args {
    /// Submissions measured per server.
    #[arg(short = 'n', long, default_value_t = 300)]
    submissions: usize,
    /// Submissions graded (and checked) per server before measuring.
    #[arg(long, default_value_t = 20)]
    warmup: usize,
    /// Gradings at once: that many threads, each grading submissions one
    /// after the other (1: strictly sequential).
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Gradings started per second against a server (0: back to back).
    /// The default grades each submission on its own, as when each goes
    /// to another student's server.
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// The servers, one after the other.
    #[arg(long, value_delimiter = ',', default_value = "knot,nsd")]
    servers: Vec<ServerKind>,
    /// The exercise graded.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/exercises/twenty-probes"))]
    exercise: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum ServerKind {
    Knot,
    Nsd,
    Bind,
}

impl From<ServerKind> for Kind {
    fn from(k: ServerKind) -> Kind {
        match k {
            ServerKind::Knot => Kind::Knot,
            ServerKind::Nsd => Kind::Nsd,
            ServerKind::Bind => Kind::Bind,
        }
    }
}

/// What every grading shares.
struct Ctx {
    sandbox: Sandbox,
    catalog: Catalog,
    zone: String,
    at: i64,
    allowlist: Allowlist,
    settings: Settings,
    /// (owner, type) of every record of the zone, for the added probes.
    rrsets: HashSet<(Name, RecordType)>,
    runtime: tokio::runtime::Runtime,
}

/// The times of one grading.
#[derive(Clone, Copy, Default)]
struct Times {
    total: Duration,
    probing: Duration,
    grading: Duration,
    checker: Duration,
}

impl Ctx {
    fn loaded(&self) -> &Loaded {
        self.catalog
            .iter()
            .next()
            .expect("the catalog has the exercise")
    }

    /// One grading of a submission with `target`, as the worker does it;
    /// its times, and what is wrong with its result if anything.
    fn grade_one(&self, target: Target) -> (Times, Result<(), String>) {
        let loaded = self.loaded();
        let exercise = &loaded.exercise;
        let started = Instant::now();
        let prepared = self.allowlist.check(&target).and_then(|addr| {
            let queries = exercise.queries(LEARNER)?;
            Ok((addr, queries))
        });
        let (addr, queries) = match prepared {
            Ok(x) => x,
            Err(e) => return (Times::default(), Err(e)),
        };
        let captures =
            self.runtime
                .block_on(grader_worker::probe::run(&queries, addr, self.settings));
        let probed = Instant::now();
        let sub = Submission {
            zone: Some(self.zone.as_bytes()),
            ds: None,
            learner: LEARNER,
            at: self.at,
            extra_zones: &[],
            target: Some(target),
            captures: Some(&captures),
            handed_in: &[],
        };
        let result = grade::grade(&self.sandbox, exercise, &loaded.checker, &sub);
        let json = serde_json::to_vec(&result);
        let done = Instant::now();
        let times = Times {
            total: done - started,
            probing: probed - started,
            grading: done - probed,
            checker: Duration::from_micros(result.timing.checker_us),
        };
        let checked = json
            .map_err(|e| format!("the result cannot be serialised: {e}"))
            .and_then(|_| self.verify(&queries, &captures, &result));
        (times, checked)
    }

    /// Full marks, every probe answered, the added probes answered right.
    fn verify(
        &self,
        queries: &[Query],
        captures: &[Capture],
        result: &grade::GradeResult,
    ) -> Result<(), String> {
        let mut problems = Vec::new();
        for (q, c) in queries.iter().zip(captures) {
            if c.outcome != CaptureOutcome::Answered {
                problems.push(format!(
                    "probe `{}` ({} {}): {:?}{}",
                    q.id,
                    q.name,
                    q.rtype,
                    c.outcome,
                    c.detail
                        .as_ref()
                        .map_or_else(String::new, |d| format!(": {d}"))
                ));
                continue;
            }
            if CHECKED.contains(&q.id.as_str()) {
                continue;
            }
            let m = match c.message() {
                Some(Ok(m)) => m,
                Some(Err(e)) => {
                    problems.push(format!("probe `{}`: {e}", q.id));
                    continue;
                }
                None => {
                    problems.push(format!("probe `{}`: answered without a response", q.id));
                    continue;
                }
            };
            let h = &m.metadata;
            let has = m
                .answers
                .iter()
                .any(|r| r.name == q.name && r.record_type() == q.rtype);
            let want = self.rrsets.contains(&(q.name.clone(), q.rtype));
            if h.response_code != ResponseCode::NoError
                || !h.authoritative
                || h.truncation
                || has != want
            {
                problems.push(format!(
                    "probe `{}` ({} {}): {:?}, AA {}, TC {}, {} answer records (the zone {} such records)",
                    q.id,
                    q.name,
                    q.rtype,
                    h.response_code,
                    h.authoritative,
                    h.truncation,
                    m.answers.len(),
                    if want { "has" } else { "has no" }
                ));
            }
        }
        if captures.len() != queries.len() {
            problems.push(format!(
                "{} captures for {} probes",
                captures.len(),
                queries.len()
            ));
        }
        let full = result
            .score
            .as_ref()
            .is_some_and(|s| s.given == s.maximum as f64);
        if result.outcome != Outcome::Graded || !full {
            let mut line = format!(
                "outcome {}, score {}",
                result.outcome.as_str(),
                result
                    .score
                    .as_ref()
                    .map_or_else(|| "none".into(), |s| format!("{}/{}", s.given, s.maximum))
            );
            if let Some(m) = &result.message {
                line.push_str(&format!(": {m}"));
            }
            for c in &result.checks {
                if c.points < f64::from(c.max_points) {
                    line.push_str(&format!(
                        "\n      {} {}: {}",
                        c.id,
                        c.status.as_str(),
                        c.feedback.replace('\n', "\n        ")
                    ));
                }
            }
            problems.push(line);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n    "))
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// What one server's run gave.
struct Run {
    kind: Kind,
    addr: SocketAddr,
    times: Vec<Times>,
    first: Duration,
    elapsed: Duration,
    failures: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.submissions == 0
        || args.concurrency == 0
        || args.servers.is_empty()
        || !(args.rate >= 0.0 && args.rate.is_finite())
    {
        eprintln!(
            "probe-bench: --submissions, --concurrency and --servers must not be empty, --rate not negative"
        );
        return ExitCode::from(2);
    }
    let ctx = match setup(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("probe-bench: {e}");
            return ExitCode::from(2);
        }
    };
    let loaded = ctx.loaded();
    let probes = loaded.exercise.def.probes.len();
    let tcp = ctx.loaded().exercise.queries(LEARNER).map_or(0, |q| {
        q.iter().filter(|q| q.transport == Transport::Tcp).count()
    });
    println!(
        "exercise: {} ({probes} probes, {tcp} over TCP; timeout {} ms × {} attempts), checker {} (sha256 {}…)",
        loaded.exercise.def.id,
        ctx.settings.timeout.as_millis(),
        ctx.settings.attempts,
        loaded.exercise.def.checker.source,
        &loaded.checker.sha256[..12],
    );
    println!(
        "per server: {} submissions measured after {} warm-up, {} at a time, {}; zone {LAB_ORIGIN} ({} RRsets)",
        args.submissions,
        args.warmup.max(1),
        args.concurrency,
        if args.rate > 0.0 {
            format!("started at {} per second", args.rate)
        } else {
            "back to back".to_string()
        },
        ctx.rrsets.len(),
    );
    let mut runs = Vec::new();
    for &kind in &args.servers {
        let kind = Kind::from(kind);
        // Started from the main thread: the harness ties the server's life
        // to the thread that starts it.
        let server = authoritative_lab(kind, false);
        println!(
            "\n{kind} on {} (answering {:.0} ms after its start)",
            server.addr(),
            ms(server.started_in())
        );
        let run = measure(&ctx, &server, &args);
        report(&run, args.concurrency);
        if !run.failures.is_empty() {
            let log = server.log();
            let tail: Vec<&str> = log.lines().rev().take(20).collect();
            eprintln!("  {kind}'s log (last lines):");
            for l in tail.iter().rev() {
                eprintln!("    {l}");
            }
        }
        runs.push(run);
    }
    println!(
        "\nissue 6 goal: a 20-probe submission against a local server grades in under 50 ms wall"
    );
    let mut failed = false;
    for r in &runs {
        failed |= !r.failures.is_empty();
        if r.times.is_empty() {
            println!("  {}: no grading succeeded", r.kind);
            continue;
        }
        let mut total: Vec<Duration> = r.times.iter().map(|t| t.total).collect();
        total.sort();
        let max = total[total.len() - 1];
        let over = total.iter().filter(|&&t| t >= GOAL).count();
        println!(
            "  {}: median {:.2} ms, p95 {:.2} ms, max {:.2} ms; {over} of {} at or over 50 ms{}",
            r.kind,
            ms(percentile(&total, 0.5)),
            ms(percentile(&total, 0.95)),
            ms(max),
            total.len(),
            if over == 0 { ": met" } else { "" }
        );
    }
    if failed {
        eprintln!("\nprobe-bench: FAILED: some gradings were wrong (see above)");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The sandbox, the exercise with its checker, the zone, the runtime.
fn setup(args: &Args) -> Result<Ctx, String> {
    let sandbox = Sandbox::new(args.concurrency as u32, catalog::cache_dir())
        .map_err(|e| format!("the sandbox: {e}"))?;
    let t = Instant::now();
    let catalog =
        Catalog::load(std::slice::from_ref(&args.exercise), &sandbox).map_err(|e| e.to_string())?;
    if catalog.len() != 1 {
        return Err(format!(
            "{}: one exercise expected, found {}",
            args.exercise.display(),
            catalog.len()
        ));
    }
    println!(
        "checker built and loaded in {:.2} s (cargo build and Cranelift, or the caches)",
        t.elapsed().as_secs_f64()
    );
    let text = lab_zone().text;
    let origin = Name::from_ascii(LAB_ORIGIN).map_err(|e| e.to_string())?;
    let z = zone::check(
        text.as_bytes(),
        &zone::Options {
            origin: Some(origin),
            ..zone::Options::default()
        },
    );
    if z.error_count > 0 {
        return Err(format!("the lab zone has {} errors", z.error_count));
    }
    let rrsets = z
        .records
        .iter()
        .map(|r| (r.record.name.clone(), r.record.record_type()))
        .collect();
    let limits = &catalog
        .iter()
        .next()
        .expect("one exercise")
        .exercise
        .def
        .limits;
    let settings = Settings::of(limits);
    // As the worker's: multi-threaded, one thread per core.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("the async runtime: {e}"))?;
    Ok(Ctx {
        sandbox,
        catalog,
        zone: text,
        at: parse_rfc3339(GRADED_AT)?,
        allowlist: Allowlist::default(),
        settings,
        rrsets,
        runtime,
    })
}

/// Warm-up, then the measured gradings against `server`, started on a
/// schedule of `--rate` per second (or back to back), each taken by the
/// next free thread.
fn measure(ctx: &Ctx, server: &Server, args: &Args) -> Run {
    let target = Target {
        address: server.addr().ip(),
        port: server.addr().port(),
    };
    let warmup = args.warmup.max(1);
    let all = warmup + args.submissions;
    let interval = (args.rate > 0.0).then(|| Duration::from_secs_f64(1.0 / args.rate));
    let next = AtomicUsize::new(0);
    let out = Mutex::new(Outcomes::default());
    let started = Instant::now();
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= all {
                break;
            }
            if let Some(interval) = interval {
                let slot = started + interval * i as u32;
                std::thread::sleep(slot.saturating_duration_since(Instant::now()));
            }
            let (t, checked) = ctx.grade_one(target);
            let mut o = out.lock().expect("not poisoned");
            if i == 0 {
                o.first = t.total;
            }
            if i == warmup {
                o.measured_from = Some(Instant::now() - t.total);
            }
            if i >= warmup {
                o.times.push(t);
            }
            if let Err(e) = checked {
                let which = if i < warmup {
                    format!("warm-up {}", i + 1)
                } else {
                    format!("submission {}", i - warmup + 1)
                };
                o.failures
                    .push(format!("{which} ({:.0} ms): {e}", ms(t.total)));
            }
        }
    };
    if args.concurrency == 1 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..args.concurrency {
                s.spawn(work);
            }
        });
    }
    let o = out.into_inner().expect("not poisoned");
    Run {
        kind: server.kind(),
        addr: server.addr(),
        elapsed: o.measured_from.map_or(Duration::ZERO, |t| t.elapsed()),
        times: o.times,
        first: o.first,
        failures: o.failures,
    }
}

/// What the threads of [`measure`] collect.
#[derive(Default)]
struct Outcomes {
    times: Vec<Times>,
    first: Duration,
    measured_from: Option<Instant>,
    failures: Vec<String>,
}

fn report(r: &Run, concurrency: usize) {
    let n = r.times.len();
    if n > 0 {
        let row = |label: &str, pick: fn(&Times) -> Duration| {
            let mut v: Vec<Duration> = r.times.iter().map(pick).collect();
            v.sort();
            println!(
                "  {label:<34} median {:>6.2} ms   p95 {:>6.2} ms   max {:>6.2} ms",
                ms(percentile(&v, 0.5)),
                ms(percentile(&v, 0.95)),
                ms(v[n - 1])
            );
        };
        row("one grading, wall", |t| t.total);
        row("  probing (20 queries at once)", |t| t.probing);
        row("  grading (zone, checker, result)", |t| t.grading);
        row("    of which the checker", |t| t.checker);
        println!(
            "  first grading after the server started: {:.2} ms; {n} gradings in {:.2} s ({:.0}/s, {concurrency} at a time)",
            ms(r.first),
            r.elapsed.as_secs_f64(),
            n as f64 / r.elapsed.as_secs_f64()
        );
    }
    if r.failures.is_empty() {
        println!(
            "  checked: every result graded with full marks, every probe answered as the zone says ({} at {})",
            r.kind, r.addr
        );
    } else {
        eprintln!(
            "  WRONG: {} gradings against {} at {} failed the checks:",
            r.failures.len(),
            r.kind,
            r.addr
        );
        for f in r.failures.iter().take(10) {
            eprintln!("    {f}");
        }
        if r.failures.len() > 10 {
            eprintln!("    … and {} more", r.failures.len() - 10);
        }
    }
}
