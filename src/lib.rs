//! oapi-forge: OpenAPI 3.0/3.1 → an axum server crate and a reqwest client crate.
//!
//! The pipeline is `load` → `ir` → `render` → `emit`, each a module with one entry
//! point. The [`Config`] builder drives it; the `oapi-forge` binary is a thin layer over
//! it.
//!
//! ```no_run
//! oapi_forge::Config::new("specs/petstore.yaml")
//!     .server("out/server")
//!     .client("out/client")
//!     .generate()?;
//! # Ok::<(), oapi_forge::Error>(())
//! ```

#![deny(missing_docs)]

pub mod build;
pub mod config_file;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod render;

use std::path::{Path, PathBuf};

pub use diag::{Diagnostic, Error};
pub use emit::{Action, FileReport};
pub use render::{GeneratedFile, Ownership, Target};

/// What to generate from which spec, and where.
#[derive(Debug, Clone)]
pub struct Config {
    /// The spec, then any further API versions (see [`Config::add_spec`]).
    specs: Vec<PathBuf>,
    server_dir: Option<PathBuf>,
    client_dir: Option<PathBuf>,
    server_crate: Option<String>,
    client_crate: Option<String>,
    server_version: String,
    client_version: String,
    problem_errors: bool,
    pagination: bool,
    client_timeout_secs: Option<u64>,
    client_retries: u32,
    formats: std::collections::BTreeMap<String, String>,
    schema_names: std::collections::BTreeMap<String, String>,
    operation_names: std::collections::BTreeMap<String, String>,
}

/// The shape of the generated server's error bodies by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// FastAPI's `{"detail": …}`.
    FastApi,
    /// RFC 9457 `application/problem+json`.
    Problem,
}

/// The result of [`Config::render`]: files in memory, plus warnings about the spec.
#[derive(Debug, Clone)]
pub struct Output {
    /// Every file, with the crate it belongs to.
    pub files: Vec<GeneratedFile>,
    /// Non-fatal problems found in the spec.
    pub warnings: Vec<Diagnostic>,
    /// Every spec file read (the root and each file reached through `$ref`).
    pub inputs: Vec<PathBuf>,
    /// Wall time of each stage.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// What [`Config::render_each`] found besides the files.
struct Run {
    warnings: Vec<Diagnostic>,
    inputs: Vec<PathBuf>,
    timings: Vec<(&'static str, std::time::Duration)>,
}

/// The result of [`Config::generate`] or [`Config::check`].
#[derive(Debug, Clone)]
pub struct Report {
    /// What happened (or, for `check`, would happen) to each file.
    pub files: Vec<FileReport>,
    /// Non-fatal problems found in the spec.
    pub warnings: Vec<Diagnostic>,
    /// Wall time of each stage (`write` included for `generate`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Report {
    /// Files that differ from what would be generated (created or updated).
    pub fn changed(&self) -> impl Iterator<Item = &FileReport> {
        self.files
            .iter()
            .filter(|f| matches!(f.action, Action::Created | Action::Updated))
    }
}

impl Config {
    /// Generate from the spec at `spec` (YAML or JSON, OpenAPI 3.0 or 3.1).
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Config {
            specs: vec![spec.into()],
            server_dir: None,
            client_dir: None,
            server_crate: None,
            client_crate: None,
            server_version: "0.1.0".into(),
            client_version: "0.1.0".into(),
            problem_errors: false,
            pagination: true,
            client_timeout_secs: None,
            client_retries: 2,
            formats: Default::default(),
            schema_names: Default::default(),
            operation_names: Default::default(),
        }
    }

    /// Use your own Rust type for values of a string, number or integer `format`
    /// (`"decimal"` → `"rust_decimal::Decimal"`). The type must implement `Debug`,
    /// `Clone`, `PartialEq`, `Display` and serde's `Serialize`/`Deserialize`, and the
    /// generated crates must depend on its crate; the spec's other constraints on such
    /// values (`maxLength`, `pattern` …) are the type's to enforce.
    pub fn map_format(mut self, format: impl Into<String>, rust_type: impl Into<String>) -> Self {
        self.formats.insert(format.into(), rust_type.into());
        self
    }

