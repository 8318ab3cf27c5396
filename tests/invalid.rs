//! The malformed-spec suite: every file in `specs/invalid/` must fail with exit code
//! 2, the exact location and message listed here, and nothing written.

mod common;

use std::process::Command;

/// Spec → the diagnostics it must produce (each a whole `location: error: message`
/// line of stderr, in order).
const CASES: &[(&str, &[&str])] = &[
    (
        "broken-yaml.yaml",
        &[
            "broken-yaml.yaml:9:20: error: invalid YAML: mapping values are not allowed in this context",
        ],
    ),
    (
        "dangling-ref.yaml",
        &[
            "dangling-ref.yaml#/paths/~1things/get/responses/200/content/application~1json/schema: error: `$ref` target `#/components/schemas/Missing` does not exist",
        ],
    ),
    (
        "duplicate-keys.json",
        &["duplicate-keys.json:1:81: error: duplicate key `paths` in this object"],
    ),
    (
        "duplicate-keys.yaml",
        &["duplicate-keys.yaml:8:3: error: invalid YAML: duplicate mapping key: /pets"],
    ),
    ("empty.yaml", &["empty.yaml: error: the spec is empty"]),
    (
        "malformed-ref.yaml",
        &[
            "malformed-ref.yaml#/paths/~1pets/get/responses/200/content/application~1json/schema: error: malformed `$ref` `#components/schemas/Pet`: the part after `#` must be a JSON pointer starting with `/`",
            "malformed-ref.yaml#/paths/~1pets/get/responses/404/content/application~1json/schema/$ref: error: `$ref` must be a string, found `42`",
        ],
    ),
    (
        "many-problems.yaml",
        &[
            "many-problems.yaml#/paths/~1b/get/responses/200/content/application~1json/schema: error: cannot read referenced file `specs/invalid/other.yaml`: No such file or directory (os error 2)",
            "many-problems.yaml#/components/schemas/Bad: error: malformed `$ref` `#components/schemas/NoSlash`: the part after `#` must be a JSON pointer starting with `/`",
            "many-problems.yaml#/paths/~1a/get/responses/200/content/application~1json/schema: error: `$ref` target `#/components/schemas/Nope` does not exist",
            "many-problems.yaml#/info: error: missing required field `info.version`",
            "many-problems.yaml#/paths/~1a/get/parameters/0/in: error: parameter location `body` is not one of query, header, path, cookie",
        ],
    ),
    (
        "missing-info.json",
        &["missing-info.json#/: error: missing required field `info`"],
    ),
    (
        "missing-required.yaml",
        &["missing-required.yaml#/info: error: missing required field `info.title`"],
    ),
    (
        "not-a-map.yaml",
        &["not-a-map.yaml#/: error: the document is not a map"],
    ),
    (
        "not-utf8.yaml",
        &["not-utf8.yaml:2:16: error: the spec is not valid UTF-8 (byte 0xff)"],
    ),
    (
        "ref-escape.yaml",
        &[
            "ref-escape.yaml#/paths/~1pets/get/responses/200/content/application~1json/schema: error: `$ref` `../../../../../../../../etc/passwd` reaches `/etc/passwd`, outside the spec's directory; refusing to read it",
        ],
    ),
    (
        "ref-url.yaml",
        &[
            "ref-url.yaml#/paths/~1pets/get/responses/200/content/application~1json/schema: error: remote reference `https://example.com/schemas/pet.yaml#/Pet` is not supported",
        ],
    ),
    (
        "truncated.json",
        &["truncated.json:1:114: error: EOF while parsing a string"],
    ),
    (
        "truncated.yaml",
        &["truncated.yaml:10:24: error: invalid YAML: unclosed quote"],
    ),
    (
        "unknown-version.yaml",
        &["unknown-version.yaml#/openapi: error: unsupported OpenAPI version `4.0.0`"],
    ),
    (
        "wrong-types.yaml",
        &[
            "wrong-types.yaml#/info: error: `info` must be a map",
            "wrong-types.yaml#/paths: error: `paths` must be a map",
        ],
    ),
];

#[test]
fn every_invalid_spec_fails_with_its_exact_error_and_writes_nothing() {
    let root = common::root();
    let mut listed: Vec<String> = std::fs::read_dir(root.join("specs/invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .collect();
    listed.sort();
    let mut covered: Vec<String> = CASES.iter().map(|(f, _)| f.to_string()).collect();
    covered.sort();
    assert_eq!(
        listed, covered,
        "every file in specs/invalid/ has its expectation"
    );

    let tmp = tempfile::tempdir().unwrap();
    for (file, expected) in CASES {
        let out = tmp.path().join(file);
        let o = Command::new(env!("CARGO_BIN_EXE_oapi-forge"))
            .current_dir(&root)
            .args(["generate", &format!("specs/invalid/{file}"), "--out"])
            .arg(&out)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{file}: {stderr}");
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .map(|l| l.strip_prefix("specs/invalid/").unwrap_or(l))
            .collect();
        assert_eq!(&errors, expected, "{file}");
        // Every error comes with a hint on what to do.
        assert_eq!(
            stderr.matches("\n  hint: ").count() + usize::from(stderr.starts_with("  hint: ")),
            expected.len(),
            "{file}: {stderr}"
        );
        assert!(stderr.contains("nothing was written"), "{file}: {stderr}");
        assert!(!out.exists(), "{file}: something was written");
    }
    eprintln!(
        "malformed-spec suite: {} specs, {} diagnostics",
        CASES.len(),
        CASES.iter().map(|(_, e)| e.len()).sum::<usize>()
    );
}
