# figwatch as a service: `docker compose up` (see docker-compose.yml), or
#   docker build -t figwatch . && docker run -v "$PWD/figwatch.toml:/config/figwatch.toml:ro" \
#     -v figwatch-data:/data figwatch
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FIGWATCH_CONFIG=/config/figwatch.toml

WORKDIR /src
# Metadata first, so the dependency layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml README.md ./
COPY pipeline ./pipeline
COPY storage ./storage
COPY alerts ./alerts
# The [postgres] extra brings the PostgreSQL driver (psycopg), so the image runs on either database.
RUN pip install ".[postgres]" && rm -rf /src

# A fixed, unprivileged user; /data is the SQLite volume and must be writable by it.
RUN groupadd --system --gid 10001 figwatch \
    && useradd --system --uid 10001 --gid figwatch --home-dir /data --shell /usr/sbin/nologin figwatch \
    && mkdir -p /data /config \
    && chown figwatch:figwatch /data
VOLUME ["/data"]
WORKDIR /data
USER figwatch

# `figwatch run` stops cleanly on SIGTERM, which `docker stop` sends.
STOPSIGNAL SIGTERM
ENTRYPOINT ["figwatch"]
CMD ["run"]
