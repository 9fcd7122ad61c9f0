//! `grader report`: the terminal table, filters and the best attempt, CSV,
//! the HTML report's content, the same report from a gradebook (SQLite and
//! PostgreSQL) and from a JSON-lines file, escaping of student-controlled
//! text, and the errors a user can make.
//!
//! The class's results are real gradings of the exercises' samples
//! (`grader_tests::report`); what each cell must show is worked out here
//! from the results themselves, independently of the report's code.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use grader_tests::amqp::TempDir;
use grader_tests::gradebook::Scratch;
use grader_tests::grader_with_input as grader;
use grader_tests::report::{ClassPlan, Templates, class, record, write_lines};
use serde_json::{Value, json};

const EXERCISES: [&str; 3] = ["delegation", "soa-and-ttl", "zone-basics"];

/// A class of 15: ten learners in `dns-2026`, five in `dns-2027`, each
/// working through three exercises (1 to 3 attempts each).
fn class_results() -> Vec<String> {
    let templates = Templates::grade(&EXERCISES).unwrap_or_else(|e| panic!("{e}"));
    let a: Vec<String> = (1..=10).map(|i| format!("grp{i:02}")).collect();
    let b: Vec<String> = (1..=5).map(|i| format!("team{i}")).collect();
    let mut results = class(
        &templates,
        &ClassPlan {
            learners: &a,
            course: Some("dns-2026"),
            start: 1_788_768_000,
            checker_errors: true,
        },
    );
    results.extend(class(
        &templates,
        &ClassPlan {
            learners: &b,
            course: Some("dns-2027"),
            start: 1_790_000_000,
            checker_errors: false,
        },
    ));
    results
}

/// Runs `grader report ARGS` and returns stdout, failing on a non-zero exit.
fn report(args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let out = grader(&all, b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "grader {all:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the report is UTF-8")
}

