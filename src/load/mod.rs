//! Stage 1: read a spec (YAML or JSON, OpenAPI 3.0 or 3.1), bundle external `$ref`s,
//! normalise to the `openapiv3` model, and check it. Entry point: [`load`].

mod compact;
mod normalize;
mod parse;
mod refs;
mod swagger2;
pub mod walk;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::diag::{Diagnostic, Error, Sink};

pub use refs::parse_ref;

/// The OpenAPI version a document declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    /// OpenAPI 3.0.x.
    V3_0,
    /// OpenAPI 3.1.x.
    V3_1,
    /// Swagger 2.0, converted to 3.0 on load.
    V2,
}

/// A loaded, bundled and normalised spec.
#[derive(Debug, Clone)]
pub struct Document {
    /// The root file as given by the user.
    pub file: PathBuf,
    /// The declared version.
    pub version: SpecVersion,
    /// What the generated server publishes at `/openapi.json`: the document as
    /// written (3.1 stays 3.1) with external references bundled in, as compact JSON
    /// (rendering writes it pretty). Kept as text: a second tree of a big spec costs
    /// several times its size.
    pub published_json: String,
    /// Wall time of each loading stage: `read` (when loaded from a file), `parse`
    /// (YAML/JSON text to a tree) and `resolve` (references, normalisation, checks,
    /// the typed model).
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// The typed model of everything but `paths` and `components` (`info`,
    /// `servers`, `security` …; its `paths` are empty and its `components` `None`).
    /// Path items and components are read from the document text one at a time, when needed
    /// ([`Document::path_items`], [`Document::components`], [`Document::lookup`]):
    /// the whole typed model of a big spec weighs 1.7 times its tree. All of it was
    /// checked against the model when loading.
    pub head: openapiv3::OpenAPI,
    /// The bundled, normalised document, as compact JSON text with an index of its
    /// big containers (a tree of it weighs four to five times the spec). Keywords the
    /// typed model has no field for are kept as extensions (`x-const`,
    /// `x-prefixItems`, `x-$defs`, `x-pathItems` …), where [`Document::lookup`] finds
    /// them under their own names too.
    tree: compact::Compact,
    /// Every file read: the root first, then each file reached through `$ref`.
    pub files: Vec<PathBuf>,
    /// Non-fatal problems.
    pub warnings: Vec<Diagnostic>,
}

impl Document {
    /// What the local reference `#ptr` points at, read as a `T`: `None` when nothing
    /// is there, an error (what does not fit) when it is not a `T`.
    pub fn lookup<T: DeserializeOwned>(&self, ptr: &str) -> Option<Result<T, String>> {
        self.text_at(ptr).map(compact::read)
    }

    /// The JSON the local reference `#ptr` points at. A keyword the typed model keeps
    /// as an extension is found under its own name (`$defs`) as well.
    pub fn resolve(&self, ptr: &str) -> Option<Value> {
        self.lookup(ptr).and_then(Result::ok)
    }

    /// The text of the JSON at `#ptr`, compact.
    fn text_at(&self, ptr: &str) -> Option<&str> {
        self.tree.text_at(&walk::pointer_segments(ptr))
    }

    /// Every path item, in spec order, with its path.
    pub fn path_items(
        &self,
    ) -> impl Iterator<
        Item = (
            Cow<'_, str>,
            Option<openapiv3::ReferenceOr<openapiv3::PathItem>>,
        ),
    > {
        self.entries("/paths")
            .into_iter()
            .map(|(path, v)| (path, compact::read(v).ok()))
    }

    /// Every component of `kind` (`schemas`, `securitySchemes` …) as a `T`, in spec
    /// order, with its name.
    pub fn components<T: DeserializeOwned>(
        &self,
        kind: &str,
    ) -> impl Iterator<Item = (Cow<'_, str>, Option<T>)> {
        self.entries(&format!("/components/{kind}"))
            .into_iter()
            .map(|(name, v)| (name, compact::read(v).ok()))
    }

    /// The entries of the map at `ptr` (extensions left out), each with its JSON text.
    pub fn entries(&self, ptr: &str) -> Vec<(Cow<'_, str>, &str)> {
        let mut entries = self
            .tree
            .entries_at(&walk::pointer_segments(ptr))
            .unwrap_or_default();
        entries.retain(|(k, _)| !k.starts_with("x-"));
        entries
    }

