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
}
