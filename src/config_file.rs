//! `oapi-forge.toml`: the settings of a project in one file, read by
//! `oapi-forge generate` / `check` when no spec is given on the command line (or with
//! `--config FILE`). Every key maps onto one [`Config`] setter; unknown keys are
//! errors naming their line. Paths are relative to the file's directory.
//!
//! ```toml
//! spec = "openapi/petstore.yaml"   # or a list: ["openapi/v1.yaml", "openapi/v2.yaml"]
//!                                    # generates one server mounting every version
//! # out = "crates"            # shorthand: server in crates/server, client in crates/client
//! pagination = true           # recognise paginated operations (default true)
//!
//! [formats]                   # a schema `format` → your Rust type
//! decimal = "rust_decimal::Decimal"
//!
//! [names.schemas]             # component schema → Rust type name
//! Pet = "Animal"
//!
//! [names.operations]          # operationId → Rust method name
//! listPets = "all_pets"
//!
//! [server]                    # omit the section to skip the server
//! out = "crates/petstore-server"
//! crate-name = "petstore-server"
//! crate-version = "1.0.0"
//! error-style = "problem"     # "fastapi" (default) or "problem" (RFC 9457)
//!
//! [client]                    # omit the section to skip the client
//! out = "crates/petstore-client"
//! crate-name = "petstore-client"
//! crate-version = "1.0.0"
//! timeout-secs = 30           # default total timeout (none by default)
//! retries = 3                 # default retries of the retry policy (2 by default)
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, Error, Location, Severity};
use crate::{Config, ErrorStyle};

/// The name looked for in the current directory.
pub const FILE_NAME: &str = "oapi-forge.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    spec: Specs,
    out: Option<PathBuf>,
    pagination: Option<bool>,
    server: Option<Server>,
    client: Option<Client>,
    formats: Option<std::collections::BTreeMap<String, String>>,
    names: Option<Names>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Names {
    schemas: Option<std::collections::BTreeMap<String, String>>,
    operations: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Server {
    out: Option<PathBuf>,
    crate_name: Option<String>,
    crate_version: Option<String>,
    error_style: Option<Style>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Client {
    out: Option<PathBuf>,
    crate_name: Option<String>,
    crate_version: Option<String>,
    timeout_secs: Option<u64>,
    retries: Option<u32>,
}

/// One spec, or several API versions generated into one server and one client.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Specs {
    One(PathBuf),
    Many(Vec<PathBuf>),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Style {
    Fastapi,
    Problem,
}

/// Read `path` into a [`Config`].
pub fn load(path: &Path) -> Result<Config, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let file: File = toml::from_str(&text).map_err(|e| {
        let location = match e.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() as u64 + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
                Location::LineCol(line, col)
            }
            None => Location::File,
        };
        Error::Spec(vec![Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            location,
            message: format!("invalid configuration: {}", e.message()),
            hint: Some(
                "see the `oapi-forge.toml` reference in README.md for the keys and their types"
                    .into(),
            ),
        }])
    })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let at = |p: &PathBuf| base.join(p);
    let specs = match &file.spec {
        Specs::One(p) => std::slice::from_ref(p),
        Specs::Many(list) => list.as_slice(),
    };
    let Some((first, more)) = specs.split_first() else {
        return Err(Error::Config(format!(
            "{}: `spec` is an empty list; name at least one spec",
            path.display()
        )));
    };
    let mut config = more
        .iter()
        .fold(Config::new(at(first)), |c, p| c.add_spec(at(p)));
    if let Some(out) = &file.out {
        if file.server.is_none() || file.server.as_ref().is_some_and(|s| s.out.is_none()) {
            config = config.server(at(out).join("server"));
        }
        if file.client.is_none() || file.client.as_ref().is_some_and(|c| c.out.is_none()) {
            config = config.client(at(out).join("client"));
        }
    }
    if let Some(on) = file.pagination {
        config = config.pagination(on);
    }
    for (format, ty) in file.formats.iter().flatten() {
        config = config.map_format(format, ty);
    }
    if let Some(names) = &file.names {
        for (schema, name) in names.schemas.iter().flatten() {
            config = config.rename_schema(schema, name);
        }
        for (id, name) in names.operations.iter().flatten() {
            config = config.rename_operation(id, name);
        }
    }
    let needs_out = |section: &str| {
        Error::Config(format!(
            "{}: [{section}] needs `out` (or give a top-level `out`)",
            path.display()
        ))
    };
    if let Some(server) = &file.server {
        match &server.out {
            Some(dir) => config = config.server(at(dir)),
            None if file.out.is_none() => return Err(needs_out("server")),
            None => {}
        }
        if let Some(n) = &server.crate_name {
            config = config.server_crate_name(n);
        }
        if let Some(v) = &server.crate_version {
            config = config.server_crate_version(v);
        }
        if let Some(style) = &server.error_style {
            config = config.error_style(match style {
                Style::Fastapi => ErrorStyle::FastApi,
                Style::Problem => ErrorStyle::Problem,
            });
        }
    }
    if let Some(client) = &file.client {
        match &client.out {
            Some(dir) => config = config.client(at(dir)),
            None if file.out.is_none() => return Err(needs_out("client")),
            None => {}
        }
        if let Some(n) = &client.crate_name {
            config = config.client_crate_name(n);
        }
        if let Some(v) = &client.crate_version {
            config = config.client_crate_version(v);
        }
        if let Some(t) = client.timeout_secs {
            config = config.client_timeout(std::time::Duration::from_secs(t));
        }
        if let Some(r) = client.retries {
            config = config.client_retries(r);
        }
    }
    Ok(config)
}
