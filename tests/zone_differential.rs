//! Differential test: for every zone of `tests/zones/differential/`, our
//! accept/reject verdict must equal `named-checkzone -i local -k fail`, run
//! live on the same file.
//!
//! A few zones are cases where this project is deliberately stricter than
//! named-checkzone, because the checks a student's zone must pass include
//! ones named-checkzone only warns about or ignores (delegations without
//! required glue, data below a DNAME, out-of-zone data). Such a zone names
//! another reference tool in a header line, `; oracle: kzonecheck` or
//! `; oracle: nsd-checkzone`, with a `; why:` line; for it the verdict must
//! equal that tool's, and named-checkzone must still accept it (so the
//! header stays true).

use std::path::Path;
use std::process::Command;

use grader_core::zone::{self, Options};
use grader_tests::{origin_of, run, tool, zones_in};
use hickory_proto::rr::Name;

fn header<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .take_while(|l| l.starts_with(';'))
        .find_map(|l| {
            l.strip_prefix(';')
                .map(str::trim)
                .and_then(|l| l.strip_prefix(key))
                .map(str::trim)
        })
}

/// Exit status of a reference tool on a zone: `true` when it accepts it.
fn accepts(tool_name: &str, origin: &str, path: &Path) -> bool {
    let mut cmd = Command::new(tool(tool_name));
    match tool_name {
        "named-checkzone" => cmd.args(["-i", "local", "-k", "fail", origin]).arg(path),
        "kzonecheck" => cmd.args(["-o", origin]).arg(path),
        "nsd-checkzone" => cmd.arg(origin).arg(path),
        other => panic!("unknown oracle `{other}`"),
    };
    let out = run(&mut cmd);
    match out.status.code() {
        Some(0) => true,
        Some(1) => false,
        // kzonecheck and nsd-checkzone may use other non-zero codes for errors.
        Some(_) if tool_name != "named-checkzone" => false,
        other => panic!(
            "{tool_name} ended with {other:?} on {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn verdicts_match_the_reference_tools() {
    let files = zones_in("tests/zones/differential");
    let mut by_named = 0;
    let (mut accepted, mut rejected) = (0, 0);
    let mut mismatches = Vec::new();
    for path in &files {
        let text = std::fs::read(path).expect("read a corpus zone");
        let header_text = String::from_utf8_lossy(&text);
        let origin = origin_of(&header_text)
            .unwrap_or_else(|| panic!("{} has no `; origin:` header", path.display()));
        let name = Name::from_ascii(&origin).expect("the origin header is a name");
        let ours = zone::check(
            &text,
            &Options {
                origin: Some(name),
                ..Options::default()
            },
        );
        let oracle = header(&header_text, "oracle:").unwrap_or("named-checkzone");
        if oracle != "named-checkzone" {
            assert!(
                header(&header_text, "why:").is_some(),
                "{} names another oracle without a `; why:` line",
                path.display()
            );
            assert!(
                accepts("named-checkzone", &origin, path),
                "{} says named-checkzone differs, but named-checkzone rejects it too: drop the oracle header",
                path.display()
            );
        } else {
            by_named += 1;
        }
        let theirs = accepts(oracle, &origin, path);
        if theirs {
            accepted += 1
        } else {
            rejected += 1
        }
        if ours.is_ok() != theirs {
            let ours_said: Vec<String> = ours.errors().map(ToString::to_string).collect();
            mismatches.push(format!(
                "{}: {oracle} {} it, we {} it {ours_said:?}",
                path.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                if theirs { "accepts" } else { "rejects" },
                if ours.is_ok() { "accept" } else { "reject" },
            ));
        }
    }
    assert!(
        by_named >= 40,
        "the corpus needs at least 40 zones judged by named-checkzone, has {by_named}"
    );
    assert!(
        accepted >= 10 && rejected >= 10,
        "the corpus needs good and bad zones: {accepted} accepted, {rejected} rejected"
    );
    assert!(
        mismatches.is_empty(),
        "verdicts differ on {} of {} zones:\n{}",
        mismatches.len(),
        files.len(),
        mismatches.join("\n")
    );
}