/// Points as the report writes them (`14`, `14.5`).
fn pts(x: f64) -> String {
    let s = format!("{:.2}", (x * 100.0).round() / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The counted attempt of a learner for an exercise, worked out from the
/// results.
#[derive(Clone, Debug)]
struct Expected {
    outcome: String,
    score: Option<(f64, f64)>,
    attempts: usize,
    result: Value,
}

impl Expected {
    fn cell(&self) -> String {
        let what = match (self.outcome.as_str(), self.score) {
            ("graded", Some((g, m))) => format!("{}/{}", pts(g), pts(m)),
            ("invalid_submission", _) => "invalid".into(),
            ("checker_error", _) => "checker error".into(),
            ("internal_error", _) => "internal error".into(),
            (o, _) => o.to_string(),
        };
        format!("{what} ({})", self.attempts)
    }
}

type Key = (String, String, String); // course, learner, exercise

fn expected(results: &[String], best: bool) -> BTreeMap<Key, Expected> {
    let mut groups: BTreeMap<Key, Vec<Value>> = BTreeMap::new();
    for r in results {
        let v: Value = serde_json::from_str(r).expect("a result is JSON");
        let key = (
            v["course"].as_str().unwrap_or("").to_string(),
            v["learner"].as_str().expect("a learner").to_string(),
            v["exercise"]["id"]
                .as_str()
                .expect("an exercise")
                .to_string(),
        );
        groups.entry(key).or_default().push(v);
    }
    groups
        .into_iter()
        .map(|(k, mut all)| {
            let n = all.len();
            // Latest: by submission time, then id.
            all.sort_by(|a, b| {
                (a["graded_at"].as_str(), a["submission_id"].as_str())
                    .cmp(&(b["graded_at"].as_str(), b["submission_id"].as_str()))
            });
            let chosen = if best {
                let graded: Vec<&Value> = all.iter().filter(|v| v["outcome"] == "graded").collect();
                match graded
                    .iter()
                    .map(|v| v["score"]["given"].as_f64().unwrap_or(0.0))
                    .fold(None, |m: Option<f64>, g| Some(m.map_or(g, |m| m.max(g))))
                {
                    Some(top) => graded
                        .into_iter()
                        .rev()
                        .find(|v| v["score"]["given"].as_f64() == Some(top))
                        .cloned()
                        .expect("a best"),
                    None => all[n - 1].clone(),
                }
            } else {
                all[n - 1].clone()
            };
            let outcome = chosen["outcome"].as_str().unwrap_or("").to_string();
            let score = (outcome == "graded").then(|| {
                (
                    chosen["score"]["given"].as_f64().unwrap_or(f64::NAN),
                    chosen["score"]["maximum"].as_f64().unwrap_or(f64::NAN),
                )
            });
            (
                k,
                Expected {
                    outcome,
                    score,
                    attempts: n,
                    result: chosen,
                },
            )
        })
        .collect()
}

/// The cells of a table line: columns are two or more spaces apart.
fn columns(line: &str) -> Vec<String> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks a table against the expectation: one row per learner, each
/// cell, and the mean and graded footers.
fn check_table(table: &str, want: &BTreeMap<Key, Expected>, courses: bool, exercises: &[&str]) {
    let lines: Vec<&str> = table.lines().collect();
    let head = columns(lines[0]);
    let lead: Vec<&str> = if courses {
        vec!["course", "learner"]
    } else {
        vec!["learner"]
    };
    let mut want_head: Vec<String> = lead.iter().map(|s| s.to_string()).collect();
    want_head.extend(exercises.iter().map(|s| s.to_string()));
    assert_eq!(head, want_head, "{table}");
    let mut learners: Vec<(String, String)> = want
        .keys()
        .map(|(c, l, _)| (c.clone(), l.clone()))
        .collect();
    learners.dedup();
    assert!(lines[1].starts_with('─'), "{table}");
    for (i, (course, learner)) in learners.iter().enumerate() {
        let row = columns(lines[2 + i]);
        let mut expect: Vec<String> = Vec::new();
        if courses {
            expect.push(course.clone());
        }
        expect.push(learner.clone());
        for e in exercises {
            expect.push(
                want.get(&(course.clone(), learner.clone(), e.to_string()))
                    .map_or("-".into(), Expected::cell),
            );
        }
        assert_eq!(row, expect, "row of {learner} in\n{table}");
    }
    let foot = 2 + learners.len();
    assert!(lines[foot].starts_with('─'), "{table}");
    let mean = columns(lines[foot + 1]);
    let graded = columns(lines[foot + 2]);
    assert_eq!(mean[0], "mean", "{table}");
    assert_eq!(graded[0], "graded", "{table}");
    for (i, e) in exercises.iter().enumerate() {
        let cells: Vec<&Expected> = want
            .iter()
            .filter(|((_, _, x), _)| x == e)
            .map(|(_, v)| v)
            .collect();
        let scores: Vec<(f64, f64)> = cells.iter().filter_map(|c| c.score).collect();
        assert_eq!(
            graded[1 + i],
            format!("{} of {}", scores.len(), cells.len()),
            "{e} in\n{table}"
        );
        let mean_given = scores.iter().map(|s| s.0).sum::<f64>() / scores.len() as f64;
        assert_eq!(
            mean[1 + i],
            format!("{}/{}", pts(mean_given), pts(scores[0].1)),
            "{e} in\n{table}"
        );
    }
}

#[test]
fn the_table_shows_every_learner_latest_score_attempts_and_the_means_on_both_databases() {
    let results = class_results();
    let want = expected(&results, false);
    // The class has what the table must show: several attempts, invalid
    // submissions, checker errors.
    assert!(want.values().any(|e| e.attempts == 3));
    assert!(want.values().any(|e| e.outcome == "invalid_submission"));
    assert!(want.values().any(|e| e.outcome == "checker_error"));
    for scratch in Scratch::both("report_table") {
        let new = record(&scratch.location, &results).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(new as usize, results.len(), "{}", scratch.kind());
        let table = report(&["--gradebook", &scratch.location]);
        check_table(&table, &want, true, &EXERCISES);
        assert!(
            table.contains("15 learners, 3 exercises; scores of the latest attempt"),
            "{}: {table}",
            scratch.kind()
        );
        // GRADER_GRADEBOOK is the default location.
        let out = Command::new(grader_tests::grader_binary())
            .args(["report"])
            .env("GRADER_GRADEBOOK", &scratch.location)
            .output()
            .expect("run grader");
        assert_eq!(String::from_utf8_lossy(&out.stdout), table);
    }
}

#[test]
fn filters_by_course_and_exercise_and_the_best_attempt() {
    let results = class_results();
    let dir = TempDir::new("filters");
    let file = dir.join("results.jsonl");
    write_lines(&file, &results).expect("write results");
    let file = file.to_str().expect("UTF-8 path");

    let best = expected(&results, true);
    let latest = expected(&results, false);
    assert!(
        best.iter().any(|(k, v)| v.score != latest[k].score),
        "the class has learners whose best attempt is not their latest"
    );

    let only = |want: &BTreeMap<Key, Expected>, course: &str, exercise: Option<&str>| {
        want.iter()
            .filter(|((c, _, e), _)| c == course && exercise.is_none_or(|x| x == e))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    // One course: no course column.
    let table = report(&["--results", file, "--course", "dns-2027"]);
    check_table(&table, &only(&latest, "dns-2027", None), false, &EXERCISES);
    assert!(!table.contains("grp01"), "{table}");
    // One course, one exercise, best attempts.
    let table = report(&[
        "--results",
        file,
        "--course",
        "dns-2026",
        "--exercise",
        "delegation",
        "--pick",
        "best",
    ]);
    check_table(
        &table,
        &only(&best, "dns-2026", Some("delegation")),
        false,
        &["delegation"],
    );
    assert!(table.contains("scores of the best attempt"), "{table}");
    // A filter that matches nothing: an empty table, and a word on stderr.
    let out = grader(
        &[
            "report",
            "--results",
            file,
            "--exercise",
            "no-such-exercise",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no results") && err.contains("no-such-exercise"),
        "{err}"
    );
}

#[test]
fn csv_has_one_row_per_learner_with_numeric_scores_and_a_total() {
    let results = class_results();
    let want = expected(&results, false);
    let scratch = Scratch::sqlite("report_csv");
    record(&scratch.location, &results).unwrap_or_else(|e| panic!("{e}"));
    let dir = TempDir::new("csv");
    let out = dir.join("grades.csv");
    report(&[
        "--gradebook",
        &scratch.location,
        "--format",
        "csv",
        "--output",
        out.to_str().expect("UTF-8 path"),
    ]);
    let mut reader = csv::Reader::from_path(&out).expect("read the CSV");
    let head: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        head,
        [
            "course",
            "learner",
            "delegation",
            "soa-and-ttl",
            "zone-basics",
            "total"
        ]
    );
    let mut learners: Vec<(String, String)> = want
        .keys()
        .map(|(c, l, _)| (c.clone(), l.clone()))
        .collect();
    learners.dedup();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), learners.len());
    for (row, (course, learner)) in rows.iter().zip(&learners) {
        assert_eq!(&row[0], course);
        assert_eq!(&row[1], learner);
        let mut total = None;
        for (i, e) in EXERCISES.iter().enumerate() {
            let cell = &row[2 + i];
            match want
                .get(&(course.clone(), learner.clone(), e.to_string()))
                .and_then(|x| x.score)
            {
                Some((given, _)) => {
                    let read: f64 = cell
                        .parse()
                        .unwrap_or_else(|_| panic!("`{cell}` is not a number ({learner}, {e})"));
                    assert_eq!(read, given, "{learner}, {e}");
                    total = Some(total.unwrap_or(0.0) + given);
                }
                None => assert_eq!(cell, "", "{learner}, {e}: no graded attempt"),
            }
        }
        match total {
            Some(t) => assert_eq!(row[5].parse::<f64>().ok(), Some(t), "{learner}"),
            None => assert_eq!(&row[5], "", "{learner}"),
        }
    }
}

/// Every tag of `html` that starts with `start`, up to its `>`.
fn tags<'a>(html: &'a str, start: &str) -> Vec<&'a str> {
    html.match_indices(start)
        .map(|(i, _)| &html[i..i + html[i..].find('>').expect("the end of a tag")])
        .collect()
}

