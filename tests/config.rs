//! `oapi-forge.toml` and the CLI ↔ `Config` mapping: every key and every flag has a
//! `Config` setter and the same effect.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use oapi_forge::{Config, ErrorStyle};

fn forge(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_oapi-forge"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run oapi-forge")
}

/// Every file under `dir`, relative path → contents.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    common::tree(dir)
        .into_iter()
        .map(|(p, bytes)| {
            (
                p.to_string_lossy().into_owned(),
                String::from_utf8(bytes).unwrap(),
            )
        })
        .collect()
}

const EVERY_KEY: &str = r#"# every key oapi-forge.toml knows
spec = "spec/petstore.yaml"
pagination = false

[server]
out = "gen/api-server"
crate-name = "pets-api"
crate-version = "2.1.0"
error-style = "problem"

[client]
out = "gen/api-client"
crate-name = "pets-sdk"
crate-version = "2.1.1"
timeout-secs = 30
retries = 5

[formats]
email = "String"

[names.schemas]
Pet = "Animal"

[names.operations]
listPets = "all_pets"
"#;

fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("spec")).unwrap();
    std::fs::copy(
        common::root().join("specs/petstore.yaml"),
        tmp.path().join("spec/petstore.yaml"),
    )
    .unwrap();
    tmp
}

