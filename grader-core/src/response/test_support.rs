//! What the readers' tests share: diagnostics as `code line:column`,
//! where a text is in the input, and the one-message case.

use hickory_proto::op::Message;

use super::{Format, Read, ReadMessage, read};

/// The diagnostics as `code line:column`.
pub(super) fn found(r: &Read) -> Vec<String> {
    r.diagnostics
        .iter()
        .map(|d| format!("{} {}:{}", d.code, d.line, d.column))
        .collect()
}

/// The 1-based line and column of `needle` in `text` (first match).
pub(super) fn at(text: &str, needle: &str) -> String {
    for (i, l) in text.lines().enumerate() {
        if let Some(c) = l.find(needle) {
            return format!("{}:{}", i + 1, l[..c].chars().count() + 1);
        }
    }
    panic!("`{needle}` not in the text")
}

/// Encoding and decoding again gives the same message.
pub(super) fn round_trips(m: &Message) {
    let wire = m.to_vec().expect("encodes");
    assert_eq!(&Message::from_vec(&wire).expect("decodes"), m);
}

/// One message, no diagnostic at all; it round-trips.
pub(super) fn one(format: Format, text: &str) -> ReadMessage {
    let r = read(format, text.as_bytes());
    assert!(r.diagnostics.is_empty(), "{:?}\n{text}", found(&r));
    assert_eq!(r.messages.len(), 1);
    round_trips(&r.messages[0].message);
    r.messages.into_iter().next().expect("one")
}
