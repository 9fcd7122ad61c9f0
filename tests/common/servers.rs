//! Real DNS servers on loopback for the tests: BIND 9, NSD and Knot DNS as a
//! student's authoritative server, Unbound as a student's validating
//! resolver. Their configuration templates and zones are the fixtures in
//! `tests/servers/` (see its README).
//!
//! Each [`Server`] runs in the foreground as a child process on 127.0.0.1
//! with a port of its own (the same for UDP and TCP), in its own temporary
//! work directory; it answers before [`Server::start`] returns and is killed
//! (with any process it forked) when dropped, also when the test panics. If
//! the test process itself is killed, the kernel kills the server too
//! (`setpriv --pdeathsig KILL`); the signal follows the *thread* that started
//! the server, so start servers from the test's thread or a thread that
//! outlives them (not from `spawn_blocking`).
//!
//! A missing server binary fails the test with the Debian package to
//! install (`bash scripts/test.sh` installs them all); nothing is skipped.
//!
//! [`query`] is a small blocking client (std sockets, hickory-proto
//! messages) for the tests to ask those servers directly.

use std::fmt;
use std::fs::File;
use std::io::{self, Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{DNSClass, Name, RecordType};

use crate::{root, run, signing};

/// The student zone of the server labs.
pub const LAB_ORIGIN: &str = "grp7.lab.example.";
/// The SOA serial of the zone the student hands in (and the good server serves).
pub const LAB_SERIAL: u32 = 2026112901;
/// The SOA serial the broken server serves.
pub const BROKEN_SERIAL: u32 = 2026112801;
/// The instructors' signed zone of the resolver lab.
pub const RESOLVER_ORIGIN: &str = "resolver-lab.example.";
/// A name of the resolver lab whose A record validates.
pub const RESOLVER_GOOD: &str = "www.resolver-lab.example.";
/// A name of the resolver lab whose A record's signature is damaged.
pub const RESOLVER_BOGUS: &str = "bogus.resolver-lab.example.";

/// How long a server may take to answer after it is started.
const START_DEADLINE: Duration = Duration::from_secs(15);

/// A DNS server implementation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Bind,
    Nsd,
    Knot,
    Unbound,
}

impl Kind {
    /// The authoritative servers.
    pub const AUTHORITATIVE: [Kind; 3] = [Kind::Bind, Kind::Nsd, Kind::Knot];

    /// The server's program and the Debian package that installs it.
    pub fn program(self) -> (&'static str, &'static str) {
        match self {
            Kind::Bind => ("named", "bind9"),
            Kind::Nsd => ("nsd", "nsd"),
            Kind::Knot => ("knotd", "knot"),
            Kind::Unbound => ("unbound", "unbound"),
        }
    }

    /// The fixture directory under `tests/servers/`.
    fn fixture_dir(self) -> &'static str {
        match self {
            Kind::Bind => "bind",
            Kind::Nsd => "nsd",
            Kind::Knot => "knot",
            Kind::Unbound => "unbound",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Bind => "BIND",
            Kind::Nsd => "NSD",
            Kind::Knot => "Knot",
            Kind::Unbound => "Unbound",
        })
    }
}

/// A zone to serve: its origin (absolute) and its text in master-file form.
#[derive(Clone, Debug)]
pub struct Zone {
    pub origin: String,
    pub text: String,
}

/// What a server serves and how.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// Authoritative servers: the zones (at least one; the first is the one
    /// asked for its SOA to know the server is up).
    pub zones: Vec<Zone>,
    /// BIND only: recursion open to anyone (`recursion yes; allow-recursion
    /// { any; }`), with root hints leading to a loopback address where
    /// nothing listens. Otherwise `recursion no`.
    pub open_recursion: bool,
    /// Unbound only: stub zones, each an origin and the authoritative
    /// server's address.
    pub stubs: Vec<(String, SocketAddr)>,
    /// Unbound only: trust anchors, each a DS or DNSKEY record in
    /// presentation form (`origin. DS 12345 13 2 ABCD...`). None: Unbound
    /// validates nothing and never sets AD.
    pub trust_anchors: Vec<String>,
}

/// A running server, killed when dropped.
pub struct Server {
    kind: Kind,
    addr: SocketAddr,
    child: Child,
    started_in: Duration,
    // Last: removed after Drop has killed the server.
    dir: WorkDir,
}

/// A temporary directory, removed when dropped.
struct WorkDir(PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("kind", &self.kind)
            .field("addr", &self.addr)
            .field("dir", &self.dir.0)
            .field("pid", &self.child.id())
            .finish()
    }
}

/// Why one attempt to start a server failed.
enum StartError {
    /// Another socket took the port between its choice and the server's bind:
    /// try another port.
    PortTaken(String),
    Failed(String),
}

impl Server {
    /// Starts `kind` serving `spec` on 127.0.0.1 and a free port, and waits
    /// until it answers over UDP and TCP (an authoritative server: the SOA of
    /// its first zone, authoritatively; Unbound: `id.server. CH TXT`).
    /// Panics with the server's log if it does not answer within 15 s.
    pub fn start(kind: Kind, spec: &Spec) -> Server {
        let binary = program(kind);
        let mut last = String::new();
        for _attempt in 0..4 {
            match Server::try_start(kind, &binary, spec, free_addr()) {
                Ok(server) => return server,
                Err(StartError::PortTaken(log)) => last = log,
                Err(StartError::Failed(why)) => panic!("{kind} did not start: {why}"),
            }
        }
        panic!("{kind} did not start: its port was taken four times; last log:\n{last}");
    }

