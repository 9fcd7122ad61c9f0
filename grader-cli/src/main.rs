//! `grader`: the command-line front end of the grader.
//!
//! Exit status: 0 success (a zone with warnings only; a graded submission;
//! every sample as expected), 1 a zone with errors, a submission not graded,
//! or a sample that differs, 2 usage, I/O or broker problems, 3 no result
//! in time (`grader submit --wait`).

mod alloc;
mod commands;
mod export;
mod progress;
mod regrade;
mod report;
mod results;
mod submit;

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use clap::{Parser, Subcommand, ValueEnum};
use grader_core::dnssec;
use grader_core::zone::{self, Options, Severity};
use hickory_proto::rr::Name;

#[global_allocator]
static ALLOCATOR: alloc::HugePageAlloc = alloc::HugePageAlloc;

#[derive(Parser)]
#[command(name = "grader", version, about = "Autograder for DNS and DNSSEC labs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Zone files.
    #[command(subcommand)]
    Zone(ZoneCommand),
    /// Grade a submission with an exercise's checker.
    Grade(commands::GradeArgs),
    /// Exercises: test them on their sample submissions, scaffold new ones.
    #[command(subcommand)]
    Exercise(commands::ExerciseCommand),
    /// Hand a submission to the grader service (RabbitMQ), as an LMS does;
    /// with --wait, print its result.
    Submit(submit::SubmitArgs),
    /// The gradebook: record results into it.
    #[command(subcommand)]
    Results(results::ResultsCommand),
    /// Learners × exercises from the gradebook (or a JSON-lines file of
    /// results): a table, CSV, or an HTML report with item analysis.
    Report(report::ReportArgs),
    /// Grade an exercise's stored submissions again with its current
    /// checker, show what changes, record and publish the new results.
    Regrade(regrade::RegradeArgs),
    /// Write a result in another platform's format.
    #[command(subcommand)]
    Export(export::ExportCommand),
}

#[derive(Subcommand)]
enum ZoneCommand {
    /// Read a zone file, check its integrity and list every problem.
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The zone's origin (apex); defaults to the SOA owner or the first $ORIGIN.
    #[arg(long, value_parser = parse_origin)]
    origin: Option<Name>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Also validate the zone's DNSSEC: keys, every signature, the NSEC or
    /// NSEC3 chain; exit 1 unless it is validly signed.
    #[arg(long)]
    dnssec: bool,
    /// The validation time: RFC 3339 (2026-12-01T10:00:00Z) or
    /// YYYYMMDDHHMMSS (UTC); default now.
    #[arg(long, value_name = "TIME", requires = "dnssec", value_parser = parse_time)]
    now: Option<i64>,
    /// DS records to match against the zone's keys (as dnssec-dsfromkey
    /// prints them).
    #[arg(long, value_name = "FILE", requires = "dnssec")]
    ds: Option<PathBuf>,
    /// Warn about signatures that expire within this time of --now.
    #[arg(long, value_name = "DURATION", default_value = "7days", requires = "dnssec", value_parser = humantime::parse_duration)]
    expiry_warning: std::time::Duration,
    /// The zone file; `-` reads standard input.
    file: PathBuf,
}

/// RFC 3339, or the `YYYYMMDDHHMMSS` form DNSSEC tools use (UTC).
fn parse_time(s: &str) -> Result<i64, String> {
    if s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        let month = time::Month::try_from(n(4..6) as u8).map_err(|e| format!("`{s}`: {e}"))?;
        let date = time::Date::from_calendar_date(n(0..4) as i32, month, n(6..8) as u8)
            .map_err(|e| format!("`{s}`: {e}"))?;
        let t = time::Time::from_hms(n(8..10) as u8, n(10..12) as u8, n(12..14) as u8)
            .map_err(|e| format!("`{s}`: {e}"))?;
        return Ok(date.with_time(t).assume_utc().unix_timestamp());
    }
    grader_core::grade::parse_rfc3339(s).map_err(|e| format!("{e} (or write YYYYMMDDHHMMSS, UTC)"))
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

