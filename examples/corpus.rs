//! Corpus runner: generate the server and client of every spec in a folder, compile
//! them all in one workspace (one shared target directory) with
//! `cargo clippy -- -D warnings`, and write a Markdown report.
//!
//! ```sh
//! cargo run --release --example corpus -- [CORPUS_DIR] [--out DIR] [--only SUBSTRING] [--no-compile]
//! ```
//!
//! `CORPUS_DIR` defaults to `$OAPI_FORGE_CORPUS`, then `../shared/corpus`; specs are
//! the first column of its `INDEX.tsv`, or every `.yaml`/`.yml`/`.json` below it. The
//! report goes to `DIR/REPORT.md` (default `target/corpus`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Row {
    spec: String,
    slug: String,
    version: String,
    operations: usize,
    schemas: usize,
    gen_ms: f64,
    generated: bool,
    fallbacks: usize,
    first_error: String,
}

#[derive(Default)]
struct CrateResult {
    errors: usize,
    warnings: usize,
    first: Option<String>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut out = PathBuf::from("target/corpus");
    let mut only: Option<String> = None;
    let mut compile = true;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = PathBuf::from(args.next().expect("--out DIR")),
            "--only" => only = args.next(),
            "--no-compile" => compile = false,
            "-h" | "--help" => {
                println!(
                    "usage: corpus [CORPUS_DIR] [--out DIR] [--only SUBSTRING] [--no-compile]"
                );
                return;
            }
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let dir = dir
        .or_else(|| std::env::var_os("OAPI_FORGE_CORPUS").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("../shared/corpus"));
    let mut specs = list_specs(&dir);
    if let Some(only) = &only {
        specs.retain(|s| s.contains(only.as_str()));
    }
    let ws = out.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&ws).expect("create workspace");

    let mut rows = Vec::new();
    let mut members = Vec::new();
    for rel in &specs {
        let slug = slug(rel);
        let path = dir.join(rel);
        let mut row = Row {
            spec: rel.clone(),
            slug: slug.clone(),
            version: String::new(),
            operations: 0,
            schemas: 0,
            gen_ms: 0.0,
            generated: false,
            fallbacks: 0,
            first_error: String::new(),
        };
        let started = Instant::now();
        let result = oapi_forge::Config::new(&path)
            .server(ws.join(&slug).join("server"))
            .client(ws.join(&slug).join("client"))
            .server_crate_name(format!("{slug}-server"))
            .client_crate_name(format!("{slug}-client"))
            .generate();
        row.gen_ms = started.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(_) => {
                row.generated = true;
                members.push(format!("{slug}/server"));
                members.push(format!("{slug}/client"));
                if let Ok(doc) = oapi_forge::load::load(&path) {
                    row.version = doc.head.openapi.clone();
                    if doc.version == oapi_forge::load::SpecVersion::V2 {
                        row.version = "2.0 → 3.0".into();
                    }
                    if let Ok((api, _)) = oapi_forge::ir::lower(&doc) {
                        row.operations = api.operations.len();
                        row.schemas = api.types.len();
                        row.fallbacks = api.facts.value_fallbacks;
                    }
                }
            }
            Err(e) => row.first_error = e.to_string().lines().next().unwrap_or("").to_string(),
        }
        eprintln!(
            "generated {rel} in {:.0} ms{}",
            row.gen_ms,
            if row.generated { "" } else { " (FAILED)" }
        );
        rows.push(row);
    }

    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        ws.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    )
    .expect("write workspace");

    let mut results: BTreeMap<String, CrateResult> = BTreeMap::new();
    let mut check_secs = 0.0;
    if compile && !members.is_empty() {
        let started = Instant::now();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "clippy",
                "--workspace",
                "--keep-going",
                "--message-format=json",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(&ws)
            .env("CARGO_INCREMENTAL", "0")
            .env(
                "CARGO_TARGET_DIR",
                out.join("target").canonicalize().unwrap_or_else(|_| {
                    std::fs::create_dir_all(out.join("target")).ok();
                    out.join("target").canonicalize().expect("target dir")
                }),
            )
            .output()
            .expect("run cargo clippy");
        check_secs = started.elapsed().as_secs_f64();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if msg["reason"] != "compiler-message" {
                continue;
            }
            let name = msg["target"]["name"]
                .as_str()
                .unwrap_or("")
                .replace('_', "-");
            let level = msg["message"]["level"].as_str().unwrap_or("");
            let entry = results.entry(name).or_default();
            match level {
                "error" => {
                    entry.errors += 1;
                    if entry.first.is_none() {
                        let text = msg["message"]["rendered"]
                            .as_str()
                            .unwrap_or("")
                            .lines()
                            .take(3)
                            .collect::<Vec<_>>()
                            .join(" ⏎ ");
                        entry.first = Some(text);
                    }
                }
                "warning" => entry.warnings += 1,
                _ => {}
            }
        }
    }

    let report = render(&rows, &results, compile, check_secs);
    std::fs::create_dir_all(&out).ok();
    let path = out.join("REPORT.md");
    std::fs::write(&path, &report).expect("write report");
    println!("{}", report.lines().last().unwrap_or(""));
    println!("report: {}", path.display());
}

