#![allow(clippy::large_enum_variant, clippy::enum_variant_names, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
//! Data types of the API, one per schema.
{% if api.facts.uses_double_option || (server && api.facts.rejects_null) %}
/// Deserializes a present field as `Some`, so that `null` becomes `Some(None)` while
/// an absent field (through `#[serde(default)]`) stays `None`; for a field that is
/// not nullable, `null` is an error.
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
{% if !f.serde.is_empty() %}#[serde({{ f.serde|join(", ") }}{% if server && f.reject_null %}, deserialize_with = "deserialize_some"{% endif %})]{% endif %}
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
{%- when TypeKind::IntEnum(e) %}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub enum {{ t.name }} {
{% for v in e.variants %}
{{ v.0 }},
{% endfor %}
}

impl From<{{ t.name }}> for i64 {
    fn from(value: {{ t.name }}) -> i64 {
        match value {
{% for v in e.variants %}
            {{ t.name }}::{{ v.0 }} => {{ v.1 }},
{% endfor %}
        }
    }
}

impl TryFrom<i64> for {{ t.name }} {
    type Error = String;

    fn try_from(value: i64) -> Result<Self, String> {
        match value {
{% for v in e.variants %}
            {{ v.1 }} => Ok(Self::{{ v.0 }}),
{% endfor %}
            other => Err(format!("{other} is not one of {{ e.expected }}")),
        }
    }
}
{%- when TypeKind::Union(u) %}
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum {{ t.name }} {
{% for v in u.variants %}
{{ v.name }}({{ v.ty }}),
{% endfor %}
}
{%- when TypeKind::Tagged(u) %}
#[derive(Debug, Clone, PartialEq)]
pub enum {{ t.name }} {
{% for v in u.variants %}
{{ v.name }}({{ v.ty }}),
{% endfor %}
}

impl serde::Serialize for {{ t.name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (tag, value) = match self {
{% for v in u.variants %}
            Self::{{ v.name }}(inner) => ({{ v.tag_lit }}, serde_json::to_value(inner)),
{% endfor %}
        };
        let mut value = value.map_err(serde::ser::Error::custom)?;
        if let serde_json::Value::Object(map) = &mut value {
            map.insert({{ u.tag_lit }}.to_string(), serde_json::Value::String(tag.to_string()));
        }
        serde::Serialize::serialize(&value, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for {{ t.name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
        let tag = value
            .get({{ u.tag_lit }})
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| serde::de::Error::missing_field({{ u.tag_lit }}))?
            .to_string();
        match tag.as_str() {
{% for v in u.variants %}
            {{ v.pattern }} => serde_json::from_value(value).map(Self::{{ v.name }}).map_err(serde::de::Error::custom),
{% endfor %}
            other => Err(serde::de::Error::unknown_variant(other, {{ u.expected_lit }})),
        }
    }
}
{%- when TypeKind::Alias(a) %}
pub type {{ t.name }} = {{ a }};
{%- endmatch %}
{% endfor %}