    fn try_start(
        kind: Kind,
        binary: &Path,
        spec: &Spec,
        addr: SocketAddr,
    ) -> Result<Server, StartError> {
        let probe = match kind {
            Kind::Unbound => Probe::IdServer,
            _ => Probe::Soa(
                spec.zones
                    .first()
                    .unwrap_or_else(|| panic!("{kind} needs at least one zone"))
                    .origin
                    .clone(),
            ),
        };
        let dir = work_dir(kind.fixture_dir());
        let config = configure(kind, spec, &dir.0, addr);
        let log_path = dir.0.join("log");
        let log = File::create(&log_path).expect("create the server log");
        let mut cmd = Command::new("setpriv");
        cmd.args(["--pdeathsig", "KILL", "--"]).arg(binary);
        match kind {
            Kind::Bind => cmd.args(["-g", "-4", "-n", "1", "-u", "root", "-c"]),
            Kind::Nsd => cmd.args(["-d", "-c"]),
            Kind::Knot => cmd.arg("-c"),
            Kind::Unbound => cmd.args(["-d", "-c"]),
        };
        cmd.arg(&config)
            .current_dir(&dir.0)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone the log handle"))
            .stderr(log)
            // Its own process group, so that Drop kills what it forks too.
            .process_group(0);
        let started = Instant::now();
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start {kind} ({cmd:?}): {e} (setpriv is in util-linux)")
        });
        let mut server = Server {
            kind,
            addr,
            dir,
            child,
            started_in: Duration::ZERO,
        };
        let deadline = started + START_DEADLINE;
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = server.log();
                let why = format!("it exited ({status}); its log:\n{log}");
                return Err(if port_taken(&log) {
                    StartError::PortTaken(log)
                } else {
                    StartError::Failed(why)
                });
            }
            let last_error = match probe.check(addr) {
                Ok(()) => break,
                Err(e) => e,
            };
            if Instant::now() >= deadline {
                return Err(StartError::Failed(format!(
                    "no good answer on {addr} within {START_DEADLINE:?} (last: {last_error}); \
                     its log:\n{}",
                    server.log()
                )));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        server.started_in = started.elapsed();
        let log = server.log();
        if port_taken(&log) {
            // What answered may be another process on the same port.
            return Err(StartError::PortTaken(log));
        }
        Ok(server)
    }

    /// The address (127.0.0.1) and port it serves on, over UDP and TCP.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Its work directory (configuration, zone files, log), removed on drop.
    pub fn dir(&self) -> &Path {
        &self.dir.0
    }

    /// How long it took from the start of the process to its first good
    /// answers over UDP and TCP.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// The server's process id (also its process group's).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server's processes (SIGSTOP) without killing them: queries
    /// then time out, as with a server that hangs.
    pub fn pause(&self) {
        self.signal_group("STOP");
        // The signal takes effect asynchronously: wait until every thread
        // of every process of the group is stopped, so that no query sent
        // after this returns is answered.
        let deadline = Instant::now() + Duration::from_secs(5);
        while !group_members(self.pid())
            .into_iter()
            .all(all_threads_stopped)
        {
            assert!(
                Instant::now() < deadline,
                "{} did not stop within 5 s of SIGSTOP",
                self.kind
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Lets a paused server go on (SIGCONT).
    pub fn resume(&self) {
        self.signal_group("CONT");
    }

    fn signal_group(&self, signal: &str) {
        let status = Command::new("kill")
            .args(["-s", signal, "--", &format!("-{}", self.pid())])
            .status()
            .expect("cannot run kill");
        assert!(status.success(), "kill -s {signal} -{} failed", self.pid());
    }

    /// What it has logged so far (stdout and stderr).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.0.join("log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The whole process group: NSD forks a server and a transfer process.
        let pid = self.child.id();
        let group = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{pid}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !group.is_ok_and(|s| s.success()) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        // SIGKILL is delivered at once but the forked processes take a moment
        // to die: wait for them, so that nothing is left when this returns.
        let deadline = Instant::now() + Duration::from_secs(5);
        while !group_members(pid).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// Whether every thread of process `pid` is stopped (state `T`), from
/// /proc; a process that is gone counts as stopped.
fn all_threads_stopped(pid: u32) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return true;
    };
    tasks.flatten().all(|t| {
        std::fs::read_to_string(t.path().join("stat")).map_or(true, |stat| {
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .is_none_or(|state| state == "T" || state == "t")
        })
    })
}

/// The live (not zombie) processes of process group `pgid`, from /proc.
pub fn group_members(pgid: u32) -> Vec<u32> {
    let mut pids = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return pids;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp ...
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.first() != Some(&"Z") && fields.get(2) == Some(&pgid.to_string().as_str()) {
            pids.push(pid);
        }
    }
    pids
}

