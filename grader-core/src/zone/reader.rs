//! Entries → records: owner, TTL, class and type, directives, `$GENERATE`,
//! and the hand-over of record data to hickory-proto.

use hickory_proto::rr::rdata::NULL;
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{
    BinDecodable, BinDecoder, BinEncodable, BinEncoder, NameEncoding, Restrict,
};

use super::diag::Severity;
use super::diag::{Code, Diagnostic};
use super::generate::{self, Template};
use super::lexer::{Entry, Lexer, Token};
use super::present;
use super::rdata::{self, Fields};
use super::sink::{Sink, shown};
use super::text::{Fault, MAX_TTL, lossy, parse_name, parse_ttl};
use super::types::{
    class_code, class_name, is_meta, is_obsolete, is_supported, type_code, type_name,
};
use super::{Options, ZoneRecord};

/// The zone class: a zone file read here is always an IN zone, as
/// `named-checkzone` reads it unless told otherwise.
const ZONE_CLASS: u16 = 1;

/// Most bytes the owner template of one generated record may expand to
/// (BIND's `DNS_MASTER_LHS`, less its terminating NUL).
const MAX_LHS: usize = 2047;
/// Most bytes the data template of one generated record may expand to.
const MAX_RHS: usize = 65535;

struct Reader<'o> {
    options: &'o Options,
    /// Current `$ORIGIN`, wire form.
    origin: Option<Vec<u8>>,
    /// The apex: given, or the first SOA owner, or the first `$ORIGIN`.
    apex: Option<Vec<u8>>,
    /// `$TTL`, or the MINIMUM of a first SOA read without any TTL known.
    default_ttl: Option<u32>,
    /// The last TTL written on a record (RFC 1035 §5.1).
    last_ttl: Option<u32>,
    last_owner: Option<Vec<u8>>,
    /// The last owner as a hickory name, to share between its records.
    owner_cache: Option<(Vec<u8>, Name)>,
    records: Vec<ZoneRecord>,
    full: bool,
    /// Bytes of text and record data every `$GENERATE` so far has made.
    generated: u64,
    /// Length of the record data of the last record stored.
    last_rdata_len: usize,
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
        // About one record per 30 bytes of text: avoids regrowing a large Vec.
        records: Vec::with_capacity((src.len() / 30).min(options.limits.max_records)),
        full: false,
        generated: 0,
        last_rdata_len: 0,
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
        // BIND reads a directive even when its name is quoted (`"$TTL" 300`).
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

