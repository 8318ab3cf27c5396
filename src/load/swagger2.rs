//! Swagger 2.0 → OpenAPI 3.0, at the `serde_json::Value` level, so users of older specs
//! get the same generator (body/formData parameters become request bodies,
//! `produces`/`consumes` become media types, `definitions` become component schemas,
//! `securityDefinitions` become security schemes).

use serde_json::{Map, Value, json};

const METHODS: &[&str] = &[
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "parameters",
];

/// Convert a Swagger 2.0 document in place.
pub fn convert(doc: &mut Value) {
    let Value::Object(root) = doc else { return };
    let take = |root: &mut Map<String, Value>, k: &str| root.remove(k);
    let global_consumes =
        strings(root.get("consumes")).unwrap_or_else(|| vec!["application/json".into()]);
    let global_produces =
        strings(root.get("produces")).unwrap_or_else(|| vec!["application/json".into()]);
    let global_params = match take(root, "parameters") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    root.remove("swagger");
    root.remove("consumes");
    root.remove("produces");
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));

    // servers
    let host = take(root, "host").and_then(|v| v.as_str().map(str::to_string));
    let base = take(root, "basePath")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let schemes = strings(take(root, "schemes").as_ref()).unwrap_or_default();
    let base = base.trim_end_matches('/').to_string();
    let servers: Vec<Value> = match &host {
        Some(h) => {
            let schemes = if schemes.is_empty() {
                vec!["https".to_string()]
            } else {
                schemes
            };
            schemes
                .iter()
                .map(|s| json!({ "url": format!("{s}://{h}{base}") }))
                .collect()
        }
        None if !base.is_empty() => vec![json!({ "url": base })],
        None => Vec::new(),
    };
    if !servers.is_empty() {
        out.insert("servers".into(), Value::Array(servers));
    }

    let mut components = Map::new();
    if let Some(Value::Object(defs)) = take(root, "definitions") {
        components.insert("schemas".into(), Value::Object(defs));
    }
    let mut comp_params = Map::new();
    for (name, p) in &global_params {
        if !matches!(
            p.get("in").and_then(Value::as_str),
            Some("body" | "formData")
        ) {
            comp_params.insert(name.clone(), convert_param(p.clone()));
        }
    }
    if !comp_params.is_empty() {
        components.insert("parameters".into(), Value::Object(comp_params));
    }
    if let Some(Value::Object(responses)) = take(root, "responses") {
        let converted = responses
            .into_iter()
            .map(|(k, r)| (k, convert_response(r, &global_produces)))
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(Value::Object(defs)) = take(root, "securityDefinitions") {
        let converted = defs
            .into_iter()
            .map(|(k, d)| (k, convert_security(d)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(converted));
    }

    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (_, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let shared: Vec<Value> = match item.remove("parameters") {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            let mut kept_shared = Vec::new();
            let mut shared_special = Vec::new();
            for p in shared {
                let resolved = resolve_param(&p, &global_params);
                if matches!(
                    resolved.get("in").and_then(Value::as_str),
                    Some("body" | "formData")
                ) {
                    shared_special.push(resolved);
                } else {
                    kept_shared.push(param_or_ref(p));
                }
            }
            if !kept_shared.is_empty() {
                item.insert("parameters".into(), Value::Array(kept_shared));
            }
            for (method, op) in item.iter_mut() {
                if !METHODS.contains(&method.as_str()) || method == "parameters" {
                    continue;
                }
                if let Value::Object(op) = op {
                    convert_operation(
                        op,
                        &shared_special,
                        &global_params,
                        &global_consumes,
                        &global_produces,
                    );
                }
            }
        }
    }

    for (k, v) in std::mem::take(root) {
        out.insert(k, v);
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    let mut v = Value::Object(out);
    rewrite_refs(&mut v);
    fix_schemas(&mut v);
    *doc = v;
}

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    let a = v?.as_array()?;
    let out: Vec<String> = a
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect();
    if out.is_empty() { None } else { Some(out) }
}

fn resolve_param(p: &Value, globals: &Map<String, Value>) -> Value {
    if let Some(r) = p.get("$ref").and_then(Value::as_str)
        && let Some(name) = r.strip_prefix("#/parameters/")
        && let Some(found) = globals.get(&unescape(name))
    {
        return found.clone();
    }
    p.clone()
}

/// A parameter kept as a parameter: references stay (they are rewritten to
/// `#/components/parameters/…` with every other reference), inline ones are converted.
fn param_or_ref(p: Value) -> Value {
    if p.get("$ref").is_some() {
        p
    } else {
        convert_param(p)
    }
}

fn unescape(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

/// Keywords of a 2.0 non-body parameter that belong in its 3.0 `schema`.
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
];

fn convert_param(p: Value) -> Value {
    let Value::Object(mut m) = p else { return p };
    let mut schema = Map::new();
    for k in SCHEMA_KEYS {
        if let Some(v) = m.remove(*k) {
            schema.insert((*k).to_string(), v);
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
    let in_ = m
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(cf) = m
        .remove("collectionFormat")
        .and_then(|v| v.as_str().map(str::to_string))
    {
        let (style, explode) = match (cf.as_str(), in_.as_str()) {
            ("multi", _) => ("form", true),
            ("ssv", _) => ("spaceDelimited", false),
            ("pipes", _) => ("pipeDelimited", false),
            (_, "query" | "cookie") => ("form", false),
            _ => ("simple", false),
        };
        m.insert("style".into(), json!(style));
        m.insert("explode".into(), json!(explode));
    }
    m.remove("allowEmptyValue");
    if !schema.is_empty() {
        m.insert("schema".into(), Value::Object(schema));
    } else if !m.contains_key("schema") {
        m.insert("schema".into(), json!({ "type": "string" }));
    }
    Value::Object(m)
}

fn convert_operation(
    op: &mut Map<String, Value>,
    shared_special: &[Value],
    globals: &Map<String, Value>,
    global_consumes: &[String],
    global_produces: &[String],
) {
    let consumes =
        strings(op.remove("consumes").as_ref()).unwrap_or_else(|| global_consumes.to_vec());
    let produces =
        strings(op.remove("produces").as_ref()).unwrap_or_else(|| global_produces.to_vec());
    op.remove("schemes");
    let params: Vec<Value> = match op.remove("parameters") {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    let mut kept = Vec::new();
    let mut body: Option<Value> = None;
    let mut form_props = Map::new();
    let mut form_required = Vec::new();
    let mut has_file = false;
    let specials = shared_special.iter().cloned().map(|p| (p.clone(), p));
    let own = params.into_iter().map(|p| (resolve_param(&p, globals), p));
    for (resolved, original) in specials.chain(own) {
        match resolved.get("in").and_then(Value::as_str) {
            Some("body") => body = Some(resolved),
            Some("formData") => {
                let name = resolved
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("field")
                    .to_string();
                if resolved.get("required").and_then(Value::as_bool) == Some(true) {
                    form_required.push(json!(name));
                }
                let converted = convert_param(resolved.clone());
                let mut schema = converted.get("schema").cloned().unwrap_or(json!({}));
                has_file |= schema.get("format").and_then(Value::as_str) == Some("binary");
                if let (Value::Object(s), Some(d)) = (&mut schema, resolved.get("description")) {
                    s.insert("description".into(), d.clone());
                }
                form_props.insert(name, schema);
            }
            _ => kept.push(param_or_ref(original)),
        }
    }
    if !kept.is_empty() {
        op.insert("parameters".into(), Value::Array(kept));
    }
    if let Some(b) = body {
        let schema = b.get("schema").cloned().unwrap_or(json!({}));
        let content: Map<String, Value> = consumes
            .iter()
            .filter(|c| {
                !c.starts_with("multipart/") && !c.starts_with("application/x-www-form-urlencoded")
            })
            .map(|c| (c.clone(), json!({ "schema": schema })))
            .collect();
        let content = if content.is_empty() {
            let mut m = Map::new();
            m.insert("application/json".into(), json!({ "schema": schema }));
            m
        } else {
            content
        };
        let mut rb = Map::new();
        rb.insert("content".into(), Value::Object(content));
        if let Some(d) = b.get("description") {
            rb.insert("description".into(), d.clone());
        }
        rb.insert(
            "required".into(),
            json!(b.get("required").and_then(Value::as_bool).unwrap_or(false)),
        );
        op.insert("requestBody".into(), Value::Object(rb));
    } else if !form_props.is_empty() {
        let media = if has_file
            || consumes
                .iter()
                .any(|c| c.starts_with("multipart/form-data"))
        {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut schema = json!({ "type": "object", "properties": form_props });
        if !form_required.is_empty() {
            schema["required"] = Value::Array(form_required.clone());
        }
        op.insert(
            "requestBody".into(),
            json!({ "content": { media: { "schema": schema } }, "required": !form_required.is_empty() }),
        );
    }
    if let Some(Value::Object(responses)) = op.remove("responses") {
        let converted: Map<String, Value> = responses
            .into_iter()
            .map(|(k, r)| (k, convert_response(r, &produces)))
            .collect();
        op.insert("responses".into(), Value::Object(converted));
    }
}

fn convert_response(r: Value, produces: &[String]) -> Value {
    let Value::Object(mut m) = r else { return r };
    if m.contains_key("$ref") {
        return Value::Object(m);
    }
    if let Some(schema) = m.remove("schema") {
        let content: Map<String, Value> = produces
            .iter()
            .map(|p| (p.clone(), json!({ "schema": schema })))
            .collect();
        m.insert("content".into(), Value::Object(content));
    }
    m.remove("examples");
    if let Some(Value::Object(headers)) = m.remove("headers") {
        let converted: Map<String, Value> = headers
            .into_iter()
            .map(|(k, h)| {
                let mut h = match h {
                    Value::Object(h) => h,
                    other => return (k, other),
                };
                let mut schema = Map::new();
                for key in SCHEMA_KEYS {
                    if let Some(v) = h.remove(*key) {
                        schema.insert((*key).to_string(), v);
                    }
                }
                h.remove("collectionFormat");
                h.insert("schema".into(), Value::Object(schema));
                (k, Value::Object(h))
            })
            .collect();
        m.insert("headers".into(), Value::Object(converted));
    }
    m.entry("description").or_insert_with(|| json!(""));
    Value::Object(m)
}

fn convert_security(d: Value) -> Value {
    let Value::Object(m) = &d else { return d };
    match m.get("type").and_then(Value::as_str) {
        Some("basic") => {
            let mut out = json!({ "type": "http", "scheme": "basic" });
            if let Some(desc) = m.get("description") {
                out["description"] = desc.clone();
            }
            out
        }
        Some("oauth2") => {
            let scopes = m.get("scopes").cloned().unwrap_or(json!({}));
            let auth = m.get("authorizationUrl").cloned();
            let token = m.get("tokenUrl").cloned();
            let flow = match m.get("flow").and_then(Value::as_str) {
                Some("implicit") => {
                    json!({ "implicit": { "authorizationUrl": auth, "scopes": scopes } })
                }
                Some("password") => json!({ "password": { "tokenUrl": token, "scopes": scopes } }),
                Some("application") => {
                    json!({ "clientCredentials": { "tokenUrl": token, "scopes": scopes } })
                }
                _ => {
                    json!({ "authorizationCode": { "authorizationUrl": auth, "tokenUrl": token, "scopes": scopes } })
                }
            };
            let mut out = json!({ "type": "oauth2", "flows": flow });
            if let Some(desc) = m.get("description") {
                out["description"] = desc.clone();
            }
            out
        }
        _ => d,
    }
}

/// `#/definitions/X` → `#/components/schemas/X`, and the same for parameters and
/// responses.
fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref") {
                for (from, to) in [
                    ("#/definitions/", "#/components/schemas/"),
                    ("#/parameters/", "#/components/parameters/"),
                    ("#/responses/", "#/components/responses/"),
                ] {
                    if let Some(rest) = r.strip_prefix(from) {
                        *r = format!("{to}{rest}");
                        break;
                    }
                }
            }
            for (k, child) in m.iter_mut() {
                if k != "example" && k != "x-example" {
                    rewrite_refs(child);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

/// Schema-level differences: `type: file`, `x-nullable`, string discriminators.
fn fix_schemas(v: &mut Value) {
    struct Fix;
    impl super::walk::Visitor for Fix {
        fn visit(
            &mut self,
            node: &mut Value,
            _path: &mut Vec<String>,
            pos: super::walk::Position,
        ) -> bool {
            if pos != super::walk::Position::Schema {
                return true;
            }
            let Value::Object(m) = node else { return true };
            if m.get("type").and_then(Value::as_str) == Some("file") {
                m.insert("type".into(), json!("string"));
                m.insert("format".into(), json!("binary"));
            }
            if let Some(n) = m.remove("x-nullable") {
                m.insert("nullable".into(), n);
            }
            if let Some(Value::String(prop)) = m.get("discriminator").cloned() {
                m.insert("discriminator".into(), json!({ "propertyName": prop }));
            }
            true
        }
    }
    super::walk::walk_document(v, &mut Fix);
}
