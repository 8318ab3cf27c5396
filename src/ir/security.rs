//! Security schemes (`components.securitySchemes`) and the requirements operations
//! place on them (`security`, inherited from the document unless overridden).

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement, SecurityScheme as OaScheme};

use super::docs::doc_lines;
use super::naming::{self, Namespace, Style};
use crate::diag::{Diagnostic, Sink, pointer_push};
use crate::load::Document;

/// How a credential travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (http bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic base64(user:password)`.
    Basic,
    /// An API key in a header.
    ApiKeyHeader,
    /// An API key in the query string.
    ApiKeyQuery,
    /// An API key in a cookie.
    ApiKeyCookie,
    /// Another `http` scheme (digest, hoba …): the whole `Authorization` value.
    Authorization,
}

/// One security scheme.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Key under `components.securitySchemes`.
    pub wire: String,
    /// Key under `components.securitySchemes`, as a Rust literal.
    pub wire_lit: String,
    /// Variant of the generated `Scheme` enum.
    pub variant: String,
    /// Name of the client builder's setter.
    pub setter: String,
    /// Carrier.
    pub kind: SchemeKind,
    /// Header, query or cookie name of an API key (lower-case for headers), as a
    /// Rust literal; the `Authorization` scheme name for [`SchemeKind::Authorization`].
    pub key_lit: String,
    /// The `WWW-Authenticate` challenge sent when the credential is missing, as a
    /// Rust literal.
    pub challenge_lit: String,
    /// Doc lines (description, plus what the scheme is).
    pub doc: Vec<String>,
}

/// What an operation requires.
#[derive(Debug, Clone)]
pub struct OpSecurity {
    /// The alternatives as a `&[&[(Scheme, &[&str])]]` literal (scheme and scopes; an
    /// empty alternative means anonymous access is allowed).
    pub alternatives_lit: String,
    /// Anonymous access is one of the alternatives (`{}`): the handler receives an
    /// `Option` of the principal.
    pub optional: bool,
}

