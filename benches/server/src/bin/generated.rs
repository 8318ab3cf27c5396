//! The generated petstore server with an in-memory `Api`, behind the generated
//! router and its full middleware stack (tracing, metrics, request ids, limits …).

use std::sync::{Arc, Mutex};

use petstore_server::api::*;
use petstore_server::models;

struct Store {
    pets: Mutex<Vec<models::Pet>>,
}

fn pet(id: uuid::Uuid, name: String) -> models::Pet {
    models::Pet {
        id,
        name,
        status: models::PetStatus::Available,
        tags: Some(vec!["dog".into()]),
        owner: None,
        birth_date: None,
        created_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
        weight_kg: Some(12.5),
        vaccinations: None,
        description: None,
    }
}

impl Api for Store {
    type Principal = ();

    async fn authenticate(&self, _: Scheme, credential: Credential, _: &'static [&'static str]) -> Result<(), AuthError> {
        match credential {
            Credential::Bearer(t) if t == "secret-token" => Ok(()),
            _ => Err(AuthError::unauthorized("bad token")),
        }
    }

    async fn list_pets(&self, _: ListPetsRequest, _: Option<()>) -> Result<ListPetsResponse, HandlerError> {
        Err(HandlerError::not_implemented("listPets"))
    }

    async fn create_pet(&self, request: CreatePetRequest, _: ()) -> Result<CreatePetResponse, HandlerError> {
        let created = pet(uuid::Uuid::from_u128(2), request.body.name);
        Ok(CreatePetResponse::Created(created))
    }

    async fn get_pet(&self, request: GetPetRequest) -> Result<GetPetResponse, HandlerError> {
        let pets = self.pets.lock().map_err(|_| HandlerError::internal())?;
        Ok(match pets.iter().find(|p| p.id == request.pet_id) {
            Some(p) => GetPetResponse::Ok(p.clone()),
            None => GetPetResponse::NotFound(models::Error { code: 404, message: "not found".into(), details: None }),
        })
    }

    async fn update_pet(&self, _: UpdatePetRequest, _: ()) -> Result<UpdatePetResponse, HandlerError> {
        Err(HandlerError::not_implemented("updatePet"))
    }

    async fn delete_pet(&self, _: DeletePetRequest, _: ()) -> Result<DeletePetResponse, HandlerError> {
        Err(HandlerError::not_implemented("deletePet"))
    }

    async fn find_pets_by_status(&self, _: FindPetsByStatusRequest) -> Result<FindPetsByStatusResponse, HandlerError> {
        Err(HandlerError::not_implemented("findPetsByStatus"))
    }
}

#[tokio::main]
async fn main() {
    let store = Store { pets: Mutex::new(vec![pet(uuid::Uuid::from_u128(1), "Rex".into())]) };
    // `STACK=bare`: only the generated router (extraction, validation, auth), like the
    // hand-written service; otherwise the full `app` with its middleware.
    let app = if std::env::var("STACK").as_deref() == Ok("bare") {
        petstore_server::router::mounted(Arc::new(store), "/v1")
    } else {
        let config = petstore_server::router::ServerConfig { compression: false, ..Default::default() };
        petstore_server::router::app(Arc::new(store), &config)
    };
    let listener = tokio::net::TcpListener::bind(std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:0".into())).await.expect("bind");
    println!("listening on http://{}", listener.local_addr().expect("addr"));
    axum::serve(listener, app).await.expect("serve");
}
