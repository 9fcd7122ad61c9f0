//! DNS name comparison on presentation-form names.
//!
//! Names compare label by label, ASCII case-insensitively (RFC 4343), after
//! decoding the escapes of the presentation form (`\.` inside a label,
//! `\DDD` decimal bytes). A missing trailing dot is ignored, so
//! `www.Example.` and `www.example` are equal; `.` and the empty string are
//! both the root.

/// Splits a presentation-form name into its labels, decoded and lowercased.
///
/// The root (`.` or an empty string) has no labels. A trailing dot is
/// optional; an empty label elsewhere (`a..b`) is kept as an empty label, so
/// such a name never equals a well-formed one.
///
/// ```
/// use grader_checker_sdk::names::labels;
/// assert_eq!(labels("WWW.Example."), vec![b"www".to_vec(), b"example".to_vec()]);
/// assert_eq!(labels(r"a\.b.example"), vec![b"a.b".to_vec(), b"example".to_vec()]);
/// assert!(labels(".").is_empty());
/// ```
pub fn labels(name: &str) -> Vec<Vec<u8>> {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes == b"." {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut cur = Vec::new();
    let mut i = 0;
    let mut ended_with_dot = false;
    while i < bytes.len() {
        let b = bytes[i];
        ended_with_dot = false;
        match b {
            b'\\' if i + 1 < bytes.len() => {
                let rest = &bytes[i + 1..];
                if rest.len() >= 3 && rest[..3].iter().all(u8::is_ascii_digit) {
                    let v = (rest[0] - b'0') as u32 * 100
                        + (rest[1] - b'0') as u32 * 10
                        + (rest[2] - b'0') as u32;
                    // Out-of-range escapes (`\999`) are kept literally.
                    if v <= 255 {
                        cur.push((v as u8).to_ascii_lowercase());
                        i += 4;
                        continue;
                    }
                }
                cur.push(rest[0].to_ascii_lowercase());
                i += 2;
                continue;
            }
            b'.' => {
                out.push(std::mem::take(&mut cur));
                ended_with_dot = true;
            }
            _ => cur.push(b.to_ascii_lowercase()),
        }
        i += 1;
    }
    if !ended_with_dot {
        out.push(cur);
    }
    out
}

/// Whether two names are the same DNS name: case-insensitive, escapes
/// decoded, trailing dot optional.
///
/// ```
/// use grader_checker_sdk::names_equal;
/// assert!(names_equal("Mail.Example.", "mail.example"));
/// assert!(!names_equal("mail.example.", "mail.example.net."));
/// ```
pub fn names_equal(a: &str, b: &str) -> bool {
    // Fast path: the common case of identical or case-differing plain names.
    let ta = a.strip_suffix('.').unwrap_or(a);
    let tb = b.strip_suffix('.').unwrap_or(b);
    if !ta.contains('\\') && !tb.contains('\\') {
        return ta.eq_ignore_ascii_case(tb);
    }
    labels(a) == labels(b)
}

/// Whether `name` is at or below `zone` (`zone` itself counts), compared label
/// by label: `www.example.` is in `example.`, `wwwexample.` is not. Every
/// name is in the root zone `.`.
///
/// ```
/// use grader_checker_sdk::is_subdomain;
/// assert!(is_subdomain("www.grp7.lab.example.", "lab.example."));
/// assert!(is_subdomain("lab.example.", "LAB.example"));
/// assert!(!is_subdomain("badlab.example.", "lab.example."));
/// assert!(!is_subdomain("example.", "lab.example."));
/// ```
pub fn is_subdomain(name: &str, zone: &str) -> bool {
    let n = labels(name);
    let z = labels(zone);
    n.len() >= z.len() && n[n.len() - z.len()..] == z[..]
}

/// The name in canonical comparison form: lowercase, with a trailing dot
/// (`.` for the root). Escapes are kept as written, so use
/// [`names_equal`] rather than comparing these strings when names may be
/// escaped.
///
/// ```
/// use grader_checker_sdk::names::normalize;
/// assert_eq!(normalize("WWW.Example"), "www.example.");
/// assert_eq!(normalize(""), ".");
/// ```
pub fn normalize(name: &str) -> String {
    let mut s = name.to_ascii_lowercase();
    if !ends_with_unescaped_dot(&s) {
        s.push('.');
    }
    s
}

/// Whether the name ends with a dot that terminates it (not `\.`).
fn ends_with_unescaped_dot(name: &str) -> bool {
    let Some(head) = name.strip_suffix('.') else {
        return false;
    };
    let backslashes = head.bytes().rev().take_while(|&b| b == b'\\').count();
    backslashes % 2 == 0
}

/// The labels of `name` below `zone`, as written (`www.grp7` for
/// `www.grp7.example.` in `example.`); `Some("")` when `name` is the zone
/// itself, `None` when it is not in the zone.
///
/// ```
/// use grader_checker_sdk::names::relative_to;
/// assert_eq!(relative_to("WWW.example.", "example."), Some("WWW"));
/// assert_eq!(relative_to("example.", "example."), Some(""));
/// assert_eq!(relative_to("www.example.net.", "example."), None);
/// ```
pub fn relative_to<'a>(name: &'a str, zone: &str) -> Option<&'a str> {
    let z = labels(zone);
    let n = labels(name);
    if n.len() < z.len() || n[n.len() - z.len()..] != z[..] {
        return None;
    }
    let keep = n.len() - z.len();
    if keep == 0 {
        return Some("");
    }
    // Walk `keep` unescaped dots into the original text.
    let bytes = name.as_bytes();
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'.' => {
                seen += 1;
                if seen == keep {
                    return Some(&name[..i]);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Some(name.strip_suffix('.').unwrap_or(name))
}

/// A byte string that identifies a name as [`names_equal`] compares it: two
/// names have the same key exactly when they are equal (labels decoded,
/// ASCII lowercased, trailing dot optional). For hash maps, sets and
/// sorting; not for messages.
///
/// Plain names (no `\`) cost one lowercase copy; escaped names are decoded,
/// and a `.` or `\` inside a label is kept escaped so that labels stay apart.
///
/// ```
/// use grader_checker_sdk::names::key;
/// assert_eq!(key("WWW.Example."), b"www.example");
/// assert_eq!(key(r"\087ww.example"), key("www.EXAMPLE."));
/// assert_ne!(key(r"a\.b.example."), key("a.b.example."));
/// assert_eq!(key("."), key(""));
/// ```
pub fn key(name: &str) -> Vec<u8> {
    if !name.contains('\\') {
        let trimmed = name.strip_suffix('.').unwrap_or(name);
        return trimmed.bytes().map(|b| b.to_ascii_lowercase()).collect();
    }
    let mut out = Vec::with_capacity(name.len());
    for (i, label) in labels(name).iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        for &b in label {
            if b == b'.' || b == b'\\' {
                out.push(b'\\');
            }
            out.push(b);
        }
    }
    out
}

