//! Generates the client of `specs/refs/api.yaml` into `OUT_DIR`. Cargo reruns this
//! only when the spec or a file it `$ref`s changes.

fn main() -> Result<(), oapi_forge::build::BuildError> {
    let spec = std::env::var("SPEC").unwrap_or_else(|_| "../../specs/refs/api.yaml".into());
    println!("cargo:rerun-if-env-changed=SPEC");
    oapi_forge::build::client(spec).file_name("api_client.rs").generate()?;
    Ok(())
}
