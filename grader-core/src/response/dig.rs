//! dig's output (BIND 9.16 to 9.20) → messages.
//!
//! The output is read line by line. A message starts at its
//! `;; ->>HEADER<<-` line and runs until the next output's banner, `;; Got
//! answer:` or header. Header, flags, EDNS and question lines are read
//! here; the records of the ANSWER, AUTHORITY and ADDITIONAL sections (zone
//! file syntax, fully qualified, `+multi` parentheses and comments
//! included) are handed, section by section, to the zone-file reader.

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::rdata::OPT;
use hickory_proto::rr::rdata::opt::EdnsOption;
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

use super::diag::{Code, Sink};
use super::opt::{self, EdnsLine, OptionLine};
use super::text::{
    Batch, Line, ZoneProblem, canonical, class_code, column, lines, number, parse_name, shown,
    type_code,
};
use super::text::{guess, wrong_format};
use super::{Format, MAX_MESSAGES, MAX_RECORDS_PER_SECTION, ReadMessage, Transport};
use crate::zone::Severity;

/// Where the reader is in one dig output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    /// Outside any section (header lines, footer, between outputs).
    None,
    /// After a header that could not be read: lines until the next output
    /// are ignored.
    Skip,
    Opt,
    Question,
    /// ANSWER (0), AUTHORITY (1) or ADDITIONAL (2).
    Records(usize),
    /// TSIG or SIG(0) pseudosection.
    Signature,
}

/// The `;; flags:` line.
struct Flags {
    line: u32,
    qr: bool,
    aa: bool,
    tc: bool,
    rd: bool,
    ra: bool,
    ad: bool,
    cd: bool,
    /// QUERY, ANSWER, AUTHORITY, ADDITIONAL: the count, its label as
    /// printed and its column.
    counts: [(u16, String, u32); 4],
}

/// A message being read.
struct Pending {
    first_line: u32,
    header_line: u32,
    opcode: u8,
    status: u16,
    status_column: u32,
    id: u16,
    flags: Option<Flags>,
    edns: Option<EdnsLine>,
    edns_bad: bool,
    options: Vec<EdnsOption>,
    /// Octets the options take in the OPT record.
    options_size: usize,
    questions: Vec<Query>,
    question_bad: bool,
    batches: [Batch; 3],
    /// Records (first lines) per section.
    heads: [usize; 3],
    too_many: bool,
    signatures: usize,
    server: Option<String>,
    transport: Option<Transport>,
    /// Read after `;; Truncated, retrying in TCP mode.`.
    after_truncation: bool,
}

struct Reader<'i, 's> {
    sink: &'s mut Sink,
    lines: Vec<Line<'i>>,
    /// Bytes of blank common to every non-blank line (an indented paste).
    indent: usize,
    section: Section,
    current: Option<Pending>,
    /// The first line of the output being read, until its header.
    start: Option<u32>,
    next_tcp: bool,
    banner_tcp: bool,
    messages: Vec<ReadMessage>,
    headers: usize,
    stopped: bool,
    /// Inside a run of stray lines (one warning per run).
    stray_run: bool,
    /// The first line that is neither blank nor a comment, and whether it
    /// looks like a record: for output without any header.
    first_content: Option<(u32, bool)>,
    /// A reason for having no message was already given.
    explained: bool,
    /// `+yaml` output was seen (and reported): its lines are not stray.
    yaml: bool,
    /// The last `;; communications error ...` or connection failure.
    last_failure: Option<String>,
}

/// Reads dig output.
pub(crate) fn read(input: &[u8], sink: &mut Sink) -> Vec<ReadMessage> {
    let lines = lines(input);
    let indent = lines
        .iter()
        .filter(|l| l.text.iter().any(|b| !b.is_ascii_whitespace()))
        .map(|l| {
            l.text
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count()
        })
        .min()
        .unwrap_or(0);
    let mut r = Reader {
        sink,
        lines,
        indent,
        section: Section::None,
        current: None,
        start: None,
        next_tcp: false,
        banner_tcp: false,
        messages: Vec::new(),
        headers: 0,
        stopped: false,
        stray_run: false,
        first_content: None,
        explained: false,
        yaml: false,
        last_failure: None,
    };
    for i in 0..r.lines.len() {
        if r.stopped {
            break;
        }
        let l = r.lines[i];
        r.line(l);
    }
    r.flush();
    if r.headers == 0 {
        r.no_header(input);
    }
    r.messages
}

