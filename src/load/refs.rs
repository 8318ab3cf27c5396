//! `$ref` resolution.
//!
//! References into other files are *bundled*: the target is copied into the root
//! document (components are hoisted under `components/<kind>/<name>`, anything else is
//! inlined) and the reference rewritten to a local one, so that every later stage works
//! on one self-contained document. References between components are kept as
//! references, which is what makes recursive schemas work: the IR turns them into named
//! types instead of following them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::walk::{self, Position, Visitor};
use crate::diag::{Diagnostic, Sink};

/// A parsed `$ref` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefTarget {
    /// The file part (empty for a local reference).
    pub file: String,
    /// The JSON pointer part, without the `#`.
    pub pointer: String,
}

/// Split `file.yaml#/a/b` into its file and pointer parts.
pub fn parse_ref(r: &str) -> RefTarget {
    match r.split_once('#') {
        Some((file, ptr)) => RefTarget {
            file: file.to_string(),
            pointer: ptr.to_string(),
        },
        None => RefTarget {
            file: r.to_string(),
            pointer: String::new(),
        },
    }
}

/// Files read while bundling, for diagnostics and `rerun-if-changed`.
pub struct Bundled {
    /// Every external file that was read, in the order first read.
    pub files: Vec<PathBuf>,
}

/// Bundle all external references of `root` (which was read from `root_file`).
pub fn bundle(root: &mut Value, root_file: &Path, sink: &mut Sink) -> Bundled {
    let dir = match root_file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut b = Bundler {
        root_dir: std::fs::canonicalize(dir).ok(),
        root_file: canonical(root_file),
        files: HashMap::new(),
        read_order: Vec::new(),
        hoisted: HashMap::new(),
        used_names: HashMap::new(),
        pending: Vec::new(),
        inline_stack: Vec::new(),
        context: Vec::new(),
        sink,
    };
    if let Some(Value::Object(components)) = root.get("components") {
        for (kind, entries) in components {
            if let Value::Object(entries) = entries {
                b.used_names
                    .insert(kind.clone(), entries.keys().cloned().collect());
            }
        }
    }
    b.context.push(Context {
        file: b.root_file.clone(),
        display: root_file.to_path_buf(),
        base: Vec::new(),
    });
    walk::walk_document(root, &mut b);
    b.context.pop();

    if !b.pending.is_empty() {
        let Value::Object(root_map) = root else {
            return Bundled {
                files: b.read_order,
            };
        };
        let components = root_map
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(components) = components {
            for (kind, name, value) in b.pending.drain(..) {
                let entry = components
                    .entry(kind)
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(entry) = entry {
                    entry.insert(name, value);
                }
            }
        }
    }
    Bundled {
        files: b.read_order,
    }
}

struct Context {
    file: PathBuf,
    display: PathBuf,
    /// Pointer segments of the walked value inside `file` (for diagnostics).
    base: Vec<String>,
}

struct Bundler<'a> {
    root_file: PathBuf,
    /// The root spec's directory: no reference may reach a file outside it.
    root_dir: Option<PathBuf>,
    files: HashMap<PathBuf, Option<Value>>,
    read_order: Vec<PathBuf>,
    /// (file, pointer) → local `$ref` string already assigned.
    hoisted: HashMap<(PathBuf, String), String>,
    used_names: HashMap<String, HashSet<String>>,
    pending: Vec<(String, String, Value)>,
    inline_stack: Vec<(PathBuf, String)>,
    context: Vec<Context>,
    sink: &'a mut Sink,
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

