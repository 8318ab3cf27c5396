#![allow(clippy::large_enum_variant, clippy::enum_variant_names, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
//! Data types of the API, one per schema.
{% if api.facts.uses_double_option %}
/// Deserializes a present field as `Some`, so that `null` becomes `Some(None)` while
/// an absent field (through `#[serde(default)]`) stays `None`.
fn deserialize_some<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}
{% endif %}
{% for t in api.types %}
{% for line in t.doc %}///{{ line }}
{% endfor %}
{%- match t.kind %}
{%- when TypeKind::Struct(s) %}
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
{% if s.deny_unknown %}#[serde(deny_unknown_fields)]{% endif %}
pub struct {{ t.name }} {
{% for f in s.fields %}
{% for line in f.doc %}///{{ line }}
{% endfor %}
{% if !f.serde.is_empty() %}#[serde({{ f.serde|join(", ") }})]{% endif %}
pub {{ f.name }}: {{ f.ty }},
{% endfor %}
}
{%- when TypeKind::Enum(e) %}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum {{ t.name }} {
{% for v in e.variants %}
#[serde(rename = {{ v.wire_lit }})]
{{ v.name }},
{% endfor %}
}
{%- when TypeKind::Union(u) %}
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum {{ t.name }} {
{% for v in u.variants %}
{{ v.name }}({{ v.ty }}),
{% endfor %}
}
{%- when TypeKind::Alias(a) %}
pub type {{ t.name }} = {{ a }};
{%- endmatch %}
{% endfor %}
