"""Settings from environment variables (pydantic-settings). `ITSM_*` for the service, `NEO4J_*` for Neo4j."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ITSM_", env_file=".env", extra="ignore")

    store: Literal["embedded", "neo4j"] = "embedded"
    data_dir: Path = Path("data")
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    cypher_dir: Path = PROJECT_ROOT / "cypher"

    # Embedded ArcadeDB (child process serving Bolt on 127.0.0.1).
    embedded_heap: str = "512m"
    embedded_start_timeout_s: float = Field(60.0, gt=0)

    # Neo4j (production).
    neo4j_uri: str | None = Field(None, validation_alias=AliasChoices("NEO4J_URI", "ITSM_NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER", "ITSM_NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(
        None, validation_alias=AliasChoices("NEO4J_PASSWORD", "ITSM_NEO4J_PASSWORD")
    )
    neo4j_database: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "ITSM_NEO4J_DATABASE"))

    # API bounds.
    page_default: int = Field(50, ge=1)
    page_max: int = Field(200, ge=1)
    query_timeout_s: float = Field(10.0, gt=0, description="server-side time limit of every API query")

    # Loader.
    load_batch_size: int = Field(500, ge=1)

    @model_validator(mode="after")
    def _neo4j_needs_uri(self) -> Settings:
        if self.store == "neo4j" and not self.neo4j_uri:
            raise ValueError("ITSM_STORE=neo4j needs NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD)")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