impl Bundler<'_> {
    fn here(&self, path: &[String]) -> (PathBuf, String) {
        let ctx = self.context.last().expect("context");
        let mut full = ctx.base.clone();
        full.extend_from_slice(path);
        (ctx.display.clone(), walk::pointer(&full))
    }

    fn error(&mut self, path: &[String], message: String, hint: &str) {
        let (file, ptr) = self.here(path);
        self.sink
            .push(Diagnostic::at_pointer(&file, &ptr, message).hint(hint));
    }

    /// Read (once) and parse an external file.
    fn file_value(&mut self, abs: &Path, display: &Path, path: &[String]) -> Option<Value> {
        if !self.files.contains_key(abs) {
            let parsed = match std::fs::read(abs) {
                Ok(bytes) if bytes.len() > super::parse::MAX_FILE_BYTES => {
                    self.error(
                        path,
                        format!(
                            "referenced file `{}` is larger than 64 MiB",
                            display.display()
                        ),
                        "split the file or reference a smaller one",
                    );
                    None
                }
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => match super::parse::parse_text(display, &text) {
                        Ok(v) => Some(v),
                        Err(d) => {
                            self.sink.push(d);
                            None
                        }
                    },
                    Err(_) => {
                        self.sink.push(
                            Diagnostic::in_file(display, "file is not valid UTF-8")
                                .hint("save the file as UTF-8"),
                        );
                        None
                    }
                },
                Err(e) => {
                    self.error(
                        path,
                        format!("cannot read referenced file `{}`: {e}", display.display()),
                        "check the path; it is resolved relative to the file containing the $ref",
                    );
                    None
                }
            };
            self.read_order.push(display.to_path_buf());
            self.files.insert(abs.to_path_buf(), parsed);
        }
        self.files.get(abs).cloned().flatten()
    }

    fn handle_ref(&mut self, node: &mut Value, path: &mut Vec<String>, pos: Position) {
        let r = match node.get("$ref") {
            Some(Value::String(r)) => r,
            // An object here is a property named `$ref`, not a reference.
            None | Some(Value::Object(_)) => return,
            Some(other) => {
                let found = other.to_string();
                path.push("$ref".into());
                self.error(
                    path,
                    format!("`$ref` must be a string, found `{found}`"),
                    "write references as `#/components/schemas/Name` or `file.yaml#/components/schemas/Name`",
                );
                path.pop();
                return;
            }
        };
        let target = parse_ref(r);
        if target.file.contains("://") {
            self.error(
                path,
                format!("remote reference `{r}` is not supported"),
                "download the referenced document next to the spec and reference it by relative path",
            );
            return;
        }
        let ctx = self.context.last().expect("context");
        let (abs, display) = if target.file.is_empty() {
            (ctx.file.clone(), ctx.display.clone())
        } else {
            let dir = ctx.display.parent().unwrap_or(Path::new(""));
            let display = lexical_clean(&dir.join(&target.file));
            (canonical(&display), display)
        };
        if !target.file.is_empty()
            && let Ok(real) = std::fs::canonicalize(&abs)
            && !self
                .root_dir
                .as_ref()
                .is_some_and(|dir| real.starts_with(dir))
        {
            self.error(
                path,
                format!(
                    "`$ref` `{r}` reaches `{}`, outside the spec's directory; refusing to read it",
                    real.display()
                ),
                "keep every file the spec references in the spec's directory or below it (symbolic links are followed before this check)",
            );
            return;
        }
        if !target.pointer.is_empty() && !target.pointer.starts_with('/') {
            self.error(
                path,
                format!("malformed `$ref` `{r}`: the part after `#` must be a JSON pointer starting with `/`"),
                "write references as `#/components/schemas/Name` or `file.yaml#/components/schemas/Name`",
            );
            return;
        }
        if abs == self.root_file {
            // Local to the root document: kept as is, checked once bundling is done.
            if !target.file.is_empty() {
                node["$ref"] = Value::String(format!("#{}", target.pointer));
            }
            return;
        }
        let key = (abs.clone(), target.pointer.clone());
        if let Some(local) = self.hoisted.get(&key) {
            node["$ref"] = Value::String(local.clone());
            return;
        }
        let Some(file_value) = self.file_value(&abs, &display, path) else {
            return;
        };
        let Some(found) = walk::resolve_pointer(&file_value, &target.pointer).cloned() else {
            self.error(
                path,
                format!(
                    "`$ref` target `{}#{}` does not exist",
                    display.display(),
                    target.pointer
                ),
                "check the pointer: `/` inside a name is written `~1` and `~` is written `~0`",
            );
            return;
        };
        let segments = walk::pointer_segments(&target.pointer);
        let placement = match segments.as_slice() {
            [c, kind, name] if c == "components" => Some((kind.clone(), name.clone())),
            [.., name] if pos == Position::Schema => Some(("schemas".to_string(), name.clone())),
            [] if pos == Position::Schema => Some(("schemas".to_string(), file_stem(&display))),
            _ => None,
        };
        match placement {
            Some((kind, name)) => {
                let name = self.unique_name(&kind, &name);
                let local = format!(
                    "#/components/{}/{}",
                    crate::diag::escape_pointer_segment(&kind),
                    crate::diag::escape_pointer_segment(&name)
                );
                self.hoisted.insert(key, local.clone());
                let mut value = found;
                self.context.push(Context {
                    file: abs,
                    display,
                    base: segments.clone(),
                });
                let mut inner = Vec::new();
                if kind == "schemas" {
                    walk::walk_schema_at(&mut value, &mut inner, self);
                } else {
                    walk::walk_other_at(&mut value, &mut inner, self);
                }
                self.context.pop();
                self.pending.push((kind, name, value));
                node["$ref"] = Value::String(local);
            }
            None => {
                if self.inline_stack.contains(&key) {
                    self.error(
                        path,
                        format!("reference cycle through `{r}`, which is not a component"),
                        "move the recursive part under `components/schemas` so it can be named",
                    );
                    return;
                }
                self.inline_stack.push(key);
                let mut value = found;
                self.context.push(Context {
                    file: abs,
                    display,
                    base: segments,
                });
                let mut inner = Vec::new();
                walk::walk_other_at(&mut value, &mut inner, self);
                self.context.pop();
                self.inline_stack.pop();
                // Siblings of the `$ref` (3.1 allows e.g. `description`) override.
                if let (Value::Object(target), Value::Object(orig)) = (&mut value, &*node) {
                    for (k, v) in orig {
                        if k != "$ref" {
                            target.insert(k.clone(), v.clone());
                        }
                    }
                }
                *node = value;
            }
        }
    }

    fn unique_name(&mut self, kind: &str, name: &str) -> String {
        let used = self.used_names.entry(kind.to_string()).or_default();
        let mut candidate = name.to_string();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{name}{n}");
            n += 1;
        }
        used.insert(candidate.clone());
        candidate
    }
}

