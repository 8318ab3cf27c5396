//! The loaded document kept as compact JSON text with an index of its big
//! containers, instead of a tree.
//!
//! A `serde_json::Value` tree of a spec weighs four to five times the spec's text
//! (every key and string its own allocation, every map its own hash table), and the
//! IR is built while it is alive. Lowering only ever reads one piece at a time (a
//! path item, a component, the target of a `$ref`), so the document is kept as the
//! text of that tree (smaller than the spec) and each piece is read from its slice of
//! the text when it is needed.
//!
//! The index records, for every container whose text is over [`INDEXED_BYTES`], where
//! each of its children is; smaller containers are read from their text on the way
//! down. Reaching any node therefore reads at most [`INDEXED_BYTES`] of text per level
//! below the last indexed container, whatever the size of the spec.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

/// Containers whose text is longer than this have their children indexed.
const INDEXED_BYTES: usize = 4096;

/// Maps with more children than this find a child by hash, not by scanning.
const HASHED_CHILDREN: usize = 16;

/// Compact JSON text of a document, with the index of its big containers.
#[derive(Debug, Clone)]
pub struct Compact {
    text: String,
    nodes: Vec<Node>,
    kids: Vec<Kid>,
    /// `(map node, hash of key)` → the kid's position in `kids`, for big maps.
    hashed: HashMap<(u32, u64), u32>,
    hasher: std::collections::hash_map::RandomState,
    root: u32,
}

/// A value's place in the text; for an indexed container, its children.
#[derive(Debug, Clone, Copy)]
struct Node {
    start: u32,
    end: u32,
    first_kid: u32,
    kid_count: u32,
    array: bool,
}

/// A child of an indexed container: its key (for a map: the key's text between its
/// quotes, still escaped) and its node.
#[derive(Debug, Clone, Copy)]
struct Kid {
    key_start: u32,
    key_end: u32,
    node: u32,
}

/// A value met while writing, waiting for its container to close.
struct Pending {
    key_start: u32,
    key_end: u32,
    start: u32,
    end: u32,
    node: Option<u32>,
}

struct Builder {
    out: Vec<u8>,
    nodes: Vec<Node>,
    kids: Vec<Kid>,
    pending: Vec<Pending>,
}

impl Builder {
    /// Write `value`, freeing each part of it once written.
    fn value(&mut self, value: Value) -> Result<(u32, u32, Option<u32>), String> {
        let start = self.out.len();
        match value {
            Value::Object(map) => {
                self.out.push(b'{');
                let mark = self.pending.len();
                for (i, (key, child)) in map.into_iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    let key_start = self.out.len() + 1;
                    serde_json::to_writer(&mut self.out, &key).map_err(|e| e.to_string())?;
                    let key_end = self.out.len() - 1;
                    drop(key);
                    self.out.push(b':');
                    let (s, e, node) = self.value(child)?;
                    self.pending.push(Pending {
                        key_start: pos(key_start)?,
                        key_end: pos(key_end)?,
                        start: s,
                        end: e,
                        node,
                    });
                }
                self.out.push(b'}');
                self.close(start, mark, false)
            }
            Value::Array(items) => {
                self.out.push(b'[');
                let mark = self.pending.len();
                for (i, child) in items.into_iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    let (s, e, node) = self.value(child)?;
                    self.pending.push(Pending {
                        key_start: 0,
                        key_end: 0,
                        start: s,
                        end: e,
                        node,
                    });
                }
                self.out.push(b']');
                self.close(start, mark, true)
            }
            scalar => {
                serde_json::to_writer(&mut self.out, &scalar).map_err(|e| e.to_string())?;
                Ok((pos(start)?, pos(self.out.len())?, None))
            }
        }
    }

    /// Close the container that started at `start`, whose children are the pending
    /// values from `mark` on: index them if it is big, forget them if not.
    fn close(
        &mut self,
        start: usize,
        mark: usize,
        array: bool,
    ) -> Result<(u32, u32, Option<u32>), String> {
        let end = self.out.len();
        let (start32, end32) = (pos(start)?, pos(end)?);
        if end - start <= INDEXED_BYTES {
            self.pending.truncate(mark);
            return Ok((start32, end32, None));
        }
        let first_kid = pos(self.kids.len())?;
        for p in self.pending.drain(mark..) {
            let node = match p.node {
                Some(node) => node,
                None => {
                    self.nodes.push(Node {
                        start: p.start,
                        end: p.end,
                        first_kid: 0,
                        kid_count: 0,
                        array: false,
                    });
                    pos(self.nodes.len() - 1)?
                }
            };
            self.kids.push(Kid {
                key_start: p.key_start,
                key_end: p.key_end,
                node,
            });
        }
        self.nodes.push(Node {
            start: start32,
            end: end32,
            first_kid,
            kid_count: pos(self.kids.len())? - first_kid,
            array,
        });
        Ok((start32, end32, Some(pos(self.nodes.len() - 1)?)))
    }
}

