//! Entries → records: owner, TTL, class and type, directives, `$GENERATE`,
//! and the hand-over of record data to hickory-proto.

use hickory_proto::rr::rdata::NULL;
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{
    BinDecodable, BinDecoder, BinEncodable, BinEncoder, NameEncoding, Restrict,
};

use super::diag::{Code, Diagnostic};
use super::generate;
use super::lexer::{Entry, Lexer, Token, column};
use super::rdata::{self, Fields};
use super::sink::{Sink, shown};
use super::text::{Fault, MAX_TTL, lossy, parse_name, parse_ttl};
use super::types::{class_code, class_name, is_meta, is_supported, type_code, type_name};
use super::{Options, ZoneRecord};

struct Reader<'o> {
    options: &'o Options,
    /// Current `$ORIGIN`, wire form.
    origin: Option<Vec<u8>>,
    /// The apex: given, or the first SOA owner, or the first `$ORIGIN`.
    apex: Option<Vec<u8>>,
    default_ttl: Option<u32>,
    last_ttl: Option<u32>,
    last_owner: Option<Vec<u8>>,
    /// The last owner as a hickory name, to share between its records.
    owner_cache: Option<(Vec<u8>, Name)>,
    class: Option<u16>,
    records: Vec<ZoneRecord>,
    full: bool,
}

/// Reads `src` into records (file order) and reports problems to `sink`.
/// Returns the apex (if known) and the records.
pub(crate) fn read(
    src: &[u8],
    options: &Options,
    sink: &mut Sink,
) -> (Option<Name>, Vec<ZoneRecord>) {
    let apex = options.origin.as_ref().map(name_to_wire);
    let mut r = Reader {
        options,
        origin: apex.clone(),
        apex,
        default_ttl: None,
        last_ttl: None,
        last_owner: None,
        owner_cache: None,
        class: None,
        // About one record per 30 bytes of text: avoids regrowing a large Vec.
        records: Vec::with_capacity((src.len() / 30).min(options.limits.max_records)),
        full: false,
    };
    if src.len() > options.limits.max_input_bytes {
        sink.push(Diagnostic::new(
            Code::InputTooLarge,
            1,
            1,
            "",
            format!(
                "the file is {} bytes, more than the limit of {} bytes",
                src.len(),
                options.limits.max_input_bytes
            ),
        ));
        return (r.apex_name(), Vec::new());
    }
    let mut lexer = Lexer::new(src, options.limits.max_line_bytes);
    let mut entry = Entry::default();
    while !r.full && lexer.next_entry(&mut entry, sink) {
        if entry.bad || entry.tokens.is_empty() {
            continue;
        }
        let first = entry.tokens[0].text(src);
        if !entry.blank_start && first.first() == Some(&b'$') {
            r.directive(src, &entry, sink);
        } else {
            r.record(src, &entry, sink);
        }
    }
    (r.apex_name(), r.records)
}

fn name_to_wire(name: &Name) -> Vec<u8> {
    let mut wire = Vec::with_capacity(name.len() + 1);
    for label in name.iter() {
        wire.push(label.len() as u8);
        wire.extend_from_slice(label);
    }
    wire.push(0);
    wire
}

fn wire_to_name(wire: &[u8]) -> Result<Name, Fault> {
    Name::read(&mut BinDecoder::new(wire))
        .map_err(|e| Fault::new(Code::NameTooLong, format!("invalid name: {e}")))
}

/// The fields of a record line before its data.
struct Head {
    owner: Vec<u8>,
    ttl: Option<u32>,
    class: Option<u16>,
    rtype: u16,
    /// Index of the class token, if one was written.
    class_at: Option<usize>,
    /// Index of the first record-data token.
    data: usize,
}

