//! The parse-only floor of a spec: the time serde_json (JSON) or serde-saphyr (YAML)
//! takes to turn its bytes into a `serde_json::Value`, the median of several runs.
//! `benches/generator.sh` reports oapi-forge's stages against it.
//!
//! ```text
//! cargo run --release --example parse_floor -- SPEC… [--runs N]
//! ```

use std::time::{Duration, Instant};

fn main() {
    let mut runs = 7usize;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs);
        } else {
            files.push(a);
        }
    }
    for file in files {
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(2);
            }
        };
        let json = file.ends_with(".json");
        let mut times: Vec<Duration> = (0..runs.max(1))
            .map(|_| {
                let started = Instant::now();
                let value: serde_json::Value = if json {
                    serde_json::from_slice(&bytes).expect("valid JSON")
                } else {
                    let text = std::str::from_utf8(&bytes).expect("UTF-8");
                    serde_saphyr::from_str(text).expect("valid YAML")
                };
                let took = started.elapsed();
                drop(value);
                took
            })
            .collect();
        times.sort();
        println!(
            "{file}\t{:.1}",
            times[times.len() / 2].as_secs_f64() * 1000.0
        );
    }
}