/// How [`Server::start`] knows a server is up.
enum Probe {
    Soa(String),
    IdServer,
}

impl Probe {
    fn check(&self, addr: SocketAddr) -> Result<(), String> {
        for tcp in [false, true] {
            let (name, rtype, class) = match self {
                Probe::Soa(origin) => (origin.as_str(), RecordType::SOA, DNSClass::IN),
                Probe::IdServer => ("id.server.", RecordType::TXT, DNSClass::CH),
            };
            let flags = Flags {
                tcp,
                ..Flags::default()
            };
            let mut request = request(name, rtype, flags);
            request.queries[0].set_query_class(class);
            let bytes = exchange(addr, &request, tcp, Duration::from_millis(250))
                .map_err(|e| format!("{}: {e}", transport(tcp)))?;
            let response = Message::from_vec(&bytes)
                .map_err(|e| format!("{}: undecodable response: {e}", transport(tcp)))?;
            let good = response.response_code == ResponseCode::NoError
                && !response.answers.is_empty()
                && (matches!(self, Probe::IdServer) || response.authoritative);
            if !good {
                return Err(format!(
                    "{}: {} with {} answers (aa={})",
                    transport(tcp),
                    response.response_code,
                    response.answers.len(),
                    response.authoritative
                ));
            }
        }
        Ok(())
    }
}

fn transport(tcp: bool) -> &'static str {
    if tcp { "TCP" } else { "UDP" }
}

fn port_taken(log: &str) -> bool {
    // NSD, Knot, Unbound: "address (already) in use"; BIND: "creating IPv4
    // interface lo failed" then "unable to listen on any configured interfaces".
    let log = log.to_ascii_lowercase();
    [
        "address in use",
        "address already in use",
        "unable to listen on any",
    ]
    .iter()
    .any(|m| log.contains(m))
}

/// Finds a server program on PATH, /usr/sbin or /sbin; a missing one fails
/// the test with the package to install.
pub fn program(kind: Kind) -> PathBuf {
    let (name, package) = kind.program();
    find_program(name, package)
}

/// Finds `name` on PATH, /usr/sbin or /sbin, or panics naming the Debian
/// `package` that installs it.
pub fn find_program(name: &str, package: &str) -> PathBuf {
    if let Some(found) = crate::on_path(name) {
        return found;
    }
    panic!(
        "`{name}` is not installed: it comes with the Debian package {package}; run `bash \
         scripts/test.sh`, which installs it (or `apt-get install {package}`)"
    );
}

