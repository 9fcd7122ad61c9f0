//! The HTML report in a real browser: Debian's headless Chromium, driven
//! over WebDriver by chromedriver. The page must load nothing, draw every
//! chart with bars whose sizes follow the counts, and open a learner's
//! drill-down on a click, showing their full feedback. Screenshots are kept
//! in `<target>/test-artefacts/` (`report.png`: the top of the page with
//! the first charts; `report-learner.png`: the opened drill-down).
//!
//! Chromium and chromedriver must be installed (`bash scripts/test.sh`
//! installs Debian's `chromium` and `chromium-driver`); the test fails
//! without them, it never skips.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use grader_tests::report::{ClassPlan, Templates, class, write_lines};
use serde_json::{Value, json};

/// The browser window (and so screenshot) size.
const WINDOW: (u32, u32) = (1400, 2000);

const EXERCISES: [&str; 3] = ["delegation", "soa-and-ttl", "zone-basics"];

/// The WebDriver key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver with one Chromium session; both are killed when dropped
/// (also when the test panics).
struct Browser {
    agent: ureq::Agent,
    base: String,
    session: Option<String>,
    driver: Child,
    profile: PathBuf,
}

impl Browser {
    fn start(profile: PathBuf) -> Browser {
        let missing = |what: &str| -> ! {
            panic!(
                "{what} is not installed: run `bash scripts/test.sh`, which installs Debian's \
                 chromium and chromium-driver packages"
            )
        };
        let chromium = Path::new("/usr/bin/chromium");
        if !chromium.is_file() {
            missing("chromium (/usr/bin/chromium)");
        }
        let chromedriver =
            grader_tests::on_path("chromedriver").unwrap_or_else(|| missing("chromedriver"));
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        std::fs::create_dir_all(&profile).expect("a profile directory");
        let log =
            std::fs::File::create(profile.with_extension("chromedriver.log")).expect("a log file");
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            // Its own process group: Chromium's processes join it, and are
            // killed with it.
            .process_group(0)
            .spawn()
            .expect("cannot start chromedriver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let mut browser = Browser {
            agent,
            base: format!("http://127.0.0.1:{port}"),
            session: None,
            driver,
            profile,
        };
        browser.wait_ready();
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--hide-scrollbars".into(),
            format!("--user-data-dir={}", browser.profile.display()),
            format!("--window-size={},{}", WINDOW.0, WINDOW.1),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args}
        }}});
        let created = browser.call("POST", "/session", Some(caps));
        let id = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {created}"))
            .to_string();
        browser.session = Some(id);
        // Headless Chromium keeps part of the window for its (invisible)
        // toolbars: the page gets the whole window.
        browser.call(
            "POST",
            &browser.session_path("/goog/cdp/execute"),
            Some(
                json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": {
                    "width": WINDOW.0, "height": WINDOW.1, "deviceScaleFactor": 1, "mobile": false
                }}),
            ),
        );
        browser
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!(
                    "chromedriver exited ({status}); see {}",
                    self.profile.with_extension("chromedriver.log").display()
                );
            }
            let ready = self
                .agent
                .get(format!("{}/status", self.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not get ready in 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A WebDriver command; returns its `value`, failing on an error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let v: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
        assert!(
            status.is_success(),
            "{method} {path}: {status}: {}",
            v["value"]
        );
        v["value"].clone()
    }

    fn session_path(&self, rest: &str) -> String {
        format!(
            "/session/{}{rest}",
            self.session.as_deref().expect("a session")
        )
    }

    fn go(&self, url: &str) {
        self.call(
            "POST",
            &self.session_path("/url"),
            Some(json!({ "url": url })),
        );
    }

    fn run(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            &self.session_path("/execute/sync"),
            Some(json!({ "script": script, "args": args })),
        )
    }

    fn click(&self, element: &Value) {
        let id = element[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("not an element: {element}"));
        self.call(
            "POST",
            &self.session_path(&format!("/element/{id}/click")),
            Some(json!({})),
        );
    }

    /// A screenshot of the window, PNG.
    fn screenshot(&self) -> Vec<u8> {
        let b64 = self.call("GET", &self.session_path("/screenshot"), None);
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().expect("base64 text"))
            .expect("the screenshot is base64")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(id) = self.session.take() {
            // Quits Chromium.
            let _ = self
                .agent
                .delete(format!("{}/session/{id}", self.base))
                .call();
        }
        // Whatever is left of the group (chromedriver, any Chromium
        // process): killed.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The width and height in a PNG's header, if it is a PNG.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&bytes[16..20]), be(&bytes[20..24])))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| grader_tests::root().join("target"), PathBuf::from)
}