#[test]
fn every_key_of_the_config_file_has_its_effect() {
    let tmp = project();
    std::fs::write(tmp.path().join("oapi-forge.toml"), EVERY_KEY).unwrap();
    // Discovered in the current directory when no spec is given.
    let o = forge(tmp.path(), &["generate"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let server = tree(&tmp.path().join("gen/api-server"));
    let client = tree(&tmp.path().join("gen/api-client"));
    assert!(server["Cargo.toml"].contains("name = \"pets-api\"\nversion = \"2.1.0\""));
    assert!(client["Cargo.toml"].contains("name = \"pets-sdk\"\nversion = \"2.1.1\""));
    assert!(server["src/generated/runtime.rs"].contains("error_style: ErrorStyle::Problem,"));
    let client_rs = &client["src/generated/client.rs"];
    assert!(client_rs.contains("max_retries: 5,"), "retries");
    assert!(
        client_rs.contains("timeout: Some(Duration::from_secs(30)),"),
        "timeout"
    );
    assert!(!client_rs.contains("pub fn stream("), "pagination = false");
    assert!(!server["src/generated/router.rs"].contains("fn page_links("));
    // [formats]: the mapped type replaces the format, and its check is gone.
    assert!(client["src/generated/models.rs"].contains("pub email: Option<String>,"));
    assert!(!server["src/generated/validation.rs"].contains(r#"format: Some("email")"#));
    // [names.*]
    assert!(server["src/generated/models.rs"].contains("pub struct Animal {"));
    assert!(server["src/generated/api.rs"].contains("fn all_pets("));
    assert!(client_rs.contains("pub fn all_pets("));

    // The same settings through the library, and through `--config` from elsewhere.
    let lib = Config::new(tmp.path().join("spec/petstore.yaml"))
        .server(tmp.path().join("lib/server"))
        .client(tmp.path().join("lib/client"))
        .server_crate_name("pets-api")
        .server_crate_version("2.1.0")
        .error_style(ErrorStyle::Problem)
        .pagination(false)
        .client_crate_name("pets-sdk")
        .client_crate_version("2.1.1")
        .client_timeout(std::time::Duration::from_secs(30))
        .client_retries(5)
        .map_format("email", "String")
        .rename_schema("Pet", "Animal")
        .rename_operation("listPets", "all_pets");
    lib.generate().unwrap();
    assert_eq!(tree(&tmp.path().join("lib/server")), server);
    assert_eq!(tree(&tmp.path().join("lib/client")), client);
    let elsewhere = tempfile::tempdir().unwrap();
    let o = forge(
        elsewhere.path(),
        &[
            "check",
            "--config",
            tmp.path().join("oapi-forge.toml").to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // A top-level `out` puts both crates under it; a missing section skips that crate.
    std::fs::write(
        tmp.path().join("only-client.toml"),
        "spec = \"spec/petstore.yaml\"\n[client]\nout = \"c\"\n",
    )
    .unwrap();
    let o = forge(tmp.path(), &["generate", "--config", "only-client.toml"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(tmp.path().join("c/src/generated/client.rs").exists());
    assert!(!tmp.path().join("server").exists());
    std::fs::write(
        tmp.path().join("both.toml"),
        "spec = \"spec/petstore.yaml\"\nout = \"both\"\n",
    )
    .unwrap();
    let o = forge(tmp.path(), &["generate", "--config", "both.toml"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        tmp.path()
            .join("both/server/src/generated/router.rs")
            .exists()
    );
    assert!(
        tmp.path()
            .join("both/client/src/generated/client.rs")
            .exists()
    );

    // Several specs: one server mounting each version, one client with a module each.
    std::fs::copy(
        common::root().join("specs/petstore-v2.yaml"),
        tmp.path().join("spec/petstore-v2.yaml"),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("versions.toml"),
        "spec = [\"spec/petstore.yaml\", \"spec/petstore-v2.yaml\"]\nout = \"versions\"\n",
    )
    .unwrap();
    let o = forge(tmp.path(), &["generate", "--config", "versions.toml"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let server = tree(&tmp.path().join("versions/server"));
    for file in ["v1/router.rs", "v2/router.rs", "runtime.rs", "mod.rs"] {
        assert!(
            server.contains_key(&format!("src/generated/{file}")),
            "{file}"
        );
    }
    assert!(server["src/generated/mod.rs"].contains("A: v1::api::Api + v2::api::Api,"));
    let client = tree(&tmp.path().join("versions/client"));
    assert!(client.contains_key("src/generated/v2/client.rs"));
    // The same through the library and through the command line.
    let lib_out = tmp.path().join("versions-lib");
    Config::new(tmp.path().join("spec/petstore.yaml"))
        .add_spec(tmp.path().join("spec/petstore-v2.yaml"))
        .out(&lib_out)
        .generate()
        .unwrap();
    assert_eq!(tree(&lib_out.join("server")), server);
    let cli_out = tmp.path().join("versions-cli");
    let o = forge(
        tmp.path(),
        &[
            "generate",
            "spec/petstore.yaml",
            "spec/petstore-v2.yaml",
            "--out",
            cli_out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(tree(&cli_out.join("client")), client);
    // Two specs mounted at the same path cannot share a server.
    let o = forge(
        tmp.path(),
        &[
            "generate",
            "spec/petstore.yaml",
            "spec/petstore.yaml",
            "--out",
            "clash",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("both mount at `/v1`"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!tmp.path().join("clash").exists(), "nothing written");
}

#[test]
fn unknown_keys_and_bad_values_are_errors_with_their_line() {
    let tmp = project();
    let with_typo = EVERY_KEY.replace("retries = 5", "retries = 5\nretry = 3");
    std::fs::write(tmp.path().join("oapi-forge.toml"), &with_typo).unwrap();
    let o = forge(tmp.path(), &["generate"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr
            .contains("oapi-forge.toml:17:1: error: invalid configuration: unknown field `retry`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("17 | retry = 3"),
        "the line is shown: {stderr}"
    );
    assert!(!tmp.path().join("gen").exists(), "nothing written");

    let bad_style = EVERY_KEY.replace("\"problem\"", "\"xml\"");
    std::fs::write(tmp.path().join("oapi-forge.toml"), &bad_style).unwrap();
    let stderr = String::from_utf8_lossy(&forge(tmp.path(), &["generate"]).stderr).into_owned();
    assert!(stderr.contains("oapi-forge.toml:9:"), "{stderr}");
    assert!(stderr.contains("unknown variant `xml`"), "{stderr}");

    let bad_version = EVERY_KEY.replace("\"2.1.0\"", "\"two\"");
    std::fs::write(tmp.path().join("oapi-forge.toml"), &bad_version).unwrap();
    let stderr = String::from_utf8_lossy(&forge(tmp.path(), &["generate"]).stderr).into_owned();
    assert!(
        stderr.contains("`two` is not a semantic version"),
        "{stderr}"
    );
}

/// A flag of `generate`, its value, and the setter it must be equivalent to.
type Flag = (&'static str, Option<&'static str>, fn(Config) -> Config);

/// Each flag of `generate`, its value, and the `Config` it must be equivalent to.
fn flags() -> Vec<Flag> {
    vec![
        ("--server-crate-name", Some("x-server"), |c| {
            c.server_crate_name("x-server")
        }),
        ("--client-crate-name", Some("x-client"), |c| {
            c.client_crate_name("x-client")
        }),
        ("--server-crate-version", Some("3.0.0"), |c| {
            c.server_crate_version("3.0.0")
        }),
        ("--client-crate-version", Some("3.0.1"), |c| {
            c.client_crate_version("3.0.1")
        }),
        ("--error-style", Some("problem"), |c| {
            c.error_style(ErrorStyle::Problem)
        }),
        ("--no-pagination", None, |c| c.pagination(false)),
        ("--client-timeout-secs", Some("12"), |c| {
            c.client_timeout(std::time::Duration::from_secs(12))
        }),
        ("--client-retries", Some("0"), |c| c.client_retries(0)),
        ("--map-format", Some("uuid=String"), |c| {
            c.map_format("uuid", "String")
        }),
        ("--rename-schema", Some("Owner=Keeper"), |c| {
            c.rename_schema("Owner", "Keeper")
        }),
        ("--rename-operation", Some("getPet=pet"), |c| {
            c.rename_operation("getPet", "pet")
        }),
    ]
}

#[test]
fn every_cli_flag_has_a_config_setter_with_the_same_output() {
    // The flags `generate --help` lists are exactly the ones mapped here (plus the
    // ones every invocation uses).
    let tmp = project();
    let help =
        String::from_utf8_lossy(&forge(tmp.path(), &["generate", "--help"]).stdout).into_owned();
    let mut listed: Vec<String> = help
        .split_whitespace()
        .filter(|w| w.starts_with("--"))
        .map(|w| w.trim_end_matches([',', '.']).to_string())
        .collect();
    listed.sort();
    listed.dedup();
    let mut known: Vec<String> = flags().iter().map(|(f, _, _)| f.to_string()).collect();
    known.extend(
        [
            "--server",
            "--client",
            "--out",
            "--config",
            "--verbose",
            "--help",
        ]
        .map(String::from),
    );
    known.sort();
    assert_eq!(
        listed, known,
        "a flag without a Config setter (or a stale list)"
    );

    let spec = tmp.path().join("spec/petstore.yaml");
    for (flag, value, setter) in flags() {
        let cli_out = tmp.path().join(format!("cli{flag}"));
        let lib_out = tmp.path().join(format!("lib{flag}"));
        let mut args = vec![
            "generate",
            spec.to_str().unwrap(),
            "--out",
            cli_out.to_str().unwrap(),
            flag,
        ];
        args.extend(value);
        let o = forge(tmp.path(), &args);
        assert!(
            o.status.success(),
            "{flag}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        setter(Config::new(&spec).out(&lib_out)).generate().unwrap();
        let (cli, lib) = (tree(&cli_out), tree(&lib_out));
        assert_eq!(cli, lib, "{flag} and its setter differ");
        // And the flag changes something.
        let default_out = tmp.path().join("default");
        if !default_out.exists() {
            Config::new(&spec).out(&default_out).generate().unwrap();
        }
        assert_ne!(cli, tree(&default_out), "{flag} has no effect");
    }
}
