//! A traversal of an OpenAPI document that knows which nodes are schemas.
//!
//! Both `$ref` bundling and 3.1 normalisation need to know whether a map is a schema
//! (where `type: [..]` or `const` mean something) or data (an `example`, a `default`,
//! an `x-` extension), so the rules live here once.

use serde_json::Value;

/// What the walker tells a visitor about a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A schema object (or a `$ref` standing where a schema goes).
    Schema,
    /// Any other object of the document.
    Other,
}

/// Called on every object node, before its children are walked.
pub trait Visitor {
    /// Inspect or rewrite `node`; return `false` to skip its children.
    fn visit(&mut self, node: &mut Value, path: &mut Vec<String>, pos: Position) -> bool;
}

/// Keys whose values are data, never schemas or references.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Keys of a schema whose value is a map from arbitrary names to schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Walk a whole document from its root.
pub fn walk_document(root: &mut Value, visitor: &mut dyn Visitor) {
    let mut path = Vec::new();
    walk_other(root, &mut path, visitor);
}

/// Walk a value known to be a schema (used for fragments lifted out of other files).
pub fn walk_schema_at(node: &mut Value, path: &mut Vec<String>, visitor: &mut dyn Visitor) {
    walk_schema(node, path, visitor);
}

/// Walk a value that is not a schema (a parameter, a response, a whole file …).
pub fn walk_other_at(node: &mut Value, path: &mut Vec<String>, visitor: &mut dyn Visitor) {
    walk_other(node, path, visitor);
}

fn walk_other(node: &mut Value, path: &mut Vec<String>, visitor: &mut dyn Visitor) {
    match node {
        Value::Object(_) => {
            if !visitor.visit(node, path, Position::Other) {
                return;
            }
            let Value::Object(map) = node else { return };
            // `components/schemas/*` and `definitions/*` (Swagger 2) hold schemas.
            let schema_container = matches!(
                path.as_slice(),
                [a, b] if a == "components" && b == "schemas"
            ) || matches!(path.as_slice(), [a] if a == "definitions");
            // An Example Object (`…/examples/<name>`) holds data in `value`.
            let example_object = matches!(path.as_slice(), [.., e, _] if e == "examples");
            for (k, v) in map.iter_mut() {
                if k == "example" || k.starts_with("x-") || (example_object && k == "value") {
                    continue;
                }
                path.push(k.clone());
                if schema_container || k == "schema" {
                    walk_schema(v, path, visitor);
                } else {
                    walk_other(v, path, visitor);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                walk_other(v, path, visitor);
                path.pop();
            }
        }
        _ => {}
    }
}

fn walk_schema(node: &mut Value, path: &mut Vec<String>, visitor: &mut dyn Visitor) {
    match node {
        Value::Object(_) => {
            if !visitor.visit(node, path, Position::Schema) {
                return;
            }
            let Value::Object(map) = node else { return };
            for (k, v) in map.iter_mut() {
                if DATA_KEYS.contains(&k.as_str()) || k.starts_with("x-") {
                    continue;
                }
                path.push(k.clone());
                if SCHEMA_MAPS.contains(&k.as_str()) {
                    if let Value::Object(children) = v {
                        for (name, child) in children.iter_mut() {
                            path.push(name.clone());
                            walk_schema(child, path, visitor);
                            path.pop();
                        }
                    }
                } else if k == "discriminator" || k == "xml" || k == "externalDocs" {
                    // Plain objects inside a schema that hold no subschemas.
                } else {
                    walk_schema(v, path, visitor);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                walk_schema(v, path, visitor);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Build a JSON pointer from path segments.
pub fn pointer(path: &[String]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        out.push_str(&crate::diag::escape_pointer_segment(seg));
    }
    out
}

/// Resolve a JSON pointer (already split off the `#`) inside `root`. Segments are
/// percent-decoded (they come from a URI fragment) and `~1`/`~0` unescaped.
pub fn resolve_pointer<'a>(root: &'a Value, ptr: &str) -> Option<&'a Value> {
    if ptr.is_empty() {
        return Some(root);
    }
    let rest = ptr.strip_prefix('/')?;
    let mut cur = root;
    for raw in rest.split('/') {
        let seg = unescape_segment(raw);
        cur = match cur {
            Value::Object(m) => m.get(&seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Split a pointer into unescaped segments.
pub fn pointer_segments(ptr: &str) -> Vec<String> {
    match ptr.strip_prefix('/') {
        Some(rest) => rest.split('/').map(unescape_segment).collect(),
        None => Vec::new(),
    }
}

fn unescape_segment(raw: &str) -> String {
    percent_decode(raw).replace("~1", "/").replace("~0", "~")
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointer_escapes_round_trip() {
        let doc = json!({"components": {"schemas": {"Foo/Bar": 1, "Til~de": 2, "sp ace": 3}}});
        assert_eq!(
            resolve_pointer(&doc, "/components/schemas/Foo~1Bar"),
            Some(&json!(1))
        );
        assert_eq!(
            resolve_pointer(&doc, "/components/schemas/Til~0de"),
            Some(&json!(2))
        );
        assert_eq!(
            resolve_pointer(&doc, "/components/schemas/sp%20ace"),
            Some(&json!(3))
        );
        assert_eq!(resolve_pointer(&doc, "/components/schemas/Nope"), None);
        assert_eq!(
            pointer(&["a/b".to_string(), "c~d".to_string()]),
            "/a~1b/c~0d"
        );
    }
}