/// A fresh, empty work directory named after `label`.
fn work_dir(label: &str) -> WorkDir {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    let parent = std::env::temp_dir().join("grader-test-servers");
    // Directories of test processes that were killed before they could
    // remove them (LABEL-PID-N, PID no longer running).
    SWEPT.call_once(|| {
        for entry in std::fs::read_dir(&parent).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let pid = name.rsplit('-').nth(1).and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = parent.join(format!("{label}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    WorkDir(dir)
}

/// A port of 127.0.0.1 free for both UDP and TCP right now, picked at
/// random below the kernel's ephemeral range (`ip_local_port_range`).
///
/// Not the kernel's choice of a free port: that comes from the ephemeral
/// range, where a client's socket may later get the same port. BIND,
/// Knot and Unbound listen with `SO_REUSEPORT`, and so does dig's socket:
/// a dig whose source port was the server's port once received its own
/// query. A server that cannot bind a port taken meanwhile by a parallel
/// test is started again on another ([`Server::start`]).
fn free_addr() -> SocketAddr {
    let low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse::<u16>().ok())
        .unwrap_or(32768);
    let (from, to) = if low > 11_000 {
        (10_000, low - 1)
    } else {
        (1_024, 9_999)
    };
    for _ in 0..1000 {
        let r = u16::from_le_bytes(
            uuid::Uuid::new_v4().as_bytes()[..2]
                .try_into()
                .expect("two bytes"),
        );
        let port = from + r % (to - from + 1);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        if UdpSocket::bind(addr).is_ok() && TcpListener::bind(addr).is_ok() {
            return addr;
        }
    }
    panic!("no port of 127.0.0.1 between {from} and {to} is free for both UDP and TCP");
}

/// A fixture of `tests/servers/`.
pub fn fixture(path: &str) -> String {
    let path = root().join("tests/servers").join(path);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the fixture {}: {e}", path.display()))
}

/// Replaces each `{{KEY}}` of `template`; a placeholder left over is a bug
/// in the fixture.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_string();
    for (key, value) in values {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    let left = text.match_indices("{{").find(|(at, _)| {
        let rest = &text[at + 2..];
        rest.find("}}").is_some_and(|end| {
            end > 0
                && rest[..end]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b == b'_')
        })
    });
    assert!(
        left.is_none(),
        "a placeholder is left in a server template:\n{text}"
    );
    text
}

/// Writes the configuration (and zone files, root hints) of `kind` into
/// `dir` and returns the configuration's path.
fn configure(kind: Kind, spec: &Spec, dir: &Path, addr: SocketAddr) -> PathBuf {
    let fixtures = kind.fixture_dir();
    let dir_text = dir.to_str().expect("a UTF-8 temporary directory");
    let address = addr.ip().to_string();
    let port = addr.port().to_string();
    let hints = dir.join("root.hints");
    std::fs::write(&hints, fixture("root.hints")).expect("write the root hints");
    let hints = hints.to_str().expect("UTF-8").to_string();
    if kind == Kind::Unbound {
        assert!(spec.zones.is_empty(), "Unbound serves no zone here");
    } else {
        assert!(
            spec.stubs.is_empty() && spec.trust_anchors.is_empty(),
            "stub zones and trust anchors are for Unbound"
        );
    }
    assert!(
        !spec.open_recursion || kind == Kind::Bind,
        "open recursion is a BIND configuration"
    );
    let mut zones = String::new();
    for (i, zone) in spec.zones.iter().enumerate() {
        assert!(
            zone.origin.ends_with('.'),
            "the origin {} is not absolute",
            zone.origin
        );
        let file = format!("zone{i}.zone");
        std::fs::write(dir.join(&file), &zone.text).expect("write a zone file");
        zones.push_str(&fill(
            &fixture(&format!("{fixtures}/zone.conf")),
            &[("ORIGIN", &zone.origin), ("FILE", &file)],
        ));
    }
    let config = match kind {
        Kind::Bind => {
            let recursion = if spec.open_recursion {
                zones.push_str(&fill(
                    &fixture("bind/hints.conf"),
                    &[("ROOT_HINTS", &hints)],
                ));
                fixture("bind/recursion-open.conf")
            } else {
                fixture("bind/recursion-closed.conf")
            };
            fill(
                &fixture("bind/named.conf"),
                &[
                    ("DIR", dir_text),
                    ("ADDRESS", &address),
                    ("PORT", &port),
                    ("RECURSION", recursion.trim_end()),
                    ("ZONES", &zones),
                ],
            )
        }
        Kind::Nsd | Kind::Knot => fill(
            &fixture(&format!("{fixtures}/{fixtures}.conf")),
            &[
                ("DIR", dir_text),
                ("ADDRESS", &address),
                ("PORT", &port),
                ("ZONES", &zones),
            ],
        ),
        Kind::Unbound => {
            let mut stubs = String::new();
            for (origin, stub) in &spec.stubs {
                stubs.push_str(&fill(
                    &fixture("unbound/stub.conf"),
                    &[
                        ("ORIGIN", origin),
                        ("STUB_ADDRESS", &stub.ip().to_string()),
                        ("STUB_PORT", &stub.port().to_string()),
                    ],
                ));
            }
            let mut anchors = String::new();
            for anchor in &spec.trust_anchors {
                let record = anchor.split_whitespace().collect::<Vec<_>>().join(" ");
                anchors.push_str(&fill(
                    &fixture("unbound/trust-anchor.conf"),
                    &[("RECORD", &record)],
                ));
            }
            fill(
                &fixture("unbound/unbound.conf"),
                &[
                    ("DIR", dir_text),
                    ("ADDRESS", &address),
                    ("PORT", &port),
                    ("ROOT_HINTS", &hints),
                    ("TRUST_ANCHORS", &anchors),
                    ("STUBS", &stubs),
                ],
            )
        }
    };
    let path = dir.join(match kind {
        Kind::Bind => "named.conf",
        Kind::Nsd => "nsd.conf",
        Kind::Knot => "knot.conf",
        Kind::Unbound => "unbound.conf",
    });
    std::fs::write(&path, config).expect("write the configuration");
    path
}

// --- the labs ----------------------------------------------------------------

/// The text of a zone of `tests/servers/zones/`.
pub fn zone_text(file: &str) -> String {
    fixture(&format!("zones/{file}"))
}

/// The zone the student hands in for the authoritative lab (serial
/// [`LAB_SERIAL`]): `tests/servers/zones/grp7.lab.example.zone`.
pub fn lab_zone() -> Zone {
    Zone {
        origin: LAB_ORIGIN.into(),
        text: zone_text("grp7.lab.example.zone"),
    }
}

/// The authoritative lab: `kind` (BIND, NSD or Knot) serving
/// `grp7.lab.example.`; the good zone, or when `broken` the same zone with
/// the older serial [`BROKEN_SERIAL`] (`grp7.lab.example.broken.zone`),
/// while the student hands in the good one. BIND's recursion is closed
/// (for an open one, [`Server::start`] with [`Spec::open_recursion`]).
pub fn authoritative_lab(kind: Kind, broken: bool) -> Server {
    assert!(
        kind != Kind::Unbound,
        "Unbound is not an authoritative server"
    );
    let zone = if broken {
        Zone {
            origin: LAB_ORIGIN.into(),
            text: zone_text("grp7.lab.example.broken.zone"),
        }
    } else {
        lab_zone()
    };
    Server::start(
        kind,
        &Spec {
            zones: vec![zone],
            ..Spec::default()
        },
    )
}

/// BIND serving the lab's good zone, left open to recursion (the usual
/// mistake of the authoritative lab): RA on every response, SERVFAIL at
/// once for names outside the zone (its root hints lead nowhere).
pub fn open_recursion_lab() -> Server {
    Server::start(
        Kind::Bind,
        &Spec {
            zones: vec![lab_zone()],
            open_recursion: true,
            ..Spec::default()
        },
    )
}

/// A zone signed by the test with BIND's tools (ECDSA P-256 KSK and ZSK made
/// in a temporary directory and deleted; signatures valid from 2025 to 2080).
#[derive(Clone, Debug)]
pub struct SignedZone {
    pub origin: String,
    /// The signed zone (dnssec-signzone's output).
    pub text: String,
    /// The KSK's DS record (SHA-256), one line in presentation form.
    pub ds: String,
}

impl SignedZone {
    pub fn zone(&self) -> Zone {
        Zone {
            origin: self.origin.clone(),
            text: self.text.clone(),
        }
    }
}

/// Signs `text` (a zone of `origin`) with NSEC3 (no salt, 0 iterations,
/// RFC 9276) or NSEC; `one_line` writes one record per line (`-O full`).
pub fn sign_zone(origin: &str, text: &str, nsec3: bool, one_line: bool) -> SignedZone {
    let keys = work_dir("keys");
    let dir = keys.0.as_path();
    let check = |cmd: &mut Command| {
        let out = run(cmd);
        assert!(
            out.status.success(),
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let keygen = |args: &[&str]| {
        check(
            Command::new(find_program("dnssec-keygen", "bind9-utils"))
                .args(["-q", "-K"])
                .arg(dir)
                .args(args)
                .arg(origin),
        )
    };
    let ksk = keygen(&["-a", "13", "-f", "KSK"]);
    let zsk = keygen(&["-a", "13"]);
    std::fs::write(dir.join("unsigned.zone"), text).expect("write the zone");
    let mut signer = Command::new(find_program("dnssec-signzone", "bind9-utils"));
    signer
        .current_dir(dir)
        .args(["-q", "-S", "-K"])
        .arg(dir)
        .args([
            "-o",
            origin,
            "-s",
            signing::INCEPTION,
            "-e",
            signing::EXPIRATION,
        ])
        .args(["-f", "signed.zone"]);
    if nsec3 {
        signer.args(["-3", "-", "-H", "0"]);
    }
    if one_line {
        signer.args(["-O", "full"]);
    }
    signer.arg("unsigned.zone").args([&ksk, &zsk]);
    check(&mut signer);
    let ds = check(
        Command::new(find_program("dnssec-dsfromkey", "bind9-utils"))
            .arg("-2")
            .arg(dir.join(format!("{ksk}.key"))),
    );
    let signed = std::fs::read_to_string(dir.join("signed.zone")).expect("read the signed zone");
    // The private keys go with the directory.
    drop(keys);
    SignedZone {
        origin: origin.into(),
        text: signed,
        ds,
    }
}

/// The signed-server lab: `kind` (BIND, NSD or Knot) serving
/// `grp7.lab.example.` signed with NSEC3, and that signed zone (what the
/// student hands in).
pub struct SignedLab {
    pub server: Server,
    pub zone: SignedZone,
}

/// Starts the signed-server lab; see [`SignedLab`].
pub fn signed_lab(kind: Kind) -> SignedLab {
    assert!(
        kind != Kind::Unbound,
        "Unbound is not an authoritative server"
    );
    let zone = sign_zone(LAB_ORIGIN, &lab_zone().text, true, false);
    let server = Server::start(
        kind,
        &Spec {
            zones: vec![zone.zone()],
            ..Spec::default()
        },
    );
    SignedLab { server, zone }
}

/// The resolver lab: the instructors' zone `resolver-lab.example.` signed
/// (NSEC) with the signature of `bogus A` damaged, served by NSD (`auth`);
/// the student's Unbound with a stub zone to it and the zone's DS as trust
/// anchor (`validating`: AD for www, SERVFAIL for bogus); and the same
/// Unbound without the trust anchor (`no_anchor`, the usual mistake: never
/// AD, and it answers for bogus).
pub struct ResolverLab {
    pub auth: Server,
    pub validating: Server,
    pub no_anchor: Server,
    /// The zone `auth` serves (damaged), and its DS.
    pub zone: SignedZone,
}

/// Starts the resolver lab; see [`ResolverLab`].
pub fn resolver_lab() -> ResolverLab {
    let mut zone = sign_zone(
        RESOLVER_ORIGIN,
        &zone_text("resolver-lab.example.zone"),
        false,
        true,
    );
    zone.text = damage_signature(&zone.text, RESOLVER_BOGUS, "A");
    let auth = Server::start(
        Kind::Nsd,
        &Spec {
            zones: vec![zone.zone()],
            ..Spec::default()
        },
    );
    let stubs = vec![(RESOLVER_ORIGIN.to_string(), auth.addr())];
    let validating = Server::start(
        Kind::Unbound,
        &Spec {
            stubs: stubs.clone(),
            trust_anchors: vec![zone.ds.clone()],
            ..Spec::default()
        },
    );
    let no_anchor = Server::start(
        Kind::Unbound,
        &Spec {
            stubs,
            ..Spec::default()
        },
    );
    ResolverLab {
        auth,
        validating,
        no_anchor,
        zone,
    }
}

/// Changes one character in the middle of the signature of the RRSIG of
/// `owner` covering `covered`, in a zone written one record per line: the
/// record still reads, its signature no longer verifies.
pub fn damage_signature(text: &str, owner: &str, covered: &str) -> String {
    let mut damaged = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let is_target = fields.len() > 5
                && fields[0].eq_ignore_ascii_case(owner)
                && fields[3] == "RRSIG"
                && fields[4].eq_ignore_ascii_case(covered);
            if !is_target {
                return line.to_string();
            }
            damaged += 1;
            let signature = fields[fields.len() - 1];
            let mut chars: Vec<char> = signature.chars().collect();
            let middle = chars.len() / 2;
            chars[middle] = if chars[middle] == 'A' { 'B' } else { 'A' };
            let mut fields: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
            *fields.last_mut().expect("fields") = chars.into_iter().collect();
            fields.join(" ")
        })
        .collect();
    assert_eq!(
        damaged, 1,
        "expected one RRSIG of {owner} {covered} (one record per line) in:\n{text}"
    );
    lines.join("\n") + "\n"
}

// --- a small client -------------------------------------------------------------

/// The header and EDNS of a query made by [`query`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flags {
    /// RD: recursion desired.
    pub rd: bool,
    /// The EDNS DO bit (DNSSEC OK); needs `edns_size`.
    pub dnssec_ok: bool,
    /// CD: checking disabled.
    pub cd: bool,
    /// AD in the query (RFC 6840 5.7: "tell me whether it validated").
    pub ad: bool,
    /// Over TCP rather than UDP.
    pub tcp: bool,
    /// The EDNS UDP payload size; None: no OPT record.
    pub edns_size: Option<u16>,
}

impl Default for Flags {
    /// No flag, EDNS with 1232 bytes, over UDP.
    fn default() -> Self {
        Flags {
            rd: false,
            dnssec_ok: false,
            cd: false,
            ad: false,
            tcp: false,
            edns_size: Some(1232),
        }
    }
}

impl Flags {
    /// What `dig` 9.18 sends without options: RD and AD set, EDNS with
    /// 1232 bytes (and a cookie, which [`query`] does not send).
    pub const DIG: Flags = Flags {
        rd: true,
        dnssec_ok: false,
        cd: false,
        ad: true,
        tcp: false,
        edns_size: Some(1232),
    };
}

/// The query message for `name` (absolute or not: it is taken as absolute)
/// and `rtype` with `flags`, with a random id.
pub fn request(name: &str, rtype: RecordType, flags: Flags) -> Message {
    let mut name = Name::from_ascii(name).unwrap_or_else(|e| panic!("bad name {name:?}: {e}"));
    name.set_fqdn(true);
    let mut message = Message::new(random_id(), MessageType::Query, OpCode::Query);
    message.add_query(Query::query(name, rtype));
    message.metadata.recursion_desired = flags.rd;
    message.metadata.checking_disabled = flags.cd;
    message.metadata.authentic_data = flags.ad;
    match flags.edns_size {
        Some(size) => {
            let mut edns = Edns::new();
            edns.set_max_payload(size).set_dnssec_ok(flags.dnssec_ok);
            message.set_edns(edns);
        }
        None => assert!(!flags.dnssec_ok, "the DO bit needs EDNS"),
    }
    message
}

/// Asks `addr` for `name` `rtype` with `flags` and returns the response's
/// wire form; panics if no response comes (UDP: three tries of 2 s).
pub fn query_wire(addr: SocketAddr, name: &str, rtype: RecordType, flags: Flags) -> Vec<u8> {
    let request = request(name, rtype, flags);
    let tries = if flags.tcp { 1 } else { 3 };
    let mut last = None;
    for _ in 0..tries {
        match exchange(addr, &request, flags.tcp, Duration::from_secs(2)) {
            Ok(bytes) => return bytes,
            Err(e) => last = Some(e),
        }
    }
    panic!(
        "no response from {addr} to {name} {rtype} ({flags:?}): {}",
        last.expect("an error")
    );
}

/// Asks `addr` for `name` `rtype` with `flags` and returns the response
/// decoded; panics if none comes or it does not decode.
pub fn query(addr: SocketAddr, name: &str, rtype: RecordType, flags: Flags) -> Message {
    let bytes = query_wire(addr, name, rtype, flags);
    Message::from_vec(&bytes).unwrap_or_else(|e| {
        panic!("the response from {addr} to {name} {rtype} does not decode: {e}")
    })
}

/// Sends `request` to `addr` and returns the response with its id (UDP:
/// other datagrams are ignored), or an error after `timeout`.
pub fn exchange(
    addr: SocketAddr,
    request: &Message,
    tcp: bool,
    timeout: Duration,
) -> io::Result<Vec<u8>> {
    let bytes = request
        .to_vec()
        .map_err(|e| io::Error::other(format!("cannot encode the query: {e}")))?;
    let id = request.id;
    let deadline = Instant::now() + timeout;
    let remaining = || {
        deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "timed out"))
    };
    if tcp {
        let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_nodelay(true)?;
        stream.set_write_timeout(Some(remaining()?))?;
        let mut framed = (bytes.len() as u16).to_be_bytes().to_vec();
        framed.extend_from_slice(&bytes);
        stream.write_all(&framed)?;
        stream.set_read_timeout(Some(remaining()?))?;
        let mut length = [0u8; 2];
        stream.read_exact(&mut length)?;
        let mut response = vec![0u8; usize::from(u16::from_be_bytes(length))];
        stream.set_read_timeout(Some(remaining()?))?;
        stream.read_exact(&mut response)?;
        if response.len() < 2 || response[..2] != id.to_be_bytes() {
            return Err(io::Error::other("a response with another id"));
        }
        Ok(response)
    } else {
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
        socket.connect(addr)?;
        socket.send(&bytes)?;
        let mut buffer = vec![0u8; 65535];
        loop {
            socket.set_read_timeout(Some(remaining()?))?;
            let n = socket.recv(&mut buffer)?;
            if n >= 2 && buffer[..2] == id.to_be_bytes() {
                buffer.truncate(n);
                return Ok(buffer);
            }
        }
    }
}

