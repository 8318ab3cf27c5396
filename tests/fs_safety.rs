//! File-system safety: a failed run leaves the previous output intact, nothing is
//! written through a symbolic link planted in the output, scaffold files are never
//! overwritten, and no temporary file is left behind.

mod common;

use std::path::PathBuf;

use oapi_forge::Config;

fn v1() -> PathBuf {
    common::root().join("specs/petstore.yaml")
}

fn v2() -> PathBuf {
    common::root().join("specs/petstore-v2.yaml")
}

#[test]
fn a_failure_mid_write_leaves_the_previous_output_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    Config::new(v1()).out(&out).generate().unwrap();
    let before = common::tree(&out);

    // Block the temporary file of the last generated client file: every server file
    // and the client models are staged before the failure. (Temporary files are
    // named after the process, which is this test.)
    let client_rs = out.join("client/src/generated/client.rs");
    let blocker = client_rs
        .parent()
        .unwrap()
        .join(format!(".client.rs.oapi-forge-{}.tmp", std::process::id()));
    std::fs::create_dir(&blocker).unwrap();
    let err = Config::new(v2()).out(&out).generate().unwrap_err();
    assert!(err.to_string().contains(".client.rs.oapi-forge-"), "{err}");
    std::fs::remove_dir(&blocker).unwrap();
    assert_eq!(
        common::tree(&out),
        before,
        "the failed run changed the output"
    );

    // Without the blocker the same run succeeds and leaves no temporary file.
    let report = Config::new(v2()).out(&out).generate().unwrap();
    assert!(report.changed().count() >= 8);
    assert!(
        common::tree(&out)
            .keys()
            .all(|p| !p.to_string_lossy().contains(".oapi-forge-")),
        "temporary files left"
    );
}

#[test]
fn symbolic_links_inside_the_output_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(out.join("server/src")).unwrap();
    // `generated` points outside the output directory.
    std::os::unix::fs::symlink(&elsewhere, out.join("server/src/generated")).unwrap();
    let err = Config::new(v1()).out(&out).generate().unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(
        std::fs::read_dir(&elsewhere).unwrap().next().is_none(),
        "wrote through the link"
    );
    assert!(!out.join("client").exists(), "nothing at all is written");

    // Files are staged as they are formatted: a link met in the client, after the
    // whole server was staged, still leaves nothing behind, directories included.
    let out = tmp.path().join("out1");
    std::fs::create_dir_all(out.join("client/src")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("client/src/generated")).unwrap();
    let err = Config::new(v1()).out(&out).generate().unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(
        !out.join("server").exists(),
        "the staged server was not removed"
    );
    assert!(std::fs::read_dir(&elsewhere).unwrap().next().is_none());

    // A link standing for one generated file is refused as well.
    let out = tmp.path().join("out2");
    Config::new(v1()).out(&out).generate().unwrap();
    let target = elsewhere.join("victim.rs");
    std::fs::write(&target, "precious").unwrap();
    let models = out.join("client/src/generated/models.rs");
    std::fs::remove_file(&models).unwrap();
    std::os::unix::fs::symlink(&target, &models).unwrap();
    let err = Config::new(v2()).out(&out).generate().unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");

    // The output directory itself may be a link: that is the user's choice.
    let real = tmp.path().join("real");
    std::fs::create_dir_all(&real).unwrap();
    let linked = tmp.path().join("linked");
    std::os::unix::fs::symlink(&real, &linked).unwrap();
    Config::new(v1()).out(&linked).generate().unwrap();
    assert!(real.join("server/src/generated/router.rs").exists());
}

#[test]
fn scaffold_files_are_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    Config::new(v1()).out(&out).generate().unwrap();
    let owned = [
        "server/Cargo.toml",
        "server/src/main.rs",
        "server/src/lib.rs",
        "server/src/handlers.rs",
        "client/Cargo.toml",
        "client/src/lib.rs",
    ];
    for f in owned {
        std::fs::write(out.join(f), format!("// mine: {f}\n")).unwrap();
    }
    // Even a spec of another API (every generated file changes) keeps them.
    Config::new(v2()).out(&out).generate().unwrap();
    for f in owned {
        assert_eq!(
            std::fs::read_to_string(out.join(f)).unwrap(),
            format!("// mine: {f}\n")
        );
    }
}