fn list_specs(dir: &Path) -> Vec<String> {
    if let Ok(index) = std::fs::read_to_string(dir.join("INDEX.tsv")) {
        return index
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').next())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

/// `oai-examples/v3.0__petstore.yaml` → `oai-examples-v3-0-petstore-yaml`.
fn slug(rel: &str) -> String {
    let mut s = String::from("c");
    for part in rel
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
    {
        if !part.is_empty() {
            s.push('-');
            s.push_str(part);
        }
    }
    s
}

fn render(
    rows: &[Row],
    results: &BTreeMap<String, CrateResult>,
    compiled: bool,
    check_secs: f64,
) -> String {
    let mut md = String::from("# Corpus report\n\n");
    let _ = writeln!(
        md,
        "| spec | version | operations | schemas | generation ms | generate | server | client | warnings | `Value` fallbacks | first error |"
    );
    md.push_str("|---|---|---|---|---|---|---|---|---|---|---|\n");
    let (mut gen_ok, mut server_ok, mut client_ok, mut fallbacks) = (0, 0, 0, 0);
    for r in rows {
        let server = results.get(&format!("{}-server", r.slug));
        let client = results.get(&format!("{}-client", r.slug));
        let ok = |c: Option<&CrateResult>| {
            r.generated && c.is_none_or(|c| c.errors == 0 && c.warnings == 0)
        };
        let status = |c: Option<&CrateResult>| {
            if !r.generated {
                "–"
            } else if !compiled {
                "not compiled"
            } else if ok(c) {
                "ok"
            } else {
                "FAIL"
            }
        };
        gen_ok += usize::from(r.generated);
        if compiled {
            server_ok += usize::from(ok(server));
            client_ok += usize::from(ok(client));
        }
        fallbacks += r.fallbacks;
        let warnings = server.map_or(0, |c| c.warnings) + client.map_or(0, |c| c.warnings);
        let first = if !r.first_error.is_empty() {
            r.first_error.clone()
        } else {
            server
                .and_then(|c| c.first.clone())
                .or_else(|| client.and_then(|c| c.first.clone()))
                .unwrap_or_default()
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {} |",
            r.spec,
            r.version,
            r.operations,
            r.schemas,
            r.gen_ms,
            if r.generated { "ok" } else { "FAIL" },
            status(server),
            status(client),
            warnings,
            r.fallbacks,
            first
                .replace('|', "\\|")
                .chars()
                .take(240)
                .collect::<String>()
        );
    }
    let n = rows.len();
    let _ = writeln!(
        md,
        "\n`cargo clippy -D warnings` of all generated crates: {check_secs:.0} s.\n"
    );
    let _ = write!(
        md,
        "Success: generate {gen_ok}/{n}, server {}/{n}, client {}/{n}, untyped-JSON fallbacks {fallbacks}",
        if compiled {
            server_ok.to_string()
        } else {
            "-".into()
        },
        if compiled {
            client_ok.to_string()
        } else {
            "-".into()
        },
    );
    md.push('\n');
    md
}
