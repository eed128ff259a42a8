"""Logging of `itsm-ontology serve`: uvicorn's, the service's own lines, the access line of every
request and the ad-hoc audit log, as text (default) or one JSON object per line
(ITSM_LOG_FORMAT=json). Every line written while answering a request carries its `request_id`
(the `X-Request-ID` answered, app/api/observe.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
from typing import Any, Literal

from app.context import request_id

LogFormat = Literal["text", "json"]
# Fields a record may carry besides the standard ones, copied into JSON lines when present.
EXTRA_FIELDS = ("request_id", "method", "path", "status", "ms", "store_ms", "route")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (or "-") to every record, for formats and JSON lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, request_id and any known extras.
    Audit lines (already JSON) are embedded as `audit` rather than quoted."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        message = record.getMessage()
        if record.name == "itsm_ontology.audit":
            try:
                line["audit"] = json.loads(message)
            except ValueError:
                line["message"] = message
        else:
            line["message"] = message
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None and value != "-":
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def log_config(log_format: LogFormat = "text") -> dict[str, Any]:
    """A dictConfig for uvicorn.run(log_config=...)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"request_id": {"()": "app.logs.RequestIdFilter"}}
    config["formatters"]["audit"] = {"format": "%(message)s"}
    config["formatters"]["service"] = {
        "()": "uvicorn.logging.DefaultFormatter",
        "fmt": "%(levelprefix)s %(message)s [%(request_id)s]",
        "use_colors": None,
    }
    if log_format == "json":
        for name in ("default", "access", "audit", "service"):
            config["formatters"][name] = {"()": "app.logs.JsonFormatter"}
    config["handlers"]["service"] = {
        "class": "logging.StreamHandler",
        "formatter": "service",
        "stream": "ext://sys.stderr",
        "filters": ["request_id"],
    }
    config["handlers"]["audit"] = {
        "class": "logging.StreamHandler",
        "formatter": "audit",
        "stream": "ext://sys.stderr",
        "filters": ["request_id"],
    }
    for handler in ("default", "access"):
        config["handlers"][handler].setdefault("filters", []).append("request_id")
    config["loggers"]["itsm_ontology"] = {"handlers": ["service"], "level": "INFO", "propagate": False}
    config["loggers"]["itsm_ontology.audit"] = {"handlers": ["audit"], "level": "INFO", "propagate": False}
    # The driver's warnings (retries while the store is unreachable), formatted like the rest.
    config["loggers"]["neo4j"] = {"handlers": ["service"], "level": "WARNING", "propagate": False}
    return config