/// The value of attribute `name` in `tag`.
fn attr(tag: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let s = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + key.len();
    tag[s..s + tag[s..].find('"').expect("a closing quote")].to_string()
}

/// The `<details>` element of a learner's drill-down in `html`.
fn drill_down<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<details class=\"learner\" id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no drill-down with id {id}"));
    let end = html[start..]
        .find("</details><details class=\"learner\"")
        .map_or_else(
            || {
                html[start..]
                    .find("</section>")
                    .expect("the end of the learners")
                    + start
            },
            |e| e + start,
        );
    &html[start..end]
}

/// The HTML text of `s`, as the report escapes it.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every `src="…"` and `href="…"` value in `html`.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=", "href=", "xlink:href=", "srcset=", "action="] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            let after = &rest[at + attr.len()..];
            let value: String = match after.chars().next() {
                Some(q @ ('"' | '\'')) => after[1..].chars().take_while(|c| *c != q).collect(),
                _ => after
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != '>')
                    .collect(),
            };
            // Only attributes of elements count, not text that mentions them.
            let before = &rest[..at];
            if before.ends_with(' ') && before.rfind('<') > before.rfind('>') {
                out.push(value);
            }
            rest = after;
        }
    }
    out
}

#[test]
fn the_html_report_is_self_contained_and_has_charts_common_failures_and_every_feedback() {
    let results = class_results();
    let want = expected(&results, false);
    let dir = TempDir::new("html");
    let file = dir.join("results.jsonl");
    write_lines(&file, &results).expect("write results");
    let page = dir.join("report.html");
    report(&[
        "--results",
        file.to_str().expect("UTF-8"),
        "--format",
        "html",
        "-o",
        page.to_str().expect("UTF-8"),
    ]);
    let html = std::fs::read_to_string(&page).expect("the report");

    // Self-contained: a CSP that forbids scripts and loads; no script,
    // nothing fetched.
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; img-src data:;"
        ),
        "no CSP"
    );
    assert!(!html.to_lowercase().contains("<script"), "a script");
    assert!(!html.contains("<link"), "a linked resource");
    for link in links(&html) {
        assert!(link.starts_with('#'), "a link out of the page: {link}");
    }

    // Per exercise: outcome counts, a histogram whose bars add up to the
    // graded learners, a bar per check, hidden checks labelled.
    for e in EXERCISES {
        let start = html
            .find(&format!("<section class=\"exercise\" id=\"exercise-{e}\""))
            .unwrap_or_else(|| panic!("no section for {e}"));
        let section = &html[start..start + html[start..].find("</section>").expect("end")];
        let cells: Vec<&Expected> = want
            .iter()
            .filter(|((_, _, x), _)| x == e)
            .map(|(_, v)| v)
            .collect();
        let graded: Vec<&Expected> = cells
            .iter()
            .copied()
            .filter(|c| c.score.is_some())
            .collect();
        let checker_errors = cells
            .iter()
            .filter(|c| c.outcome == "checker_error")
            .count();
        let invalid = cells
            .iter()
            .filter(|c| c.outcome == "invalid_submission")
            .count();
        assert!(
            section.contains(&format!(
                "data-learners=\"{}\" data-graded=\"{}\"",
                cells.len(),
                graded.len()
            )),
            "{e}"
        );
        assert!(
            section.contains(&format!(
                "{checker_errors} checker error{}",
                if checker_errors == 1 { "" } else { "s" }
            )),
            "{e}: {checker_errors} checker errors"
        );
        assert!(
            section.contains(&format!(
                "{invalid} invalid submission{}",
                if invalid == 1 { "" } else { "s" }
            )),
            "{e}: {invalid} invalid"
        );
        let maximum = graded[0].score.expect("graded").1;
        let bars: Vec<(String, usize)> = tags(section, "<rect class=\"bar\"")
            .into_iter()
            .map(|t| {
                (
                    attr(t, "data-bin"),
                    attr(t, "data-count").parse().expect("a count"),
                )
            })
            .collect();
        assert_eq!(bars.len(), maximum as usize + 1, "{e}: a bar per point");
        assert!(
            graded
                .iter()
                .any(|g| g.score.expect("graded").0.fract() != 0.0)
                || e != "delegation",
            "delegation has partial points: some scores fall inside a bar"
        );
        for (bin, count) in &bars {
            let n = graded
                .iter()
                .filter(|g| (g.score.expect("graded").0.floor() as u64).to_string() == *bin)
                .count();
            assert_eq!(*count, n, "{e}: learners with {bin} points");
        }
        let checks = graded[0].result["checks"].as_array().expect("checks");
        assert_eq!(
            tags(section, "<g class=\"check\"").len(),
            checks.len(),
            "{e}: a bar per check"
        );
        assert_eq!(
            tags(section, "<rect class=\"seg ").len(),
            4 * checks.len(),
            "{e}: four status segments per check"
        );
        for c in checks {
            let id = c["id"].as_str().expect("an id");
            let label = if c["visibility"] == "visible" {
                format!(">{id}</text>")
            } else {
                format!(">{id} (hidden)</text>")
            };
            assert!(section.contains(&label), "{e}: {label}");
            let at = section
                .find(&format!("<g class=\"check\" data-check=\"{id}\""))
                .expect("the check's bar");
            let bar = &section[at..at + section[at..].find("</g>").expect("end")];
            for status in ["passed", "partial", "failed", "skipped"] {
                let n = graded
                    .iter()
                    .filter(|g| {
                        g.result["checks"].as_array().is_some_and(|cs| {
                            cs.iter().any(|x| x["id"] == id && x["status"] == status)
                        })
                    })
                    .count();
                let seg = tags(bar, &format!("<rect class=\"seg {status}\""));
                assert_eq!(seg.len(), 1, "{e}/{id}: one {status} segment");
                assert_eq!(
                    attr(seg[0], "data-count"),
                    n.to_string(),
                    "{e}/{id}: {status}"
                );
            }
        }

        // The most common failing line: with `{learner}` for each one's id,
        // and as many learners as really got it.
        let row = section
            .find("<table class=\"failing\">")
            .map(|t| &section[t..])
            .expect("a table of failing lines");
        let first = &row[row
            .find("<tbody><tr><td class=\"n\">")
            .expect("a first row")
            + 25..];
        let count: usize = first[..first.find('<').expect("<")].parse().expect("count");
        let line_at = first.find("<td><pre>").expect("the line") + 9;
        let line =
            unescape(&first[line_at..line_at + first[line_at..].find("</pre>").expect("end")]);
        let got = graded
            .iter()
            .filter(|g| {
                let learner = g.result["learner"].as_str().expect("learner");
                let mine = line.replace("{learner}", learner);
                g.result["checks"].as_array().is_some_and(|cs| {
                    cs.iter().any(|c| {
                        (c["status"] == "failed" || c["status"] == "partial")
                            && c["feedback"].as_str().is_some_and(|f| f.contains(&mine))
                    })
                })
            })
            .count();
        assert_eq!(count, got, "{e}: `{line}`");
        assert!(
            count * 3 >= cells.len(),
            "{e}: the stuck sample is the top failure of a third of the class ({count} of {})",
            cells.len()
        );
        if e != "soa-and-ttl" {
            // Lines that name each learner's zone are counted together.
            let table = &row[..row.find("</table>").expect("end")];
            assert!(
                table.contains("{learner}.lab.example."),
                "{e}: no failing line names the learners' zones"
            );
        }
    }

    // Every learner's drill-down, with every check's full feedback.
    for ((course, learner, exercise), x) in &want {
        let block = drill_down(&html, &format!("learner-{learner}.{course}"));
        assert!(
            block.contains(&format!(
                "<article class=\"attempt\" data-exercise=\"{exercise}\">"
            )),
            "{learner}: {exercise}"
        );
        for c in x.result["checks"].as_array().expect("checks") {
            let feedback = c["feedback"].as_str().expect("feedback");
            if !feedback.is_empty() {
                assert!(
                    block.contains(&format!(
                        "<pre class=\"feedback\">{}</pre>",
                        escaped(feedback)
                    )),
                    "{learner}/{exercise}/{}: the full feedback",
                    c["id"]
                );
            }
            if c["visibility"] == "hidden" {
                let at = block
                    .find(&format!("data-check=\"{}\"", c["id"].as_str().expect("id")))
                    .expect("the hidden check");
                let li = &block[at..at + block[at..].find("</li>").expect("end")];
                assert!(li.contains("hidden: instructors only"), "{learner}: {li}");
            }
        }
        if let Some(message) = x.result["message"].as_str() {
            assert!(
                block.contains(&escaped(message)),
                "{learner}/{exercise}: the message"
            );
        }
    }

    // Deterministic, and the same from a gradebook but for the source.
    report(&[
        "--results",
        file.to_str().expect("UTF-8"),
        "--format",
        "html",
        "-o",
        dir.join("again.html").to_str().expect("UTF-8"),
    ]);
    assert!(
        std::fs::read(dir.join("again.html")).expect("again") == html.as_bytes(),
        "two runs differ"
    );
    let scratch = Scratch::sqlite("report_html");
    record(&scratch.location, &results).unwrap_or_else(|e| panic!("{e}"));
    let from_book = report(&["--gradebook", &scratch.location, "--format", "html"]);
    let without_source = |h: &str| {
        let s = h.find("<p class=\"scope\">").expect("scope");
        let e = s + h[s..].find("</p>").expect("end");
        format!("{}{}", &h[..s], &h[e..])
    };
    assert_eq!(without_source(&from_book), without_source(&html));
}

