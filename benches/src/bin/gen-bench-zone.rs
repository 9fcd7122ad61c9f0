//! `gen-bench-zone [--records N] [--origin NAME]`
//!
//! Writes a deterministic, syntactically and semantically valid zone file to
//! stdout for benchmarking zone checkers (the grader, `kzonecheck`,
//! `nsd-checkzone`, `named-checkzone`). The same arguments always produce the
//! same bytes: all variation comes from a fixed-seed LCG defined below.
//!
//! Content (N = `--records`, default 100000; the total is exactly N records):
//! - `$ORIGIN`, `$TTL`, the SOA, two apex NS (`ns1`, `ns2`) and their glue A;
//! - of the remaining records: 25% A and 25% AAAA on `host00001`.., 15% TXT
//!   (SPF-like strings) and 10% MX on those same hosts, every MX pointing to a
//!   host that has an A record;
//! - the last ~25% are delegations `childNNNNN` with two NS each, alternating
//!   between in-bailiwick NS names (`ns1.childNNNNN`, with glue A records) and
//!   out-of-zone NS names (`ns1.provider.example.`, `ns2.provider.example.`).
//!
//! Only documentation addresses are used: IPv4 from 192.0.2.0/24,
//! 198.51.100.0/24 and 203.0.113.0/24 (repeating), IPv6 `2001:db8::<hex>`.

use std::io::{self, BufWriter};
use std::process::ExitCode;

use grader_benches::{
    DEFAULT_ORIGIN, DEFAULT_RECORDS, FIXED_RECORDS, MAX_RECORDS, PROVIDER, USAGE, write_zone,
};

/// Is `name` equal to or below `zone`? Both absolute, compared case-insensitively.
fn is_within(name: &str, zone: &str) -> bool {
    let (name, zone) = (name.to_ascii_lowercase(), zone.to_ascii_lowercase());
    zone == "." || name == zone || name.ends_with(&format!(".{zone}"))
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<(u64, String), String> {
    let (mut records, mut origin) = (DEFAULT_RECORDS, DEFAULT_ORIGIN.to_string());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--records" => {
                let v = value()?;
                records = v
                    .parse()
                    .map_err(|_| format!("--records: not a number: {v:?}"))?;
                if !(FIXED_RECORDS..=MAX_RECORDS).contains(&records) {
                    return Err(format!(
                        "--records must be between {FIXED_RECORDS} and {MAX_RECORDS}"
                    ));
                }
            }
            "--origin" => {
                origin = value()?;
                if !origin.ends_with('.') {
                    origin.push('.');
                }
                let bad = |c: char| c.is_whitespace() || matches!(c, ';' | '(' | ')' | '"' | '$');
                if origin.starts_with('.') || origin.contains("..") || origin.contains(bad) {
                    return Err(format!("--origin: invalid domain name {origin:?}"));
                }
                if is_within(PROVIDER, &origin) {
                    return Err(format!(
                        "--origin must not contain {PROVIDER} (used as out-of-zone name server)"
                    ));
                }
            }
            "-h" | "--help" => return Err(String::new()),
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    Ok((records, origin))
}

fn main() -> ExitCode {
    let (records, origin) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(msg) if msg.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("gen-bench-zone: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match write_zone(&mut out, &origin, records) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-bench-zone: writing the zone: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let parse = |args: &[&str]| parse_args(args.iter().map(|s| s.to_string()));
        assert_eq!(parse(&[]), Ok((100_000, "bench.test.".into())));
        assert_eq!(
            parse(&["--records", "42", "--origin=x.test"]),
            Ok((42, "x.test.".into()))
        );
        assert!(parse(&["--records", "4"]).is_err());
        assert!(parse(&["--origin", "example."]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }
}