/// Keeps a screenshot in `<target>/test-artefacts/NAME`, then checks it
/// is a PNG of the window's size.
fn save(png: &[u8], name: &str) -> PathBuf {
    let dir = target_dir().join("test-artefacts");
    std::fs::create_dir_all(&dir).expect("create target/test-artefacts");
    let path = dir.join(name);
    std::fs::write(&path, png).expect("write the screenshot");
    println!("screenshot: {}", path.display());
    assert_eq!(
        png_size(png),
        Some(WINDOW),
        "{} is not a PNG of the window's size",
        path.display()
    );
    path
}

/// The latest result of each (learner, exercise).
fn latest(results: &[String]) -> BTreeMap<(String, String), Value> {
    let mut out: BTreeMap<(String, String), Value> = BTreeMap::new();
    for r in results {
        let v: Value = serde_json::from_str(r).expect("JSON");
        let key = (
            v["learner"].as_str().expect("learner").to_string(),
            v["exercise"]["id"].as_str().expect("exercise").to_string(),
        );
        let newer = out
            .get(&key)
            .is_none_or(|o| o["graded_at"].as_str() < v["graded_at"].as_str());
        if newer {
            out.insert(key, v);
        }
    }
    out
}

const CHARTS: &str = r#"
const rect = e => e.getBoundingClientRect();
const out = {
  resources: performance.getEntriesByType('resource').map(e => e.name),
  histograms: [], checks: []
};
for (const svg of document.querySelectorAll('svg.histogram')) {
  const r = rect(svg);
  out.histograms.push({
    exercise: svg.closest('section').id, width: r.width, height: r.height,
    bins: Number(svg.dataset.bins),
    bars: [...svg.querySelectorAll('rect.bar')].map(b => {
      const br = rect(b);
      return {count: Number(b.dataset.count), bin: b.dataset.bin,
              width: br.width, height: br.height, bottom: br.bottom};
    })
  });
}
for (const svg of document.querySelectorAll('svg.checks')) {
  const r = rect(svg);
  out.checks.push({
    exercise: svg.closest('section').id, width: r.width, height: r.height,
    rows: [...svg.querySelectorAll('g.check')].map(g => ({
      id: g.dataset.check, total: Number(g.dataset.total),
      label: g.querySelector('text.label').textContent,
      segs: [...g.querySelectorAll('rect.seg')].map(s => ({
        status: s.classList[1], count: Number(s.dataset.count),
        width: rect(s).width, left: rect(s).left
      }))
    }))
  });
}
return out;
"#;

const DRILL_DOWN: &str = r#"
const d = document.getElementById(arguments[0]);
if (!d) return null;
return {
  open: d.open,
  summary: d.querySelector('summary'),
  feedback: [...d.querySelectorAll('li.check')].map(li => {
    const pre = li.querySelector('pre.feedback');
    const r = pre ? pre.getBoundingClientRect() : {width: 0, height: 0};
    return {exercise: li.closest('article').dataset.exercise, check: li.dataset.check,
            visible: pre ? pre.checkVisibility() : false,
            width: r.width, height: r.height, text: pre ? pre.textContent : ''};
  })
};
"#;