fn sha() -> String {
    "ab".repeat(32)
}

/// A hand-written result message.
#[allow(clippy::too_many_arguments)]
fn result(
    id: &str,
    learner: &str,
    course: Option<&str>,
    exercise: &str,
    at: &str,
    outcome: &str,
    score: Option<(f64, f64)>,
    checks: Value,
    message: Option<&str>,
) -> String {
    let mut v = json!({
        "submission_id": id,
        "outcome": outcome,
        "exercise": {"id": exercise, "version": "1.0.0"},
        "checker_sha256": sha(),
        "learner": learner,
        "graded_at": at,
        "checks": checks,
        "message": message,
    });
    if let Some((given, maximum)) = score {
        v["score"] = json!({"given": given, "maximum": maximum});
    }
    if let Some(c) = course {
        v["course"] = json!(c);
    }
    v.to_string()
}

const XSS_LEARNER: &str = "<script>alert(1)</script>";
const XSS_FEEDBACK: &str = "line 3: </pre><img src=x onerror=alert(1)>\n\"quoted\" & 'single'";

fn hostile_results() -> Vec<String> {
    let checks = json!([
        {"id": "loads", "title": "Loads <b>bold</b>", "visibility": "visible", "status": "failed",
         "points": 0.0, "max_points": 2, "feedback": XSS_FEEDBACK, "lines": [3]},
        {"id": "secret", "title": "A hidden one", "visibility": "hidden", "status": "passed",
         "points": 1.0, "max_points": 1, "feedback": "", "lines": []}
    ]);
    vec![
        result(
            "x-1",
            XSS_LEARNER,
            Some("=cmd|' /C calc'!A0"),
            "zone-basics",
            "2026-11-29T10:00:00Z",
            "graded",
            Some((1.0, 3.0)),
            checks.clone(),
            None,
        ),
        result(
            "x-2",
            "-2+3",
            Some("=cmd|' /C calc'!A0"),
            "zone-basics",
            "2026-11-29T10:00:00Z",
            "graded",
            Some((1.5, 3.0)),
            checks,
            None,
        ),
        result(
            "x-3",
            "@SUM(A1)\u{202e}[31m-and-a-very-long-platform-learner-identifier",
            Some("=cmd|' /C calc'!A0"),
            "zone-basics",
            "2026-11-29T10:00:00Z",
            "invalid_submission",
            None,
            json!([]),
            Some("<iframe src=\"https://evil.example/\"></iframe> not your zone"),
        ),
        json!({"submission_id": "x-4", "outcome": "rejected", "reason": "schema-violation",
               "message": "not a submission"})
        .to_string(),
    ]
}