    /// Every `operationId` of the path items written in place.
    pub fn operation_ids(&self) -> Vec<String> {
        #[derive(Deserialize)]
        struct Op {
            #[serde(rename = "operationId")]
            operation_id: Option<Value>,
        }
        let mut ids = Vec::new();
        for (_, item) in self.entries("/paths") {
            let Ok(item) = serde_json::from_str::<indexmap::IndexMap<String, &RawValue>>(item)
            else {
                continue;
            };
            // Operations are maps (a struct would also read the first item of a list).
            for value in item.values().filter(|v| v.get().starts_with('{')) {
                if let Ok(Op {
                    operation_id: Some(Value::String(id)),
                }) = serde_json::from_str(value.get())
                {
                    ids.push(id);
                }
            }
        }
        ids
    }
}

/// Read, bundle, normalise and type-check the spec at `path`. All problems that can be
/// found in one pass are returned together.
pub fn load(path: &Path) -> Result<Document, Error> {
    let started = std::time::Instant::now();
    let bytes = std::fs::read(path).map_err(|e| {
        Error::Spec(vec![
            Diagnostic::in_file(path, format!("cannot read the spec: {e}"))
                .hint("check the path given on the command line"),
        ])
    })?;
    let read = started.elapsed();
    let (raw, parsed) = parse_bytes(path, &bytes)?;
    // The text is not needed once it is a tree.
    drop(bytes);
    let mut doc = load_tree(path, raw, parsed)?;
    doc.timings.insert(0, ("read", read));
    Ok(doc)
}

/// Like [`load`], for a spec already in memory; `path` names it in diagnostics and is
/// the base for relative `$ref`s.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Document, Error> {
    let (raw, parsed) = parse_bytes(path, bytes)?;
    load_tree(path, raw, parsed)
}

