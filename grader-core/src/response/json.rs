//! RFC 8427 JSON ("Representing DNS Messages in JSON") → messages.
//!
//! The input is one JSON value, an array of them, or several values one
//! after another (as `kdig +json` prints several answers). Each value is a
//! message object (§2.1) or a paired query and response (§3: its
//! `responseMessage` is read). A message object with `messageOctetsHEX`
//! (§2.4) is that message in wire form, and its other members are not
//! looked at; otherwise it is read from its members: the header (`ID`,
//! `QR`, `Opcode`, `AA`, `TC`, `RD`, `RA`, `AD`, `CD`, `RCODE`), the
//! question (`QNAME`, `QTYPE`/`QTYPEname`, `QCLASS`/`QCLASSname`, or
//! `questionRRs`) and the records of `answerRRs`, `authorityRRs` and
//! `additionalRRs` (§2.2: `NAME`, `TYPE`/`TYPEname`, `CLASS`/`CLASSname`,
//! `TTL`, `RDLENGTH`, and the data as `RDATAHEX`, as a presentation-form
//! member `rdata<TYPE>` such as `rdataA` or `rdataMX` (§2.3; any type the
//! zone-file reader knows), or as an `rrSet`). An OPT record (TYPE 41) in
//! `additionalRRs` is the message's EDNS. Members the RFC defines but that
//! carry nothing for the message (`compressedQNAME`, `headerOctetsHEX`, ...,
//! `dateString`, `comment`, and kdig's `msgLength`) are accepted and not
//! read. Flags are booleans or, as in the RFC's examples, 0 and 1. A
//! missing header member is 0; a missing `CLASS` is IN.

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder, Restrict};
use std::collections::HashMap;

use serde_json::{Map, Value};

use super::diag::{Code, Sink};
use super::text::{Batch, canonical, char_count, class_code, hex, parse_name, shown, type_code};
use super::text::{guess, wrong_format};
use super::{Format, MAX_MESSAGES, MAX_RECORDS_PER_SECTION, ReadMessage};
use crate::zone::{self, Severity};

/// Members of a message object (RFC 8427 §2.1, §2.4, §2.5) and kdig's
/// `msgLength`.
const MESSAGE_MEMBERS: &[&str] = &[
    "ID",
    "QR",
    "Opcode",
    "AA",
    "TC",
    "RD",
    "RA",
    "AD",
    "CD",
    "RCODE",
    "QDCOUNT",
    "ANCOUNT",
    "NSCOUNT",
    "ARCOUNT",
    "QNAME",
    "compressedQNAME",
    "QTYPE",
    "QTYPEname",
    "QCLASS",
    "QCLASSname",
    "questionRRs",
    "answerRRs",
    "authorityRRs",
    "additionalRRs",
    "messageOctetsHEX",
    "headerOctetsHEX",
    "questionOctetsHEX",
    "answerOctetsHEX",
    "authorityOctetsHEX",
    "additionalOctetsHEX",
    "dateString",
    "dateSeconds",
    "comment",
    "msgLength",
];

/// Members of a resource record object (§2.2, §2.4).
const RECORD_MEMBERS: &[&str] = &[
    "NAME",
    "compressedNAME",
    "TYPE",
    "TYPEname",
    "CLASS",
    "CLASSname",
    "TTL",
    "RDLENGTH",
    "RDATAHEX",
    "rrSet",
    "rrOctetsHEX",
];

/// A member of `o`; `null` counts as absent.
fn get<'v>(o: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    o.get(key).filter(|v| !v.is_null())
}

/// Whether `o` has a member `key` that is not `null`.
fn has(o: &Map<String, Value>, key: &str) -> bool {
    get(o, key).is_some()
}

/// One step of a JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Seg {
    Key(String),
    Index(usize),
}

