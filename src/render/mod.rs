//! Stage 3: render the IR through askama templates, then format every Rust file with
//! `syn` + `prettyplease`. Pure: returns files in memory. Entry point: [`render`].

use std::path::PathBuf;

use askama::Template;

use crate::diag::Error;
use crate::ir::pagination::PageStyle;
use crate::ir::security::SchemeKind;
use crate::ir::{Api, BodyKind, Facts, PathSegment, Take, TypeKind};

/// Which generated crate a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// The axum server crate.
    Server,
    /// The reqwest client crate.
    Client,
}

/// Who owns a file on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// Rewritten by every run (`src/generated/**`).
    Generated,
    /// Written once if absent, then the user's (`Cargo.toml`, `main.rs`, `handlers.rs` …).
    Scaffold,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The crate it belongs to.
    pub target: Target,
    /// Path relative to that crate's root directory.
    pub path: PathBuf,
    /// Complete contents.
    pub contents: String,
    /// Who owns it.
    pub ownership: Ownership,
}

/// What to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Render the server crate.
    pub server: bool,
    /// Render the client crate.
    pub client: bool,
    /// Package name of the server crate.
    pub server_crate: String,
    /// Package name of the client crate.
    pub client_crate: String,
    /// `version` of the server crate's scaffolded `Cargo.toml`.
    pub server_version: String,
    /// `version` of the client crate's scaffolded `Cargo.toml`.
    pub client_version: String,
    /// The server answers errors as RFC 9457 problem details by default.
    pub problem_errors: bool,
    /// Default total timeout of the client, in seconds (none when `None`).
    pub client_timeout_secs: Option<u64>,
    /// Default number of client retries.
    pub client_retries: u32,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            server: true,
            client: true,
            server_crate: "api-server".into(),
            client_crate: "api-client".into(),
            server_version: "0.1.0".into(),
            client_version: "0.1.0".into(),
            problem_errors: false,
            client_timeout_secs: None,
            client_retries: 2,
        }
    }
}

/// The head of `models.rs` (what the types share); [`ModelTpl`] renders each type.
#[derive(Template)]
#[template(path = "models.rs")]
struct ModelsTpl<'a> {
    api: &'a Api,
    /// Server models refuse `null` for optional fields that are not nullable.
    server: bool,
}

/// One type of `models.rs`.
#[derive(Template)]
#[template(path = "model.rs")]
struct ModelTpl<'a> {
    t: &'a crate::ir::TypeDef,
    /// As in [`ModelsTpl`].
    server: bool,
}

/// A Rust file made as a run of texts, each of whole items: a head, then one text
/// per element (a type of `models.rs`, a request type of `client.rs`) a batch of
/// about [`BATCH_BYTES`] at a time, then a tail. A big spec's models or client are
/// megabytes of text; they are never one text, only the batches being formatted.
struct Streamed<'a> {
    head: Option<TextPart<'a>>,
    count: usize,
    next: usize,
    item: TextItem<'a>,
    tail: Option<TextPart<'a>>,
}

/// The head or tail of a [`Streamed`] file: renders itself into the text.
type TextPart<'a> = Box<dyn FnOnce(&mut String) -> askama::Result<()> + 'a>;

/// Renders element `i` of a [`Streamed`] file into the text.
type TextItem<'a> = Box<dyn Fn(usize, &mut String) -> askama::Result<()> + 'a>;

/// The size of a batch of rendered elements handed to formatting.
const BATCH_BYTES: usize = 64 * 1024;

impl<'a> Streamed<'a> {
    fn new(
        head: TextPart<'a>,
        count: usize,
        item: TextItem<'a>,
        tail: Option<TextPart<'a>>,
    ) -> Self {
        Streamed {
            head: Some(head),
            count,
            next: 0,
            item,
            tail,
        }
    }

    /// `models.rs` of the server's (`server`) or the client's crate: the head, a
    /// type at a time.
    fn models(api: &'a Api, server: bool) -> Self {
        let item = move |i: usize, out: &mut String| {
            let t = &api.types[i];
            ModelTpl { t, server }.render_into(out)
        };
        let head = move |out: &mut String| ModelsTpl { api, server }.render_into(out);
        Self::new(Box::new(head), api.types.len(), Box::new(item), None)
    }

    /// The client's `client.rs`: the head (the `Client` and its methods), a request
    /// type at a time, the tail.
    fn client(api: &'a Api, opts: &'a RenderOptions) -> Self {
        let item = move |i: usize, out: &mut String| {
            let op = &api.operations[i];
            ClientRequestTpl { api, op }.render_into(out)
        };
        let head = move |out: &mut String| ClientTpl { api, opts }.render_into(out);
        let tail: TextPart<'a> = Box::new(move |out| ClientTailTpl { api }.render_into(out));
        Self::new(
            Box::new(head),
            api.operations.len(),
            Box::new(item),
            Some(tail),
        )
    }

    /// The next text; `None` after the last.
    fn next_text(&mut self) -> Option<Result<String, askama::Error>> {
        let mut text = String::new();
        if let Some(head) = self.head.take() {
            return Some(head(&mut text).map(|()| text));
        }
        if self.next < self.count {
            while self.next < self.count && text.len() < BATCH_BYTES {
                if let Err(e) = (self.item)(self.next, &mut text) {
                    return Some(Err(e));
                }
                text.push('\n');
                self.next += 1;
            }
            return Some(Ok(text));
        }
        let tail = self.tail.take()?;
        Some(tail(&mut text).map(|()| text))
    }
}

#[derive(Template)]
#[template(path = "server/api.rs")]
struct ServerApiTpl<'a> {
    api: &'a Api,
    /// Path of the `runtime` module from the API module.
    rt: &'a str,
}

#[derive(Template)]
#[template(path = "server/router.rs")]
struct ServerRouterTpl<'a> {
    api: &'a Api,
    /// Path of the `runtime` module from the router.
    rt: &'a str,
}

#[derive(Template)]
#[template(path = "server/validation.rs")]
struct ServerValidationTpl<'a> {
    api: &'a Api,
    /// Path of the `runtime` module from the validation module.
    rt: &'a str,
}

#[derive(Template)]
#[template(path = "server/mod.rs")]
struct ServerModTpl {
    /// The crate's `runtime` module lives here (one spec) or a level up (several).
    runtime: bool,
}

#[derive(Template)]
#[template(path = "server/runtime.rs")]
struct ServerRuntimeTpl<'a> {
    base_path_lit: &'a str,
    serve_ops_endpoints: bool,
    opts: &'a RenderOptions,
}

#[derive(Template)]
#[template(path = "server/versions.rs")]
struct ServerVersionsTpl<'a> {
    versions: &'a [Version<'a>],
    serve_docs: bool,
}

#[derive(Template)]
#[template(path = "server/lib.rs")]
struct ServerLibTpl<'a> {
    title: &'a str,
    /// Version modules; empty for one spec.
    modules: Vec<&'a str>,
}

#[derive(Template)]
#[template(path = "server/main.rs")]
struct ServerMainTpl<'a> {
    lib_name: &'a str,
    /// Where `app` and `ServerConfig` live: `router` (one spec) or `generated`.
    app_mod: &'a str,
}

