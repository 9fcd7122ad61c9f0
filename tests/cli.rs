//! The `grader zone check` command: exit status, stdin, `--origin`, JSON
//! and text output.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// A valid zone with one warning (a single NS).
const WARNINGS_ONLY: &str = "\
$ORIGIN lab.example.
$TTL 3600
@ SOA ns1 hostmaster 1 14400 3600 604800 3600
@ NS ns1
ns1 A 192.0.2.1
www A 192.0.2.10
";

/// A zone with one error: a bad address on line 8, column 7.
const WITH_ERROR: &str = concat!(grader_tests::base_zone!(), "www A 192.0.2.300\n");

/// Runs `grader` with `args`, feeding `stdin`.
fn grader_with(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(grader_tests::grader_binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start grader");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("cannot write stdin");
    child.wait_with_output().expect("grader did not finish")
}

fn grader_args(args: &[&str]) -> Output {
    grader_with(args, b"")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("grader exited by a signal")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A zone file in the temporary directory, removed when dropped.
struct TempZone(PathBuf);

impl TempZone {
    fn new(name: &str, text: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("grader-cli-test-{}-{name}", std::process::id()));
        std::fs::write(&path, text).expect("cannot write a temporary zone");
        TempZone(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }
}

impl Drop for TempZone {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `grader zone check --format json` on `text` via stdin, parsed.
fn json_report(extra: &[&str], text: &str) -> (i32, Value) {
    let mut args = vec!["zone", "check", "--format", "json"];
    args.extend_from_slice(extra);
    args.push("-");
    let output = grader_with(&args, text.as_bytes());
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(&output)));
    (code(&output), report)
}

/// The codes of the report's `errors` or `warnings`.
fn report_codes(report: &Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is not an array: {report}"))
        .iter()
        .map(|d| d["code"].as_str().expect("a code string").to_string())
        .collect()
}

#[test]
fn a_zone_with_warnings_only_exits_0() {
    let zone = TempZone::new("warnings.zone", WARNINGS_ONLY);
    let output = grader_args(&["zone", "check", zone.path()]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains("warning[single-ns]"), "{text}");
    assert!(!text.contains("error["), "{text}");
}

#[test]
fn a_zone_with_errors_exits_1() {
    let zone = TempZone::new("error.zone", WITH_ERROR);
    let output = grader_args(&["zone", "check", zone.path()]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(text.contains("error[bad-ipv4]"), "{text}");
    assert!(text.contains(&format!("{}:8:7", zone.path())), "{text}");
}

#[test]
fn a_missing_file_exits_2() {
    let output = grader_args(&["zone", "check", "/nonexistent/grader-test/missing.zone"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("missing.zone"),
        "{}",
        stderr(&output)
    );
    assert!(
        output.stdout.is_empty(),
        "no report for a file that cannot be read"
    );
}

#[test]
fn bad_usage_exits_2() {
    let zone = TempZone::new("usage.zone", WARNINGS_ONLY);
    let output = grader_args(&["zone", "check", "--format", "xml", zone.path()]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("xml"), "{}", stderr(&output));

    assert_eq!(code(&grader_args(&["zone", "check"])), 2, "no file given");
    assert_eq!(
        code(&grader_args(&["zone", "frobnicate"])),
        2,
        "no such subcommand"
    );
    let output = grader_args(&["zone", "check", "--origin", "a..b", zone.path()]);
    assert_eq!(code(&output), 2, "a bad origin: {}", stderr(&output));
}

#[test]
fn a_dash_reads_standard_input() {
    let output = grader_with(&["zone", "check", "-"], WITH_ERROR.as_bytes());
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(text.contains("<stdin>:8:7"), "{text}");

    let output = grader_with(&["zone", "check", "-"], WARNINGS_ONLY.as_bytes());
    assert_eq!(code(&output), 0, "{}", stdout(&output));
}

#[test]
fn the_origin_option_resolves_relative_names() {
    let text = WARNINGS_ONLY.replace("$ORIGIN lab.example.\n", "");
    let (status, report) = json_report(&["--origin", "lab.example"], &text);
    assert_eq!(status, 0, "{report}");
    assert_eq!(report["origin"], "lab.example.");
    assert_eq!(report["records"], 4);

    let (status, report) = json_report(&[], &text);
    assert_eq!(
        status, 1,
        "without an origin the relative names fail: {report}"
    );
    assert!(report_codes(&report, "errors").contains(&"relative-name-without-origin".to_string()));
}

#[test]
fn the_origin_defaults_to_the_soa_owner() {
    let text = "\
$TTL 3600
lab.example. SOA ns1.lab.example. hostmaster.lab.example. 1 14400 3600 604800 3600
lab.example. NS ns1.lab.example.
lab.example. NS ns2.lab.example.
ns1.lab.example. A 192.0.2.1
ns2.lab.example. A 192.0.2.2
";
    let (status, report) = json_report(&[], text);
    assert_eq!(status, 0, "{report}");
    assert_eq!(report["origin"], "lab.example.");
    assert_eq!(report["records"], 5);

    let output = grader_with(&["zone", "check", "-"], text.as_bytes());
    let summary = stdout(&output);
    assert!(
        summary.contains("<stdin>: lab.example.: 5 records, 0 errors, 0 warnings"),
        "{summary}"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let (status, report) = json_report(&[], WITH_ERROR);
    assert_eq!(status, 1);
    let keys: Vec<&String> = report.as_object().expect("a JSON object").keys().collect();
    for key in ["origin", "records", "errors", "warnings"] {
        assert!(
            keys.iter().any(|k| *k == key),
            "missing `{key}` in {report}"
        );
    }
    assert_eq!(report["origin"], "lab.example.");
    assert_eq!(report["records"], 5);
    assert_eq!(report["warnings"].as_array().map(Vec::len), Some(0));
    let errors = report["errors"].as_array().expect("errors array");
    assert_eq!(errors.len(), 1, "{report}");
    let error = &errors[0];
    for key in ["code", "line", "column", "message"] {
        assert!(error.get(key).is_some(), "missing `{key}` in {error}");
    }
    assert_eq!(error["code"], "bad-ipv4");
    assert_eq!(error["line"], 8);
    assert_eq!(error["column"], 7);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("192.0.2.300")),
        "{error}"
    );
}

#[test]
fn json_warnings_have_the_same_shape() {
    let (status, report) = json_report(&[], WARNINGS_ONLY);
    assert_eq!(status, 0);
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    let warning = &report["warnings"][0];
    assert_eq!(warning["code"], "single-ns");
    assert_eq!(warning["line"], 4);
    assert_eq!(warning["column"], 1);
    assert!(warning["message"].is_string());
}

#[test]
fn json_origin_is_null_when_unknown() {
    let (status, report) = json_report(&[], "; nothing here\n");
    assert_eq!(status, 1);
    assert!(report["origin"].is_null(), "{report}");
    assert_eq!(report_codes(&report, "errors"), ["soa-missing"]);
}

/// The source line shown for `line` in rendered text, and the caret line
/// under it, each without the `N | ` gutter.
fn shown_source_and_caret(text: &str, line: u32) -> (String, String) {
    let gutter = format!("{line} | ");
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&gutter))
        .unwrap_or_else(|| panic!("no `{gutter}` in:\n{text}"));
    let caret = lines
        .get(at + 1)
        .unwrap_or_else(|| panic!("no caret line in:\n{text}"));
    let pad = format!("{} | ", " ".repeat(line.to_string().len()));
    let caret = caret
        .strip_prefix(&pad)
        .unwrap_or_else(|| panic!("caret line {caret:?} lacks {pad:?}"));
    (lines[at][gutter.len()..].to_string(), caret.to_string())
}