/// RFC 6901 form of a path.
fn pointer(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        out.push('/');
        match s {
            Seg::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// Reads RFC 8427 JSON.
pub(crate) fn read(input: &[u8], sink: &mut Sink) -> Vec<ReadMessage> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            input
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let mut c = Ctx {
        src: input,
        starts,
        base: 0,
        sink,
        messages: Vec::new(),
        stopped: false,
        index: None,
        column_cache: (0, 0, 0),
    };
    let mut stream = serde_json::Deserializer::from_slice(input).into_iter::<Value>();
    let mut any = false;
    loop {
        let start = skip_ws(input, stream.byte_offset());
        match stream.next() {
            None => break,
            Some(Ok(v)) => {
                any = true;
                c.base = start;
                c.document(&v);
                if c.stopped {
                    break;
                }
            }
            Some(Err(e)) => {
                any = true;
                c.invalid(&e);
                break;
            }
        }
    }
    if !any {
        c.sink.at(
            Code::JsonNoMessage,
            1,
            1,
            "",
            "there is no JSON here: the text is empty",
        );
    }
    c.messages
}

fn skip_ws(src: &[u8], mut i: usize) -> usize {
    while src
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// The end of the string whose opening quote is at `i` (after its closing
/// quote).
fn string_end(src: &[u8], mut i: usize) -> usize {
    i += 1;
    while let Some(&b) = src.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    src.len()
}

/// The end of the JSON value starting at `i`.
fn value_end(src: &[u8], i: usize) -> usize {
    match src.get(i) {
        Some(b'"') => string_end(src, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while let Some(&b) = src.get(j) {
                match b {
                    b'"' => {
                        j = string_end(src, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            src.len()
        }
        _ => {
            let mut j = i;
            while src
                .get(j)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                j += 1;
            }
            j
        }
    }
}

/// Where the member names and values of a JSON text start, as a tree:
/// each node's (name, value) offsets, and the children of a node by
/// their key or index. Every key is stored once, so the index is linear in
/// the text however deep or long its keys are.
#[derive(Default)]
struct Places {
    nodes: Vec<(usize, usize)>,
    children: HashMap<(usize, Seg), usize>,
}

/// Where every value of the valid JSON text starting at `start` begins,
/// and for an object member where its name begins. One pass, so placing
/// many diagnostics costs no more than one.
fn index(src: &[u8], start: usize) -> Places {
    let mut out = Places::default();
    let at = skip_ws(src, start);
    out.nodes.push((at, at));
    walk(src, at, 0, &mut out, 0);
    out
}

/// Indexes the children of the value at `at` (node `node`); returns its
/// end.
fn walk(src: &[u8], at: usize, node: usize, out: &mut Places, depth: usize) -> usize {
    // serde_json refuses deeper nesting than this anyway.
    if depth > 256 {
        return value_end(src, at);
    }
    let close = match src.get(at) {
        Some(b'{') => b'}',
        Some(b'[') => b']',
        _ => return value_end(src, at),
    };
    let mut i = skip_ws(src, at + 1);
    let mut n = 0usize;
    while i < src.len() && src[i] != close {
        let (seg, k, v) = if close == b'}' {
            if src[i] != b'"' {
                break;
            }
            let k_end = string_end(src, i);
            let key: String =
                serde_json::from_slice(&src[i..k_end.min(src.len())]).unwrap_or_default();
            let mut v = skip_ws(src, k_end);
            if src.get(v) == Some(&b':') {
                v = skip_ws(src, v + 1);
            }
            (Seg::Key(key), i, v)
        } else {
            (Seg::Index(n), i, i)
        };
        let id = out.nodes.len();
        out.nodes.push((k, v));
        // A repeated member: serde_json keeps the last one, and so does this.
        out.children.insert((node, seg), id);
        let end = walk(src, v, id, out, depth + 1);
        n += 1;
        i = skip_ws(src, end.max(i + 1));
        if src.get(i) == Some(&b',') {
            i = skip_ws(src, i + 1);
        } else {
            break;
        }
    }
    if src.get(i) == Some(&close) { i + 1 } else { i }
}

struct Ctx<'a, 's> {
    src: &'a [u8],
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
    /// Where the top-level value being read starts.
    base: usize,
    sink: &'s mut Sink,
    messages: Vec<ReadMessage>,
    stopped: bool,
    /// The positions of the values of the top-level value at `.0`, made
    /// when a first diagnostic needs one.
    index: Option<(usize, Places)>,
    /// The last place a column was counted: line start, offset, characters.
    column_cache: (usize, usize, usize),
}

/// Where a diagnostic points: at the value, or at the member's name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Value,
    Key,
}

impl Ctx<'_, '_> {
    /// Line and column of byte `offset`.
    fn position(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        // Counting characters from the last place on the same line keeps
        // many diagnostics on one long line linear.
        let (from, chars) = match self.column_cache {
            (s, o, c) if s == start && o <= offset => (o, c),
            _ => (start, 0),
        };
        let chars = chars + char_count(&self.src[from..offset]);
        self.column_cache = (start, offset, chars);
        let col = chars + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }

    /// Where the value at `path` and its member name start (best effort:
    /// the deepest step of `path` found).
    fn place(&mut self, path: &[Seg]) -> (usize, usize) {
        if self.index.as_ref().is_none_or(|(b, _)| *b != self.base) {
            self.index = Some((self.base, index(self.src, self.base)));
        }
        let Some((_, idx)) = &self.index else {
            return (self.base, self.base);
        };
        // The deepest step of `path` that is in the text.
        let mut node = 0;
        for seg in path {
            match idx.children.get(&(node, seg.clone())) {
                Some(&child) => node = child,
                None => break,
            }
        }
        idx.nodes
            .get(node)
            .copied()
            .unwrap_or((self.base, self.base))
    }

    fn report(&mut self, code: Code, path: &[Seg], at: At, message: impl Into<String>) {
        let (k, v) = self.place(path);
        let offset = if at == At::Key { k } else { v }.min(self.src.len());
        let (line, column) = self.position(offset);
        let end = value_end(self.src, offset).max(offset);
        let text = shown(&self.src[offset..end.min(self.src.len())]);
        let p = pointer(path);
        let message = message.into();
        let message = if p.is_empty() {
            message
        } else {
            format!("`{p}`: {message}")
        };
        self.sink.at(code, line, column, text, message);
    }

    fn invalid(&mut self, e: &serde_json::Error) {
        if self.messages.is_empty()
            && let Some(looks) = guess(self.src).filter(|&f| f != Format::Json)
        {
            self.sink.at(
                Code::WrongFormat,
                1,
                1,
                "",
                wrong_format(Format::Json, looks),
            );
            return;
        }
        // serde_json counts columns in bytes; show characters.
        let line = e.line().clamp(1, self.starts.len());
        let start = self.starts[line - 1];
        let end = self.src[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.src.len(), |p| start + p);
        let offset = (start + e.column().saturating_sub(1)).min(end);
        let (line, column) = self.position(offset);
        let what = match e.classify() {
            serde_json::error::Category::Eof => {
                "the JSON text ends too early (a `}`, `]` or `\"` is missing)".to_string()
            }
            _ => format!("this is not valid JSON: {e}"),
        };
        self.sink.at(Code::JsonInvalid, line, column, "", what);
    }

    fn document(&mut self, v: &Value) {
        match v {
            Value::Object(o) => self.top(o, &mut Vec::new()),
            Value::Array(items) => {
                if items.is_empty() {
                    self.report(Code::JsonNoMessage, &[], At::Value, "the array holds no message");
                }
                for (i, item) in items.iter().enumerate() {
                    if self.stopped {
                        return;
                    }
                    let mut path = vec![Seg::Index(i)];
                    match item {
                        Value::Object(o) => self.top(o, &mut path),
                        _ => self.report(
                            Code::JsonNotMessage,
                            &path,
                            At::Value,
                            "this is not a message object (`{\"ID\": ..., \"answerRRs\": [...]}`)",
                        ),
                    }
                }
            }
            _ => self.report(
                Code::JsonNotMessage,
                &[],
                At::Value,
                "this is not a DNS message in JSON: RFC 8427 writes a message as an object, `{\"ID\": ..., \"answerRRs\": [...]}`",
            ),
        }
    }

    /// A message object, or a paired query and response.
    fn top(&mut self, o: &Map<String, Value>, path: &mut Vec<Seg>) {
        let paired = has(o, "queryMessage") || has(o, "responseMessage");
        let message_path = path.clone();
        let read = if paired {
            for k in o.keys() {
                if !matches!(
                    k.as_str(),
                    "queryMessage" | "responseMessage" | "dateString" | "dateSeconds" | "comment"
                ) {
                    path.push(Seg::Key(k.clone()));
                    self.report(Code::JsonUnknownMember, path, At::Key, format!("RFC 8427 defines no member `{k}` in a paired query and response; it is ignored"));
                    path.pop();
                }
            }
            if has(o, "queryMessage") {
                path.push(Seg::Key("queryMessage".into()));
                self.report(
                    Code::JsonQueryIgnored,
                    path,
                    At::Key,
                    "the query is not read, only the response (`responseMessage`)",
                );
                path.pop();
            }
            path.push(Seg::Key("responseMessage".into()));
            let m = match get(o, "responseMessage") {
                Some(Value::Object(r)) => self.message(r, path),
                Some(_) => {
                    self.report(
                        Code::JsonBadMember,
                        path,
                        At::Value,
                        "the response is not a message object",
                    );
                    None
                }
                None => {
                    path.pop();
                    self.report(
                        Code::JsonMissingMember,
                        path,
                        At::Value,
                        "there is no `responseMessage` to read",
                    );
                    path.push(Seg::Key("responseMessage".into()));
                    None
                }
            };
            let found = (m, path.clone());
            path.pop();
            found
        } else {
            (self.message(o, path), message_path)
        };
        if let (Some(message), p) = read {
            if self.messages.len() >= MAX_MESSAGES {
                self.stopped = true;
                self.report(
                    Code::TooManyMessages,
                    &p,
                    At::Value,
                    format!("more than {MAX_MESSAGES} messages; the rest are not read"),
                );
                return;
            }
            let (_, v) = self.place(&p);
            let (line, _) = self.position(v);
            self.messages.push(ReadMessage {
                message,
                line,
                transport: None,
                server: None,
            });
        }
    }

    /// An unsigned integer member no larger than `max`: `None` when
    /// absent or (reported) wrong.
    fn int(
        &mut self,
        o: &Map<String, Value>,
        path: &mut Vec<Seg>,
        key: &str,
        max: u64,
    ) -> Option<u64> {
        let v = get(o, key)?;
        match v.as_u64().filter(|&n| n <= max) {
            Some(n) => Some(n),
            None => {
                path.push(Seg::Key(key.into()));
                self.report(
                    Code::JsonBadMember,
                    path,
                    At::Value,
                    format!("`{key}` must be a whole number from 0 to {max}"),
                );
                path.pop();
                None
            }
        }
    }

    fn flag(&mut self, o: &Map<String, Value>, path: &mut Vec<Seg>, key: &str) -> bool {
        match get(o, key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(v) if v.as_u64() == Some(0) => false,
            Some(v) if v.as_u64() == Some(1) => true,
            Some(_) => {
                path.push(Seg::Key(key.into()));
                self.report(
                    Code::JsonBadMember,
                    path,
                    At::Value,
                    format!("`{key}` is a flag: true or false (or 1 or 0)"),
                );
                path.pop();
                false
            }
        }
    }

    fn string<'v>(
        &mut self,
        o: &'v Map<String, Value>,
        path: &mut Vec<Seg>,
        key: &str,
    ) -> Option<&'v str> {
        match get(o, key)? {
            Value::String(s) => Some(s),
            _ => {
                path.push(Seg::Key(key.into()));
                self.report(
                    Code::JsonBadMember,
                    path,
                    At::Value,
                    format!("`{key}` must be a string"),
                );
                path.pop();
                None
            }
        }
    }

    fn unknown_members(
        &mut self,
        o: &Map<String, Value>,
        path: &mut Vec<Seg>,
        known: &[&str],
        what: &str,
    ) {
        for k in o.keys() {
            let rdata = what != "message" && k.starts_with("rdata");
            if !known.contains(&k.as_str()) && !rdata {
                path.push(Seg::Key(k.clone()));
                self.report(
                    Code::JsonUnknownMember,
                    path,
                    At::Key,
                    format!("RFC 8427 defines no member `{k}` in a {what}; it is ignored (names are case-sensitive)"),
                );
                path.pop();
            }
        }
    }

    fn message(&mut self, o: &Map<String, Value>, path: &mut Vec<Seg>) -> Option<Message> {
        self.unknown_members(o, path, MESSAGE_MEMBERS, "message");
        let notes = ["dateString", "dateSeconds", "comment", "msgLength"];
        if !o
            .keys()
            .any(|k| MESSAGE_MEMBERS.contains(&k.as_str()) && !notes.contains(&k.as_str()))
        {
            self.report(
                Code::JsonNotMessage,
                path,
                At::Value,
                "this object has none of the members of a DNS message in RFC 8427 JSON (`ID`, `QR`, `QNAME`, `answerRRs`, `messageOctetsHEX`, ...)",
            );
            return None;
        }
        if has(o, "messageOctetsHEX") {
            return self.octets(o, path);
        }
        let before = self.sink.errors;
        let id = self.int(o, path, "ID", 65535).unwrap_or(0) as u16;
        let qr = self.flag(o, path, "QR");
        let opcode = self.int(o, path, "Opcode", 15).unwrap_or(0) as u8;
        let mut m = Message::new(
            id,
            if qr {
                MessageType::Response
            } else {
                MessageType::Query
            },
            OpCode::from_u8(opcode),
        );
        m.metadata.authoritative = self.flag(o, path, "AA");
        m.metadata.truncation = self.flag(o, path, "TC");
        m.metadata.recursion_desired = self.flag(o, path, "RD");
        m.metadata.recursion_available = self.flag(o, path, "RA");
        m.metadata.authentic_data = self.flag(o, path, "AD");
        m.metadata.checking_disabled = self.flag(o, path, "CD");
        let rcode = self.int(o, path, "RCODE", 4095).unwrap_or(0) as u16;
        // The question.
        if let Some(list) = get(o, "questionRRs") {
            path.push(Seg::Key("questionRRs".into()));
            if let Some(items) = self.array(list, path) {
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    if let Some(q) = self.question(item, path) {
                        m.queries.push(q);
                    }
                    path.pop();
                }
            }
            path.pop();
        } else if has(o, "QNAME")
            && let Some(q) = self.qname(o, path)
        {
            m.queries.push(q);
        }
        // The records.
        let mut opt: Option<Edns> = None;
        for (i, key) in ["answerRRs", "authorityRRs", "additionalRRs"]
            .into_iter()
            .enumerate()
        {
            let Some(list) = get(o, key) else {
                continue;
            };
            path.push(Seg::Key(key.into()));
            if let Some(items) = self.array(list, path) {
                for (j, item) in items.iter().enumerate() {
                    path.push(Seg::Index(j));
                    for r in self.record(item, path).unwrap_or_default() {
                        if r.record_type() != RecordType::OPT {
                            match i {
                                0 => m.answers.push(r),
                                1 => m.authorities.push(r),
                                _ => m.additionals.push(r),
                            }
                            continue;
                        }
                        if i != 2 {
                            self.report(
                                Code::JsonBadRdata,
                                path,
                                At::Value,
                                "an OPT record (TYPE 41) belongs in `additionalRRs`",
                            );
                        } else if opt.is_some() {
                            self.report(
                                Code::JsonDuplicateOpt,
                                path,
                                At::Value,
                                "a second OPT record (TYPE 41): a message has at most one",
                            );
                        } else if matches!(
                            r.data,
                            RData::OPT(_) | RData::Update0(_) | RData::NULL(_)
                        ) {
                            opt = Some(Edns::from(&r));
                        } else {
                            self.report(
                                Code::JsonBadRdata,
                                path,
                                At::Value,
                                "the OPT record's data cannot be read",
                            );
                        }
                    }
                    path.pop();
                }
            }
            path.pop();
        }
        // The response code: RCODE, with the extended bits of the OPT
        // record's TTL when RCODE is only the header's four bits.
        let full = match &opt {
            Some(e) if rcode <= 15 => (u16::from(e.rcode_high()) << 4) | rcode,
            _ => rcode,
        };
        if full > 15 && opt.is_none() {
            path.push(Seg::Key("RCODE".into()));
            self.report(Code::JsonBadMember, path, At::Value, format!("RCODE {full} is an extended code, which needs an OPT record (TYPE 41) in `additionalRRs`"));
            path.pop();
        }
        m.metadata.response_code = <ResponseCode as From<u16>>::from(full);
        if let Some(mut e) = opt {
            e.set_rcode_high(m.metadata.response_code.high());
            m.edns = Some(e);
        }
        // The counts, which the records win over.
        let counts = [
            ("QDCOUNT", m.queries.len(), "question"),
            ("ANCOUNT", m.answers.len(), "answer"),
            ("NSCOUNT", m.authorities.len(), "authority"),
            (
                "ARCOUNT",
                m.additionals.len() + usize::from(m.edns.is_some()),
                "additional",
            ),
        ];
        for (key, n, what) in counts {
            if let Some(said) = self.int(o, path, key, 65535)
                && said as usize != n
            {
                path.push(Seg::Key(key.into()));
                self.report(
                    Code::JsonCountMismatch,
                    path,
                    At::Value,
                    format!("{key} is {said}, but the message has {n} {what} record{}; the records are read", if n == 1 { "" } else { "s" }),
                );
                path.pop();
            }
        }
        if self.sink.errors > before {
            return None;
        }
        self.finish(&m, path)
    }

    fn finish(&mut self, m: &Message, path: &[Seg]) -> Option<Message> {
        match canonical(m) {
            Ok(m) => Some(m),
            Err(why) => {
                self.report(
                    Code::MessageNotEncodable,
                    path,
                    At::Value,
                    format!("this message cannot be kept: {why}"),
                );
                None
            }
        }
    }

    /// `messageOctetsHEX`: the whole message in wire form.
    fn octets(&mut self, o: &Map<String, Value>, path: &mut Vec<Seg>) -> Option<Message> {
        let s = self.string(o, path, "messageOctetsHEX")?;
        path.push(Seg::Key("messageOctetsHEX".into()));
        let result = match hex(s.as_bytes()) {
            None => Err("`messageOctetsHEX` is not hex (two digits per octet)".to_string()),
            Some(bytes) => {
                let mut d = BinDecoder::new(&bytes);
                match Message::read(&mut d) {
                    Err(e) => Err(format!("`messageOctetsHEX` is not a DNS message: {e}")),
                    Ok(_) if !d.is_empty() => Err(format!(
                        "`messageOctetsHEX` has {} octets after the end of the message",
                        d.len()
                    )),
                    Ok(m) => Ok(m),
                }
            }
        };
        let out = match result {
            Ok(m) => self.finish(&m, path),
            Err(why) => {
                self.report(Code::JsonBadOctets, path, At::Value, why);
                None
            }
        };
        path.pop();
        out
    }

    fn array<'v>(&mut self, v: &'v Value, path: &[Seg]) -> Option<&'v Vec<Value>> {
        match v {
            Value::Array(items) if items.len() > MAX_RECORDS_PER_SECTION => {
                self.report(
                    Code::TooManyRecords,
                    path,
                    At::Value,
                    format!("more than {MAX_RECORDS_PER_SECTION} records in one section"),
                );
                None
            }
            Value::Array(items) => Some(items),
            _ => {
                self.report(
                    Code::JsonBadMember,
                    path,
                    At::Value,
                    "this must be an array of record objects",
                );
                None
            }
        }
    }

    /// `QNAME`, `QTYPE` and `QCLASS` of the message object.
    fn qname(&mut self, o: &Map<String, Value>, path: &mut Vec<Seg>) -> Option<Query> {
        let name = self.name(o, path, "QNAME")?;
        let rtype = self.rtype(o, path, "QTYPE")?;
        let class = self.class(o, path, "QCLASS")?;
        let mut q = Query::query(name, RecordType::from(rtype));
        q.set_query_class(DNSClass::from(class));
        Some(q)
    }

    /// An object of `questionRRs`: `NAME`, `TYPE`, `CLASS`.
    fn question(&mut self, v: &Value, path: &mut Vec<Seg>) -> Option<Query> {
        let Value::Object(o) = v else {
            self.report(
                Code::JsonBadMember,
                path,
                At::Value,
                "a question is an object with NAME, TYPE and CLASS",
            );
            return None;
        };
        self.unknown_members(o, path, RECORD_MEMBERS, "question");
        let name = self.name(o, path, "NAME")?;
        let rtype = self.rtype(o, path, "TYPE")?;
        let class = self.class(o, path, "CLASS")?;
        let mut q = Query::query(name, RecordType::from(rtype));
        q.set_query_class(DNSClass::from(class));
        Some(q)
    }

    fn name(&mut self, o: &Map<String, Value>, path: &mut Vec<Seg>, key: &str) -> Option<Name> {
        let Some(s) = self.string(o, path, key) else {
            if !has(o, key) {
                self.report(
                    Code::JsonMissingMember,
                    path,
                    At::Value,
                    format!("`{key}` (the name) is missing"),
                );
            }
            return None;
        };
        match parse_name(s.as_bytes()) {
            Ok(n) => Some(n),
            Err(why) => {
                path.push(Seg::Key(key.into()));
                self.report(Code::JsonBadName, path, At::Value, why);
                path.pop();
                None
            }
        }
    }

    /// `TYPE` (a number) or `TYPEname` (a mnemonic), for `key` `TYPE` or
    /// `QTYPE`.
    fn rtype(&mut self, o: &Map<String, Value>, path: &mut Vec<Seg>, key: &str) -> Option<u16> {
        let name_key = format!("{key}name");
        let number = self.int(o, path, key, 65535).map(|v| v as u16);
        let named = match self.string(o, path, &name_key) {
            None => None,
            Some(s) => match type_code(s.as_bytes()) {
                Some(c) => Some(c),
                None => {
                    path.push(Seg::Key(name_key.clone()));
                    self.report(
                        Code::JsonBadMember,
                        path,
                        At::Value,
                        format!("`{s}` is not a record type such as A or SOA"),
                    );
                    path.pop();
                    return None;
                }
            },
        };
        match (number, named) {
            (Some(a), Some(b)) if a != b => {
                path.push(Seg::Key(name_key));
                self.report(
                    Code::JsonBadMember,
                    path,
                    At::Value,
                    format!("`{key}` is {a} but `{key}name` names type {b}"),
                );
                path.pop();
                None
            }
            (Some(a), _) => Some(a),
            (None, Some(b)) => Some(b),
            (None, None) => {
                if !has(o, key) {
                    self.report(
                        Code::JsonMissingMember,
                        path,
                        At::Value,
                        format!("`{key}` (the type, such as 1 for A) is missing"),
                    );
                }
                None
            }
        }
    }

    /// `CLASS` or `CLASSname` (IN when neither is given).
    fn class(&mut self, o: &Map<String, Value>, path: &mut Vec<Seg>, key: &str) -> Option<u16> {
        let name_key = format!("{key}name");
        if has(o, key) {
            return self.int(o, path, key, 65535).map(|v| v as u16);
        }
        match self.string(o, path, &name_key) {
            None if has(o, &name_key) => None,
            None => Some(1),
            Some(s) => match class_code(s.as_bytes()) {
                Some(c) => Some(c),
                None => {
                    path.push(Seg::Key(name_key));
                    self.report(
                        Code::JsonBadMember,
                        path,
                        At::Value,
                        format!("`{s}` is not a class such as IN"),
                    );
                    path.pop();
                    None
                }
            },
        }
    }

    /// A resource record object: one record, or one per member of its
    /// `rrSet`. `None` after an error (reported).
    fn record(&mut self, v: &Value, path: &mut Vec<Seg>) -> Option<Vec<Record>> {
        let Value::Object(o) = v else {
            self.report(
                Code::JsonBadMember,
                path,
                At::Value,
                "a record is an object with NAME, TYPE, CLASS, TTL and RDATAHEX",
            );
            return None;
        };
        self.unknown_members(o, path, RECORD_MEMBERS, "resource record");
        let name = self.name(o, path, "NAME");
        let rtype = self.rtype(o, path, "TYPE");
        let class = self.class(o, path, "CLASS");
        let ttl = self
            .int(o, path, "TTL", u64::from(u32::MAX))
            .map(|v| v as u32);
        if !has(o, "TTL") {
            self.report(Code::JsonMissingMember, path, At::Value, "`TTL` is missing");
        }
        let (name, rtype, class, ttl) = (name?, rtype?, class?, ttl?);
        let head = Head {
            name,
            rtype,
            class,
            ttl,
        };
        if let Some(set) = get(o, "rrSet") {
            path.push(Seg::Key("rrSet".into()));
            let mut out = Vec::new();
            if let Some(items) = self.array(set, path) {
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    match item {
                        Value::Object(d) => {
                            self.unknown_members(
                                d,
                                path,
                                &["RDLENGTH", "RDATAHEX"],
                                "rrSet member",
                            );
                            if let Some(r) = self.data(d, path, &head) {
                                out.push(r);
                            }
                        }
                        _ => self.report(
                            Code::JsonBadMember,
                            path,
                            At::Value,
                            "a member of `rrSet` is an object with RDATAHEX (or rdata<TYPE>)",
                        ),
                    }
                    path.pop();
                }
            }
            path.pop();
            return Some(out);
        }
        self.data(o, path, &head).map(|r| vec![r])
    }

    /// The data of a record (`RDATAHEX`, `rdata<TYPE>`, or nothing with
    /// `RDLENGTH` 0), checked against `RDLENGTH`, made into a record.
    fn data(&mut self, o: &Map<String, Value>, path: &mut Vec<Seg>, head: &Head) -> Option<Record> {
        let rdlength = self.int(o, path, "RDLENGTH", 65535).map(|v| v as usize);
        // The presentation-form members, checked against the type.
        let mut text = None;
        let mut reported = false;
        for (k, v) in o {
            let Some(suffix) = k.strip_prefix("rdata") else {
                continue;
            };
            if v.is_null() {
                continue;
            }
            path.push(Seg::Key(k.clone()));
            match type_code(suffix.as_bytes()) {
                None => self.report(Code::JsonUnknownMember, path, At::Key, format!("RFC 8427 defines no member `{k}`: `{suffix}` is not a record type; it is ignored")),
                Some(c) if c != head.rtype => {
                    reported = true;
                    self.report(
                        Code::JsonBadMember,
                        path,
                        At::Key,
                        format!("`{k}` is the data of a {} record, but this record is of type {}", zone::type_name(c), zone::type_name(head.rtype)),
                    );
                }
                Some(_) => match v {
                    Value::String(s) => text = Some((k.clone(), s.clone())),
                    _ => {
                        reported = true;
                        self.report(Code::JsonBadMember, path, At::Value, format!("`{k}` must be a string"));
                    }
                },
            }
            path.pop();
        }
        let data = if let Some(hex_text) = self.string(o, path, "RDATAHEX") {
            path.push(Seg::Key("RDATAHEX".into()));
            let d = hex(hex_text.as_bytes());
            if d.is_none() {
                self.report(
                    Code::JsonBadRdata,
                    path,
                    At::Value,
                    "`RDATAHEX` is not hex (two digits per octet)",
                );
            }
            path.pop();
            d?
        } else if let Some((key, value)) = text {
            path.push(Seg::Key(key));
            let d = self.presentation(head.rtype, &value, path);
            path.pop();
            d?
        } else if has(o, "RDATAHEX") || reported {
            return None;
        } else if rdlength == Some(0) {
            Vec::new()
        } else {
            self.report(
                Code::JsonMissingMember,
                path,
                At::Value,
                format!(
                    "the record data is missing: give `RDATAHEX`, or `rdata{}`",
                    zone::type_name(head.rtype)
                ),
            );
            return None;
        };
        if let Some(n) = rdlength
            && n != data.len()
        {
            path.push(Seg::Key("RDLENGTH".into()));
            self.report(
                Code::JsonBadRdata,
                path,
                At::Value,
                format!(
                    "`RDLENGTH` is {n}, but the record data has {} octets",
                    data.len()
                ),
            );
            path.pop();
            return None;
        }
        match head.record(&data) {
            Ok(r) => Some(r),
            Err(why) => {
                self.report(Code::JsonBadRdata, path, At::Value, why);
                None
            }
        }
    }

    /// Record data in presentation form, read by the zone-file reader.
    fn presentation(&mut self, rtype: u16, value: &str, path: &[Seg]) -> Option<Vec<u8>> {
        if value.chars().any(char::is_control) {
            self.report(
                Code::JsonBadRdata,
                path,
                At::Value,
                "the record data holds a line break or another control character",
            );
            return None;
        }
        // RFC 8427 gives TXT as "a text value": quote it when it is not
        // already in presentation form (as kdig writes it).
        let value = if matches!(rtype, 16 | 99) && !value.trim_start().starts_with('"') {
            quote_text(value)
        } else {
            value.to_string()
        };
        let line = format!(". 0 IN {} {value}", zone::type_name(rtype));
        let mut batch = Batch::default();
        batch.push(line.as_bytes(), 1, 0, false);
        let (records, problems) = batch.read();
        if let Some(p) = problems.iter().find(|p| p.severity == Severity::Error) {
            self.report(Code::JsonBadRdata, path, At::Value, p.describe());
            return None;
        }
        let record = records.into_iter().next()?;
        match zone::rdata_wire(&record.record.data) {
            Some(w) => Some(w),
            None => {
                self.report(
                    Code::JsonBadRdata,
                    path,
                    At::Value,
                    "the record data cannot be put in wire form",
                );
                None
            }
        }
    }
}

