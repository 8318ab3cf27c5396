#![allow(clippy::large_enum_variant, clippy::enum_variant_names, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
//! Data types of the API, one per schema.
{% if api.facts.has_structs %}
{% if !api.facts.reads_structs(*server) %}#[cfg(feature = "full-serde")]
{% endif %}
/// What the `Deserialize` impls of the structs share. They are written out rather
/// than derived: an object is read in one pass over its keys, with no support for
/// reading a struct from an array, which halves the code serde's derive generates.
#[allow(dead_code)]
mod de {
    use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

    /// A struct read from a JSON object, one key at a time.
    pub(super) trait Object: Sized {
        /// What a wrong value is told it should have been (`struct Pet`).
        const EXPECTING: &'static str;
        /// Read the object's keys and values.
        fn visit<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
    }

    struct ObjectVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::visit(map)
        }
    }

    /// `T` from a JSON object (anything else is refused, an array too).
    pub(super) fn object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
    }

    /// Skip the value of a key the struct does not name.
    pub(super) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(|_| ())
    }

    /// An object key, borrowed from the input where it has no escapes.
    pub(super) struct Key<'de>(std::borrow::Cow<'de, str>);

    impl Key<'_> {
        pub(super) fn as_str(&self) -> &str {
            &self.0
        }

        pub(super) fn into_string(self) -> String {
            self.0.into_owned()
        }
    }

    impl<'de> Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KeyVisitor;
            impl<'de> Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object key")
                }
                fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Borrowed(v)))
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Owned(v.to_string())))
                }
                fn visit_string<E: Error>(self, v: String) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Owned(v)))
                }
            }
            deserializer.deserialize_str(KeyVisitor)
        }
    }

    /// Keep the value of a field, refusing a key that appears twice.
    pub(super) fn put<T, E: Error>(slot: &mut Option<T>, value: T, name: &'static str) -> Result<(), E> {
        if slot.is_some() {
            return Err(E::duplicate_field(name));
        }
        *slot = Some(value);
        Ok(())
    }

    /// The value of a required field.
    pub(super) fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
        slot.ok_or_else(|| E::missing_field(name))
    }
}
{% endif %}