#[test]
fn chromium_renders_the_charts_and_opens_a_learners_full_feedback() {
    // A workshop of twelve, graded for real.
    let templates = Templates::grade(&EXERCISES).unwrap_or_else(|e| panic!("{e}"));
    let learners: Vec<String> = (1..=12).map(|i| format!("grp{i:02}")).collect();
    let results = class(
        &templates,
        &ClassPlan {
            learners: &learners,
            course: Some("dns-2026"),
            start: 1_788_768_000,
            checker_errors: true,
        },
    );
    let latest = latest(&results);
    let work = std::env::temp_dir().join(format!(
        "grader-report-browser-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&work).expect("a temporary directory");
    let jsonl = work.join("results.jsonl");
    write_lines(&jsonl, &results).expect("write the results");
    let page = work.join("report.html");
    let out = Command::new(grader_tests::grader_binary())
        .args(["report", "--format", "html", "--results"])
        .arg(&jsonl)
        .arg("--output")
        .arg(&page)
        .output()
        .expect("run grader report");
    assert!(
        out.status.success(),
        "grader report: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let browser = Browser::start(work.join("profile"));
    browser.go(&format!("file://{}", page.display()));
    let title = browser.call("GET", &browser.session_path("/title"), None);
    assert_eq!(title, "Grader report");
    let viewport = browser.run("return [window.innerWidth, window.innerHeight];", json!([]));
    assert_eq!(viewport, json!([WINDOW.0, WINDOW.1]), "the page's viewport");

    // The charts: drawn, nothing fetched, sizes that follow the counts.
    let charts = browser.run(CHARTS, json!([]));
    assert_eq!(charts["resources"], json!([]), "the page loaded resources");
    let histograms = charts["histograms"].as_array().expect("histograms");
    assert_eq!(
        histograms.len(),
        EXERCISES.len(),
        "a histogram per exercise"
    );
    for (h, exercise) in histograms.iter().zip(EXERCISES) {
        assert_eq!(h["exercise"], format!("exercise-{exercise}"));
        assert!(
            h["width"].as_f64() > Some(300.0) && h["height"].as_f64() > Some(150.0),
            "{exercise}: the histogram is not drawn: {h}"
        );
        let graded: Vec<&Value> = latest
            .iter()
            .filter(|((_, e), v)| e == exercise && v["outcome"] == "graded")
            .map(|(_, v)| v)
            .collect();
        let maximum = graded[0]["score"]["maximum"].as_f64().expect("maximum");
        let bars = h["bars"].as_array().expect("bars");
        assert_eq!(
            bars.len(),
            maximum as usize + 1,
            "{exercise}: a bar per point"
        );
        assert_eq!(h["bins"].as_u64(), Some(bars.len() as u64));
        let counts: Vec<u64> = bars
            .iter()
            .map(|b| b["count"].as_u64().expect("count"))
            .collect();
        assert_eq!(
            counts.iter().sum::<u64>(),
            graded.len() as u64,
            "{exercise}: the bars count the graded learners"
        );
        let top = *counts.iter().max().expect("a bar");
        let tallest = bars
            .iter()
            .find(|b| b["count"].as_u64() == Some(top))
            .and_then(|b| b["height"].as_f64())
            .expect("the tallest bar");
        assert!(
            tallest > 100.0,
            "{exercise}: the tallest bar is {tallest} px"
        );
        let bottom = bars[0]["bottom"].as_f64().expect("bottom");
        let width = bars[0]["width"].as_f64().expect("width");
        assert!(width > 5.0, "{exercise}: bars {width} px wide");
        for b in bars {
            let count = b["count"].as_f64().expect("count");
            let height = b["height"].as_f64().expect("height");
            let want = count / top as f64 * tallest;
            assert!(
                (height - want).abs() < 1.0,
                "{exercise}: bar {} is {height} px for {count} learners, not {want}",
                b["bin"]
            );
            assert!((b["bottom"].as_f64().expect("bottom") - bottom).abs() < 0.5);
            assert!((b["width"].as_f64().expect("width") - width).abs() < 0.5);
        }
    }
    let checks = charts["checks"].as_array().expect("check charts");
    assert_eq!(checks.len(), EXERCISES.len(), "a check chart per exercise");
    let mut hidden_labels = 0;
    for (c, exercise) in checks.iter().zip(EXERCISES) {
        assert!(
            c["width"].as_f64() > Some(300.0) && c["height"].as_f64() > Some(50.0),
            "{exercise}: the check chart is not drawn: {c}"
        );
        let sample = latest
            .iter()
            .find(|((_, e), v)| e == exercise && v["outcome"] == "graded")
            .map(|(_, v)| v)
            .expect("a graded result");
        let rubric = sample["checks"].as_array().expect("checks");
        let rows = c["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), rubric.len(), "{exercise}: a bar per check");
        let mut full = None;
        for (row, check) in rows.iter().zip(rubric) {
            assert_eq!(row["id"], check["id"]);
            if check["visibility"] != "visible" {
                hidden_labels += 1;
                assert!(
                    row["label"]
                        .as_str()
                        .is_some_and(|l| l.ends_with("(hidden)")),
                    "{exercise}: the hidden check is not labelled: {row}"
                );
            }
            let segs = row["segs"].as_array().expect("segments");
            assert_eq!(segs.len(), 4, "{exercise}/{}", row["id"]);
            let total = row["total"].as_f64().expect("total");
            let widths: Vec<f64> = segs
                .iter()
                .map(|s| s["width"].as_f64().expect("w"))
                .collect();
            let sum: f64 = widths.iter().sum();
            let full = *full.get_or_insert(sum);
            assert!(full > 100.0, "{exercise}: bars {full} px wide");
            assert!((sum - full).abs() < 1.0, "{exercise}: every bar is as wide");
            let mut left = segs[0]["left"].as_f64().expect("left");
            for (s, w) in segs.iter().zip(&widths) {
                let want = s["count"].as_f64().expect("count") / total * full;
                assert!(
                    (w - want).abs() < 1.0,
                    "{exercise}/{}: {} is {w} px, not {want}",
                    row["id"],
                    s["status"]
                );
                if *w > 0.0 {
                    assert!((s["left"].as_f64().expect("left") - left).abs() < 1.0);
                }
                left += w;
            }
        }
    }
    assert!(hidden_labels > 0, "soa-and-ttl's hidden check is drawn");

    let top = browser.screenshot();
    let shot = save(&top, "report.png");

    // A learner stuck on glue: their drill-down opens on a click and shows
    // the full feedback.
    let learner = "grp01";
    let result = &latest[&(learner.to_string(), "delegation".to_string())];
    let failed: Vec<(&str, &str)> = result["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == "failed" && c["feedback"] != "")
        .map(|c| {
            (
                c["id"].as_str().expect("id"),
                c["feedback"].as_str().expect("feedback"),
            )
        })
        .collect();
    assert!(
        failed.iter().any(|(id, _)| *id == "glue"),
        "{learner} was to be stuck on glue: {result}"
    );
    let id = format!("learner-{learner}.dns-2026");
    let closed = browser.run(DRILL_DOWN, json!([id]));
    assert_eq!(closed["open"], false, "the drill-down starts closed");
    let feedback = closed["feedback"].as_array().expect("feedback");
    assert!(!feedback.is_empty(), "no check in the drill-down");
    assert!(
        feedback.iter().all(|f| f["visible"] == false),
        "feedback is visible before the click"
    );
    browser.run(
        "arguments[0].scrollIntoView({block: 'center'});",
        json!([closed["summary"]]),
    );
    browser.click(&closed["summary"]);
    let opened = browser.run(DRILL_DOWN, json!([id]));
    assert_eq!(opened["open"], true, "the click opens the drill-down");
    for (check, text) in &failed {
        let shown = opened["feedback"]
            .as_array()
            .expect("feedback")
            .iter()
            .find(|f| f["exercise"] == "delegation" && f["check"] == *check)
            .unwrap_or_else(|| panic!("no feedback of {check}"));
        assert!(
            shown["visible"] == true
                && shown["width"].as_f64() > Some(100.0)
                && shown["height"].as_f64() > Some(10.0),
            "{check}: the feedback is not visible: {shown}"
        );
        assert_eq!(shown["text"], *text, "{check}: the full feedback");
    }
    browser.run(
        "document.getElementById(arguments[0]).scrollIntoView({block: 'start'});",
        json!([id]),
    );
    let learner_shot = save(&browser.screenshot(), "report-learner.png");
    drop(browser);
    let _ = std::fs::remove_dir_all(&work);
    assert!(shot.is_file() && learner_shot.is_file());
}
