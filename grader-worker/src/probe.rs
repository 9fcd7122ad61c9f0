//! Sending an exercise's probes to a submission's target: hickory-proto
//! messages over tokio sockets, every probe of a submission at once.
//!
//! The caller checks the target against the allowlist first
//! ([`grader_core::probe::Allowlist::check`]); this module sends to the
//! address it is given. Per query: a fresh random message id, up to
//! `attempts` sends, each waiting `timeout` for a response with that id and
//! that question (anything else arriving on the socket is ignored). What
//! happens is recorded, never raised: a response, a timeout, a refused
//! connection (ICMP port unreachable for UDP, a reset for TCP) or another
//! network error each become a [`Capture`].

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

use grader_core::probe::{Capture, CaptureOutcome, Query, Source, TimingClass};
use grader_core::response::Transport;
use hickory_proto::op::Message;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

/// How probes are sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// How long each attempt waits for its response.
    pub timeout: Duration,
    /// How many times a query is sent (or a TCP connection tried) before
    /// it counts as a timeout.
    pub attempts: u32,
}

impl Settings {
    /// The settings an exercise's limits give (`probe_timeout_ms`,
    /// `probe_attempts`).
    pub fn of(limits: &grader_core::exercise::LimitsDef) -> Settings {
        Settings {
            timeout: Duration::from_millis(limits.probe_timeout_ms),
            attempts: limits.probe_attempts,
        }
    }
}

/// Sends every query to `target` concurrently; one capture per query, in
/// query order.
pub async fn run(queries: &[Query], target: SocketAddr, settings: Settings) -> Vec<Capture> {
    futures_util::future::join_all(queries.iter().map(|q| one(q, target, settings))).await
}

/// One probe, all its attempts.
async fn one(q: &Query, target: SocketAddr, settings: Settings) -> Capture {
    let mut last = Attempt::Timeout;
    for _ in 0..settings.attempts.max(1) {
        last = match q.transport {
            Transport::Udp => udp(q, target, settings.timeout).await,
            Transport::Tcp => tcp(q, target, settings.timeout).await,
        };
        match last {
            Attempt::Timeout => continue,
            _ => break,
        }
    }
    match last {
        Attempt::Answered(wire, rtt) => {
            let mut c = Capture::answered(q, Source::Probed, &wire);
            c.timing = Some(TimingClass::of(rtt));
            c
        }
        Attempt::Timeout => Capture::unanswered(q, Source::Probed, CaptureOutcome::Timeout),
        Attempt::Refused => {
            Capture::unanswered(q, Source::Probed, CaptureOutcome::ConnectionRefused)
        }
        Attempt::Error(e) => {
            let mut c = Capture::unanswered(q, Source::Probed, CaptureOutcome::NetworkError);
            c.detail = Some(e);
            c
        }
    }
}

/// What one attempt gave.
enum Attempt {
    /// The response's bytes and the round-trip time.
    Answered(Vec<u8>, Duration),
    Timeout,
    Refused,
    Error(String),
}

impl From<io::Error> for Attempt {
    fn from(e: io::Error) -> Attempt {
        match e.kind() {
            io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionReset => Attempt::Refused,
            io::ErrorKind::TimedOut => Attempt::Timeout,
            _ => Attempt::Error(e.to_string()),
        }
    }
}

/// A random message id (query ids must not be guessable, even in a lab).
fn random_id() -> u16 {
    let b = uuid::Uuid::new_v4().into_bytes();
    u16::from_le_bytes([b[0], b[1]])
}

/// The query in wire form, with a fresh id.
fn encode(q: &Query) -> Result<(u16, Vec<u8>), Attempt> {
    let id = random_id();
    q.message(id)
        .to_vec()
        .map(|w| (id, w))
        .map_err(|e| Attempt::Error(format!("the query cannot be encoded: {e}")))
}

/// Whether `wire` is the response to query `id` of `q`: a response with
/// that id and this question, or with no question at all (a FORMERR or
/// NOTIMP may have none). A response that is not a readable message but
/// carries the id is taken too (grading says it is malformed).
fn is_response(q: &Query, id: u16, wire: &[u8]) -> bool {
    match Message::from_vec(wire) {
        Ok(m) => {
            m.metadata.id == id
                && m.metadata.message_type == hickory_proto::op::MessageType::Response
                && (m.queries.is_empty() || q.asked_by(&m))
        }
        Err(_) => wire.len() >= 2 && u16::from_be_bytes([wire[0], wire[1]]) == id,
    }
}

