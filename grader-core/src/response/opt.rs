//! The OPT pseudosection of dig's output: the `; EDNS:` line and one line
//! per EDNS option, as BIND 9.16 to 9.20 print them.

use hickory_proto::rr::rdata::opt::{EdnsCode, EdnsOption};

use super::text::{hex, number, parse_name};

/// The fields of a `; EDNS: version: 0, flags: do; MBZ: 0x0070, udp: 1232`
/// line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct EdnsLine {
    pub version: u8,
    pub dnssec_ok: bool,
    /// The other flag bits (MBZ, and `co`).
    pub z: u16,
    pub udp: u16,
    /// Flag words this reader does not know.
    pub unknown_flags: Vec<String>,
}

/// Reads what follows `; EDNS:`.
pub(crate) fn edns_line(text: &str) -> Result<EdnsLine, String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_ascii_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    let mut version = None;
    let mut udp = None;
    let mut dnssec_ok = false;
    let mut z = 0u16;
    let mut unknown_flags = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "version:" => {
                let v = words.get(i + 1).and_then(|w| number(w.as_bytes(), 255));
                version = Some(v.ok_or("the EDNS version is not a number from 0 to 255")? as u8);
                i += 2;
            }
            "udp:" => {
                let v = words.get(i + 1).and_then(|w| number(w.as_bytes(), 65535));
                udp = Some(v.ok_or("the UDP size is not a number from 0 to 65535")? as u16);
                i += 2;
            }
            "MBZ:" => {
                let v = words
                    .get(i + 1)
                    .and_then(|w| w.strip_prefix("0x").or(w.strip_prefix("0X")))
                    .and_then(|h| u16::from_str_radix(h, 16).ok())
                    .ok_or("the MBZ flags are not a hex number such as 0x0070")?;
                z |= v & 0x7fff;
                i += 2;
            }
            "flags:" => {
                i += 1;
                while let Some(w) = words.get(i).filter(|w| !w.ends_with(':')) {
                    match *w {
                        "do" => dnssec_ok = true,
                        // Compact answers OK (dig 9.20 +coflag).
                        "co" => z |= 0x4000,
                        other => unknown_flags.push(other.to_string()),
                    }
                    i += 1;
                }
            }
            other => return Err(format!("unexpected `{other}`")),
        }
    }
    Ok(EdnsLine {
        version: version.ok_or("the EDNS version is missing")?,
        dnssec_ok,
        z,
        udp: udp.ok_or("the UDP size (`udp: 1232`) is missing")?,
        unknown_flags,
    })
}

/// What an option line holds.
#[derive(Debug)]
pub(crate) enum OptionLine {
    /// An option, ready for hickory's OPT record.
    Option(EdnsOption),
    /// An option this reader does not keep (its name).
    Unsupported(String),
}

/// Whether the text after `; ` looks like an option line: an upper-case
/// name (or `OPT=n`) followed by `:` or by nothing.
pub(crate) fn is_option_line(text: &str) -> bool {
    let name = text.split(':').next().unwrap_or("");
    !name.is_empty()
        && !name.contains(' ')
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'=')
}

/// Reads an option line (the text after `; `). The error is a message.
pub(crate) fn option_line(text: &str) -> Result<OptionLine, String> {
    let (name, value) = match text.split_once(':') {
        Some((n, v)) => (n.trim(), v.trim()),
        None => (text.trim(), ""),
    };
    let (code, data): (u16, Vec<u8>) = match name {
        "NSID" => (3, generic(value)?),
        "COOKIE" => {
            let h = value.split_whitespace().next().unwrap_or("");
            (10, hex(h.as_bytes()).ok_or("the cookie is not hex")?)
        }
        "EDE" => (15, ede(value)?),
        "EXPIRE" => (9, u32_value(value, "the EXPIRE value")?),
        "TCP-KEEPALIVE" => (11, keepalive(value)?),
        "PAD" | "PADDING" => (12, padding(value)?),
        "KEY-TAG" => (14, key_tags(value)?),
        "CLIENT-SUBNET" => (8, subnet(value)?),
        "CLIENT-TAG" => (16, tag(value)?),
        "SERVER-TAG" => (17, tag(value)?),
        "UPDATE-LEASE" | "UL" => (2, lease(value)?),
        "LLQ" => (1, llq(value)?),
        "ZONEVERSION" => (19, zone_version(value)?),
        "REPORT-CHANNEL" => (18, report_channel(value)?),
        n if n.starts_with("OPT=") => {
            let code =
                number(&n.as_bytes()[4..], 65535).ok_or("the option code is not a number")?;
            (code as u16, generic(value)?)
        }
        other => return Ok(OptionLine::Unsupported(other.to_string())),
    };
    EdnsOption::try_from((EdnsCode::from(code), data.as_slice()))
        .map(OptionLine::Option)
        .map_err(|e| format!("hickory-proto refuses the option data: {e}"))
}

