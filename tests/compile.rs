//! The generated crates of every example spec, built for real: `cargo build` with
//! `-D warnings`, `cargo clippy -D warnings`, the scaffolded petstore server started
//! and probed over HTTP, and the generated client driving the generated server.
//!
//! All crates share one workspace and one target directory under
//! `target/generated-crates`, so their dependencies compile once.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use oapi_forge::Config;

fn cargo(ws: &Path, target: &Path, args: &[&str]) {
    let status = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        // No debug info and no incremental state: the generated crates are built once
        // per run, and this keeps the target directory (and CI's disk) small.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .status()
        .expect("run cargo");
    assert!(
        status.success(),
        "cargo {args:?} failed in {}",
        ws.display()
    );
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start a scaffolded server binary on a free port with extra environment; returns a
/// guard that stops it and the address it announced.
fn start_server(binary: &Path, env: &[(&str, &str)]) -> (Server, String) {
    start_server_args(binary, &[], env)
}

/// [`start_server`] with command-line arguments.
fn start_server_args(binary: &Path, args: &[&str], env: &[(&str, &str)]) -> (Server, String) {
    let mut child = Command::new(binary)
        .args(args)
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
    let stdout = child.stdout.take().expect("piped stdout");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (server, addr)
}

/// One HTTP/1.1 request; returns status and body.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let (status, _, body) = http_full(addr, method, path, headers, body);
    (status, body)
}

/// One HTTP/1.1 request; returns status, the response head (lower-cased) and body.
/// Write and read errors are tolerated: a server may answer (413) and close before
/// reading the whole body.
fn http_full(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    exchange(addr, req.as_bytes(), Duration::ZERO)
}

/// Send `bytes` on a fresh connection, wait `pause`, read the whole answer; returns
/// its status (0 when the server closed without one), head (lower-cased) and body.
/// Write and read errors are tolerated.
fn exchange(addr: &str, bytes: &[u8], pause: Duration) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let _ = s.write_all(bytes);
    std::thread::sleep(pause);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw.as_str(), ""));
    (status, head.to_ascii_lowercase(), body.to_string())
}

/// Raw bytes to the server; returns the status of its answer (0 when it closed
/// without one) and its body. `pause` holds the connection open after writing (slow
/// bodies).
fn raw_request(addr: &str, bytes: &[u8], pause: Duration) -> (u16, String) {
    let (status, _, body) = exchange(addr, bytes, pause);
    (status, body)
}

