//! The `oapi-forge` binary end to end: file ownership, idempotence, check mode, exit
//! codes and error locations.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

fn forge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oapi-forge"))
        .args(args)
        .output()
        .expect("run oapi-forge")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn spec(rel: &str) -> String {
    common::root()
        .join("specs")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

/// Every file under `dir` with its bytes and mtime, sorted by path.
fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let meta = std::fs::metadata(&p).unwrap();
                out.push((
                    p.clone(),
                    std::fs::read(&p).unwrap(),
                    meta.modified().unwrap(),
                ));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Petstore generated into a fresh temporary directory: the guard, the output
/// directory, and the `generate` arguments that produced it.
fn generated_petstore() -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let args: Vec<String> = vec![
        "generate".into(),
        spec("petstore.yaml"),
        "--out".into(),
        out.to_string_lossy().into_owned(),
    ];
    let o = forge(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{:?}", text(&o));
    (tmp, out, args)
}

#[test]
fn generate_twice_is_byte_identical_and_keeps_mtimes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = forge(&[
        "generate",
        &spec("petstore.yaml"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{:?}", text(&o));
    let first = snapshot_dir(&out);
    assert_eq!(first.len(), 16, "server (11) + client (5) files");
    std::thread::sleep(std::time::Duration::from_millis(50));
    let o = forge(&[
        "generate",
        &spec("petstore.yaml"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(
        text(&o)
            .0
            .contains("0 created, 0 updated, 10 unchanged, 6 kept"),
        "{:?}",
        text(&o)
    );
    assert_eq!(
        first,
        snapshot_dir(&out),
        "bytes or mtimes changed on the second run"
    );
}

#[test]
fn user_edits_to_scaffold_files_survive_regeneration() {
    let (_tmp, out, args) = generated_petstore();
    let handlers = out.join("server/src/handlers.rs");
    let edited = format!("{}\n// my implementation notes\n", common::read(&handlers));
    std::fs::write(&handlers, &edited).unwrap();
    let cargo = out.join("client/Cargo.toml");
    let cargo_edited = format!("{}\n[features]\nmine = []\n", common::read(&cargo));
    std::fs::write(&cargo, &cargo_edited).unwrap();
    // A generated file edited by hand is put back.
    let models = out.join("server/src/generated/models.rs");
    let pristine = common::read(&models);
    std::fs::write(&models, "// hand edit\n").unwrap();

    let o = forge(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{:?}", text(&o));
    assert_eq!(common::read(&handlers), edited);
    assert_eq!(common::read(&cargo), cargo_edited);
    assert_eq!(common::read(&models), pristine);
    assert!(text(&o).0.contains("updated"), "{:?}", text(&o));
}

#[test]
fn check_exits_0_when_fresh_and_1_after_the_spec_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let spec_copy = tmp.path().join("petstore.yaml");
    std::fs::copy(spec("petstore.yaml"), &spec_copy).unwrap();
    let out = tmp.path().join("out");
    let args = |cmd: &'static str| {
        vec![
            cmd.to_string(),
            spec_copy.to_string_lossy().into_owned(),
            "--out".into(),
            out.to_string_lossy().into_owned(),
        ]
    };
    let run = |cmd| {
        let a = args(cmd);
        forge(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // Before generating, everything is missing.
    let o = run("check");
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    assert!(!out.exists(), "check must not write");

    assert!(run("generate").status.success());
    let o = run("check");
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert!(text(&o).0.contains("up to date"));

    let before = snapshot_dir(&out);
    let changed = common::read(&spec_copy).replace(
        "      description: Error payload",
        "      description: Error payload (changed)",
    );
    assert_ne!(
        changed,
        common::read(&spec_copy),
        "the spec edit must apply"
    );
    std::fs::write(&spec_copy, changed).unwrap();
    let o = run("check");
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    let (stdout, _) = text(&o);
    // A unified diff of exactly the change.
    assert!(
        stdout.contains("--- a/") && stdout.contains("+++ b/"),
        "{stdout}"
    );
    assert!(stdout.contains("models.rs"), "{stdout}");
    assert!(
        stdout.contains("-/// Error payload returned for all non-2xx responses.")
            && stdout.contains("+/// Error payload (changed) returned for all non-2xx responses."),
        "{stdout}"
    );
    assert!(
        !stdout.contains("handlers.rs"),
        "scaffold files are never reported: {stdout}"
    );
    // `--stat`: one line per file; `--quiet`: nothing, same exit code.
    let mut a = args("check");
    a.push("--stat".into());
    let o = forge(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(1));
    let (stdout, _) = text(&o);
    assert!(
        stdout.lines().any(|l| l.ends_with("models.rs | +1 -1")),
        "{stdout}"
    );
    let mut a = args("check");
    a.push("--quiet".into());
    let o = forge(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o), (String::new(), String::new()));
    assert_eq!(before, snapshot_dir(&out), "check must not write");
}

#[test]
fn a_dependency_missing_from_the_users_cargo_toml_is_reported() {
    let (_tmp, out, args) = generated_petstore();
    let cargo = out.join("server/Cargo.toml");
    let without_uuid: String = common::read(&cargo)
        .lines()
        .filter(|l| !l.starts_with("uuid"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&cargo, &without_uuid).unwrap();
    let o = forge(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success());
    let (_, stderr) = text(&o);
    assert!(
        stderr
            .contains("server/Cargo.toml: warning: the generated code needs the dependency `uuid`")
            && stderr.contains("hint: add under [dependencies]: uuid = "),
        "{stderr}"
    );
    assert_eq!(
        common::read(&cargo),
        without_uuid,
        "the user's Cargo.toml is not touched"
    );
    // A dependency declared without a feature the generated code now uses.
    let without_feature = without_uuid.replace("\"compression-gzip\", ", "");
    assert_ne!(without_feature, without_uuid);
    std::fs::write(&cargo, &without_feature).unwrap();
    let o = forge(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let (_, stderr) = text(&o);
    assert!(
        stderr.contains("needs the feature(s) `compression-gzip` of `tower-http`")
            && stderr.contains("hint: change its line to: tower-http = "),
        "{stderr}"
    );
    // A Cargo.toml written before the generated code had the `full-serde` feature.
    let without_full_serde: String = without_feature
        .lines()
        .filter(|l| !l.starts_with("full-serde"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without_full_serde, without_feature);
    std::fs::write(&cargo, &without_full_serde).unwrap();
    let o = forge(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let (_, stderr) = text(&o);
    assert!(
        stderr.contains("uses the feature `full-serde`, which this Cargo.toml (yours, never rewritten) does not declare")
            && stderr.contains("hint: add under [features]: full-serde = []"),
        "{stderr}"
    );
}

#[test]
fn broken_yaml_reports_file_line_and_column_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = forge(&[
        "generate",
        &spec("invalid/broken-yaml.yaml"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let (_, stderr) = text(&o);
    assert!(
        stderr.contains("invalid/broken-yaml.yaml:9:20: error: invalid YAML"),
        "{stderr}"
    );
    // The source line with a caret under column 20; no colour codes off a terminal.
    assert!(
        stderr.contains("9 |       summary: List: things\n  |                    ^\n"),
        "{stderr}"
    );
    assert!(!stderr.contains('\x1b'), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!out.exists(), "no output directory may be created");
}

#[test]
fn dangling_ref_reports_its_json_pointer_and_leaves_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // A previous good run; the failing run must leave it exactly as it was.
    assert!(
        forge(&[
            "generate",
            &spec("petstore.yaml"),
            "--out",
            out.to_str().unwrap()
        ])
        .status
        .success()
    );
    let before = snapshot_dir(&out);
    let o = forge(&[
        "generate",
        &spec("invalid/dangling-ref.yaml"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let (_, stderr) = text(&o);
    assert!(
        stderr.contains("dangling-ref.yaml#/paths/~1things/get/responses/200/content/application~1json/schema: error: `$ref` target `#/components/schemas/Missing` does not exist"),
        "{stderr}"
    );
    assert_eq!(before, snapshot_dir(&out));
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let o = forge(&["validate", &spec("invalid/many-problems.yaml")]);
    assert_eq!(o.status.code(), Some(2));
    let (_, stderr) = text(&o);
    for expected in [
        "#/paths/~1a/get/responses/200/content/application~1json/schema: error: `$ref` target `#/components/schemas/Nope` does not exist",
        "#/paths/~1b/get/responses/200/content/application~1json/schema: error: cannot read referenced file",
        "#/components/schemas/Bad: error: malformed `$ref` `#components/schemas/NoSlash`",
        "#/info: error: missing required field `info.version`",
        "#/paths/~1a/get/parameters/0/in: error: parameter location `body` is not one of query, header, path, cookie",
        "5 errors found",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn warnings_point_at_the_schema_or_operation_they_concern() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("conflict.yaml");
    std::fs::write(
        &path,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                allOf:\n                  - {type: object, properties: {a: {type: string}}}\n                  - {type: object, properties: {a: {type: integer}}}\ncomponents:\n  schemas:\n    Both:\n      allOf:\n        - {type: object, properties: {b: {type: string}}}\n        - {type: object, properties: {b: {type: boolean}}}\n",
    )
    .unwrap();
    let o = forge(&["validate", path.to_str().unwrap()]);
    assert!(o.status.success(), "{:?}", text(&o));
    let (_, stderr) = text(&o);
    assert!(
        stderr.contains("conflict.yaml#/components/schemas/Both: warning: property `b`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("conflict.yaml#/paths/~1x/get: warning: property `a`"),
        "{stderr}"
    );
}

#[test]
fn missing_info_is_reported_at_the_root() {
    let o = forge(&["validate", &spec("invalid/missing-info.json")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o)
            .1
            .contains("missing-info.json#/: error: missing required field `info`"),
        "{:?}",
        text(&o)
    );
}

#[test]
fn validate_accepts_every_example_spec() {
    for (name, path) in common::example_specs() {
        let o = forge(&["validate", path.to_str().unwrap()]);
        assert!(o.status.success(), "{name}: {:?}", text(&o));
    }
}

#[test]
fn unreadable_spec_and_missing_output_are_bad_input() {
    let o = forge(&["generate", "/nonexistent/spec.yaml", "--out", "/tmp/never"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o)
            .1
            .contains("/nonexistent/spec.yaml: error: cannot read the spec")
    );
    let o = forge(&["generate", &spec("petstore.yaml")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("no output directory"), "{:?}", text(&o));
}

#[test]
fn help_shows_examples_and_version_prints() {
    let (stdout, _) = text(&forge(&["--help"]));
    assert!(
        stdout.contains("Examples:") && stdout.contains("oapi-forge generate specs/petstore.yaml"),
        "{stdout}"
    );
    let (stdout, _) = text(&forge(&["--version"]));
    assert!(stdout.starts_with("oapi-forge "), "{stdout}");
}

#[test]
fn external_refs_are_read_relative_to_the_referring_file() {
    let out = oapi_forge::Config::new(spec("refs/api.yaml"))
        .render()
        .unwrap();
    let names: Vec<String> = out
        .inputs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["api.yaml", "common.yaml", "tag.yaml"]);
    let models = out
        .files
        .iter()
        .find(|f| f.path.ends_with("generated/models.rs"))
        .unwrap();
    for ty in [
        "pub struct Item",
        "pub struct Category",
        "pub struct Tag",
        "pub enum TagColor",
        "pub struct TreeNode",
        "pub struct Employee",
        "pub struct Manager",
    ] {
        assert!(models.contents.contains(ty), "missing {ty}");
    }
    // Recursion is boxed only where a value would contain itself.
    assert!(
        models
            .contents
            .contains("pub parent: Option<Box<TreeNode>>"),
        "{}",
        models.contents
    );
    assert!(
        models
            .contents
            .contains("pub children: Option<Vec<TreeNode>>")
            || models.contents.contains("pub children: Vec<TreeNode>")
    );
}

#[test]
fn version_and_shell_completions() {
    let o = forge(&["--version"]);
    assert!(o.status.success());
    assert_eq!(
        text(&o).0.trim(),
        format!("oapi-forge {}", env!("CARGO_PKG_VERSION"))
    );
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = forge(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let (stdout, _) = text(&o);
        assert!(
            stdout.contains("generate") && stdout.contains("client-crate-name"),
            "{shell}: {stdout}"
        );
    }
}