    /// Name the Rust type of component schema `schema` (as written in the spec)
    /// `name` instead of the name derived from the schema's.
    pub fn rename_schema(mut self, schema: impl Into<String>, name: impl Into<String>) -> Self {
        self.schema_names.insert(schema.into(), name.into());
        self
    }

    /// Name the Rust method of the operation whose `operationId` is `operation_id`
    /// `name` (and its request/response types after it).
    pub fn rename_operation(
        mut self,
        operation_id: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        self.operation_names
            .insert(operation_id.into(), name.into());
        self
    }

    /// Generate from another spec as well: API versions side by side. The server crate
    /// then holds one module per spec (`generated::v1`, `generated::v2`, named after
    /// each spec's base path) and `generated::app` mounts them all behind one
    /// middleware stack; the client crate holds one client per version.
    pub fn add_spec(mut self, spec: impl Into<PathBuf>) -> Self {
        self.specs.push(spec.into());
        self
    }

    /// Read an `oapi-forge.toml` (see [`config_file`]); paths in it are relative to
    /// its directory.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        config_file::load(path.as_ref())
    }

    /// `version` written into the server crate's (scaffolded) `Cargo.toml`.
    pub fn server_crate_version(mut self, version: impl Into<String>) -> Self {
        self.server_version = version.into();
        self
    }

    /// `version` written into the client crate's (scaffolded) `Cargo.toml`.
    pub fn client_crate_version(mut self, version: impl Into<String>) -> Self {
        self.client_version = version.into();
        self
    }

    /// The default error body shape of the server (`ServerConfig::error_style`).
    pub fn error_style(mut self, style: ErrorStyle) -> Self {
        self.problem_errors = style == ErrorStyle::Problem;
        self
    }

    /// Recognise paginated operations (on by default).
    pub fn pagination(mut self, on: bool) -> Self {
        self.pagination = on;
        self
    }