/// A quoted word where the master-file syntax needs a bare one.
fn quoted(what: &str, t: &[u8]) -> String {
    format!(
        "\"{}\" is quoted, but {what} is written without quotes",
        lossy(t)
    )
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
                [a] if a.quoted => {
                    sink.push_token(
                        src,
                        Code::BadQuoting,
                        a,
                        quoted(&format!("the argument of {}", lossy(name)), a.text(src)),
                    );
                    None
                }
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
                    let col = toks[0].column(src);
                    sink.push(Diagnostic::new(
                        Code::MissingOwner,
                        toks[0].line,
                        col,
                        "",
                        "this line starts with a blank, so it reuses the previous owner name, but there is none: write the owner name at the start of the line",
                    ));
                    return None;
                }
            }
        } else {
            // A quoted owner is a name too (BIND: `"a b"` is `a\032b`).
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
                sink.push_token(
                    src,
                    Code::BadQuoting,
                    tok,
                    quoted("the TTL, class and type", t),
                );
                return None;
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
        if is_meta(rtype) || is_obsolete(rtype) {
            let why = if is_meta(rtype) {
                "is a query or message type (a meta type)"
            } else {
                "is obsolete (RFC 1123 §6.1.2.1)"
            };
            sink.push_token(
                src,
                Code::UnsupportedType,
                tok,
                format!(
                    "{} {why} and cannot appear in a zone file",
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
        // Without a given origin or `$ORIGIN`, a zone that starts with its
        // SOA at an absolute owner has that owner as its origin: the SOA's
        // own data and everything after it may use relative names.
        if self.options.origin.is_none()
            && self.origin.is_none()
            && self.records.is_empty()
            && head.rtype == 6
        {
            self.origin = Some(head.owner.clone());
        }
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
        // The record is where its first token is, on that token's line.
        let first = toks[0];
        let col = first.column(src);
        let class_tok = head.class_at.map(|k| toks[k]);
        let data = head.data;
        let last = toks[toks.len() - 1];
        match self.push(head, fields.out, generic, entry.line, col) {
            Ok(None) => {}
            // The SOA MINIMUM (its last field) stood in for the TTL.
            Ok(Some(w)) => sink.push_token(src, w.code, &last, w.message),
            Err(f) => {
                let at = match f.code {
                    Code::ClassMismatch => class_tok.unwrap_or(type_tok),
                    Code::BadGenericRdata => toks[data],
                    _ => type_tok,
                };
                sink.push_token(src, f.code, &at, f.message);
            }
        }
    }

    /// Completes TTL and class, hands the data to hickory and stores the
    /// record. `Ok(Some(warning))` is a warning about the SOA MINIMUM used
    /// as the TTL.
    fn push(
        &mut self,
        head: Head,
        wire: Vec<u8>,
        generic: bool,
        line: u32,
        col: u32,
    ) -> Result<Option<Fault>, Fault> {
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
        // Records without a class are of the zone's class, whatever the
        // previous record said.
        let class = match head.class {
            Some(c) if c != ZONE_CLASS => {
                return Err(Fault::new(
                    Code::ClassMismatch,
                    format!(
                        "this record is class {} but the zone is class {}",
                        class_name(c),
                        class_name(ZONE_CLASS)
                    ),
                ));
            }
            _ => ZONE_CLASS,
        };
        let rtype = RecordType::from(head.rtype);
        let rdata = decode(rtype, &wire, generic)?;
        let mut warning = None;
        let ttl = match head.ttl {
            Some(t) => {
                self.last_ttl = Some(t);
                t
            }
            // BIND: `$TTL` (or an SOA MINIMUM standing for it) first, then
            // the last TTL written (RFC 1035 §5.1).
            None => match self.default_ttl.or(self.last_ttl) {
                Some(t) => t,
                None if head.rtype == 6 && wire.len() >= 4 => {
                    // No TTL known at all: the SOA's MINIMUM becomes the
                    // default TTL, as `$TTL` would, through the same cap.
                    let m = &wire[wire.len() - 4..];
                    let minimum = u32::from_be_bytes([m[0], m[1], m[2], m[3]]);
                    let t = if minimum > MAX_TTL {
                        warning = Some(Fault::new(
                            Code::TtlTooLarge,
                            format!(
                                "the SOA has no TTL and none is known, so its MINIMUM ({minimum}) is the default TTL; above 2147483647 it is read as 0 (RFC 2181 §8): add `$TTL 3600` at the top"
                            ),
                        ));
                        0
                    } else {
                        minimum
                    };
                    self.default_ttl = Some(t);
                    t
                }
                None => {
                    return Err(Fault::new(
                        Code::MissingTtl,
                        "this record has no TTL: add `$TTL 3600` (or another default) at the top of the file, or give the record a TTL",
                    ));
                }
            },
        };
        if head.rtype == 6 && self.apex.is_none() {
            self.apex = Some(head.owner.clone());
        }
        let name = match &self.owner_cache {
            Some((w, n)) if *w == head.owner => n.clone(),
            _ => {
                let n = wire_to_name(&head.owner)?;
                self.owner_cache = Some((head.owner, n.clone()));
                n
            }
        };
        self.last_rdata_len = wire.len();
        let mut record = Record::from_rdata(name, ttl, rdata);
        record.dns_class = DNSClass::from(class);
        self.records.push(ZoneRecord {
            record,
            line,
            column: col,
        });
        Ok(warning)
    }

    fn generate(&mut self, src: &[u8], entry: &Entry, sink: &mut Sink) {
        let toks = &entry.tokens;
        let at = toks[0];
        let usage = "$GENERATE needs: range lhs [ttl] [class] type rhs, such as `$GENERATE 1-10 host$ A 192.0.2.$`; an rhs with blanks is one quoted field: `MX \"10 mail$\"`";
        if toks.len() < 5 {
            sink.push_token(src, Code::BadGenerate, &at, usage);
            return;
        }
        // Only the rhs may be quoted (BIND).
        for tok in &toks[1..3] {
            if tok.quoted {
                let what = "the range and the owner template of $GENERATE";
                return sink.push_token(src, Code::BadQuoting, tok, quoted(what, tok.text(src)));
            }
        }
        let range = match generate::parse_range(toks[1].text(src)) {
            Ok(r) => r,
            Err(f) => return sink.push_token(src, f.code, &toks[1], f.message),
        };
        // [ttl] [class] type, as bare words, then exactly one rhs.
        let mut i = 3;
        let (mut seen_ttl, mut seen_class) = (false, false);
        let type_at = loop {
            let Some(tok) = toks.get(i) else {
                return sink.push_token(src, Code::BadGenerate, &at, usage);
            };
            let t = tok.text(src);
            if tok.quoted {
                let what = "the TTL, class and type of $GENERATE";
                return sink.push_token(src, Code::BadQuoting, tok, quoted(what, t));
            }
            if !seen_ttl && t.first().is_some_and(u8::is_ascii_digit) {
                seen_ttl = true;
            } else if !seen_class && class_code(t).is_some() {
                seen_class = true;
            } else {
                break i;
            }
            i += 1;
        };
        let Some(rhs_tok) = toks.get(type_at + 1) else {
            return sink.push_token(src, Code::BadGenerate, &toks[type_at], usage);
        };
        if let Some(extra) = toks.get(type_at + 2) {
            return sink.push_token(
                src,
                Code::BadGenerate,
                extra,
                "the rhs of $GENERATE is one field: put record data with blanks in quotes, such as `MX \"10 mail$\"`",
            );
        }
        let lhs = match Template::parse(toks[2].text(src), MAX_LHS) {
            Ok(t) => t,
            Err(f) => return sink.push_token(src, f.code, &toks[2], f.message),
        };
        let rhs_text = if rhs_tok.quoted {
            generate::unquote(rhs_tok.text(src))
        } else {
            rhs_tok.text(src).to_vec()
        };
        let rhs = match Template::parse(&rhs_text, MAX_RHS) {
            Ok(t) => t,
            Err(f) => return sink.push_token(src, f.code, rhs_tok, f.message),
        };
        for (t, tok) in [(&lhs, &toks[2]), (&rhs, rhs_tok)] {
            if let Err(f) = t.check_range(range.stop) {
                return sink.push_token(src, f.code, tok, f.message);
            }
        }
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
        // The TTL, class and type are not templates.
        let middle: Vec<&[u8]> = toks[3..=type_at].iter().map(|t| t.text(src)).collect();
        let middle_len: u64 = middle.iter().map(|m| m.len() as u64 + 1).sum();
        let budget = self.options.limits.max_generate_bytes;
        let left = budget.saturating_sub(self.generated);
        // Bound the whole expansion before making anything: the longest
        // line times the number of lines.
        let per_line = lhs.max_len(range.start, range.stop)
            + rhs.max_len(range.start, range.stop)
            + middle_len
            + 1;
        let too_large = |sink: &mut Sink, what: String| {
            sink.push_token(
                src,
                Code::GenerateTooLarge,
                &toks[1],
                format!(
                    "this $GENERATE would make {what}; all $GENERATE lines of a zone may make at most {budget} bytes of text and record data"
                ),
            )
        };
        if per_line.saturating_mul(range.count()) > left {
            return too_large(
                sink,
                format!(
                    "up to {} bytes of text ({} lines of up to {per_line} bytes)",
                    per_line.saturating_mul(range.count()),
                    range.count()
                ),
            );
        }
        let first_record = self.records.len();
        let mut made: u64 = 0;
        let mut text = Vec::new();
        let mut gen_entry = Entry::default();
        for it in range.iter() {
            if self.full {
                return;
            }
            text.clear();
            let expanded = lhs.expand(it, &mut text).and_then(|()| {
                for m in &middle {
                    text.push(b' ');
                    text.extend_from_slice(m);
                }
                text.push(b' ');
                rhs.expand(it, &mut text)
            });
            if let Err(f) = expanded {
                return sink.push_token(src, f.code, &at, f.message);
            }
            let before = self.records.len();
            let mut inner = Sink::new(4);
            let mut lexer = Lexer::new(&text, usize::MAX);
            if lexer.next_entry(&mut gen_entry, &mut inner) && !gen_entry.bad {
                let saved_owner = self.last_owner.take();
                self.record(&text, &gen_entry, &mut inner);
                self.last_owner = saved_owner;
            }
            if let Some(r) = self.records.get_mut(before) {
                r.line = entry.line;
                r.column = at.column(src);
            }
            let failed = inner.errors() > 0 || self.records.len() == before;
            let first_error = inner
                .list
                .iter()
                .position(|d| d.severity == Severity::Error)
                .unwrap_or(0);
            if let Some(d) = inner.list.into_iter().nth(first_error).or_else(|| {
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
                if failed {
                    self.generated += made + text.len() as u64;
                    return;
                }
            }
            made += text.len() as u64;
            if self.records.len() > before {
                made += self.last_rdata_len as u64;
            }
            if made > left {
                // Never reached with the bound above unless record data
                // outgrows its text (relative names get the origin): undo.
                self.records.truncate(first_record);
                return too_large(sink, format!("more than {left} bytes"));
            }
        }
        self.generated += made;
    }
}

/// Decodes our wire bytes into hickory's typed data. Data hickory cannot
/// type (or types differently) is kept byte for byte as `Unknown`. Data
/// written in generic form is checked first: for a type this reader has a
/// text form for, it must be what that text form can express.
fn decode(rtype: RecordType, wire: &[u8], generic: bool) -> Result<RData, Fault> {
    let code = u16::from(rtype);
    if generic
        && is_supported(code)
        && let Err(why) = generic_valid(code, wire)
    {
        return Err(Fault::new(
            Code::BadGenericRdata,
            format!(
                "the `\\#` data is not valid {} record data: {why}",
                type_name(code)
            ),
        ));
    }
    let mut dec = BinDecoder::new(wire);
    if let Ok(rdata) = RData::read(&mut dec, rtype, Restrict::new(wire.len() as u16))
        && dec.is_empty()
        && !matches!(rdata, RData::Unknown { .. })
        && (simple(rtype) || rdata_wire(&rdata).as_deref() == Some(wire))
    {
        return Ok(rdata);
    }
    if generic && !is_supported(code) && is_typed_by_hickory(code) {
        // Only hickory's decoder judged this data, and it refused it.
        return Err(Fault::new(
            Code::BadGenericRdata,
            format!(
                "the `\\#` data is not valid {} record data",
                type_name(code)
            ),
        ));
    }
    Ok(unknown(rtype, wire))
}

/// Whether `wire`, written in generic form, is valid data of `rtype` (a
/// type with a text form here): its presentation form must read back to
/// the same bytes. This refuses what the text form cannot express:
/// compression pointers, truncated or extra fields, empty TXT, wrong
/// digest and fingerprint lengths, non-canonical type bitmaps, ...
fn generic_valid(rtype: u16, wire: &[u8]) -> Result<(), String> {
    let usage = || {
        format!(
            "the octets do not split into the fields of {} (a field is missing or truncated, a name is compressed, or octets are left over)",
            type_name(rtype)
        )
    };
    let text = present::full_text(rtype, wire).ok_or_else(usage)?;
    let bytes = text.as_bytes();
    let mut sink = Sink::new(0);
    let mut lexer = Lexer::new(bytes, usize::MAX);
    let mut entry = Entry::default();
    if !lexer.next_entry(&mut entry, &mut sink) || entry.bad {
        return Err(usage());
    }
    let mut fields = Fields::new(bytes, &entry.tokens, None, rtype);
    rdata::encode(rtype, &mut fields).map_err(|f| format!("as text, `{text}`: {}", f.message))?;
    if fields.out != wire {
        return Err(format!(
            "it is not in canonical form (as text, `{}`)",
            shown(bytes)
        ));
    }
    Ok(())
}

/// Types whose hickory decoding keeps every byte (fixed fields, names,
/// opaque octets; RRSIG's algorithm and covered type keep unknown values),
/// so re-encoding to verify it is not needed.
fn simple(rtype: RecordType) -> bool {
    matches!(
        u16::from(rtype),
        1 | 2 | 5 | 6 | 12 | 15 | 16 | 28 | 33 | 43 | 46
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

fn is_typed_by_hickory(code: u16) -> bool {
    !matches!(RecordType::from(code), RecordType::Unknown(_))
}

fn looks_like_address(t: &[u8]) -> bool {
    let s = std::str::from_utf8(t).unwrap_or("");
    s.parse::<std::net::IpAddr>().is_ok()
        || (s.contains(':') && s.chars().all(|c| c.is_ascii_hexdigit() || c == ':'))
}