/// Whether `t` starts with `prefix`, ignoring ASCII case.
fn starts(t: &str, prefix: &str) -> bool {
    t.len() >= prefix.len() && t.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Byte offset of `part` (a slice of `whole`) in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(whole.as_ptr() as usize)
        .min(whole.len())
}

/// The words of a line (blank-separated, backslash escapes kept), as
/// byte ranges.
fn words(t: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if t[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let s = i;
        while i < t.len() && !t[i].is_ascii_whitespace() {
            i += if t[i] == b'\\' { 2 } else { 1 };
        }
        i = i.min(t.len());
        out.push((s, i));
    }
    out
}

const OPCODES: [&str; 16] = [
    "QUERY",
    "IQUERY",
    "STATUS",
    "RESERVED3",
    "NOTIFY",
    "UPDATE",
    "RESERVED6",
    "RESERVED7",
    "RESERVED8",
    "RESERVED9",
    "RESERVED10",
    "RESERVED11",
    "RESERVED12",
    "RESERVED13",
    "RESERVED14",
    "RESERVED15",
];

fn opcode_code(t: &str) -> Option<u8> {
    if let Some(i) = OPCODES.iter().position(|n| n.eq_ignore_ascii_case(t)) {
        return Some(i as u8);
    }
    number(t.as_bytes(), 15).map(|v| v as u8)
}

fn status_code(t: &str) -> Option<u16> {
    if let Some(c) = super::rcode_code(t) {
        return Some(c);
    }
    // dig prints codes without a name as numbers.
    number(t.as_bytes(), 4095).map(|v| v as u16)
}