/// A text as TXT character-strings: quoted, `"` and `\` escaped, cut into
/// strings of at most 255 octets.
fn quote_text(value: &str) -> String {
    let bytes = value.as_bytes();
    if bytes.is_empty() {
        return "\"\"".into();
    }
    let mut out = String::new();
    for chunk in bytes.chunks(255) {
        out.push_str(&crate::zone::quote(chunk));
        out.push(' ');
    }
    out
}

/// The fields of a record before its data.
struct Head {
    name: Name,
    rtype: u16,
    class: u16,
    ttl: u32,
}

impl Head {
    /// The record with `data`, as hickory-proto reads it from the wire.
    /// The data is read on its own, so a compression pointer (which would
    /// point into the message it was taken from) is refused.
    fn record(&self, data: &[u8]) -> Result<Record, String> {
        let len = u16::try_from(data.len())
            .map_err(|_| "the record data is longer than 65535 octets".to_string())?;
        let rtype = RecordType::from(self.rtype);
        let what = || {
            format!(
                "the data is not valid {} record data",
                zone::type_name(self.rtype)
            )
        };
        let rdata = if data.is_empty() {
            // As hickory reads empty data (kept only in UPDATE messages and
            // for OPT).
            RData::Update0(rtype)
        } else {
            let mut d = BinDecoder::new(data);
            let rdata = RData::read(&mut d, rtype, Restrict::new(len))
                .map_err(|e| format!("{}: {e}", what()))?;
            if !d.is_empty() {
                return Err(format!("{}: {} octets are left over", what(), d.len()));
            }
            rdata
        };
        let mut record = Record::from_rdata(self.name.clone(), self.ttl, rdata);
        record.dns_class = if rtype == RecordType::OPT {
            if !self.name.is_root() {
                return Err("an OPT record's NAME is the root, `.`".into());
            }
            DNSClass::for_opt(self.class)
        } else {
            DNSClass::from(self.class)
        };
        Ok(record)
    }
}

#[cfg(test)]
mod tests;