fn file_stem(p: &Path) -> String {
    p.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("External")
        .to_string()
}

impl Visitor for Bundler<'_> {
    fn visit(&mut self, node: &mut Value, path: &mut Vec<String>, pos: Position) -> bool {
        if node.get("$ref").is_some() {
            self.handle_ref(node, path, pos);
            // An inlined target was walked already; a reference has nothing below it
            // but 3.1 siblings, which are walked like any schema keys.
            return node.get("$ref").is_some();
        }
        true
    }
}

/// Check that every local `$ref` of the bundled document resolves; report each
/// dangling one at the JSON pointer where the `$ref` sits.
pub fn check_local_refs(root: &Value, display_root: &Path, sink: &mut Sink) {
    fn go(v: &Value, root: &Value, path: &mut Vec<String>, file: &Path, sink: &mut Sink) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    let t = parse_ref(r);
                    // Malformed pointers were reported while bundling.
                    let well_formed = t.pointer.is_empty() || t.pointer.starts_with('/');
                    if well_formed
                        && t.file.is_empty()
                        && walk::resolve_pointer(root, &t.pointer).is_none()
                    {
                        sink.push(
                            Diagnostic::at_pointer(
                                file,
                                &walk::pointer(path),
                                format!("`$ref` target `{r}` does not exist"),
                            )
                            .hint("define the target or fix the pointer (`/` in a name is `~1`, `~` is `~0`)"),
                        );
                    }
                }
                for (k, child) in m {
                    if k == "example" || k == "examples" || k == "default" || k.starts_with("x-") {
                        continue;
                    }
                    path.push(k.clone());
                    go(child, root, path, file, sink);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    path.push(i.to_string());
                    go(child, root, path, file, sink);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut path = Vec::new();
    go(root, root, &mut path, display_root, sink);
}

/// `a/./b/../c` → `a/c`, without touching the file system (a leading `..` stays).
fn lexical_clean(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_normal =
                    matches!(out.components().next_back(), Some(Component::Normal(_)));
                if last_is_normal {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