    /// Default total timeout of the generated client (none by default).
    pub fn client_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.client_timeout_secs = Some(timeout.as_secs().max(1));
        self
    }

    /// Default number of retries of the generated client (2 by default).
    pub fn client_retries(mut self, retries: u32) -> Self {
        self.client_retries = retries;
        self
    }

    /// Write the server crate into `dir`.
    pub fn server(mut self, dir: impl Into<PathBuf>) -> Self {
        self.server_dir = Some(dir.into());
        self
    }

    /// Write the client crate into `dir`.
    pub fn client(mut self, dir: impl Into<PathBuf>) -> Self {
        self.client_dir = Some(dir.into());
        self
    }

    /// Write the server into `dir/server` and the client into `dir/client`.
    pub fn out(self, dir: impl AsRef<Path>) -> Self {
        let dir = dir.as_ref();
        self.server(dir.join("server")).client(dir.join("client"))
    }

    /// Package name of the server crate (default: `<title>-server`).
    pub fn server_crate_name(mut self, name: impl Into<String>) -> Self {
        self.server_crate = Some(name.into());
        self
    }

    /// Package name of the client crate (default: `<title>-client`).
    pub fn client_crate_name(mut self, name: impl Into<String>) -> Self {
        self.client_crate = Some(name.into());
        self
    }

    /// Load and lower the spec(s) only: report problems, produce nothing.
    pub fn validate(&self) -> Result<Vec<Diagnostic>, Error> {
        let mut all = Vec::new();
        for spec in &self.specs {
            let doc = load::load(spec)?;
            let (_, mut warnings) = ir::lower_with(&doc, &self.lower_options())?;
            all.extend(doc.warnings.iter().cloned());
            all.append(&mut warnings);
        }
        Ok(all)
    }

    /// Render every file in memory, touching no disk except to read the spec.
    pub fn render(&self) -> Result<Output, Error> {
        let mut files = render::Collect::default();
        let run = self.render_each(&mut files)?;
        Ok(Output {
            files: files.files,
            warnings: run.warnings,
            inputs: run.inputs,
            timings: run.timings,
        })
    }

    /// Load, lower and render, handing each file to `sink` as soon as it is formatted.
    fn render_each(&self, sink: &mut dyn render::FileSink) -> Result<Run, Error> {
        let mut timings = Vec::new();
        let mut docs = self
            .specs
            .iter()
            .map(|spec| load::load(spec))
            .collect::<Result<Vec<_>, _>>()?;
        mem_mark("loaded");
        for stage in ["read", "parse", "resolve"] {
            let took = docs
                .iter()
                .flat_map(|d| &d.timings)
                .filter(|(s, _)| *s == stage)
                .map(|(_, t)| *t)
                .sum();
            timings.push((stage, took));
        }
        let started = std::time::Instant::now();
        let mut apis = Vec::with_capacity(docs.len());
        // Each published spec is handed to rendering apart (not copied into the IR),
        // to be freed once written.
        let mut published = Vec::with_capacity(docs.len());
        let mut all = Vec::new();
        for doc in &mut docs {
            published.push(std::mem::take(&mut doc.published_json));
            let (api, warnings) = ir::lower_with(doc, &self.lower_options())?;
            all.extend(doc.warnings.iter().cloned());
            all.extend(warnings);
            apis.push(api);
        }
        timings.push(("lower", started.elapsed()));
        let mut inputs: Vec<PathBuf> = docs.iter().flat_map(|d| d.files.iter().cloned()).collect();
        inputs.dedup();
        // The IR holds all that rendering needs: free the documents before rendering
        // allocates the output.
        mem_mark("lowered");
        drop(docs);
        let formatter = render::Formatter::new();
        release_free_memory();
        mem_mark("docs dropped");
        let versions = self.versions(&apis)?;
        let api = &apis[0];
        let check_name = |n: &Option<String>| -> Result<(), Error> {
            match n {
                Some(n) if !valid_crate_name(n) => Err(Error::Config(format!(
                    "`{n}` is not a valid crate name: use lowercase ASCII letters and digits, words joined by single `-` or `_`, starting with a letter"
                ))),
                _ => Ok(()),
            }
        };
        for (format, ty) in &self.formats {
            if syn::parse_str::<syn::TypePath>(ty).is_err() {
                return Err(Error::Config(format!(
                    "format `{format}` is mapped to `{ty}`, which is not a Rust type path (e.g. `rust_decimal::Decimal`)"
                )));
            }
        }
        check_name(&self.server_crate)?;
        check_name(&self.client_crate)?;
        for v in [&self.server_version, &self.client_version] {
            if !valid_version(v) {
                return Err(Error::Config(format!(
                    "`{v}` is not a semantic version (`MAJOR.MINOR.PATCH`, e.g. `1.2.0`)"
                )));
            }
        }
        let opts = render::RenderOptions {
            // With no directory given (in-memory use), render both.
            server: self.server_dir.is_some() || self.client_dir.is_none(),
            client: self.client_dir.is_some() || self.server_dir.is_none(),
            server_crate: self
                .server_crate
                .clone()
                .unwrap_or_else(|| format!("{}-server", api.crate_stem)),
            client_crate: self
                .client_crate
                .clone()
                .unwrap_or_else(|| format!("{}-client", api.crate_stem)),
            server_version: self.server_version.clone(),
            client_version: self.client_version.clone(),
            problem_errors: self.problem_errors,
            client_timeout_secs: self.client_timeout_secs,
            client_retries: self.client_retries,
        };
        let times = render::render_each(&formatter, &versions, &opts, published, sink)?;
        timings.push(("render", times.templates));
        timings.push(("format", times.format));
        Ok(Run {
            warnings: all,
            inputs,
            timings,
        })
    }

    /// Name the module of each spec after its base path (`/v1` → `v1`, `/api/v2` →
    /// `v2`). With one spec there is no module.
    fn versions<'a>(&self, apis: &'a [ir::Api]) -> Result<Vec<render::Version<'a>>, Error> {
        if apis.len() == 1 {
            return Ok(vec![render::Version::new("", &apis[0])]);
        }
        let mut versions: Vec<render::Version<'a>> = Vec::with_capacity(apis.len());
        for (spec, api) in self.specs.iter().zip(apis) {
            let segment = api
                .base_path
                .rsplit('/')
                .find(|s| !s.is_empty())
                .unwrap_or("");
            let module = ir::naming::snake_ident(segment);
            if segment.is_empty() || module.is_empty() || module.starts_with("r#") {
                return Err(Error::Config(format!(
                    "{}: several specs are mounted side by side under their base paths, but this one has {}; give its first `servers` entry a path such as `/v1`",
                    spec.display(),
                    if api.base_path.is_empty() {
                        "none".to_string()
                    } else {
                        format!("`{}`, which cannot name a module", api.base_path)
                    },
                )));
            }
            if let Some(other) = versions.iter().position(|v| v.module == module) {
                return Err(Error::Config(format!(
                    "{} and {} both mount at `{}`; give each spec a distinct base path in its first `servers` entry",
                    self.specs[other].display(),
                    spec.display(),
                    api.base_path,
                )));
            }
            versions.push(render::Version::new(module, api));
        }
        Ok(versions)
    }

    fn lower_options(&self) -> ir::LowerOptions {
        ir::LowerOptions {
            pagination: self.pagination,
            formats: self.formats.clone(),
            schema_names: self.schema_names.clone(),
            operation_names: self.operation_names.clone(),
        }
    }

    fn require_output(&self) -> Result<(), Error> {
        if self.server_dir.is_none() && self.client_dir.is_none() {
            return Err(Error::Config(
                "no output directory: give a server directory, a client directory, or both".into(),
            ));
        }
        Ok(())
    }

    /// Where `file` goes on disk, if its crate is being written.
    fn place(&self, target: Target, rel: &Path) -> Result<Option<PathBuf>, Error> {
        let dir = match target {
            Target::Server => self.server_dir.as_ref(),
            Target::Client => self.client_dir.as_ref(),
        };
        let Some(dir) = dir else { return Ok(None) };
        emit::check_inside(dir, rel)?;
        Ok(Some(dir.join(rel)))
    }

    fn placed<'a>(&self, out: &'a Output) -> Result<Vec<(PathBuf, &'a GeneratedFile)>, Error> {
        self.require_output()?;
        let mut placed = Vec::with_capacity(out.files.len());
        for f in &out.files {
            if let Some(path) = self.place(f.target, &f.path)? {
                placed.push((path, f));
            }
        }
        Ok(placed)
    }

    /// Render and write: generated files when changed, scaffold files when absent.
    /// Nothing is written if the spec has errors, and nothing at all unless every
    /// file could be written (see [`emit::Staging`]). Each file is staged on disk
    /// piece by piece as it is formatted, so no output is ever whole in memory.
    pub fn generate(&self) -> Result<Report, Error> {
        self.require_output()?;
        let place = |target: Target, rel: &str| self.place(target, Path::new(rel));
        let mut sink = emit::DiskSink::new(&place);
        let run = self.render_each(&mut sink)?;
        let written = sink.time;
        let (files, missing, write) = sink.finish()?;
        let mut timings = run.timings;
        // Formatting includes the sink's writes; they are reported as `write`.
        for (stage, took) in &mut timings {
            if *stage == "format" {
                *took = took.saturating_sub(written);
            }
        }
        timings.push(("write", write));
        let mut warnings = run.warnings;
        warnings.extend(missing);
        Ok(Report {
            files,
            warnings,
            timings,
        })
    }

    /// Compare what is on disk with what would be generated; writes nothing.
    pub fn check(&self) -> Result<Report, Error> {
        let out = self.render()?;
        let placed = self.placed(&out)?;
        let mut plan = emit::plan(&placed)?;
        emit::add_diffs(&placed, &mut plan);
        let missing = emit::missing_dependencies(&placed, &plan);
        let mut warnings = out.warnings;
        warnings.extend(missing);
        Ok(Report {
            files: plan,
            warnings,
            timings: out.timings,
        })
    }
}

