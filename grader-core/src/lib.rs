//! The grader's library: zone files ([`zone`]), DNSSEC validation
//! ([`dnssec`]), exercise definitions
//! ([`exercise`]), the WebAssembly sandbox for checkers ([`sandbox`]) and
//! grading ([`grade`]). See ARCHITECTURE.md for the map and the invariants.

pub mod catalog;
mod codes;
pub mod dnssec;
pub mod exercise;
pub mod grade;
pub mod message;
pub mod probe;
pub mod response;
pub mod sample;
pub mod sandbox;
pub mod zone;

/// `url` with the password of its user information replaced by `***`, for
/// logs and messages (`amqp://lms:***@rabbit:5672/%2f`,
/// `postgres://grader:***@db/grades`); `None` when it is not a URL (no
/// `://`), for the caller to decide what to show. Everything before the
/// last `@` is taken as user information, so a password with a raw `/`, `?`
/// or `@` is hidden too (an `@` later in the URL hides more, never less).
pub fn redact_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    Some(match rest.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_the_logs() {
        let r = |u: &str| redact_url(u).unwrap_or_else(|| "not a URL".into());
        assert_eq!(
            r("amqps://lms:s3cr%40t@rabbit.example:5671/grading?heartbeat=10"),
            "amqps://lms:***@rabbit.example:5671/grading?heartbeat=10"
        );
        assert_eq!(r("amqp://127.0.0.1"), "amqp://127.0.0.1");
        assert_eq!(r("garbage"), "not a URL");
        assert_eq!(r("amqp://a:b@c@h/v"), "amqp://a:***@h/v");
        assert_eq!(
            r("amqp://guest:hun/ter2@127.0.0.1:5672/%2f"),
            "amqp://guest:***@127.0.0.1:5672/%2f"
        );
        assert_eq!(r("amqp://u:p?x#y@h/v"), "amqp://u:***@h/v");
        assert_eq!(
            r("postgres://u:secret@db:5432/g"),
            "postgres://u:***@db:5432/g"
        );
        assert_eq!(r("postgres://u@db/g"), "postgres://u:***@db/g");
    }
}
