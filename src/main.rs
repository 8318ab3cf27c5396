//! The `oapi-forge` command line: a thin layer over [`oapi_forge::Config`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use oapi_forge::{Action, Config, Error};

const EXAMPLES: &str = "\
Examples:
  oapi-forge generate specs/petstore.yaml --out out/petstore
  oapi-forge generate api.yaml --server crates/api-server --client crates/api-client
  oapi-forge check api.yaml --client crates/api-client     # exit 1 if out of date
  oapi-forge validate api.yaml

Exit codes: 0 ok, 1 `check` found differences, 2 bad input.";

#[derive(Parser)]
#[command(name = "oapi-forge", version, about = "OpenAPI 3.0/3.1 → an axum server crate and a reqwest client crate", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the server and/or client crate.
    Generate(Target),
    /// Exit 1 and print a unified diff of what `generate` would change.
    Check {
        #[command(flatten)]
        target: Target,
        /// Print one line per file (`+added -removed`) instead of the diff.
        #[arg(long)]
        stat: bool,
        /// Print nothing; only the exit code tells.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Load and check the spec; write nothing.
    Validate {
        /// The OpenAPI document (YAML or JSON).
        spec: PathBuf,
    },
    /// Print a shell completion script (e.g. `oapi-forge completions bash >
    /// ~/.local/share/bash-completion/completions/oapi-forge`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Args)]
struct Target {
    /// The OpenAPI document (YAML or JSON). Several (e.g. `v1.yaml v2.yaml`) generate
    /// one server mounting every version under its base path, and one client crate
    /// with a module per version. Without it, the settings come from `--config` or
    /// `./oapi-forge.toml`.
    #[arg(value_name = "SPEC")]
    specs: Vec<PathBuf>,
    /// Read the settings from this `oapi-forge.toml` (command-line flags override it).
    #[arg(long, value_name = "FILE", conflicts_with = "specs")]
    config: Option<PathBuf>,
    /// Directory of the server crate.
    #[arg(long, value_name = "DIR")]
    server: Option<PathBuf>,
    /// Directory of the client crate.
    #[arg(long, value_name = "DIR")]
    client: Option<PathBuf>,
    /// Write the server to DIR/server and the client to DIR/client.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["server", "client"])]
    out: Option<PathBuf>,
    /// Package name of the server crate.
    #[arg(long, value_name = "NAME")]
    server_crate_name: Option<String>,
    /// Package name of the client crate.
    #[arg(long, value_name = "NAME")]
    client_crate_name: Option<String>,
    /// `version` in the server crate's Cargo.toml (written once).
    #[arg(long, value_name = "SEMVER")]
    server_crate_version: Option<String>,
    /// `version` in the client crate's Cargo.toml (written once).
    #[arg(long, value_name = "SEMVER")]
    client_crate_version: Option<String>,
    /// Default error body shape of the server.
    #[arg(long, value_enum, value_name = "STYLE")]
    error_style: Option<StyleArg>,
    /// Do not recognise paginated operations.
    #[arg(long)]
    no_pagination: bool,
    /// Default total timeout of the client, in seconds.
    #[arg(long, value_name = "SECS")]
    client_timeout_secs: Option<u64>,
    /// Default number of client retries.
    #[arg(long, value_name = "N")]
    client_retries: Option<u32>,
    /// Use your own Rust type for a schema `format` (repeatable), e.g.
    /// `--map-format decimal=rust_decimal::Decimal`.
    #[arg(long, value_name = "FORMAT=TYPE", value_parser = pair)]
    map_format: Vec<(String, String)>,
    /// Give a component schema another Rust type name (repeatable), e.g.
    /// `--rename-schema Pet=Animal`.
    #[arg(long, value_name = "SCHEMA=NAME", value_parser = pair)]
    rename_schema: Vec<(String, String)>,
    /// Give an operation another Rust method name (repeatable), e.g.
    /// `--rename-operation listPets=all_pets`.
    #[arg(long, value_name = "OPERATION_ID=NAME", value_parser = pair)]
    rename_operation: Vec<(String, String)>,
    /// Print the time each stage took.
    #[arg(long, short)]
    verbose: bool,
}

/// `KEY=VALUE`, both non-empty.
fn pair(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(format!("expected KEY=VALUE, got `{raw}`")),
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StyleArg {
    /// FastAPI's `{"detail": …}`.
    Fastapi,
    /// RFC 9457 problem details.
    Problem,
}

impl Target {
    fn config(&self) -> Result<Config, Error> {
        let mut c = match (self.specs.split_first(), &self.config) {
            (Some((spec, more)), _) => more.iter().fold(Config::new(spec), |c, s| c.add_spec(s)),
            (None, Some(file)) => Config::from_file(file)?,
            (None, None) => {
                let file = PathBuf::from(oapi_forge::config_file::FILE_NAME);
                if !file.exists() {
                    return Err(Error::Config(format!(
                        "no spec given and no `{}` here: pass the spec, or `--config FILE`",
                        file.display()
                    )));
                }
                Config::from_file(file)?
            }
        };
        if let Some(d) = &self.out {
            c = c.out(d);
        }
        if let Some(d) = &self.server {
            c = c.server(d);
        }
        if let Some(d) = &self.client {
            c = c.client(d);
        }
        if let Some(n) = &self.server_crate_name {
            c = c.server_crate_name(n);
        }
        if let Some(n) = &self.client_crate_name {
            c = c.client_crate_name(n);
        }
        if let Some(v) = &self.server_crate_version {
            c = c.server_crate_version(v);
        }
        if let Some(v) = &self.client_crate_version {
            c = c.client_crate_version(v);
        }
        if let Some(style) = self.error_style {
            c = c.error_style(match style {
                StyleArg::Fastapi => oapi_forge::ErrorStyle::FastApi,
                StyleArg::Problem => oapi_forge::ErrorStyle::Problem,
            });
        }
        if self.no_pagination {
            c = c.pagination(false);
        }
        if let Some(t) = self.client_timeout_secs {
            c = c.client_timeout(std::time::Duration::from_secs(t));
        }
        if let Some(r) = self.client_retries {
            c = c.client_retries(r);
        }
        for (format, ty) in &self.map_format {
            c = c.map_format(format, ty);
        }
        for (schema, name) in &self.rename_schema {
            c = c.rename_schema(schema, name);
        }
        for (id, name) in &self.rename_operation {
            c = c.rename_operation(id, name);
        }
        Ok(c)
    }
}

fn main() -> ExitCode {
    oapi_forge::tune_allocator();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(Error::Spec(diagnostics)) => {
            let color = use_color();
            for d in &diagnostics {
                eprintln!("{}", d.render(color));
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == oapi_forge::diag::Severity::Error)
                .count();
            eprintln!(
                "{errors} error{} found; nothing was written",
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// A spinner on stderr for runs that take more than half a second (big specs), only
/// on a terminal; cleared when dropped.
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(what: &'static str) -> Progress {
        use std::io::IsTerminal;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = std::io::stderr().is_terminal().then(|| {
            let done = done.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let frames = ['|', '/', '-', '\\'];
                let mut shown = false;
                let mut i = 0;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    if started.elapsed() >= std::time::Duration::from_millis(500) {
                        eprint!(
                            "\r{} {what}… {:.1} s",
                            frames[i % 4],
                            started.elapsed().as_secs_f64()
                        );
                        shown = true;
                        i += 1;
                    }
                }
                if shown {
                    eprint!("\r\x1b[2K");
                }
            })
        });
        Progress { done, thread }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Colours on a terminal, unless `NO_COLOR` is set (https://no-color.org).
fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn print_warnings(warnings: &[oapi_forge::Diagnostic]) {
    let color = use_color();
    for w in warnings {
        eprintln!("{}", w.render(color));
    }
}

fn run(command: Command) -> Result<ExitCode, Error> {
    match command {
        Command::Generate(t) => {
            let started = std::time::Instant::now();
            let progress = Progress::start("generating");
            let report = t.config()?.generate();
            drop(progress);
            let report = report?;
            print_warnings(&report.warnings);
            if t.verbose {
                for (stage, took) in &report.timings {
                    eprintln!("{stage:>16}: {took:.1?}");
                }
            }
            let count = |a: Action| report.files.iter().filter(|f| f.action == a).count();
            for f in report.changed() {
                println!(
                    "{:>9} {}",
                    if f.action == Action::Created {
                        "created"
                    } else {
                        "updated"
                    },
                    f.path.display()
                );
            }
            println!(
                "{} created, {} updated, {} unchanged, {} kept (yours) in {:.1?}",
                count(Action::Created),
                count(Action::Updated),
                count(Action::Unchanged),
                count(Action::Kept),
                started.elapsed()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            target,
            stat,
            quiet,
        } => {
            let progress = Progress::start("checking");
            let report = target.config()?.check();
            drop(progress);
            let report = report?;
            if !quiet {
                print_warnings(&report.warnings);
            }
            let changed: Vec<_> = report.changed().collect();
            if changed.is_empty() {
                if !quiet {
                    println!("up to date");
                }
                return Ok(ExitCode::SUCCESS);
            }
            if !quiet {
                for f in &changed {
                    let diff = f.diff.as_deref().unwrap_or("");
                    if stat {
                        let count = |sign: char| {
                            diff.lines()
                                .filter(|l| {
                                    l.starts_with(sign)
                                        && !l.starts_with(&format!("{sign}{sign}{sign} "))
                                })
                                .count()
                        };
                        println!("{} | +{} -{}", f.path.display(), count('+'), count('-'));
                    } else {
                        print!("{diff}");
                    }
                }
                eprintln!(
                    "{} file(s) out of date; run `oapi-forge generate` with the same arguments",
                    changed.len()
                );
            }
            Ok(ExitCode::from(1))
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "oapi-forge",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { spec } => {
            let warnings = Config::new(&spec).validate()?;
            print_warnings(&warnings);
            println!("{}: ok ({} warning(s))", spec.display(), warnings.len());
            Ok(ExitCode::SUCCESS)
        }
    }
}
