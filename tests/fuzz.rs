//! Property run ("fuzzing" without a nightly toolchain) over the loader and the
//! lowering to the IR: random bytes, mutations and splices of real specs, and
//! hand-made hostile documents. Every input must end in a document or a
//! diagnostic: no panic, and no input may take more than a few seconds (a hang
//! guard, not a benchmark).
//!
//! `cargo test --test fuzz` runs `OAPI_FORGE_FUZZ_CASES` inputs (default 20,000);
//! the full run is `OAPI_FORGE_FUZZ_CASES=1000000 cargo test --release --test fuzz
//! -- --nocapture` (see README). `OAPI_FORGE_FUZZ_SEED` picks another sequence.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oapi_forge::{ir, load, render};

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Fragments that reach interesting parser and loader paths when spliced in.
const TOKENS: &[&str] = &[
    "$ref: '#/components/schemas/Pet'",
    "$ref: '#/'",
    "$ref: '#'",
    "$ref: 'other.yaml#/x'",
    "$ref: '../../../../etc/passwd'",
    "$ref: 'https://example.com/x.yaml'",
    "{\"$ref\": \"#/components/schemas/Pet\"}",
    "allOf: [{$ref: '#/components/schemas/Pet'}]",
    "oneOf: []",
    "anyOf: [{}, {type: 'null'}]",
    "discriminator: {propertyName: kind}",
    "type: [string, 'null']",
    "additionalProperties: false",
    "nullable: true",
    "enum: []",
    "enum: [~, '', \"a\\nb\", 1e999]",
    "format: date-time",
    "pattern: '(('",
    "minimum: 1e309",
    "maximum: -1e309",
    "multipleOf: 0",
    "maxLength: -1",
    "minItems: 18446744073709551616",
    "items: {}",
    "prefixItems: [{}]",
    "required: [a, a]",
    "properties: {'': {}, 'type': {}, 'a::b': {}, '1x': {}}",
    "in: cookie",
    "style: deepObject",
    "openapi: 3.1.0",
    "openapi: 2.0",
    "swagger: '2.0'",
    "&a [1]",
    "*a",
    "<<: *a",
    "!!binary aGVsbG8=",
    "? [a, b]\n: c",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "\\u0000",
    "~1",
    "~0",
    "\t",
    "\n",
    "\n  ",
    "---\n",
    "...\n",
    "#",
    "%YAML 1.2\n",
    "null",
    "-0",
    ".nan",
    ".inf",
    "0x10",
    "1e999999",
    "99999999999999999999999999",
    "\u{FEFF}",
    "\u{202E}",
    "é",
];

/// A few hand-made hostile documents: deep nesting, alias bombs, huge values,
/// reference cycles.
fn hostile_documents() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    out.push((
        "deep JSON arrays".into(),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
    ));
    out.push((
        "deep JSON objects".into(),
        format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000)).into_bytes(),
    ));
    out.push((
        "deep YAML flow".into(),
        format!("{head}x: {}{}", "[".repeat(50_000), "]".repeat(50_000)).into_bytes(),
    ));
    let mut block = String::from(head);
    block.push_str("components:\n  schemas:\n    Deep:\n");
    for depth in 0..3_000 {
        block.push_str(&"  ".repeat(depth + 3));
        block.push_str("items:\n");
    }
    out.push(("deep YAML block".into(), block.into_bytes()));
    let mut laughs = String::from(head);
    laughs.push_str(
        "x-lol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for name in 'b'..='j' {
        laughs.push_str(&format!("x-{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = name;
    }
    out.push(("billion laughs".into(), laughs.into_bytes()));
    out.push((
        "huge numbers".into(),
        format!(
            "{head}components:\n  schemas:\n    N:\n      type: integer\n      minimum: 1{}\n      maximum: -1e400\n      multipleOf: 1e-400\n      default: {}\n",
            "0".repeat(5_000),
            "9".repeat(100_000)
        )
        .into_bytes(),
    ));
    out.push((
        "10 MB string".into(),
        format!("{head}x-big: \"{}\"\ncomponents:\n  schemas:\n    S: {{type: string, description: \"{}\"}}\n", "a".repeat(10 << 20), "b".repeat(1 << 20)).into_bytes(),
    ));
    out.push((
        "10 MB name".into(),
        format!(
            "{head}components:\n  schemas:\n    {}: {{type: string}}\n",
            "N".repeat(10 << 20)
        )
        .into_bytes(),
    ));
    let mut chain = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n",
    );
    for i in 0..5_000 {
        chain.push_str(&format!(
            "    S{i}: {{$ref: '#/components/schemas/S{}'}}\n",
            i + 1
        ));
    }
    chain.push_str("    S5000: {$ref: '#/components/schemas/S0'}\n");
    out.push(("5,000-link $ref cycle".into(), chain.into_bytes()));
    let mut wide = String::from(head);
    wide.push_str("components:\n  schemas:\n");
    for i in 0..2_000 {
        wide.push_str(&format!(
            "    A{i}: {{allOf: [{{$ref: '#/components/schemas/A{}'}}, {{type: object}}]}}\n",
            (i + 1) % 2_000
        ));
    }
    out.push(("2,000 allOf in a cycle".into(), wide.into_bytes()));
    out
}

/// Load, lower, and (for one input in `render_every`) render. Returns whether the
/// input was a valid spec.
fn run_one(path: &Path, bytes: &[u8], render_it: bool) -> bool {
    let Ok(doc) = load::load_bytes(path, bytes) else {
        return false;
    };
    let Ok((api, _)) = ir::lower(&doc) else {
        return true;
    };
    if render_it {
        // A formatting failure here is an `Error::Internal` (a bug worth knowing
        // about, but not a crash); the property is "no panic".
        let _ = render::render(&api, &render::RenderOptions::default());
    }
    true
}