fn parse_origin(s: &str) -> Result<Name, String> {
    let mut name = Name::from_str(s).map_err(|e| format!("`{s}` is not a domain name: {e}"))?;
    name.set_fqdn(true);
    Ok(name)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Zone(ZoneCommand::Check(args)) => zone_check(&args),
        Command::Grade(args) => commands::grade(&args),
        Command::Exercise(commands::ExerciseCommand::Test(args)) => commands::exercise_test(&args),
        Command::Exercise(commands::ExerciseCommand::New(args)) => commands::exercise_new(&args),
        Command::Submit(args) => submit::submit(&args),
        Command::Results(cmd) => results::run(&cmd),
        Command::Report(args) => report::report(&args),
        Command::Regrade(args) => regrade::regrade(&args),
        Command::Export(cmd) => export::run(&cmd),
    }
}

fn zone_check(args: &CheckArgs) -> ExitCode {
    let (label, text) = match read_input(&args.file) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("grader: cannot read {}: {e}", args.file.display());
            return ExitCode::from(2);
        }
    };
    let options = Options {
        origin: args.origin.clone(),
        ..Options::default()
    };
    let (mut zone, dnssec) = if args.dnssec {
        let (zone, validation) = zone::check_and(&text, &options, |origin, records| {
            validate(args, &options, origin, records)
        });
        match validation {
            Ok(v) => (zone, Some(v)),
            Err(message) => {
                eprintln!("grader: {message}");
                return ExitCode::from(2);
            }
        }
    } else {
        (zone::check(&text, &options), None)
    };
    // The DNSSEC diagnostics are about the zone file too: one list, by line.
    if let Some(v) = &dnssec {
        zone.diagnostics
            .extend(v.report.diagnostics.iter().cloned());
        zone.diagnostics.sort_by_key(|d| (d.line, d.column));
        zone.error_count += v.report.error_count;
    }
    let mut out = io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            let mut json = match serde_json::to_value(zone.report()) {
                Ok(j) => j,
                Err(e) => {
                    eprintln!("grader: cannot write the report: {e}");
                    return ExitCode::from(2);
                }
            };
            if let (Some(v), Some(map)) = (&dnssec, json.as_object_mut()) {
                map.insert("dnssec".into(), v.json());
            }
            serde_json::to_writer_pretty(&mut out, &json)
                .map_err(|e| {
                    e.io_error_kind()
                        .map_or_else(|| io::Error::other(e), io::Error::from)
                })
                .and_then(|()| writeln!(out))
        }
        Format::Text => write_text(&mut out, &label, &text, &zone, dnssec.as_ref()),
    };
    if let Err(e) = written
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("grader: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    let ds_errors = dnssec.as_ref().map_or(0, |v| v.report.ds_error_count);
    let unsigned = dnssec.as_ref().is_some_and(|v| !v.report.signed);
    if zone.is_ok() && ds_errors == 0 && !unsigned {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A DNSSEC validation for `grader zone check --dnssec`.
struct Validation {
    now: i64,
    report: dnssec::Report,
    /// The DS file's name and text, for rendering its diagnostics.
    ds_file: Option<(String, Vec<u8>)>,
}

impl Validation {
    fn json(&self) -> serde_json::Value {
        let summary = self.report.summary();
        let of = |sev| -> Vec<&zone::Diagnostic> {
            self.report
                .ds_diagnostics
                .iter()
                .filter(|d| d.severity == sev)
                .collect()
        };
        serde_json::json!({
            "now": grader_core::grade::rfc3339(self.now),
            "signed": summary.signed,
            "valid": summary.valid,
            "keys": summary.keys,
            "denial": summary.denial,
            "rrsets": summary.rrsets,
            "ds": summary.ds,
            "ds_errors": of(Severity::Error),
            "ds_warnings": of(Severity::Warning),
        })
    }
}

fn validate(
    args: &CheckArgs,
    options: &Options,
    origin: Option<&Name>,
    records: &[zone::ZoneRecord],
) -> Result<Validation, String> {
    let now = match args.now {
        Some(t) => t,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    };
    let mut ds = Vec::new();
    let mut ds_file = None;
    if let Some(path) = &args.ds {
        let (label, text) =
            read_input(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut ds_options = options.clone();
        ds_options.origin = origin.cloned();
        ds = grader_core::grade::read_ds(&text, &ds_options)
            .map_err(|e| format!("{label}: {e}"))?
            .records;
        ds_file = Some((label, text));
    }
    let report = match origin {
        Some(origin) => dnssec::validate(
            origin,
            records,
            &dnssec::Options {
                ds,
                require_signed: true,
                expiry_horizon: args.expiry_warning.as_secs() as i64,
                ..dnssec::Options::at(now)
            },
        ),
        None => return Err("the zone's origin is unknown: give it with --origin".into()),
    };
    Ok(Validation {
        now,
        report,
        ds_file,
    })
}

fn write_text(
    out: &mut impl Write,
    label: &str,
    text: &[u8],
    zone: &zone::Zone,
    dnssec: Option<&Validation>,
) -> io::Result<()> {
    for d in &zone.diagnostics {
        writeln!(out, "{}", d.render(label, text))?;
    }
    if let Some(Validation {
        ds_file: Some((ds_label, ds_text)),
        report,
        ..
    }) = dnssec
    {
        for d in &report.ds_diagnostics {
            writeln!(out, "{}", d.render(ds_label, ds_text))?;
        }
    }
    let warnings = zone
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let origin = zone
        .origin_text()
        .unwrap_or_else(|| "(unknown origin)".to_string());
    writeln!(
        out,
        "{label}: {origin}: {} records, {} error{}, {warnings} warning{}",
        zone.records.len(),
        zone.error_count,
        if zone.error_count == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    )?;
    if let Some(v) = dnssec {
        writeln!(out, "{label}: {}", dnssec_summary(v))?;
    }
    Ok(())
}

/// One line on the DNSSEC state: keys, denial, verdict.
fn dnssec_summary(v: &Validation) -> String {
    let r = &v.report;
    if !r.signed {
        return "DNSSEC: not signed (no DNSKEY set at the apex)".into();
    }
    let keys: Vec<String> = r
        .keys
        .iter()
        .map(|k| {
            let role = match (k.sep, k.revoked) {
                (_, true) => "revoked",
                (true, _) => "KSK",
                (false, _) => "ZSK",
            };
            format!("{} ({role}, algorithm {})", k.key_tag, k.algorithm)
        })
        .collect();
    let denial = match &r.denial {
        dnssec::Denial::None => "no denial chain".to_string(),
        dnssec::Denial::Nsec => "NSEC".to_string(),
        dnssec::Denial::Nsec3(p) => format!(
            "NSEC3 ({} iterations, salt {}{})",
            p.iterations,
            p.salt,
            if p.opt_out { ", opt-out" } else { "" }
        ),
    };
    let s = r.summary();
    let ds_ok = r
        .ds_diagnostics
        .iter()
        .all(|d| d.severity != Severity::Error);
    format!(
        "DNSSEC at {}: keys {}; {denial}; {} RRsets secure, {} bogus, {} unsigned; {}",
        grader_core::grade::rfc3339(v.now),
        if keys.len() > 8 {
            format!("{} and {} more", keys[..8].join(", "), keys.len() - 8)
        } else {
            keys.join(", ")
        },
        s.rrsets.secure,
        s.rrsets.bogus,
        s.rrsets.unsigned,
        if s.valid && ds_ok {
            "validly signed"
        } else {
            "NOT validly signed"
        }
    )
}

pub(crate) fn read_input(path: &PathBuf) -> io::Result<(String, Vec<u8>)> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin().read_to_end(&mut buf)?;
        Ok(("<stdin>".to_string(), buf))
    } else {
        Ok((path.display().to_string(), std::fs::read(path)?))
    }
}