/// A message id that differs between calls and processes.
fn random_id() -> u16 {
    use std::hash::{BuildHasher as _, Hasher as _};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    hasher.finish() as u16
}

/// The harness itself: every server starts, answers as its lab needs, and
/// leaves nothing behind.
#[cfg(test)]
mod tests {
    use super::*;

    fn soa_serial(message: &Message) -> u32 {
        match message.answers.first().map(|r| &r.data) {
            Some(hickory_proto::rr::RData::SOA(soa)) => soa.serial,
            other => panic!("no SOA in the answer: {other:?}\n{message}"),
        }
    }

    #[test]
    fn authoritative_servers_serve_the_lab_and_leave_nothing_behind() {
        for kind in Kind::AUTHORITATIVE {
            for broken in [false, true] {
                let server = authoritative_lab(kind, broken);
                eprintln!(
                    "{kind} (broken: {broken}) answered on {} after {:?}",
                    server.addr(),
                    server.started_in()
                );
                let serial = if broken { BROKEN_SERIAL } else { LAB_SERIAL };
                for tcp in [false, true] {
                    let flags = Flags {
                        tcp,
                        ..Flags::default()
                    };
                    let soa = query(server.addr(), LAB_ORIGIN, RecordType::SOA, flags);
                    assert!(soa.authoritative, "{kind}: AA\n{soa}");
                    assert_eq!(soa_serial(&soa), serial, "{kind}: the serial");
                    assert!(soa.edns.is_some(), "{kind}: EDNS comes back");
                }
                let www = query(
                    server.addr(),
                    &format!("www.{LAB_ORIGIN}"),
                    RecordType::AAAA,
                    Flags::default(),
                );
                assert_eq!(www.answers.len(), 1, "{kind}: www AAAA\n{www}");
                let nx = query(
                    server.addr(),
                    &format!("nonexistent-7f3a.{LAB_ORIGIN}"),
                    RecordType::A,
                    Flags::default(),
                );
                assert_eq!(nx.response_code, ResponseCode::NXDomain, "{kind}\n{nx}");
                assert!(
                    nx.authorities
                        .iter()
                        .any(|r| r.record_type() == RecordType::SOA),
                    "{kind}: SOA in the authority section of NXDOMAIN\n{nx}"
                );
                let recursion = query(
                    server.addr(),
                    "www.example.com.",
                    RecordType::A,
                    Flags {
                        rd: true,
                        ..Flags::default()
                    },
                );
                assert_eq!(
                    recursion.response_code,
                    ResponseCode::Refused,
                    "{kind}: recursion refused\n{recursion}"
                );
                assert!(!recursion.recursion_available, "{kind}: no RA");
                let pid = server.child.id();
                let dir = server.dir().to_path_buf();
                assert!(!group_members(pid).is_empty(), "{kind}: its process group");
                drop(server);
                assert!(
                    group_members(pid).is_empty(),
                    "{kind}: all its processes are gone after drop"
                );
                assert!(!dir.exists(), "{kind}: its directory is removed");
            }
        }
    }

