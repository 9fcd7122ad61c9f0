//! Exercises on running servers, end to end: real BIND, NSD, Knot DNS and
//! Unbound on loopback (`tests/common/servers.rs`, configurations in
//! `tests/servers/`), submissions naming them as `target` sent through
//! RabbitMQ, the worker probing them, and the results it publishes.
//!
//! - Each live situation has a sample made from the same servers
//!   (`exercises/*/examples/`, by `gen-probe-samples`): the worker's result
//!   must have that sample's outcome, score and statuses.
//! - Each result replayed offline (`grader grade --responses`) gives the
//!   same result.
//! - A target outside the worker's allowlist is refused, and no packet
//!   reaches it.

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use grader_tests::amqp::{
    TEST_RESULTS, Vhost, Worker, channel, connect, declare, publish, submission_properties, take,
};
use grader_tests::root;
use grader_tests::servers::{
    Kind, authoritative_lab, lab_zone, open_recursion_lab, resolver_lab, signed_lab,
};
use serde_json::{Value, json};

const AT: &str = "2026-11-29T10:00:00Z";
const SOON: Duration = Duration::from_secs(120);

/// One submission to a live server, and the sample whose expectation its
/// result must meet.
struct Case {
    exercise: &'static str,
    sample: &'static str,
    /// Which server, when several play the same sample.
    server: &'static str,
    zone: Option<String>,
    target: SocketAddr,
}

impl Case {
    fn id(&self) -> String {
        format!("{}/{}{}", self.exercise, self.sample, self.server)
    }

    fn body(&self) -> Vec<u8> {
        let mut artifacts = json!({
            "target": { "address": self.target.ip().to_string(), "port": self.target.port() },
        });
        if let Some(z) = &self.zone {
            artifacts["zone"] = json!({ "text": z });
        }
        serde_json::to_vec(&json!({
            "submission_id": self.id(),
            "exercise": { "id": self.exercise },
            "learner": "grp7",
            "submitted_at": AT,
            "artifacts": artifacts,
        }))
        .expect("JSON")
    }