/// The length of an option's data (hickory's `len` is a `u16` and wraps).
pub(crate) fn data_len(o: &EdnsOption) -> usize {
    Vec::<u8>::try_from(o).map_or(usize::MAX / 2, |d| d.len())
}

/// Hex bytes as BIND prints option data (`6e 73 31 ("ns1")`): the part
/// before the printable form in parentheses.
fn generic(value: &str) -> Result<Vec<u8>, String> {
    let hex_part = value.split('(').next().unwrap_or("");
    hex(hex_part.as_bytes()).ok_or_else(|| format!("`{hex_part}` is not hex bytes"))
}

/// `9 (DNSKEY Missing): (text)`, `25: (foo)`, `24 (Invalid Data)`, an
/// empty value, or a too-short one printed as hex (`00 (".")`).
fn ede(value: &str) -> Result<Vec<u8>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let first = value.split([' ', ':']).next().unwrap_or("");
    let after = value[first.len()..].trim_start();
    if after.starts_with("(\"") {
        return generic(value);
    }
    let info = number(first.as_bytes(), 65535).ok_or("the EDE info code is not a number")?;
    let mut data = (info as u16).to_be_bytes().to_vec();
    // The name of the code, when dig knows it.
    let mut rest = after;
    if rest.starts_with('(') {
        let close = rest
            .find(')')
            .ok_or("the EDE code name is not closed with `)`")?;
        rest = rest[close + 1..].trim_start();
    }
    let Some(extra) = rest.strip_prefix(':') else {
        return if rest.is_empty() {
            Ok(data)
        } else {
            Err(format!("unexpected `{rest}` after the EDE code"))
        };
    };
    let extra = extra.trim();
    if let Some(inner) = extra.strip_prefix('(') {
        // UTF-8 extra text, printed within parentheses.
        let end = inner
            .rfind(')')
            .ok_or("the EDE extra text is not closed with `)`")?;
        data.extend_from_slice(&inner.as_bytes()[..end]);
    } else {
        data.extend(generic(extra)?);
    }
    Ok(data)
}

fn u32_value(value: &str, what: &str) -> Result<Vec<u8>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let first = value.split_whitespace().next().unwrap_or("");
    let v = number(first.as_bytes(), u64::from(u32::MAX))
        .ok_or_else(|| format!("{what} is not a number"))?;
    Ok((v as u32).to_be_bytes().to_vec())
}

/// `30.0 secs`: the timeout in units of 100 ms.
fn keepalive(value: &str) -> Result<Vec<u8>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let first = value.split_whitespace().next().unwrap_or("");
    let (secs, tenths) = first.split_once('.').unwrap_or((first, "0"));
    let v = number(secs.as_bytes(), 6553)
        .zip(number(tenths.as_bytes(), 9).filter(|_| tenths.len() == 1))
        .map(|(s, t)| s * 10 + t)
        .filter(|&v| v <= 65535)
        .ok_or("the TCP keepalive is not a number of seconds such as `30.0 secs`")?;
    Ok((v as u16).to_be_bytes().to_vec())
}

/// Hex bytes, or `(N bytes)`: that many zeros.
fn padding(value: &str) -> Result<Vec<u8>, String> {
    let words: Vec<&str> = value
        .trim_matches(|c| c == '(' || c == ')')
        .split_whitespace()
        .collect();
    if let [n, unit] = words.as_slice()
        && matches!(*unit, "bytes" | "octets" | "byte" | "octet")
    {
        let n = number(n.as_bytes(), 65535).ok_or("the padding length is not a number")?;
        return Ok(vec![0; n as usize]);
    }
    generic(value)
}

/// `1, 2` (decimal key tags), or the raw bytes in hex when malformed.
fn key_tags(value: &str) -> Result<Vec<u8>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let words: Vec<&str> = value.split_whitespace().collect();
    if words.len() > 1 && !value.contains(',') {
        return generic(value);
    }
    let mut out = Vec::new();
    for t in value.split(',') {
        let v = number(t.trim().as_bytes(), 65535).ok_or("a key tag is not a number")?;
        out.extend_from_slice(&(v as u16).to_be_bytes());
    }
    Ok(out)
}