#[derive(Template)]
#[template(path = "server/handlers.rs")]
struct ServerHandlersTpl<'a> {
    versions: &'a [Version<'a>],
}

#[derive(Template)]
#[template(path = "server/Cargo.toml")]
struct ServerCargoTpl<'a> {
    /// `description`, as a TOML string.
    description: String,
    facts: &'a Facts,
    crate_name: &'a str,
    version: &'a str,
}

#[derive(Template)]
#[template(path = "client/client.rs")]
struct ClientTpl<'a> {
    api: &'a Api,
    opts: &'a RenderOptions,
}

/// One operation's request type in `client.rs`.
#[derive(Template)]
#[template(path = "client/request.rs")]
struct ClientRequestTpl<'a> {
    api: &'a Api,
    op: &'a crate::ir::Operation,
}

/// What follows the request types in `client.rs`.
#[derive(Template)]
#[template(path = "client/tail.rs")]
struct ClientTailTpl<'a> {
    api: &'a Api,
}

#[derive(Template)]
#[template(path = "client/mod.rs")]
struct ClientModTpl<'a> {
    /// Version modules; empty for one spec (or inside a version).
    versions: &'a [Version<'a>],
}

#[derive(Template)]
#[template(path = "client/lib.rs")]
struct ClientLibTpl<'a> {
    title: &'a str,
}

#[derive(Template)]
#[template(path = "client/Cargo.toml")]
struct ClientCargoTpl<'a> {
    /// `description`, as a TOML string.
    description: String,
    facts: &'a Facts,
    crate_name: &'a str,
    version: &'a str,
}

/// One spec of a crate generated from several (API versions side by side).
#[derive(Debug, Clone)]
pub struct Version<'a> {
    /// Rust module of the version (`v1`).
    pub module: String,
    /// [`Version::module`] as a string literal.
    pub module_lit: String,
    /// Where it is mounted: the path of its spec's first server (`/v1`).
    pub base_path: String,
    /// Its model.
    pub api: &'a Api,
}

impl<'a> Version<'a> {
    /// A version named `module`, mounted at its spec's base path.
    pub fn new(module: impl Into<String>, api: &'a Api) -> Self {
        let module = module.into();
        Version {
            module_lit: crate::ir::naming::lit(&module),
            base_path: api.base_path.clone(),
            module,
            api,
        }
    }
}

/// Render the requested crates for `api`.
pub fn render(api: &Api, opts: &RenderOptions) -> Result<Vec<GeneratedFile>, Error> {
    render_versions(&[Version::new("", api)], opts)
}

