# The API image: the service, its ontology and its Cypher files. Talks to Neo4j (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ITSM_ONTOLOGY_DIR=/srv/itsm/ontology \
    ITSM_CYPHER_DIR=/srv/itsm/cypher \
    ITSM_DATA_DIR=/srv/itsm/data

WORKDIR /srv/itsm
COPY pyproject.toml README.md ./
COPY app ./app
COPY seed ./seed
# pyproject's `readme` must be present for hatchling to build; the wheel holds `app` and `seed`.
RUN pip install --no-cache-dir . && useradd --system --home /srv/itsm itsm
# Read at run time from ITSM_ONTOLOGY_DIR / ITSM_CYPHER_DIR (not part of the wheel).
COPY ontology ./ontology
COPY cypher ./cypher
# ITSM_DATA_DIR: the only directory the service writes to (the embedded store; unused with Neo4j).
RUN mkdir -p data && chown itsm data
USER itsm

EXPOSE 8000
# The start period covers `itsm-ontology load`, which runs before the server listens.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health').status != 200)"
# Load (a no-op when the ontology is unchanged), then serve.
CMD ["sh", "-c", "itsm-ontology load && exec itsm-ontology serve --host 0.0.0.0 --port 8000"]
