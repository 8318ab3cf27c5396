"""The same two petstore endpoints in FastAPI (pydantic validation), for the
load comparison in benches/server.sh."""

from datetime import datetime, timezone
from typing import List, Optional
from uuid import UUID

from fastapi import FastAPI, Header, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

app = FastAPI()


class Pet(BaseModel):
    id: UUID
    name: str
    status: str
    tags: Optional[List[str]] = None
    createdAt: datetime
    weightKg: Optional[float] = None


class NewPet(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    status: Optional[str] = None
    tags: Optional[List[str]] = None
    weightKg: Optional[float] = None


CREATED = datetime.fromtimestamp(1_700_000_000, tz=timezone.utc)
PETS = {
    UUID(int=1): Pet(id=UUID(int=1), name="Rex", status="available", tags=["dog"], createdAt=CREATED, weightKg=12.5)
}


@app.get("/v1/pets/{pet_id}", response_model=Pet, response_model_exclude_none=True)
async def get_pet(pet_id: UUID):
    pet = PETS.get(pet_id)
    if pet is None:
        return JSONResponse(status_code=404, content={"code": 404, "message": "not found"})
    return pet


@app.post("/v1/pets", status_code=201, response_model=Pet, response_model_exclude_none=True)
async def create_pet(new: NewPet, authorization: Optional[str] = Header(default=None)):
    if authorization != "Bearer secret-token":
        raise HTTPException(status_code=401, detail="authentication required", headers={"WWW-Authenticate": "Bearer"})
    return Pet(id=UUID(int=2), name=new.name, status=new.status or "available", tags=new.tags, createdAt=CREATED, weightKg=new.weightKg)