/// Render the requested crates for one spec, or for several side by side: each in a
/// module of its own (`src/generated/v1/…`), one server mounting them all behind one
/// middleware stack, one client crate with a client per version.
pub fn render_versions(
    versions: &[Version<'_>],
    opts: &RenderOptions,
) -> Result<Vec<GeneratedFile>, Error> {
    render_versions_timed(versions, opts).map(|(files, _)| files)
}

/// Wall time spent in the templates, and in formatting (with the sink's writes).
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderTimes {
    /// askama templates → Rust text.
    pub templates: std::time::Duration,
    /// syn + prettyplease.
    pub format: std::time::Duration,
}

/// [`render_versions`], with the time spent in each of its two stages.
pub fn render_versions_timed(
    versions: &[Version<'_>],
    opts: &RenderOptions,
) -> Result<(Vec<GeneratedFile>, RenderTimes), Error> {
    let mut files = Collect::default();
    let published = versions.iter().map(|v| v.api.spec_json.clone()).collect();
    let times = render_each(&Formatter::new(), versions, opts, published, &mut files)?;
    Ok((files.files, times))
}

/// What a template call hands to `push` in [`render_each`].
enum Body<'a> {
    Template(Result<String, askama::Error>),
    /// `models.rs` of a version (server or client), rendered as it is formatted.
    Models(&'a Api, bool),
    /// `client.rs` of a version, rendered as it is formatted.
    Client(&'a Api),
    /// A version's API and its published spec, written out as it is patched.
    Published(&'a Api, String),
}

impl From<Result<String, askama::Error>> for Body<'_> {
    fn from(text: Result<String, askama::Error>) -> Self {
        Body::Template(text)
    }
}

/// Where [`render_each`] puts files, piece by piece as they are formatted.
pub trait FileSink {
    /// A file starts.
    fn begin(&mut self, target: Target, path: &str, ownership: Ownership) -> Result<(), Error>;
    /// More of its contents (UTF-8 once the file is complete).
    fn write(&mut self, bytes: &[u8]) -> Result<(), Error>;
    /// It is complete.
    fn end(&mut self) -> Result<(), Error>;
}

/// A [`FileSink`] that keeps every file in memory.
#[derive(Debug, Default)]
pub struct Collect {
    /// The files, complete.
    pub files: Vec<GeneratedFile>,
    current: Option<(Target, String, Ownership, Vec<u8>)>,
}

impl FileSink for Collect {
    fn begin(&mut self, target: Target, path: &str, ownership: Ownership) -> Result<(), Error> {
        self.current = Some((target, path.to_string(), ownership, Vec::new()));
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        if let Some((.., contents)) = &mut self.current {
            contents.extend_from_slice(bytes);
        }
        Ok(())
    }

    fn end(&mut self) -> Result<(), Error> {
        let Some((target, path, ownership, contents)) = self.current.take() else {
            return Ok(());
        };
        let contents = String::from_utf8(contents)
            .map_err(|_| Error::Internal(format!("{path} is not UTF-8")))?;
        self.files.push(GeneratedFile {
            target,
            path: PathBuf::from(path),
            contents,
            ownership,
        });
        Ok(())
    }
}

/// [`render_versions`], handing each file to `sink` piece by piece as it is
/// formatted, in the order [`render_versions`] returns them: a caller that writes
/// each file out holds no output text beyond the piece being written.
///
/// `published` is each version's published spec (its `Api::spec_json`, given apart
/// so that it is freed once written). `formatter` formats the Rust files.
pub fn render_each(
    formatter: &Formatter,
    versions: &[Version<'_>],
    opts: &RenderOptions,
    mut published: Vec<String>,
    sink: &mut dyn FileSink,
) -> Result<RenderTimes, Error> {
    if published.len() != versions.len() {
        return Err(Error::Internal(
            "a published spec per version is needed".into(),
        ));
    }
    let mut times = RenderTimes::default();
    let mut clock = std::time::Instant::now();
    let Some(first) = versions.first() else {
        return Err(Error::Internal("nothing to render: no spec".into()));
    };
    let single = versions.len() == 1;
    let facts = merged_facts(versions);
    let title = first.api.title.as_str();
    let spec = if single {
        first.api.spec_name.clone()
    } else {
        versions
            .iter()
            .map(|v| v.api.spec_name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let header = Header { spec: &spec };
    // Each file is rendered, formatted and handed on before the next is rendered, so
    // only one text is alive at a time. Small server models are kept until the
    // client's are rendered: when the two texts agree, they are formatted once (big
    // ones differ in practice, and would stay in memory for nothing).
    let keep_models = opts.server && opts.client;
    let mut server_models: Vec<(String, u64, String)> = Vec::new();
    let mut push = |target: Target,
                    path: String,
                    ownership: Ownership,
                    body: Body<'_>|
     -> Result<(), Error> {
        times.templates += clock.elapsed();
        clock = std::time::Instant::now();
        sink.begin(target, &path, ownership)?;
        let template_failed =
            |e: askama::Error| Error::Internal(format!("template for {path} failed: {e}"));
        match body {
            Body::Models(api, server) => {
                // Small server models are kept until the client's are rendered:
                // when the two texts agree, they are formatted once (big ones
                // differ in practice, and would stay in memory for nothing).
                let kept_server = match server_models.iter().position(|(p, ..)| *p == path) {
                    Some(i) if target == Target::Client => Some(server_models.swap_remove(i)),
                    _ => None,
                };
                // The key of a models text: a hash of its bytes, and its length.
                let key_of = |texts: &mut Streamed<'_>| -> Result<(u64, usize), Error> {
                    use std::hash::Hasher;
                    let (mut h, mut len) = (std::collections::hash_map::DefaultHasher::new(), 0);
                    while let Some(text) = texts.next_text() {
                        let text = text.map_err(template_failed)?;
                        h.write(text.as_bytes());
                        len += text.len();
                    }
                    Ok((h.finish(), len))
                };
                let reused = match kept_server {
                    Some((_, key, formatted))
                        if key == key_of(&mut Streamed::models(api, server))?.0 =>
                    {
                        sink.write(formatted.as_bytes())?;
                        true
                    }
                    _ => false,
                };
                if !reused {
                    let mut kept = (keep_models && target == Target::Server).then(String::new);
                    let mut hash = std::collections::hash_map::DefaultHasher::new();
                    let mut len = 0;
                    formatter.format_streamed(
                        &path,
                        header.rust(ownership),
                        Streamed::models(api, server),
                        &mut |text| {
                            use std::hash::Hasher;
                            hash.write(text.as_bytes());
                            len += text.len();
                        },
                        &mut |piece| {
                            if let Some(k) = &mut kept {
                                if k.len() + piece.len() < 1 << 18 {
                                    k.push_str(piece);
                                } else {
                                    kept = None;
                                }
                            }
                            sink.write(piece.as_bytes())
                        },
                    )?;
                    // Kept when the text and its formatted form are under 256 kB.
                    if let Some(kept) = kept.filter(|_| len < 1 << 18) {
                        use std::hash::Hasher;
                        server_models.push((path.clone(), hash.finish(), kept));
                    }
                }
            }
            Body::Client(api) => {
                formatter.format_streamed(
                    &path,
                    header.rust(ownership),
                    Streamed::client(api, opts),
                    &mut |_| {},
                    &mut |piece| sink.write(piece.as_bytes()),
                )?;
            }
            Body::Template(text) => {
                let text = text.map_err(template_failed)?;
                if path.ends_with(".rs") {
                    formatter.format_file(&path, &text, header.rust(ownership), &mut |piece| {
                        sink.write(piece.as_bytes())
                    })?;
                } else {
                    let toml = format!("{}{}", header.toml(ownership), tidy_toml(&text));
                    sink.write(toml.as_bytes())?;
                }
            }
            Body::Published(api, spec) => {
                // JSON has no comments: the spec is published exactly as rendered.
                published_spec(api, spec, opts.problem_errors, &mut |b| sink.write(b))?;
            }
        }
        sink.end()?;
        crate::release_free_memory();
        crate::mem_mark(&path);
        times.format += clock.elapsed();
        clock = std::time::Instant::now();
        Ok(())
    };
    use Ownership::{Generated, Scaffold};
    // Where each version's generated modules go, and how they reach the runtime.
    let dir = |v: &Version<'_>| {
        if single {
            "src/generated".to_string()
        } else {
            format!("src/generated/{}", v.module)
        }
    };
    let rt = if single {
        "super::runtime"
    } else {
        "super::super::runtime"
    };
    if opts.server {
        let lib_name = opts.server_crate.replace('-', "_");
        let t = Target::Server;
        push(
            t,
            "Cargo.toml".into(),
            Scaffold,
            ServerCargoTpl {
                description: toml_string(&format!("Server for {title}")),
                facts: &facts,
                crate_name: &opts.server_crate,
                version: &opts.server_version,
            }
            .render()
            .into(),
        )?;
        push(
            t,
            "src/main.rs".into(),
            Scaffold,
            ServerMainTpl {
                lib_name: &lib_name,
                app_mod: if single { "router" } else { "generated" },
            }
            .render()
            .into(),
        )?;
        let modules = if single {
            Vec::new()
        } else {
            versions.iter().map(|v| v.module.as_str()).collect()
        };
        push(
            t,
            "src/lib.rs".into(),
            Scaffold,
            ServerLibTpl { title, modules }.render().into(),
        )?;
        push(
            t,
            "src/handlers.rs".into(),
            Scaffold,
            ServerHandlersTpl { versions }.render().into(),
        )?;
        let base_path_lit = if single {
            first.api.base_path_lit.as_str()
        } else {
            "\"\""
        };
        push(
            t,
            "src/generated/runtime.rs".into(),
            Generated,
            ServerRuntimeTpl {
                base_path_lit,
                serve_ops_endpoints: facts.serve_ops_endpoints,
                opts,
            }
            .render()
            .into(),
        )?;
        if !single {
            push(
                t,
                "src/generated/mod.rs".into(),
                Generated,
                ServerVersionsTpl {
                    versions,
                    serve_docs: facts.serve_docs,
                }
                .render()
                .into(),
            )?;
        }
        for (index, v) in versions.iter().enumerate() {
            let api = v.api;
            let dir = dir(v);
            push(
                t,
                format!("{dir}/mod.rs"),
                Generated,
                ServerModTpl { runtime: single }.render().into(),
            )?;
            // The published spec first: its text is freed before the big files.
            push(
                t,
                format!("{dir}/openapi.json"),
                Generated,
                Body::Published(api, std::mem::take(&mut published[index])),
            )?;
            push(
                t,
                format!("{dir}/models.rs"),
                Generated,
                Body::Models(api, true),
            )?;
            push(
                t,
                format!("{dir}/api.rs"),
                Generated,
                ServerApiTpl { api, rt }.render().into(),
            )?;
            push(
                t,
                format!("{dir}/router.rs"),
                Generated,
                ServerRouterTpl { api, rt }.render().into(),
            )?;
            push(
                t,
                format!("{dir}/validation.rs"),
                Generated,
                ServerValidationTpl { api, rt }.render().into(),
            )?;
        }
    }
    if opts.client {
        let t = Target::Client;
        push(
            t,
            "Cargo.toml".into(),
            Scaffold,
            ClientCargoTpl {
                description: toml_string(&format!("Client for {title}")),
                facts: &facts,
                crate_name: &opts.client_crate,
                version: &opts.client_version,
            }
            .render()
            .into(),
        )?;
        push(
            t,
            "src/lib.rs".into(),
            Scaffold,
            ClientLibTpl { title }.render().into(),
        )?;
        if !single {
            push(
                t,
                "src/generated/mod.rs".into(),
                Generated,
                ClientModTpl { versions }.render().into(),
            )?;
        }
        for v in versions {
            let api = v.api;
            let dir = dir(v);
            push(
                t,
                format!("{dir}/mod.rs"),
                Generated,
                ClientModTpl { versions: &[] }.render().into(),
            )?;
            push(
                t,
                format!("{dir}/models.rs"),
                Generated,
                Body::Models(api, false),
            )?;
            push(t, format!("{dir}/client.rs"), Generated, Body::Client(api))?;
        }
    }
    Ok(times)
}

/// The spec the server publishes at `/openapi.json`: the document as written, plus
/// the errors the generated server answers by itself ([`crate::ir::Operation::server_errors`]),
/// with their body schemas, on every operation where the spec does not document that
/// status (or its range, `4XX`) already.
///
/// The bodies are the runtime's `ErrorBody` (`{"detail": …}`, FastAPI's shape, with
/// `HTTPValidationError` for 422) or RFC 9457 `ProblemDetails` when that is the
/// configured default.
fn published_spec(
    api: &Api,
    spec_json: String,
    problem: bool,
    out: &mut dyn FnMut(&[u8]) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut pretty = Pretty::new(out);
    if api.operations.iter().all(|o| o.server_errors().is_empty()) {
        return pretty.finish(spec_json.as_bytes());
    }
    // The spec is read as raw JSON texts borrowed from the published text, parsed
    // only where errors are added (each operation's `responses`, the component
    // schemas) and written back verbatim everywhere else: a big spec's tree would
    // cost many times its size.
    type RawMap<'a> = indexmap::IndexMap<String, &'a serde_json::value::RawValue>;
    let Ok(mut doc) = serde_json::from_str::<RawMap<'_>>(&spec_json) else {
        return pretty.finish(spec_json.as_bytes());
    };
    fn map<'a>(raw: Option<&&'a serde_json::value::RawValue>) -> Option<RawMap<'a>> {
        let raw: &'a serde_json::value::RawValue = raw?;
        serde_json::from_str(raw.get()).ok()
    }
    let mut components = doc
        .get("components")
        .map_or(Some(RawMap::default()), |c| map(Some(c)));
    // Error bodies join the component schemas when those are a map (or absent).
    let schemas: Option<RawMap<'_>> = components.as_ref().and_then(|c| {
        c.get("schemas")
            .map_or(Some(RawMap::default()), |s| map(Some(s)))
    });
    if schemas.is_none() {
        components = None;
    }
    let schemas = schemas.unwrap_or_default();
    let mut taken: Vec<String> = Vec::new();
    let mut unique = |base: &str| {
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    base.to_string()
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|name| !schemas.contains_key(name) && !taken.contains(name))
            .unwrap_or_else(|| base.to_string());
        taken.push(name.clone());
        name
    };
    let item_name = unique("ValidationError");
    let item_ref = format!("#/components/schemas/{item_name}");
    let item = serde_json::json!({
        "title": "ValidationError",
        "description": "One refused value: where it is (`loc`), what is wrong (`msg`, `type`) and what was sent (`input`).",
        "type": "object",
        "required": ["loc", "msg", "type"],
        "properties": {
            "loc": { "type": "array", "items": { "anyOf": [{ "type": "string" }, { "type": "integer" }] } },
            "msg": { "type": "string" },
            "type": { "type": "string" },
            "input": {}
        }
    });
    // (schema name, schema) of the 422 body and of every other error body.
    let mut bodies: Vec<(String, serde_json::Value)> = vec![(item_name, item)];
    let (invalid_ref, error_ref) = if problem {
        let name = unique("ProblemDetails");
        bodies.push((
            name.clone(),
            serde_json::json!({
                "title": "ProblemDetails",
                "description": "RFC 9457 problem details; `errors` lists every refused value.",
                "type": "object",
                "required": ["type", "title", "status"],
                "properties": {
                    "type": { "type": "string" },
                    "title": { "type": "string" },
                    "status": { "type": "integer" },
                    "detail": { "type": "string" },
                    "errors": { "type": "array", "items": { "$ref": item_ref } }
                }
            }),
        ));
        let r = format!("#/components/schemas/{name}");
        (r.clone(), r)
    } else {
        let invalid = unique("HTTPValidationError");
        let error = unique("HTTPError");
        bodies.push((
            invalid.clone(),
            serde_json::json!({
                "title": "HTTPValidationError",
                "description": "Every refused value of the request, reported together.",
                "type": "object",
                "required": ["detail"],
                "properties": { "detail": { "type": "array", "items": { "$ref": item_ref } } }
            }),
        ));
        bodies.push((
            error.clone(),
            serde_json::json!({
                "title": "HTTPError",
                "description": "An error answered by the server itself: a message, or the refused values.",
                "type": "object",
                "required": ["detail"],
                "properties": {
                    "detail": { "anyOf": [
                        { "type": "string" },
                        { "type": "array", "items": { "$ref": item_ref } }
                    ] }
                }
            }),
        ));
        (
            format!("#/components/schemas/{invalid}"),
            format!("#/components/schemas/{error}"),
        )
    };
    let media = if problem {
        "application/problem+json"
    } else {
        "application/json"
    };
    // Each error response is the same on every operation: made once, written where
    // it is needed.
    let responses_made: Vec<((&str, &str), serde_json::Value)> = api
        .operations
        .iter()
        .flat_map(|op| op.server_errors())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|(status, description)| {
            let schema = if status == "422" {
                &invalid_ref
            } else {
                &error_ref
            };
            let made = serde_json::json!({
                "description": description,
                "content": { media: { "schema": { "$ref": schema } } }
            });
            ((status, description), made)
        })
        .collect();
    let response = |status: &str, description: &str| {
        responses_made
            .iter()
            .find(|((s, d), _)| *s == status && *d == description)
            .map(|(_, made)| made)
    };
    let mut added = false;
    let mut paths_out: indexmap::IndexMap<String, RawNode<'_>> = Default::default();
    let Some(mut paths) = map(doc.get("paths")) else {
        return pretty.finish(spec_json.as_bytes());
    };
    for op in &api.operations {
        if op.server_errors().is_empty() {
            continue;
        }
        let Some(mut item) = paths.get(&op.path).and_then(|i| map(Some(i))) else {
            continue;
        };
        let Some(mut operation) = map(item.get(op.method_lower.as_str())) else {
            continue;
        };
        let Some(responses) = map(operation.get("responses")) else {
            continue;
        };
        if responses.contains_key("4XX") || responses.contains_key("4xx") {
            continue;
        }
        let mut new: indexmap::IndexMap<String, RawNode<'_>> = responses
            .iter()
            .map(|(k, v)| (k.clone(), RawNode::Raw(v)))
            .collect();
        for (status, description) in op.server_errors() {
            if responses.contains_key(status) {
                continue;
            }
            if let Some(made) = response(status, description) {
                new.insert(status.into(), RawNode::Shared(made));
                added = true;
            }
        }
        // Rebuild the path item and operation around the new responses.
        let path_item = paths_out.entry(op.path.clone()).or_insert_with(|| {
            RawNode::Map(item.drain(..).map(|(k, v)| (k, RawNode::Raw(v))).collect())
        });
        if let RawNode::Map(methods) = path_item {
            let ops: indexmap::IndexMap<String, RawNode<'_>> = operation
                .drain(..)
                .map(|(k, v)| (k, RawNode::Raw(v)))
                .collect();
            let mut ops = ops;
            ops.insert("responses".into(), RawNode::Map(new));
            methods.insert(op.method_lower.clone(), RawNode::Map(ops));
        }
    }
    if !added {
        return pretty.finish(spec_json.as_bytes());
    }
    let mut out_doc: indexmap::IndexMap<String, RawNode<'_>> = Default::default();
    for (key, value) in doc.drain(..) {
        let node = match key.as_str() {
            "paths" => RawNode::Map(
                std::mem::take(&mut paths)
                    .into_iter()
                    .map(|(p, v)| {
                        let node = paths_out.swap_remove(&p).unwrap_or(RawNode::Raw(v));
                        (p, node)
                    })
                    .collect(),
            ),
            _ => RawNode::Raw(value),
        };
        out_doc.insert(key, node);
    }
    // The error bodies join the component schemas (both created when absent).
    if let Some(c) = components.as_mut() {
        let mut comps: indexmap::IndexMap<String, RawNode<'_>> =
            c.drain(..).map(|(k, v)| (k, RawNode::Raw(v))).collect();
        let mut all: indexmap::IndexMap<String, RawNode<'_>> = schemas
            .into_iter()
            .map(|(k, v)| (k, RawNode::Raw(v)))
            .collect();
        all.extend(bodies.into_iter().map(|(k, v)| (k, RawNode::New(v))));
        comps.insert("schemas".into(), RawNode::Map(all));
        out_doc.insert("components".into(), RawNode::Map(comps));
    }
    /// Hands serde_json's output on, pretty, as it is written.
    struct Out<'a, 'b>(&'a mut Pretty<'b>, Option<Error>);
    impl std::io::Write for Out<'_, '_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            match self.0.write(bytes) {
                Ok(()) => Ok(bytes.len()),
                Err(e) => {
                    self.1 = Some(e);
                    Err(std::io::Error::other("the sink failed"))
                }
            }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut sink = Out(&mut pretty, None);
    let written = serde::Serialize::serialize(
        &RawNode::Map(out_doc),
        &mut serde_json::Serializer::new(&mut sink),
    );
    match (written, sink.1) {
        (Ok(()), _) => pretty.finish(b""),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(Error::Internal(format!("writing the published spec: {e}"))),
    }
}

