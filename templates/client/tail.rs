{# What follows the request types in client.rs. #}
{% if api.facts.client_follows_links %}

/// The `rel="next"` target of the `Link` headers, resolved against `base`.
fn next_link(headers: &reqwest::header::HeaderMap, base: &str) -> Option<String> {
    let target = headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|link| {
            let (target, params) = link.trim().strip_prefix('<')?.split_once('>')?;
            let next = params.split(';').any(|p| {
                p.trim()
                    .strip_prefix("rel=")
                    .is_some_and(|rel| rel.trim_matches('"').split_whitespace().any(|r| r.eq_ignore_ascii_case("next")))
            });
            next.then(|| target.to_string())
        })?;
    let base = reqwest::Url::parse(&format!("{base}/")).ok()?;
    base.join(&target).ok().map(String::from)
}
{% endif %}
{% if api.facts.has_json_response %}

fn decode_json<T: serde::de::DeserializeOwned, E>(status: u16, headers: &reqwest::header::HeaderMap, body: &[u8]) -> Result<T, Error<E>> {
    serde_json::from_slice(body).map_err(|e| Error::Decode { status, headers: headers.clone(), body: body.to_vec(), message: e.to_string() })
}
{% endif %}
{% if api.facts.uses_param_string %}

/// A parameter value as text: strings as-is, arrays comma-separated (`simple`/`form`
/// style), anything else as JSON.
fn param_string<T: serde::Serialize + ?Sized>(value: &T) -> String {
    fn text(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }
    serde_json::to_value(value).map(|v| text(&v)).unwrap_or_default()
}
{% endif %}
{% if api.facts.has_deep_object %}

/// `style: deepObject`: an object as `name[key]=value` pairs (nested objects as
/// `name[a][b]`).
fn deep_object<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Vec<(String, String)> {
    fn walk(prefix: String, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    walk(format!("{prefix}[{k}]"), v, out);
                }
            }
            serde_json::Value::Null => {}
            other => out.push((prefix, param_string(other))),
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(value) {
        walk(name.to_string(), &v, &mut out);
    }
    out
}
{% endif %}
{% if api.facts.has_path_params || api.facts.has_cookies %}

/// Percent-encode a path segment or cookie value (everything but RFC 3986
/// unreserved characters).
fn encode_path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
{% endif %}
