//! Bytes → `serde_json::Value`, for YAML and JSON, with line:column on syntax errors.

use std::path::Path;

use serde_json::Value;

use crate::diag::{Diagnostic, Location, Severity};

/// Upper bound on the size of one spec file; larger inputs are refused rather than
/// exhausting memory.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Parse the text of one spec file. JSON is detected from the extension or a leading
/// `{`/`[`; everything else is read as YAML 1.2 (strict booleans, so `y` stays a string).
pub fn parse_text(file: &Path, text: &str) -> Result<Value, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_json_ext = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let first = text.trim_start().chars().next();
    if is_json_ext || matches!(first, Some('{') | Some('[')) {
        match serde_json::from_str::<StrictJson>(text) {
            Ok(StrictJson(v)) => return Ok(v),
            // A `.yaml` file may start with a flow mapping; only JSON files fail here.
            Err(e) if is_json_ext => {
                return Err(syntax_error(
                    file,
                    e.line() as u64,
                    e.column() as u64,
                    strip_position_suffix(&e.to_string()),
                ));
            }
            Err(_) => {}
        }
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options::<StrictJson>(text, options)
        .map(|StrictJson(v)| v)
        .map_err(|e| {
            let (line, col) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            let message = strip_position_suffix(&e.to_string());
            // The parser's advice is about its own API, not the user's file.
            let message = message
                .split(", set DuplicateKeyPolicy")
                .next()
                .unwrap_or(&message)
                .to_string();
            if line == 0 {
                Diagnostic {
                    severity: Severity::Error,
                    file: file.to_path_buf(),
                    location: Location::File,
                    message: format!("invalid YAML: {message}"),
                    hint: Some("fix the YAML syntax; a YAML linter shows the exact spot".into()),
                }
            } else {
                syntax_error(file, line, col, format!("invalid YAML: {message}"))
            }
        })
}

fn syntax_error(file: &Path, line: u64, col: u64, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: file.to_path_buf(),
        location: Location::LineCol(line, col),
        message,
        hint: Some("fix the syntax at this position and run again".into()),
    }
}

/// Parsers append " at line X column Y" to their messages; the location is printed
/// separately in `file:line:col` form, so drop it from the message.
fn strip_position_suffix(msg: &str) -> String {
    let msg = msg.lines().next().unwrap_or(msg).trim();
    for marker in [" at line ", ", line "] {
        if let Some(idx) = msg.rfind(marker) {
            return msg[..idx].to_string();
        }
    }
    msg.to_string()
}

/// A JSON value that refuses duplicate keys: `serde_json::Value` would keep the last
/// one silently, hiding half of a spec (YAML duplicates are refused by the YAML
/// parser).
struct StrictJson(Value);

impl<'de> serde::Deserialize<'de> for StrictJson {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictJson)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(StrictJson(v)) = seq.next_element()? {
            items.push(v);
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key `{key}` in this object"
                )));
            }
            let StrictJson(v) = map.next_value()?;
            out.insert(key, v);
        }
        // Rebuilt at its exact size: a map grows by doubling, and most maps of a
        // spec hold two or three keys (a third of the tree was spare room).
        Ok(Value::Object(out.into_iter().collect()))
    }
}