/// Compact JSON text in, serde_json's pretty layout out (two-space indents, `": "`,
/// `{}`/`[]` when empty), streamed: the published spec is kept compact and only
/// written out pretty.
struct Pretty<'a> {
    out: &'a mut dyn FnMut(&[u8]) -> Result<(), Error>,
    buf: Vec<u8>,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// An opening bracket not yet written: its layout depends on the next byte.
    open: Option<u8>,
}

impl<'a> Pretty<'a> {
    fn new(out: &'a mut dyn FnMut(&[u8]) -> Result<(), Error>) -> Self {
        Pretty {
            out,
            buf: Vec::with_capacity(64 * 1024),
            depth: 0,
            in_string: false,
            escaped: false,
            open: None,
        }
    }

    fn newline(&mut self) {
        self.buf.push(b'\n');
        self.buf.extend(std::iter::repeat_n(b' ', 2 * self.depth));
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        for &b in bytes {
            if let Some(open) = self.open.take() {
                self.buf.push(open);
                if b == b'}' || b == b']' {
                    self.buf.push(b);
                    continue;
                }
                self.depth += 1;
                self.newline();
            }
            if self.in_string {
                self.buf.push(b);
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    self.buf.push(b);
                }
                b'{' | b'[' => self.open = Some(b),
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    self.newline();
                    self.buf.push(b);
                }
                b',' => {
                    self.buf.push(b);
                    self.newline();
                }
                b':' => self.buf.extend_from_slice(b": "),
                _ => self.buf.push(b),
            }
            if self.buf.len() >= 60 * 1024 {
                (self.out)(&self.buf)?;
                self.buf.clear();
            }
        }
        Ok(())
    }

    /// Write `bytes`, then the rest, and a final newline.
    fn finish(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.write(bytes)?;
        if let Some(open) = self.open.take() {
            self.buf.push(open);
        }
        self.buf.push(b'\n');
        (self.out)(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

/// JSON written back as it was read ([`published_spec`]), rebuilt, or new.
enum RawNode<'a> {
    Raw(&'a serde_json::value::RawValue),
    Map(indexmap::IndexMap<String, RawNode<'a>>),
    New(serde_json::Value),
    /// A value written in many places (the same error response on every operation).
    Shared(&'a serde_json::Value),
}

impl serde::Serialize for RawNode<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RawNode::Raw(raw) => raw.serialize(s),
            RawNode::Map(map) => s.collect_map(map),
            RawNode::New(value) => value.serialize(s),
            RawNode::Shared(value) => value.serialize(s),
        }
    }
}

/// What the shared files (Cargo manifests, runtime) need from every version: a
/// dependency or feature any version uses; endpoints every version leaves free.
fn merged_facts(versions: &[Version<'_>]) -> Facts {
    let mut facts = versions
        .first()
        .map(|v| v.api.facts.clone())
        .unwrap_or_default();
    for v in versions.iter().skip(1) {
        let f = &v.api.facts;
        facts.uses_chrono |= f.uses_chrono;
        facts.uses_uuid |= f.uses_uuid;
        facts.uses_pattern |= f.uses_pattern;
        facts.has_query |= f.has_query;
        facts.has_multipart |= f.has_multipart;
        facts.has_form_body |= f.has_form_body;
        facts.has_json_body |= f.has_json_body;
        facts.has_download |= f.has_download;
        facts.has_pagination |= f.has_pagination;
        facts.serve_docs |= f.serve_docs;
        facts.serve_ops_endpoints &= f.serve_ops_endpoints;
    }
    facts
}

/// Source size a formatting job aims at: big files are cut at item boundaries into
/// pieces of about this size, formatted in parallel and joined. A whole-file syntax
/// tree of a 4 MB client takes hundreds of MB; pieces keep memory flat and let every
/// core work on the biggest file. (GitHub's spec, peak memory: 36 MB with 64 kB
/// pieces, 33 MB with 32 kB, 32 MB with 16 kB, as fast; 8 kB is 8% slower.)
const CHUNK_BYTES: usize = 16 * 1024;

/// A formatting job handed to a [`Formatter`] thread, and where its result goes.
struct Task {
    path: std::sync::Arc<str>,
    index: usize,
    line: usize,
    part: Part,
    text: String,
    reply: std::sync::mpsc::Sender<(usize, Result<String, Error>)>,
}

/// Threads that format Rust, one per core, kept for a whole rendering run (each
/// keeps its heap from file to file; formatting allocates and frees about 100 bytes
/// per byte of text). The calling thread only hands out jobs and collects: it
/// renders the next text while the cores format.
pub struct Formatter {
    tasks: Option<std::sync::mpsc::Sender<Task>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Formatter {
    /// Start the threads.
    pub fn new() -> Self {
        let helpers = std::thread::available_parallelism().map_or(1, |n| n.get());
        if helpers <= 1 {
            return Formatter {
                tasks: None,
                threads: Vec::new(),
            };
        }
        let (tasks, queue) = std::sync::mpsc::channel::<Task>();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        let threads = (0..helpers)
            .filter_map(|_| {
                let queue = queue.clone();
                std::thread::Builder::new()
                    .name("oapi-forge-format".into())
                    .spawn(move || {
                        loop {
                            let next = match queue.lock() {
                                Ok(q) => q.recv(),
                                Err(_) => break,
                            };
                            let Ok(task) = next else { break };
                            // A panic in the parser or printer is answered as an error:
                            // the file waiting for this piece must not wait forever.
                            let piece = std::panic::catch_unwind(|| {
                                format_rust(&task.path, task.line, &task.text)
                                    .and_then(|f| task.part.keep(&task.path, f))
                            })
                            .unwrap_or_else(|_| {
                                Err(Error::Internal(format!(
                                    "formatting {} failed at line {}; this is a bug in oapi-forge, please report it with the spec",
                                    task.path, task.line
                                )))
                            });
                            drop(task.text);
                            // A file given up on no longer listens: go on with the next.
                            let _ = task.reply.send((task.index, piece));
                        }
                    })
                    .ok()
            })
            .collect::<Vec<_>>();
        Formatter {
            tasks: (!threads.is_empty()).then_some(tasks),
            threads,
        }
    }

    /// Format one Rust file after `header`: cut into [`jobs`] at item boundaries,
    /// formatted on every core, appended in order as soon as each is ready.
    fn format_file(
        &self,
        path: &str,
        text: &str,
        header: String,
        out: &mut dyn FnMut(&str) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut once = Some(text);
        self.format_texts(
            path,
            header,
            CHUNK_BYTES,
            &mut || once.take().map(|t| Ok(std::borrow::Cow::Borrowed(t))),
            out,
        )
    }

    /// Format the file `texts` makes, showing `seen` each text as it is made.
    fn format_streamed(
        &self,
        path: &str,
        header: String,
        mut texts: Streamed<'_>,
        seen: &mut dyn FnMut(&str),
        out: &mut dyn FnMut(&str) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let failed = |e: askama::Error| Error::Internal(format!("template for {path} failed: {e}"));
        self.format_texts(
            path,
            header,
            CHUNK_BYTES,
            &mut || {
                let text = texts.next_text()?.map_err(failed);
                if let Ok(text) = &text {
                    seen(text);
                }
                Some(text.map(std::borrow::Cow::Owned))
            },
            out,
        )
    }

    /// Format the Rust file whose text is the run of texts `source` yields (each of
    /// whole items), after `header`. Each text is cut into [`jobs`] of about `chunk`
    /// bytes, formatted on every core and appended in order as soon as each piece is
    /// ready; at most a few jobs are handed out ahead of what is written, so neither
    /// the whole text nor the whole formatted file need ever be held.
    fn format_texts<'s>(
        &self,
        path: &str,
        header: String,
        chunk: usize,
        source: &mut dyn FnMut() -> Option<Result<std::borrow::Cow<'s, str>, Error>>,
        out: &mut dyn FnMut(&str) -> Result<(), Error>,
    ) -> Result<(), Error> {
        out(&header)?;
        drop(header);
        // The first two texts are read ahead: one small text is formatted here.
        let mut read_ahead = std::collections::VecDeque::new();
        while read_ahead.len() < 2 {
            match source() {
                Some(text) => read_ahead.push_back(text?),
                None => break,
            }
        }
        let one_piece = read_ahead.len() <= 1 && read_ahead.iter().all(|t| t.len() <= chunk);
        let mut next_text = move || match read_ahead.pop_front() {
            Some(t) => Ok(Some(t)),
            None => source().transpose(),
        };
        let mut line0 = 0;
        let tasks = match &self.tasks {
            Some(tasks) if !one_piece => tasks,
            _ => {
                while let Some(t) = next_text()? {
                    for job in jobs(&t, chunk) {
                        let formatted = format_rust(path, line0 + job.line, &job.text)?;
                        out(&job.part.keep(path, formatted)?)?;
                    }
                    line0 += t.matches('\n').count();
                }
                return Ok(());
            }
        };
        let stopped = || Error::Internal(format!("formatting {path} stopped"));
        let shared_path: std::sync::Arc<str> = path.into();
        let (reply, results) = std::sync::mpsc::channel();
        let ahead = 4 * self.threads.len();
        let mut done: std::collections::BTreeMap<usize, Result<String, Error>> = Default::default();
        let (mut queued, mut emitted) = (0usize, 0usize);
        let mut collect_one = |emitted: &mut usize,
                               out: &mut dyn FnMut(&str) -> Result<(), Error>|
         -> Result<(), Error> {
            let (j, piece) = results.recv().map_err(|_| stopped())?;
            done.insert(j, piece);
            while let Some(piece) = done.remove(emitted) {
                out(&piece?)?;
                *emitted += 1;
            }
            Ok(())
        };
        while let Some(t) = next_text()? {
            for job in jobs(&t, chunk) {
                while queued - emitted >= ahead {
                    collect_one(&mut emitted, out)?;
                }
                tasks
                    .send(Task {
                        path: shared_path.clone(),
                        index: queued,
                        line: line0 + job.line,
                        part: job.part,
                        text: job.text.into_owned(),
                        reply: reply.clone(),
                    })
                    .map_err(|_| stopped())?;
                queued += 1;
            }
            line0 += t.matches('\n').count();
        }
        while emitted < queued {
            collect_one(&mut emitted, out)?;
        }
        Ok(())
    }
}

impl Default for Formatter {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Formatter {
    fn drop(&mut self) {
        self.tasks = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// A formatting job: a piece of the file, or one group of the members of an
/// `impl`/`trait` too big to format as one piece (wrapped in the item's head and
/// tail, with [`CUT`] marking where the members start).
struct Job<'a> {
    line: usize,
    text: std::borrow::Cow<'a, str>,
    part: Part,
}

/// Which part of a formatted job goes into the file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Whole,
    /// The head of the item and the first group of its members.
    First,
    Middle,
    /// The last group of members and the closing brace.
    Last,
}

/// A member that marks where a group of members starts in a formatted job.
const CUT: &str = "const __OAPI_FORGE_CUT__: () = ();";

impl Part {
    /// The part of `formatted` (a job's output) that belongs in the file.
    fn keep(self, path: &str, mut formatted: String) -> Result<String, Error> {
        if self == Part::Whole {
            return Ok(formatted);
        }
        let line = format!("    {CUT}\n");
        let (Some(at), true) = (formatted.find(&line), formatted.ends_with("}\n")) else {
            return Err(Error::Internal(format!(
                "formatting {path}: an item cut into groups of members did not format as one"
            )));
        };
        // Cut in place: the piece is not copied.
        if self != Part::Last {
            formatted.truncate(formatted.len() - 2);
        }
        let head = if self == Part::First { 0..0 } else { 0..at };
        formatted.replace_range(at..at + line.len(), "");
        formatted.replace_range(head, "");
        Ok(formatted)
    }
}

/// The formatting jobs for `text`: pieces of whole items of about `target` bytes;
/// an `impl` or `trait` bigger than two pieces (a client's thousand methods) is cut
/// into groups of members, so no single job holds a syntax tree of megabytes and the
/// work spreads over every core.
fn jobs(text: &str, target: usize) -> Vec<Job<'_>> {
    let mut out = Vec::new();
    for (line, piece) in split_items(text, target) {
        if piece.len() <= 2 * target {
            out.push(Job {
                line,
                text: piece.into(),
                part: Part::Whole,
            });
            continue;
        }
        // Small items before and after a big one stay together.
        let mut run: Option<(usize, usize)> = None;
        let base = piece.as_ptr() as usize;
        for (rel, item) in split_items(piece, 0) {
            let item_line = line + rel - 1;
            let offset = item.as_ptr() as usize - base;
            let groups = if item.len() > 2 * target {
                item_body(item).map(|(open, close)| {
                    let members = &item[open + 1..close];
                    let members_line = item_line + item[..=open].matches('\n').count();
                    (open, close, members_line, split_items(members, target))
                })
            } else {
                None
            };
            match groups {
                Some((open, close, members_line, groups)) if groups.len() > 1 => {
                    if let Some((run_line, from)) = run.take() {
                        out.push(Job {
                            line: run_line,
                            text: piece[from..offset].into(),
                            part: Part::Whole,
                        });
                    }
                    let (head, tail) = (&item[..=open], &item[close..]);
                    let last = groups.len() - 1;
                    for (k, (rel, group)) in groups.into_iter().enumerate() {
                        out.push(Job {
                            line: members_line + rel - 1,
                            text: format!("{head}\n{CUT}\n{group}\n{tail}").into(),
                            part: match k {
                                0 => Part::First,
                                k if k == last => Part::Last,
                                _ => Part::Middle,
                            },
                        });
                    }
                }
                _ => {
                    run.get_or_insert((item_line, offset));
                }
            }
        }
        if let Some((run_line, from)) = run {
            out.push(Job {
                line: run_line,
                text: piece[from..].into(),
                part: Part::Whole,
            });
        }
    }
    out
}

/// Call `f` with every byte of Rust source outside comments, string and char
/// literals, and with every newline wherever it is.
fn scan_code(text: &str, mut f: impl FnMut(usize, u8)) {
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let newlines = |f: &mut dyn FnMut(usize, u8), from: usize, to: usize| {
        for (k, _) in b[from..to].iter().enumerate().filter(|(_, x)| **x == b'\n') {
            f(from + k, b'\n');
        }
    };
    let mut i = 0usize;
    while i < b.len() {
        let c = b[i];
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let from = i;
                let mut nest = 1;
                i += 2;
                while i < b.len() && nest > 0 {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        nest += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        nest -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                newlines(&mut f, from, i);
                continue;
            }
            b'"' => {
                let from = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                newlines(&mut f, from, i.min(b.len()));
                i += 1;
                continue;
            }
            b'r' | b'b' if i == 0 || !ident(b[i - 1]) => {
                // r"…", r#"…"#, br"…", br#"…"# (b"…" and b'…' fall through to the
                // string and char cases on the next byte).
                let mut j = i + 1;
                if c == b'b' && b.get(j) == Some(&b'r') {
                    j += 1;
                } else if c == b'b' {
                    f(i, c);
                    i += 1;
                    continue;
                }
                let hashes = b[j..].iter().take_while(|h| **h == b'#').count();
                if b.get(j + hashes) == Some(&b'"') {
                    let close: Vec<u8> = std::iter::once(b'"')
                        .chain(std::iter::repeat_n(b'#', hashes))
                        .collect();
                    let body = j + hashes + 1;
                    let end = b[body..]
                        .windows(close.len())
                        .position(|w| w == close.as_slice())
                        .map_or(b.len(), |p| body + p + close.len());
                    newlines(&mut f, i, end);
                    i = end;
                    continue;
                }
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{…}', 'é') or a lifetime ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                    continue;
                } else if let Some(ch) = text.get(i + 1..).and_then(|t| t.chars().next())
                    && b.get(i + 1 + ch.len_utf8()) == Some(&b'\'')
                {
                    i += 2 + ch.len_utf8();
                    continue;
                }
            }
            _ => {}
        }
        f(i, c);
        i += 1;
    }
}

