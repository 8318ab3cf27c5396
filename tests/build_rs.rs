//! The `build.rs` workflow: `examples/build-rs-client` generates its client into
//! `OUT_DIR` from a spec that `$ref`s two more files. It must build, rerun its build
//! script when the spec or a referenced file changes and only then, and fail with a
//! readable message on a broken spec.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn build(krate: &Path, target: &Path, spec: &Path) -> Output {
    Command::new(env!("CARGO"))
        .args(["build", "-v"])
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .env("SPEC", spec)
        .output()
        .expect("run cargo")
}

/// Whether cargo ran the package's build script in this build.
fn ran_build_script(out: &Output) -> bool {
    String::from_utf8_lossy(&out.stderr).lines().any(|l| {
        l.contains("Running") && l.contains("build-rs-client-") && l.contains("build-script-build")
    })
}

fn bump_mtime(path: &Path) {
    let file = std::fs::File::options().append(true).open(path).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    file.set_modified(std::time::SystemTime::now()).unwrap();
}

#[test]
fn build_script_generates_and_reruns_only_on_spec_changes() {
    let root = common::root();
    let base = root.join("target/build-rs-test");
    let _ = std::fs::remove_dir_all(&base);
    let krate = base.join("crate");
    copy_dir(&root.join("examples/build-rs-client"), &krate);
    let manifest = krate.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap().replace(
        "oapi-forge = { path = \"../..\" }",
        &format!("oapi-forge = {{ path = {:?} }}", root.display().to_string()),
    );
    std::fs::write(&manifest, text).unwrap();
    let _ = std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock"));
    let specs = base.join("spec");
    copy_dir(&root.join("specs/refs"), &specs);
    let spec: PathBuf = specs.join("api.yaml");
    // Shares compiled dependencies with the generated-crates workspace.
    let target = root.join("target/generated-crates/target");

    let out = build(&krate, &target, &spec);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "first build failed:\n{stderr}");
    assert!(ran_build_script(&out), "{stderr}");

    // cargo's record of the build script: every input is a rerun trigger.
    let build_dirs: Vec<PathBuf> = std::fs::read_dir(target.join("debug/build"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("build-rs-client-"))
                && p.join("output").exists()
        })
        .collect();
    let outputs: String = build_dirs
        .iter()
        .map(|d| std::fs::read_to_string(d.join("output")).unwrap())
        .collect();
    for file in ["api.yaml", "common.yaml", "schemas/tag.yaml"] {
        let line = format!("cargo:rerun-if-changed={}", specs.join(file).display());
        assert!(outputs.contains(&line), "missing {line} in:\n{outputs}");
    }
    let generated = build_dirs
        .iter()
        .map(|d| d.join("out/api_client.rs"))
        .find(|p| p.exists())
        .expect("generated file in OUT_DIR");
    let contents = std::fs::read_to_string(&generated).unwrap();
    assert!(
        contents.contains("pub mod models {") && contents.contains("mod client {"),
        "{contents}"
    );

    // Nothing changed: the build script does not run.
    let out = build(&krate, &target, &spec);
    assert!(out.status.success());
    assert!(
        !ran_build_script(&out),
        "reran without a change:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A file reached only through `$ref` changes: it runs again.
    bump_mtime(&specs.join("schemas/tag.yaml"));
    let out = build(&krate, &target, &spec);
    assert!(out.status.success());
    assert!(
        ran_build_script(&out),
        "did not rerun after a $ref'd file changed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = build(&krate, &target, &spec);
    assert!(!ran_build_script(&out), "reran twice");

    // A broken spec fails the build with the CLI's message (file:line:column).
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'\npaths: {}\n",
    )
    .unwrap();
    let out = build(&krate, &target, &spec);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a broken spec must fail the build");
    assert!(
        stderr.contains("oapi-forge:") && stderr.contains("api.yaml:"),
        "{stderr}"
    );
}
