"""The explorer page at `/`, its bundled assets, and Swagger UI / ReDoc served from local files.

Everything the pages load comes from `app/web/static/` (built from `web/` by `make web` and
committed), so the explorer, /docs and /redoc work on a machine without internet."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
ASSETS = "/static"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"


def mount(app: FastAPI) -> None:
    """Add `/` (the explorer), `/static/*`, `/docs` and `/redoc` to an app created with
    `docs_url=None, redoc_url=None` (FastAPI's own pages load their assets from a CDN)."""
    app.mount(ASSETS, StaticFiles(directory=STATIC), name="static")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/", include_in_schema=False)
    def explorer() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{ASSETS}/vendor/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/vendor/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.svg",
            oauth2_redirect_url=OAUTH2_REDIRECT,
            # validatorUrl: no badge fetched from the public validator
            swagger_ui_parameters={"validatorUrl": None, "deepLinking": True},
        )

    @app.get(OAUTH2_REDIRECT, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{ASSETS}/vendor/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/favicon.svg",
            with_google_fonts=False,
        )