/// Cut Rust source into pieces of whole top-level items, each about `target` bytes
/// (the first keeps the inner attributes and docs), with the line each starts on. A
/// small lexer ([`scan_code`]) skips comments, strings, raw strings and char
/// literals; an item ends at a `;` or `}` outside any bracket (a `}` followed by `;`
/// ends at the `;`).
fn split_items(text: &str, target: usize) -> Vec<(usize, &str)> {
    if text.len() <= target {
        return vec![(1, text)];
    }
    let b = text.as_bytes();
    let mut pieces = Vec::new();
    let (mut start, mut start_line, mut line) = (0usize, 1usize, 1usize);
    let mut depth = 0i64;
    scan_code(text, |i, c| {
        let mut end_here = false;
        match c {
            b'\n' => line += 1,
            b'{' | b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    let next = b[i + 1..].iter().find(|x| !x.is_ascii_whitespace());
                    end_here = next != Some(&b';');
                }
            }
            b';' if depth == 0 => end_here = true,
            _ => {}
        }
        if end_here && i + 1 - start >= target {
            pieces.push((start_line, &text[start..i + 1]));
            start = i + 1;
            start_line = line;
        }
    });
    let rest = &text[start..];
    match pieces.last_mut() {
        // Trailing blank lines stay with the last item.
        Some((_, last)) if rest.trim().is_empty() => {
            let from = start - last.len();
            *last = &text[from..];
        }
        _ if !rest.is_empty() => pieces.push((start_line, rest)),
        _ => {}
    }
    pieces
}

