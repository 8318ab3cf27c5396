//! Operations: parameters, bodies, responses, routes.

use std::collections::HashMap;

use heck::ToShoutySnakeCase;
use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody,
    Response as OaResponse, StatusCode,
};
use serde::de::DeserializeOwned;

use super::docs::doc_lines;
use super::naming::{self, Namespace, Style};
use super::security::{self, SecurityScheme};
use super::types::{Ty, TypeSpace};
use super::{
    Body, BodyChoice, BodyKind, Multipart, MultipartField, Operation, Param, PathSegment, Response,
    ResponseHeader, Route,
};
use crate::diag::{Diagnostic, Sink, pointer_push};
use crate::load::Document;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn op_of<'p>(item: &'p PathItem, method: &str) -> Option<&'p openapiv3::Operation> {
    match method {
        "get" => item.get.as_ref(),
        "put" => item.put.as_ref(),
        "post" => item.post.as_ref(),
        "delete" => item.delete.as_ref(),
        "options" => item.options.as_ref(),
        "head" => item.head.as_ref(),
        "patch" => item.patch.as_ref(),
        "trace" => item.trace.as_ref(),
        _ => None,
    }
}

/// Follow a `$ref` into the document and read what it points at as `T`, following
/// chains of references (bounded, so cycles end).
fn deref<T: DeserializeOwned + Clone + 'static>(doc: &Document, r: &ReferenceOr<T>) -> Option<T> {
    let mut cur = r.clone();
    for _ in 0..32 {
        match cur {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => {
                let ptr = reference.strip_prefix('#')?;
                cur = doc.lookup(ptr)?.ok()?;
            }
        }
    }
    None
}

fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*"
}

fn kind_of(media: &str) -> BodyKind {
    let l = media.to_ascii_lowercase();
    if is_json(&l) {
        BodyKind::Json
    } else if l.starts_with("application/x-www-form-urlencoded") {
        BodyKind::Form
    } else if l.starts_with("multipart/form-data") {
        BodyKind::Multipart
    } else if l.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    }
}

fn rank(k: &BodyKind) -> u8 {
    match k {
        BodyKind::Json => 0,
        BodyKind::Form => 1,
        BodyKind::Multipart => 2,
        BodyKind::Text => 3,
        BodyKind::Bytes => 4,
        BodyKind::Choice => 5,
    }
}

/// Pick the media type to model, JSON first, then form, multipart, text, anything
/// else.
fn pick_media<V>(content: &indexmap::IndexMap<String, V>) -> Option<(&String, &V, BodyKind)> {
    content
        .iter()
        .map(|(m, v)| (m, v, kind_of(m)))
        .min_by_key(|(_, _, k)| rank(k))
}

/// The first media type of each kind, in rank order.
fn media_by_kind<V>(content: &indexmap::IndexMap<String, V>) -> Vec<(&String, &V, BodyKind)> {
    let mut out: Vec<(&String, &V, BodyKind)> = Vec::new();
    for (m, v) in content {
        let k = kind_of(m);
        if !out.iter().any(|(_, _, seen)| *seen == k) {
            out.push((m, v, k));
        }
    }
    out.sort_by_key(|(_, _, k)| rank(k));
    out
}

fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        102 => "Processing",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        305 => "UseProxy",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        506 => "VariantAlsoNegotiates",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        510 => "NotExtended",
        511 => "NetworkAuthenticationRequired",
        _ => return None,
    })
}

struct Ctx<'a, 'd> {
    doc: &'d Document,
    space: &'a mut TypeSpace<'d>,
    sink: &'a mut Sink,
    fn_names: Namespace,
    type_names: Namespace,
    schemes: &'a [SecurityScheme],
}

