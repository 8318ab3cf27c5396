//! Every generated file of every example spec, as an insta snapshot under `snapshots/`.
//! Review changes like code (`cargo insta review`); `tests/compile.rs` proves the same
//! output compiles and is clippy-clean.

mod common;

use oapi_forge::{Config, Target};

#[test]
fn generated_files_match_snapshots() {
    let specs = common::example_specs();
    assert!(
        specs.len() >= 4,
        "expected the example specs, found {specs:?}"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(common::root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (name, spec) in &specs {
            let stem = common::crate_stem(name);
            let out = Config::new(spec)
                .server_crate_name(format!("{stem}-server"))
                .client_crate_name(format!("{stem}-client"))
                .render()
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(out.files.len() >= 15, "{name}: both crates rendered");
            for file in &out.files {
                let target = match file.target {
                    Target::Server => "server",
                    Target::Client => "client",
                };
                let path = file.path.to_string_lossy().replace('/', "__");
                insta::assert_snapshot!(format!("{name}__{target}__{path}"), file.contents);
            }
        }
    });
}

#[test]
fn rendering_is_deterministic() {
    for (name, spec) in common::example_specs() {
        let a = Config::new(&spec).render().unwrap();
        let b = Config::new(&spec).render().unwrap();
        assert_eq!(a.files, b.files, "{name}: two renders differ");
    }
}
