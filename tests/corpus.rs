//! Every real-world spec of the corpus (`../shared/corpus`, or `OAPI_FORGE_CORPUS`)
//! loads, lowers and renders (every Rust file parsed by syn and formatted) without an
//! error or a panic. Compiling all of them is `scripts/corpus.sh`; a representative
//! subset is compiled by `tests/compile.rs`.

mod common;

#[test]
fn every_corpus_spec_generates() {
    let dir = common::corpus_dir();
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap_or_else(|e| {
        panic!(
            "corpus index {}: {e}; set OAPI_FORGE_CORPUS to the corpus folder",
            dir.join("INDEX.tsv").display()
        )
    });
    let mut failures = Vec::new();
    let mut count = 0;
    for line in index.lines().skip(1) {
        let rel = line.split('\t').next().unwrap_or_default();
        if rel.is_empty() {
            continue;
        }
        count += 1;
        let spec = dir.join(rel);
        let result = std::panic::catch_unwind(|| oapi_forge::Config::new(&spec).render());
        match result {
            Ok(Ok(out)) => {
                if out.files.len() != 16 {
                    failures.push(format!("{rel}: {} files rendered", out.files.len()));
                }
            }
            Ok(Err(e)) => failures.push(format!("{rel}: {e}")),
            Err(_) => failures.push(format!("{rel}: PANIC")),
        }
    }
    assert!(count >= 56, "expected the 56 corpus specs, found {count}");
    assert!(
        failures.is_empty(),
        "{} of {count} specs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
