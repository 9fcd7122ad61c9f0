//! The exercise's `[params]`, which a checker receives as JSON text
//! ([`Submission::params`](crate::Submission)).
//!
//! [`Params::parse`] reads that text (with `serde_json`) into an object with
//! typed accessors. There are three kinds of them:
//!
//! - `get_*` (`get_str`, `get_u64`, …) return `None` when the key is missing
//!   *or* holds another type: for values the checker can do without;
//! - `required_*` return `Err` naming the key when it is missing or of
//!   another type;
//! - [`Params::optional`] and [`Params::get_or`] accept a missing key but
//!   return `Err` for one of another type, so that a typo in `exercise.toml`
//!   (`min_ns = "2"`) is not silently replaced by a default.
//!
//! A checker returns these errors as its own `Err`: the grader then reports a
//! checker error to the instructor, never a score, so a mistake in an
//! exercise definition never becomes a student's zero.
//!
//! ```
//! use grader_checker_sdk::params::Params;
//!
//! # fn main() -> Result<(), String> {
//! let p = Params::parse(r#"{"child": "sub", "min_ns": 2,
//!     "servers": [{"name": "ns1.sub", "ipv4": ["192.0.2.53"]}]}"#)?;
//! assert_eq!(p.required_str("child")?, "sub");
//! assert_eq!(p.get_or("min_ns", 1u32)?, 2);
//! assert_eq!(p.get_or("max_ttl", 86_400u32)?, 86_400);
//! let servers = p.objects("servers")?;
//! assert_eq!(servers[0].required_str("name")?, "ns1.sub");
//! assert_eq!(servers[0].get_str_list("ipv4"), Some(vec!["192.0.2.53".to_string()]));
//!
//! let err = p.required_u64("child").unwrap_err();
//! assert_eq!(err, r#"params.child: expected a non-negative integer, found "sub""#);
//! let err = servers[0].required_str("ipv6").unwrap_err();
//! assert_eq!(err, "params.servers[0].ipv6: missing: the exercise's [params] must set it");
//! # Ok(())
//! # }
//! ```

use serde_json::Map;

/// A JSON value (`serde_json::Value`), as [`Params::get`] returns it.
pub use serde_json::Value;

/// A JSON object of the exercise's params: the top level, or one of the
/// objects of a list (see [`Params::objects`]), which knows its path for
/// error messages (`params.servers[1].name`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    /// `params`, `params.servers[1]`, …
    path: String,
    map: Map<String, Value>,
}

/// A type a param value can be read as, for [`Params::optional`],
/// [`Params::required`] and [`Params::get_or`].
pub trait FromParam: Sized {
    /// What the value must be, for error messages (`a string`).
    const EXPECTED: &'static str;
    /// The value as this type, or `None` when it is of another type.
    fn from_param(value: &Value) -> Option<Self>;
}

impl FromParam for String {
    const EXPECTED: &'static str = "a string";
    fn from_param(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_string)
    }
}

impl FromParam for bool {
    const EXPECTED: &'static str = "true or false";
    fn from_param(value: &Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FromParam for u64 {
    const EXPECTED: &'static str = "a non-negative integer";
    fn from_param(value: &Value) -> Option<Self> {
        value.as_u64()
    }
}

impl FromParam for u32 {
    const EXPECTED: &'static str = "an integer from 0 to 4294967295";
    fn from_param(value: &Value) -> Option<Self> {
        value.as_u64().and_then(|n| u32::try_from(n).ok())
    }
}

impl FromParam for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_param(value: &Value) -> Option<Self> {
        value.as_i64()
    }
}

impl FromParam for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_param(value: &Value) -> Option<Self> {
        value.as_f64()
    }
}

/// A list of strings; a single string counts as a list of one, as TOML
/// authors often write `ipv4 = "192.0.2.1"` for one address.
impl FromParam for Vec<String> {
    const EXPECTED: &'static str = "a string or a list of strings";
    fn from_param(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(vec![s.clone()]),
            Value::Array(items) => items.iter().map(String::from_param).collect(),
            _ => None,
        }
    }
}