/// Lower the document's security schemes, in spec order.
pub fn schemes(doc: &Document, sink: &mut Sink) -> Vec<SecurityScheme> {
    let mut variants = Namespace::new(Style::Camel);
    let mut setters = Namespace::new(Style::Snake);
    // Methods of the client builder that a setter must not shadow.
    for reserved in [
        "new",
        "build",
        "timeout",
        "connect_timeout",
        "user_agent",
        "default_header",
        "http_client",
        "retry_policy",
        "request_id_header",
        "base_url",
    ] {
        setters.reserve(reserved);
    }
    let mut out = Vec::new();
    for (name, scheme) in doc.components::<ReferenceOr<OaScheme>>("securitySchemes") {
        let ptr = pointer_push("/components/securitySchemes", &name);
        let Some(scheme) = scheme else { continue };
        let scheme = match scheme {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                match reference
                    .strip_prefix('#')
                    .and_then(|p| doc.lookup::<OaScheme>(p))
                    .and_then(Result::ok)
                {
                    Some(s) => s,
                    None => {
                        sink.push(
                            Diagnostic::at_pointer(
                                &doc.file,
                                &ptr,
                                "cannot resolve this security scheme",
                            )
                            .hint("check its `$ref`"),
                        );
                        continue;
                    }
                }
            }
        };
        let (kind, key, challenge, what, description) = match &scheme {
            OaScheme::APIKey {
                location,
                name: key,
                description,
                ..
            } => {
                let (kind, place) = match location {
                    APIKeyLocation::Header => (SchemeKind::ApiKeyHeader, "header"),
                    APIKeyLocation::Query => (SchemeKind::ApiKeyQuery, "query parameter"),
                    APIKeyLocation::Cookie => (SchemeKind::ApiKeyCookie, "cookie"),
                };
                let key = if kind == SchemeKind::ApiKeyHeader {
                    key.to_ascii_lowercase()
                } else {
                    key.clone()
                };
                (
                    kind,
                    key.clone(),
                    format!(
                        "ApiKey {}=\"{key}\"",
                        place.split(' ').next().unwrap_or(place)
                    ),
                    format!("API key in the `{key}` {place}."),
                    description,
                )
            }
            OaScheme::HTTP {
                scheme: http,
                description,
                ..
            } => match http.to_ascii_lowercase().as_str() {
                "bearer" => (
                    SchemeKind::Bearer,
                    String::new(),
                    "Bearer".to_string(),
                    "Bearer token in the `Authorization` header.".to_string(),
                    description,
                ),
                "basic" => (
                    SchemeKind::Basic,
                    String::new(),
                    "Basic realm=\"api\", charset=\"UTF-8\"".to_string(),
                    "HTTP basic authentication.".to_string(),
                    description,
                ),
                _ => (
                    SchemeKind::Authorization,
                    http.clone(),
                    http.clone(),
                    format!("`Authorization: {http} …` (the whole header value)."),
                    description,
                ),
            },
            OaScheme::OAuth2 { description, .. } => (
                SchemeKind::Bearer,
                String::new(),
                "Bearer".to_string(),
                "OAuth2 access token, sent as a bearer token.".to_string(),
                description,
            ),
            OaScheme::OpenIDConnect { description, .. } => (
                SchemeKind::Bearer,
                String::new(),
                "Bearer".to_string(),
                "OpenID Connect token, sent as a bearer token.".to_string(),
                description,
            ),
        };
        let mut doc_text = format!("`{name}`: {what}");
        if let Some(d) = description.as_deref().filter(|d| !d.trim().is_empty()) {
            doc_text.push_str("\n\n");
            doc_text.push_str(d);
        }
        out.push(SecurityScheme {
            wire: name.to_string(),
            wire_lit: naming::lit(&name),
            variant: variants.claim(&naming::type_ident(&name)),
            setter: setters.claim(&naming::snake_ident(&name)),
            kind,
            key_lit: naming::lit(&key),
            challenge_lit: naming::lit(&challenge),
            doc: doc_lines(&[Some(doc_text.as_str())]),
        });
    }
    out
}

/// The requirement of one operation (`op_security` if given, else the document's).
pub fn for_operation(
    doc: &Document,
    schemes: &[SecurityScheme],
    op_security: Option<&Vec<SecurityRequirement>>,
    ptr: &str,
    sink: &mut Sink,
) -> Option<OpSecurity> {
    let (requirements, at) = match op_security {
        Some(r) => (r, format!("{ptr}/security")),
        None => (doc.head.security.as_ref()?, "/security".to_string()),
    };
    if requirements.is_empty() {
        return None;
    }
    let mut alternatives = Vec::new();
    let mut optional = false;
    for (i, requirement) in requirements.iter().enumerate() {
        let mut parts = Vec::new();
        let mut usable = true;
        for (name, scopes) in requirement {
            match schemes.iter().find(|s| s.wire == *name) {
                Some(s) => {
                    let scopes: Vec<String> = scopes.iter().map(|s| naming::lit(s)).collect();
                    parts.push(format!("(Scheme::{}, &[{}])", s.variant, scopes.join(", ")));
                }
                None => {
                    sink.push(
                        Diagnostic::at_pointer(
                            &doc.file,
                            &format!("{at}/{i}"),
                            format!("security requirement names an unknown scheme `{name}`; this alternative is ignored"),
                        )
                        .hint("declare it under `components.securitySchemes`")
                        .warning(),
                    );
                    usable = false;
                }
            }
        }
        if !usable {
            continue;
        }
        optional |= parts.is_empty();
        alternatives.push(format!("&[{}]", parts.join(", ")));
    }
    if alternatives.is_empty() || alternatives.iter().all(|a| a == "&[]") {
        return None;
    }
    Some(OpSecurity {
        alternatives_lit: format!("&[{}]", alternatives.join(", ")),
        optional,
    })
}
