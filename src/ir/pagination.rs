//! Pagination: which list operations page, and how.
//!
//! Recognised from the operation (a GET whose single success body is an array, or an
//! object holding one) in this order:
//!
//! 1. the vendor extension `x-pagination` on the operation:
//!    ```yaml
//!    x-pagination:
//!      style: cursor        # offset | page | cursor | link
//!      items: data          # array property of the body (omit when the body is the array)
//!      offset: offset       # offset style: query parameter of the first item
//!      page: page           # page style: query parameter of the page number
//!      limit: limit         # offset/page styles: page-size query parameter
//!      cursor: cursor       # cursor style: query parameter taking the cursor
//!      next: next_cursor    # cursor style: body property holding the next cursor
//!    ```
//!    Every key but `style` is optional and defaults to the names below.
//! 2. cursor: a query parameter named like `cursor`/`after`/`page_token` and a body
//!    property named like `next_cursor`/`nextPageToken`/`next`;
//! 3. link: the success response documents a `Link` header (RFC 8288 `rel="next"`);
//! 4. offset: an integer `offset`/`skip`/`start` query parameter (page size from
//!    `limit`/`per_page`/`size` …);
//! 5. page: an integer `page`/`page_number` query parameter.

use serde_json::Value;

use super::{Operation, Param, TypeDef, TypeKind};

/// How an operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `offset` advanced by the number of items received.
    Offset,
    /// `page` advanced by one.
    Page,
    /// An opaque cursor from the body.
    Cursor,
    /// The `rel="next"` URL of the `Link` header.
    Link,
}

/// A paginated operation.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Style.
    pub style: PageStyle,
    /// Rust type of one item.
    pub item_ty: String,
    /// Body field holding the items (`None`: the body is the array).
    pub items_field: Option<String>,
    /// That field is an `Option`.
    pub items_optional: bool,
    /// Rust name of the offset, page or cursor parameter (offset, page, cursor
    /// styles).
    pub param: String,
    /// Wire name of that parameter as a Rust literal.
    pub param_wire_lit: String,
    /// Its type (without `Option`).
    pub param_ty: String,
    /// It is a required parameter (not an `Option` in the request).
    pub param_required: bool,
    /// The page-size parameter is required.
    pub limit_required: bool,
    /// The server's expression for the item count of a body `body: &T`.
    pub len_expr: String,
    /// Value of that parameter when the caller did not set it, as a literal.
    pub start_lit: String,
    /// Rust name of the page-size parameter.
    pub limit: Option<String>,
    /// Wire name of the page-size parameter as a Rust literal.
    pub limit_wire_lit: String,
    /// The page size's default from the spec, as a literal.
    pub limit_default_lit: Option<String>,
    /// The page size's maximum from the spec, as a literal (for clamping).
    pub limit_max_lit: Option<String>,
    /// Cursor style: body field with the next cursor.
    pub next_field: String,
    /// How the next cursor is read: `Option<String>` (`opt`), `String` (`plain`),
    /// `Option<Option<String>>` (`nested`).
    pub next_access: String,
    /// The server adds `Link` headers (offset and page parameters exist).
    pub server_links: bool,
    /// The server links advance by the item count (offset) or by one (page).
    pub server_offset: bool,
}

const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "after",
    "page_token",
    "pagetoken",
    "next_token",
    "nexttoken",
    "starting_after",
    "continuation_token",
    "continuationtoken",
    "marker",
    "page_cursor",
];
const NEXT_FIELDS: &[&str] = &[
    "next_cursor",
    "nextcursor",
    "next_page_token",
    "nextpagetoken",
    "next_token",
    "nexttoken",
    "next",
    "cursor",
    "continuation_token",
    "continuationtoken",
    "end_cursor",
    "endcursor",
    "next_marker",
];
const ITEM_FIELDS: &[&str] = &[
    "data", "items", "results", "records", "entries", "values", "content", "list", "nodes",
];
const OFFSET_PARAMS: &[&str] = &["offset", "skip", "start"];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pagenumber"];
const LIMIT_PARAMS: &[&str] = &[
    "limit",
    "per_page",
    "perpage",
    "page_size",
    "pagesize",
    "size",
    "count",
    "max",
    "take",
];
const INTEGERS: &[&str] = &[
    "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "isize", "usize",
];

fn norm(s: &str) -> String {
    s.to_ascii_lowercase().replace('-', "_")
}

/// Strip one `Wrapper<…>` from a rendered type.
fn strip<'t>(ty: &'t str, wrapper: &str) -> Option<&'t str> {
    ty.strip_prefix(wrapper)?
        .strip_prefix('<')?
        .strip_suffix('>')
}

/// A type as written inside `models` (`Vec<Pet>`), as seen from outside it
/// (`Vec<models::Pet>`).
fn qualify(ty: &str, types: &[TypeDef]) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() && !out.ends_with("::") && types.iter().any(|t| t.name == *word) {
            out.push_str("models::");
        }
        out.push_str(word);
        word.clear();
    };
    for c in ty.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Detect how `op` pages, given the finished named types.