async fn udp(q: &Query, target: SocketAddr, timeout: Duration) -> Attempt {
    let (id, wire) = match encode(q) {
        Ok(x) => x,
        Err(a) => return a,
    };
    let local = match target.ip() {
        IpAddr::V4(_) => SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 0),
        IpAddr::V6(_) => SocketAddr::new(Ipv6Addr::UNSPECIFIED.into(), 0),
    };
    let socket = match UdpSocket::bind(local).await {
        Ok(s) => s,
        Err(e) => return Attempt::Error(format!("cannot open a UDP socket: {e}")),
    };
    // Connected, so an ICMP port unreachable comes back as ECONNREFUSED
    // and only the target's datagrams are received.
    if let Err(e) = socket.connect(target).await {
        return e.into();
    }
    let started = Instant::now();
    if let Err(e) = socket.send(&wire).await {
        return e.into();
    }
    let deadline = tokio::time::Instant::now() + timeout;
    let mut buf = vec![0u8; 65_535];
    loop {
        match tokio::time::timeout_at(deadline, socket.recv(&mut buf)).await {
            Err(_) => return Attempt::Timeout,
            Ok(Err(e)) => return e.into(),
            Ok(Ok(n)) => {
                if is_response(q, id, &buf[..n]) {
                    return Attempt::Answered(buf[..n].to_vec(), started.elapsed());
                }
            }
        }
    }
}

