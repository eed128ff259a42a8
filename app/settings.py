"""Settings from environment variables (pydantic-settings). `ITSM_*` for the service, `NEO4J_*` for Neo4j."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from limits import parse_many
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from seed.limits import LoadLimits

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ITSM_", env_file=".env", extra="ignore")

    store: Literal["embedded", "neo4j"] = "embedded"
    data_dir: Path = Path("data")
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    cypher_dir: Path = PROJECT_ROOT / "cypher"
    # Organisations' own role catalogues and skill inventories (`itsm-ontology import`, docs/overlay.md):
    # one folder per source; unset, `<data_dir>/organisations`.
    organisations_dir: Path | None = None

    # Embedded ArcadeDB (child process serving Bolt on 127.0.0.1).
    embedded_heap: str = "512m"
    embedded_start_timeout_s: float = Field(60.0, gt=0)
    arcadedb_build: Literal["jvm", "native"] = Field(
        "jvm",
        description="which ArcadeDB build the embedded store's child runs: `jvm` (arcadedb-embedded, a JVM "
        "through JPype) or `native` (the `arcadedb` package, the engine as a native library, no JVM; "
        "starts in 0.4 s, but loads 1M relationships 4x slower: docs/performance.md)",
    )

    # Neo4j (production).
    neo4j_uri: str | None = Field(None, validation_alias=AliasChoices("NEO4J_URI", "ITSM_NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER", "ITSM_NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(
        None, validation_alias=AliasChoices("NEO4J_PASSWORD", "ITSM_NEO4J_PASSWORD")
    )
    neo4j_database: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "ITSM_NEO4J_DATABASE"))
    # Optional: a Neo4j user granted only reads, for ad-hoc Cypher (else the main user in READ mode).
    neo4j_readonly_user: str | None = Field(
        None, validation_alias=AliasChoices("NEO4J_READONLY_USER", "ITSM_NEO4J_READONLY_USER")
    )
    neo4j_readonly_password: SecretStr | None = Field(
        None, validation_alias=AliasChoices("NEO4J_READONLY_PASSWORD", "ITSM_NEO4J_READONLY_PASSWORD")
    )

    # Both stores: how long the driver retries a failed transaction (store down, transient error)
    # before the API answers 503 with Retry-After, or a CLI command gives up.
    store_retry_s: float = Field(3.0, ge=0, description="driver retry time for failed transactions")
    # Bounds on every store call: opening a connection (TCP and Bolt handshake), waiting for a
    # pooled one, and the one long transaction a load writes in (API queries use query_timeout_s).
    store_connection_timeout_s: float = Field(5.0, gt=0, description="connect and Bolt handshake")
    store_acquisition_timeout_s: float = Field(10.0, gt=0, description="wait for a pooled connection")
    store_write_timeout_s: float = Field(600.0, gt=0, description="time limit of a load's transaction")

    # Supervision: a watchdog probes the store (a Bolt `RETURN 1` on its own socket) and restarts
    # the embedded child when it dies or stops answering. Neo4j is probed, never restarted.
    store_probe_interval_s: float = Field(1.0, gt=0, description="time between two probes")
    store_probe_timeout_s: float = Field(2.0, gt=0, description="a probe slower than this failed")
    store_probe_failures: int = Field(2, ge=1, description="failed probes in a row that mean hung")
    store_restart_attempts: int = Field(5, ge=1, description="restarts in a row before giving up")
    store_restart_backoff_s: float = Field(1.0, ge=0, description="first pause between restarts (doubles)")
    store_restart_stable_s: float = Field(60.0, gt=0, description="uptime that resets the restart count")

    # API bounds.
    load_on_start: bool = Field(
        False, description="serve: validate and load the ontology first unless the store holds it (serve --load)"
    )
    answer_cache: bool = Field(
        True, description="keep each GET /v1 answer in memory until the release changes (app/api/answers.py)"
    )
    memory_graph_max_relationships: int = Field(
        300_000, ge=0, description="largest release whose graph is held in memory for neighbours (0: never)"
    )
    page_default: int = Field(50, ge=1)
    page_max: int = Field(200, ge=1)
    query_timeout_s: float = Field(10.0, gt=0, description="server-side time limit of every API query")
    max_body_bytes: int = Field(1_000_000, ge=1024, description="largest request body accepted (413 beyond)")
    body_timeout_s: float = Field(10.0, gt=0, description="time for a whole request body to arrive (408 beyond)")
    cursor_secret: SecretStr | None = Field(
        None, description="key that signs page cursors; set the same on every worker (default: random per process)"
    )

    # Ad-hoc Cypher (POST /v1/cypher, saved queries, `itsm-ontology cypher|query`).
    cypher_timeout_s: float = Field(10.0, gt=0, description="time limit of one ad-hoc query")
    cypher_default_rows: int = Field(1000, ge=1, description="rows returned when the request names no limit")
    cypher_max_rows: int = Field(10000, ge=1, description="the largest limit a request may ask for")
    cypher_max_response_bytes: int = Field(5_000_000, ge=1024, description="cap on the serialised rows")
    cypher_max_query_chars: int = Field(20_000, ge=16, description="longest query text accepted")
    cypher_max_parameter_bytes: int = Field(100_000, ge=2, description="largest parameters object (as JSON)")
    cypher_max_concurrent: int = Field(4, ge=1, description="ad-hoc queries running at once; more get 503")
    cypher_api_key: SecretStr | None = Field(
        None, description="when set, ad-hoc Cypher and running saved queries need it in X-API-Key"
    )
    cypher_rate_limit: str | None = Field(
        "60/minute",
        description="ad-hoc queries per client (key, else address), `limits` notation such as "
        "'60/minute' or '5/second;100/hour'; empty for none",
    )
    cypher_enabled: bool = Field(True, description="false: ad-hoc Cypher and running saved queries answer 403")
    # Serving ad-hoc Cypher without a key where that is unsafe (the Neo4j store, a non-loopback
    # interface) stops the service at start-up unless this says it is meant.
    allow_open_cypher: bool = Field(False, description="accept ad-hoc Cypher without a key on an exposed set-up")

    # MCP: `itsm-ontology mcp` (stdio) and, when enabled, the streamable HTTP transport at /mcp.
    mcp_enabled: bool = Field(False, description="mount the MCP streamable HTTP transport at /mcp")
    mcp_max_rows: int = Field(100, ge=1, description="items of any one list in an MCP answer (Cypher rows too)")
    mcp_max_bytes: int = Field(50_000, ge=1024, description="serialised size of one MCP answer")
    mcp_timeout_s: float = Field(20.0, gt=0, description="time limit of one MCP tool call")

    # Analytics (GET /v1/analytics/central-nodes): computed once per release, bounded.
    analytics_max_nodes: int = Field(200_000, ge=1, description="a larger graph is not ranked (503)")
    analytics_max_edges: int = Field(1_000_000, ge=1, description="more relationships: not ranked (503)")
    analytics_exact_nodes: int = Field(3_000, ge=1, description="above this, betweenness is estimated by sampling")
    analytics_samples: int = Field(200, ge=1, description="source nodes sampled for estimated betweenness")

    # Operations (docs/operations.md).
    log_format: Literal["text", "json"] = Field("text", description="serve's log lines: text, or one JSON object each")
    cors_origins: str = Field(
        "", description="comma-separated origins allowed to call the API from a browser (CORS); empty: CORS off"
    )

    # Loader.
    load_batch_size: int = Field(500, ge=1)
    # The loader refuses bigger ontology files before reading them (seed/limits.py).
    load_max_file_bytes: int = Field(16 * 1024 * 1024, ge=1)

    # Exports (docs/interop.md): the base of every IRI in the RDF and SSSOM exports; set it to the
    # address the ontology is published under.
    base_iri: str = Field("https://example.org/itsm-ontology/", min_length=1, description="base of exported IRIs")

    @property
    def organisations_path(self) -> Path:
        return self.organisations_dir or self.data_dir / "organisations"

    @property
    def load_limits(self) -> LoadLimits:
        """The loader's limits (seed/limits.py) with this file size limit."""
        return LoadLimits(max_file_bytes=self.load_max_file_bytes)

    @property
    def loads_into(self) -> tuple[Path, str, str | None, str]:
        """Where a load's fingerprint is remembered (seed/fingerprint.py): data directory and store."""
        return (self.data_dir, self.store, self.neo4j_uri, self.neo4j_database)

    @model_validator(mode="after")
    def _neo4j_needs_uri(self) -> Settings:
        if self.store == "neo4j" and not self.neo4j_uri:
            raise ValueError("ITSM_STORE=neo4j needs NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD)")
        return self

    @field_validator("cypher_rate_limit")
    @classmethod
    def _rate_limit_parses(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"ITSM_CYPHER_RATE_LIMIT {value!r} is not a rate such as '60/minute': {exc}") from exc
        return value

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    def unsafe_setup(self, *, host: str | None = None) -> list[str]:
        """Why serving with these settings would expose ad-hoc Cypher without a key (empty: safe,
        or accepted with ITSM_ALLOW_OPEN_CYPHER=true)."""
        if not self.cypher_enabled or self.cypher_api_key or self.allow_open_cypher:
            return []
        reasons = []
        if self.store == "neo4j":
            reasons.append("the Neo4j store would serve ad-hoc Cypher to anyone who reaches the API")
        if host is not None and host not in LOOPBACK_HOSTS:
            reasons.append(f"the API listens on {host}, beyond this machine, with ad-hoc Cypher open")
        return [
            f"{reason}: set ITSM_CYPHER_API_KEY, or ITSM_CYPHER_ENABLED=false, "
            "or ITSM_ALLOW_OPEN_CYPHER=true to accept it"
            for reason in reasons
        ]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