/// The generated server under hostile traffic: malformed and hostile requests get
/// a 4xx with a structured body (or, below HTTP, a closed connection), never a 5xx
/// or a crash, and memory stays bounded.
fn hostile_traffic(binary: &Path) {
    let (server, addr) = start_server_args(
        binary,
        &["serve"],
        &[("REQUEST_TIMEOUT_SECS", "2"), ("BODY_LIMIT_BYTES", "65536")],
    );
    let auth = "Authorization: Bearer secret-token\r\n";
    let post = |body: &[u8], extra: &str| -> Vec<u8> {
        let mut r = format!(
            "POST /v1/pets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{auth}Content-Type: application/json\r\n{extra}Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r
    };
    let get = |target: &[u8], extra: &str| -> Vec<u8> {
        let mut r = b"GET ".to_vec();
        r.extend_from_slice(target);
        r.extend_from_slice(
            format!(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}\r\n").as_bytes(),
        );
        r
    };
    let deep = format!(
        "{{\"name\":\"x\",\"extra\":{}{}}}",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let wide = format!(
        "{{\"name\":\"x\",\"tags\":[{}\"a\"]}}",
        "\"a\",".repeat(6_000)
    );
    let long_header = format!("X-Request-Id: {}\r\n", "a".repeat(100_000));
    let many_headers: String = (0..500).map(|i| format!("X-H{i}: v\r\n")).collect();
    let cases: Vec<(&str, Vec<u8>, Duration)> = vec![
        ("truncated JSON", post(b"{\"name\": ", ""), Duration::ZERO),
        ("JSON with trailing garbage", post(b"{\"name\":\"a\"} x", ""), Duration::ZERO),
        ("not JSON at all", post(b"\x00\x01\x02", ""), Duration::ZERO),
        ("invalid UTF-8 in a JSON string", post(b"{\"name\":\"\xff\xfe\"}", ""), Duration::ZERO),
        ("lone surrogate escape", post(br#"{"name":"\ud800"}"#, ""), Duration::ZERO),
        ("NaN literal", post(b"{\"name\":\"a\",\"weightKg\":NaN}", ""), Duration::ZERO),
        ("Infinity literal", post(b"{\"name\":\"a\",\"weightKg\":Infinity}", ""), Duration::ZERO),
        ("number beyond f64", post(b"{\"name\":\"a\",\"weightKg\":1e400}", ""), Duration::ZERO),
        ("wrong type deep inside", post(br#"{"name":"a","owner":{"name":[1]}}"#, ""), Duration::ZERO),
        ("unknown fields", post(br#"{"name":"a","admin":true,"__proto__":{}}"#, ""), Duration::ZERO),
        ("duplicate JSON keys", post(br#"{"name":"a","name":"b"}"#, ""), Duration::ZERO),
        ("null for a required field", post(br#"{"name":null}"#, ""), Duration::ZERO),
        ("top-level array", post(b"[]", ""), Duration::ZERO),
        ("20,000-deep nesting in an unknown field", post(deep.as_bytes(), ""), Duration::ZERO),
        ("20,000-deep nesting in a field", post(deep.replace("extra", "tags").as_bytes(), ""), Duration::ZERO),
        ("6,000-element array", post(wide.as_bytes(), ""), Duration::ZERO),
        ("body over the limit", post(&vec![b' '; 70_000], ""), Duration::ZERO),
        (
            "Content-Length of 100 GB",
            format!("POST /v1/pets HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n{{").into_bytes(),
            Duration::ZERO,
        ),
        (
            "chunked body over the limit",
            {
                let mut r = format!("POST /v1/pets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").into_bytes();
                for _ in 0..20 {
                    r.extend_from_slice(format!("1000\r\n{}\r\n", " ".repeat(4096)).as_bytes());
                }
                r.extend_from_slice(b"0\r\n\r\n");
                r
            },
            Duration::ZERO,
        ),
        (
            "Content-Length and chunked together",
            format!("POST /v1/pets HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").into_bytes(),
            Duration::ZERO,
        ),
        (
            "slow body (timeout)",
            format!("POST /v1/pets HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"na").into_bytes(),
            Duration::from_secs(3),
        ),
        ("integer overflow in the path", get(b"/v1/pets/99999999999999999999999", ""), Duration::ZERO),
        ("negative overflow in the path", get(b"/v1/pets/-9223372036854775809", ""), Duration::ZERO),
        ("NaN in the query", get(b"/v1/pets?limit=NaN", ""), Duration::ZERO),
        ("overflow in the query", get(b"/v1/pets?limit=4294967296", ""), Duration::ZERO),
        ("duplicate scalar query parameter", get(b"/v1/pets?limit=1&limit=2", ""), Duration::ZERO),
        ("percent-encoded invalid UTF-8 in the query", get(b"/v1/pets?status=%FF%FE", ""), Duration::ZERO),
        ("raw invalid UTF-8 in the query", get(b"/v1/pets?status=\xff", ""), Duration::ZERO),
        ("percent-encoded invalid UTF-8 in the path", get(b"/v1/pets/%FF", ""), Duration::ZERO),
        ("raw invalid UTF-8 in the path", get(b"/v1/pets/\xff\xfe", ""), Duration::ZERO),
        ("dot segments", get(b"/v1/../../etc/passwd", ""), Duration::ZERO),
        ("encoded dot segments", get(b"/v1/pets/..%2F..%2Fetc%2Fpasswd", ""), Duration::ZERO),
        ("bad percent escape", get(b"/v1/pets?limit=%zz", ""), Duration::ZERO),
        ("invalid UTF-8 in a header", get(b"/v1/pets", "X-Request-Id: \u{ff}\u{fe}\r\n"), Duration::ZERO),
        ("100 kB header", get(b"/v1/pets", &long_header), Duration::ZERO),
        ("500 headers", get(b"/v1/pets", &many_headers), Duration::ZERO),
        (
            "empty bearer token",
            b"POST /v1/pets HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer \r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
            Duration::ZERO,
        ),
        ("malformed basic credentials", get(b"/v1/pets", "Authorization: Basic %%%\r\n"), Duration::ZERO),
        ("unknown method", b"BREW /v1/pets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), Duration::ZERO),
        ("garbage request line", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n".to_vec(), Duration::ZERO),
        ("HTTP/0.9", b"GET /v1/pets\r\n\r\n".to_vec(), Duration::ZERO),
        ("absolute-form target to another host", b"GET http://evil.example/v1/pets HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".to_vec(), Duration::ZERO),
    ];
    // What each case must get (reviewed one by one): 400 for bytes that are not
    // JSON or not HTTP, 413 over the limit (from `Content-Length` when given), 408
    // for a body that stalls, 422 for JSON or parameters that do not fit the spec,
    // 201/200 where the spec allows the input (unknown fields without
    // `additionalProperties: false`; a `Basic` header where only bearer or an API
    // key would count, on an operation that allows anonymous access).
    let expected: std::collections::HashMap<&str, u16> = [
        ("truncated JSON", 400),
        ("JSON with trailing garbage", 400),
        ("not JSON at all", 400),
        ("invalid UTF-8 in a JSON string", 400),
        ("lone surrogate escape", 400),
        ("NaN literal", 400),
        ("Infinity literal", 400),
        ("number beyond f64", 400),
        ("wrong type deep inside", 422),
        ("unknown fields", 201),
        ("duplicate JSON keys", 422),
        ("null for a required field", 422),
        ("top-level array", 422),
        ("20,000-deep nesting in an unknown field", 201),
        ("20,000-deep nesting in a field", 422),
        ("6,000-element array", 201),
        ("body over the limit", 413),
        ("Content-Length of 100 GB", 413),
        ("chunked body over the limit", 413),
        ("Content-Length and chunked together", 422),
        ("slow body (timeout)", 408),
        ("integer overflow in the path", 422),
        ("negative overflow in the path", 422),
        ("NaN in the query", 422),
        ("overflow in the query", 422),
        ("duplicate scalar query parameter", 422),
        ("percent-encoded invalid UTF-8 in the query", 422),
        ("raw invalid UTF-8 in the query", 400),
        ("percent-encoded invalid UTF-8 in the path", 422),
        ("raw invalid UTF-8 in the path", 400),
        ("dot segments", 404),
        ("encoded dot segments", 422),
        ("bad percent escape", 422),
        ("invalid UTF-8 in a header", 422),
        ("100 kB header", 422),
        ("500 headers", 431),
        ("empty bearer token", 401),
        ("malformed basic credentials", 200),
        ("unknown method", 405),
        ("garbage request line", 400),
        ("HTTP/0.9", 400),
        ("absolute-form target to another host", 200),
    ]
    .into_iter()
    .collect();
    assert_eq!(expected.len(), cases.len(), "an expectation per case");
    let mut answered = 0;
    for (name, bytes, pause) in &cases {
        let (status, body) = raw_request(&addr, bytes, *pause);
        assert!(status < 500, "{name}: {status} {body}");
        assert_eq!(Some(&status), expected.get(name), "{name}: {body}");
        if std::env::var_os("OAPI_FORGE_TRACE_HOSTILE").is_some() {
            eprintln!(
                "{status} {name}: {}",
                body.chars().take(150).collect::<String>()
            );
        }
        if status != 0 {
            answered += 1;
            // Rejections carry a structured body (hyper's own 400/431 for requests it
            // cannot parse at all have none).
            if status >= 400 && !body.is_empty() {
                let v: serde_json::Value =
                    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}: {body}"));
                assert!(v.get("detail").is_some(), "{name}: {body}");
            }
        }
    }
    // Still serving, and memory bounded after all of it.
    let (status, _) = http(&addr, "GET", "/v1/pets", &[], "");
    assert_eq!(status, 200, "the server survived");
    let peak_kb: u64 = std::fs::read_to_string(format!("/proc/{}/status", server.0.id()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0);
    assert!(peak_kb < 200 * 1024, "peak RSS {peak_kb} kB");
    eprintln!(
        "hostile traffic: {} cases, {answered} answered with a status, none 5xx; server peak RSS {} MB",
        cases.len(),
        peak_kb / 1024
    );
    drop(server);
}

/// The browser binary, if one is installed.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH")?
                .to_str()?
                .split(':')
                .map(|dir| Path::new(dir).join(name))
                .find(|p| p.is_file())
        })
}

/// `/docs` rendered by headless Chromium with every host but loopback unreachable:
/// every operation of the spec must be on the page (Swagger UI's assets come from
/// the binary). Skipped when no Chromium is installed, unless
/// `OAPI_FORGE_REQUIRE_BROWSER` is set (CI installs it). Leaves a screenshot at
/// `target/generated-crates/docs.png`.
fn docs_in_browser(addr: &str, out: &Path) {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("OAPI_FORGE_REQUIRE_BROWSER").is_none(),
            "OAPI_FORGE_REQUIRE_BROWSER is set but no chromium is installed"
        );
        eprintln!("note: chromium not installed; /docs browser check skipped");
        return;
    };
    let url = format!("http://{addr}/docs/");
    let profile = out.join("chromium-profile");
    let common = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--no-first-run".into(),
        format!("--user-data-dir={}", profile.display()),
        // Offline except loopback: names do not resolve, and anything not bypassed
        // goes to a dead proxy.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".into(),
        "--proxy-server=http://127.0.0.1:9".into(),
        "--proxy-bypass-list=<-loopback>;127.0.0.1".into(),
        "--virtual-time-budget=15000".into(),
        "--window-size=1280,2400".into(),
    ];
    let dom = Command::new(&browser)
        .args(&common)
        .args(["--dump-dom", &url])
        .output()
        .expect("run chromium");
    let html = String::from_utf8_lossy(&dom.stdout);
    let spec: serde_json::Value =
        serde_json::from_str(&http(addr, "GET", "/openapi.json", &[], "").1).expect("spec");
    let mut missing = Vec::new();
    let mut seen = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
            let Some(op) = item.get(method) else { continue };
            seen += 1;
            let path_shown = html.contains(&format!("data-path=\"{path}\""));
            let summary_shown = op["summary"].as_str().is_none_or(|s| html.contains(s));
            if !(path_shown && summary_shown) {
                missing.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(seen >= 6, "too few operations in the spec: {seen}");
    assert!(
        missing.is_empty(),
        "operations not rendered on /docs: {missing:?}\n{}",
        &html[..html.len().min(3000)]
    );
    let shot = out.join("docs.png");
    let _ = Command::new(&browser)
        .args(&common)
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output();
    assert!(shot.exists(), "no screenshot at {}", shot.display());
}

/// Schemathesis (property-based API testing from the spec) against the e2e crate's
/// implementation of the petstore server: no 5xx, every invalid request refused with a
/// 4xx, every valid one accepted, and every status, content type and response header
/// the server answers is documented in the spec it serves. Runs when `OAPI_FORGE_SCHEMATHESIS` names the `st`
/// executable (`.ci/run` installs it from PyPI); skipped with a note otherwise.
fn schemathesis(e2e: &Path, out: &Path) {
    let Some(st) = std::env::var_os("OAPI_FORGE_SCHEMATHESIS") else {
        eprintln!("note: OAPI_FORGE_SCHEMATHESIS not set; Schemathesis run skipped");
        return;
    };
    let (server, addr) = start_server_args(e2e, &["serve"], &[]);
    let report = out.join("schemathesis");
    let run = Command::new(st)
        .args(["run", &format!("http://{addr}/openapi.json")])
        .args(["--url", &format!("http://{addr}/v1")])
        .args(["-H", "Authorization: Bearer secret-token"])
        .args([
            "--checks",
            "not_a_server_error,negative_data_rejection,positive_data_acceptance,status_code_conformance,content_type_conformance,response_headers_conformance",
        ])
        .args([
            "--mode",
            "all",
            "--max-examples",
            "50",
            "--seed",
            "42",
            "--workers",
            "1",
        ])
        .args([
            "--generation-database",
            "none",
            "--continue-on-failure",
            "--no-color",
        ])
        .args(["--report", "junit", "--report-dir"])
        .arg(&report)
        .output()
        .expect("run schemathesis");
    drop(server);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "Schemathesis found problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn fixtures_dir() -> PathBuf {
    common::root().join("tests/fixtures")
}

#[test]
fn generated_crates_build_pass_clippy_and_serve() {
    let base = common::root().join("target/generated-crates");
    let ws = base.join("ws");
    let target = base.join("target");
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&ws).unwrap();

    let mut members: Vec<String> = Vec::new();
    for (name, spec) in common::example_specs() {
        let stem = common::crate_stem(name.as_str());
        Config::new(&spec)
            .server(ws.join(&stem).join("server"))
            .client(ws.join(&stem).join("client"))
            .server_crate_name(format!("{stem}-server"))
            .client_crate_name(format!("{stem}-client"))
            .generate()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        members.push(format!("{stem}/server"));
        members.push(format!("{stem}/client"));
    }
    // Two API versions generated together: one server mounting v1 and v2, one client
    // crate with a module per version.
    Config::new(common::root().join("specs/petstore.yaml"))
        .add_spec(common::root().join("specs/petstore-v2.yaml"))
        .server(ws.join("versions/server"))
        .client(ws.join("versions/client"))
        .server_crate_name("petstore-versions-server")
        .client_crate_name("petstore-versions-client")
        .generate()
        .unwrap_or_else(|e| panic!("v1 + v2: {e}"));
    members.push("versions/server".into());
    members.push("versions/client".into());
    // Type mappings and names from the configuration: `format: email` becomes the
    // user's `crate::email::Email` (a module of their own in each crate), `Pet` is
    // `Animal`, `listPets` is `all_pets`.
    Config::new(common::root().join("specs/petstore.yaml"))
        .map_format("email", "crate::email::Email")
        .rename_schema("Pet", "Animal")
        .rename_operation("listPets", "all_pets")
        .server(ws.join("mapped/server"))
        .client(ws.join("mapped/client"))
        .server_crate_name("mapped-server")
        .client_crate_name("mapped-client")
        .generate()
        .unwrap_or_else(|e| panic!("mapped: {e}"));
    for krate in ["server", "client"] {
        let dir = ws.join("mapped").join(krate);
        std::fs::copy(
            fixtures_dir().join("mapped/email.rs"),
            dir.join("src/email.rs"),
        )
        .unwrap();
        let lib = dir.join("src/lib.rs");
        let text = std::fs::read_to_string(&lib).unwrap();
        std::fs::write(&lib, format!("{text}\npub mod email;\n")).unwrap();
        members.push(format!("mapped/{krate}"));
    }
    let models = std::fs::read_to_string(ws.join("mapped/client/src/generated/models.rs")).unwrap();
    assert!(
        models.contains("pub email: Option<crate::email::Email>,"),
        "{models}"
    );
    assert!(models.contains("pub struct Animal {") && !models.contains("pub struct Pet {"));
    // A representative slice of the real-world corpus: 3.1 without paths, Swagger 2.0,
    // zero operations, allOf/oneOf/discriminators, recursion, naming conflicts,
    // duplicate operationIds, multipart. The full corpus is `scripts/corpus.sh`.
    let corpus = common::corpus_dir();
    for rel in CORPUS_SUBSET {
        let file = rel.rsplit('/').next().unwrap_or(rel);
        let stem = collapse_dashes(&format!("corpus-{}", common::crate_stem(file)));
        Config::new(corpus.join(rel))
            .server(ws.join(&stem).join("server"))
            .client(ws.join(&stem).join("client"))
            .server_crate_name(format!("{stem}-server"))
            .client_crate_name(format!("{stem}-client"))
            .generate()
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        members.push(format!("{stem}/server"));
        members.push(format!("{stem}/client"));
    }
    let fixtures = fixtures_dir();
    for fixture in ["e2e", "kitchen"] {
        copy_dir(&fixtures.join(fixture), &ws.join(fixture));
        members.push(fixture.into());
    }
    let roundtrip_cases = write_roundtrip_crate(&ws.join("roundtrip"));
    members.push("roundtrip".into());
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        ws.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    )
    .unwrap();
    // Pinned dependency versions, so a new release upstream cannot break CI overnight.
    let lock = fixtures.join("generated-workspace.lock");
    if lock.exists() {
        std::fs::copy(&lock, ws.join("Cargo.lock")).unwrap();
    }

    cargo(&ws, &target, &["build", "--workspace"]);
    cargo(
        &ws,
        &target,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    // `full-serde` gives the models a server only writes (and a client only sends)
    // `Deserialize` too; the client side is exercised by the round-trip crate.
    cargo(
        &ws,
        &target,
        &[
            "clippy",
            "-p",
            "petstore-server",
            "-p",
            "kitchen-sink-server",
            "--features",
            "petstore-server/full-serde,kitchen-sink-server/full-serde",
            "--",
            "-D",
            "warnings",
        ],
    );
    // Keep the pin current when specs (workspace members) are added.
    let resolved = std::fs::read(ws.join("Cargo.lock")).unwrap();
    if std::fs::read(&lock).ok().as_deref() != Some(resolved.as_slice()) {
        std::fs::write(&lock, resolved).unwrap();
    }

    // The scaffolded petstore server: 501 from the unimplemented handlers, 404 off-spec.
    let (server, addr) = start_server(
        &target.join("debug/petstore-server"),
        &[("BODY_LIMIT_BYTES", "4096")],
    );

    let (status, body) = http(&addr, "GET", "/v1/pets", &[], "");
    assert_eq!(status, 501, "{body}");
    let (status, _) = http(&addr, "GET", "/pets", &[], "");
    assert_eq!(
        status, 404,
        "operations are mounted under the server path /v1 only"
    );
    assert!(body.contains("listPets"), "{body}");
    let (status, body) = http(&addr, "GET", "/no/such/path", &[], "");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("\"detail\""), "{body}");
    let (status, body) = http(&addr, "GET", "/v1/pets/not-a-uuid", &[], "");
    assert_eq!(status, 422, "{body}");
    // The parameter is named as the spec names it.
    assert!(body.contains("\"loc\":[\"path\",\"petId\"]"), "{body}");
    let json = [("content-type", "application/json")];
    // Writes require a credential: 401 with a challenge per scheme without one; the
    // scaffold's `authenticate` refuses every credential until written (403).
    let (status, head, body) = http_full(&addr, "POST", "/v1/pets", &json, "{\"name\": \"Rex\"}");
    assert_eq!(status, 401, "{body}");
    assert!(
        head.contains("www-authenticate: bearer, apikey header=\"x-api-key\""),
        "{head}"
    );
    let bearer = [
        ("content-type", "application/json"),
        ("authorization", "Bearer some-token"),
    ];
    let (status, body) = http(&addr, "POST", "/v1/pets", &bearer, "{\"name\": \"Rex\"}");
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("bearerAuth"), "{body}");
    // A deprecated operation says so.
    let (status, head, _) = http_full(&addr, "GET", "/v1/pets/findByStatus?status=sold", &[], "");
    assert_eq!(status, 501);
    assert!(head.contains("\r\ndeprecation: true"), "{head}");
    let (status, body) = http(&addr, "GET", "/v1/pets?limit=abc", &[], "");
    assert_eq!(status, 422, "{body}");
    // Constraints the spec states are checked before the handler runs, all at once,
    // in FastAPI's shape.
    let (status, body) = http(&addr, "GET", "/v1/pets?limit=0", &[], "");
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains(r#""loc":["query","limit"]"#) && body.contains("greater_than_equal"),
        "{body}"
    );
    let (status, body) = http(&addr, "GET", "/v1/pets", &[("X-Request-Id", "nope")], "");
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("X-Request-Id"), "{body}");
    // Production middleware of the scaffolded main: spec, 405 with Allow, 413.
    let (status, body) = http(&addr, "GET", "/openapi.json", &[], "");
    assert_eq!(status, 200);
    // The spec as written, plus the errors the server answers by itself (422 where
    // input is validated, 400/413/415 where there is a body, 401/403 where
    // authentication is required) wherever the spec does not document that status,
    // with their body schemas.
    let mut served: serde_json::Value = serde_json::from_str(&body).expect("spec JSON");
    let mut added = std::collections::BTreeMap::<String, usize>::new();
    for item in served["paths"].as_object_mut().unwrap().values_mut() {
        for op in item.as_object_mut().unwrap().values_mut() {
            let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) else {
                continue;
            };
            let ours: Vec<String> = responses
                .iter()
                .filter(|(status, r)| {
                    let schema = &r["content"]["application/json"]["schema"]["$ref"];
                    if status.as_str() == "422" {
                        schema == "#/components/schemas/HTTPValidationError"
                    } else {
                        schema == "#/components/schemas/HTTPError"
                    }
                })
                .map(|(status, _)| status.clone())
                .collect();
            for status in ours {
                responses.remove(&status);
                *added.entry(status).or_default() += 1;
            }
        }
    }
    let added: Vec<(&str, usize)> = added.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    assert_eq!(
        added,
        [
            ("400", 1),
            ("401", 3),
            ("403", 4),
            ("413", 2),
            ("415", 2),
            ("422", 5)
        ],
        "createPet documents its own 400 and 422; listPets allows anonymous calls"
    );
    let schemas = served["components"]["schemas"].as_object_mut().unwrap();
    assert_eq!(
        schemas.remove("HTTPValidationError").unwrap()["properties"]["detail"]["items"]["$ref"],
        "#/components/schemas/ValidationError"
    );
    assert_eq!(
        schemas.remove("HTTPError").unwrap()["properties"]["detail"]["anyOf"][1]["items"]["$ref"],
        "#/components/schemas/ValidationError"
    );
    assert!(schemas.remove("ValidationError").is_some());
    let written: serde_json::Value =
        serde_saphyr::from_str(&common::read(&common::root().join("specs/petstore.yaml"))).unwrap();
    assert_eq!(served, written, "/openapi.json is the spec as written");
    let (status, body) = http(&addr, "GET", "/docs/", &[], "");
    assert_eq!(status, 200, "Swagger UI is served from the binary");
    assert!(body.contains("swagger-ui"), "{body}");
    let (status, body) = http(&addr, "GET", "/docs/swagger-initializer.js", &[], "");
    assert_eq!(status, 200);
    assert!(
        body.contains("/openapi.json"),
        "the docs page loads our spec: {body}"
    );
    let (status, head, body) = http_full(&addr, "PATCH", "/v1/pets", &[], "");
    assert_eq!(status, 405, "{head}");
    assert!(head.contains("allow: get,head,post"), "{head}");
    assert!(body.contains("\"detail\""), "{body}");
    docs_in_browser(&addr, &base);

    // Operations endpoints and middleware: health, readiness, metrics, request ids,
    // compression.
    let (status, body) = http(&addr, "GET", "/healthz", &[], "");
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ok"}"#));
    let (status, _) = http(&addr, "GET", "/readyz", &[], "");
    assert_eq!(status, 200);
    let (_, head, _) = http_full(
        &addr,
        "GET",
        "/v1/pets/findByStatus?status=sold",
        &[("x-request-id", "abc-123")],
        "",
    );
    assert!(
        head.contains("\r\nx-request-id: abc-123"),
        "the request id is echoed: {head}"
    );
    let (_, head, _) = http_full(&addr, "GET", "/healthz", &[], "");
    assert!(
        head.contains("\r\nx-request-id: "),
        "a request id is generated: {head}"
    );
    let (status, body) = http(&addr, "GET", "/metrics", &[], "");
    assert_eq!(status, 200);
    assert!(
        body.contains(
            r#"http_requests_total{method="GET",route="/v1/pets/findByStatus",status="501"} 2"#
        ),
        "{body}"
    );
    assert!(
        body.contains("http_request_duration_seconds_bucket{"),
        "{body}"
    );
    let (status, head, _) = http_full(
        &addr,
        "GET",
        "/openapi.json",
        &[("accept-encoding", "gzip")],
        "",
    );
    assert_eq!(status, 200);
    assert!(head.contains("\r\ncontent-encoding: gzip"), "{head}");
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(5000));
    let (status, body) = http(&addr, "POST", "/v1/pets", &json, &big);
    assert_eq!(status, 413, "{body}");
    drop(server);

    // The in-memory implementation of the e2e crate behind the same middleware:
    // bodies with a valid credential reach parsing and validation.
    let (server, addr) = start_server_args(&target.join("debug/e2e"), &["serve"], &[]);
    let json = [
        ("content-type", "application/json"),
        ("authorization", "Bearer secret-token"),
    ];
    let (status, body) = http(&addr, "POST", "/v1/pets", &json, "{\"name\": ");
    assert_eq!(status, 400, "{body}");
    let (status, body) = http(&addr, "POST", "/v1/pets", &json, "{\"name\": 5}");
    assert_eq!(status, 422, "{body}");
    // serde would take an array of field values for a struct; the spec does not.
    let (status, body) = http(&addr, "POST", "/v1/pets", &json, "[\"Rex\"]");
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("expected struct NewPet"), "{body}");
    let (status, body) = http(
        &addr,
        "POST",
        "/v1/pets",
        &json,
        r#"{"name": "Rex", "owner": ["Bob"]}"#,
    );
    assert_eq!(status, 422, "{body}");
    // Type errors name their place in the body.
    let (status, body) = http(
        &addr,
        "POST",
        "/v1/pets",
        &json,
        r#"{"name": "Rex", "tags": ["a", 3]}"#,
    );
    assert_eq!(status, 422, "{body}");
    assert!(body.contains(r#""loc":["body","tags",1]"#), "{body}");
    let (status, _) = http(
        &addr,
        "POST",
        "/v1/pets",
        &[
            ("content-type", "text/plain"),
            ("authorization", "Bearer secret-token"),
        ],
        "{}",
    );
    assert_eq!(status, 415);
    let (status, body) = http(&addr, "POST", "/v1/pets", &json, "{\"name\": \"Rex\"}");
    assert_eq!(status, 201, "valid input reaches the handler: {body}");
    // `null` for an optional field that is not nullable is invalid input.
    let (status, body) = http(
        &addr,
        "POST",
        "/v1/pets",
        &json,
        "{\"name\": \"Rex\", \"weightKg\": null}",
    );
    assert_eq!(status, 422, "{body}");
    let (status, _) = http(
        &addr,
        "POST",
        "/v1/pets",
        &[("content-type", "application/json"), ("x-api-key", "wrong")],
        "{\"name\": \"Rex\"}",
    );
    assert_eq!(status, 401, "an unknown key is refused");
    // Page bounds come from the spec: `limit` is at most 100.
    let (status, body) = http(&addr, "GET", "/v1/pets?limit=100000", &[], "");
    assert_eq!(status, 422, "{body}");
    assert!(body.contains(r#""loc":["query","limit"]"#), "{body}");
    let (status, head, _) = http_full(&addr, "GET", "/v1/pets?limit=1&status=available", &[], "");
    assert_eq!(status, 200, "{head}");
    assert!(
        head.contains("\r\nlink: </v1/pets?limit=1&status=available&offset=1>; rel=\"next\""),
        "{head}"
    );
    let (status, body) = http(
        &addr,
        "POST",
        "/v1/pets",
        &json,
        r#"{"name": "", "owner": {"name": "Ann", "email": "not-an-email"}}"#,
    );
    assert_eq!(status, 422, "{body}");
    let detail: serde_json::Value = serde_json::from_str(&body).expect("JSON error body");
    let locs: Vec<String> = detail["detail"]
        .as_array()
        .expect("detail list")
        .iter()
        .map(|v| v["loc"].to_string())
        .collect();
    assert_eq!(
        locs,
        [r#"["body","name"]"#, r#"["body","owner","email"]"#],
        "{body}"
    );
    assert_eq!(detail["detail"][0]["type"], "string_too_short");
    assert_eq!(detail["detail"][1]["input"], "not-an-email");
    drop(server);

    // Page sizes over the maximum clamped instead of refused, as configured.
    let (server, addr) = start_server_args(
        &target.join("debug/e2e"),
        &["serve"],
        &[("PAGE_SIZE_OVER_MAX", "clamp")],
    );
    let (status, body) = http(&addr, "GET", "/v1/pets?limit=100000", &[], "");
    assert_eq!((status, body.as_str()), (200, "[]"), "clamped to 100");
    drop(server);

    // Rate limiting per client and `Sunset` on deprecated operations, as configured.
    let (server, addr) = start_server(
        &target.join("debug/petstore-server"),
        &[
            ("RATE_LIMIT_PER_MINUTE", "2"),
            ("SUNSET", "Wed, 01 Jul 2026 00:00:00 GMT"),
        ],
    );
    let (_, head, _) = http_full(&addr, "GET", "/v1/pets/findByStatus?status=sold", &[], "");
    assert!(
        head.contains("\r\nsunset: wed, 01 jul 2026 00:00:00 gmt"),
        "{head}"
    );
    let (status, _) = http(&addr, "GET", "/v1/pets/findByStatus?status=sold", &[], "");
    assert_eq!(status, 501);
    let (status, head, body) =
        http_full(&addr, "GET", "/v1/pets/findByStatus?status=sold", &[], "");
    assert_eq!(status, 429, "{body}");
    assert!(head.contains("\r\nretry-after: "), "{head}");
    assert!(
        head.contains("\r\nx-request-id: "),
        "refused requests have ids too: {head}"
    );
    let (status, _) = http(
        &addr,
        "GET",
        "/v1/pets/findByStatus?status=sold",
        &[("authorization", "Bearer other")],
        "",
    );
    assert_eq!(status, 501, "another client has its own budget");
    // Refused requests are counted; a method no spec has cannot add label values.
    let (status, _) = http(
        &addr,
        "BREW",
        "/v1/pets",
        &[("authorization", "Bearer brew")],
        "",
    );
    assert_eq!(status, 405);
    let (_, metrics) = http(
        &addr,
        "GET",
        "/metrics",
        &[("authorization", "Bearer metrics")],
        "",
    );
    assert!(
        metrics.contains(
            r#"http_requests_total{method="GET",route="/v1/pets/findByStatus",status="429"} 1"#
        ) && metrics
            .contains(r#"http_requests_total{method="OTHER",route="/v1/pets",status="405"} 1"#),
        "{metrics}"
    );
    drop(server);

    schemathesis(&target.join("debug/e2e"), &base);
    hostile_traffic(&target.join("debug/e2e"));

    // Versions side by side: v1 and v2 generated from two specs into one server, in
    // one service with one middleware stack (the scaffolded binary, handlers 501).
    let (server, addr) = start_server(
        &target.join("debug/petstore-versions-server"),
        &[("PAGE_SIZE_OVER_MAX", "clamp")],
    );
    let (status, body) = http(&addr, "GET", "/v1/pets", &[], "");
    assert_eq!(status, 501, "{body}");
    let (status, head, _) = http_full(&addr, "GET", "/v1/pets/findByStatus?status=sold", &[], "");
    assert_eq!(status, 501);
    assert!(head.contains("\r\ndeprecation: true"), "{head}");
    let (status, _) = http(&addr, "GET", "/v2/pets/findByStatus?status=sold", &[], "");
    assert_eq!(status, 422, "v2 has no findByStatus: it is a petId");
    let (status, body) = http(
        &addr,
        "POST",
        "/v2/pets",
        &[("content-type", "application/json")],
        "{}",
    );
    assert_eq!(status, 401, "v2 has its own security: {body}");
    let v1: serde_json::Value =
        serde_json::from_str(&http(&addr, "GET", "/v1/openapi.json", &[], "").1).unwrap();
    let v2: serde_json::Value =
        serde_json::from_str(&http(&addr, "GET", "/v2/openapi.json", &[], "").1).unwrap();
    assert_eq!(
        (
            v1["info"]["version"].as_str(),
            v2["info"]["version"].as_str()
        ),
        (Some("1.0.0"), Some("2.0.0"))
    );
    let (_, head, _) = http_full(&addr, "GET", "/v2/pets", &[], "");
    assert!(
        head.contains("\r\nx-request-id: "),
        "shared middleware on v2: {head}"
    );
    let (_, metrics) = http(&addr, "GET", "/metrics", &[], "");
    assert!(
        metrics.contains(r#"route="/v1/pets",status="501""#)
            && metrics.contains(r#"route="/v2/pets",status="501""#),
        "one metrics registry for both versions: {metrics}"
    );
    // Both specs in the docs' version picker.
    let (status, init) = http(&addr, "GET", "/docs/swagger-initializer.js", &[], "");
    assert_eq!(status, 200);
    assert!(
        init.contains("/v1/openapi.json") && init.contains("/v2/openapi.json"),
        "{init}"
    );
    // Header and media-type versioning for paths without a version.
    let (status, body) = http(
        &addr,
        "GET",
        "/pets/findByStatus?status=sold",
        &[("Accept-Version", "2")],
        "",
    );
    assert_eq!(
        status, 422,
        "routed to v2, where findByStatus is a petId: {body}"
    );
    let (status, head, _) = http_full(
        &addr,
        "GET",
        "/pets/findByStatus?status=sold",
        &[("Accept", "application/vnd.petstore+json; version=1")],
        "",
    );
    assert_eq!(status, 501, "routed to v1");
    assert!(head.contains("\r\ndeprecation: true"), "{head}");
    let (status, _) = http(&addr, "GET", "/pets", &[("Accept-Version", "v3")], "");
    assert_eq!(status, 404, "no such version");
    let (status, _) = http(&addr, "GET", "/healthz", &[("Accept-Version", "2")], "");
    assert_eq!(status, 200, "service endpoints are not versioned");
    // The runtime's settings reach every version: limit=1000 over v1's maximum is
    // clamped (the handler runs: 501), not refused with 422.
    let (status, body) = http(&addr, "GET", "/v1/pets?limit=1000", &[], "");
    assert_eq!(status, 501, "{body}");
    drop(server);

    // The same server with RFC 9457 problem details configured.
    let (server, addr) = start_server(
        &target.join("debug/petstore-server"),
        &[("ERROR_STYLE", "problem")],
    );
    let (status, head, body) = http_full(&addr, "GET", "/v1/pets?limit=0", &[], "");
    assert_eq!(status, 422, "{body}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    let problem: serde_json::Value = serde_json::from_str(&body).expect("problem JSON");
    assert_eq!(problem["type"], "about:blank");
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["title"], "Unprocessable Entity");
    assert_eq!(problem["detail"], problem["errors"][0]["msg"], "{body}");
    assert_eq!(
        problem["errors"][0]["loc"],
        serde_json::json!(["query", "limit"])
    );
    let (status, head, body) = http_full(&addr, "GET", "/nowhere", &[], "");
    assert_eq!(status, 404);
    assert!(
        head.contains("application/problem+json") && body.contains("\"status\":404"),
        "{body}"
    );
    drop(server);

    // Every schema `example` of every spec deserialises into its generated type and
    // serialises back to the same JSON.
    let out = Command::new(target.join("debug/roundtrip"))
        .output()
        .expect("run roundtrip");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "round trips failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("{roundtrip_cases} examples round-tripped")),
        "{stdout}"
    );
    assert!(
        roundtrip_cases >= 10,
        "too few examples to prove anything: {roundtrip_cases}"
    );

    // Generated client ↔ generated server.
    let out = Command::new(target.join("debug/e2e"))
        .output()
        .expect("run e2e");
    assert!(
        out.status.success(),
        "e2e failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("faults ok") && stdout.contains("e2e ok"),
        "{stdout}"
    );

    // Every body kind, security scheme, error status and pagination style.
    let out = Command::new(target.join("debug/kitchen"))
        .output()
        .expect("run kitchen");
    assert!(
        out.status.success(),
        "kitchen failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("kitchen ok"));
}

/// A crate that round-trips every component schema `example` of every example spec
/// through the generated client models (with `full-serde`, so that the models the
/// client only sends can be read too). Returns the number of cases.
fn write_roundtrip_crate(dir: &Path) -> usize {
    let mut deps = String::new();
    let mut body = String::new();
    let mut cases = 0;
    for (name, spec) in common::example_specs() {
        let stem = common::crate_stem(&name);
        let doc = oapi_forge::load::load(&spec).unwrap();
        let (api, _) = oapi_forge::ir::lower(&doc).unwrap();
        let lib = format!("{}_client", stem.replace('-', "_"));
        let mut used = false;
        for t in &api.types {
            let Some(example) = &t.example else { continue };
            used = true;
            cases += 1;
            body.push_str(&format!(
                "    check::<{lib}::models::{}>(&mut failures, {:?}, {:?});\n",
                t.name,
                format!("{name}: {}", t.name),
                example.to_string()
            ));
        }
        if used {
            deps.push_str(&format!(
                "{stem}-client = {{ path = \"../{stem}/client\", features = [\"full-serde\"] }}\n"
            ));
        }
    }
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"roundtrip\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nserde = \"1\"\nserde_json = \"1\"\n{deps}"),
    )
    .unwrap();
    let main = format!(
        r#"//! Generated by tests/compile.rs: round-trips schema examples.

fn normalize(v: &serde_json::Value) -> serde_json::Value {{
    match v {{
        serde_json::Value::Number(n) => serde_json::json!(n.as_f64()),
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(normalize).collect()),
        serde_json::Value::Object(m) => {{
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }}
        other => other.clone(),
    }}
}}

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(failures: &mut Vec<String>, what: &str, json: &str) {{
    let input: serde_json::Value = serde_json::from_str(json).expect("example is JSON");
    match serde_json::from_value::<T>(input.clone()) {{
        Ok(typed) => match serde_json::to_value(&typed) {{
            Ok(back) if normalize(&back) == normalize(&input) => {{}}
            Ok(back) => failures.push(format!("{{what}}: {{input}} came back as {{back}}")),
            Err(e) => failures.push(format!("{{what}}: serialise: {{e}}")),
        }},
        Err(e) => failures.push(format!("{{what}}: deserialise {{input}}: {{e}}")),
    }}
}}

fn main() {{
    let mut failures = Vec::new();
{body}    for f in &failures {{
        println!("FAIL {{f}}");
    }}
    if !failures.is_empty() {{
        std::process::exit(1);
    }}
    println!("{cases} examples round-tripped");
}}
"#
    );
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    cases
}

const CORPUS_SUBSET: &[&str] = &[
    "oai-examples/v3.0__petstore-expanded.yaml",
    "oai-examples/v2.0__uber.yaml",
    "oai-examples/v3.1__webhook-example.yaml",
    "oapi-codegen/aggregates__allof__spec.yaml",
    "oapi-codegen/aggregates__oneof__spec_components.yaml",
    "oapi-codegen/naming__conflicts__spec.yaml",
    "oapi-codegen/schemas__nullable__spec_31.yaml",
    "oapi-codegen/schemas__recursive__spec.yaml",
    "progenitor/param-collision.json",
    "openapi-generator/rust__discriminator-reserved-keyword.yaml",
    "openapi-generator/composed-oneof.yaml",
    "openapi-generator/rust__test_duplicates.yaml",
    "openapi-generator/rust__multipart-file-upload.yaml",
    "openapi-generator/13942_schema_enum_names.yaml",
    "dropshot/test_pagination_schema.json",
];

fn collapse_dashes(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_end_matches('-').to_string()
}

fn copy_dir(from: &Path, to: &PathBuf) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// The hostile-traffic run alone, against the e2e server the main test built
/// (`cargo test --test compile -- --ignored hostile`).
#[test]
#[ignore = "needs the e2e server built by generated_crates_build_pass_clippy_and_serve"]
fn hostile_traffic_against_the_built_e2e_server() {
    hostile_traffic(&common::root().join("target/generated-crates/target/debug/e2e"));
}
