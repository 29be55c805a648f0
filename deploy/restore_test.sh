#!/usr/bin/env bash
# Backup, wipe, restore, then the journey: proves that a backup brings the site back.
# Runs against the `make cluster` set-up (its own database academy_cluster only).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
"$PY" -m deploy.cluster up >/dev/null
backup="$(deploy/backup.sh)"
echo "backup written to $backup"
"$PY" -m deploy.cluster down
deploy/restore.sh "$backup"
"$PY" -m deploy.cluster up >/dev/null
"$PY" -m deploy.journey check
