//! Makes the samples of the exercises on running servers from real servers:
//! `authoritative-server`, `signed-server` and `validating-resolver`.
//!
//! ```text
//! cargo run -p grader-tests --bin gen-probe-samples
//! ```
//!
//! For each scenario it starts the servers of `tests/servers/` on loopback
//! (BIND, NSD, Knot, Unbound: `tests/common/servers.rs`), sends the
//! exercise's probes as the worker does (`grader_worker::probe::run`) and
//! writes what came back to `examples/NAME.responses.json`, or runs `dig`
//! for each probe as a student would and writes its output to
//! `examples/NAME.dig`; and the zone the student hands in to
//! `examples/NAME.zone`. The expectations (`NAME.expect.toml`) are written
//! by hand: they say what grading these responses must give.
//!
//! Signed zones are signed afresh (new keys) on every run, so the signed
//! samples change bytes each time; their expectations do not.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use grader_core::exercise::Exercise;
use grader_core::probe::{Capture, Query};
use grader_core::response::Transport;
use grader_tests::root;
use grader_tests::servers::{
    Kind, LAB_ORIGIN, authoritative_lab, find_program, lab_zone, open_recursion_lab, resolver_lab,
    signed_lab,
};

/// The learner of every sample (the servers serve group 7's zone).
const LEARNER: &str = "grp7";

fn exercise(id: &str) -> Exercise {
    Exercise::load(&root().join("exercises").join(id)).unwrap_or_else(|e| panic!("{e}"))
}

fn examples(e: &Exercise) -> PathBuf {
    let dir = e.dir.join("examples");
    std::fs::create_dir_all(&dir).expect("create examples/");
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    println!(
        "wrote {}",
        path.strip_prefix(root()).unwrap_or(path).display()
    );
}

/// The exercise's probes sent to `addr`, as the worker sends them.
fn probe(e: &Exercise, addr: SocketAddr) -> Vec<Capture> {
    let queries = e.queries(LEARNER).expect("the probes");
    let settings = grader_worker::probe::Settings::of(&e.def.limits);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(grader_worker::probe::run(&queries, addr, settings))
}

fn write_captures(e: &Exercise, name: &str, captures: &[Capture]) {
    let json = serde_json::to_string_pretty(captures).expect("JSON") + "\n";
    write(&examples(e).join(format!("{name}.responses.json")), &json);
}

/// dig's options for a probe, as a student types them.
fn dig_options(q: &Query) -> Vec<String> {
    let mut o = Vec::new();
    if !q.recursion_desired {
        o.push("+norec".into());
    }
    if q.dnssec_ok {
        o.push("+dnssec".into());
    }
    if q.checking_disabled {
        o.push("+cd".into());
    }
    if !q.authentic_data {
        o.push("+noadflag".into());
    }
    if q.transport == Transport::Tcp {
        o.push("+tcp".into());
    }
    match q.edns_size {
        Some(size) => o.push(format!("+bufsize={size}")),
        None => o.push("+noedns".into()),
    }
    o
}

/// The output of `dig` for each probe in `ids` (all when empty), pasted
/// one after another.
fn dig_all(e: &Exercise, addr: SocketAddr, ids: &[&str]) -> String {
    let dig = find_program("dig", "bind9-dnsutils");
    let mut out = String::new();
    for q in e.queries(LEARNER).expect("the probes") {
        if !ids.is_empty() && !ids.contains(&q.id.as_str()) {
            continue;
        }
        let mut cmd = Command::new(&dig);
        cmd.args(["-r", "-p", &addr.port().to_string()])
            .arg(format!("@{}", addr.ip()))
            .arg(q.name.to_string())
            .arg(q.rtype.to_string())
            .args(dig_options(&q))
            .args(["+time=2", "+tries=1"]);
        let o = cmd.output().expect("dig runs");
        out.push_str(&String::from_utf8_lossy(&o.stdout));
        out.push('\n');
    }
    out
}

fn authoritative() {
    let e = exercise("authoritative-server");
    let dir = examples(&e);
    let zone = lab_zone().text;
    for (name, kind) in [
        ("bind-good", Kind::Bind),
        ("nsd-good", Kind::Nsd),
        ("knot-good", Kind::Knot),
    ] {
        let s = authoritative_lab(kind, false);
        write_captures(&e, name, &probe(&e, s.addr()));
        write(&dir.join(format!("{name}.zone")), &zone);
    }
    let stale = authoritative_lab(Kind::Nsd, true);
    write_captures(&e, "stale-serial", &probe(&e, stale.addr()));
    write(&dir.join("stale-serial.zone"), &zone);
    let open = open_recursion_lab();
    write_captures(&e, "open-recursion", &probe(&e, open.addr()));
    write(&dir.join("open-recursion.zone"), &zone);
    drop(open);
    // Nothing listens on a port just freed: every probe is refused.
    let closed = {
        let s = authoritative_lab(Kind::Knot, false);
        s.addr()
    };
    write_captures(&e, "no-server", &probe(&e, closed));
    write(&dir.join("no-server.zone"), &zone);
    // A server that does not answer (stopped): every probe times out.
    let stopped = authoritative_lab(Kind::Knot, false);
    stopped.pause();
    write_captures(&e, "server-stopped", &probe(&e, stopped.addr()));
    stopped.resume();
    write(&dir.join("server-stopped.zone"), &zone);
    let knot = authoritative_lab(Kind::Knot, false);
    write(&dir.join("dig-good.dig"), &dig_all(&e, knot.addr(), &[]));
    write(&dir.join("dig-good.zone"), &zone);
    write(
        &dir.join("dig-partial.dig"),
        &dig_all(&e, knot.addr(), &["soa", "nxdomain"]),
    );
    write(&dir.join("dig-partial.zone"), &zone);
}

fn signed() {
    let e = exercise("signed-server");
    let dir = examples(&e);
    for (name, kind) in [
        ("bind-signed", Kind::Bind),
        ("nsd-signed", Kind::Nsd),
        ("knot-signed", Kind::Knot),
    ] {
        let lab = signed_lab(kind);
        write_captures(&e, name, &probe(&e, lab.server.addr()));
        write(&dir.join(format!("{name}.zone")), &lab.zone.text);
    }
    // The usual mistake: the zone was signed, but the server still serves
    // the unsigned file.
    let lab = signed_lab(Kind::Nsd);
    let unsigned = authoritative_lab(Kind::Nsd, false);
    write_captures(&e, "unsigned-served", &probe(&e, unsigned.addr()));
    write(&dir.join("unsigned-served.zone"), &lab.zone.text);
    write(
        &dir.join("dig-signed.dig"),
        &dig_all(&e, lab.server.addr(), &[]),
    );
    write(&dir.join("dig-signed.zone"), &lab.zone.text);
}

fn resolver() {
    let e = exercise("validating-resolver");
    let dir = examples(&e);
    let lab = resolver_lab();
    write_captures(&e, "validating", &probe(&e, lab.validating.addr()));
    write_captures(&e, "no-trust-anchor", &probe(&e, lab.no_anchor.addr()));
    write(
        &dir.join("dig-validating.dig"),
        &dig_all(&e, lab.validating.addr(), &[]),
    );
    // The authoritative server itself given as the resolver: it refuses
    // recursion and sets no AD.
    write_captures(
        &e,
        "authoritative-not-resolver",
        &probe(&e, lab.auth.addr()),
    );
}

fn main() {
    assert_eq!(LAB_ORIGIN, format!("{LEARNER}.lab.example."));
    authoritative();
    signed();
    resolver();
}