/// When `name` ends with `origin` twice (`mail.grp7.lab.example.grp7.lab.example.`
/// inside `grp7.lab.example.`), the name the student meant
/// (`mail.grp7.lab.example.`): they wrote it absolute but without its
/// trailing dot, so the origin was appended once more. `None` for other
/// names, and always in the root zone.
///
/// The text as written is the result without its final dot.
///
/// ```
/// use grader_checker_sdk::names::missing_trailing_dot;
/// let origin = "grp7.lab.example.";
/// assert_eq!(
///     missing_trailing_dot("ns2.grp7.lab.example.grp7.lab.example.", origin).as_deref(),
///     Some("ns2.grp7.lab.example."),
/// );
/// assert_eq!(missing_trailing_dot("ns2.grp7.lab.example.", origin), None);
/// ```
pub fn missing_trailing_dot(name: &str, origin: &str) -> Option<String> {
    let o = labels(origin);
    if o.is_empty() {
        return None;
    }
    let n = labels(name);
    let start = n.len().checked_sub(2 * o.len())?;
    let (first, second) = n.get(start..)?.split_at(o.len());
    if first == o.as_slice() && second == o.as_slice() {
        relative_to(name, origin).map(|written| format!("{written}."))
    } else {
        None
    }
}

/// The explanation for a name that [`missing_trailing_dot`] recognises, for
/// feedback: what the student wrote, and the two ways to fix it.
///
/// ```
/// use grader_checker_sdk::names::missing_dot_advice;
/// let advice = missing_dot_advice("mail.a.example.a.example.", "a.example.").unwrap();
/// assert!(advice.contains("`mail.a.example` needs a trailing dot (`mail.a.example.`)"));
/// assert_eq!(missing_dot_advice("mail.a.example.", "a.example."), None);
/// ```
pub fn missing_dot_advice(name: &str, origin: &str) -> Option<String> {
    missing_trailing_dot(name, origin).map(|meant| {
        let written = meant.strip_suffix('.').unwrap_or(&meant);
        format!(
            "`{name}` ends in your zone name twice: `{written}` needs a trailing dot \
             (`{written}.`), or write it relative (without the zone name); without the dot \
             the origin is appended to it"
        )
    })
}

