//! `build.rs` integration, in the style of `prost-build`: generate the client (or the
//! server's generated modules) into `OUT_DIR` and `include!` it.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), oapi_forge::build::BuildError> {
//!     oapi_forge::build::client("openapi/petstore.yaml").generate()?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/petstore_client.rs"));
//! ```
//!
//! `generate` prints `cargo:rerun-if-changed` for the spec and every file it reaches
//! through `$ref`, so cargo reruns the build script exactly when one of them changes;
//! it rewrites the output only when its content changed. Spec errors fail the build
//! with the same messages as the CLI (file, line/column or JSON pointer, hint).

use std::path::{Path, PathBuf};

use crate::{Config, Error, GeneratedFile, Target};

/// What a build script generates: see [`client`] and [`server`].
#[derive(Debug, Clone)]
pub struct Build {
    spec: PathBuf,
    target: Target,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    quiet: bool,
}

/// Generate the client of the spec at `spec` (relative to the package root, like
/// every path in a build script).
pub fn client(spec: impl Into<PathBuf>) -> Build {
    Build::new(spec.into(), Target::Client)
}

/// Generate the server's generated modules (`api`, `models`, `router`,
/// `validation`) of the spec at `spec`; the crate including them implements `Api`.
pub fn server(spec: impl Into<PathBuf>) -> Build {
    Build::new(spec.into(), Target::Server)
}

/// A failed build-script generation. Its `Debug` is its `Display`, so that
/// `fn main() -> Result<(), BuildError>` prints the readable messages.
pub struct BuildError(Error);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "oapi-forge: {}", self.0)
    }
}

impl std::fmt::Debug for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {}

impl From<Error> for BuildError {
    fn from(e: Error) -> Self {
        BuildError(e)
    }
}

impl Build {
    fn new(spec: PathBuf, target: Target) -> Self {
        Build {
            spec,
            target,
            out_dir: None,
            file_name: None,
            quiet: false,
        }
    }

    /// Write into `dir` instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Name of the generated file (default: `<title>_client.rs` or
    /// `<title>_server.rs`, snake case).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Do not print `cargo:` lines (for use outside a build script).
    pub fn quiet(mut self) -> Self {
        self.quiet = true;
        self
    }

    /// Generate; returns the path of the file to `include!`.
    pub fn generate(self) -> Result<PathBuf, BuildError> {
        let config = match self.target {
            Target::Client => Config::new(&self.spec).client("."),
            Target::Server => Config::new(&self.spec).server("."),
        };
        // Rerun when the spec changes even if it cannot be read now.
        if !self.quiet {
            println!("cargo:rerun-if-changed={}", self.spec.display());
        }
        let out = config.render()?;
        if !self.quiet {
            for input in &out.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            for w in &out.warnings {
                for line in w.to_string().lines() {
                    println!("cargo:warning={line}");
                }
            }
        }
        let files: Vec<&GeneratedFile> = out
            .files
            .iter()
            .filter(|f| f.target == self.target)
            .collect();
        let dir = match self.out_dir {
            Some(d) => d,
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::Config(
                        "OUT_DIR is not set: call this from a build script, or set `out_dir`"
                            .into(),
                    )
                })?,
        };
        let stem = files
            .iter()
            .find(|f| f.path == Path::new("Cargo.toml"))
            .and_then(|f| package_name(&f.contents))
            .unwrap_or_else(|| "api".into())
            .replace('-', "_");
        let name = self.file_name.unwrap_or_else(|| format!("{stem}.rs"));
        let spec_json = format!("{}.openapi.json", name.trim_end_matches(".rs"));
        let bundled = bundle(&files, &spec_json)?;
        write_if_changed(&dir.join(&name), &bundled)?;
        if let Some(json) = files
            .iter()
            .find(|f| f.path.ends_with("generated/openapi.json"))
        {
            write_if_changed(&dir.join(&spec_json), &json.contents)?;
        }
        Ok(dir.join(name))
    }
}

fn package_name(cargo_toml: &str) -> Option<String> {
    cargo_toml.lines().find_map(|l| {
        let value = l
            .trim()
            .strip_prefix("name")?
            .trim_start()
            .strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_string())
    })
}

/// One file from the generated modules: each `mod x;` of `generated/mod.rs` replaced
/// by an inline `mod x { … }` holding `generated/x.rs`.
fn bundle(files: &[&GeneratedFile], spec_json: &str) -> Result<String, Error> {
    let find = |name: &str| {
        files
            .iter()
            .find(|f| f.path == Path::new("src/generated").join(name))
            .map(|f| f.contents.as_str())
    };
    let root = find("mod.rs").ok_or_else(|| Error::Internal("no generated/mod.rs".into()))?;
    let mut out = String::new();
    for line in root.lines() {
        let trimmed = line.trim();
        let module = trimmed
            .strip_prefix("pub mod ")
            .map(|m| ("pub ", m))
            .or_else(|| trimmed.strip_prefix("mod ").map(|m| ("", m)))
            .and_then(|(vis, m)| m.strip_suffix(';').map(|m| (vis, m)));
        match module {
            Some((vis, name)) => {
                let body = find(&format!("{name}.rs"))
                    .ok_or_else(|| Error::Internal(format!("no generated/{name}.rs")))?
                    .replace(
                        "include_str!(\"openapi.json\")",
                        &format!("include_str!({spec_json:?})"),
                    );
                out.push_str(&format!("{vis}mod {name} {{\n{body}\n}}\n"));
            }
            // Inner doc comments are not allowed in an `include!`d file.
            None => match line.strip_prefix("//!") {
                Some(doc) => out.push_str(&format!("//{doc}\n")),
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            },
        }
    }
    Ok(out)
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), Error> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(path, contents).map_err(|e| Error::io(path, e))
}