    /// The sample's `expect.toml`.
    fn expectation(&self) -> toml::Table {
        let path = root().join(format!(
            "exercises/{}/examples/{}.expect.toml",
            self.exercise, self.sample
        ));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

/// The results by submission id.
fn by_id(results: &[grader_tests::amqp::Got]) -> BTreeMap<String, Value> {
    results
        .iter()
        .map(|r| {
            let v = r.json();
            (v["submission_id"].as_str().unwrap_or("").to_string(), v)
        })
        .collect()
}

/// A port on 127.0.0.1 where nothing listens (free when asked).
fn closed_port() -> SocketAddr {
    let s = UdpSocket::bind("127.0.0.1:0").expect("a UDP socket");
    s.local_addr().expect("its address")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// The result of grading `file` again offline, as `grader grade` prints it.
fn replay(case: &Case, result: &Value, dir: &Path) -> Value {
    let file = dir.join(format!("{}{}.json", case.sample, case.server));
    std::fs::write(&file, serde_json::to_vec(result).expect("JSON")).expect("write");
    let mut cmd = Command::new(grader_tests::grader_binary());
    cmd.args(["grade", "--format", "json", "--learner", "grp7", "--at", AT])
        .arg(root().join("exercises").join(case.exercise))
        .arg("--responses")
        .arg(&file);
    if let Some(z) = &case.zone {
        let zone = dir.join(format!("{}{}.zone", case.sample, case.server));
        std::fs::write(&zone, z).expect("write");
        cmd.arg("--zone").arg(zone);
    }
    let out = cmd.output().expect("grader runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: grader grade --responses printed no JSON ({e}): {}",
            case.id(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// What a result and its offline replay share: everything but `timing`
/// and what the result message adds.
fn graded_part(v: &Value) -> Value {
    let mut v = v.clone();
    let o = v.as_object_mut().expect("an object");
    for key in ["timing", "submission_id", "course", "lti_score"] {
        o.remove(key);
    }
    v
}

#[test]
fn the_worker_probes_real_servers_and_scores_them_as_their_samples() {
    // Servers are started from this thread (see servers.rs: they die with it).
    let zone = lab_zone().text;
    let bind = authoritative_lab(Kind::Bind, false);
    let nsd = authoritative_lab(Kind::Nsd, false);
    let knot = authoritative_lab(Kind::Knot, false);
    let stale = authoritative_lab(Kind::Nsd, true);
    let stale_bind = authoritative_lab(Kind::Bind, true);
    let stale_knot = authoritative_lab(Kind::Knot, true);
    let open = open_recursion_lab();
    let stopped = authoritative_lab(Kind::Knot, false);
    stopped.pause();
    let signed_bind = signed_lab(Kind::Bind);
    let signed_nsd = signed_lab(Kind::Nsd);
    let signed_knot = signed_lab(Kind::Knot);
    let unsigned = authoritative_lab(Kind::Nsd, false);
    let resolvers = resolver_lab();

    let auth = |sample, target| Case {
        exercise: "authoritative-server",
        sample,
        server: "",
        zone: Some(zone.clone()),
        target,
    };
    let signed = |sample, target, zone: &str| Case {
        exercise: "signed-server",
        sample,
        server: "",
        zone: Some(zone.to_string()),
        target,
    };
    let resolver = |sample, target| Case {
        exercise: "validating-resolver",
        sample,
        server: "",
        zone: None,
        target,
    };
    let cases = vec![
        auth("bind-good", bind.addr()),
        auth("nsd-good", nsd.addr()),
        auth("knot-good", knot.addr()),
        auth("stale-serial", stale.addr()),
        // The same mistake on the other two servers: the same grading.
        Case {
            server: "@bind",
            ..auth("stale-serial", stale_bind.addr())
        },
        Case {
            server: "@knot",
            ..auth("stale-serial", stale_knot.addr())
        },
        auth("open-recursion", open.addr()),
        auth("no-server", closed_port()),
        auth("server-stopped", stopped.addr()),
        signed(
            "bind-signed",
            signed_bind.server.addr(),
            &signed_bind.zone.text,
        ),
        signed(
            "nsd-signed",
            signed_nsd.server.addr(),
            &signed_nsd.zone.text,
        ),
        signed(
            "knot-signed",
            signed_knot.server.addr(),
            &signed_knot.zone.text,
        ),
        signed("unsigned-served", unsigned.addr(), &signed_nsd.zone.text),
        resolver("validating", resolvers.validating.addr()),
        resolver("no-trust-anchor", resolvers.no_anchor.addr()),
        resolver("authoritative-not-resolver", resolvers.auth.addr()),
    ];

    let vhost = Vhost::create("probes");
    let results = runtime().block_on(async {
        let conn = connect(&vhost.url()).await;
        let ch = channel(&conn).await;
        declare(&ch, 5).await;
        let worker = Worker::start(&vhost.url(), &[]).await;
        for c in &cases {
            publish(&ch, &c.body(), submission_properties()).await;
        }
        let got = take(&ch, TEST_RESULTS, cases.len(), SOON).await;
        let probes = worker.metric("grader_probes_total").await;
        assert!(
            probes.is_some_and(|n| n >= 60.0),
            "the worker counts the probes it sent: {probes:?}"
        );
        got
    });
    stopped.resume();
    let by_id = by_id(&results);
    let dir = grader_tests::amqp::TempDir::new("probe-replay");
    for c in &cases {
        let id = c.id();
        let v = by_id
            .get(&id)
            .unwrap_or_else(|| panic!("no result for {id}"));
        let expect = c.expectation();
        assert_eq!(
            v["outcome"].as_str(),
            expect["outcome"].as_str(),
            "{id}: {v}"
        );
        assert_eq!(
            v["score"]["given"].as_f64(),
            expect
                .get("score")
                .and_then(|s| s.as_float().or_else(|| s.as_integer().map(|i| i as f64))),
            "{id}: {v:#}"
        );
        let checks = expect["checks"].as_table().expect("[checks]");
        for check in v["checks"].as_array().expect("checks") {
            let cid = check["id"].as_str().expect("an id");
            assert_eq!(
                check["status"].as_str(),
                checks.get(cid).and_then(|s| s.as_str()),
                "{id}: check {cid}: {check:#}"
            );
        }
        // The captures: one per probe, probed, from the target.
        assert_eq!(v["target"], c.target.to_string(), "{id}");
        let responses = v["responses"].as_array().expect("responses");
        assert!(!responses.is_empty(), "{id}");
        for r in responses {
            assert_eq!(r["source"], "probed", "{id}: {r}");
        }
        // Graded again offline from the result: the same result.
        let again = replay(c, v, &dir.path);
        assert_eq!(graded_part(&again), graded_part(v), "{id}: replayed");
    }
}

#[test]
fn a_target_outside_the_allowlist_is_refused_and_no_packet_reaches_it() {
    // Listeners at the refused target: on 127.0.0.2, outside the worker's
    // allowlist (127.0.0.1 only), UDP and TCP on the same port.
    let udp = UdpSocket::bind("127.0.0.2:0").expect("bind 127.0.0.2 (loopback)");
    let target = udp.local_addr().expect("its address");
    let tcp = TcpListener::bind(target).expect("TCP on the same port");
    tcp.set_nonblocking(true).expect("non-blocking");
    udp.set_read_timeout(Some(Duration::from_millis(300)))
        .expect("a timeout");
    // The allowed control: a real server on 127.0.0.1, probed by the same
    // worker, so that a refusal is not probing that does not work at all.
    let knot = authoritative_lab(Kind::Knot, false);
    let zone = lab_zone().text;
    let refused = Case {
        exercise: "authoritative-server",
        sample: "refused",
        server: "",
        zone: Some(zone.clone()),
        target,
    };
    let allowed = Case {
        exercise: "authoritative-server",
        sample: "knot-good",
        server: "",
        zone: Some(zone),
        target: knot.addr(),
    };
    let vhost = Vhost::create("allowlist");
    let results = runtime().block_on(async {
        let conn = connect(&vhost.url()).await;
        let ch = channel(&conn).await;
        declare(&ch, 5).await;
        let worker = Worker::start(&vhost.url(), &["--probe-allow", "127.0.0.1/32"]).await;
        publish(&ch, &refused.body(), submission_properties()).await;
        publish(&ch, &allowed.body(), submission_properties()).await;
        let got = take(&ch, TEST_RESULTS, 2, SOON).await;
        drop(worker);
        got
    });
    let by_id = by_id(&results);
    let v = &by_id[&refused.id()];
    assert_eq!(v["outcome"], "invalid_submission", "{v:#}");
    let message = v["message"].as_str().unwrap_or("");
    assert!(
        message.contains(&target.to_string()) && message.contains("127.0.0.1/32"),
        "the message names the target and what is allowed: {message}"
    );
    assert_eq!(v["target"], target.to_string());
    assert!(v.get("responses").is_none(), "no responses: {v:#}");
    assert_eq!(
        v["lti_score"]["gradingProgress"], "Failed",
        "not a zero: {v:#}"
    );
    let mut buf = [0u8; 512];
    match udp.recv_from(&mut buf) {
        Ok((n, from)) => panic!("the refused target received {n} bytes over UDP from {from}"),
        Err(e) => assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "{e}"
        ),
    }
    match tcp.accept() {
        Ok((_, from)) => panic!("the refused target got a TCP connection from {from}"),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}"),
    }
    let ok = &by_id[&allowed.id()];
    assert_eq!(ok["outcome"], "graded", "{ok:#}");
    assert_eq!(ok["score"]["given"].as_f64(), Some(16.0), "{ok:#}");
}

/// `grader grade --target` probes a live server; its JSON result, handed
/// back with `--responses`, grades to the same bytes (but the checker's
/// wall time).
#[test]
fn the_cli_probes_and_its_result_replays_to_the_same_bytes() {
    let knot = authoritative_lab(Kind::Knot, false);
    let dir = grader_tests::amqp::TempDir::new("cli-replay");
    let zone = dir.path.join("grp7.zone");
    std::fs::write(&zone, lab_zone().text).expect("write");
    let grade = |extra: &[&str]| {
        let out = Command::new(grader_tests::grader_binary())
            .args(["grade", "--format", "json", "--learner", "grp7", "--at", AT])
            .arg(root().join("exercises/authoritative-server"))
            .arg("--zone")
            .arg(&zone)
            .args(extra)
            .output()
            .expect("grader runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The one field that is not a function of the inputs.
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let at = text.find("\"checker_us\": ").expect("a timing field");
        let end = text[at..].find('\n').expect("a line") + at;
        format!("{}\"checker_us\": 0{}", &text[..at], &text[end..])
    };
    let probed = grade(&["--target", &knot.addr().to_string()]);
    let file = dir.path.join("result.json");
    std::fs::write(&file, &probed).expect("write");
    let replayed = grade(&["--responses", &file.to_string_lossy()]);
    assert_eq!(replayed, probed);
    let v: Value = serde_json::from_str(&probed).expect("JSON");
    assert_eq!(v["score"]["given"].as_f64(), Some(16.0), "{v:#}");
    assert_eq!(v["target"], knot.addr().to_string());
    // Refused before any packet: a target outside the default allowlist.
    let out = Command::new(grader_tests::grader_binary())
        .args(["grade", "--learner", "grp7", "--at", AT])
        .arg(root().join("exercises/authoritative-server"))
        .arg("--zone")
        .arg(&zone)
        .args(["--target", "192.0.2.53"])
        .output()
        .expect("grader runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("192.0.2.53:53") && stderr.contains("127.0.0.0/8"),
        "{stderr}"
    );
}