/// Lower every operation of `doc`, in spec order.
pub fn lower_operations<'d>(
    doc: &'d Document,
    space: &mut TypeSpace<'d>,
    schemes: &[SecurityScheme],
    sink: &mut Sink,
) -> Vec<Operation> {
    let mut type_names = Namespace::new(Style::Camel);
    for reserved in [
        "Api",
        "HandlerError",
        "Client",
        "Error",
        "ClientBuilder",
        "RetryPolicy",
        "Scheme",
        "Credential",
        "AuthError",
        "TokenSource",
        "BoxError",
        "Response",
    ] {
        type_names.reserve(reserved);
    }
    let mut ctx = Ctx {
        doc,
        space,
        sink,
        fn_names: Namespace::new(Style::Snake),
        type_names,
        schemes,
    };
    // Names of the client's own methods, and of the server trait's.
    for reserved in [
        "new",
        "with_client",
        "base_url",
        "http_client",
        "builder",
        "execute",
        "authorize",
        "authenticate",
    ] {
        ctx.fn_names.reserve(reserved);
    }
    let mut out = Vec::new();
    for (path, item) in doc.path_items() {
        let item_ptr = pointer_push("/paths", &path);
        let Some(item) = item.as_ref().and_then(|item| deref(doc, item)) else {
            ctx.sink.push(
                Diagnostic::at_pointer(&doc.file, &item_ptr, "cannot resolve this path item")
                    .hint("check its `$ref`"),
            );
            continue;
        };
        for method in METHODS {
            if let Some(op) = op_of(&item, method) {
                let ptr = format!("{item_ptr}/{method}");
                out.push(lower_op(&mut ctx, &path, method, &item, op, &ptr));
            }
        }
    }
    out
}

