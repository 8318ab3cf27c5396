{% macro unknown(s) %}
{% if let Some(extra) = s.extra_slot %}{ let value = map.next_value()?; {{ extra }}.insert(key.into_string(), value); }
{% else if s.deny_unknown %}return Err(serde::de::Error::unknown_field(key.as_str(), &[{% for f in s.fields %}{% if !f.flatten %}{{ f.wire_lit() }}, {% endif %}{% endfor %}]))
{% else %}de::skip(&mut map)?
{% endif %}
{% endmacro %}
{% macro full_serde(ser, de) %}
{% if !ser && !de %}#[cfg_attr(feature = "full-serde", derive(serde::Serialize, serde::Deserialize))]
{% else if !ser %}#[cfg_attr(feature = "full-serde", derive(serde::Serialize))]
{% else if !de %}#[cfg_attr(feature = "full-serde", derive(serde::Deserialize))]
{% endif %}
{% endmacro %}
{%- let de = t.reads(*server) %}
{%- let ser = t.writes(*server) %}
{% for line in t.doc %}///{{ line }}
{% endfor %}
{%- match t.kind %}
{%- when TypeKind::Struct(s) %}
#[derive(Debug, Clone, PartialEq{% if ser %}, serde::Serialize{% endif %})]
{% if !ser %}#[cfg_attr(feature = "full-serde", derive(serde::Serialize))]
{% endif %}pub struct {{ t.name }} {
{% for f in s.fields %}
{% for line in f.doc %}///{{ line }}
{% endfor %}
{% let serde_args = f.serde_args() %}{% if !serde_args.is_empty() %}{% if ser %}#[serde({{ serde_args }})]{% else %}#[cfg_attr(feature = "full-serde", serde({{ serde_args }}))]{% endif %}{% endif %}
pub {{ f.name }}: {{ f.ty() }},
{% endfor %}
}

{% if !de %}#[cfg(feature = "full-serde")]
{% endif %}impl<'de> serde::Deserialize<'de> for {{ t.name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::object(deserializer)
    }
}

{% if !de %}#[cfg(feature = "full-serde")]
{% endif %}impl de::Object for {{ t.name }} {
    const EXPECTING: &'static str = "struct {{ t.name }}";
            fn visit<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
{% for f in s.fields %}
{% let read = f.read(*server) %}
                let mut {{ f.slot }}: {{ read.slot_ty }} = {% match read.take %}{% when Take::Extra %}Default::default(){% when _ %}None{% endmatch %};
{% endfor %}
                while let Some(key) = map.next_key::<de::Key<'de>>()? {
{% if s.has_named %}
                    match key.as_str() {
{% for f in s.fields %}{% if !f.flatten %}
                        {{ f.wire_lit() }} => de::put(&mut {{ f.slot }}, map.next_value()?, {{ f.wire_lit() }})?,
{% endif %}{% endfor %}
                        _ => {% call unknown(s) %}{% endcall %},
                    }
{% else %}
                    {% call unknown(s) %}{% endcall %};
{% endif %}
                }
                Ok({{ t.name }} {
{% for f in s.fields %}
{% match f.read(*server).take %}
{% when Take::Required %}
                    {{ f.name }}: de::required({{ f.slot }}, {{ f.wire_lit() }})?,
{% when Take::Flatten %}
                    {{ f.name }}: {{ f.slot }}.flatten(),
{% when _ %}
                    {{ f.name }}: {{ f.slot }},
{% endmatch %}
{% endfor %}
                })
            }
}
{%- when TypeKind::Enum(e) %}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash{% if ser %}, serde::Serialize{% endif %}{% if de %}, serde::Deserialize{% endif %})]
{% call full_serde(ser, de) %}{% endcall %}pub enum {{ t.name }} {
{% for v in e.variants %}
#[serde(rename = {{ v.wire_lit }})]
{{ v.name }},
{% endfor %}
}
{%- when TypeKind::IntEnum(e) %}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash{% if ser %}, serde::Serialize{% endif %}{% if de %}, serde::Deserialize{% endif %})]
{% call full_serde(ser, de) %}{% endcall %}#[serde(try_from = "i64", into = "i64")]
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
#[derive(Debug, Clone, PartialEq{% if ser %}, serde::Serialize{% endif %}{% if de %}, serde::Deserialize{% endif %})]
{% call full_serde(ser, de) %}{% endcall %}#[serde(untagged)]
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

{% if !ser %}#[cfg(feature = "full-serde")]
{% endif %}impl serde::Serialize for {{ t.name }} {
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

{% if !de %}#[cfg(feature = "full-serde")]
{% endif %}impl<'de> serde::Deserialize<'de> for {{ t.name }} {
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