/// When a name is really an IP address written where a host name belongs,
/// the address as written: an IPv4 address in its first four labels
/// (`192.0.2.25.`, or `192.0.2.25.grp7.lab.example.` when the dot was left
/// out), or a first label with a colon (`2001:db8::1.`).
///
/// ```
/// use grader_checker_sdk::names::address_in_name;
/// assert_eq!(address_in_name("192.0.2.25.grp7.lab.example.").as_deref(), Some("192.0.2.25"));
/// assert_eq!(address_in_name("2001:db8::25.").as_deref(), Some("2001:db8::25"));
/// assert_eq!(address_in_name("mail.grp7.lab.example."), None);
/// ```
pub fn address_in_name(name: &str) -> Option<String> {
    let ls = labels(name);
    let first = ls.first()?;
    if first.contains(&b':') {
        return Some(String::from_utf8_lossy(first).into_owned());
    }
    let four = ls.get(..4)?;
    let numeric = four
        .iter()
        .all(|l| !l.is_empty() && l.len() <= 3 && l.iter().all(u8::is_ascii_digit));
    numeric.then(|| {
        four.iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect::<Vec<_>>()
            .join(".")
    })
}

/// Whether every label of `name` is a host-name label (RFC 952, RFC 1123
/// §2.1): letters, digits and inner hyphens. The root is not a host name;
/// nor is `_dmarc.example.` (underscore) or `a b.example.`.
///
/// ```
/// use grader_checker_sdk::names::is_hostname;
/// assert!(is_hostname("ns1.grp-7.lab.example."));
/// assert!(!is_hostname("-ns1.example."));
/// assert!(!is_hostname("_dmarc.example."));
/// assert!(!is_hostname("."));
/// ```
pub fn is_hostname(name: &str) -> bool {
    let ls = labels(name);
    !ls.is_empty()
        && ls.iter().all(|l| {
            l.first().is_some_and(u8::is_ascii_alphanumeric)
                && l.last().is_some_and(u8::is_ascii_alphanumeric)
                && l.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        })
}

/// `name` made absolute the way a zone file reads it: a name ending with a
/// dot is already absolute; `@` or an empty name is `origin` itself; any
/// other name is relative to `origin`.
///
/// ```
/// use grader_checker_sdk::names::absolute;
/// assert_eq!(absolute("www", "grp7.lab.example."), "www.grp7.lab.example.");
/// assert_eq!(absolute("@", "grp7.lab.example."), "grp7.lab.example.");
/// assert_eq!(absolute("ns.example.net.", "grp7.lab.example."), "ns.example.net.");
/// assert_eq!(absolute("ns1.example", "."), "ns1.example.");
/// ```
pub fn absolute(name: &str, origin: &str) -> String {
    if name.is_empty() || name == "@" {
        return origin.to_string();
    }
    if ends_with_unescaped_dot(name) {
        return name.to_string();
    }
    if labels(origin).is_empty() {
        format!("{name}.")
    } else {
        format!("{name}.{}", normalize_dot(origin))
    }
}

/// `origin` with a trailing dot.
fn normalize_dot(origin: &str) -> std::borrow::Cow<'_, str> {
    if ends_with_unescaped_dot(origin) {
        origin.into()
    } else {
        format!("{origin}.").into()
    }
}

/// `name` as feedback should show it: relative to `origin` (`www`),
/// `@ (the apex)` for `origin` itself, or the absolute name when it lies
/// outside the zone.
///
/// ```
/// use grader_checker_sdk::names::short;
/// assert_eq!(short("www.a.example.", "a.example."), "www");
/// assert_eq!(short("a.example.", "a.example."), "@ (the apex)");
/// assert_eq!(short("x.example.net.", "a.example."), "x.example.net.");
/// ```
pub fn short(name: &str, origin: &str) -> String {
    match relative_to(name, origin) {
        Some("") => "@ (the apex)".to_string(),
        Some(rel) => rel.to_string(),
        None => name.to_string(),
    }
}

