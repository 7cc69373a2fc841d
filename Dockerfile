# Kündigungshilfe: one image for the Rasa server, the action server and the migration job.
# Build from a work tree after `make webchat model` (the image takes the vendored web chat widget
# and models/current.tar.gz from it):  docker build -t kuendigungshilfe:$(git rev-parse --short HEAD) .
# Roles (the container's command): rasa (default), actions, migrate; see docs/DEPLOY.md.
# Images cannot be built on the development machines (no container registry there).

FROM python:3.10.15-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.lock /tmp/requirements.lock
# --no-deps: exactly the pinned set of requirements.lock, nothing resolved at build time.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-deps -r /tmp/requirements.lock

FROM python:3.10.15-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONWARNINGS=ignore \
    TF_CPP_MIN_LOG_LEVEL=2 \
    RASA_TELEMETRY_ENABLED=false \
    HOME=/home/app \
    MPLCONFIGDIR=/tmp/matplotlib \
    RASA_MODEL=/app/models/current.tar.gz \
    RASA_PORT=5005 \
    ACTION_PORT=5055
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Code and data are owned by root and read-only for the app user; it writes only to $HOME and /tmp.
COPY actions/ actions/
COPY bot/ bot/
COPY cancellation/ cancellation/
COPY letters/ letters/
COPY endpoints.yml ./
COPY scripts/env.sh scripts/
COPY deploy/docker-entrypoint.sh deploy/healthcheck.py deploy/
# The trained model, baked in; mount another one and set RASA_MODEL to replace it.
COPY models/ models/
USER app
EXPOSE 5005 5055 9100
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["python", "/app/deploy/healthcheck.py"]
ENTRYPOINT ["/app/deploy/docker-entrypoint.sh"]
CMD ["rasa"]
