# syntax=docker/dockerfile:1
# Multi-stage image of the academy: assets built with Node, Python dependencies installed
# into a virtual environment, then a slim runtime that runs as an unprivileged user.
# Not built in this repository's CI (no Docker engine there); see docs/deployment.md.

FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
COPY static/scss static/scss
# The same Sass build as the Makefile's $(ASSETS) rule.
RUN mkdir -p static/build \
 && node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
      --quiet-deps --silence-deprecation=import static/scss/site.scss static/build/site.css

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /venv
COPY pyproject.toml requirements.lock README.md ./
RUN /venv/bin/pip install -r requirements.lock
COPY . .
RUN /venv/bin/pip install --no-deps -e .
COPY --from=assets /src/static/build static/build
RUN DJANGO_SETTINGS_MODULE=academy.settings.production \
    SECRET_KEY=collectstatic-only-not-used-at-runtime-0123456789abcdefghij \
    ALLOWED_HOSTS=build STATIC_ROOT=/app/static_collected \
    /venv/bin/python manage.py collectstatic --noinput -v0

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PATH=/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=academy.settings.production \
    STATIC_ROOT=/app/static_collected MEDIA_ROOT=/data/media VAR_DIR=/data/var PORT=8000 \
    BIND=0.0.0.0:8000
# (gunicorn listens on loopback unless BIND says otherwise; in a container the published
# ports decide who reaches it, and TRUSTED_PROXIES whose X-Forwarded-For is believed.)
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system academy && useradd --system --gid academy --home /app academy \
 && mkdir -p /data/media /data/var && chown -R academy:academy /data
COPY --from=build /venv /venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER academy
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz/', timeout=4)"
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "academy.wsgi"]
