//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example specs: every `.yaml`/`.json` directly in `specs/`, and the `api.yaml`
/// entry point of each sub-directory (except `invalid/`). Sorted, so names are stable.
pub fn example_specs() -> Vec<(String, PathBuf)> {
    let dir = root().join("specs");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("specs/ exists") {
        let path = entry.expect("readable entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "invalid" && path.join("api.yaml").exists() {
                out.push((name, path.join("api.yaml")));
            }
        } else if name.ends_with(".yaml") || name.ends_with(".json") {
            let stem = name.rsplit_once('.').unwrap().0.to_string();
            out.push((stem, path));
        }
    }
    out.sort();
    out
}

/// A crate-name-safe form of a spec's short name.
pub fn crate_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Read a file to a string, panicking with its path.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The real-world corpus: `$OAPI_FORGE_CORPUS`, else `../shared/corpus`.
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("OAPI_FORGE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"))
}

/// Every file under `dir` (links not followed), relative path → bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else {
                let bytes = if meta.file_type().is_symlink() {
                    format!("-> {}", std::fs::read_link(&p).unwrap().display()).into_bytes()
                } else {
                    std::fs::read(&p).unwrap()
                };
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}