/// The tree of the spec's text, and how long parsing took.
fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<(Value, std::time::Duration), Error> {
    let one = |d: Diagnostic| Error::Spec(vec![d]);
    if bytes.len() > parse::MAX_FILE_BYTES {
        return Err(one(Diagnostic::in_file(
            path,
            "the spec is larger than 64 MiB",
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() as u64 + 1;
        one(Diagnostic {
            severity: crate::diag::Severity::Error,
            file: path.to_path_buf(),
            location: crate::diag::Location::LineCol(line, column),
            message: format!(
                "the spec is not valid UTF-8 (byte 0x{:02x})",
                bytes[e.valid_up_to()]
            ),
            hint: Some("save it as UTF-8".into()),
        })
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(one(Diagnostic::in_file(path, "the spec is empty").hint(
            "an OpenAPI document is a YAML/JSON object with `openapi`, `info` and `paths`",
        )));
    }
    let started = std::time::Instant::now();
    let raw = parse::parse_text(path, text).map_err(one)?;
    crate::mem_mark("parsed");
    Ok((raw, started.elapsed()))
}

/// Bundle, normalise and type-check a parsed spec.
fn load_tree(path: &Path, mut raw: Value, parsed: std::time::Duration) -> Result<Document, Error> {
    let one = |d: Diagnostic| Error::Spec(vec![d]);
    let started = std::time::Instant::now();
    if !raw.is_object() {
        return Err(one(Diagnostic::at_pointer(
            path,
            "",
            "the document is not a map",
        )
        .hint(
            "an OpenAPI document is a YAML/JSON object with `openapi`, `info` and `paths`",
        )));
    }
    let version = detect_version(path, &raw)?;
    if version == SpecVersion::V2 {
        swagger2::convert(&mut raw);
    }

    let mut sink = Sink::default();
    let bundled = refs::bundle(&mut raw, path, &mut sink);
    // What the generated server publishes at `/openapi.json`: the document as written
    // (3.1 stays 3.1), with external references bundled in.
    // Compact: a third smaller than pretty, which rendering writes out.
    let mut published_json = serde_json::to_string(&raw).unwrap_or_default();
    published_json.shrink_to_fit();
    // References are checked as written (normalisation moves some keywords).
    refs::check_local_refs(&raw, path, &mut sink);
    normalize::normalize(&mut raw, version == SpecVersion::V3_1);
    check_structure(&raw, path, &mut sink);
    if sink.has_errors() {
        return Err(Error::Spec(sink.diagnostics().to_vec()));
    }
    // `info.version: 1.0` is common in hand-written YAML; the model wants a string.
    if let Some(v) = raw.pointer_mut("/info/version")
        && let Value::Number(n) = v
    {
        *v = Value::String(n.to_string());
    }
    crate::mem_mark("checked");
    // The tree is freed as its compact text is written.
    let tree = compact::Compact::new(raw).map_err(Error::Internal)?;
    crate::mem_mark("compacted");
    let head = check_typed(path, &tree)?;
    crate::mem_mark("typed");
    let mut files = vec![path.to_path_buf()];
    files.extend(bundled.files);
    Ok(Document {
        file: path.to_path_buf(),
        version,
        published_json,
        timings: vec![("parse", parsed), ("resolve", started.elapsed())],
        head,
        tree,
        files,
        warnings: sink.finish()?,
    })
}

fn detect_version(path: &Path, raw: &Value) -> Result<SpecVersion, Error> {
    let fail = |ptr: &str, msg: String, hint: &str| {
        Err(Error::Spec(vec![
            Diagnostic::at_pointer(path, ptr, msg).hint(hint),
        ]))
    };
    if let Some(v) = raw.get("swagger") {
        if v.as_str() == Some("2.0") {
            return Ok(SpecVersion::V2);
        }
        return fail(
            "/swagger",
            format!("unsupported Swagger version {}", display_scalar(v)),
            "oapi-forge reads Swagger 2.0 and OpenAPI 3.0.x/3.1.x",
        );
    }
    match raw.get("openapi") {
        Some(Value::String(s)) if s.starts_with("3.0") => Ok(SpecVersion::V3_0),
        Some(Value::String(s)) if s.starts_with("3.1") => Ok(SpecVersion::V3_1),
        Some(v) => fail(
            "/openapi",
            format!("unsupported OpenAPI version {}", display_scalar(v)),
            "oapi-forge reads OpenAPI 3.0.x and 3.1.x; the version must be a string such as \"3.1.0\"",
        ),
        None => fail(
            "",
            "missing `openapi` field".into(),
            "start the document with `openapi: 3.1.0` (or 3.0.x)",
        ),
    }
}

fn display_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// Checks the typed model would only report vaguely ("did not match any variant"),
/// done on the raw document so that each names its JSON pointer. All are collected.
fn check_structure(raw: &Value, file: &Path, sink: &mut Sink) {
    let mut need = |ptr: &str, msg: String, hint: &str| {
        sink.push(Diagnostic::at_pointer(file, ptr, msg).hint(hint));
    };
    match raw.get("info") {
        Some(Value::Object(info)) => {
            for key in ["title", "version"] {
                match info.get(key) {
                    Some(Value::String(_)) => {}
                    Some(Value::Number(_)) if key == "version" => {}
                    Some(_) => need(
                        &format!("/info/{key}"),
                        format!("`info.{key}` must be a string"),
                        "quote the value",
                    ),
                    None => need(
                        "/info",
                        format!("missing required field `info.{key}`"),
                        "add it; every OpenAPI document needs `info.title` and `info.version`",
                    ),
                }
            }
        }
        Some(_) => need(
            "/info",
            "`info` must be a map".into(),
            "see the Info Object in the OpenAPI specification",
        ),
        None => need(
            "",
            "missing required field `info`".into(),
            "add `info:` with `title` and `version`",
        ),
    }
    let Some(paths) = raw.get("paths") else {
        return;
    };
    let Value::Object(paths) = paths else {
        need(
            "/paths",
            "`paths` must be a map".into(),
            "map each path template to its operations",
        );
        return;
    };
    for (p, item) in paths {
        let item_ptr = crate::diag::pointer_push("/paths", p);
        if !p.starts_with('/') && !p.starts_with("x-") {
            need(
                &item_ptr,
                format!("path `{p}` must start with `/`"),
                "write paths as `/pets/{petId}`",
            );
        }
        let Value::Object(item) = item else {
            if !p.starts_with("x-") {
                need(
                    &item_ptr,
                    "a path item must be a map".into(),
                    "list the operations of this path",
                );
            }
            continue;
        };
        if let Some(params) = item.get("parameters") {
            check_parameters(params, &format!("{item_ptr}/parameters"), &mut need);
        }
        for (method, op) in item {
            if ![
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .contains(&method.as_str())
            {
                continue;
            }
            let op_ptr = format!("{item_ptr}/{method}");
            let Value::Object(op) = op else {
                need(
                    &op_ptr,
                    "an operation must be a map".into(),
                    "see the Operation Object",
                );
                continue;
            };
            if let Some(params) = op.get("parameters") {
                check_parameters(params, &format!("{op_ptr}/parameters"), &mut need);
            }
            if !matches!(op.get("responses"), Some(Value::Object(_))) {
                need(
                    &format!("{op_ptr}/responses"),
                    "`responses` must be a map from status code to response".into(),
                    "e.g. `responses: {\"200\": {description: OK}}`",
                );
            }
        }
    }
}

fn check_parameters(params: &Value, ptr: &str, need: &mut impl FnMut(&str, String, &str)) {
    let Value::Array(list) = params else {
        need(
            ptr,
            "`parameters` must be a list".into(),
            "write each parameter as a list item",
        );
        return;
    };
    for (i, p) in list.iter().enumerate() {
        let pp = format!("{ptr}/{i}");
        let Value::Object(m) = p else {
            need(
                &pp,
                "a parameter must be a map".into(),
                "give `name`, `in` and `schema`",
            );
            continue;
        };
        if m.contains_key("$ref") {
            continue;
        }
        if !matches!(m.get("name"), Some(Value::String(_))) {
            need(&pp, "parameter is missing `name`".into(), "add `name:`");
        }
        match m.get("in").and_then(Value::as_str) {
            Some("query" | "header" | "path" | "cookie") => {}
            Some(other) => need(
                &format!("{pp}/in"),
                format!("parameter location `{other}` is not one of query, header, path, cookie"),
                "Swagger 2 `body`/`formData` parameters become a `requestBody` in OpenAPI 3",
            ),
            None => need(
                &pp,
                "parameter is missing `in`".into(),
                "add `in: query` (or path, header, cookie)",
            ),
        }
        if !m.contains_key("schema") && !m.contains_key("content") {
            need(
                &pp,
                "parameter has neither `schema` nor `content`".into(),
                "add `schema: {type: string}` (or the right type)",
            );
        }
    }
}

/// Check the whole document against the typed model, piece by piece (each path item,
/// each component), and return the typed model of the rest (its `paths` empty, its
/// `components` `None`). Only one piece is ever typed at a time.
fn check_typed(path: &Path, tree: &compact::Compact) -> Result<openapiv3::OpenAPI, Error> {
    use openapiv3::*;
    let internal = |e: serde_json::Error| Error::Internal(format!("re-reading the document: {e}"));
    let root: indexmap::IndexMap<String, &RawValue> =
        serde_json::from_str(tree.text()).map_err(internal)?;
    // The head: the document with `paths` empty and `components` set aside.
    let mut head = String::from("{");
    for (key, value) in root.iter().filter(|(k, _)| *k != "components") {
        if head.len() > 1 {
            head.push(',');
        }
        head.push_str(&serde_json::to_string(key).map_err(internal)?);
        head.push(':');
        head.push_str(if key == "paths" { "{}" } else { value.get() });
    }
    if !root.contains_key("paths") {
        head.push_str(if head.len() > 1 {
            ",\"paths\":{}"
        } else {
            "\"paths\":{}"
        });
    }
    head.push('}');
    let head = check_piece::<OpenAPI>(path, "", &head)?;
    let segs = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match root.get("paths").map(|v| v.get()) {
        Some(text) if text.starts_with('{') => {
            for (name, item) in tree.entries_at(&segs(&["paths"])).unwrap_or_default() {
                if name.starts_with("x-") {
                    continue;
                }
                let ptr = crate::diag::pointer_push("/paths", &name);
                check_piece::<ReferenceOr<PathItem>>(path, &ptr, item)?;
            }
        }
        Some(other) => {
            check_piece::<Paths>(path, "/paths", other)?;
        }
        None => {}
    }
    match root.get("components").map(|v| v.get()) {
        Some(text) if text.starts_with('{') => {
            fn each<T: DeserializeOwned>(
                path: &Path,
                tree: &compact::Compact,
                kind: &str,
                text: &str,
            ) -> Result<(), Error> {
                let at = format!("/components/{kind}");
                if !text.starts_with('{') {
                    return check_piece::<indexmap::IndexMap<String, ReferenceOr<T>>>(
                        path, &at, text,
                    )
                    .map(drop);
                }
                let entries = tree
                    .entries_at(&["components".to_string(), kind.to_string()])
                    .unwrap_or_default();
                for (name, entry) in entries.iter().filter(|(k, _)| !k.starts_with("x-")) {
                    let ptr = crate::diag::pointer_push(&at, name);
                    check_piece::<ReferenceOr<T>>(path, &ptr, entry)?;
                }
                Ok(())
            }
            for (kind, v) in tree.entries_at(&segs(&["components"])).unwrap_or_default() {
                let t = tree;
                match kind.as_ref() {
                    "schemas" => each::<Schema>(path, t, &kind, v)?,
                    "responses" => each::<Response>(path, t, &kind, v)?,
                    "parameters" => each::<Parameter>(path, t, &kind, v)?,
                    "requestBodies" => each::<RequestBody>(path, t, &kind, v)?,
                    "headers" => each::<Header>(path, t, &kind, v)?,
                    "securitySchemes" => each::<SecurityScheme>(path, t, &kind, v)?,
                    "links" => each::<Link>(path, t, &kind, v)?,
                    "callbacks" => each::<Callback>(path, t, &kind, v)?,
                    _ => {}
                }
            }
        }
        Some(other) => {
            check_piece::<Components>(path, "/components", other)?;
        }
        None => {}
    }
    Ok(head)
}

/// Read `text` (the JSON at `ptr`) as a `T`, or say where it does not fit the model.
fn check_piece<T: DeserializeOwned>(path: &Path, ptr: &str, text: &str) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let mut at = ptr.to_string();
        for seg in e.path().iter() {
            use serde_path_to_error::Segment;
            match seg {
                Segment::Seq { index } => at.push_str(&format!("/{index}")),
                Segment::Map { key } => at = crate::diag::pointer_push(&at, key),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        Error::Spec(vec![
            Diagnostic::at_pointer(
                path,
                &at,
                format!(
                    "does not match the OpenAPI schema: {}",
                    compact::without_position(e.inner())
                ),
            )
            .hint("compare this part with the OpenAPI specification; the place may be a parent of the actual mistake"),
        ])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(yaml: &str) -> Result<Document, Error> {
        load_bytes(Path::new("inline.yaml"), yaml.as_bytes())
    }

    #[test]
    fn refs_inside_example_values_are_data() {
        // GitHub's spec has SCIM examples whose *data* contains `$ref: https://…`.
        let doc = load_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  examples:\n    scim:\n      value:\n        members:\n          - {$ref: 'https://example.com/Users/1', value: x}\n",
        );
        assert!(doc.is_ok(), "{:?}", doc.err().map(|e| e.to_string()));
    }

    #[test]
    fn mutual_tls_schemes_are_dropped_not_fatal() {
        let doc = load_str(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  securitySchemes:\n    mtls: {type: mutualTLS}\n    key: {type: apiKey, in: header, name: X-Key}\n",
        )
        .expect("loads");
        let schemes: Vec<String> = doc
            .components::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>("securitySchemes")
            .map(|(name, _)| name.into_owned())
            .collect();
        assert_eq!(schemes, ["key"]);
    }

    #[test]
    fn numeric_info_version_and_swagger_2() {
        let doc =
            load_str("openapi: 3.0.0\ninfo: {title: t, version: 1.0}\npaths: {}\n").expect("loads");
        assert_eq!(doc.head.info.version, "1.0");
        let err =
            load_str("swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("inline.yaml#/swagger: error: unsupported Swagger version `1.2`"),
            "{err}"
        );
    }

    #[test]
    fn references_reach_keywords_the_model_keeps_as_extensions_and_path_items() {
        let doc = load_str(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: integer, minimum: 3}\ncomponents:\n  schemas:\n    A:\n      type: object\n      $defs:\n        B: {type: string, maxLength: 4}\n      properties:\n        b: {$ref: '#/components/schemas/A/$defs/B'}\n        c: {$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema'}\n",
        )
        .expect("loads");
        let at = |ptr: &str| doc.lookup::<Value>(ptr).and_then(Result::ok);
        assert_eq!(
            at("/components/schemas/A/$defs/B/maxLength"),
            Some(Value::from(4))
        );
        assert_eq!(
            at("/paths/~1a/get/responses/200/content/application~1json/schema/minimum"),
            Some(Value::from(3))
        );
        let schema =
            doc.lookup::<openapiv3::ReferenceOr<openapiv3::Schema>>("/components/schemas/A");
        assert!(matches!(schema, Some(Ok(openapiv3::ReferenceOr::Item(_)))));
        assert!(doc.lookup::<Value>("/components/schemas/Nope").is_none());
    }

    #[test]
    fn local_cycles_are_kept_as_references() {
        let doc = load_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/Node'}\n",
        )
        .expect("loads");
        assert_eq!(
            doc.lookup::<Value>("/components/schemas/Node/properties/next/$ref")
                .and_then(Result::ok),
            Some(Value::from("#/components/schemas/Node"))
        );
    }
}
