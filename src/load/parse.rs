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
        match serde_json::from_str::<Value>(text) {
            Ok(v) => return Ok(v),
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
    serde_saphyr::from_str_with_options::<Value>(text, options).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = strip_position_suffix(&e.to_string());
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
