//! The exercise's `[params]`, which arrive as JSON text.
//!
//! The checker has no JSON crate (it depends on the SDK only), and the
//! params are a small flat object written by the instructor, so this is a
//! small, strict JSON reader. A missing key takes the default given by the
//! caller; a key of the wrong type is an error in the exercise definition,
//! which the checker reports with `Err` (a checker error for the instructor,
//! never a student's zero).

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// The top-level params object.
#[derive(Clone, Debug, Default)]
pub struct Params(Vec<(String, Json)>);

impl Params {
    /// Reads the params JSON (an object; empty text counts as `{}`).
    pub fn parse(text: &str) -> Result<Params, String> {
        if text.trim().is_empty() {
            return Ok(Params::default());
        }
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
            depth: 0,
        };
        let v = p.value()?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!("params: unexpected text at byte {}", p.i));
        }
        match v {
            Json::Obj(fields) => Ok(Params(fields)),
            _ => Err("params: not a JSON object".into()),
        }
    }

    fn get(&self, key: &str) -> Option<&Json> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A non-negative integer that fits in `u32`.
    #[allow(dead_code)]
    pub fn u32_or(&self, key: &str, default: u32) -> Result<u32, String> {
        match self.get(key) {
            None => Ok(default),
            Some(Json::Num(n)) if n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(u32::MAX) => {
                Ok(*n as u32)
            }
            Some(other) => Err(format!(
                "params.{key}: expected an integer 0..=4294967295, found {other:?}"
            )),
        }
    }

    /// A string.
    #[allow(dead_code)]
    pub fn str_or(&self, key: &str, default: &str) -> Result<String, String> {
        match self.get(key) {
            None => Ok(default.to_string()),
            Some(Json::Str(s)) => Ok(s.clone()),
            Some(other) => Err(format!("params.{key}: expected a string, found {other:?}")),
        }
    }

    /// A list of strings.
    #[allow(dead_code)]
    pub fn strs_or(&self, key: &str, default: &[&str]) -> Result<Vec<String>, String> {
        match self.get(key) {
            None => Ok(default.iter().map(|s| s.to_string()).collect()),
            Some(Json::Arr(items)) => items
                .iter()
                .map(|v| match v {
                    Json::Str(s) => Ok(s.clone()),
                    other => Err(format!("params.{key}: expected strings, found {other:?}")),
                })
                .collect(),
            Some(other) => Err(format!(
                "params.{key}: expected a list of strings, found {other:?}"
            )),
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> Result<(), String> {
        self.ws();
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!(
                "params: expected `{}` at byte {}",
                b as char, self.i
            ))
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.ws();
        self.depth += 1;
        if self.depth > 32 {
            return Err("params: nested too deeply".into());
        }
        let v = match self.peek() {
            Some(b'{') => {
                self.i += 1;
                let mut fields = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let k = self.string()?;
                        self.eat(b':')?;
                        let v = self.value()?;
                        fields.push((k, v));
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => {
                                return Err(format!(
                                    "params: expected `,` or `}}` at byte {}",
                                    self.i
                                ));
                            }
                        }
                    }
                }
                Json::Obj(fields)
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => {
                                return Err(format!(
                                    "params: expected `,` or `]` at byte {}",
                                    self.i
                                ));
                            }
                        }
                    }
                }
                Json::Arr(items)
            }
            Some(b'"') => Json::Str(self.string()?),
            Some(b't') => self.word("true", Json::Bool(true))?,
            Some(b'f') => self.word("false", Json::Bool(false))?,
            Some(b'n') => self.word("null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                while self.peek().is_some_and(|b| {
                    b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                }) {
                    self.i += 1;
                }
                let text = std::str::from_utf8(self.s.get(start..self.i).unwrap_or_default())
                    .map_err(|_| "params: bad number".to_string())?;
                Json::Num(
                    text.parse()
                        .map_err(|_| format!("params: bad number `{text}`"))?,
                )
            }
            _ => return Err(format!("params: unexpected input at byte {}", self.i)),
        };
        self.depth -= 1;
        Ok(v)
    }

    fn word(&mut self, w: &str, v: Json) -> Result<Json, String> {
        if self.s.get(self.i..self.i + w.len()) == Some(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            Err(format!("params: unexpected input at byte {}", self.i))
        }
    }

    fn string(&mut self) -> Result<String, String> {
        if self.peek() != Some(b'"') {
            return Err(format!("params: expected a string at byte {}", self.i));
        }
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.peek() {
                None => return Err("params: unterminated string".into()),
                Some(b'"') => {
                    self.i += 1;
                    break;
                }
                Some(b'\\') => {
                    let esc = self.s.get(self.i + 1).copied();
                    self.i += 2;
                    let c = match esc {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hex = self
                                .s
                                .get(self.i..self.i + 4)
                                .and_then(|h| std::str::from_utf8(h).ok())
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .ok_or("params: bad \\u escape")?;
                            self.i += 4;
                            char::from_u32(hex).unwrap_or('\u{fffd}')
                        }
                        _ => return Err("params: bad escape".into()),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Some(b) => {
                    out.push(b);
                    self.i += 1;
                }
            }
        }
        String::from_utf8(out).map_err(|_| "params: string is not UTF-8".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flat_params() {
        let p = Params::parse(r#"{"a":2,"b":"x\"y","c":["n","q"],"d":{"e":[]}}"#).unwrap();
        assert_eq!(p.u32_or("a", 0), Ok(2));
        assert_eq!(p.u32_or("zz", 7), Ok(7));
        assert_eq!(p.str_or("b", ""), Ok("x\"y".to_string()));
        assert_eq!(
            p.strs_or("c", &[]),
            Ok(vec!["n".to_string(), "q".to_string()])
        );
        assert!(p.u32_or("b", 0).is_err());
        assert!(Params::parse("[1]").is_err());
        assert!(Params::parse("{\"a\":").is_err());
        assert!(Params::parse("").is_ok());
    }
}