fn pos(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| "the document is larger than 4 GiB".to_string())
}

impl Compact {
    /// The text of `tree` and its index; the tree is freed as it is written.
    pub fn new(tree: Value) -> Result<Self, String> {
        let mut b = Builder {
            out: Vec::new(),
            nodes: Vec::new(),
            kids: Vec::new(),
            pending: Vec::new(),
        };
        let (start, end, node) = b.value(tree)?;
        let root = match node {
            Some(root) => root,
            None => {
                b.nodes.push(Node {
                    start,
                    end,
                    first_kid: 0,
                    kid_count: 0,
                    array: false,
                });
                pos(b.nodes.len() - 1)?
            }
        };
        let text = String::from_utf8(b.out).map_err(|e| e.to_string())?;
        let mut compact = Compact {
            text,
            nodes: b.nodes,
            kids: b.kids,
            hashed: HashMap::new(),
            hasher: Default::default(),
            root,
        };
        compact.text.shrink_to_fit();
        compact.nodes.shrink_to_fit();
        compact.kids.shrink_to_fit();
        let mut hashed = HashMap::new();
        for (id, node) in compact.nodes.iter().enumerate() {
            if node.array || (node.kid_count as usize) <= HASHED_CHILDREN {
                continue;
            }
            for k in node.first_kid..node.first_kid + node.kid_count {
                let key = compact.key(&compact.kids[k as usize]);
                hashed.entry((id as u32, compact.hash(&key))).or_insert(k);
            }
        }
        compact.hashed = hashed;
        Ok(compact)
    }

    fn hash(&self, key: &str) -> u64 {
        self.hasher.hash_one(key)
    }

    /// A map kid's key, unescaped.
    fn key(&self, kid: &Kid) -> Cow<'_, str> {
        let raw = &self.text[kid.key_start as usize..kid.key_end as usize];
        if raw.contains('\\') {
            let quoted = &self.text[kid.key_start as usize - 1..kid.key_end as usize + 1];
            Cow::Owned(serde_json::from_str(quoted).unwrap_or_default())
        } else {
            Cow::Borrowed(raw)
        }
    }

    fn slice(&self, node: u32) -> &str {
        let n = self.nodes[node as usize];
        &self.text[n.start as usize..n.end as usize]
    }

    /// The child `key` of the indexed map `node`.
    fn indexed_child(&self, node: u32, key: &str) -> Option<u32> {
        let n = self.nodes[node as usize];
        let kids = &self.kids[n.first_kid as usize..(n.first_kid + n.kid_count) as usize];
        if n.array {
            return kids.get(key.parse::<usize>().ok()?).map(|k| k.node);
        }
        if n.kid_count as usize > HASHED_CHILDREN {
            // Every key is in the table, or its hash is (held by another key):
            // a hash not there is a key not there.
            let kid = &self.kids[*self.hashed.get(&(node, self.hash(key)))? as usize];
            if self.key(kid) == key {
                return Some(kid.node);
            }
        }
        kids.iter().find(|k| self.key(k) == key).map(|k| k.node)
    }

    /// The text of the value at the JSON pointer given as `segments`. A segment
    /// missing from a map is also looked for as `x-segment` (keywords the typed model
    /// keeps as extensions).
    pub fn text_at(&self, segments: &[String]) -> Option<&str> {
        let mut node = Some(self.root);
        let mut text = self.slice(self.root);
        for seg in segments {
            match node {
                Some(id) if self.nodes[id as usize].kid_count > 0 => {
                    let child = self
                        .indexed_child(id, seg)
                        .or_else(|| self.indexed_child(id, &format!("x-{seg}")))?;
                    node = Some(child);
                    text = self.slice(child);
                }
                _ => {
                    node = None;
                    text = raw_child(text, seg)?;
                }
            }
        }
        Some(text)
    }

    /// The entries of the map at `segments` (each key with its value's text), in
    /// order; `None` when nothing is there or it is not a map.
    pub fn entries_at(&self, segments: &[String]) -> Option<Vec<(Cow<'_, str>, &str)>> {
        let mut node = Some(self.root);
        for seg in segments {
            node = match node {
                Some(id) if self.nodes[id as usize].kid_count > 0 => self
                    .indexed_child(id, seg)
                    .or_else(|| self.indexed_child(id, &format!("x-{seg}"))),
                _ => None,
            };
            if node.is_none() {
                break;
            }
        }
        match node {
            Some(id) if self.nodes[id as usize].kid_count > 0 => {
                let n = self.nodes[id as usize];
                if n.array {
                    return None;
                }
                let kids = &self.kids[n.first_kid as usize..(n.first_kid + n.kid_count) as usize];
                Some(
                    kids.iter()
                        .map(|k| (self.key(k), self.slice(k.node)))
                        .collect(),
                )
            }
            _ => {
                let text = self.text_at(segments)?;
                let map: indexmap::IndexMap<String, &RawValue> = serde_json::from_str(text).ok()?;
                Some(
                    map.into_iter()
                        .map(|(k, v)| (Cow::Owned(k), v.get()))
                        .collect(),
                )
            }
        }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The child `seg` of the container whose text is `text` (or `x-seg` of a map).
fn raw_child<'a>(text: &'a str, seg: &str) -> Option<&'a str> {
    match text.as_bytes().first() {
        Some(b'{') => {
            let map: HashMap<Cow<'a, str>, &'a RawValue> = serde_json::from_str(text).ok()?;
            map.get(seg)
                .or_else(|| map.get(format!("x-{seg}").as_str()))
                .map(|v| v.get())
        }
        Some(b'[') => {
            let items: Vec<&'a RawValue> = serde_json::from_str(text).ok()?;
            items.get(seg.parse::<usize>().ok()?).map(|v| v.get())
        }
        _ => None,
    }
}

