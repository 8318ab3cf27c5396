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
}

#[derive(Args)]
struct Target {
    /// The OpenAPI document (YAML or JSON).
    spec: PathBuf,
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
    /// Print the time each stage took.
    #[arg(long, short)]
    verbose: bool,
}

impl Target {
    fn config(&self) -> Config {
        let mut c = Config::new(&self.spec);
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
        c
    }
}

fn main() -> ExitCode {
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
            let report = t.config().generate()?;
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
        Command::Check { target, stat, quiet } => {
            let report = target.config().check()?;
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
                                .filter(|l| l.starts_with(sign) && !l.starts_with(&format!("{sign}{sign}{sign} ")))
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
        Command::Validate { spec } => {
            let warnings = Config::new(&spec).validate()?;
            print_warnings(&warnings);
            println!("{}: ok ({} warning(s))", spec.display(), warnings.len());
            Ok(ExitCode::SUCCESS)
        }
    }
}