/// A list of non-negative integers (`algorithms = [13, 15]`); a single
/// integer counts as a list of one.
///
/// ```
/// use grader_checker_sdk::params::Params;
/// let p = Params::parse(r#"{"algorithms": [13, 15], "one": 8, "bad": [13, "x"]}"#).unwrap();
/// assert_eq!(p.get_or("algorithms", Vec::<u64>::new()).unwrap(), [13, 15]);
/// assert_eq!(p.get_or("one", Vec::<u64>::new()).unwrap(), [8]);
/// assert!(p.get_or("bad", Vec::<u64>::new()).is_err());
/// ```
impl FromParam for Vec<u64> {
    const EXPECTED: &'static str = "a non-negative integer or a list of them";
    fn from_param(value: &Value) -> Option<Self> {
        match value {
            Value::Array(items) => items.iter().map(Value::as_u64).collect(),
            other => other.as_u64().map(|n| vec![n]),
        }
    }
}

/// Shortens a value for an error message.
fn show(value: &Value) -> String {
    let mut text = value.to_string();
    if text.len() > 80 {
        let mut end = 77;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("...");
    }
    text
}

impl Params {
    /// Reads the params JSON text: an object, or empty text (no params at
    /// all), which counts as `{}`.
    ///
    /// ```
    /// use grader_checker_sdk::params::Params;
    /// assert!(Params::parse("").unwrap().get("x").is_none());
    /// assert!(Params::parse("[1, 2]").unwrap_err().contains("not a JSON object"));
    /// assert!(Params::parse("{\"a\":").unwrap_err().starts_with("params: not valid JSON"));
    /// ```
    pub fn parse(text: &str) -> Result<Params, String> {
        if text.trim().is_empty() {
            return Ok(Params::object("params".into(), Map::new()));
        }
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(Params::object("params".into(), map)),
            Ok(other) => Err(format!("params: not a JSON object: {}", show(&other))),
            Err(e) => Err(format!("params: not valid JSON: {e}")),
        }
    }

    fn object(path: String, map: Map<String, Value>) -> Params {
        Params { path, map }
    }

    /// The path of `key` in messages: `params.min_ns`,
    /// `params.servers[0].name`.
    pub fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// An error message about `key`: `params.<key>: <why>`, for the checks a
    /// checker makes itself (`required_str("child")` is there but empty).
    ///
    /// ```
    /// use grader_checker_sdk::params::Params;
    /// let p = Params::parse(r#"{"child": ""}"#).unwrap();
    /// assert_eq!(p.error("child", "must not be empty"), "params.child: must not be empty");
    /// ```
    pub fn error(&self, key: &str, why: impl std::fmt::Display) -> String {
        format!("{}: {why}", self.path(key))
    }

    /// The raw value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }

    /// The keys present, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// `key` as `T`: `Ok(None)` when it is missing, `Err` naming the key when
    /// it holds another type.
    ///
    /// ```
    /// use grader_checker_sdk::params::Params;
    /// let p = Params::parse(r#"{"min_ns": 2, "web_host": 7}"#).unwrap();
    /// assert_eq!(p.optional::<u32>("min_ns"), Ok(Some(2)));
    /// assert_eq!(p.optional::<u32>("max_ns"), Ok(None));
    /// assert!(p.optional::<String>("web_host").is_err());
    /// ```
    pub fn optional<T: FromParam>(&self, key: &str) -> Result<Option<T>, String> {
        self.typed(key, T::EXPECTED, T::from_param)
    }

    /// `key` as `T`, or `default` when it is missing; `Err` naming the key
    /// when it holds another type.
    ///
    /// ```
    /// use grader_checker_sdk::params::Params;
    /// let p = Params::parse(r#"{"policies": ["none", "reject"]}"#).unwrap();
    /// let policies: Vec<String> = p.get_or("policies", vec![])?;
    /// assert_eq!(policies, ["none", "reject"]);
    /// assert_eq!(p.get_or("web_host", String::from("www"))?, "www");
    /// # Ok::<(), String>(())
    /// ```
    pub fn get_or<T: FromParam>(&self, key: &str, default: T) -> Result<T, String> {
        Ok(self.optional(key)?.unwrap_or(default))
    }

    /// `key` as `T`; `Err` naming the key when it is missing or of another
    /// type.
    pub fn required<T: FromParam>(&self, key: &str) -> Result<T, String> {
        self.optional(key)?.ok_or_else(|| self.missing(key))
    }

    fn missing(&self, key: &str) -> String {
        self.error(key, "missing: the exercise's [params] must set it")
    }

    /// The value of `key` read by `read`: `Ok(None)` when missing, `Err`
    /// when `read` refuses it.
    fn typed<'a, T>(
        &'a self,
        key: &str,
        expected: &str,
        read: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, String> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) => match read(v) {
                Some(t) => Ok(Some(t)),
                None => Err(self.error(key, format!("expected {expected}, found {}", show(v)))),
            },
        }
    }

    /// A string, or `None` when missing or not a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// A non-negative integer, or `None` when missing or not one.
    pub fn get_u64(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Value::as_u64)
    }

    /// An integer that fits in `u32`, or `None` when missing or not one.
    pub fn get_u32(&self, key: &str) -> Option<u32> {
        self.get(key).and_then(u32::from_param)
    }

    /// An integer (possibly negative), or `None` when missing or not one.
    pub fn get_i64(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Value::as_i64)
    }

    /// A boolean, or `None` when missing or not one.
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(Value::as_bool)
    }

    /// A list of strings (a single string is a list of one), or `None` when
    /// missing or not one.
    pub fn get_str_list(&self, key: &str) -> Option<Vec<String>> {
        self.get(key).and_then(Vec::<String>::from_param)
    }

    /// A string; `Err` naming the key when missing or not a string.
    pub fn required_str(&self, key: &str) -> Result<&str, String> {
        self.typed(key, String::EXPECTED, Value::as_str)?
            .ok_or_else(|| self.missing(key))
    }

    /// A non-negative integer; `Err` naming the key when missing or not one.
    pub fn required_u64(&self, key: &str) -> Result<u64, String> {
        self.required(key)
    }

    /// An integer that fits in `u32`; `Err` naming the key when missing or
    /// not one.
    pub fn required_u32(&self, key: &str) -> Result<u32, String> {
        self.required(key)
    }

    /// An integer; `Err` naming the key when missing or not one.
    pub fn required_i64(&self, key: &str) -> Result<i64, String> {
        self.required(key)
    }

    /// A boolean; `Err` naming the key when missing or not one.
    pub fn required_bool(&self, key: &str) -> Result<bool, String> {
        self.required(key)
    }

    /// A list of strings (a single string is a list of one); `Err` naming
    /// the key when missing or not one.
    pub fn required_str_list(&self, key: &str) -> Result<Vec<String>, String> {
        self.required(key)
    }

    /// The objects of the list `key` (TOML's `[[params.servers]]` or
    /// `servers = [{ ... }, ...]`), each with its path for messages; an empty
    /// list when the key is missing, `Err` when it is not a list of objects.
    ///
    /// ```
    /// use grader_checker_sdk::params::Params;
    /// let p = Params::parse(r#"{"hosts": [{"name": "a."}, {"ipv4": "192.0.2.1"}]}"#).unwrap();
    /// let hosts = p.objects("hosts").unwrap();
    /// assert_eq!(hosts[0].get_str("name"), Some("a."));
    /// assert_eq!(hosts[1].required_str("name").unwrap_err(),
    ///     "params.hosts[1].name: missing: the exercise's [params] must set it");
    /// assert!(p.objects("aliases").unwrap().is_empty());
    /// ```
    pub fn objects(&self, key: &str) -> Result<Vec<Params>, String> {
        let items = self
            .typed(key, "a list of objects", Value::as_array)?
            .map_or(&[][..], Vec::as_slice);
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let path = format!("{}[{i}]", self.path(key));
                match item {
                    Value::Object(map) => Ok(Params::object(path, map.clone())),
                    other => Err(format!("{path}: expected an object, found {}", show(other))),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_accessors() {
        let p = Params::parse(
            r#"{"a": 2, "b": "x\"y\u00e9", "c": ["n", "q"], "d": {"e": []}, "t": true,
                "neg": -3, "big": 4294967296, "f": 2.5, "mixed": ["a", 1]}"#,
        )
        .unwrap();
        assert_eq!(p.get_u64("a"), Some(2));
        assert_eq!(p.get_u32("a"), Some(2));
        assert_eq!(p.get_u32("big"), None);
        assert_eq!(p.get_u64("big"), Some(4_294_967_296));
        assert_eq!(p.get_i64("neg"), Some(-3));
        assert_eq!(p.get_u64("neg"), None);
        assert_eq!(p.get_bool("t"), Some(true));
        assert_eq!(p.get_str("b"), Some("x\"yé"));
        assert_eq!(p.get_str("a"), None);
        assert_eq!(p.get_str_list("c"), Some(vec!["n".into(), "q".into()]));
        assert_eq!(p.get_str_list("b"), Some(vec!["x\"yé".into()]));
        assert_eq!(p.get_str_list("mixed"), None);
        assert!(p.get("d").is_some_and(Value::is_object));
        assert_eq!(p.optional::<f64>("f"), Ok(Some(2.5)));
        assert_eq!(p.keys().next(), Some("a"));

        assert_eq!(p.required_u64("a"), Ok(2));
        assert_eq!(p.required_i64("neg"), Ok(-3));
        assert_eq!(p.required_bool("t"), Ok(true));
        assert_eq!(p.required_str_list("c").map(|l| l.len()), Ok(2));
        assert_eq!(
            p.required_u32("big"),
            Err("params.big: expected an integer from 0 to 4294967295, found 4294967296".into())
        );
        assert_eq!(
            p.required_bool("zz"),
            Err("params.zz: missing: the exercise's [params] must set it".into())
        );
        assert_eq!(p.get_or("zz", 7u32), Ok(7));
        assert!(p.get_or("b", 7u32).is_err());
        assert!(
            p.required_str_list("mixed")
                .unwrap_err()
                .contains("a string or a list")
        );
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "x".repeat(500);
        let p = Params::parse(&format!(r#"{{"k": "{long}"}}"#)).unwrap();
        let err = p.required_u64("k").unwrap_err();
        assert!(err.len() < 160 && err.ends_with("..."), "{err}");
    }

    #[test]
    fn objects_of_a_list() {
        let p = Params::parse(r#"{"s": [{"n": 1}, 2], "o": {"n": 1}}"#).unwrap();
        assert_eq!(
            p.objects("s").unwrap_err(),
            "params.s[1]: expected an object, found 2"
        );
        assert!(p.objects("o").unwrap_err().contains("a list of objects"));
        let nested = Params::parse(r#"{"s": [{"t": [{"u": true}]}]}"#).unwrap();
        let t = nested.objects("s").unwrap()[0].objects("t").unwrap();
        assert_eq!(t[0].path("u"), "params.s[0].t[0].u");
    }

    #[test]
    fn bad_json_is_an_error() {
        for bad in [
            "{",
            "[1,",
            "{\"a\" 1}",
            "\"x",
            "tru",
            "{}x",
            "[\"\\u12\"]",
            "3",
        ] {
            assert!(Params::parse(bad).is_err(), "{bad}");
        }
        assert!(Params::parse(&"[".repeat(1000)).is_err());
        assert_eq!(Params::parse("  ").unwrap(), Params::parse("{}").unwrap());
    }
}