impl Reader<'_> {
    fn apex_name(&self) -> Option<Name> {
        self.apex.as_deref().and_then(|w| wire_to_name(w).ok())
    }

    fn directive(&mut self, src: &[u8], entry: &Entry, sink: &mut Sink) {
        let toks = &entry.tokens;
        let name = toks[0].text(src);
        let args = &toks[1..];
        let one_arg = |sink: &mut Sink, what: &str| -> Option<Token> {
            match args {
                [a] => Some(*a),
                [] => {
                    sink.push_token(
                        src,
                        Code::BadDirective,
                        &toks[0],
                        format!("{} needs {what}", lossy(name)),
                    );
                    None
                }
                [_, extra, ..] => {
                    sink.push_token(
                        src,
                        Code::BadDirective,
                        extra,
                        format!("{} takes only {what}", lossy(name)),
                    );
                    None
                }
            }
        };
        if name.eq_ignore_ascii_case(b"$ORIGIN") {
            let Some(arg) = one_arg(sink, "one domain name") else {
                return;
            };
            match parse_name(arg.text(src), self.origin.as_deref()) {
                Ok(wire) => {
                    if self.apex.is_none() {
                        self.apex = Some(wire.clone());
                    }
                    self.origin = Some(wire);
                }
                Err(f) => sink.push_token(src, f.code, &arg, f.message),
            }
        } else if name.eq_ignore_ascii_case(b"$TTL") {
            let Some(arg) = one_arg(sink, "one TTL") else {
                return;
            };
            match parse_ttl(arg.text(src)) {
                Ok(ttl) => self.default_ttl = Some(cap_ttl(ttl, src, &arg, sink)),
                Err(f) => sink.push_token(src, f.code, &arg, f.message),
            }
        } else if name.eq_ignore_ascii_case(b"$INCLUDE") {
            sink.push_token(
                src,
                Code::IncludeRefused,
                &toks[0],
                "$INCLUDE is not allowed: a submission is one file; paste the included records here instead",
            );
        } else if name.eq_ignore_ascii_case(b"$GENERATE") {
            self.generate(src, entry, sink);
        } else {
            sink.push_token(
                src,
                Code::UnknownDirective,
                &toks[0],
                format!(
                    "unknown directive `{}`: use $ORIGIN, $TTL or $GENERATE",
                    lossy(name)
                ),
            );
        }
    }

    /// Reads owner, TTL, class and type. Reports and returns `None` on error.
    fn head(&mut self, src: &[u8], entry: &Entry, sink: &mut Sink) -> Option<Head> {
        let toks = &entry.tokens;
        let mut i = 0;
        let owner = if entry.blank_start {
            match &self.last_owner {
                Some(o) => o.clone(),
                None => {
                    let col = column(src, entry.line_start, toks[0].start);
                    sink.push(Diagnostic::new(
                        Code::MissingOwner,
                        entry.line,
                        col,
                        "",
                        "this line starts with a blank, so it reuses the previous owner name, but there is none: write the owner name at the start of the line",
                    ));
                    return None;
                }
            }
        } else {
            i = 1;
            match parse_name(toks[0].text(src), self.origin.as_deref()) {
                Ok(w) => w,
                Err(f) => {
                    sink.push_token(src, f.code, &toks[0], f.message);
                    return None;
                }
            }
        };
        self.last_owner = Some(owner.clone());
        let mut ttl = None;
        let mut class = None;
        let mut class_at = None;
        while let Some(tok) = toks.get(i) {
            let t = tok.text(src);
            if tok.quoted {
                break;
            }
            if t.first().is_some_and(u8::is_ascii_digit) && ttl.is_none() {
                match parse_ttl(t) {
                    Ok(v) => ttl = Some(cap_ttl(v, src, tok, sink)),
                    Err(f) => {
                        let message = if looks_like_address(t) {
                            format!(
                                "the record type is missing: `{}` stands where the type (such as A or AAAA) should be",
                                lossy(t)
                            )
                        } else {
                            f.message
                        };
                        let code = if looks_like_address(t) {
                            Code::MissingType
                        } else {
                            f.code
                        };
                        sink.push_token(src, code, tok, message);
                        return None;
                    }
                }
            } else if class.is_none()
                && let Some(c) = class_code(t)
            {
                class = Some(c);
                class_at = Some(i);
            } else {
                break;
            }
            i += 1;
        }
        let Some(tok) = toks.get(i) else {
            let last = toks[toks.len() - 1];
            sink.push_at(
                src,
                Code::MissingType,
                last.line,
                last.line_start,
                last.end,
                "",
                "the record type is missing: after the owner, TTL and class comes a type such as A, NS or MX",
            );
            return None;
        };
        let t = tok.text(src);
        let rtype = match type_code(t) {
            Some(c) => c,
            None => {
                let (code, msg) = if looks_like_address(t)
                    || t.first().is_some_and(u8::is_ascii_digit)
                {
                    (
                        Code::MissingType,
                        format!(
                            "the record type is missing: `{}` stands where the type (such as A or AAAA) should be",
                            lossy(t)
                        ),
                    )
                } else {
                    (
                        Code::UnknownType,
                        format!("`{}` is not a record type", lossy(t)),
                    )
                };
                let mut msg = msg;
                if !entry.blank_start && i == 1 && type_code(toks[0].text(src)).is_some() {
                    msg.push_str(&format!(
                        " (`{}` was read as the owner name because the line does not start with a blank)",
                        lossy(toks[0].text(src))
                    ));
                }
                sink.push_token(src, code, tok, msg);
                return None;
            }
        };
        let generic = toks
            .get(i + 1)
            .is_some_and(|t| !t.quoted && t.text(src) == b"\\#");
        if is_meta(rtype) {
            sink.push_token(
                src,
                Code::UnsupportedType,
                tok,
                format!(
                    "{} is a query or message type and cannot appear in a zone file",
                    type_name(rtype)
                ),
            );
            return None;
        }
        if !is_supported(rtype) && !generic {
            sink.push_token(
                src,
                Code::UnsupportedType,
                tok,
                format!(
                    "{} has no text form here: write its data in RFC 3597 form, `TYPE{rtype} \\# <length> <hex>`",
                    type_name(rtype)
                ),
            );
            return None;
        }
        Some(Head {
            owner,
            ttl,
            class,
            class_at,
            rtype,
            data: i + 1,
        })
    }

    fn record(&mut self, src: &[u8], entry: &Entry, sink: &mut Sink) {
        let Some(head) = self.head(src, entry, sink) else {
            return;
        };
        let toks = &entry.tokens;
        let type_tok = toks[head.data - 1];
        let mut fields = Fields::new(src, &toks[head.data..], self.origin.as_deref(), head.rtype);
        if let Err(f) = rdata::encode(head.rtype, &mut fields) {
            match fields.blamed() {
                Some(k) => sink.push_token(src, f.code, &toks[head.data + k], f.message),
                None => {
                    let last = toks[toks.len() - 1];
                    let at = if last.quoted { last.end + 1 } else { last.end };
                    sink.push_at(src, f.code, last.line, last.line_start, at, "", f.message);
                }
            }
            return;
        }
        let generic = toks
            .get(head.data)
            .is_some_and(|t| !t.quoted && t.text(src) == b"\\#");
        let first = toks[0];
        let col = column(
            src,
            first.line_start,
            if entry.blank_start {
                type_tok.start
            } else {
                first.start
            },
        );
        let class_tok = head.class_at.map(|k| toks[k]);
        if let Err(f) = self.push(head, fields.out, generic, entry.line, col) {
            let at = if f.code == Code::ClassMismatch {
                class_tok.unwrap_or(type_tok)
            } else {
                type_tok
            };
            sink.push_token(src, f.code, &at, f.message);
        }
    }

    /// Completes TTL and class, hands the data to hickory and stores the record.
    fn push(
        &mut self,
        head: Head,
        wire: Vec<u8>,
        generic: bool,
        line: u32,
        col: u32,
    ) -> Result<(), Fault> {
        if self.records.len() >= self.options.limits.max_records {
            self.full = true;
            return Err(Fault::new(
                Code::TooManyRecords,
                format!(
                    "the zone has more than {} records, the limit; reading stops here",
                    self.options.limits.max_records
                ),
            ));
        }
        if wire.len() > 65535 {
            return Err(Fault::new(
                Code::RdataTooLong,
                format!(
                    "the record data is {} octets; the limit is 65535",
                    wire.len()
                ),
            ));
        }
        let class = match (head.class, self.class) {
            (Some(c), Some(z)) if c != z => {
                return Err(Fault::new(
                    Code::ClassMismatch,
                    format!(
                        "this record is class {} but the zone is class {}",
                        class_name(c),
                        class_name(z)
                    ),
                ));
            }
            (Some(c), _) | (None, Some(c)) => c,
            (None, None) => 1,
        };
        let rtype = RecordType::from(head.rtype);
        let rdata = decode(rtype, &wire, generic)?;
        let ttl = match head.ttl.or(self.default_ttl).or(self.last_ttl) {
            Some(t) => t,
            None if head.rtype == 6 => {
                // RFC 1035 semantics as BIND applies them: the SOA's own
                // MINIMUM stands in for the missing TTL.
                let m = &wire[wire.len() - 4..];
                u32::from_be_bytes([m[0], m[1], m[2], m[3]])
            }
            None => {
                return Err(Fault::new(
                    Code::MissingTtl,
                    "this record has no TTL: add `$TTL 3600` (or another default) at the top of the file, or give the record a TTL",
                ));
            }
        };
        if head.ttl.is_some() {
            self.last_ttl = head.ttl;
        } else if self.default_ttl.is_none() && self.last_ttl.is_none() {
            self.last_ttl = Some(ttl);
        }
        if head.rtype == 6 && self.apex.is_none() {
            self.apex = Some(head.owner.clone());
        }
        self.class = Some(class);
        let name = match &self.owner_cache {
            Some((w, n)) if *w == head.owner => n.clone(),
            _ => {
                let n = wire_to_name(&head.owner)?;
                self.owner_cache = Some((head.owner, n.clone()));
                n
            }
        };
        let mut record = Record::from_rdata(name, ttl, rdata);
        record.dns_class = DNSClass::from(class);
        self.records.push(ZoneRecord {
            record,
            line,
            column: col,
        });
        Ok(())
    }

    fn generate(&mut self, src: &[u8], entry: &Entry, sink: &mut Sink) {
        let toks = &entry.tokens;
        let at = toks[0];
        let bad = |sink: &mut Sink, tok: &Token, msg: String| {
            sink.push_token(src, Code::BadGenerate, tok, msg)
        };
        if toks.len() < 5 {
            bad(
                sink,
                &at,
                "$GENERATE needs: range lhs [ttl] [class] type rhs, such as `$GENERATE 1-10 host$ A 192.0.2.$`".into(),
            );
            return;
        }
        let range = match generate::parse_range(toks[1].text(src)) {
            Ok(r) => r,
            Err(f) => return sink.push_token(src, f.code, &toks[1], f.message),
        };
        let max = self.options.limits.max_generate;
        if range.count() > max {
            sink.push_token(
                src,
                Code::GenerateTooLarge,
                &toks[1],
                format!(
                    "this $GENERATE would make {} records; the limit is {max}",
                    range.count()
                ),
            );
            return;
        }
        // Everything after the range: lhs, optional ttl/class, type, rhs.
        let rest = &toks[2..];
        for it in range.iter() {
            if self.full {
                return;
            }
            let mut text = Vec::new();
            for (k, tok) in rest.iter().enumerate() {
                if k > 0 {
                    text.push(b' ');
                }
                // The TTL, class and type are not templates.
                let raw = tok.text(src);
                let expanded = if k == 0 || k + 1 == rest.len() {
                    generate::expand(raw, it)
                } else {
                    Ok(raw.to_vec())
                };
                match expanded {
                    Ok(e) => text.extend_from_slice(&e),
                    Err(f) => return sink.push_token(src, f.code, tok, f.message),
                }
            }
            let before = self.records.len();
            let mut inner = Sink::new(1);
            let mut lexer = Lexer::new(&text, usize::MAX);
            let mut gen_entry = Entry::default();
            if lexer.next_entry(&mut gen_entry, &mut inner) && !gen_entry.bad {
                gen_entry.line = entry.line;
                let saved_owner = self.last_owner.take();
                self.record(&text, &gen_entry, &mut inner);
                self.last_owner = saved_owner;
            }
            if let Some(r) = self.records.get_mut(before) {
                r.line = entry.line;
                r.column = column(src, at.line_start, at.start);
            }
            if let Some(d) = inner.list.into_iter().next().or_else(|| {
                (self.records.len() == before)
                    .then(|| Diagnostic::new(Code::BadGenerate, 0, 0, "", "no record"))
            }) {
                sink.push_token(
                    src,
                    d.code,
                    &at,
                    format!(
                        "in the record generated for {it} (`{}`): {}",
                        shown(&text),
                        d.message
                    ),
                );
                return;
            }
        }
    }
}