async fn tcp(q: &Query, target: SocketAddr, timeout: Duration) -> Attempt {
    let (id, wire) = match encode(q) {
        Ok(x) => x,
        Err(a) => return a,
    };
    let Ok(len) = u16::try_from(wire.len()) else {
        return Attempt::Error("the query is too long for TCP".into());
    };
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + timeout;
    // A refused connection is `Refused`; anything going wrong once
    // connected (a reset, an early close) is a network error.
    let mut stream = match tokio::time::timeout_at(deadline, TcpStream::connect(target)).await {
        Err(_) => return Attempt::Timeout,
        Ok(Err(e)) => return e.into(),
        Ok(Ok(s)) => s,
    };
    let exchange = async {
        stream.set_nodelay(true)?;
        let mut framed = Vec::with_capacity(wire.len() + 2);
        framed.extend_from_slice(&len.to_be_bytes());
        framed.extend_from_slice(&wire);
        stream.write_all(&framed).await?;
        // A server may send other messages first (it should not): read
        // until ours arrives or the deadline passes.
        loop {
            let mut prefix = [0u8; 2];
            stream.read_exact(&mut prefix).await?;
            let mut body = vec![0u8; usize::from(u16::from_be_bytes(prefix))];
            stream.read_exact(&mut body).await?;
            if is_response(q, id, &body) {
                return Ok::<_, io::Error>(body);
            }
        }
    };
    match tokio::time::timeout_at(deadline, exchange).await {
        Err(_) => Attempt::Timeout,
        Ok(Ok(body)) => Attempt::Answered(body, started.elapsed()),
        Ok(Err(e))
            if matches!(
                e.kind(),
                io::ErrorKind::UnexpectedEof
                    | io::ErrorKind::ConnectionReset
                    | io::ErrorKind::BrokenPipe
            ) =>
        {
            Attempt::Error("the server closed the TCP connection without answering".into())
        }
        Ok(Err(e)) => Attempt::Error(format!("TCP: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use grader_core::probe::ProbeDef;
    use hickory_proto::op::{MessageType, ResponseCode};
    use tokio::net::TcpListener;

    fn query(transport: &str) -> Query {
        let def: ProbeDef = toml::from_str(&format!(
            "id = \"soa\"\nname = \"grp7.lab.example.\"\ntype = \"SOA\"\ntransport = \"{transport}\""
        ))
        .expect("a probe");
        def.resolve(None).expect("resolves")
    }

    const FAST: Settings = Settings {
        timeout: Duration::from_millis(300),
        attempts: 2,
    };

    /// The response to `wire` (a query), with `id` as its message id.
    fn reply(wire: &[u8], id: u16) -> Vec<u8> {
        let q = Message::from_vec(wire).expect("a query");
        let mut m = Message::new(id, MessageType::Response, q.metadata.op_code);
        m.metadata.response_code = ResponseCode::Refused;
        m.queries = q.queries.clone();
        m.to_vec().expect("encodes")
    }

    #[tokio::test]
    async fn udp_ignores_strangers_and_takes_its_response() {
        let server = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
        let addr = server.local_addr().expect("addr");
        tokio::spawn(async move {
            let mut buf = vec![0u8; 512];
            let (n, from) = server.recv_from(&mut buf).await.expect("a query");
            let id = u16::from_be_bytes([buf[0], buf[1]]);
            // Garbage, a response with another id, then the real one.
            server.send_to(b"\x00", from).await.expect("send");
            server
                .send_to(&reply(&buf[..n], id.wrapping_add(1)), from)
                .await
                .expect("send");
            server
                .send_to(&reply(&buf[..n], id), from)
                .await
                .expect("send");
        });
        let c = &run(&[query("udp")], addr, FAST).await[0];
        assert_eq!(c.outcome, CaptureOutcome::Answered, "{c:?}");
        assert_eq!(c.source, Source::Probed);
        assert_eq!(c.timing, Some(TimingClass::Fast));
        let m = c.message().expect("a response").expect("readable");
        assert_eq!(m.metadata.response_code, ResponseCode::Refused);
    }

    #[tokio::test]
    async fn a_reply_without_a_question_is_taken() {
        let server = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
        let addr = server.local_addr().expect("addr");
        tokio::spawn(async move {
            let mut buf = vec![0u8; 512];
            let (_, from) = server.recv_from(&mut buf).await.expect("a query");
            let id = u16::from_be_bytes([buf[0], buf[1]]);
            let mut m = Message::new(id, MessageType::Response, hickory_proto::op::OpCode::Query);
            m.metadata.response_code = ResponseCode::FormErr;
            server
                .send_to(&m.to_vec().expect("encodes"), from)
                .await
                .expect("send");
        });
        let c = &run(&[query("udp")], addr, FAST).await[0];
        assert_eq!(c.outcome, CaptureOutcome::Answered, "{c:?}");
        let m = c.message().expect("a response").expect("readable");
        assert_eq!(m.metadata.response_code, ResponseCode::FormErr);
    }

    #[tokio::test]
    async fn udp_without_a_listener_is_refused_and_silence_times_out() {
        let free = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
        let closed = free.local_addr().expect("addr");
        drop(free);
        let c = &run(&[query("udp")], closed, FAST).await[0];
        assert_eq!(c.outcome, CaptureOutcome::ConnectionRefused, "{c:?}");
        // A socket that reads and never answers: every attempt times out.
        let silent = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
        let addr = silent.local_addr().expect("addr");
        let started = Instant::now();
        let c = &run(&[query("udp")], addr, FAST).await[0];
        assert_eq!(c.outcome, CaptureOutcome::Timeout, "{c:?}");
        assert!(
            started.elapsed() >= Duration::from_millis(600),
            "two attempts"
        );
        assert!(c.response.is_none() && c.timing.is_none());
        drop(silent);
    }

    #[tokio::test]
    async fn tcp_frames_the_exchange_and_reports_a_closed_connection() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            // First connection: answered. Second: closed without a word.
            let (mut s, _) = listener.accept().await.expect("a connection");
            let mut len = [0u8; 2];
            s.read_exact(&mut len).await.expect("length");
            let mut q = vec![0u8; usize::from(u16::from_be_bytes(len))];
            s.read_exact(&mut q).await.expect("query");
            let r = reply(&q, u16::from_be_bytes([q[0], q[1]]));
            let mut framed = (r.len() as u16).to_be_bytes().to_vec();
            framed.extend_from_slice(&r);
            s.write_all(&framed).await.expect("write");
            let (s, _) = listener.accept().await.expect("a connection");
            drop(s);
        });
        let c = &run(&[query("tcp")], addr, FAST).await[0];
        assert_eq!(c.outcome, CaptureOutcome::Answered, "{c:?}");
        assert_eq!(c.transport, Transport::Tcp);
        let c = &run(&[query("tcp")], addr, FAST).await[0];
        assert_eq!(c.outcome, CaptureOutcome::NetworkError, "{c:?}");
        assert!(
            c.detail.as_deref().unwrap_or("").contains("closed"),
            "{c:?}"
        );
    }
}