#[test]
fn student_controlled_text_is_escaped_in_html_defused_in_csv_and_tamed_in_the_table() {
    let dir = TempDir::new("escape");
    let file = dir.join("results.jsonl");
    write_lines(&file, &hostile_results()).expect("write");
    let file = file.to_str().expect("UTF-8");

    let out = grader(&["report", "--results", file, "--format", "html"], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).expect("UTF-8");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 rejected result skipped"), "{err}");
    assert!(
        html.contains("1 rejected result skipped"),
        "the page says so too"
    );
    for bad in ["<script", "<img", "<iframe", "<b>bold"] {
        assert!(!html.contains(bad), "`{bad}` is in the page");
    }
    assert!(html.contains(&escaped(XSS_LEARNER)));
    assert!(html.contains(&format!(
        "<pre class=\"feedback\">{}</pre>",
        escaped(XSS_FEEDBACK)
    )));
    assert!(html.contains("&lt;iframe src=&quot;https://evil.example/&quot;&gt;"));
    for link in links(&html) {
        assert!(link.starts_with('#'), "a link out of the page: {link}");
    }
    // The drill-down's id is encoded: no markup in an attribute.
    assert!(html.contains(
        "id=\"learner-_3Cscript_3Ealert_281_29_3C_2Fscript_3E._3Dcmd_7C_27_20_2FC_20calc_27_21A0\""
    ));
    // A normalised failing line keeps its text, escaped.
    assert!(html.contains("<td><pre>&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;</pre>"));

    let csv = report(&["--results", file, "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let learners: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(
        learners,
        [
            "'-2+3",
            XSS_LEARNER,
            "'@SUM(A1)\u{202e}[31m-and-a-very-long-platform-learner-identifier"
        ]
    );
    for r in &rows {
        assert_eq!(&r[0], "'=cmd|' /C calc'!A0");
    }
    assert_eq!(&rows[0][2], "1.5");
    assert_eq!(&rows[2][2], "", "an invalid submission has no score");

    let table = report(&["--results", file]);
    assert!(
        !table.contains('\u{202e}'),
        "a bidirectional override reached the terminal"
    );
    assert!(table.contains("@SUM(A1)\u{fffd}[3…r-identifier"), "{table}");
    assert!(table.contains("invalid (1)"), "{table}");
    assert!(table.contains("1.5/3 (1)"), "{table}");
}

#[test]
fn results_from_standard_input() {
    let lines = hostile_results().join("\n");
    let out = grader(
        &["report", "--results", "-", "--format", "csv"],
        lines.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        csv.starts_with("course,learner,zone-basics,total\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 4, "{csv}");
}

fn fails(args: &[&str], stdin: &[u8], says: &[&str]) {
    let out = grader(args, stdin);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}: output despite the error");
    for s in says {
        assert!(err.contains(s), "{args:?}: `{s}` not in {err}");
    }
}

#[test]
fn usage_io_and_database_errors_exit_2_and_say_what_to_do() {
    let dir = TempDir::new("errors");
    let good = dir.join("good.jsonl");
    write_lines(&good, &hostile_results()).expect("write");
    let good = good.to_str().expect("UTF-8");
    let bad = dir.join("bad.jsonl");
    let mut lines = hostile_results();
    lines.insert(1, "{\"submission_id\": \"y\", ".into());
    write_lines(&bad, &lines).expect("write");
    let bad = bad.to_str().expect("UTF-8");

    fails(
        &["report"],
        b"",
        &["--gradebook", "--results", "GRADER_GRADEBOOK"],
    );
    fails(
        &["report", "--gradebook", "x.db", "--results", good],
        b"",
        &["--gradebook", "--results"],
    );
    fails(
        &["report", "--results", good, "--format", "xml"],
        b"",
        &["xml"],
    );
    fails(
        &["report", "--results", good, "--pick", "worst"],
        b"",
        &["worst"],
    );
    fails(
        &["report", "--results", "/nonexistent/results.jsonl"],
        b"",
        &["cannot read /nonexistent/results.jsonl"],
    );
    fails(
        &["report", "--results", bad],
        b"",
        &["bad.jsonl, line 2", "not JSON"],
    );
    fails(
        &["report", "--results", "-"],
        b"{\"outcome\": \"graded\"}\n",
        &["<stdin>, line 1"],
    );
    let missing = dir.join("missing.db");
    fails(
        &["report", "--gradebook", missing.to_str().expect("UTF-8")],
        b"",
        &["no such gradebook", "missing.db"],
    );
    assert!(!missing.exists(), "a report created a gradebook");
    fails(
        &[
            "report",
            "--gradebook",
            "postgres://nobody:secret@127.0.0.1:1/none",
        ],
        b"",
        &["gradebook postgres://nobody:***@127.0.0.1:1/none"],
    );
    fails(
        &[
            "report",
            "--results",
            good,
            "--output",
            "/nonexistent/dir/report.html",
        ],
        b"",
        &["cannot write /nonexistent/dir/report.html"],
    );
    // GRADER_GRADEBOOK does not get in the way of --results.
    let out = Command::new(grader_tests::grader_binary())
        .args(["report", "--results", good])
        .env("GRADER_GRADEBOOK", Path::new("/nonexistent/g.db"))
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
