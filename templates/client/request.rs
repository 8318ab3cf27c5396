{# One operation's request type of client.rs, rendered one at a time. #}
{% macro response_variants(op, success) %}
{% for r in op.responses %}
{% if r.is_success == success %}
{% for line in r.doc %}///{{ line }}
{% endfor %}
{% if r.code.is_some() %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }}({{ ty }}),{% else %}{{ r.variant }},{% endif %}
{% else %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }} { status: u16, body: {{ ty }} },{% else %}{{ r.variant }} { status: u16 },{% endif %}
{% endif %}
{% endif %}
{% endfor %}
{% endmacro %}

/// A call of [`Client::{{ op.fn_name }}`]: set optional parameters, then
/// `.send().await` (or `.await`).
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent with `.send().await` or `.await`"]
pub struct {{ op.request_type }}<'a> {
    client: &'a Client,
{% for p in op.path_params %}    {{ p.name }}: {{ p.ty }},
{% endfor %}
{% for p in op.query_params %}    {{ p.name }}: {{ p.ty }},
{% endfor %}
{% for p in op.header_params %}    {{ p.name }}: {{ p.ty }},
{% endfor %}
{% for p in op.cookie_params %}    {{ p.name }}: {{ p.ty }},
{% endfor %}
{% if let Some(b) = op.body %}    {{ b.name }}: {{ b.ty }},
{% endif %}
{% if op.client_follows_links %}    /// The `rel="next"` URL of the previous page, when following `Link` headers.
    page_url: Option<String>,
{% endif %}
}

impl<'a> {{ op.request_type }}<'a> {
{% for p in op.query_params.iter().chain(op.header_params.iter()).chain(op.cookie_params.iter()) %}
{% if !p.required %}
{% for line in p.doc %}    ///{{ line }}
{% endfor %}
    pub fn {{ p.name }}(mut self, value: impl Into<{{ p.inner_ty }}>) -> Self {
        self.{{ p.name }} = Some(value.into());
        self
    }
{% endif %}
{% endfor %}
{% if let Some(b) = op.body %}{% if !b.required %}
{% for line in b.doc %}    ///{{ line }}
{% endfor %}
    pub fn {{ b.name }}(mut self, value: impl Into<{{ b.inner_ty }}>) -> Self {
        self.{{ b.name }} = Some(value.into());
        self
    }
{% endif %}{% endif %}

{% if let Some(pg) = op.pagination %}
    /// Every item of every page, as a stream that fetches the next page only when
    /// polled past the current one. Each page is one [`send`](Self::send) (with its
    /// retries); the first error ends the stream.
{% match pg.style %}
{% when PageStyle::Offset %}    ///
    /// Pages by advancing the offset by the number of items received; stops at an
    /// empty page or one shorter than the page size.
{% when PageStyle::Page %}    ///
    /// Pages by incrementing the page number; stops at an empty page or one shorter
    /// than the page size.
{% when PageStyle::Cursor %}    ///
    /// Pages by passing on the cursor the server returns; stops when there is none.
{% when PageStyle::Link %}    ///
    /// Pages by following the `rel="next"` URL of the `Link` header; stops when
    /// there is none.
{% endmatch %}
    pub fn stream(self) -> impl futures_util::Stream<Item = Result<{{ pg.item_ty }}, Error<{{ op.error_type }}>>> + 'a {
        use futures_util::TryStreamExt;
        futures_util::stream::try_unfold(Some(self), |state| async move {
            let Some(request) = state else {
                return Ok(None);
            };
{% match pg.style %}
{% when PageStyle::Link %}
            let response = request.clone().send_with_headers().await?;
            let next_url = next_link(&response.headers, &request.client.inner.base_url);
            let page = response.body;
{% when _ %}
            let page = request.clone().send().await?;
{% endmatch %}
{% if pg.style == PageStyle::Cursor %}
{% match pg.next_access.as_str() %}
{% when "plain" %}            let cursor = Some(page.{{ pg.next_field }}.clone());
{% when "nested" %}            let cursor = page.{{ pg.next_field }}.clone().flatten();
{% when _ %}            let cursor = page.{{ pg.next_field }}.clone();
{% endmatch %}
{% endif %}
            let items: Vec<{{ pg.item_ty }}> = {% if let Some(f) = pg.items_field %}page.{{ f }}{% if pg.items_optional %}.unwrap_or_default(){% endif %}{% else %}page{% endif %};
{% match pg.style %}
{% when PageStyle::Link %}
            let next = match next_url {
                Some(url) if !items.is_empty() && request.page_url.as_deref() != Some(url.as_str()) => {
                    let mut next = request;
                    next.page_url = Some(url);
                    Some(next)
                }
                _ => None,
            };
{% when PageStyle::Cursor %}
            let next = match cursor.filter(|c| !c.is_empty()) {
                Some(c) if !items.is_empty() && {% if pg.param_required %}request.{{ pg.param }} != c{% else %}request.{{ pg.param }}.as_deref() != Some(c.as_str()){% endif %} => {
                    let mut next = request;
                    next.{{ pg.param }} = {% if pg.param_required %}c{% else %}Some(c){% endif %};
                    Some(next)
                }
                _ => None,
            };
{% when _ %}
            let count = items.len();
{% if let Some(limit) = pg.limit %}
            let full = {% if pg.limit_required %}Some(request.{{ limit }}){% else %}request.{{ limit }}{% endif %}.map_or(count > 0, |size| usize::try_from(size).is_ok_and(|size| count >= size && size > 0));
{% else %}
            let full = count > 0;
{% endif %}
            let current = {% if pg.param_required %}request.{{ pg.param }}{% else %}request.{{ pg.param }}.unwrap_or({{ pg.start_lit }}){% endif %};
{% if pg.style == PageStyle::Offset %}
            let advanced = {{ pg.param_ty }}::try_from(count).ok().and_then(|step| current.checked_add(step));
{% else %}
            let advanced = current.checked_add(1);
{% endif %}
            let next = match advanced {
                Some(value) if full => {
                    let mut next = request;
                    next.{{ pg.param }} = {% if pg.param_required %}value{% else %}Some(value){% endif %};
                    Some(next)
                }
                _ => None,
            };
{% endmatch %}
            Ok(Some((futures_util::stream::iter(items.into_iter().map(Ok)), next)))
        })
        .try_flatten()
    }