/// `192.0.2.0/24/0`: family, source and scope prefix lengths, and the
/// address cut to the source prefix.
fn subnet(value: &str) -> Result<Vec<u8>, String> {
    let bad = || format!("`{value}` is not a client subnet such as `192.0.2.0/24/0`");
    let mut parts = value.split('/');
    let addr: std::net::IpAddr = parts.next().unwrap_or("").parse().map_err(|_| bad())?;
    let source = parts
        .next()
        .and_then(|p| number(p.as_bytes(), 128))
        .ok_or_else(bad)?;
    let scope = match parts.next() {
        Some(p) => number(p.as_bytes(), 128).ok_or_else(bad)?,
        None => 0,
    };
    let (family, octets): (u16, Vec<u8>) = match addr {
        std::net::IpAddr::V4(a) => (1, a.octets().to_vec()),
        std::net::IpAddr::V6(a) => (2, a.octets().to_vec()),
    };
    let keep = (source as usize).div_ceil(8).min(octets.len());
    let mut out = family.to_be_bytes().to_vec();
    out.push(source as u8);
    out.push(scope as u8);
    out.extend_from_slice(&octets[..keep]);
    Ok(out)
}

fn tag(value: &str) -> Result<Vec<u8>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    if value.contains(' ') {
        return generic(value);
    }
    let v = number(value.as_bytes(), 65535).ok_or("the tag is not a number")?;
    Ok((v as u16).to_be_bytes().to_vec())
}

/// `3600 (1 hour)` or `3600/1209600 (1 hour/2 weeks)`.
fn lease(value: &str) -> Result<Vec<u8>, String> {
    let first = value.split_whitespace().next().unwrap_or("");
    let mut out = Vec::new();
    for part in first.split('/') {
        let v = number(part.as_bytes(), u64::from(u32::MAX)).ok_or("the lease is not a number")?;
        out.extend_from_slice(&(v as u32).to_be_bytes());
    }
    Ok(out)
}

/// `Version: 1, Opcode: 2, Error: 0, Identifier: N, Lifetime: N`.
fn llq(value: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let fields = [
        ("Version", 2usize),
        ("Opcode", 2),
        ("Error", 2),
        ("Identifier", 8),
        ("Lifetime", 4),
    ];
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    if parts.len() != fields.len() {
        return generic(value);
    }
    for ((name, size), part) in fields.iter().zip(parts) {
        let v = part
            .strip_prefix(name)
            .and_then(|p| p.strip_prefix(':'))
            .and_then(|p| p.trim().parse::<u64>().ok())
            .ok_or_else(|| format!("the LLQ field {name} cannot be read"))?;
        out.extend_from_slice(&v.to_be_bytes()[8 - size..]);
        if *size < 8 && v >> (size * 8) != 0 {
            return Err(format!("the LLQ field {name} is too large"));
        }
    }
    Ok(out)
}

/// `ZONE: example, SOA-SERIAL: 2000042407` or `LABELS: 1, TYPE: 0,
/// VALUE: 000007da ("....")`.
fn zone_version(value: &str) -> Result<Vec<u8>, String> {
    let bad = || format!("`{value}` is not a ZONEVERSION value");
    if let Some(rest) = value.strip_prefix("ZONE:") {
        let (zone, serial) = rest.split_once(", SOA-SERIAL:").ok_or_else(bad)?;
        let zone = zone.trim();
        let labels = if zone == "." {
            0
        } else {
            parse_name(zone.as_bytes())?.num_labels()
        };
        let serial = number(serial.trim().as_bytes(), u64::from(u32::MAX)).ok_or_else(bad)?;
        let mut out = vec![labels, 0];
        out.extend_from_slice(&(serial as u32).to_be_bytes());
        return Ok(out);
    }
    let rest = value.strip_prefix("LABELS:").ok_or_else(bad)?;
    let (labels, rest) = rest.split_once(", TYPE:").ok_or_else(bad)?;
    let (ty, data) = rest.split_once(", VALUE:").ok_or_else(bad)?;
    let labels = number(labels.trim().as_bytes(), 255).ok_or_else(bad)?;
    let ty = number(ty.trim().as_bytes(), 255).ok_or_else(bad)?;
    let mut out = vec![labels as u8, ty as u8];
    out.extend(generic(data.trim())?);
    Ok(out)
}

