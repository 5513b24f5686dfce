#!/usr/bin/env bash
# Makes a PostgreSQL server available on 127.0.0.1:5432 with the role and database the scale-out
# tests use (tests/EmotionApi.Tests/ScaleOut). Idempotent: installs Debian's postgresql when
# missing, creates and starts a cluster when none runs. Needs root or sudo (CI and these machines run as root).
set -euo pipefail

user=emotionapi
password=emotionapi
database=emotionapi_tests

# Root here (CI); sudo elsewhere when there is one.
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "postgres.sh: installing postgresql (Debian package)"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    "${as_root[@]}" pg_createcluster "$version" main >/dev/null
  fi
  "${as_root[@]}" pg_ctlcluster "$version" main start
fi

for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p 5432 -q && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "postgres.sh: PostgreSQL did not start" >&2; exit 1; }

as_postgres() { "${as_root[@]}" runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAc "$1"; }
[ "$(as_postgres "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" = 1 ] ||
  as_postgres "CREATE ROLE $user LOGIN PASSWORD '$password'"
[ "$(as_postgres "SELECT 1 FROM pg_database WHERE datname = '$database'")" = 1 ] ||
  as_postgres "CREATE DATABASE $database OWNER $user"

echo "postgres.sh: PostgreSQL $version ready on 127.0.0.1:5432 (database $database, role $user)"
