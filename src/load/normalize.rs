//! Normalise a 3.1 (or sloppy 3.0) document at the `serde_json::Value` level into the
//! shape the `openapiv3` model holds.
//!
//! What is rewritten (and how the IR gets the information back):
//! - `type: [T, "null"]` → `type: T, nullable: true`; several non-null types → `anyOf`
//!   of single-type schemas.
//! - numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (same for max).
//! - `const: v` → `enum: [v]`, original kept as `x-const`.
//! - example data (`example`, `examples` of schemas, parameters, headers and media
//!   types, and `components/examples`) is dropped: the spec is published as written
//!   before normalisation, and code generation reads no examples, which are a third
//!   of a spec like GitHub's. A component schema keeps its `example` (3.1: the first
//!   of its `examples`), which the IR carries for round-trip tests.
//! - `$ref` with sibling keywords (3.1) → `allOf: [{$ref}]` plus the siblings.
//! - missing `paths`, `responses`, response `description` → empty values.
//! - JSON-Schema-only keywords holding subschemas (`prefixItems`, `patternProperties`,
//!   `$defs`, `definitions`, `dependentSchemas`) and 3.1's `components/pathItems` are
//!   kept as `x-` extensions, which the typed model holds and references reach.
//!
//! What is lost: an explicit `default: null`; `mutualTLS` security schemes; other
//! JSON-Schema-only keywords (`if`/`then`/`else`, …); `webhooks` are not generated yet.

use serde_json::{Map, Value, json};

use super::walk::{self, Position, Visitor};

/// Normalise `doc` in place. `is_31` enables the rewrites that only make sense in 3.1
/// (in 3.0 siblings of `$ref` are ignored, as the specification says).
pub fn normalize(doc: &mut Value, is_31: bool) {
    if let Value::Object(root) = doc {
        root.entry("paths").or_insert_with(|| json!({}));
        if let Some(Value::Object(components)) = root.get_mut("components") {
            components.shift_remove("examples");
            // 3.1's reusable path items have no field in the 3.0 model.
            if let Some(items) = components.shift_remove("pathItems") {
                components.insert("x-pathItems".into(), items);
            }
        }
        // 3.1's `mutualTLS` has no counterpart in the 3.0 model; such schemes carry no
        // information a generated client or server can act on, so they are dropped.
        if let Some(Value::Object(schemes)) = root
            .get_mut("components")
            .and_then(|c| c.get_mut("securitySchemes"))
        {
            schemes.retain(|_, s| s.get("type").and_then(Value::as_str) != Some("mutualTLS"));
        }
    }
    walk::walk_document(doc, &mut Normalizer { is_31 });
}