/// A domain name, in wire form.
fn report_channel(value: &str) -> Result<Vec<u8>, String> {
    let name = parse_name(value.as_bytes())?;
    let mut out = Vec::new();
    for label in name.iter() {
        out.push(label.len() as u8);
        out.extend_from_slice(label);
    }
    out.push(0);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(line: &str) -> (u16, Vec<u8>) {
        match option_line(line).expect("an option") {
            OptionLine::Option(o) => {
                let code = u16::from(EdnsCode::from(&o));
                (code, Vec::<u8>::try_from(&o).expect("bytes"))
            }
            OptionLine::Unsupported(n) => panic!("unsupported {n}"),
        }
    }

    #[test]
    fn edns_lines() {
        let e = edns_line(" version: 0, flags: do; udp: 1232").expect("read");
        assert_eq!((e.version, e.dnssec_ok, e.z, e.udp), (0, true, 0, 1232));
        let e = edns_line(" version: 0, flags:; MBZ: 0x0070, udp: 4096").expect("read");
        assert_eq!((e.dnssec_ok, e.z, e.udp), (false, 0x70, 4096));
        let e = edns_line(" version: 1, flags: do co zz; udp: 512").expect("read");
        assert_eq!((e.version, e.z, e.unknown_flags.len()), (1, 0x4000, 1));
        assert!(edns_line(" version: 0, flags:;").is_err());
        assert!(edns_line(" version: 300, flags:; udp: 1").is_err());
    }

    #[test]
    fn option_lines_as_bind_prints_them() {
        assert_eq!(data("NSID: 6e 73 31 (\"ns1\")"), (3, b"ns1".to_vec()));
        assert_eq!(
            data("COOKIE: 0102030405060708 (good)").1,
            [1, 2, 3, 4, 5, 6, 7, 8]
        );
        assert_eq!(
            data("EDE: 9 (DNSKEY Missing): (no SEP matching the DS found for x.)"),
            (
                15,
                [&[0, 9][..], b"no SEP matching the DS found for x."].concat()
            )
        );
        assert_eq!(data("EDE: 24 (Invalid Data)").1, [0, 24]);
        assert_eq!(data("EDE: 25: (foo)").1, [&[0, 25][..], b"foo"].concat());
        assert_eq!(
            data("EDE: 0 (Other): (a (b) c)").1,
            [&[0, 0][..], b"a (b) c"].concat()
        );
        assert_eq!(data("EDE:").1, Vec::<u8>::new());
        assert_eq!(data("EDE: 00 (\".\")").1, [0]);
        assert_eq!(data("EXPIRE: 1200 (20 minutes)").1, [0, 0, 4, 176]);
        assert_eq!(data("TCP-KEEPALIVE: 30.0 secs").1, [1, 44]);
        assert_eq!(data("KEY-TAG: 1, 2").1, [0, 1, 0, 2]);
        assert_eq!(data("KEY-TAG: 00 01 00 02 01").1, [0, 1, 0, 2, 1]);
        assert_eq!(
            data("CLIENT-SUBNET: 192.0.2.0/24/0"),
            (8, vec![0, 1, 24, 0, 192, 0, 2])
        );
        assert_eq!(data("CLIENT-TAG: 1").1, [0, 1]);
        assert_eq!(
            data("UPDATE-LEASE: 3600/1209600 (1 hour/2 weeks)").1.len(),
            8
        );
        assert_eq!(
            data("LLQ: Version: 1, Opcode: 2, Error: 0, Identifier: 1311768465173141112, Lifetime: 4278124286").1,
            hex(b"0001000200001234567812345678fefefefe").expect("hex")
        );
        assert_eq!(
            data("ZONEVERSION: ZONE: example, SOA-SERIAL: 2000042407").1,
            [1, 0, 0x77, 0x36, 0x39, 0xa7]
        );
        assert_eq!(
            data("OPT=65001: 41 42 00 43 (\"AB.C\")"),
            (65001, vec![0x41, 0x42, 0, 0x43])
        );
        assert_eq!(data("PADDING: (4 bytes)").1, [0, 0, 0, 0]);
        assert!(matches!(
            option_line("CHAIN: \"x.\""),
            Ok(OptionLine::Unsupported(_))
        ));
        assert!(option_line("COOKIE: zz").is_err());
        assert!(option_line("EDE: x").is_err());
        assert!(is_option_line("OPT=65001: 01"));
        assert!(is_option_line("EDE"));
        assert!(!is_option_line("(1 server found)"));
        assert!(!is_option_line("<<>> DiG 9.18"));
    }
}