/// The canonical DNS order of two names (RFC 4034 §6.1): label by label
/// from the root, each label compared as lowercase bytes, a name before the
/// names below it. The order of the grader's DNSSEC report
/// ([`crate::DnssecReport::rrsets`]) and of NSEC chains.
///
/// ```
/// use std::cmp::Ordering;
/// use grader_checker_sdk::names::canonical_cmp;
/// assert_eq!(canonical_cmp("example.", "a.example."), Ordering::Less);
/// assert_eq!(canonical_cmp("z.example.", "a.b.example."), Ordering::Greater);
/// assert_eq!(canonical_cmp("A.Example", "a.example."), Ordering::Equal);
/// ```
pub fn canonical_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    labels(a).iter().rev().cmp(labels(b).iter().rev())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_ignores_case_and_trailing_dot() {
        assert!(names_equal("www.example.", "WWW.EXAMPLE."));
        assert!(names_equal("www.example", "www.example."));
        assert!(names_equal(".", ""));
        assert!(!names_equal("www.example.", "ww.example."));
        assert!(!names_equal("www.example.", "www.example.com."));
        assert!(!names_equal("example.", "."));
    }

    #[test]
    fn equal_decodes_escapes() {
        assert!(names_equal(r"\065.example.", "a.example."));
        assert!(names_equal(r"\097.example.", "A.example"));
        assert!(names_equal(r"a\.b.example.", r"A\.B.example"));
        assert!(!names_equal(r"a\.b.example.", "a.b.example."));
        assert!(names_equal(r"a\\.example.", r"A\092.example."));
    }

    #[test]
    fn labels_of_odd_names() {
        assert_eq!(labels("a..b."), vec![b"a".to_vec(), vec![], b"b".to_vec()]);
        // An escaped final dot belongs to the label.
        assert_eq!(labels(r"a\."), vec![b"a.".to_vec()]);
        assert_eq!(labels(r"\999"), vec![b"999".to_vec()]);
        // A lone trailing backslash is kept.
        assert_eq!(labels("a\\"), vec![b"a\\".to_vec()]);
    }

    #[test]
    fn subdomain_is_label_wise() {
        assert!(is_subdomain("a.b.example.", "example."));
        assert!(is_subdomain("example.", "example."));
        assert!(is_subdomain("example.", "."));
        assert!(is_subdomain(".", ""));
        assert!(!is_subdomain("notexample.", "example."));
        assert!(!is_subdomain(".", "example."));
        assert!(is_subdomain("Www.Example", "example."));
        assert!(!is_subdomain(r"a\.example.", "example."));
        assert!(!is_subdomain(r"a\.example.", "a.example."));
    }

    #[test]
    fn normalize_and_relative() {
        assert_eq!(normalize("A.B"), "a.b.");
        assert_eq!(normalize("a.b."), "a.b.");
        assert_eq!(normalize(r"a\."), r"a\..");
        assert_eq!(normalize(r"a\\."), r"a\\.");
        assert_eq!(relative_to("a.b.c.example", "EXAMPLE."), Some("a.b.c"));
        assert_eq!(relative_to(r"a\.b.example.", "example."), Some(r"a\.b"));
        assert_eq!(relative_to("example.", "."), Some("example"));
        assert_eq!(relative_to("ab.example.", "b.example."), None);
    }

    #[test]
    fn keys_match_names_equal() {
        let names = [
            "www.example.",
            "WWW.example",
            r"\119ww.example.",
            r"a\.b.example.",
            "a.b.example.",
            r"a\\.example.",
            r"A\092.example",
            ".",
            "",
            "a..b.",
            "a..b",
            r"a\.",
            "a.",
            "a..",
            "\u{e9}.example.",
            r"\195\169.example.",
        ];
        for a in names {
            for b in names {
                assert_eq!(key(a) == key(b), names_equal(a, b), "{a} ~ {b}");
            }
        }
    }

    #[test]
    fn missing_dots() {
        let o = "grp7.lab.example.";
        assert_eq!(
            missing_trailing_dot("grp7.lab.example.grp7.lab.example.", o).as_deref(),
            Some("grp7.lab.example.")
        );
        assert_eq!(
            missing_trailing_dot("Mail.GRP7.lab.example.grp7.lab.example", o).as_deref(),
            Some("Mail.GRP7.lab.example.")
        );
        assert_eq!(missing_trailing_dot(".", o), None);
        assert_eq!(missing_trailing_dot("x.", "."), None);
        assert_eq!(
            missing_trailing_dot("lab.example.grp7.lab.example.", o),
            None
        );
    }

    #[test]
    fn addresses_hostnames_and_absolute_names() {
        assert_eq!(
            address_in_name("192.0.2.25.").as_deref(),
            Some("192.0.2.25")
        );
        assert_eq!(address_in_name("1.2.3."), None);
        assert_eq!(address_in_name("1234.0.2.1."), None);
        assert_eq!(address_in_name("."), None);
        assert!(is_hostname("a.b"));
        assert!(!is_hostname("a..b."));
        assert!(!is_hostname("a-.b."));
        assert!(!is_hostname(r"a\.b.example."));
        assert_eq!(absolute("", "a.example."), "a.example.");
        assert_eq!(absolute("www", "a.example"), "www.a.example.");
        assert_eq!(absolute(r"x\.", "a.example."), r"x\..a.example.");
        assert_eq!(absolute("x", ""), "x.");
    }
}
