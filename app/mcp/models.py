"""Answers of the MCP resources that no /v1 model already gives."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ReleaseAnswer(BaseModel):
    release: dict[str, Any] | None = Field(
        description="The release loaded last (version, content hash, counts, when); null when nothing is loaded."
    )
    tag: str | None = Field(None, description="<version>+<hash prefix>, as the API's X-Ontology-Release header.")


class SourceDocument(BaseModel):
    key: str = Field(description="How filters name the document (source=...).")
    file: str = Field(description="The seed file `sources` cite, as <file>:<first>-<last>.")
    title: str
    lines: int
    framework: str | None = Field(None, description="The Framework node whose guidance the document is.")


class SourceDocuments(BaseModel):
    items: list[SourceDocument]
