//! What a careful engineer writes by hand with axum for the same two endpoints:
//! typed extraction, the same validation (`name` 1..=100 characters, 422 otherwise),
//! the same auth check. No middleware, or with `STACK=full` the tower-http layers a
//! production service adds by hand (request ids set and echoed, tracing, panics →
//! 500, timeout, body limit, CORS), for comparison with the generated full stack.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

#[derive(Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pet {
    id: uuid::Uuid,
    name: String,
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    created_at: chrono::DateTime<chrono::Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight_kg: Option<f64>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewPet {
    name: String,
    status: Option<String>,
    tags: Option<Vec<String>>,
    weight_kg: Option<f64>,
}

struct AppState {
    pets: Vec<Pet>,
}

async fn get_pet(State(state): State<Arc<AppState>>, Path(id): Path<uuid::Uuid>) -> Response {
    match state.pets.iter().find(|p| p.id == id) {
        Some(p) => Json(p.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(serde_json::json!({"code": 404, "message": "not found"}))).into_response(),
    }
}

async fn create_pet(headers: HeaderMap, body: Result<Json<NewPet>, axum::extract::rejection::JsonRejection>) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer secret-token") {
        return (StatusCode::UNAUTHORIZED, [("www-authenticate", "Bearer")], Json(serde_json::json!({"detail": "authentication required"}))).into_response();
    }
    let Json(new) = match body {
        Ok(b) => b,
        Err(e) => return (e.status(), Json(serde_json::json!({"detail": e.body_text()}))).into_response(),
    };
    let len = new.name.chars().count();
    if !(1..=100).contains(&len) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({"detail": [{"type": "string_length", "loc": ["body", "name"], "msg": "length must be 1..=100", "input": new.name}]})),
        )
            .into_response();
    }
    let pet = Pet {
        id: uuid::Uuid::from_u128(2),
        name: new.name,
        status: new.status.unwrap_or_else(|| "available".into()),
        tags: new.tags,
        created_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
        weight_kg: new.weight_kg,
    };
    (StatusCode::CREATED, Json(pet)).into_response()
}

#[tokio::main]
async fn main() {
    let state = Arc::new(AppState {
        pets: vec![Pet {
            id: uuid::Uuid::from_u128(1),
            name: "Rex".into(),
            status: "available".into(),
            tags: Some(vec!["dog".into()]),
            created_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            weight_kg: Some(12.5),
        }],
    });
    let app = Router::new()
        .route("/v1/pets/{id}", get(get_pet))
        .route("/v1/pets", post(create_pet))
        .with_state(state);
    let app = if std::env::var("STACK").as_deref() == Ok("full") {
        app.layer(
            tower::ServiceBuilder::new()
                .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(tower_http::request_id::MakeRequestUuid))
                .layer(tower_http::trace::TraceLayer::new_for_http())
                .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
                .layer(tower_http::catch_panic::CatchPanicLayer::new())
                .layer(tower_http::cors::CorsLayer::new())
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, std::time::Duration::from_secs(30)))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(2 * 1024 * 1024)),
        )
    } else {
        app
    };
    let listener = tokio::net::TcpListener::bind(std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:0".into())).await.expect("bind");
    println!("listening on http://{}", listener.local_addr().expect("addr"));
    axum::serve(listener, app).await.expect("serve");
}