pub fn detect(op: &Operation, ext: Option<&Value>, types: &[TypeDef]) -> Option<Pagination> {
    if op.method != "GET" || op.success_enum.is_some() {
        return None;
    }
    let ext = ext.and_then(Value::as_object);
    let key = |k: &str| ext.and_then(|e| e.get(k)).and_then(Value::as_str);
    let body = op.success_type.as_str();
    // Items: the body itself, or an array field of a body struct.
    let (fields, items_field, items_optional, item_ty) = match strip(body, "Vec") {
        Some(item) => (Vec::new(), None, false, item.to_string()),
        None => {
            let name = body.strip_prefix("models::")?;
            let def = types.iter().find(|t| t.name == name)?;
            let TypeKind::Struct(st) = &def.kind else {
                return None;
            };
            let arrays: Vec<_> = st
                .fields
                .iter()
                .filter_map(|f| {
                    let ty = f.ty();
                    let (inner, optional) = match strip(&ty, "Option") {
                        Some(inner) => (inner, true),
                        None => (ty.as_str(), false),
                    };
                    strip(inner, "Vec").map(|item| (f, optional, qualify(item, types)))
                })
                .collect();
            let chosen = match key("items") {
                Some(wanted) => arrays.iter().find(|(f, _, _)| f.wire == wanted),
                None => arrays
                    .iter()
                    .find(|(f, _, _)| ITEM_FIELDS.contains(&norm(&f.wire).as_str()))
                    .or(if arrays.len() == 1 {
                        arrays.first()
                    } else {
                        None
                    }),
            }?;
            (
                st.fields.clone(),
                Some(chosen.0.name.clone()),
                chosen.1,
                chosen.2.clone(),
            )
        }
    };
    let query = |names: &[&str], explicit: Option<&str>| -> Option<&Param> {
        op.query_params.iter().find(|p| match explicit {
            Some(e) => p.wire == e,
            None => names.contains(&norm(&p.wire).as_str()),
        })
    };
    let integer = |p: &&Param| INTEGERS.contains(&p.inner_ty.as_str());
    let next_field = |explicit: Option<&str>| {
        fields.iter().find_map(|f| {
            let matches = match explicit {
                Some(e) => f.wire == e,
                None => NEXT_FIELDS.contains(&norm(&f.wire).as_str()),
            };
            let access = match f.ty().as_str() {
                "String" => "plain",
                "Option<String>" => "opt",
                "Option<Option<String>>" => "nested",
                _ => return None,
            };
            matches.then(|| (f.name.clone(), access.to_string()))
        })
    };
    let documents_link = op.responses.iter().any(|r| {
        r.is_success
            && r.headers
                .iter()
                .any(|h| h.wire_lit.trim_matches('"') == "link")
    });

    let mut page = Pagination {
        style: PageStyle::Link,
        item_ty,
        items_field,
        items_optional,
        param: String::new(),
        param_wire_lit: String::new(),
        param_ty: String::new(),
        param_required: false,
        limit_required: false,
        len_expr: String::new(),
        start_lit: String::new(),
        limit: None,
        limit_wire_lit: String::new(),
        limit_default_lit: None,
        limit_max_lit: None,
        next_field: String::new(),
        next_access: String::new(),
        server_links: false,
        server_offset: false,
    };
    let limit = query(LIMIT_PARAMS, key("limit")).filter(integer);
    let offset = query(OFFSET_PARAMS, key("offset")).filter(integer);
    let page_param = query(PAGE_PARAMS, key("page")).filter(integer);
    let set_counter = |page: &mut Pagination, p: &Param, start: &str| {
        page.param = p.name.clone();
        page.param_wire_lit = p.wire_lit.clone();
        page.param_ty = p.inner_ty.clone();
        page.param_required = p.required;
        page.start_lit = p.default_lit.clone().unwrap_or_else(|| start.to_string());
    };
    let style = match key("style") {
        Some("offset") => Some(PageStyle::Offset),
        Some("page") => Some(PageStyle::Page),
        Some("cursor") => Some(PageStyle::Cursor),
        Some("link") => Some(PageStyle::Link),
        Some(_) => return None,
        None => None,
    };
    let cursor = query(CURSOR_PARAMS, key("cursor")).filter(|p| p.inner_ty == "String");
    let next = next_field(key("next"));
    page.style = match style {
        Some(s) => s,
        None if cursor.is_some() && next.is_some() => PageStyle::Cursor,
        None if documents_link => PageStyle::Link,
        None if offset.is_some() => PageStyle::Offset,
        None if page_param.is_some() => PageStyle::Page,
        None => return None,
    };
    if let Some(l) = limit {
        page.limit = Some(l.name.clone());
        page.limit_required = l.required;
        page.limit_wire_lit = l.wire_lit.clone();
        page.limit_default_lit = l.default_lit.clone();
        page.limit_max_lit = l.max_lit.clone();
    }
    match page.style {
        PageStyle::Cursor => {
            let cursor = cursor?;
            let (field, access) = next?;
            page.param = cursor.name.clone();
            page.param_wire_lit = cursor.wire_lit.clone();
            page.param_ty = cursor.inner_ty.clone();
            page.param_required = cursor.required;
            page.next_field = field;
            page.next_access = access;
        }
        PageStyle::Offset => set_counter(&mut page, offset?, "0"),
        PageStyle::Page => set_counter(&mut page, page_param?, "1"),
        PageStyle::Link => {
            // The server can write the `Link` itself when it knows the counters.
            if let Some(o) = offset {
                set_counter(&mut page, o, "0");
                page.server_offset = true;
                page.server_links = true;
            } else if let Some(p) = page_param {
                set_counter(&mut page, p, "1");
                page.server_links = true;
            }
        }
    }
    page.len_expr = match (&page.items_field, page.items_optional) {
        (None, _) => "body.len()".to_string(),
        (Some(f), false) => format!("body.{f}.len()"),
        (Some(f), true) => format!("body.{f}.as_ref().map_or(0, Vec::len)"),
    };
    if matches!(page.style, PageStyle::Offset | PageStyle::Page) {
        page.server_links = true;
        page.server_offset = page.style == PageStyle::Offset;
    }
    Some(page)
}