/// For an `impl` or `trait` item, the offsets of the brace opening its body and of
/// the brace closing it.
fn item_body(item: &str) -> Option<(usize, usize)> {
    let b = item.as_bytes();
    let word = |i: usize, w: &str| {
        item[i..].starts_with(w)
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
            && b.get(i + w.len())
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
    };
    let (mut depth, mut kind, mut open, mut close) = (0i64, false, None, None);
    scan_code(item, |i, c| match c {
        b'{' | b'(' | b'[' => {
            if depth == 0 && c == b'{' && open.is_none() {
                open = Some(i);
            }
            depth += 1;
        }
        b'}' | b')' | b']' => {
            depth -= 1;
            if depth == 0 && c == b'}' && open.is_some() && close.is_none() {
                close = Some(i);
            }
        }
        b'i' | b't' if depth == 0 && open.is_none() => {
            kind |= word(i, "impl") || word(i, "trait");
        }
        _ => {}
    });
    match (kind, open, close) {
        (true, Some(open), Some(close)) => Some((open, close)),
        _ => None,
    }
}

struct Header<'a> {
    spec: &'a str,
}

impl Header<'_> {
    fn lines(&self, ownership: Ownership) -> [String; 2] {
        let version = env!("CARGO_PKG_VERSION");
        let spec = self.spec.replace(['\n', '\r'], " ");
        match ownership {
            Ownership::Generated => [
                format!("Generated by oapi-forge {version} from {spec}."),
                "Do not edit: this file is rewritten on every run.".into(),
            ],
            Ownership::Scaffold => [
                format!("Scaffolded by oapi-forge {version} from {spec}."),
                "This file is yours: oapi-forge writes it once and never overwrites it.".into(),
            ],
        }
    }

    fn rust(&self, o: Ownership) -> String {
        let [a, b] = self.lines(o);
        format!("// {a}\n// {b}\n\n")
    }

    fn toml(&self, o: Ownership) -> String {
        let [a, b] = self.lines(o);
        format!("# {a}\n# {b}\n\n")
    }
}