fn seeds() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<PathBuf> = common::example_specs()
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    for sub in ["invalid", "hostile"] {
        if let Ok(dir) = std::fs::read_dir(common::root().join("specs").join(sub)) {
            files.extend(dir.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    // Small real-world specs (the big ones make each case slow without reaching
    // new code).
    let corpus = common::corpus_dir();
    if let Ok(index) = std::fs::read_to_string(corpus.join("INDEX.tsv")) {
        for line in index.lines().skip(1) {
            let mut cols = line.split('\t');
            let rel = cols.next().unwrap_or("");
            let bytes: usize = line
                .split('\t')
                .nth(6)
                .and_then(|b| b.parse().ok())
                .unwrap_or(usize::MAX);
            if bytes <= 40_000 {
                files.push(corpus.join(rel));
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect()
}

fn mutate(rng: &mut Rng, seeds: &[(PathBuf, Vec<u8>)]) -> (PathBuf, Vec<u8>) {
    let (path, base) = rng.pick(seeds);
    let mut bytes = base.clone();
    // Mostly one mutation, so that many inputs stay specs and reach the lowering.
    let rounds = if rng.below(4) == 0 {
        2 + rng.below(3)
    } else {
        1
    };
    for _ in 0..rounds {
        let len = bytes.len().max(1);
        let at = rng.below(len);
        match rng.below(8) {
            0 => {
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 => {
                let token = rng.pick(TOKENS).as_bytes();
                let at = at.min(bytes.len());
                bytes.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(bytes.len());
                let at = at.min(end);
                bytes.drain(at..end);
            }
            3 => bytes.truncate(at),
            4 => {
                let end = (at + rng.below(256)).min(bytes.len());
                let at = at.min(end);
                let copy = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            5 => {
                // Splice with another seed.
                let (_, other) = rng.pick(seeds);
                let from = rng.below(other.len().max(1)).min(other.len());
                let to = (from + rng.below(512)).min(other.len());
                let at = at.min(bytes.len());
                bytes.splice(at..at, other[from..to].iter().copied());
            }
            6 => {
                // Replace a line's value with a token (keeps YAML structure mostly).
                if let Some(colon) = bytes[at.min(bytes.len())..].iter().position(|b| *b == b':') {
                    let start = at + colon + 1;
                    let end = bytes[start..]
                        .iter()
                        .position(|b| *b == b'\n')
                        .map_or(bytes.len(), |e| start + e);
                    let token = format!(" {}", rng.pick(TOKENS));
                    bytes.splice(start..end, token.into_bytes());
                }
            }
            _ => {
                let n = rng.below(32);
                for _ in 0..n {
                    let b = (rng.next() & 0xff) as u8;
                    let at = rng.below(bytes.len() + 1);
                    bytes.insert(at, b);
                }
            }
        }
    }
    (path.clone(), bytes)
}

#[test]
fn loader_and_lowering_never_panic() {
    let cases: u64 = std::env::var("OAPI_FORGE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("OAPI_FORGE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_0a91);
    let seeds = seeds();
    assert!(seeds.len() >= 10, "seed specs found: {}", seeds.len());
    let guard = Duration::from_secs(20);
    let mut slowest = (Duration::ZERO, String::new());
    let mut panics = Vec::new();
    let mut valid = 0u64;
    let started = Instant::now();

    let mut check = |label: String, path: &Path, bytes: &[u8], render_it: bool| {
        let t = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| run_one(path, bytes, render_it))) {
            Ok(true) => valid += 1,
            Ok(false) => {}
            Err(_) => {
                let dump = std::env::temp_dir()
                    .join(format!("oapi-forge-fuzz-panic-{}.bin", panics.len()));
                let _ = std::fs::write(&dump, bytes);
                panics.push(format!("{label} (input saved to {})", dump.display()));
            }
        }
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, label);
        }
    };

    for (label, bytes) in hostile_documents() {
        if std::env::var_os("OAPI_FORGE_FUZZ_TRACE").is_some() {
            eprintln!("hostile: {label}");
        }
        check(label, Path::new("hostile.yaml"), &bytes, true);
    }
    let mut rng = Rng(seed | 1);
    for i in 0..cases {
        let (path, bytes) = match i % 16 {
            // Pure noise, sometimes behind a plausible first line.
            0 => {
                let n = rng.below(512);
                let mut b: Vec<u8> = (0..n).map(|_| (rng.next() & 0xff) as u8).collect();
                if rng.below(2) == 0 {
                    b.splice(0..0, b"openapi: 3.0.0\n".iter().copied());
                }
                (PathBuf::from("noise.yaml"), b)
            }
            _ => mutate(&mut rng, &seeds),
        };
        check(
            format!("case {i} (from {})", path.display()),
            &path,
            &bytes,
            i % 1000 == 1,
        );
    }
    let elapsed = started.elapsed();
    eprintln!(
        "fuzz: {cases} mutated/random inputs + {} hostile documents in {:.1} s, {valid} loaded as specs, {} panics; slowest input {:.0} ms ({})",
        hostile_documents().len(),
        elapsed.as_secs_f64(),
        panics.len(),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
    assert!(panics.is_empty(), "panics on: {panics:#?}");
    assert!(
        slowest.0 < guard,
        "an input took {:?}: {}",
        slowest.0,
        slowest.1
    );
}