/// `MAJOR.MINOR.PATCH` with an optional `-pre` / `+build` suffix.
fn valid_version(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Cargo package names rustc accepts without a lint: lowercase ASCII words joined by
/// single `-` or `_`.
fn valid_crate_name(n: &str) -> bool {
    n.starts_with(|c: char| c.is_ascii_lowercase())
        && !n.ends_with(['-', '_'])
        && !n.contains("--")
        && !n.contains("__")
        && !n.contains("-_")
        && !n.contains("_-")
        && n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Hand the allocator's free pages back to the system. Formatting a big file frees
/// a lot in the heaps of the formatting threads, which glibc keeps mapped; without
/// this, every file's leftovers add to the next one's peak (GitHub's spec: peak memory
/// 62 → 51 MB, for under 2% of the time).
pub(crate) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: glibc's `malloc_trim` only releases memory no allocation holds.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Allocator settings for the command line (glibc): a fixed mmap threshold of
/// 128 KiB, glibc's starting value. Left dynamic, glibc raises it (and the threshold
/// for trimming a heap, to twice it) each time a big block is freed: once a spec's
/// megabyte texts are freed, heaps keep megabytes of free pages. Fixed, blocks of
/// 128 KiB and more are mapped apart and handed back when freed, and heaps are
/// trimmed past 128 KiB of free space at their top. (GitHub: peak 29.4 → 26.4 MB,
/// same time.) A library leaves this to the program.
#[doc(hidden)]
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: `mallopt` only changes a setting of glibc's allocator.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        }
    }
}