#[test]
fn text_output_shows_the_line_and_a_caret_under_the_column() {
    let output = grader_with(&["zone", "check", "-"], WITH_ERROR.as_bytes());
    let text = stdout(&output);
    let (source, caret) = shown_source_and_caret(&text, 8);
    assert_eq!(source, "www A 192.0.2.300");
    let column = caret.find('^').expect("a caret") + 1;
    assert_eq!(column, 7, "the caret is under column 7:\n{text}");
    assert_eq!(
        caret.trim_start(),
        "^".repeat("192.0.2.300".len()),
        "the caret spans the text"
    );
    assert!(source[column - 1..].starts_with("192.0.2.300"));
}

#[test]
fn the_caret_follows_the_column_of_each_diagnostic() {
    // Line 8: `)` at column 18; line 9: the type at column 5.
    let zone = WITH_ERROR.replace("www A 192.0.2.300\n", "www A 192.0.2.10 )\nftp FOO 1\n");
    let output = grader_with(&["zone", "check", "--format", "text", "-"], zone.as_bytes());
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    for (line, column, token) in [(8, 18, ")"), (9, 5, "FOO")] {
        let heading = format!("<stdin>:{line}:{column}");
        assert!(text.contains(&heading), "no `{heading}` in:\n{text}");
        let (source, caret) = shown_source_and_caret(&text, line);
        assert_eq!(
            caret.find('^').map(|i| i + 1),
            Some(column),
            "line {line}:\n{text}"
        );
        assert!(
            source[column - 1..].starts_with(token),
            "line {line}: {source:?}"
        );
    }
}

#[test]
fn text_output_ends_with_a_summary() {
    let output = grader_with(&["zone", "check", "-"], WITH_ERROR.as_bytes());
    let text = stdout(&output);
    let last = text.lines().last().expect("output");
    assert_eq!(
        last,
        "<stdin>: lab.example.: 5 records, 1 error, 0 warnings"
    );
}
