//! The injection suite: `specs/hostile/api.yaml` puts Rust syntax, comment
//! terminators, attributes, quotes, backslashes, newlines, confusable letters and
//! empty strings into every place a spec string reaches generated code. The compile
//! test builds and clippy-checks the result; here we check that each string is
//! carried literally and that none of it becomes code.

mod common;

use oapi_forge::{Config, Ownership, Target};

fn hostile() -> Vec<oapi_forge::GeneratedFile> {
    Config::new(common::root().join("specs/hostile/api.yaml"))
        .render()
        .expect("the hostile spec is valid")
        .files
}

#[test]
fn spec_text_never_becomes_code() {
    let files = hostile();
    let mut checked = 0;
    for f in files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
    {
        let mut in_doc_fence = false;
        for (n, line) in f.contents.lines().enumerate() {
            let code = line.trim_start();
            let is_comment = code.starts_with("//");
            // Every `injected_…` from a description, summary or title sits in a comment.
            if line.contains("injected") {
                assert!(
                    is_comment,
                    "{}:{}: spec text outside a comment: {line}",
                    f.path.display(),
                    n + 1
                );
                checked += 1;
            }
            // Code fences from the spec are plain text, never doctests rustdoc would
            // compile and run.
            let doc = code
                .strip_prefix("///")
                .or_else(|| code.strip_prefix("//!"));
            if let Some(rest) = doc.map(str::trim)
                && let Some(lang) = rest.strip_prefix("```")
            {
                if !in_doc_fence {
                    assert!(
                        lang == "text" || lang == "json" || lang == "ignore",
                        "{}:{}: a fence rustdoc would run: {line}",
                        f.path.display(),
                        n + 1
                    );
                }
                in_doc_fence = !in_doc_fence;
            }
            // No attribute or item can open inside a doc line: `*/` and `#![` stay text.
            if !is_comment {
                assert!(
                    !code.starts_with("#![no_std]") && !code.starts_with("#![forbid"),
                    "{line}"
                );
            }
        }
    }
    assert!(
        checked >= 6,
        "the hostile strings reach the docs ({checked} lines)"
    );
}

#[test]
fn wire_names_are_carried_literally() {
    let files = hostile();
    let models = files
        .iter()
        .find(|f| f.target == Target::Client && f.path.ends_with("models.rs"))
        .expect("client models");
    for wire in [
        r##"rename = "a::b""##,
        r##"rename = "\"quoted\"""##,
        r##"rename = "back\\slash""##,
        r##"rename = "*/""##,
        r##"rename = "#[attr]""##,
        r##"rename = """##,
        r##"rename = "emoji 🦀""##,
        r##"rename = "nаme""##,
        r##"rename = "new\nline""##,
        r##"rename = "line one\nline \"two\"\\""##,
    ] {
        assert!(models.contents.contains(wire), "missing {wire}");
    }
    // Latin and Cyrillic look-alikes stay two fields.
    assert!(
        models.contents.contains(r#"rename = "name""#) || models.contents.contains("pub name:")
    );
    let client = files
        .iter()
        .find(|f| f.target == Target::Client && f.path.ends_with("client.rs"))
        .unwrap();
    assert!(client.contents.contains(r#""X-Évil-Header""#));
    assert!(client.contents.contains(r#""q\"uote""#));
}

#[test]
fn the_spec_cannot_choose_paths_or_build_steps() {
    let files = hostile();
    let allowed = [
        "Cargo.toml",
        "src/main.rs",
        "src/lib.rs",
        "src/handlers.rs",
        "src/generated/mod.rs",
        "src/generated/runtime.rs",
        "src/generated/models.rs",
        "src/generated/api.rs",
        "src/generated/router.rs",
        "src/generated/openapi.json",
        "src/generated/validation.rs",
        "src/generated/client.rs",
    ];
    for f in &files {
        let p = f.path.to_string_lossy();
        assert!(allowed.contains(&p.as_ref()), "unexpected output path {p}");
        if p == "Cargo.toml" {
            assert_eq!(f.ownership, Ownership::Scaffold);
            // No build script, no proc-macro crate, no dependency the spec names.
            assert!(!f.contents.contains("build ="), "{}", f.contents);
            assert!(!f.contents.contains("proc-macro"), "{}", f.contents);
            let parsed: toml::Table =
                toml::from_str(&f.contents).expect("valid TOML despite the title");
            let description = parsed["package"]["description"].as_str().unwrap();
            assert!(
                description.ends_with(r#"Hostile */ #![no_std] "quotes" \ back`slash`"#),
                "{description}"
            );
        }
    }
}
