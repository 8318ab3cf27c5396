//! The generated client, included from `OUT_DIR`.

include!(concat!(env!("OUT_DIR"), "/api_client.rs"));

#[cfg(test)]
mod tests {
    #[test]
    fn client_is_usable() {
        let client = super::Client::new("http://localhost:1/api");
        assert_eq!(client.base_url(), "http://localhost:1/api");
    }
}