/// Read the JSON `text` as a `T`. The message of a failure has no line and column:
/// they would count in the compact text, not in the user's file.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| without_position(&e))
}

/// A `serde_json` error's message without its position.
pub fn without_position(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match msg.strip_suffix(&suffix) {
        Some(m) if e.line() > 0 => m.to_string(),
        _ => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(ptr: &str) -> Vec<String> {
        super::super::walk::pointer_segments(ptr)
    }

    #[test]
    fn every_node_reads_back_as_the_tree_has_it() {
        // Big enough that the root, `components`, `schemas` and one schema are indexed.
        let mut schemas = serde_json::Map::new();
        for i in 0..300 {
            schemas.insert(
                format!("S{i}"),
                serde_json::json!({"type": "object", "description": "x".repeat(i),
                    "properties": {"a\"b": {"type": "string"}, "n": {"type": "integer"}}}),
            );
        }
        // A key with escapes, in a map found by hash.
        schemas.insert(
            "Q\"uote\\d".into(),
            serde_json::json!({"type": "string", "description": "y".repeat(5000)}),
        );
        schemas.insert(
            "Big".into(),
            serde_json::json!({"enum": (0..2000).collect::<Vec<_>>(), "x-$defs": {"D": {"type": "null"}}}),
        );
        let tree = serde_json::json!({
            "openapi": "3.1.0",
            "paths": {"/a~b/{c}": {"get": {"operationId": "op"}}},
            "components": {"schemas": schemas},
        });
        let c = Compact::new(tree.clone()).unwrap();
        assert_eq!(c.text(), serde_json::to_string(&tree).unwrap());
        assert!(c.nodes.len() > 300, "{}", c.nodes.len());
        for ptr in [
            "",
            "/openapi",
            "/paths/~1a~0b~1{c}/get/operationId",
            "/components/schemas/S7/properties/a\"b",
            "/components/schemas/S299/description",
            "/components/schemas/Big/enum/1999",
            "/components/schemas/Big/$defs/D/type",
            "/components/schemas/Q\"uote\\d/type",
        ] {
            let want = tree
                .pointer(ptr)
                .or_else(|| tree.pointer(&ptr.replace("$defs", "x-$defs")));
            let got = c
                .text_at(&segs(ptr))
                .map(|t| serde_json::from_str::<Value>(t).unwrap());
            assert_eq!(got.as_ref(), want, "{ptr}");
        }
        assert_eq!(c.text_at(&segs("/components/schemas/S300")), None);
        assert_eq!(c.text_at(&segs("/components/schemas/Big/enum/2000")), None);
        let names: Vec<_> = c
            .entries_at(&segs("/components/schemas"))
            .unwrap()
            .into_iter()
            .map(|(k, _)| k.into_owned())
            .collect();
        assert_eq!(names.len(), 302);
        assert_eq!(names[300], "Q\"uote\\d");
        assert_eq!(names[0], "S0");
        let small = c
            .entries_at(&segs("/components/schemas/S1/properties"))
            .unwrap();
        assert_eq!(small[0].0, "a\"b");
        assert_eq!(small[1].1, r#"{"type":"integer"}"#);
    }

    #[test]
    fn errors_do_not_point_into_the_compact_text() {
        let e = read::<u8>("{\n\"a\": 1}").unwrap_err();
        assert!(!e.contains("line"), "{e}");
        assert!(e.contains("invalid type"), "{e}");
    }
}
