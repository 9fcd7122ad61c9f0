//! `grader`: the command-line front end of the grader.
//!
//! Exit status: 0 success (a zone with warnings only; a graded submission;
//! every sample as expected), 1 a zone with errors, a submission not graded,
//! or a sample that differs, 2 usage, I/O or broker problems, 3 no result
//! in time (`grader submit --wait`).

mod alloc;
mod commands;
mod submit;

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use clap::{Parser, Subcommand, ValueEnum};
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
    /// The zone file; `-` reads standard input.
    file: PathBuf,
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
    let zone = zone::check(&text, &options);
    let mut out = io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &zone.report())
            .map_err(|e| {
                e.io_error_kind()
                    .map_or_else(|| io::Error::other(e), io::Error::from)
            })
            .and_then(|()| writeln!(out)),
        Format::Text => write_text(&mut out, &label, &text, &zone),
    };
    if let Err(e) = written
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("grader: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    if zone.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn write_text(out: &mut impl Write, label: &str, text: &[u8], zone: &zone::Zone) -> io::Result<()> {
    for d in &zone.diagnostics {
        writeln!(out, "{}", d.render(label, text))?;
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
