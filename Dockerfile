# One image for the contract governance service: the web app, the Celery worker and
# Celery beat all run from it (see docker/entrypoint.sh and docker-compose.yml).

# ---------------------------------------------------------------------------------------
# Stage 1: front-end assets (GOV.UK Frontend, MOJ Frontend, htmx) copied from npm
# packages into static/vendor/. Node is needed only here, not in the final image.
# ---------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS assets

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# build-assets.sh resolves the project root as its parent folder, so it must live in
# /app/scripts/ to find /app/node_modules and write /app/static/vendor.
COPY scripts/build-assets.sh scripts/build-assets.sh
RUN sh scripts/build-assets.sh

# ---------------------------------------------------------------------------------------
# Stage 2: the runtime image.
# ---------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

# System libraries WeasyPrint loads at run time to render PDF reports, plus fonts:
# Liberation Sans is metric-compatible with Arial (the GOV.UK fallback font), DejaVu
# covers the glyphs Liberation lacks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libffi8 \
        libjpeg62-turbo \
        shared-mime-info \
        fonts-liberation \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Pinned to the uv release the lock file was written with; override with --build-arg.
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PATH="/app/.venv/bin:${PATH}" \
    MEDIA_ROOT=/app/var/media

WORKDIR /app

# Dependencies first, in their own layer, so that code changes don't reinstall them.
# --no-install-project: the project is a Django site, not a package (tool.uv.package = false).
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
COPY --from=assets /app/static/vendor ./static/vendor

# collectstatic imports the production settings, which need a secret key and allowed
# hosts to load. These values exist only for this build step: they are not kept
# in the image's environment, and the real ones come from .env at run time.
RUN DJANGO_ENV=production \
    DJANGO_SECRET_KEY=build-only-not-secret-sZTXjjlI367fgyIPCQtovUuaMT7q9nydhH0EBK55MkOOxVhd8UnZ4i21 \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# The app runs unprivileged. The code stays owned by root (read-only to the app); only
# /app/var, which holds uploaded documents and the beat schedule, is writable.
RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/var/media /app/var/beat \
    && chown -R app:app /app/var \
    && chmod 0755 docker/entrypoint.sh

# Declared after the chown so that a fresh named volume starts out owned by `app`.
VOLUME ["/app/var/media", "/app/var/beat"]

USER app
EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "governance.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