/// Parse and pretty-print generated Rust. A parse failure is a bug in oapi-forge.
/// `first_line` is where `text` starts in the whole file (for the message).
fn format_rust(path: &str, first_line: usize, text: &str) -> Result<String, Error> {
    let file = syn::parse_file(text).map_err(|e| {
        // Spans carry no line numbers (proc-macro2's `span-locations` would keep a
        // copy of every parsed text per thread): name the first item that fails.
        let line = split_items(text, 0)
            .into_iter()
            .find(|(_, item)| syn::parse_file(item).is_err())
            .map_or(1, |(line, item)| {
                let lead = item.len() - item.trim_start().len();
                line + item[..lead].matches('\n').count()
            });
        let shown = text.lines().nth(line - 1).unwrap_or("").trim();
        Error::Internal(format!(
            "generated {path} does not parse in the item at line {}: {e}\n  {shown}\nthis is a bug in oapi-forge; please report it with the spec",
            line + first_line - 1,
        ))
    })?;
    Ok(prettyplease::unparse(&file))
}

/// `text` as a TOML basic string, quoted and escaped (titles come from the spec).
fn toml_string(text: &str) -> String {
    toml::Value::String(text.replace(['\n', '\r'], " ")).to_string()
}

/// Collapse the blank lines left by template control flow in TOML output.
fn tidy_toml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            if !blank && !out.is_empty() {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(line);
            out.push('\n');
            blank = false;
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formatting a file piece by piece gives exactly the whole-file result, on every
    /// example spec's output cut into tiny pieces (hundreds of cuts per file).
    #[test]
    fn formatting_in_pieces_equals_formatting_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
            .collect();
        specs.push(root.join("specs/hostile/api.yaml"));
        specs.sort();
        let (mut cuts, mut members) = (0, 0);
        for spec in specs {
            let doc = crate::load::load(&spec).unwrap();
            let (api, _) = crate::ir::lower(&doc).unwrap();
            for f in render(&api, &RenderOptions::default()).unwrap() {
                let path = f.path.to_string_lossy().into_owned();
                if !path.ends_with(".rs") {
                    continue;
                }
                let whole = format_rust(&path, 1, &f.contents).unwrap();
                let pieces = split_items(&f.contents, 200);
                cuts += pieces.len() - 1;
                let joined: String = pieces
                    .iter()
                    .map(|(line, piece)| format_rust(&path, *line, piece).unwrap())
                    .collect();
                assert_eq!(joined, whole, "{} {path}", spec.display());
                // The same with big `impl`s and `trait`s cut into groups of members.
                let jobs = jobs(&f.contents, 200);
                members += jobs.iter().filter(|j| j.part == Part::Middle).count();
                let mut cut = String::new();
                let mut once = Some(f.contents.as_str());
                Formatter::new()
                    .format_texts(
                        &path,
                        String::new(),
                        200,
                        &mut || once.take().map(|t| Ok(t.into())),
                        &mut |piece| {
                            cut.push_str(piece);
                            Ok(())
                        },
                    )
                    .unwrap();
                assert_eq!(cut, whole, "{} {path} (members cut)", spec.display());
            }
        }
        assert!(cuts > 1000, "{cuts} cuts");
        assert!(members > 100, "{members} groups of members");
    }

    #[test]
    fn compact_json_is_written_out_as_serde_json_pretty_prints_it() {
        let value = serde_json::json!({
            "a": {}, "b": [], "c": [1, [], {}, {"d": null}], "e": "{[,:]} \\\" \\",
            "f": {"g": {"h": [true, false, -1.5e-7]}}, "ü": "é\u{1F600}\n\t"
        });
        let compact = serde_json::to_string(&value).unwrap();
        let mut out = Vec::new();
        let mut sink = |b: &[u8]| {
            out.extend_from_slice(b);
            Ok(())
        };
        let mut pretty = Pretty::new(&mut sink);
        // Fed in awkward slices: a bracket at the end of one, its close in the next.
        for chunk in compact.as_bytes().chunks(3) {
            pretty.write(chunk).unwrap();
        }
        pretty.finish(b"").unwrap();
        drop(pretty);
        let expected = serde_json::to_string_pretty(&value).unwrap() + "\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn a_parse_failure_names_the_line_of_the_failing_item() {
        let text = "struct A;\n\nfn ok() {}\n\nfn broken( {\n}\nstruct B;\n";
        let err = format_rust("src/x.rs", 10, text).unwrap_err().to_string();
        assert!(
            err.contains("generated src/x.rs does not parse in the item at line 14:"),
            "{err}"
        );
        assert!(err.contains("\n  fn broken( {\n"), "{err}");
    }

    #[test]
    fn the_splitter_skips_strings_comments_and_chars() {
        let text = "const A: &str = \"}; {\";\nconst B: &str = r#\"\";}\"#;\n// } ;\n/* /* } */ ; */\nconst C: char = '}';\nfn f<'a>(x: &'a str) -> &'a str { x }\nconst D: char = '\\'';\nstruct S { a: [u8; 2] }\nconst E: S = S { a: [1; 2] };\nconst F: &[u8] = b\"};\";\n";
        let pieces = split_items(text, 1);
        let starts: Vec<&str> = pieces
            .iter()
            .map(|(_, p)| p.trim_start().split(':').next().unwrap())
            .collect();
        assert_eq!(
            starts,
            [
                "const A",
                "const B",
                "// } ;\n/* /* } */ ; */\nconst C",
                "fn f<'a>(x",
                "const D",
                "struct S { a",
                "const E",
                "const F"
            ]
        );
        // A piece starts on the line where the previous one ended.
        assert_eq!(pieces[3].0, 5, "line numbers follow the cuts");
        for (_, p) in &pieces {
            syn::parse_file(p).unwrap();
        }
    }
}