{% endif %}
    /// Send the request and decode the response.
    pub fn send(self) -> impl std::future::Future<Output = Result<{{ op.success_type }}, Error<{{ op.error_type }}>>> + 'a {
        let client = self.client;
        client.call_body(self.build(), {% if api.facts.server_auth %}{% if let Some(sec) = op.security %}Some({{ sec.alternatives_lit }}){% else %}None{% endif %}, {% endif %}{{ op.idempotent }}, {{ op.route_lit }}, Self::decode)
    }

    /// Send the request; the decoded body comes with the status and headers.
    pub fn send_with_headers(self) -> impl std::future::Future<Output = Result<Response<{{ op.success_type }}>, Error<{{ op.error_type }}>>> + 'a {
        let client = self.client;
        client.call(self.build(), {% if api.facts.server_auth %}{% if let Some(sec) = op.security %}Some({{ sec.alternatives_lit }}){% else %}None{% endif %}, {% endif %}{{ op.idempotent }}, {{ op.route_lit }}, Self::decode)
    }
{% if op.client_download %}

    /// Send the request and stream the body of a successful response instead of
    /// buffering it (error responses are decoded as by [`send`](Self::send)).
    pub async fn send_streaming(self) -> Result<impl futures_util::Stream<Item = Result<bytes::Bytes, Error<{{ op.error_type }}>>> + Send + use<>, Error<{{ op.error_type }}>> {
        let client = self.client;
        let http_response = client.dispatch(self.build(), {% if api.facts.server_auth %}{% if let Some(sec) = op.security %}Some({{ sec.alternatives_lit }}){% else %}None{% endif %}, {% endif %}{{ op.idempotent }}, {{ op.route_lit }}).await?;
        let http_status = http_response.status().as_u16();
        if http_response.status().is_success() {
            return Ok(futures_util::TryStreamExt::map_err(http_response.bytes_stream(), transport_error));
        }
        let http_headers = http_response.headers().clone();
        let http_body = http_response.bytes().await.map_err(transport_error)?;
        match Self::decode(http_status, http_headers.clone(), &http_body) {
            Err(e) => Err(e),
            Ok(_) => Err(Error::UnexpectedStatus { status: http_status, headers: http_headers, body: http_body.to_vec() }),
        }
    }
{% endif %}

    /// The HTTP request (credentials and retries are the client's part).
    fn build(self) -> Result<reqwest::RequestBuilder, Error<{{ op.error_type }}>> {
        let mut http_url = self.client.inner.base_url.clone();
{% for seg in op.path_segments %}
{% match seg %}
{% when PathSegment::Literal(l) %}        http_url.push_str({{ l }});
{% when PathSegment::Char(c) %}        http_url.push({{ c }});
{% when PathSegment::Param(p) %}        http_url.push_str(&encode_path_segment(&param_string(&self.{{ p }})));
{% endmatch %}
{% endfor %}
{% if op.client_follows_links %}
        let http_url = self.page_url.clone().unwrap_or(http_url);
{% endif %}
        {% if op.client_request_mut %}let mut{% else %}let{% endif %} http_request = self.client.inner.http.request(reqwest::Method::{{ op.method }}, http_url);
{% if !op.query_params.is_empty() %}
{% if op.client_follows_links %}
        if self.page_url.is_none() {
{% endif %}
{% if op.query_has_plain %}
{% if op.query_required_scalars %}
        let {% if op.query_grows %}mut {% endif %}http_query: Vec<(&str, String)> = Vec::from([
{% for p in op.query_params %}{% if p.required && !p.is_list && !p.deep_object %}            ({{ p.wire_lit }}, param_string(&self.{{ p.name }})),
{% endif %}{% endfor %}
        ]);
{% else %}
        let mut http_query: Vec<(&str, String)> = Vec::new();
{% endif %}
{% for p in op.query_params %}
{% if p.deep_object %}
{% else if p.required %}
{% if p.is_list %}
{% if let Some(d) = p.delimiter %}
        http_query.push(({{ p.wire_lit }}, self.{{ p.name }}.iter().map(param_string).collect::<Vec<_>>().join({{ d }})));
{% else %}
        for item in &self.{{ p.name }} {
            http_query.push(({{ p.wire_lit }}, param_string(item)));
        }
{% endif %}
{% endif %}
{% else %}
        if let Some(given) = &self.{{ p.name }} {
{% if p.is_list %}
{% if let Some(d) = p.delimiter %}
            http_query.push(({{ p.wire_lit }}, given.iter().map(param_string).collect::<Vec<_>>().join({{ d }})));
{% else %}
            for item in given {
                http_query.push(({{ p.wire_lit }}, param_string(item)));
            }
{% endif %}
{% else %}
            http_query.push(({{ p.wire_lit }}, param_string(given)));
{% endif %}
        }
{% endif %}
{% endfor %}
        http_request = http_request.query(&http_query);
{% endif %}
{% for p in op.query_params %}{% if p.deep_object %}
{% if p.required %}
        http_request = http_request.query(&deep_object({{ p.wire_lit }}, &self.{{ p.name }}));
{% else %}
        if let Some(given) = &self.{{ p.name }} {
            http_request = http_request.query(&deep_object({{ p.wire_lit }}, given));
        }
{% endif %}
{% endif %}{% endfor %}
{% if op.client_follows_links %}
        }
{% endif %}
{% endif %}
{% for p in op.header_params %}
{% if p.required %}
        http_request = http_request.header({{ p.wire_lit }}, param_string(&self.{{ p.name }}));
{% else %}
        if let Some(given) = &self.{{ p.name }} {
            http_request = http_request.header({{ p.wire_lit }}, param_string(given));
        }
{% endif %}
{% endfor %}
{% if !op.cookie_params.is_empty() %}
        let mut http_cookies: Vec<String> = Vec::new();
{% for p in op.cookie_params %}
{% if p.required %}
        http_cookies.push(format!("{}={}", {{ p.wire_lit }}, encode_path_segment(&param_string(&self.{{ p.name }}))));
{% else %}
        if let Some(given) = &self.{{ p.name }} {
            http_cookies.push(format!("{}={}", {{ p.wire_lit }}, encode_path_segment(&param_string(given))));
        }
{% endif %}
{% endfor %}
        if !http_cookies.is_empty() {
            http_request = http_request.header(reqwest::header::COOKIE, http_cookies.join("; "));
        }
{% endif %}
{% if let Some(b) = op.body %}
{% if b.required %}
        let http_body = self.{{ b.name }};
{% else %}
        if let Some(http_body) = self.{{ b.name }} {
{% endif %}
{% match b.kind %}
{% when BodyKind::Json %}            http_request = http_request.json(&http_body);
{% when BodyKind::Form %}            http_request = http_request.form(&http_body);
{% when BodyKind::Multipart %}            http_request = http_request.multipart(http_body.into_form().map_err(transport_error)?);
{% when BodyKind::Choice %}
            http_request = match http_body {
{% for c in b.choices %}
{% match c.kind %}
{% when BodyKind::Json %}                {{ b.inner_ty }}::Json(value) => http_request.json(&value),
{% when BodyKind::Form %}                {{ b.inner_ty }}::Form(value) => http_request.form(&value),
{% when BodyKind::Multipart %}                {{ b.inner_ty }}::Multipart(value) => http_request.multipart(value.into_form().map_err(transport_error)?),
{% when _ %}                {{ b.inner_ty }}::{{ c.variant }}(value) => http_request.header(reqwest::header::CONTENT_TYPE, {{ c.content_type_lit }}).body(value),
{% endmatch %}
{% endfor %}
            };
{% when _ %}            http_request = http_request.header(reqwest::header::CONTENT_TYPE, {{ b.content_type_lit }}).body(http_body);
{% endmatch %}
{% if !b.required %}
        }
{% endif %}
{% endif %}
        Ok(http_request)
    }

    /// Decode a response by its status.
    fn decode(http_status: u16, http_headers: reqwest::header::HeaderMap, {% if op.client_reads_body %}http_body{% else %}_http_body{% endif %}: &[u8]) -> Result<Response<{{ op.success_type }}>, Error<{{ op.error_type }}>> {
{% if !op.client_single_arm %}
        match http_status {
{% endif %}
{% for r in op.responses %}
{% if op.client_single_arm %}
{% else if let Some(code) = r.code %}            {{ code }} => {
{% else if let Some(range) = r.range %}            {{ range }}00..={{ range }}99 => {
{% else %}            _ => {
{% endif %}
{% if let Some(ty) = r.body_ty %}
{% match r.body_kind %}
{% when BodyKind::Json %}                let decoded: {{ ty }} = decode_json(http_status, &http_headers, http_body)?;
{% when BodyKind::Text %}                let decoded = String::from_utf8_lossy(http_body).into_owned();
{% when _ %}                let decoded = http_body.to_vec();
{% endmatch %}
{% endif %}
{% if r.is_success %}
{% if let Some(success) = op.success_enum %}
{% if r.code.is_some() %}
                Ok(Response { status: http_status, headers: http_headers, body: {{ success }}::{{ r.variant }}{% if r.body_ty.is_some() %}(decoded){% endif %} })
{% else %}
                Ok(Response { status: http_status, headers: http_headers, body: {{ success }}::{{ r.variant }} { status: http_status{% if r.body_ty.is_some() %}, body: decoded{% endif %} } })
{% endif %}
{% else %}
                Ok(Response { status: http_status, headers: http_headers, body: {% if r.body_ty.is_some() %}decoded{% else %}(){% endif %} })
{% endif %}
{% else %}
{% if r.code.is_some() %}
                Err(Error::Api({{ op.error_type }}::{{ r.variant }}{% if r.body_ty.is_some() %}(decoded){% endif %}))
{% else %}
                Err(Error::Api({{ op.error_type }}::{{ r.variant }} { status: http_status{% if r.body_ty.is_some() %}, body: decoded{% endif %} }))
{% endif %}
{% endif %}
{% if !op.client_single_arm %}
            }
{% endif %}
{% endfor %}
{% if op.client_single_arm %}
{% if op.responses.is_empty() %}
        Err(Error::UnexpectedStatus { status: http_status, headers: http_headers, body: http_body.to_vec() })
{% endif %}
{% else %}
{% if !op.has_default %}
            _ => Err(Error::UnexpectedStatus { status: http_status, headers: http_headers, body: http_body.to_vec() }),
{% endif %}
        }
{% endif %}
    }
}

impl<'a> std::future::IntoFuture for {{ op.request_type }}<'a> {
    type Output = Result<{{ op.success_type }}, Error<{{ op.error_type }}>>;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Documented error responses of [`Client::{{ op.fn_name }}`].
#[derive(Debug, Clone)]
pub enum {{ op.error_type }} {
{% call response_variants(op, false) %}{% endcall %}
}
{% if let Some(success) = op.success_enum %}

/// Documented success responses of [`Client::{{ op.fn_name }}`].
#[derive(Debug, Clone)]
pub enum {{ success }} {
{% call response_variants(op, true) %}{% endcall %}
}
{% endif %}