    #[test]
    fn bind_open_to_recursion_sets_ra_and_stays_on_the_host() {
        let server = open_recursion_lab();
        let started = Instant::now();
        let response = query(
            server.addr(),
            "www.example.com.",
            RecordType::A,
            Flags {
                rd: true,
                ..Flags::default()
            },
        );
        assert!(response.recursion_available, "RA\n{response}");
        assert_eq!(
            response.response_code,
            ResponseCode::ServFail,
            "the root hints lead nowhere\n{response}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "it gives up at once: {:?}",
            started.elapsed()
        );
        let own = query(
            server.addr(),
            LAB_ORIGIN,
            RecordType::SOA,
            Flags {
                rd: true,
                ..Flags::default()
            },
        );
        assert!(own.authoritative && own.recursion_available, "{own}");
    }

    #[test]
    fn signed_servers_return_dnssec_records() {
        for kind in Kind::AUTHORITATIVE {
            let lab = signed_lab(kind);
            let addr = lab.server.addr();
            let with_do = Flags {
                dnssec_ok: true,
                ..Flags::default()
            };
            let dnskey = query(addr, LAB_ORIGIN, RecordType::DNSKEY, with_do);
            let types: Vec<RecordType> = dnskey.answers.iter().map(|r| r.record_type()).collect();
            assert_eq!(
                types.iter().filter(|t| **t == RecordType::DNSKEY).count(),
                2,
                "{kind}\n{dnskey}"
            );
            assert!(types.contains(&RecordType::RRSIG), "{kind}\n{dnskey}");
            let nx = query(
                addr,
                &format!("nonexistent-7f3a.{LAB_ORIGIN}"),
                RecordType::A,
                with_do,
            );
            assert_eq!(nx.response_code, ResponseCode::NXDomain, "{kind}");
            assert!(
                nx.authorities
                    .iter()
                    .any(|r| r.record_type() == RecordType::NSEC3),
                "{kind}: NSEC3 proof\n{nx}"
            );
            let plain = query(addr, LAB_ORIGIN, RecordType::SOA, Flags::default());
            assert!(
                plain
                    .answers
                    .iter()
                    .all(|r| r.record_type() == RecordType::SOA),
                "{kind}: no RRSIG without DO\n{plain}"
            );
            assert!(lab.zone.ds.contains(" DS "), "{}", lab.zone.ds);
        }
    }

