//! The report as one self-contained HTML page for instructors.
//!
//! No script, no font, no image file, no network: the charts are inline
//! SVG, the drill-down per learner is `<details>`, and a
//! Content-Security-Policy forbids scripts and every load. Everything that
//! comes from results (learner ids, courses, feedback, messages) is text
//! written by or about students: all of it goes through [`esc`].
//!
//! The page: an overview table (learners × exercises, each learner a link
//! to their drill-down), then per exercise the counts of each outcome, the
//! score histogram, each check's pass rate, and the most common failing
//! feedback lines; then per learner (`<details id="learner-…">`) every
//! exercise's score, outcome, message and every check with its status,
//! points and full feedback, hidden checks tagged as such.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::model::{Cell, ExerciseStats, Learner, Outcome, Report};
use super::{score, svg};

/// The Content-Security-Policy of the page: nothing may be loaded or run;
/// only the inline style applies.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                       base-uri 'none'; form-action 'none'";

/// The most learners listed under a failing feedback line (the count is
/// always complete).
const WHO_MAX: usize = 100;

const STYLE: &str = "
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg2:#f6f8fa;
--passed:#1a7f37;--partial:#bf8700;--failed:#cf222e;--skipped:#8c959f;--bar:#0969da}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1280px;padding:16px 28px 48px;color:var(--fg);background:#fff;
font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:20px;margin:0 0 8px;padding-top:8px}
h3{font-size:15px;margin:14px 0 6px}
a{color:var(--bar)}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0}
.scope,.totals,.meta,.hint{color:var(--muted);margin:2px 0}
nav{margin:10px 0 18px;display:flex;flex-wrap:wrap;gap:6px 14px}
section{border-top:1px solid var(--line);padding:10px 0 18px}
.scroll{overflow-x:auto;max-height:70vh}
table{border-collapse:collapse}
th,td{border-bottom:1px solid var(--line);padding:3px 10px;text-align:left;vertical-align:top}
thead th{position:sticky;top:0;background:#fff}
tfoot th,tfoot td{background:var(--bg2);font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.overview td.cell{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.overview small{color:var(--muted)}
.q0{background:#ffebe9}.q1{background:#fff1e5}.q2{background:#fff8c5}.q3{background:#e6f4ea}
.q4{background:#d1f0d9}.ungraded{background:var(--bg2);color:var(--failed);font-style:italic}
.counts{display:flex;flex-wrap:wrap;gap:6px 18px;margin:4px 0 10px}
.counts .bad{color:var(--failed);font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:16px 32px}
figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
svg.chart{max-width:100%;height:auto;font-size:11px}
svg .axis{stroke:var(--muted);stroke-width:1}
svg text{fill:var(--fg)}svg .tick,svg .bin,svg .axis-title{fill:var(--muted)}
svg .bar{fill:var(--bar)}
svg .passed{fill:var(--passed)}svg .partial{fill:var(--partial)}
svg .failed{fill:var(--failed)}svg .skipped{fill:var(--skipped)}
svg .label.hidden{fill:var(--muted);font-style:italic}
.failing td pre{margin:0}
.failing th{white-space:nowrap}
.who summary{cursor:pointer;color:var(--muted)}
.who a{margin-right:8px}
details.learner{border:1px solid var(--line);border-radius:6px;margin:6px 0}
details.learner>summary{cursor:pointer;padding:6px 10px;background:var(--bg2)}
details.learner[open]>summary{border-bottom:1px solid var(--line)}
details.learner .name{font-weight:600}
.brief{color:var(--muted);margin-left:10px}
.attempt{padding:4px 14px 10px}
.attempt+.attempt{border-top:1px dashed var(--line)}
ol.checks{list-style:none;padding:0;margin:6px 0}
ol.checks li{padding:4px 0;border-bottom:1px solid var(--bg2)}
.status,.outcome,.tag{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;
font-weight:600;color:#fff;background:var(--skipped)}
.status.passed,.outcome.graded{background:var(--passed)}
.status.partial{background:var(--partial)}
.status.failed,.outcome.invalid_submission,.outcome.checker_error,.outcome.internal_error{background:var(--failed)}
.tag{background:#6639ba}
.points{font-variant-numeric:tabular-nums;color:var(--muted);margin:0 6px}
pre.feedback,pre.message{background:var(--bg2);border-left:3px solid var(--line);padding:6px 10px}
li.failed pre.feedback{border-left-color:var(--failed)}
li.partial pre.feedback{border-left-color:var(--partial)}
";

/// `s` with `&`, `<`, `>`, `"` and `'` written as character references:
/// safe as element text and as a quoted attribute value.
pub fn esc(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    esc_into(&mut out, s);
    Cow::Owned(out)
}

/// Appends `s` to `out`, escaped as by [`esc`].
pub fn esc_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// A fragment of an element id: ASCII letters, digits and `-` as they are,
/// every other byte (UTF-8) as `_` and two hexadecimal digits.
fn id_part(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            let _ = write!(out, "_{b:02X}");
        }
    }
}

/// The element id of a learner's drill-down: `learner-` and the learner
/// id, then `.` and the course when there is one, encoded as ids allow
/// (`learner-grp7`, `learner-grp7.dns-2026`, `learner-_3Cscript_3E…`).
pub fn anchor(learner: &Learner) -> String {
    let mut id = String::from("learner-");
    id_part(&mut id, &learner.id);
    if let Some(course) = &learner.course {
        id.push('.');
        id_part(&mut id, course);
    }
    id
}

fn exercise_anchor(e: &ExerciseStats) -> String {
    let mut id = String::from("exercise-");
    id_part(&mut id, &e.id);
    id
}

/// The report as an HTML page; `each` is called after each learner's
/// drill-down is written (for a progress bar).
pub fn html(report: &Report, each: &mut dyn FnMut()) -> String {
    let mut out = String::with_capacity(64 * 1024 + report.attempts * 4096);
    head(&mut out, report);
    overview(&mut out, report);
    for e in &report.exercises {
        exercise(&mut out, report, e);
    }
    let _ = write!(
        out,
        "<section id=\"learners\"><h2>Learners</h2><p class=\"hint\">Open a learner for \
         every check of the counted attempt, with its full feedback.</p>"
    );
    for l in &report.learners {
        drill_down(&mut out, report, l);
        each();
    }
    out.push_str("</section></main></body></html>\n");
    out
}

fn pick_words(report: &Report) -> &'static str {
    match report.scope.pick {
        crate::store::Pick::Latest => "latest attempt of each learner",
        crate::store::Pick::Best => "best attempt of each learner",
    }
}

fn head(out: &mut String, report: &Report) {
    let s = &report.scope;
    let mut title = String::from("Grader report");
    if let Some(c) = &s.course {
        let _ = write!(title, " — {c}");
    }
    if let Some(e) = &s.exercise {
        let _ = write!(title, " — {e}");
    }
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><header><h1>{}</h1>",
        esc(&title),
        esc(&title)
    );
    let course = match &s.course {
        Some(c) if c.is_empty() => "results without a course".to_string(),
        Some(c) => format!("course {}", esc(c)),
        None => "all courses".to_string(),
    };
    let exercise = match &s.exercise {
        Some(e) => format!("exercise {}", esc(e)),
        None => "all exercises".to_string(),
    };
    let _ = write!(
        out,
        "<p class=\"scope\">From {} · {course} · {exercise} · the {}</p>\
         <p class=\"totals\">{} learners · {} exercises · {} attempts counted</p>",
        esc(&s.source),
        pick_words(report),
        report.learners.len(),
        report.exercises.len(),
        report.attempts
    );
    if !s.notes.is_empty() {
        out.push_str("<ul class=\"notes\">");
        for n in &s.notes {
            let _ = write!(out, "<li>{}</li>", esc(n));
        }
        out.push_str("</ul>");
    }
    out.push_str("<nav><a href=\"#overview\">Overview</a>");
    for e in &report.exercises {
        let _ = write!(
            out,
            "<a href=\"#{}\">{}</a>",
            exercise_anchor(e),
            esc(&e.id)
        );
    }
    out.push_str("<a href=\"#learners\">Learners</a></nav></header><main>");
}

/// The CSS class of a cell of the overview: `q0` (under a quarter) to
/// `q4` (full marks), or `ungraded`.
fn quality(c: &Cell) -> &'static str {
    match c.ratio() {
        Some(r) if c.outcome == Outcome::Graded => {
            if r >= 1.0 {
                "q4"
            } else if r >= 0.75 {
                "q3"
            } else if r >= 0.5 {
                "q2"
            } else if r >= 0.25 {
                "q1"
            } else {
                "q0"
            }
        }
        _ => "ungraded",
    }
}

fn cell_text(c: &Cell) -> String {
    match (&c.outcome, c.score) {
        (Outcome::Graded, Some((given, max))) => score(given, max),
        (o, _) => esc(o.word()).into_owned(),
    }
}

fn overview(out: &mut String, report: &Report) {
    let with_course = report.courses() > 1;
    out.push_str(
        "<section id=\"overview\"><h2>Overview</h2><div class=\"scroll\">\
         <table class=\"overview\"><thead><tr>",
    );
    if with_course {
        out.push_str("<th>course</th>");
    }
    out.push_str("<th>learner</th>");
    for e in &report.exercises {
        let _ = write!(
            out,
            "<th><a href=\"#{}\">{}</a></th>",
            exercise_anchor(e),
            esc(&e.id)
        );
    }
    out.push_str("</tr></thead><tbody>");
    for l in &report.learners {
        out.push_str("<tr>");
        if with_course {
            let _ = write!(out, "<td>{}</td>", esc(l.course.as_deref().unwrap_or("")));
        }
        let _ = write!(
            out,
            "<td><a href=\"#{}\">{}</a></td>",
            anchor(l),
            esc(&l.id)
        );
        for c in &l.cells {
            match c {
                Some(c) => {
                    let _ = write!(
                        out,
                        "<td class=\"cell {}\">{}<small> ×{}</small></td>",
                        quality(c),
                        cell_text(c),
                        c.attempts
                    );
                }
                None => out.push_str("<td class=\"cell\">–</td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody><tfoot><tr>");
    if with_course {
        out.push_str("<td></td>");
    }
    out.push_str("<th>mean</th>");
    for e in &report.exercises {
        let _ = write!(out, "<td class=\"n\">{}</td>", mean_text(e));
    }
    out.push_str("</tr><tr>");
    if with_course {
        out.push_str("<td></td>");
    }
    out.push_str("<th>graded</th>");
    for e in &report.exercises {
        let _ = write!(out, "<td class=\"n\">{} of {}</td>", e.graded, e.learners);
    }
    out.push_str(
        "</tr></tfoot></table></div><p class=\"hint\">×n: attempts. Click a learner for \
         the full feedback.</p></section>",
    );
}

fn mean_text(e: &ExerciseStats) -> String {
    match (e.mean, e.maximum, e.mean_percent) {
        (Some(m), Some(max), Some(p)) => format!("{} ({p:.0}%)", score(m, max)),
        (_, _, Some(p)) => format!("{p:.0}%"),
        _ => "–".into(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn exercise(out: &mut String, report: &Report, e: &ExerciseStats) {
    let with_course = report.courses() > 1;
    let _ = write!(
        out,
        "<section class=\"exercise\" id=\"{}\" data-learners=\"{}\" data-graded=\"{}\">\
         <h2>{} <small class=\"meta\">version {}</small></h2><p class=\"counts\">",
        exercise_anchor(e),
        e.learners,
        e.graded,
        esc(&e.id),
        esc(&e.versions.join(", "))
    );
    let _ = write!(
        out,
        "<span>{}</span><span>{} graded</span><span>mean {}</span>",
        plural(e.learners, "learner", "learners"),
        e.graded,
        mean_text(e)
    );
    for (n, one, many, class) in [
        (
            e.invalid,
            "invalid submission",
            "invalid submissions",
            "invalid",
        ),
        (
            e.checker_error,
            "checker error",
            "checker errors",
            "checker-error",
        ),
        (
            e.internal_error,
            "internal error",
            "internal errors",
            "internal-error",
        ),
        (e.other, "other outcome", "other outcomes", "other"),
    ] {
        let bad = if n > 0 { " bad" } else { "" };
        if n > 0 || class != "other" {
            let _ = write!(
                out,
                "<span class=\"{class}{bad}\">{}</span>",
                plural(n, one, many)
            );
        }
    }
    out.push_str("</p>");
    if e.graded == 0 {
        out.push_str("<p class=\"hint\">No graded attempt: no score distribution.</p>");
    } else {
        out.push_str(
            "<div class=\"charts\"><figure><figcaption>Score distribution (graded \
             attempts)</figcaption>",
        );
        svg::histogram(out, e);
        out.push_str("</figure><figure><figcaption>Checks: status of each, over the graded learners</figcaption>");
        svg::checks(out, e);
        out.push_str("</figure></div>");
    }
    out.push_str("<h3>Most common failing feedback</h3>");
    if e.failing.is_empty() {
        out.push_str("<p class=\"hint\">No failed or partial check.</p>");
    } else {
        let _ = write!(
            out,
            "<table class=\"failing\"><thead><tr><th>learners</th><th>of {}</th><th>check</th>\
             <th>feedback line (<code>{{learner}}</code> is each learner's id)</th></tr></thead><tbody>",
            e.learners
        );
        for f in &e.failing {
            let share = f.learners.len() as f64 / e.learners.max(1) as f64 * 100.0;
            let hidden = e
                .checks
                .iter()
                .find(|c| c.id == f.check)
                .is_some_and(|c| c.hidden());
            let _ = write!(
                out,
                "<tr><td class=\"n\">{}</td><td class=\"n\">{share:.0}%</td><td><code>{}</code>{}</td>\
                 <td><pre>{}</pre><details class=\"who\"><summary>who</summary>",
                f.learners.len(),
                esc(&f.check),
                if hidden {
                    " <span class=\"tag\">hidden</span>"
                } else {
                    ""
                },
                esc(&f.line)
            );
            for &li in f.learners.iter().take(WHO_MAX) {
                if let Some(l) = report.learners.get(li) {
                    let _ = write!(out, "<a href=\"#{}\">{}", anchor(l), esc(&l.id));
                    if let Some(c) = l.course.as_deref().filter(|_| with_course) {
                        let _ = write!(out, " ({})", esc(c));
                    }
                    out.push_str("</a>");
                }
            }
            if f.learners.len() > WHO_MAX {
                let _ = write!(out, "and {} more", f.learners.len() - WHO_MAX);
            }
            out.push_str("</details></td></tr>");
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}

fn visibility_tag(visibility: Option<&str>) -> Option<&'static str> {
    match visibility.unwrap_or("visible") {
        "visible" => None,
        "after_due_date" => Some("after the due date: hidden from learners until then"),
        _ => Some("hidden: instructors only"),
    }
}

fn drill_down(out: &mut String, report: &Report, l: &Learner) {
    let _ = write!(
        out,
        "<details class=\"learner\" id=\"{}\"><summary><span class=\"name\">{}</span>",
        anchor(l),
        esc(&l.id)
    );
    if let Some(c) = &l.course {
        let _ = write!(out, " <span class=\"course\">({})</span>", esc(c));
    }
    out.push_str("<span class=\"brief\">");
    let mut first = true;
    for (e, c) in report.exercises.iter().zip(&l.cells) {
        if let Some(c) = c {
            if !first {
                out.push_str(" · ");
            }
            first = false;
            let _ = write!(out, "{} {}", esc(&e.id), cell_text(c));
        }
    }
    out.push_str("</span></summary>");
    for (e, c) in report.exercises.iter().zip(&l.cells) {
        let Some(c) = c else { continue };
        attempt(out, e, c);
    }
    out.push_str("</details>");
}

fn attempt(out: &mut String, e: &ExerciseStats, c: &Cell) {
    let outcome = &c.result.outcome;
    let _ = write!(
        out,
        "<article class=\"attempt\" data-exercise=\"{}\"><h3>{} ",
        esc(&e.id),
        esc(&e.id)
    );
    if let Some((given, max)) = c.score {
        let _ = write!(out, "<span class=\"score\">{}</span> ", score(given, max));
    }
    let _ = write!(
        out,
        "<span class=\"outcome {}\">{}</span></h3><p class=\"meta\">{}; counted: submission \
         <code>{}</code> of {}, exercise version {}</p>",
        esc(outcome),
        esc(c.outcome.word()),
        plural(c.attempts.max(0) as usize, "attempt", "attempts"),
        esc(&c.submission_id),
        esc(&c.submitted_at),
        esc(&c.exercise_version)
    );
    if let Some(m) = c.result.message.as_deref().filter(|m| !m.is_empty()) {
        let _ = write!(out, "<pre class=\"message\">{}</pre>", esc(m));
    }
    if c.result.checks.is_empty() {
        out.push_str("</article>");
        return;
    }
    out.push_str("<ol class=\"checks\">");
    for k in &c.result.checks {
        let status = match k.status.as_str() {
            s @ ("passed" | "partial" | "failed" | "skipped") => s,
            _ => "other",
        };
        let _ = write!(
            out,
            "<li class=\"check {status}\" data-check=\"{}\"><span class=\"status {status}\">{}</span>\
             <span class=\"points\">{}</span>{} <code>{}</code>",
            esc(&k.id),
            esc(&k.status),
            score(k.points, k.max_points),
            esc(&k.title),
            esc(&k.id)
        );
        if let Some(tag) = visibility_tag(k.visibility.as_deref()) {
            let _ = write!(out, " <span class=\"tag\">{tag}</span>");
        }
        if !k.feedback.is_empty() {
            let _ = write!(out, "<pre class=\"feedback\">{}</pre>", esc(&k.feedback));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol></article>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc("</pre><img src=x onerror=alert(1)>"),
            "&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(esc("a\"b'c&d"), "a&quot;b&#39;c&amp;d");
        assert!(matches!(esc("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn anchors_are_stable_and_safe() {
        let l = Learner {
            course: Some("dns 2026".into()),
            id: "<script>é".into(),
            cells: Vec::new(),
        };
        assert_eq!(anchor(&l), "learner-_3Cscript_3E_C3_A9.dns_202026");
    }
}
