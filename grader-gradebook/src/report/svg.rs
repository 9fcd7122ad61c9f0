//! The charts of the HTML report, as inline SVG (no script, no fonts): an
//! exercise's score histogram, and each check's statuses as a stacked bar.
//!
//! Each bar carries its data (`data-count`, `data-bin`, `data-total`), so
//! that what is drawn can be checked against what is counted.

use std::fmt::Write as _;

use super::html::{esc, esc_into};
use super::model::ExerciseStats;

/// The width of both charts, in CSS pixels.
pub const WIDTH: f64 = 580.0;

/// The height of the histogram's plot area (where a bar of the most
/// common score reaches the top), in CSS pixels.
pub const PLOT_HEIGHT: f64 = 172.0;

const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 44.0;

/// The statuses of a check, in the order their segments are stacked.
pub const STATUSES: [&str; 4] = ["passed", "partial", "failed", "skipped"];

/// The score histogram of `e`: a bar per [`super::Bin`] (`rect.bar`),
/// heights proportional to the counts, the tallest [`PLOT_HEIGHT`].
pub fn histogram(out: &mut String, e: &ExerciseStats) {
    let bins = &e.histogram;
    let height = TOP + PLOT_HEIGHT + BOTTOM;
    let plot_w = WIDTH - LEFT - RIGHT;
    let max_count = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let n = bins.len().max(1) as f64;
    let slot = plot_w / n;
    let _ = write!(
        out,
        "<svg class=\"chart histogram\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" data-bins=\"{}\" \
         data-max-count=\"{max_count}\" data-plot-height=\"{PLOT_HEIGHT}\">",
        bins.len()
    );
    let _ = write!(
        out,
        "<title>Score distribution of {}: learners per score</title>",
        esc(&e.id)
    );
    let base = TOP + PLOT_HEIGHT;
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\"/>\
         <line class=\"axis\" x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{base}\"/>\
         <text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{max_count}</text>\
         <text class=\"tick\" x=\"{}\" y=\"{base}\" text-anchor=\"end\">0</text>",
        LEFT + plot_w,
        LEFT - 6.0,
        TOP + 4.0,
        LEFT - 6.0,
    );
    for (i, b) in bins.iter().enumerate() {
        let h = b.count as f64 / max_count as f64 * PLOT_HEIGHT;
        let x = LEFT + i as f64 * slot + slot * 0.1;
        let w = slot * 0.8;
        let y = base - h;
        let centre = x + w / 2.0;
        let learners = if b.count == 1 { "learner" } else { "learners" };
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{x:.2}\" y=\"{y:.2}\" width=\"{w:.2}\" height=\"{h:.2}\" \
             data-bin=\"{}\" data-count=\"{}\"><title>{}: {} {learners}</title></rect>",
            esc(&b.label),
            b.count,
            esc(&b.label),
            b.count
        );
        if b.count > 0 {
            let _ = write!(
                out,
                "<text class=\"count\" x=\"{centre:.2}\" y=\"{:.2}\" \
                 text-anchor=\"middle\">{}</text>",
                y - 4.0,
                b.count
            );
        }
        let _ = write!(
            out,
            "<text class=\"bin\" x=\"{centre:.2}\" y=\"{:.2}\" text-anchor=\"middle\">{}</text>",
            base + 14.0,
            esc(&b.label)
        );
    }
    let axis = if e.histogram.len() == 10 && e.histogram[9].label.ends_with('%') {
        "score (% of the maximum)"
    } else {
        "score (points)"
    };
    let _ = write!(
        out,
        "<text class=\"axis-title\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{axis}</text>\
         <text class=\"axis-title\" x=\"12\" y=\"{:.1}\" text-anchor=\"middle\" \
         transform=\"rotate(-90 12 {:.1})\">learners</text></svg>",
        LEFT + plot_w / 2.0,
        height - 8.0,
        TOP + PLOT_HEIGHT / 2.0,
        TOP + PLOT_HEIGHT / 2.0,
    );
}

/// The longest check id drawn beside its bar (the full id is in the
/// tooltip and the tables).
const LABEL_CHARS: usize = 28;
const LABEL_W: f64 = 220.0;
const BAR_X: f64 = 230.0;

/// The width of a check's bar (all its graded learners), in CSS pixels.
pub const BAR_W: f64 = 250.0;

const ROW_H: f64 = 24.0;
const LEGEND_H: f64 = 26.0;

/// Each check of `e` as a stacked bar of its statuses (`rect.seg`, four
/// per check, in [`STATUSES`] order, zero-wide when none), widths
/// proportional to the number of learners, the whole bar [`BAR_W`]; hidden
/// checks are labelled `(hidden)`.
pub fn checks(out: &mut String, e: &ExerciseStats) {
    let height = LEGEND_H + ROW_H * e.checks.len() as f64 + 6.0;
    let _ = write!(
        out,
        "<svg class=\"chart checks\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" data-checks=\"{}\" \
         data-bar-width=\"{BAR_W}\"><title>Pass rate of each check of {}</title>",
        e.checks.len(),
        esc(&e.id)
    );
    let mut x = BAR_X;
    for status in STATUSES {
        let _ = write!(
            out,
            "<rect class=\"key {status}\" x=\"{x}\" y=\"4\" width=\"10\" height=\"10\"/>\
             <text class=\"legend\" x=\"{}\" y=\"13\">{status}</text>",
            x + 14.0
        );
        x += 66.0;
    }
    for (i, c) in e.checks.iter().enumerate() {
        let y = LEGEND_H + i as f64 * ROW_H;
        let total = c.total();
        let _ = write!(
            out,
            "<g class=\"check\" data-check=\"{}\" data-total=\"{total}\"><title>",
            esc(&c.id)
        );
        esc_into(out, &c.id);
        out.push_str(" — ");
        esc_into(out, &c.title);
        if c.hidden() {
            out.push_str(" (hidden from learners)");
        }
        let _ = write!(
            out,
            ": {} passed, {} partial, {} failed, {} skipped</title>",
            c.passed, c.partial, c.failed, c.skipped
        );
        let label: String = if c.id.chars().count() > LABEL_CHARS {
            let mut l: String = c.id.chars().take(LABEL_CHARS - 1).collect();
            l.push('…');
            l
        } else {
            c.id.clone()
        };
        let _ = write!(
            out,
            "<text class=\"label{}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}{}</text>",
            if c.hidden() { " hidden" } else { "" },
            LABEL_W,
            y + 15.0,
            esc(&label),
            if c.hidden() { " (hidden)" } else { "" }
        );
        let mut sx = BAR_X;
        for (status, count) in STATUSES
            .iter()
            .zip([c.passed, c.partial, c.failed, c.skipped])
        {
            let w = if total > 0 {
                count as f64 / total as f64 * BAR_W
            } else {
                0.0
            };
            let _ = write!(
                out,
                "<rect class=\"seg {status}\" x=\"{sx:.2}\" y=\"{:.1}\" width=\"{w:.2}\" \
                 height=\"16\" data-count=\"{count}\"/>",
                y + 4.0
            );
            sx += w;
        }
        let rate = if total > 0 {
            format!("{:.0}% passed", c.passed as f64 / total as f64 * 100.0)
        } else {
            "no graded learner".into()
        };
        let _ = write!(
            out,
            "<text class=\"rate\" x=\"{:.1}\" y=\"{:.1}\">{rate}</text></g>",
            BAR_X + BAR_W + 8.0,
            y + 15.0
        );
    }
    out.push_str("</svg>");
}