fn lower_op(
    ctx: &mut Ctx<'_, '_>,
    path: &str,
    method: &str,
    item: &PathItem,
    op: &openapiv3::Operation,
    ptr: &str,
) -> Operation {
    ctx.space.at(ptr);
    let operation_id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{method} {path}"));
    let configured = ctx.space.operation_names.get(&operation_id).cloned();
    let fn_name = ctx.fn_names.claim(&naming::snake_ident(
        configured.as_deref().unwrap_or(&operation_id),
    ));
    let prefix = naming::type_ident(fn_name.trim_start_matches("r#").trim_end_matches('_'));
    let mut claim = |suffix: &str| ctx.type_names.claim(&format!("{prefix}{suffix}"));
    let request_type = claim("Request");
    let response_type = claim("Response");
    let error_type = claim("Error");
    // Names earlier versions gave the router's parameter structs: still reserved, so
    // that no other generated name changes between versions.
    claim("PathParams");
    claim("QueryParams");
    let success_name = claim("Success");

    // Parameters: the operation's override the path item's with the same name+location.
    let mut params: Vec<(Parameter, String)> = Vec::new();
    for (i, p) in item.parameters.iter().enumerate() {
        if let Some(p) = deref(ctx.doc, p) {
            params.push((
                p,
                format!(
                    "{}/parameters/{i}",
                    ptr.rsplit_once('/').map(|x| x.0).unwrap_or("")
                ),
            ));
        }
    }
    for (i, p) in op.parameters.iter().enumerate() {
        match deref(ctx.doc, p) {
            Some(p) => {
                let key = (p.parameter_data_ref().name.clone(), location(&p));
                params.retain(|(q, _)| (q.parameter_data_ref().name.clone(), location(q)) != key);
                params.push((p, format!("{ptr}/parameters/{i}")));
            }
            None => ctx.sink.push(
                Diagnostic::at_pointer(
                    &ctx.doc.file,
                    &format!("{ptr}/parameters/{i}"),
                    "cannot resolve this parameter",
                )
                .hint("check its `$ref`"),
            ),
        }
    }

    let mut arg_names = Namespace::new(Style::Snake);
    // Locals of the generated client method; parameters must not shadow them.
    for local in [
        "http_url",
        "http_request",
        "http_query",
        "http_response",
        "http_status",
        "http_headers",
        "http_body",
        "decoded",
        "given",
        "item",
        // Fields and methods of the client's request builder.
        "client",
        "send",
        "stream",
        "into_future",
        "principal",
    ] {
        arg_names.reserve(local);
    }
    // Path parameters in template order.
    let template = parse_template(path);
    let mut path_params = Vec::new();
    let mut path_segments = Vec::new();
    for (i, piece) in template.iter().enumerate() {
        match piece {
            Piece::Lit(s) if s.chars().count() == 1 => path_segments.push(PathSegment::Char(
                format!("{:?}", s.chars().next().unwrap_or('/')),
            )),
            Piece::Lit(s) => path_segments.push(PathSegment::Literal(naming::lit(s))),
            Piece::Param(wire) => {
                let found = params.iter().position(|(p, _)| {
                    matches!(p, Parameter::Path { .. }) && p.parameter_data_ref().name == *wire
                });
                let param = match found {
                    Some(idx) => {
                        let (p, pptr) = params.remove(idx);
                        lower_param(ctx, &mut arg_names, &prefix, &p, &pptr, true, i)
                    }
                    None => {
                        ctx.sink.push(
                            Diagnostic::at_pointer(&ctx.doc.file, ptr, format!("path parameter `{wire}` is not declared; treating it as a string"))
                                .hint("declare it under `parameters` with `in: path`")
                                .warning(),
                        );
                        let name = arg_names.claim(&naming::snake_ident(wire));
                        Param {
                            local: path_local(&name),
                            name,
                            wire: wire.clone(),
                            wire_lit: naming::lit(wire),
                            key_lit: naming::lit(&format!("p{i}")),
                            ty: "String".into(),
                            inner_ty: "String".into(),
                            required: true,
                            is_list: false,
                            rules: None,
                            doc: Vec::new(),
                            default_lit: None,
                            max_lit: None,
                            delimiter: None,
                            deep_object: false,
                            item_ty: String::new(),
                            validate: false,
                        }
                    }
                };
                path_segments.push(PathSegment::Param(param.name.clone()));
                path_params.push(param);
            }
        }
    }
    let mut query_params = Vec::new();
    let mut header_params = Vec::new();
    let mut cookie_params = Vec::new();
    for (p, pptr) in &params {
        match p {
            Parameter::Query { .. } => {
                query_params.push(lower_param(ctx, &mut arg_names, &prefix, p, pptr, false, 0))
            }
            Parameter::Header { .. } => {
                let name = &p.parameter_data_ref().name;
                // Managed by HTTP itself; the spec may document them, but they are not
                // parameters a handler receives.
                if ["accept", "content-type", "authorization"]
                    .contains(&name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                header_params.push(lower_param(ctx, &mut arg_names, &prefix, p, pptr, false, 0));
            }
            Parameter::Path { .. } => ctx.sink.push(
                Diagnostic::at_pointer(
                    &ctx.doc.file,
                    pptr,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`; ignored",
                        p.parameter_data_ref().name
                    ),
                )
                .warning(),
            ),
            Parameter::Cookie { .. } => {
                cookie_params.push(lower_param(ctx, &mut arg_names, &prefix, p, pptr, false, 0))
            }
        }
    }

    let body = op
        .request_body
        .as_ref()
        .and_then(|rb| lower_body(ctx, &mut arg_names, &prefix, rb, ptr));

    let mut responses = Vec::new();
    let mut variants = Namespace::new(Style::Camel);
    for (code, resp) in &op.responses.responses {
        let (code_v, range, variant) = match code {
            StatusCode::Code(c) => (
                Some(*c),
                None,
                reason(*c)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("Status{c}")),
            ),
            StatusCode::Range(r) => (None, Some(*r), format!("Status{r}xx")),
        };
        let variant = variants.claim(&variant);
        responses.push(lower_response(ctx, &prefix, &variant, code_v, range, resp));
    }
    if let Some(resp) = &op.responses.default {
        let variant = variants.claim("Default");
        responses.push(lower_response(ctx, &prefix, &variant, None, None, resp));
    }
    let has_2xx = responses
        .iter()
        .any(|r| r.code.is_some_and(|c| (200..300).contains(&c)) || r.range == Some(2));
    for r in &mut responses {
        r.is_success = if has_2xx {
            r.code.is_some_and(|c| (200..300).contains(&c)) || r.range == Some(2)
        } else {
            r.code.is_none() && r.range.is_none()
        };
    }
    // Exact codes first, then ranges, then `default`: the order the client matches in.
    responses.sort_by_key(|r| match (r.code, r.range) {
        (Some(_), _) => 0,
        (None, Some(_)) => 1,
        (None, None) => 2,
    });
    let unit = "()".to_string();
    let mut distinct: Vec<&String> = Vec::new();
    for r in responses.iter().filter(|r| r.is_success) {
        let t = r.body_ty.as_ref().unwrap_or(&unit);
        if !distinct.contains(&t) {
            distinct.push(t);
        }
    }
    let success_enum_is_none_and_bytes = distinct.len() == 1
        && responses
            .iter()
            .filter(|r| r.is_success)
            .all(|r| r.body_ty.is_some() && r.body_kind == BodyKind::Bytes);
    let (success_type, success_enum) = match distinct.as_slice() {
        [] => (unit.clone(), None),
        [one] => ((*one).clone(), None),
        _ => (success_name.clone(), Some(success_name)),
    };

    let client_arg_count = 1
        + path_params.len()
        + query_params
            .iter()
            .chain(&header_params)
            .chain(&cookie_params)
            .filter(|p| p.required)
            .count()
        + usize::from(body.as_ref().is_some_and(|b| b.required));
    let security =
        security::for_operation(ctx.doc, ctx.schemes, op.security.as_ref(), ptr, ctx.sink);
    let auto_etag = method == "get"
        && responses.iter().any(|r| {
            r.is_success
                && r.headers
                    .iter()
                    .any(|h| h.wire_lit.trim_matches('"') == "etag")
        });
    let takes_headers = auto_etag
        || !header_params.is_empty()
        || !cookie_params.is_empty()
        || security.is_some()
        || body.as_ref().is_some_and(|b| {
            matches!(
                b.kind,
                BodyKind::Json | BodyKind::Multipart | BodyKind::Choice
            )
        });
    let has_default = responses
        .iter()
        .any(|r| r.code.is_none() && r.range.is_none());
    let client_single_arm = responses.is_empty() || (responses.len() == 1 && has_default);
    let validates = path_params
        .iter()
        .chain(&query_params)
        .chain(&header_params)
        .chain(&cookie_params)
        .any(|p| p.rules.is_some() || p.validate)
        || body
            .as_ref()
            .is_some_and(|b| b.validate || b.rules.is_some());
    let query_required_scalars = query_params
        .iter()
        .any(|p| p.required && !p.is_list && !p.deep_object);
    let query_has_plain = query_params.iter().any(|p| !p.deep_object);
    let takes_uri_for_query = query_params.iter().any(|p| p.deep_object);
    let client_request_mut = !query_params.is_empty()
        || !header_params.is_empty()
        || !cookie_params.is_empty()
        || body.is_some();
    let query_grows = query_params
        .iter()
        .any(|p| !p.deep_object && (!p.required || p.is_list));
    let client_reads_body = !has_default || responses.iter().any(|r| r.body_ty.is_some());
    Operation {
        handler_name: format!(
            "handle_{}",
            fn_name.trim_start_matches("r#").trim_start_matches('_')
        ),
        id_lit: naming::lit(&operation_id),
        fn_name,
        operation_id,
        request_type,
        response_type,
        error_type,
        success_type,
        success_enum,
        method: method.to_ascii_uppercase(),
        route_lit: naming::lit(&format!("{} {path}", method.to_ascii_uppercase())),
        method_lower: method.to_string(),
        path: path.to_string(),
        doc: doc_lines(&[op.summary.as_deref(), op.description.as_deref()]),
        deprecated: op.deprecated,
        path_params,
        query_params,
        header_params,
        cookie_params,
        idempotent: !matches!(method, "post" | "patch"),
        takes_uri: security.is_some() || takes_uri_for_query,
        security,
        pagination: None,
        client_follows_links: false,
        clamps_page_size: false,
        server_links: false,
        auto_etag,
        post_process: false,
        client_download: success_enum_is_none_and_bytes,
        x_pagination: op.extensions.get("x-pagination").cloned(),
        path_segments,
        body,
        responses,
        client_many_args: client_arg_count > 7,
        takes_headers,
        has_default,
        client_reads_body,
        query_grows,
        query_required_scalars,
        query_has_plain,
        validates,
        client_single_arm,
        client_request_mut,
    }
}

fn location(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// The router's local for a path parameter: `path_` and the bare name.
fn path_local(name: &str) -> String {
    format!("path_{}", name.trim_start_matches("r#"))
}

fn lower_param(
    ctx: &mut Ctx<'_, '_>,
    names: &mut Namespace,
    prefix: &str,
    p: &Parameter,
    _ptr: &str,
    is_path: bool,
    index: usize,
) -> Param {
    let data = p.parameter_data_ref();
    let name = names.claim(&naming::snake_ident(&data.name));
    let hint = format!("{prefix}{}", naming::type_ident(&data.name));
    let lowered = match &data.format {
        ParameterSchemaOrContent::Schema(s) => Some(ctx.space.lower_ref_or(s, &hint)),
        ParameterSchemaOrContent::Content(c) => c
            .iter()
            .next()
            .and_then(|(_, m)| m.schema.as_ref())
            .map(|s| ctx.space.lower_ref_or(s, &hint)),
    };
    let ty = lowered.map(|l| l.ty).unwrap_or(Ty::Prim("String"));
    ctx.space.in_request(&ty);
    let rules = match &data.format {
        ParameterSchemaOrContent::Schema(s) => ctx.space.rules_for_ref_or(s),
        ParameterSchemaOrContent::Content(_) => Default::default(),
    };
    let is_list = matches!(ty, Ty::Vec(_));
    let inner_ty = ctx.space.render(&ty, true);
    let (delimiter, deep_object) = match p {
        Parameter::Query { style, .. } => {
            use openapiv3::QueryStyle;
            let explode = data.explode.unwrap_or(matches!(style, QueryStyle::Form));
            match style {
                QueryStyle::DeepObject => (None, !is_list),
                _ if !is_list || explode => (None, false),
                QueryStyle::SpaceDelimited => (Some(naming::lit(" ")), false),
                QueryStyle::PipeDelimited => (Some(naming::lit("|")), false),
                _ => (Some(naming::lit(",")), false),
            }
        }
        _ => (None, false),
    };
    let default_lit = match &data.format {
        ParameterSchemaOrContent::Schema(s) => deref(ctx.doc, s)
            .and_then(|s| s.schema_data.default)
            .filter(|d| d.is_i64() || d.is_u64())
            .map(|d| d.to_string()),
        ParameterSchemaOrContent::Content(_) => None,
    }
    // An integer literal is no value of a user-mapped type.
    .filter(|_| !matches!(ty, Ty::User(_)));
    let max_lit = rules
        .maximum
        .filter(|m| m.fract() == 0.0 && m.abs() < 9.0e15)
        .map(|m| {
            let m = m as i64;
            (if rules.exclusive_maximum { m - 1 } else { m }).to_string()
        });
    let required = is_path || data.required;
    Param {
        max_lit,
        local: path_local(&name),
        name,
        wire: data.name.clone(),
        wire_lit: naming::lit(&data.name),
        key_lit: if is_path {
            naming::lit(&format!("p{index}"))
        } else {
            naming::lit(&data.name)
        },
        ty: if required {
            inner_ty.clone()
        } else {
            format!("Option<{inner_ty}>")
        },
        inner_ty,
        required,
        is_list,
        rules: (!rules.is_empty()).then(|| rules.to_rust()),
        doc: doc_lines(&[data.description.as_deref()]),
        default_lit,
        delimiter,
        deep_object,
        item_ty: match &ty {
            Ty::Vec(item) => ctx.space.render(item, true),
            _ => String::new(),
        },
        validate: ctx.space.validates(&ty),
    }
}

fn lower_body(
    ctx: &mut Ctx<'_, '_>,
    names: &mut Namespace,
    prefix: &str,
    rb: &ReferenceOr<RequestBody>,
    ptr: &str,
) -> Option<Body> {
    let Some(rb) = deref(ctx.doc, rb) else {
        ctx.sink.push(
            Diagnostic::at_pointer(
                &ctx.doc.file,
                &format!("{ptr}/requestBody"),
                "cannot resolve the request body",
            )
            .hint("check its `$ref`"),
        );
        return None;
    };
    let alternatives = media_by_kind(&rb.content);
    let name = names.claim("body");
    let mut choices = Vec::new();
    for (media, mt, kind) in &alternatives {
        let suffix = if alternatives.len() > 1 {
            format!("{kind:?}")
        } else {
            String::new()
        };
        choices.push(lower_body_kind(
            ctx,
            prefix,
            &suffix,
            media,
            mt,
            kind.clone(),
        ));
    }
    let doc = doc_lines(&[rb.description.as_deref()]);
    let (kind, inner, content_type_lit, validate, rules, multipart) = match choices.len() {
        0 => return None,
        1 => {
            let c = choices.remove(0);
            (
                c.kind,
                c.ty,
                c.content_type_lit,
                c.validate,
                c.rules,
                c.multipart,
            )
        }
        _ => {
            let name = ctx.type_names.claim(&format!("{prefix}Body"));
            let validate = choices.iter().any(|c| c.validate || c.rules.is_some());
            (BodyKind::Choice, name, String::new(), validate, None, None)
        }
    };
    Some(Body {
        name,
        ty: if rb.required {
            inner.clone()
        } else {
            format!("Option<{inner}>")
        },
        inner_ty: inner,
        required: rb.required,
        kind,
        content_type_lit,
        doc,
        validate,
        rules,
        multipart,
        accepts_any: choices.iter().any(|c| c.kind == BodyKind::Bytes),
        choices,
    })
}

/// One media type of a request body.
fn lower_body_kind(
    ctx: &mut Ctx<'_, '_>,
    prefix: &str,
    suffix: &str,
    media: &str,
    mt: &openapiv3::MediaType,
    kind: BodyKind,
) -> BodyChoice {
    let mut validate = false;
    let mut rules = None;
    let mut multipart = None;
    let ty = match kind {
        BodyKind::Json | BodyKind::Form => match &mt.schema {
            Some(s) => {
                let l = ctx.space.lower_ref_or(s, &format!("{prefix}Body{suffix}"));
                ctx.space.in_request(&l.ty);
                validate = ctx.space.validates(&l.ty);
                let r = ctx.space.rules_for_ref_or(s);
                rules = (!r.is_empty()).then(|| r.to_rust());
                ctx.space.render(&l.ty, true)
            }
            None => "serde_json::Value".into(),
        },
        BodyKind::Multipart => {
            let m = lower_multipart(ctx, prefix, mt.schema.as_ref());
            validate = m.validates;
            let name = m.name.clone();
            multipart = Some(m);
            name
        }
        BodyKind::Text => "String".into(),
        BodyKind::Bytes | BodyKind::Choice => "Vec<u8>".into(),
    };
    BodyChoice {
        variant: format!("{kind:?}"),
        kind,
        content_type_lit: naming::lit(media),
        media: media.to_string(),
        ty,
        validate,
        rules,
        multipart,
    }
}

/// The parts of a `multipart/form-data` body: binary properties are files, the
/// others text values decoded as their schema says.
fn lower_multipart(
    ctx: &mut Ctx<'_, '_>,
    prefix: &str,
    schema: Option<&ReferenceOr<openapiv3::Schema>>,
) -> Multipart {
    let name = ctx.type_names.claim(&format!("{prefix}Multipart"));
    let reader = format!(
        "read_{}",
        naming::snake_ident(&name).trim_start_matches("r#")
    );
    let resolved = schema.and_then(|s| deref(ctx.doc, s));
    let mut fields = Vec::new();
    let mut names = Namespace::new(Style::Snake);
    if let Some(openapiv3::SchemaKind::Type(openapiv3::Type::Object(o))) =
        resolved.as_ref().map(|s| &s.schema_kind)
    {
        for (wire, prop) in &o.properties {
            let prop_ref = prop.clone().unbox();
            let resolved_prop = deref(ctx.doc, &prop_ref);
            let is_binary = |s: &openapiv3::Schema| {
                matches!(&s.schema_kind, openapiv3::SchemaKind::Type(openapiv3::Type::String(t))
                    if matches!(t.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)))
            };
            let (file, list) = match resolved_prop.as_ref().map(|s| &s.schema_kind) {
                Some(openapiv3::SchemaKind::Type(openapiv3::Type::Array(a))) => (
                    a.items
                        .as_ref()
                        .and_then(|i| deref(ctx.doc, &i.clone().unbox()))
                        .is_some_and(|i| is_binary(&i)),
                    true,
                ),
                Some(_) => (resolved_prop.as_ref().is_some_and(is_binary), false),
                None => (false, false),
            };
            let required = o.required.contains(wire);
            let (inner_ty, rules) = if file {
                ("FilePart".to_string(), None)
            } else {
                let l = ctx
                    .space
                    .lower_ref_or(&prop_ref, &format!("{prefix}{}", naming::type_ident(wire)));
                ctx.space.in_request(&l.ty);
                let t = ctx.space.render(&l.ty, true);
                let t = match (
                    list,
                    t.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>')),
                ) {
                    (true, Some(item)) => item.to_string(),
                    _ => t,
                };
                let r = ctx.space.rules_for_ref_or(&prop_ref);
                (t, (!r.is_empty() && !list).then(|| r.to_rust()))
            };
            let ty = if list {
                format!("Vec<{inner_ty}>")
            } else if required {
                inner_ty.clone()
            } else {
                format!("Option<{inner_ty}>")
            };
            fields.push(MultipartField {
                name: names.claim(&naming::snake_ident(wire)),
                wire_lit: naming::lit(wire),
                file,
                list,
                ty,
                inner_ty,
                required,
                rules,
                doc: doc_lines(&[resolved_prop
                    .as_ref()
                    .and_then(|s| s.schema_data.description.as_deref())]),
            });
        }
    }
    Multipart {
        name,
        reader,
        validates: fields.iter().any(|f| f.rules.is_some()),
        fields,
    }
}

fn lower_response(
    ctx: &mut Ctx<'_, '_>,
    prefix: &str,
    variant: &str,
    code: Option<u16>,
    range: Option<u16>,
    resp: &ReferenceOr<OaResponse>,
) -> Response {
    let resolved = deref(ctx.doc, resp);
    let (body_ty, body_kind, content_type_lit, doc) = match &resolved {
        Some(r) => {
            let doc = doc_lines(&[Some(r.description.as_str())]);
            match pick_media(&r.content) {
                Some((media, mt, kind)) => {
                    let ty = match kind {
                        BodyKind::Json | BodyKind::Form => match &mt.schema {
                            Some(s) => {
                                let l =
                                    ctx.space.lower_ref_or(s, &format!("{prefix}{variant}Body"));
                                ctx.space.in_response(&l.ty);
                                let t = ctx.space.render(&l.ty, true);
                                if l.nullable {
                                    format!("Option<{t}>")
                                } else {
                                    t
                                }
                            }
                            None => "serde_json::Value".into(),
                        },
                        BodyKind::Text => "String".into(),
                        BodyKind::Bytes | BodyKind::Multipart | BodyKind::Choice => {
                            "Vec<u8>".into()
                        }
                    };
                    let kind = match kind {
                        BodyKind::Form => BodyKind::Json,
                        BodyKind::Multipart | BodyKind::Choice => BodyKind::Bytes,
                        k => k,
                    };
                    (Some(ty), kind, naming::lit(media), doc)
                }
                None => (None, BodyKind::Bytes, String::new(), doc),
            }
        }
        None => (None, BodyKind::Bytes, String::new(), Vec::new()),
    };
    let mut headers = Vec::new();
    let mut header_names = Namespace::new(Style::Snake);
    for (wire, h) in resolved.iter().flat_map(|r| r.headers.iter()) {
        if wire.eq_ignore_ascii_case("content-type") {
            continue;
        }
        let Some(h) = deref(ctx.doc, h) else {
            continue;
        };
        let hint = format!("{prefix}{variant}{}", naming::type_ident(wire));
        let inner = match &h.format {
            ParameterSchemaOrContent::Schema(s) => {
                let l = ctx.space.lower_ref_or(s, &hint);
                ctx.space.in_response(&l.ty);
                ctx.space.render(&l.ty, true)
            }
            ParameterSchemaOrContent::Content(_) => "String".to_string(),
        };
        headers.push(ResponseHeader {
            name: header_names.claim(&naming::snake_ident(wire)),
            wire_lit: naming::lit(&wire.to_ascii_lowercase()),
            ty: if h.required {
                inner
            } else {
                format!("Option<{inner}>")
            },
            required: h.required,
            doc: doc_lines(&[h.description.as_deref()]),
        });
    }
    let headers_default = headers.iter().all(|h| !h.required);
    let headers_struct = if headers.is_empty() {
        String::new()
    } else {
        ctx.type_names.claim(&format!("{prefix}{variant}Headers"))
    };
    let status_const = match code {
        Some(c) => match reason(c) {
            Some(r) => format!("StatusCode::{}", r.to_shouty_snake_case()),
            None => {
                format!("StatusCode::from_u16({c}).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)")
            }
        },
        None => String::new(),
    };
    Response {
        variant: variant.to_string(),
        code,
        range,
        status_const,
        is_success: false,
        body_ty,
        body_kind,
        content_type_lit,
        doc,
        headers,
        headers_struct,
        headers_default,
    }
}

enum Piece {
    Lit(String),
    Param(String),
}

fn parse_template(path: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            out.push(Piece::Lit(rest[..open].to_string()));
        }
        out.push(Piece::Param(rest[open + 1..open + close].to_string()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Lit(rest.to_string()));
    }
    out
}

/// Group operations by router path; report two operations that would claim the same
/// path and method (e.g. `/a/{x}` and `/a/{y}`).
pub fn routes(ops: &[Operation], doc: &Document, sink: &mut Sink) -> Vec<super::Route> {
    let mut order: Vec<String> = Vec::new();
    let mut by_path: HashMap<String, Vec<(String, String, String)>> = HashMap::new();
    for op in ops {
        let mut axum_path = String::new();
        for (i, piece) in parse_template(&op.path).into_iter().enumerate() {
            match piece {
                Piece::Lit(s) => axum_path.push_str(&s),
                Piece::Param(_) => axum_path.push_str(&format!("{{p{i}}}")),
            }
        }
        let entry = by_path.entry(axum_path.clone()).or_insert_with(|| {
            order.push(axum_path.clone());
            Vec::new()
        });
        if let Some((_, _, other)) = entry.iter().find(|(m, _, _)| *m == op.method_lower) {
            sink.push(
                Diagnostic::at_pointer(
                    &doc.file,
                    &format!("{}/{}", pointer_push("/paths", &op.path), op.method_lower),
                    format!("`{} {}` routes to the same place as `{} {other}`", op.method, op.path, op.method),
                )
                .hint("two path templates that differ only in parameter names are one route; merge them"),
            );
            continue;
        }
        entry.push((
            op.method_lower.clone(),
            op.handler_name.clone(),
            op.path.clone(),
        ));
    }
    order
        .into_iter()
        .map(|p| Route {
            path_lit: naming::lit(&p),
            methods: by_path
                .remove(&p)
                .unwrap_or_default()
                .into_iter()
                .map(|(m, f, _)| (m, f))
                .collect(),
        })
        .collect()
}