impl<'i> Reader<'i, '_> {
    /// The text of `l` without the common indent, and the number of bytes
    /// left out.
    fn dedent(&self, l: &Line<'i>) -> (&'i [u8], usize) {
        let d = self.indent.min(l.text.len());
        (&l.text[d..], d)
    }

    fn line(&mut self, l: Line<'i>) {
        let (t, d) = self.dedent(&l);
        let end = t
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |p| p + 1);
        let t = &t[..end];
        if t.is_empty() {
            self.stray_run = false;
            return;
        }
        if t.starts_with(b";;") {
            self.stray_run = false;
            self.double(&l, t, d);
        } else if t.starts_with(b";") {
            self.stray_run = false;
            self.single(&l, t, d);
        } else if t.starts_with(b"dig: ") {
            self.stray_run = false;
            self.flush();
            self.section = Section::None;
            self.explained = true;
            self.start = None;
            self.sink.at(
                Code::DigError,
                l.number,
                column(l.text, d),
                shown(t),
                format!("dig reported an error instead of a response: {}", shown(t)),
            );
        } else {
            self.content(&l, t, d);
        }
    }

    /// A line that is not a comment.
    fn content(&mut self, l: &Line<'i>, t: &'i [u8], d: usize) {
        let blank_start = t[0] == b' ' || t[0] == b'\t';
        match self.section {
            Section::Records(i) => {
                self.stray_run = false;
                let Some(p) = self.current.as_mut() else {
                    return;
                };
                if !blank_start {
                    p.heads[i] += 1;
                    if p.heads[i] > MAX_RECORDS_PER_SECTION && !p.too_many {
                        p.too_many = true;
                        self.sink.at(
                            Code::TooManyRecords,
                            l.number,
                            column(l.text, d),
                            "",
                            format!(
                                "this section has more than {MAX_RECORDS_PER_SECTION} records; the message is not read"
                            ),
                        );
                    }
                }
                if !blank_start && t[0] == b'$' {
                    // dig prints records, never zone-file directives; a
                    // `$GENERATE` here would make thousands of records.
                    self.sink.at(
                        Code::DigBadRecord,
                        l.number,
                        column(l.text, d),
                        shown(t),
                        "dig output has no `$` directives ($ORIGIN, $TTL, $GENERATE): hand in dig's output as it printed it; this line is skipped",
                    );
                    return;
                }
                if !p.too_many {
                    let shift = column(l.text, d) - 1;
                    p.batches[i].push(t, l.number, shift, !blank_start);
                }
            }
            Section::Signature => {
                if !blank_start && let Some(p) = self.current.as_mut() {
                    p.signatures += 1;
                }
            }
            Section::Skip => {}
            Section::Question => {
                self.stray_run = false;
                self.sink.at(
                    Code::DigBadQuestion,
                    l.number,
                    column(l.text, d),
                    shown(t),
                    "a line of the QUESTION SECTION starts with `;` (`;name. IN A`): this line does not",
                );
                if let Some(p) = self.current.as_mut() {
                    p.question_bad = true;
                }
            }
            Section::None | Section::Opt => {
                let yaml = t == b"-" || t.starts_with(b"- type:") || t == b"type: MESSAGE";
                if yaml && !self.yaml {
                    self.yaml = true;
                    self.explained = true;
                    self.sink.at(
                        Code::DigYamlOutput,
                        l.number,
                        column(l.text, d),
                        shown(t),
                        "this is `dig +yaml` output, which is not read here: run dig without +yaml and paste its usual output",
                    );
                }
                if self.headers == 0 {
                    if self.first_content.is_none() && !yaml {
                        self.first_content = Some((l.number, looks_like_record(t)));
                    }
                    return;
                }
                if !self.stray_run && !self.yaml {
                    self.sink.at(
                        Code::DigStrayText,
                        l.number,
                        column(l.text, d),
                        shown(t),
                        "this text is not part of dig's output (or stands outside any section): it is ignored",
                    );
                }
                self.stray_run = true;
            }
        }
    }

    /// A line starting with `;` but not `;;`.
    fn single(&mut self, l: &Line<'i>, t: &'i [u8], d: usize) {
        let s = String::from_utf8_lossy(t);
        if s.contains("<<>>") && s.to_ascii_lowercase().contains("<<>> dig") {
            self.flush();
            self.section = Section::None;
            self.start = Some(l.number);
            self.banner_tcp = false;
            // The command line, after the second `<<>>`: `+tcp` and `+vc`
            // mean TCP even where dig 9.16 does not print the transport.
            let args = s.splitn(3, "<<>>").nth(2).unwrap_or("");
            for a in args.split_whitespace() {
                match a {
                    "+tcp" | "+vc" => self.banner_tcp = true,
                    "+notcp" | "+novc" => self.banner_tcp = false,
                    _ => {}
                }
            }
            return;
        }
        match self.section {
            Section::Question => self.question(l, t, d),
            Section::Opt => self.option(l, &s, d),
            Section::Records(i) => {
                // A comment inside a section: the zone reader skips it.
                if let Some(p) = self.current.as_mut()
                    && !p.too_many
                {
                    let shift = column(l.text, d) - 1;
                    p.batches[i].push(t, l.number, shift, false);
                }
            }
            _ => {}
        }
    }

    /// A line starting with `;;`.
    fn double(&mut self, l: &Line<'i>, t: &'i [u8], d: usize) {
        let s = String::from_utf8_lossy(t);
        let body = s[2..].trim_start();
        let n = l.number;
        let col = |off: usize| column(l.text, d + off);
        if starts(body, "->>HEADER<<-") {
            self.header(l, &s, d);
            return;
        }
        if starts(body, "flags:") {
            self.flags(l, &s, d);
            return;
        }
        if self.section == Section::Skip {
            // After a header that could not be read, until the next output.
            if starts(body, "Got answer") || starts(body, "Sending") {
                self.section = Section::None;
            } else {
                return;
            }
        }
        let section_of = |name: &str| match name {
            "OPT PSEUDOSECTION:" => Some(Section::Opt),
            "QUESTION SECTION:" | "ZONE SECTION:" => Some(Section::Question),
            "ANSWER SECTION:" | "PREREQUISITE SECTION:" => Some(Section::Records(0)),
            "AUTHORITY SECTION:" | "UPDATE SECTION:" => Some(Section::Records(1)),
            "ADDITIONAL SECTION:" => Some(Section::Records(2)),
            "TSIG PSEUDOSECTION:" | "SIG0 PSEUDOSECTION:" => Some(Section::Signature),
            _ => None,
        };
        if let Some(section) = section_of(body) {
            if self.current.is_none() {
                self.section = Section::None;
                return;
            }
            self.section = section;
            if section == Section::Signature {
                self.sink.at(
                    Code::DigSignatureSkipped,
                    n,
                    col(0),
                    shown(t),
                    "the message is signed (TSIG or SIG(0)); the signature is not kept",
                );
            }
            return;
        }
        self.section = Section::None;
        if starts(body, "Got answer") || starts(body, "Sending") {
            self.flush();
            self.start.get_or_insert(n);
        } else if starts(body, "SERVER:") {
            self.server(l, &s, d);
        } else if starts(body, "Truncated, retrying in TCP mode") {
            self.flush();
            self.next_tcp = true;
        } else if body.contains("no servers could be reached") {
            self.flush();
            self.explained = true;
            self.start = None;
            let why = self
                .last_failure
                .take()
                .map(|f| format!(" (dig said: {f})"))
                .unwrap_or_default();
            self.sink.at(
                Code::DigNoResponse,
                n,
                col(0),
                shown(t),
                format!(
                    "dig got no response here{why}: the server did not answer; is it running and listening on that address and port?"
                ),
            );
        } else if starts(body, "communications error") || starts(body, "Connection to") {
            self.last_failure = Some(body.to_string());
        } else if starts(body, "ERROR") {
            self.flush();
            self.explained = true;
            self.start = None;
            self.sink.at(
                Code::DigError,
                n,
                col(0),
                shown(t),
                format!(
                    "dig reported an error instead of a response: {}",
                    shown(body.as_bytes())
                ),
            );
        } else if starts(body, "WARNING")
            || starts(body, "Warning")
            || starts(body, "Question section mismatch")
            || starts(body, "Couldn't verify")
        {
            let routine = body.contains("recursion requested but not available")
                || body.contains("is reserved for Multicast DNS");
            if !routine {
                self.sink.at(
                    Code::DigWarning,
                    n,
                    col(0),
                    shown(t),
                    format!("dig warned about this response: {}", shown(body.as_bytes())),
                );
            }
        } else if starts(body, "BADVERS, retrying") || starts(body, "BADCOOKIE, retrying") {
            self.flush();
        }
        // Everything else (global options, query time, WHEN, MSG SIZE,
        // QUERY SIZE, ...) is a comment.
    }

    fn header(&mut self, l: &Line<'i>, s: &str, d: usize) {
        self.flush();
        self.stray_run = false;
        self.headers += 1;
        let n = l.number;
        let col = |off: usize| column(l.text, d + off);
        let rest_at = s.find("<<-").map_or(s.len(), |p| p + 3);
        let rest = &s[rest_at..];
        if rest.contains("; status") || rest.contains(";status") {
            self.section = Section::Skip;
            self.start = None;
            self.sink.at(
                Code::DigBadHeader,
                n,
                col(0),
                shown(s.as_bytes()),
                "this looks like kdig's output, which is not read here: hand in `kdig +json` output as JSON (RFC 8427) instead, or use BIND's dig",
            );
            return;
        }
        let (mut opcode, mut status, mut id) = (None, None, None);
        let mut status_column = col(rest_at);
        let mut problem = None;
        for part in rest.split(',') {
            let Some((key, value)) = part.split_once(':') else {
                problem.get_or_insert((
                    offset_in(s, part),
                    format!("`{}` is not `name: value`", part.trim()),
                ));
                continue;
            };
            let value = value.trim();
            let at = offset_in(s, value);
            match key.trim() {
                "opcode" => match opcode_code(value) {
                    Some(c) => opcode = Some(c),
                    None => {
                        problem.get_or_insert((
                            at,
                            format!("`{value}` is not an opcode such as QUERY"),
                        ));
                    }
                },
                "status" => {
                    status_column = col(at);
                    match status_code(value) {
                        Some(c) => status = Some(c),
                        None => {
                            problem.get_or_insert((
                                at,
                                format!("`{value}` is not a status such as NOERROR or NXDOMAIN"),
                            ));
                        }
                    }
                }
                "id" => match number(value.as_bytes(), 65535) {
                    Some(v) => id = Some(v as u16),
                    None => {
                        problem
                            .get_or_insert((at, format!("`{value}` is not an id from 0 to 65535")));
                    }
                },
                other => {
                    problem.get_or_insert((
                        offset_in(s, part),
                        format!("unexpected `{}`", other.trim()),
                    ));
                }
            }
        }
        let missing = [
            ("opcode", opcode.is_none()),
            ("status", status.is_none()),
            ("id", id.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(w, _)| *w)
        .collect::<Vec<_>>();
        let (Some(opcode), Some(status), Some(id)) = (opcode, status, id) else {
            let (at, why) =
                problem.unwrap_or((s.len(), format!("the {} is missing", missing.join(" and "))));
            self.section = Section::Skip;
            self.start = None;
            self.sink.at(
                Code::DigBadHeader,
                n,
                col(at),
                shown(s.as_bytes()),
                format!(
                    "the header line cannot be read ({why}): it reads `;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1234`; this message is skipped"
                ),
            );
            return;
        };
        let first_line = self.start.take().unwrap_or(n);
        let after_truncation = std::mem::take(&mut self.next_tcp);
        self.current = Some(Pending {
            first_line,
            header_line: n,
            opcode,
            status,
            status_column,
            id,
            flags: None,
            edns: None,
            edns_bad: false,
            options: Vec::new(),
            options_size: 0,
            questions: Vec::new(),
            question_bad: false,
            batches: Default::default(),
            heads: [0; 3],
            too_many: false,
            signatures: 0,
            server: None,
            transport: None,
            after_truncation,
        });
        self.section = Section::None;
    }

    fn flags(&mut self, l: &Line<'i>, s: &str, d: usize) {
        let n = l.number;
        let col = |off: usize| column(l.text, d + off);
        if self.section == Section::Skip {
            return;
        }
        self.section = Section::None;
        let Some(p) = self.current.as_mut() else {
            self.sink.at(
                Code::DigBadFlags,
                n,
                col(0),
                shown(s.as_bytes()),
                "a flags line without a `;; ->>HEADER<<-` line before it: is part of the output missing?",
            );
            return;
        };
        if p.flags.is_some() {
            self.sink.at(
                Code::DigBadFlags,
                n,
                col(0),
                shown(s.as_bytes()),
                "a second flags line for one message: is part of the output missing?",
            );
            return;
        }
        let rest_at = s
            .find("flags:")
            .or_else(|| s.find("Flags:"))
            .map_or(s.len(), |p| p + 6);
        let rest = &s[rest_at..];
        let mut parts = rest.split(';');
        let mut f = Flags {
            line: n,
            qr: false,
            aa: false,
            tc: false,
            rd: false,
            ra: false,
            ad: false,
            cd: false,
            counts: Default::default(),
        };
        for w in parts.next().unwrap_or("").split_whitespace() {
            match w {
                "qr" => f.qr = true,
                "aa" => f.aa = true,
                "tc" => f.tc = true,
                "rd" => f.rd = true,
                "ra" => f.ra = true,
                "ad" => f.ad = true,
                "cd" => f.cd = true,
                other => self.sink.at(
                    Code::DigUnsupportedFlag,
                    n,
                    col(offset_in(s, w)),
                    other,
                    format!("the header flag `{other}` cannot be kept (hickory-proto has no field for it); it is dropped"),
                ),
            }
        }
        let mut seen = [false; 4];
        let mut problem = None;
        for part in parts {
            let part_t = part.trim();
            if let Some(z) = part_t.strip_prefix("MBZ:") {
                self.sink.at(
                    Code::DigUnsupportedFlag,
                    n,
                    col(offset_in(s, part_t)),
                    part_t,
                    format!("the header's Z bit is set (MBZ:{z}); hickory-proto cannot hold it, so it is dropped"),
                );
                continue;
            }
            for item in part.split(',') {
                let Some((key, value)) = item.split_once(':') else {
                    if !item.trim().is_empty() {
                        problem.get_or_insert((
                            offset_in(s, item),
                            format!("`{}` is not `NAME: count`", item.trim()),
                        ));
                    }
                    continue;
                };
                let value = value.trim();
                let key = key.trim();
                let slot = match key {
                    "QUERY" | "ZONE" => 0,
                    "ANSWER" | "PREREQ" => 1,
                    "AUTHORITY" | "UPDATE" => 2,
                    "ADDITIONAL" => 3,
                    _ => {
                        problem.get_or_insert((
                            offset_in(s, item),
                            format!("`{key}` is not a section count"),
                        ));
                        continue;
                    }
                };
                match number(value.as_bytes(), 65535) {
                    Some(v) => {
                        f.counts[slot] = (v as u16, key.to_string(), col(offset_in(s, value)));
                        seen[slot] = true;
                    }
                    None => {
                        problem.get_or_insert((
                            offset_in(s, value),
                            format!("`{value}` is not a count from 0 to 65535"),
                        ));
                    }
                }
            }
        }
        if problem.is_none() && seen.iter().any(|s| !s) {
            problem = Some((s.len(), "a section count is missing".to_string()));
        }
        if let Some((at, why)) = problem {
            self.sink.at(
                Code::DigBadFlags,
                n,
                col(at),
                shown(s.as_bytes()),
                format!(
                    "the flags line cannot be read ({why}): it reads `;; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1`"
                ),
            );
            return;
        }
        p.flags = Some(f);
    }

    fn question(&mut self, l: &Line<'i>, t: &'i [u8], d: usize) {
        let n = l.number;
        let Some(p) = self.current.as_mut() else {
            return;
        };
        let body = &t[1..];
        let w = words(body);
        let col = |off: usize| column(l.text, d + 1 + off);
        let word = |i: usize| &body[w[i].0..w[i].1];
        let (class, rtype) = match w.len() {
            2 => (None, 1usize),
            3 => (Some(1usize), 2usize),
            _ => {
                p.question_bad = true;
                self.sink.at(
                    Code::DigBadQuestion,
                    n,
                    col(0),
                    shown(t),
                    "a question reads `;name. IN A`: the name, the class and the type",
                );
                return;
            }
        };
        if p.questions.len() >= MAX_RECORDS_PER_SECTION {
            if !p.too_many {
                p.too_many = true;
                self.sink.at(
                    Code::TooManyRecords,
                    n,
                    col(0),
                    "",
                    format!(
                        "more than {MAX_RECORDS_PER_SECTION} questions; the message is not read"
                    ),
                );
            }
            return;
        }
        let name = match parse_name(word(0)) {
            Ok(name) => name,
            Err(why) => {
                p.question_bad = true;
                self.sink
                    .at(Code::DigBadQuestion, n, col(w[0].0), shown(word(0)), why);
                return;
            }
        };
        let class = match class {
            None => 1,
            Some(i) => match class_code(word(i)) {
                Some(c) => c,
                None => {
                    p.question_bad = true;
                    self.sink.at(
                        Code::DigBadQuestion,
                        n,
                        col(w[i].0),
                        shown(word(i)),
                        format!("`{}` is not a class such as IN", shown(word(i))),
                    );
                    return;
                }
            },
        };
        let Some(rtype) = type_code(word(rtype)) else {
            p.question_bad = true;
            self.sink.at(
                Code::DigBadQuestion,
                n,
                col(w[rtype].0),
                shown(word(rtype)),
                format!(
                    "`{}` is not a record type such as A or SOA",
                    shown(word(rtype))
                ),
            );
            return;
        };
        let mut q = Query::query(name, RecordType::from(rtype));
        q.set_query_class(DNSClass::from(class));
        p.questions.push(q);
    }

    fn option(&mut self, l: &Line<'i>, s: &str, d: usize) {
        let n = l.number;
        let Some(p) = self.current.as_mut() else {
            return;
        };
        let body = s[1..].trim_start();
        let at = column(l.text, d + offset_in(s, body));
        if let Some(rest) = body.strip_prefix("EDNS:") {
            if p.edns.is_some() {
                self.sink.at(
                    Code::DigBadEdns,
                    n,
                    at,
                    shown(s.as_bytes()),
                    "a second `; EDNS:` line in one message: is part of the output missing?",
                );
                return;
            }
            match opt::edns_line(rest) {
                Ok(e) => {
                    for f in &e.unknown_flags {
                        self.sink.at(
                            Code::DigUnsupportedFlag,
                            n,
                            at,
                            f.as_str(),
                            format!("the EDNS flag `{f}` is not known here; it is dropped"),
                        );
                    }
                    p.edns = Some(e);
                }
                Err(why) => {
                    p.edns_bad = true;
                    self.sink.at(
                        Code::DigBadEdns,
                        n,
                        at,
                        shown(s.as_bytes()),
                        format!(
                            "the EDNS line cannot be read ({why}): it reads `; EDNS: version: 0, flags: do; udp: 1232`"
                        ),
                    );
                }
            }
            return;
        }
        if !opt::is_option_line(body) {
            return;
        }
        match opt::option_line(body) {
            Ok(OptionLine::Option(o)) => {
                // Each option takes 4 octets of code and length besides its
                // data; the OPT record's data holds at most 65535.
                let size = 4 + usize::from(o.len()).max(opt::data_len(&o));
                if p.options_size + size > 65535 {
                    self.sink.at(
                        Code::DigBadEdnsOption,
                        n,
                        at,
                        shown(body.as_bytes()),
                        "the EDNS options are longer than an OPT record can hold (65535 octets): this option is dropped",
                    );
                } else {
                    p.options_size += size;
                    p.options.push(o);
                }
            }
            Ok(OptionLine::Unsupported(name)) => self.sink.at(
                Code::DigUnknownEdnsOption,
                n,
                at,
                name.as_str(),
                format!("the EDNS option {name} is not kept; the rest of the message is read"),
            ),
            Err(why) => self.sink.at(
                Code::DigBadEdnsOption,
                n,
                at,
                shown(body.as_bytes()),
                format!("this EDNS option cannot be read: {why}"),
            ),
        }
    }

    fn server(&mut self, l: &Line<'i>, s: &str, d: usize) {
        let Some(p) = self.current.as_mut() else {
            return;
        };
        let rest_at = s.find("SERVER:").map_or(s.len(), |p| p + 7);
        let rest = s[rest_at..].trim();
        let server = rest.split('(').next().unwrap_or("").trim();
        if !server.is_empty() {
            p.server = Some(server.to_string());
        }
        // `addr#port(name) (UDP)`: dig 9.18 and later add the transport.
        let groups: Vec<&str> = rest
            .split('(')
            .skip(1)
            .filter_map(|g| g.split(')').next())
            .collect();
        if groups.len() >= 2 {
            let transport = groups[groups.len() - 1];
            match transport {
                "UDP" => p.transport = Some(Transport::Udp),
                "TCP" => p.transport = Some(Transport::Tcp),
                other => self.sink.at(
                    Code::DigUnknownTransport,
                    l.number,
                    column(l.text, d + offset_in(s, transport)),
                    other,
                    format!("the response came over {other}, neither UDP nor TCP: its transport is left unknown"),
                ),
            }
        }
    }

    /// Ends the message being read, if any.
    fn flush(&mut self) {
        let Some(p) = self.current.take() else {
            return;
        };
        if self.stopped {
            return;
        }
        let Some(flags) = p.flags.as_ref() else {
            self.sink.at(
                Code::DigBadFlags,
                p.header_line,
                1,
                "",
                "no `;; flags:` line follows this header: is part of the output missing? This message is skipped",
            );
            return;
        };
        if !flags.qr {
            self.sink.at(
                Code::DigQuerySkipped,
                p.header_line,
                1,
                "",
                "this is the query dig sent (+qr), not a response (no `qr` flag): it is skipped",
            );
            self.start.get_or_insert(p.first_line);
            return;
        }
        if p.too_many {
            return;
        }
        if self.messages.len() >= MAX_MESSAGES {
            self.stopped = true;
            self.sink.at(
                Code::TooManyMessages,
                p.first_line,
                1,
                "",
                format!("more than {MAX_MESSAGES} messages; the rest are not read"),
            );
            return;
        }
        if let Some(m) = self.build(p) {
            self.messages.push(m);
        }
    }

    fn build(&mut self, p: Pending) -> Option<ReadMessage> {
        let flags = p.flags?;
        if p.status > 15 && p.edns.is_none() && !p.edns_bad {
            self.sink.at(
                Code::DigBadHeader,
                p.header_line,
                p.status_column,
                "",
                format!(
                    "status {} is an extended code, which only EDNS can carry, but the message has no OPT PSEUDOSECTION",
                    p.status
                ),
            );
            return None;
        }
        let mut m = Message::new(p.id, MessageType::Response, OpCode::from_u8(p.opcode));
        m.metadata.authoritative = flags.aa;
        m.metadata.truncation = flags.tc;
        m.metadata.recursion_desired = flags.rd;
        m.metadata.recursion_available = flags.ra;
        m.metadata.authentic_data = flags.ad;
        m.metadata.checking_disabled = flags.cd;
        m.metadata.response_code = <ResponseCode as From<u16>>::from(p.status);
        m.queries = p.questions;
        let mut bad = [p.question_bad, false, false, false];
        let mut sections: [Vec<Record>; 3] = Default::default();
        for (i, batch) in p.batches.into_iter().enumerate() {
            let (records, problems) = batch.read();
            for z in problems {
                let code = match z.severity {
                    Severity::Error => {
                        bad[i + 1] = true;
                        Code::DigBadRecord
                    }
                    Severity::Warning => Code::DigRecordWarning,
                };
                let message = self.record_hint(&z).unwrap_or_else(|| z.describe());
                self.sink.at(code, z.line, z.column, z.text, message);
            }
            sections[i] = records.into_iter().map(|r| r.record).collect();
        }
        let [answers, authorities, additionals] = sections;
        m.answers = answers;
        m.authorities = authorities;
        m.additionals = additionals;
        if let Some(e) = &p.edns {
            let mut record = Record::from_rdata(
                Name::root(),
                (u32::from(<ResponseCode as From<u16>>::from(p.status).high()) << 24)
                    | (u32::from(e.version) << 16)
                    | (u32::from(e.dnssec_ok) << 15)
                    | u32::from(e.z & 0x7fff),
                RData::OPT(OPT::new(
                    p.options.into_iter().map(|o| ((&o).into(), o)).collect(),
                )),
            );
            record.dns_class = DNSClass::for_opt(e.udp);
            m.edns = Some(Edns::from(&record));
        }
        let read = [
            m.queries.len(),
            m.answers.len(),
            m.authorities.len(),
            m.additionals.len() + usize::from(m.edns.is_some() || p.edns_bad) + p.signatures,
        ];
        let names = ["QUESTION", "ANSWER", "AUTHORITY", "ADDITIONAL"];
        for i in 0..4 {
            let (said, label, col) = &flags.counts[i];
            if bad[i] || (i == 3 && p.edns_bad) || usize::from(*said) == read[i] {
                continue;
            }
            let extra = if i == 3 && m.edns.is_some() {
                " (the OPT pseudosection counts as one)"
            } else {
                ""
            };
            self.sink.at(
                Code::DigCountMismatch,
                flags.line,
                *col,
                said.to_string(),
                format!(
                    "the flags line says {label}: {said}, but the {} SECTION has {} record{}{extra}: is part of the output missing, or was it edited?",
                    names[i],
                    read[i],
                    if read[i] == 1 { "" } else { "s" }
                ),
            );
        }
        let message = match canonical(&m) {
            Ok(m) => m,
            Err(why) => {
                self.sink.at(
                    Code::MessageNotEncodable,
                    p.header_line,
                    1,
                    "",
                    format!("this message cannot be kept: {why}"),
                );
                return None;
            }
        };
        let transport = p
            .transport
            .or_else(|| (p.after_truncation || self.banner_tcp).then_some(Transport::Tcp));
        Some(ReadMessage {
            message,
            line: p.first_line,
            transport,
            server: p.server,
        })
    }

    /// A better message for a record dig printed with `+nocrypto` or
    /// `+nottlid`.
    fn record_hint(&self, z: &ZoneProblem) -> Option<String> {
        if z.code == crate::zone::Code::MissingTtl {
            return Some(
                "this record has no TTL (`dig +nottlid` leaves TTLs out): run dig without +nottlid"
                    .into(),
            );
        }
        let l = self
            .lines
            .get(usize::try_from(z.line).ok()?.checked_sub(1)?)?;
        let text = String::from_utf8_lossy(l.text);
        (text.contains("[omitted]") || text.contains("[key id =")).then(|| {
            "dig +nocrypto left out the key or signature (`[omitted]`): run dig without +nocrypto"
                .to_string()
        })
    }

    /// Explains output without any header.
    fn no_header(&mut self, input: &[u8]) {
        if self.explained {
            return;
        }
        if let Some(looks) = guess(input).filter(|&f| f != Format::Dig) {
            self.sink.at(
                Code::WrongFormat,
                1,
                1,
                "",
                wrong_format(Format::Dig, looks),
            );
            return;
        }
        if input.iter().all(u8::is_ascii_whitespace) {
            self.sink.at(
                Code::DigEmpty,
                1,
                1,
                "",
                "there is no dig output here: the text is empty",
            );
            return;
        }
        match self.first_content {
            Some((line, true)) => self.sink.at(
                Code::DigNoHeader,
                line,
                1,
                "",
                "these records come without dig's header (`;; ->>HEADER<<-` and `;; flags:` lines), which the grader needs: run dig without +noall, +nocomments or +short, and paste its whole output",
            ),
            Some((line, false)) => self.sink.at(
                Code::DigShortOutput,
                line,
                1,
                "",
                "this looks like `dig +short` output, which leaves out the header, flags and record names the grader needs: run dig without +short and paste its whole output",
            ),
            None => self.sink.at(
                Code::DigNoHeader,
                1,
                1,
                "",
                "there is no response in this dig output (no `;; ->>HEADER<<-` line): paste dig's whole output, from `; <<>> DiG` to `;; MSG SIZE`",
            ),
        }
    }
}

/// Whether a line looks like a record (`name ttl class type data`) rather
/// than `+short` output.
fn looks_like_record(t: &[u8]) -> bool {
    let w = words(t);
    w.len() >= 4 && w[1..4].iter().any(|&(s, e)| class_code(&t[s..e]).is_some())
}

#[cfg(test)]
mod tests;