    #[test]
    fn resolver_lab_validates() {
        let lab = resolver_lab();
        eprintln!(
            "resolver lab: NSD {:?}, Unbound {:?} and {:?}",
            lab.auth.started_in(),
            lab.validating.started_in(),
            lab.no_anchor.started_in()
        );
        let rd = Flags {
            rd: true,
            ..Flags::default()
        };
        let good_do = query(
            lab.validating.addr(),
            RESOLVER_GOOD,
            RecordType::A,
            Flags {
                dnssec_ok: true,
                ..rd
            },
        );
        assert!(good_do.authentic_data, "AD with DO\n{good_do}");
        assert!(
            good_do
                .answers
                .iter()
                .any(|r| r.record_type() == RecordType::RRSIG),
            "{good_do}"
        );
        let good_ad = query(
            lab.validating.addr(),
            RESOLVER_GOOD,
            RecordType::A,
            Flags { ad: true, ..rd },
        );
        assert!(good_ad.authentic_data, "AD asked by AD\n{good_ad}");
        let bogus = query(lab.validating.addr(), RESOLVER_BOGUS, RecordType::A, rd);
        assert_eq!(bogus.response_code, ResponseCode::ServFail, "{bogus}");
        let bogus_txt = query(lab.validating.addr(), RESOLVER_BOGUS, RecordType::TXT, rd);
        assert_eq!(
            bogus_txt.response_code,
            ResponseCode::NoError,
            "only bogus A is damaged\n{bogus_txt}"
        );
        let bogus_cd = query(
            lab.validating.addr(),
            RESOLVER_BOGUS,
            RecordType::A,
            Flags { cd: true, ..rd },
        );
        assert_eq!(bogus_cd.response_code, ResponseCode::NoError, "{bogus_cd}");
        assert!(!bogus_cd.answers.is_empty() && !bogus_cd.authentic_data);
        for name in [RESOLVER_GOOD, RESOLVER_BOGUS] {
            let response = query(
                lab.no_anchor.addr(),
                name,
                RecordType::A,
                Flags {
                    dnssec_ok: true,
                    ..rd
                },
            );
            assert_eq!(response.response_code, ResponseCode::NoError, "{response}");
            assert!(!response.authentic_data, "no anchor, no AD\n{response}");
        }
    }