struct Normalizer {
    is_31: bool,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Visitor for Normalizer {
    fn visit(&mut self, node: &mut Value, path: &mut Vec<String>, pos: Position) -> bool {
        let Value::Object(map) = node else {
            return true;
        };
        match pos {
            Position::Schema => {
                let component =
                    matches!(path.as_slice(), [c, s, _] if c == "components" && s == "schemas");
                normalize_schema(map, self.is_31, component);
                // JSON Schema keywords the typed model drops: normalise their subschemas
                // here (the walker skips `x-` keys), then keep them as extensions.
                for key in [
                    "prefixItems",
                    "patternProperties",
                    "$defs",
                    "definitions",
                    "dependentSchemas",
                ] {
                    if let Some(mut sub) = map.remove(key) {
                        path.push(key.to_string());
                        match &mut sub {
                            Value::Array(items) => {
                                for (i, item) in items.iter_mut().enumerate() {
                                    path.push(i.to_string());
                                    walk::walk_schema_at(item, path, self);
                                    path.pop();
                                }
                            }
                            Value::Object(children) => {
                                for (name, child) in children.iter_mut() {
                                    path.push(name.clone());
                                    walk::walk_schema_at(child, path, self);
                                    path.pop();
                                }
                            }
                            _ => {}
                        }
                        path.pop();
                        map.insert(format!("x-{key}"), sub);
                    }
                }
            }
            Position::Other => {
                // Parameters, headers and media types carry example data.
                if let [.., kind, _] = path.as_slice()
                    && (kind == "parameters" || kind == "headers" || kind == "content")
                {
                    map.shift_remove("example");
                    map.shift_remove("examples");
                }
                // An operation: paths/<p>/<method>, webhooks/<w>/<method>, callbacks.
                if let [first, .., method] = path.as_slice()
                    && METHODS.contains(&method.as_str())
                    && (first == "paths"
                        || first == "webhooks"
                        || path.iter().any(|s| s == "callbacks" || s == "pathItems"))
                {
                    map.entry("responses").or_insert_with(|| json!({}));
                }
                // A response object: .../responses/<code>
                if let [.., r, _code] = path.as_slice()
                    && r == "responses"
                    && !map.contains_key("$ref")
                {
                    map.entry("description")
                        .or_insert_with(|| Value::String(String::new()));
                }
            }
        }
        true
    }
}

/// `component`: a component schema, whose `example` (or first of 3.1's `examples`)
/// is kept: the test suite round-trips it through the generated models.
fn normalize_schema(map: &mut Map<String, Value>, is_31: bool, component: bool) {
    if is_31 && map.contains_key("$ref") && map.len() > 1 {
        let r = map.remove("$ref").unwrap_or(Value::Null);
        let mut all_of = vec![json!({ "$ref": r })];
        if let Some(Value::Array(existing)) = map.remove("allOf") {
            all_of.extend(existing);
        }
        map.insert("allOf".into(), Value::Array(all_of));
    }
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let mut non_null: Vec<Value> = types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .cloned()
            .collect();
        let has_null = non_null.len() != types.len();
        if has_null {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.len() {
            0 => {
                map.insert("type".into(), Value::String("null".into()));
            }
            1 => {
                map.insert("type".into(), non_null.remove(0));
            }
            _ => {
                map.remove("type");
                let variants: Vec<Value> =
                    non_null.into_iter().map(|t| json!({ "type": t })).collect();
                map.insert("anyOf".into(), Value::Array(variants));
            }
        }
    }
    for (excl, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = map.get(excl).cloned() {
            map.insert(bound.into(), Value::Number(n));
            map.insert(excl.into(), Value::Bool(true));
        }
    }
    if let Some(c) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![c.clone()]));
        map.insert("x-const".into(), c);
    }
    // Example data (the properties named `example` are in `properties`, not here).
    let examples = map.shift_remove("examples");
    map.shift_remove("x-examples");
    if !component {
        map.shift_remove("example");
    } else if let Some(Value::Array(mut examples)) = examples
        && !examples.is_empty()
        && !map.contains_key("example")
    {
        map.insert("example".into(), examples.swap_remove(0));
    }
    // openapiv3 reads `enum` values of a string schema as strings only; a `null`
    // member is how 3.0 specs spell "nullable enum".
    if let Some(Value::Array(values)) = map.get("enum")
        && values.iter().any(Value::is_null)
    {
        let kept: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        map.insert("nullable".into(), Value::Bool(true));
        if kept.is_empty() {
            map.remove("enum");
        } else {
            map.insert("enum".into(), Value::Array(kept));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_arrays_const_examples_and_bounds() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"A": {
                "type": "object",
                "properties": {
                    "a": {"type": ["string", "null"]},
                    "b": {"type": ["string", "integer"]},
                    "c": {"const": "x"},
                    "d": {"type": "integer", "exclusiveMinimum": 0, "examples": [5, 6]},
                    "e": {"$ref": "#/components/schemas/B", "description": "doc"},
                    "example": {"type": "string"}
                },
                "example": {"type": ["not", "a", "schema"]}
            }}}
        });
        normalize(&mut doc, true);
        let p = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(p["a"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            p["b"],
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(p["c"], json!({"enum": ["x"], "x-const": "x"}));
        assert_eq!(p["d"]["minimum"], json!(0));
        assert_eq!(p["d"]["exclusiveMinimum"], json!(true));
        assert_eq!(p["d"].get("examples"), None, "example data is dropped");
        assert_eq!(p["d"].get("example"), None, "example data is dropped");
        assert_eq!(p["e"]["allOf"], json!([{"$ref": "#/components/schemas/B"}]));
        assert_eq!(
            p["example"],
            json!({"type": "string"}),
            "a property named `example` is a schema"
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["example"],
            json!({"type": ["not", "a", "schema"]}),
            "a component's example is data, kept as it is"
        );
        assert_eq!(doc["paths"], json!({}));
    }
}