/// Decodes our wire bytes into hickory's typed data. Data hickory cannot
/// type (or types differently) is kept byte for byte as `Unknown`; data
/// written in generic form must decode, because nothing else checked it.
fn decode(rtype: RecordType, wire: &[u8], generic: bool) -> Result<RData, Fault> {
    let mut dec = BinDecoder::new(wire);
    if let Ok(rdata) = RData::read(&mut dec, rtype, Restrict::new(wire.len() as u16))
        && dec.is_empty()
        && !matches!(rdata, RData::Unknown { .. })
        && (simple(rtype) || rdata_wire(&rdata).as_deref() == Some(wire))
    {
        return Ok(rdata);
    }
    if generic && !generic_ok(rtype, wire) {
        return Err(Fault::new(
            Code::BadGenericRdata,
            format!(
                "the `\\#` data is not valid {} record data",
                type_name(u16::from(rtype))
            ),
        ));
    }
    Ok(unknown(rtype, wire))
}

/// Types whose hickory decoding keeps every byte (fixed fields and names),
/// so re-encoding to verify it is not needed.
fn simple(rtype: RecordType) -> bool {
    matches!(
        u16::from(rtype),
        1 | 2 | 5 | 6 | 12 | 15 | 16 | 28 | 33 | 43
    )
}