/// With `OAPI_FORGE_MEM` set, print the resident memory after a stage or a file
/// (Linux: `/proc/self/status`, in KiB): now (anonymous and file-backed: the
/// binary's and libc's pages), at its peak so far, and the allocator's live and free
/// bytes. With `OAPI_FORGE_MEM=step` the peak is reset at each mark, so each line's
/// peak is that of the step it ends.
#[doc(hidden)]
pub fn mem_mark(label: &str) {
    if std::env::var_os("OAPI_FORGE_MEM").is_none() {
        return;
    }
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get = |k: &str| {
        s.lines()
            .find(|l| l.starts_with(k))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_string()
    };
    #[repr(C)]
    struct MallInfo2 {
        arena: usize,
        ordblks: usize,
        smblks: usize,
        hblks: usize,
        hblkhd: usize,
        usmblks: usize,
        fsmblks: usize,
        uordblks: usize,
        fordblks: usize,
        keepcost: usize,
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    let m = {
        unsafe extern "C" {
            fn mallinfo2() -> MallInfo2;
        }
        // SAFETY: glibc's `mallinfo2` only reads the allocator's statistics.
        unsafe { mallinfo2() }
    };
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let m = MallInfo2 {
        arena: 0,
        ordblks: 0,
        smblks: 0,
        hblks: 0,
        hblkhd: 0,
        usmblks: 0,
        fsmblks: 0,
        uordblks: 0,
        fordblks: 0,
        keepcost: 0,
    };
    eprintln!(
        "MEM {label:<40} rss {:>8} anon {:>8} file {:>8} hwm {:>8} live {:>8} free {:>8}",
        get("VmRSS:"),
        get("RssAnon:"),
        get("RssFile:"),
        get("VmHWM:"),
        (m.uordblks + m.hblkhd) / 1024,
        m.fordblks / 1024,
    );
    if std::env::var_os("OAPI_FORGE_MEM").is_some_and(|v| v == "step") {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
}