    #[test]
    fn a_port_in_use_is_recognised_so_another_is_tried() {
        let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let addr = udp.local_addr().expect("address");
        let _tcp = TcpListener::bind(addr).expect("bind TCP too");
        let zones = Spec {
            zones: vec![lab_zone()],
            ..Spec::default()
        };
        for (kind, spec) in [
            (Kind::Bind, &zones),
            (Kind::Nsd, &zones),
            (Kind::Knot, &zones),
            (Kind::Unbound, &Spec::default()),
        ] {
            match Server::try_start(kind, &program(kind), spec, addr) {
                Err(StartError::PortTaken(_)) => {}
                Err(StartError::Failed(why)) => panic!("{kind}: not seen as a port in use: {why}"),
                Ok(server) => panic!("{kind} started on a port in use:\n{}", server.log()),
            }
        }
    }

    #[test]
    fn a_paused_server_times_out_until_resumed() {
        let server = authoritative_lab(Kind::Knot, false);
        let soa = request(LAB_ORIGIN, RecordType::SOA, Flags::default());
        let timeout = Duration::from_millis(300);
        server.pause();
        for tcp in [false, true] {
            let result = exchange(server.addr(), &soa, tcp, timeout);
            assert!(result.is_err(), "paused, {}: {result:?}", transport(tcp));
        }
        server.resume();
        for tcp in [false, true] {
            exchange(server.addr(), &soa, tcp, Duration::from_secs(2))
                .unwrap_or_else(|e| panic!("resumed, {}: {e}", transport(tcp)));
        }
    }

    #[test]
    fn a_missing_program_names_its_package() {
        let panic = std::panic::catch_unwind(|| find_program("no-such-dns-server", "bind9"))
            .expect_err("a missing program fails");
        let text = panic.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            text.contains("bind9") && text.contains("bash scripts/test.sh"),
            "{text}"
        );
    }
}