/// The wire form of record data, names uncompressed and case kept.
pub fn rdata_wire(rdata: &RData) -> Option<Vec<u8>> {
    let mut buf = Vec::with_capacity(64);
    let mut enc = BinEncoder::new(&mut buf);
    enc.set_name_encoding(NameEncoding::Uncompressed);
    rdata.emit(&mut enc).ok()?;
    Some(buf)
}

fn unknown(rtype: RecordType, wire: &[u8]) -> RData {
    let rdata = if wire.is_empty() {
        NULL::new()
    } else {
        NULL::with(wire.to_vec())
    };
    RData::Unknown { code: rtype, rdata }
}

/// RFC 2181 §8: a TTL above 2^31-1 is read as 0 (as BIND does), with a warning.
fn cap_ttl(ttl: u32, src: &[u8], tok: &Token, sink: &mut Sink) -> u32 {
    if ttl <= MAX_TTL {
        return ttl;
    }
    sink.push_token(
        src,
        Code::TtlTooLarge,
        tok,
        "a TTL above 2147483647 is read as 0 (RFC 2181 §8); use a value such as 3600",
    );
    0
}

/// Checks generic data of types hickory does not decode itself.
fn generic_ok(rtype: RecordType, wire: &[u8]) -> bool {
    match u16::from(rtype) {
        // DNAME: exactly one uncompressed name.
        39 => {
            let mut dec = BinDecoder::new(wire);
            Name::read(&mut dec).is_ok() && dec.is_empty()
        }
        // Types hickory decodes itself were judged by its decoder.
        code if is_typed_by_hickory(code) => false,
        _ => true,
    }
}

fn is_typed_by_hickory(code: u16) -> bool {
    !matches!(
        RecordType::from(code),
        RecordType::Unknown(_) | RecordType::DNAME
    )
}

fn looks_like_address(t: &[u8]) -> bool {
    let s = std::str::from_utf8(t).unwrap_or("");
    s.parse::<std::net::IpAddr>().is_ok()
        || (s.contains(':') && s.chars().all(|c| c.is_ascii_hexdigit() || c == ':'))
}
