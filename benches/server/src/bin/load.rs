//! A small closed-loop HTTP load generator: `load URL METHOD BODY CONNECTIONS SECONDS`
//! (BODY `-` for none). Prints one JSON line: requests/s, p50/p99 latency (ms),
//! and how many answers were not the expected 2xx.

use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, method, body, connections, seconds] = args.as_slice() else {
        eprintln!("usage: load URL METHOD BODY CONNECTIONS SECONDS");
        std::process::exit(2);
    };
    let connections: usize = connections.parse().expect("connections");
    let duration = Duration::from_secs(seconds.parse().expect("seconds"));
    let body = (body != "-").then(|| body.clone());
    let method: reqwest::Method = method.parse().expect("method");
    let client = reqwest::Client::builder().pool_max_idle_per_host(connections).build().expect("client");
    // Warm-up: open the connections.
    let warm_until = Instant::now() + Duration::from_secs(1);
    let start_at = warm_until;
    let deadline = start_at + duration;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, url, method, body) = (client.clone(), url.clone(), method.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(100_000);
            let mut bad = 0u64;
            loop {
                let started = Instant::now();
                if started >= deadline {
                    break;
                }
                let mut request = client.request(method.clone(), &url).header("authorization", "Bearer secret-token");
                if let Some(b) = &body {
                    request = request.header("content-type", "application/json").body(b.clone());
                }
                let ok = match request.send().await {
                    Ok(r) => {
                        let ok = r.status().is_success();
                        let _ = r.bytes().await;
                        ok
                    }
                    Err(_) => false,
                };
                if started >= start_at {
                    latencies.push(started.elapsed().as_micros() as u64);
                    if !ok {
                        bad += 1;
                    }
                }
            }
            (latencies, bad)
        }));
    }
    let mut all = Vec::new();
    let mut bad = 0;
    for t in tasks {
        let (l, b) = t.await.expect("task");
        all.extend(l);
        bad += b;
    }
    all.sort_unstable();
    let pct = |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or(0) as f64 / 1000.0;
    println!(
        "{{\"requests\":{},\"rps\":{:.0},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"non_2xx\":{}}}",
        all.len(),
        all.len() as f64 / duration.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        bad
    );
}
