# smm-hire in a container: the same pinned install as `make`, migrations then the server.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SMM_HIRE_DATA_DIR=/data \
    SMM_HIRE_HOST=0.0.0.0 \
    SMM_HIRE_PORT=8000

# Pango and a font with Cyrillic for the PDF interview sheets (WeasyPrint).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin smm \
    && mkdir -p /data && chown smm /data

WORKDIR /app
COPY pyproject.toml requirements.lock README.md alembic.ini babel.cfg ./
COPY app ./app
COPY alembic ./alembic
COPY templates ./templates
COPY rubrics ./rubrics
RUN pip install --no-cache-dir -c requirements.lock -e .

USER smm
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# `serve` migrates the database first; set SMM_HIRE_DATABASE_URL for PostgreSQL and
# SMM_HIRE_SECRET_KEY (shared by every replica) in production.
CMD ["smm-hire", "serve"]
