#!/usr/bin/env bash
# Builds the project's Dockerfile and brings up docker-compose.yml for real, with podman standing in for Docker,
# and checks both as a user would (README "Deployment"). CI runs it from .ci/run after the tests; by hand, as root:
#   bash .ci/containers.sh
# 1. Installs Debian's podman, runc, podman-compose, debootstrap (apt-get).
# 2. Builds stand-ins for the base images that cannot be pulled here, under their official names: a Debian 12 root
#    filesystem (debootstrap) with this machine's .NET for mcr.microsoft.com/dotnet/sdk:10.0 and aspnet:10.0, and
#    Debian's PostgreSQL behind an entrypoint like the official one's for postgres:16.
# 3. Builds ./Dockerfile unchanged and checks the image: non-root user, /data volume, health, HEALTHCHECK, a job that
#    trains, /api/predict, a restart that keeps datasets and models, a stop that hands a running job back.
# 4. Brings docker-compose.yml up as written (PostgreSQL, API node, two workers): a job moves from a stopped worker to
#    the other, which resumes it from its checkpoint; one model results. Then down, volumes removed.
# Where podman cannot run (not root, no apt, containers do not start) it fails under CI=true and is skipped elsewhere.
# Cache, between runs on this machine: the root filesystem tarball and podman's storage (stand-ins keyed by what they
# are built from, the project image's layers) in $EMOTIONAPI_CONTAINERS_CACHE; delete it for a cold run.
# shellcheck disable=SC2016 # jq programs are in single quotes; their $names are jq's.
set -Eeuo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

cache=${EMOTIONAPI_CONTAINERS_CACHE:-/var/cache/emotionapi-containers}
run_state=/run/emotionapi-containers
run_id=$$
prefix=emotionapi-ci-$run_id
started=$SECONDS

say() { echo "containers.sh: $*"; }
fail() { echo "containers.sh: FAILED: $*" >&2; exit 1; }
# The machine cannot run podman: a CI failure, a skip elsewhere.
unavailable() {
  if [ "${CI:-}" = true ]; then fail "podman cannot run here: $*"; fi
  say "skipped: podman cannot run here: $*"
  exit 0
}

# Phase timings, printed at the end (also on failure).
timings=()
phase_name=''
phase_start=$SECONDS
phase() {
  [ -z "$phase_name" ] || timings+=("$(printf '%-56s %4d s' "$phase_name" $((SECONDS - phase_start)))")
  phase_name=$1
  phase_start=$SECONDS
  say "== $1"
}

[ "$(uname -s)" = Linux ] || unavailable "not Linux"
[ "$(id -u)" -eq 0 ] || unavailable "needs root (rootful podman, debootstrap); run it with sudo"
command -v apt-get >/dev/null || unavailable "no apt-get (Debian's podman packages are installed with it)"
command -v dotnet >/dev/null || unavailable "no dotnet (the .NET stand-ins are copied from this machine's installation)"

# One run at a time on this machine: the cache, the image tags and the two cores are shared.
mkdir -p "$cache" "$run_state"
exec 9>"$cache/.lock"
if ! flock -n 9; then
  say "another run holds $cache/.lock; waiting"
  flock 9
fi

work=$(mktemp -d /tmp/emotionapi-containers.XXXXXX)
mkdir "$work/context"
compose_project=''
failed_phase=''

# Removes the containers (with their anonymous volumes), volumes and networks whose names match.
remove_resources() {
  local name
  for name in $(podman ps -a --filter "name=$1" --format '{{.Names}}' 2>/dev/null); do
    podman rm -f -v -t 5 "$name" >/dev/null 2>&1
  done
  for name in $(podman volume ls --filter "name=$1" --format '{{.Name}}' 2>/dev/null); do
    podman volume rm -f "$name" >/dev/null 2>&1
  done
  for name in $(podman network ls --filter "name=$1" --format '{{.Name}}' 2>/dev/null); do
    podman network rm -f "$name" >/dev/null 2>&1
  done
}

cleanup() {
  local status=$?
  set +e
  trap - ERR
  [ "$status" -eq 0 ] || failed_phase=$phase_name
  if [ "$status" -ne 0 ] && command -v podman >/dev/null; then
    for container in $(podman ps -a --filter "name=^$prefix" --format '{{.Names}}' 2>/dev/null); do
      echo "---- last log lines of $container"
      podman logs --tail 40 "$container" 2>&1
    done
  fi
  if command -v podman >/dev/null; then
    [ -z "$compose_project" ] || podman-compose -p "$compose_project" down -v -t 5 >/dev/null 2>&1
    remove_resources "^$prefix"
  fi
  # debootstrap mounts proc and sys in its target: never delete through a mount.
  findmnt -rn -o TARGET | grep "^$work/" | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf --one-file-system "$work"
  phase "done"
  echo "containers.sh: timings (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); 2 cores shared)"
  printf '  %s\n' "${timings[@]}"
  if [ "$status" -eq 0 ]; then
    say "passed in $((SECONDS - started)) s"
  else
    say "FAILED in phase '$failed_phase' after $((SECONDS - started)) s (exit code $status)"
  fi
  exit "$status"
}
trap cleanup EXIT
# A command that fails without saying why (not expect or fail, which do): name it.
trap 'case $BASH_COMMAND in expect* | fail* | exit* | *"| expect"*) ;; *) echo "containers.sh: failed (line $LINENO): $BASH_COMMAND" >&2 ;; esac' ERR
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------------
phase "install podman and tools (apt-get)"
packages=(podman runc podman-compose debootstrap netavark aardvark-dns iptables jq curl)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq || unavailable "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$work/apt.log" 2>&1 ||
    { tail -20 "$work/apt.log"; unavailable "apt-get install ${missing[*]} failed"; }
fi

# podman for this host: runc (crun refuses its hybrid cgroups), cgroupfs, no default ulimits (they cannot be set here),
# netavark (name resolution on networks), and a storage of its own so that pruning never touches anyone else's images.
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$run_state/libpod"
[network]
network_backend = "netavark"
EOF
cat >"$work/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$cache/storage"
runroot = "$run_state/storage"
EOF
export CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf
podman info >"$work/podman-info.txt" 2>&1 || { cat "$work/podman-info.txt"; unavailable "podman info failed"; }
say "$(podman --version), podman-compose $(dpkg-query -W -f '${Version}' podman-compose)"
# Whatever a run killed before its clean-up left (the lock is held: no other run is using them).
remove_resources '^emotionapi-ci-'

# ---------------------------------------------------------------------------------------------------------------------
phase "root filesystem (debootstrap, cached)"
suite=bookworm
mirror=http://deb.debian.org/debian
# What the official images add to their base (runtime-deps): certificates, ICU, OpenSSL, zlib, time zones.
base_packages=ca-certificates,libicu72,libssl3,zlib1g,tzdata
# Like the official images' bases, apt keeps no package lists, .debs or caches in the layers an image adds.
apt_docker_clean='DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";'
rootfs_key=$(printf 'debootstrap --variant=minbase --include=%s %s %s\n%s\n' \
  "$base_packages" "$suite" "$mirror" "$apt_docker_clean" | sha256sum | cut -c1-12)
rootfs_tar=$cache/rootfs-$suite-$rootfs_key.tar
base_image=localhost/emotionapi-ci/$suite:$rootfs_key
# A week at most: Debian's security updates reach the stand-ins without anyone deleting the cache.
if [ ! -s "$rootfs_tar" ] || [ -n "$(find "$rootfs_tar" -mtime +7)" ]; then
  say "debootstrap $suite (minbase + $base_packages)"
  debootstrap --variant=minbase --include="$base_packages" "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; fail "debootstrap failed"; }
  printf '%s\n' "$apt_docker_clean" >"$work/rootfs/etc/apt/apt.conf.d/docker-clean"
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/cache/apt/"*.bin "$work/rootfs/var/lib/apt/lists/"*
  tar --numeric-owner -C "$work/rootfs" -cf "$rootfs_tar.partial" .
  rm -f "$cache"/rootfs-*.tar
  mv "$rootfs_tar.partial" "$rootfs_tar"
  rm -rf --one-file-system "$work/rootfs"
  ! podman image exists "$base_image" || podman untag "$base_image"
else
  say "cached: $rootfs_tar"
fi
if ! podman image exists "$base_image"; then
  podman import --quiet --change 'CMD ["bash"]' "$rootfs_tar" "$base_image" >/dev/null
  # Earlier root filesystems: untagged here, their layers pruned once no stand-in uses them.
  for old in $(podman images --format '{{.Repository}}:{{.Tag}}' "localhost/emotionapi-ci/$suite"); do
    [ "$old" = "$base_image" ] || podman untag "$old"
  done
fi
podman run --rm --network none "$base_image" true || unavailable "a container does not start (podman run $base_image true)"
base_id=$(podman image inspect --format '{{.Id}}' "$base_image")

# ---------------------------------------------------------------------------------------------------------------------
phase "stand-in base images (cached by key)"
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
# The installed SDKs and runtimes, by version and by the host binary's checksum.
dotnet_identity=$(cd "$dotnet_root" && ls -d sdk/*/ shared/*/*/ host/fxr/*/ && sha256sum dotnet)
runtime_version=$(find "$dotnet_root/shared/Microsoft.AspNetCore.App" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)

# Builds image $1 from the Containerfile on stdin, unless an image of that name carries the same key already.
# $2: what else the image is built from (for the key); the rest: podman build arguments.
stand_in() {
  local image=$1 identity=$2 containerfile key current
  shift 2
  containerfile=$(cat)
  key=$(printf '%s\n%s\n%s\n' "$base_id" "$identity" "$containerfile" | sha256sum | cut -c1-16)
  current=$(podman image inspect --format '{{index .Labels "org.emotionapi.ci.key"}}' "$image" 2>/dev/null || true)
  if [ "$current" = "$key" ]; then
    say "cached: $image"
    return
  fi
  say "building $image"
  printf '%s\n' "$containerfile" >"$work/Containerfile"
  podman build --no-cache --pull=never --network host --format docker --label "org.emotionapi.ci.key=$key" \
    -t "$image" -f "$work/Containerfile" "$@" "$work/context" >"$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log"; fail "building the stand-in $image"; }
}

# The official images' user (uid/gid 1654) and variables; the .NET bits from this machine.
dotnet_env="ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_VERSION=$runtime_version ASPNET_VERSION=$runtime_version"
app_user="groupadd --gid=1654 app && useradd --no-log-init --uid=1654 --gid=1654 --create-home app"

stand_in mcr.microsoft.com/dotnet/aspnet:10.0 "$dotnet_identity" -v "$dotnet_root:/mnt/dotnet:ro" <<EOF
FROM $base_image
RUN $app_user \\
 && mkdir /usr/share/dotnet \\
 && cp -a /mnt/dotnet/dotnet /mnt/dotnet/host /mnt/dotnet/shared /mnt/dotnet/LICENSE.txt /usr/share/dotnet/ \\
 && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
$dotnet_env
EOF

# The SDK stand-in trusts Debian's certificate authorities only, as the official image trusts Ubuntu's: the project's
# build below mounts the host's /etc/ssl/certs (which add this host's egress proxy's authority).
stand_in mcr.microsoft.com/dotnet/sdk:10.0 "$dotnet_identity" -v "$dotnet_root:/mnt/dotnet:ro" <<EOF
FROM $base_image
RUN $app_user \\
 && cp -a /mnt/dotnet /usr/share/dotnet \\
 && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
 && dotnet --version
$dotnet_env
ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false DOTNET_NOLOGO=true DOTNET_USE_POLLING_FILE_WATCHER=true NUGET_XMLDOC_MODE=skip
EOF

# postgres:16: Debian 12 has PostgreSQL 15; the entrypoint does what the official one does with POSTGRES_DB, _USER,
# _PASSWORD on an empty data directory, then runs the server as user postgres.
cat >"$work/context/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -eu
if [ "${1:-}" != postgres ]; then exec "$@"; fi
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?is not set: the postgres stand-in, like the official image, needs a superuser password}"
  user=${POSTGRES_USER:-postgres}
  database=${POSTGRES_DB:-$user}
  password_file=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
  initdb --username="$user" --pwfile="$password_file" --auth-local=trust --auth-host=scram-sha-256 -D "$PGDATA" >/dev/null
  rm -f "$password_file"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [ "$database" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres -qc "CREATE DATABASE \"$database\""
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "docker-entrypoint.sh: initialised $PGDATA (database $database, user $user)"
fi
exec "$@"
EOF
chmod +x "$work/context/docker-entrypoint.sh"
postgres_identity=$(sha256sum <"$work/context/docker-entrypoint.sh")
stand_in docker.io/library/postgres:16 "$postgres_identity" <<EOF
FROM $base_image
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends postgresql-15 \\
 && rm -rf /var/lib/apt/lists/*
COPY docker-entrypoint.sh /usr/local/bin/
ENV PATH=/usr/lib/postgresql/15/bin:\$PATH PGDATA=/var/lib/postgresql/data
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres", "-c", "listen_addresses=*"]
EOF

# ---------------------------------------------------------------------------------------------------------------------
# Helpers for the checks.
ok() { say "  ok: $*"; }

# The admin API key the service runs with here (README "Deployment": outside Development it asks for keys), made per run.
api_key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export EMOTIONAPI_ADMIN_KEY=$api_key

# An HTTP request, with the key, that must answer 2xx: prints the body; fails with the status and body otherwise.
request() {
  local method=$1 url=$2 answer status
  shift 2
  answer=$(curl -sS --max-time 120 -X "$method" -H "X-Api-Key: $api_key" -w '\n%{http_code}' "$url" "$@") || fail "$method $url: no answer"
  status=${answer##*$'\n'}
  [[ $status == 2* ]] || fail "$method $url answered $status: ${answer%$'\n'*}"
  printf '%s\n' "${answer%$'\n'*}"
}

# Waits until a command succeeds: wait_for SECONDS WHAT COMMAND...
wait_for() {
  local timeout=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what: not within $timeout s"
    sleep 0.5
  done
}

# Fails unless the JSON on stdin satisfies the jq condition: expect WHAT JQ-CONDITION [jq options...]
expect() {
  local what=$1 condition=$2 json
  shift 2
  json=$(cat)
  jq -e "$@" "$condition" <<<"$json" >/dev/null || fail "$what; got: $(head -c 1000 <<<"$json")"
  ok "$what"
}

# The job's record as the API shows it, once its state is the one wanted (failed or cancelled stop the wait).
wait_job() {
  local api=$1 job=$2 wanted=$3 timeout=$4 deadline answer state
  deadline=$((SECONDS + timeout))
  while :; do
    answer=$(request GET "$api/api/training-jobs/$job")
    state=$(jq -r .state <<<"$answer")
    [ "$state" != "$wanted" ] || break
    case $state in failed | cancelled) fail "job $job is $state: $(jq -r .error <<<"$answer")" ;; esac
    [ "$SECONDS" -lt "$deadline" ] || fail "job $job not $wanted within $timeout s: $(jq -c '{state, stage, progress}' <<<"$answer")"
    sleep 1
  done
  printf '%s\n' "$answer"
}

# Waits until a job has finished at least N epochs and is still running (so that a stop cuts it mid-run).
wait_epochs() {
  local api=$1 job=$2 epochs=$3 deadline answer
  deadline=$((SECONDS + 180))
  while :; do
    answer=$(request GET "$api/api/training-jobs/$job")
    if [ "$(jq '.latestEpoch.epoch // 0' <<<"$answer")" -ge "$epochs" ]; then
      [ "$(jq -r .state <<<"$answer")" = running ] || fail "job $job finished before it could be stopped mid-run"
      return
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "job $job did not finish $epochs epochs within 180 s"
    sleep 0.5
  done
}

# (Not grep -q: under pipefail, its early exit would fail the pipeline through podman's SIGPIPE.)
log_has() { podman logs "$1" 2>&1 | grep -F -- "$2" >/dev/null; }

# A sample dataset of 400 faces and a job on it long enough to be stopped mid-run (the tiny preset at 64x64, about
# 1.5 s an epoch on 2 cores); prints the dataset's id and the job's.
long_job_epochs=12
queue_long_job() {
  local api=$1 dataset job
  dataset=$(request POST "$api/api/datasets/sample" -H 'Content-Type: application/json' \
    -d '{"count": 400, "seed": 1, "width": 64, "height": 64, "name": "containers.sh"}' | jq -r .id)
  job=$(request POST "$api/api/training-jobs" -H 'Content-Type: application/json' -d "$(printf \
    '{"datasetId": "%s", "preset": "tiny", "imageWidth": 64, "imageHeight": 64, "epochs": %d}' "$dataset" "$long_job_epochs")" |
    jq -r .id)
  echo "$dataset $job"
}

# Images the model never saw: a sample dataset of another seed, copied out of the data volume by class.
fetch_unseen_images() {
  local api=$1 container=$2 dataset
  dataset=$(request POST "$api/api/datasets/sample" -H 'Content-Type: application/json' \
    -d '{"count": 24, "seed": 2024, "width": 64, "height": 64, "name": "unseen faces"}' | jq -r .id)
  rm -rf "$work/unseen" "$work/unseen-dataset"
  mkdir -p "$work/unseen"
  podman cp "$container:/data/datasets/$dataset" "$work/unseen-dataset"
  jq -r '.images[] | "\(.path) \(.class)"' "$work/unseen-dataset/dataset.json" | while read -r path class; do
    cp "$work/unseen-dataset/$path" "$work/unseen/$class-$(basename "$path")"
  done
}

# POST /api/predict with every unseen image; checks the answer and prints it.
predict_unseen() {
  local api=$1 model=$2 files=() answer count threshold
  for file in "$work"/unseen/*.png; do files+=(-F "files=@$file"); done
  count=${#files[@]}
  count=$((count / 2))
  threshold=$(request GET "$api/api/models/$model" | jq .threshold)
  answer=$(request POST "$api/api/predict" "${files[@]}")
  expect "/api/predict: model $model answers all $count images with probabilities (positive + negative = 1)" '
    .modelId == $model and (.results | length) == $count and
    all(.results[]; .positive >= 0 and .positive <= 1 and ((.positive + .negative - 1) | . < 1e-9 and . > -1e-9)
                    and .label == (if .positive > $threshold then "Positive" else "Negative" end))' \
    --arg model "$model" --argjson count "$count" --argjson threshold "$threshold" <<<"$answer" >&2
  expect "/api/predict: at least 75% right on $count faces it never saw" '
    ([.results[] | select((.fileName | startswith("positive-")) == (.label == "Positive"))] | length) / (.results | length) >= 0.75' \
    <<<"$answer" >&2
  printf '%s\n' "$answer"
}

# Fails unless the job resumed once from its checkpoint and its history holds every epoch exactly once.
expect_resumed_whole() {
  local api=$1 job=$2
  request GET "$api/api/training-jobs/$job" | expect "job $job succeeded in two runs (stopped, then resumed)" \
    '.state == "succeeded" and .runs == 2 and .modelId == $job' --arg job "$job"
  request GET "$api/api/training-jobs/$job/history" | expect "its history holds epochs 1 to $long_job_epochs, each once" \
    '[.epochs[].epoch] == [range(1; $n + 1)]' --argjson n "$long_job_epochs"
}

# ---------------------------------------------------------------------------------------------------------------------
phase "podman build the Dockerfile (unchanged)"
image=emotionapi:latest
# As a build machine behind this host's egress proxy would: its network, its certificate authorities. Docker format
# keeps the HEALTHCHECK (OCI images have none).
build_options=(--pull=never --network host --format docker -v /etc/ssl/certs:/etc/ssl/certs:ro)
podman build "${build_options[@]}" -t "$image" . >"$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log"; fail "podman build (log above)"; }
grep -E 'Restored|Marked|warning [A-Z]+[0-9]+' "$work/build.log" | sed 's/^/  build: /' || true
# Tagging the build stage keeps its layers (the NuGet restore) reachable for the next run's cache; every layer no
# tagged image needs (earlier builds) is then pruned. This storage holds only this script's images.
podman build "${build_options[@]}" --target build -t localhost/emotionapi-ci/build-stage:latest . >"$work/build-stage.log" 2>&1 ||
  { tail -20 "$work/build-stage.log"; fail "podman build --target build"; }
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  [ -n "$(podman image prune -f 2>/dev/null)" ] || break
done
say "image $image: $(($(podman image inspect --format '{{.Size}}' "$image") / 1000000)) MB"

# ---------------------------------------------------------------------------------------------------------------------
phase "the image: user, volume, health, HEALTHCHECK"
podman image inspect "$image" | expect "the image runs as uid 1654, declares /data a volume and has a HEALTHCHECK" \
  '.[0] | .Config.User == "1654" and (.Config.Volumes | has("/data")) and (.Healthcheck.Test | length > 0)'
single=$prefix-single
volume=$prefix-data
podman volume create "$volume" >/dev/null
# As the README runs it: the port published, a named volume on /data, an admin key from the environment.
podman run -d --name "$single" -p 127.0.0.1::8080 -v "$volume:/data" -e Auth__Keys__0__Name=ops -e "Auth__Keys__0__Key=$EMOTIONAPI_ADMIN_KEY" \
  -e Auth__Keys__0__Roles__0=admin "$image" >/dev/null 2>"$work/run.err" ||
  { cat "$work/run.err"; fail "podman run $image"; }
api=http://$(podman port "$single" 8080/tcp)
wait_for 120 "/health/live of $single" curl -fsS "$api/health/live"
ok "/health/live answers 200 at $api"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$api/api/datasets")" = 401 ] || fail "without a key, /api/datasets does not answer 401"
ok "without a key the API answers 401"
if [ "$(podman exec "$single" id -u)" != 1654 ] || [ "$(podman exec "$single" stat -c %u /proc/1)" != 1654 ]; then
  fail "the service does not run as uid 1654"
fi
ok "the service runs as uid 1654 (not root)"
podman inspect "$single" | expect "the named volume is mounted on /data" \
  'any(.[0].Mounts[]; .Destination == "/data" and .Name == $volume)' --arg volume "$volume"
podman exec "$single" sh -c 'probe=/data/.probe-$$ && echo x >"$probe" && rm "$probe"' || fail "/data is not writable by uid 1654"
ok "/data is writable by uid 1654"
request GET "$api/health/ready" | expect "/health/ready: Healthy, data folder writable, roles Api,Worker" \
  '.status == "Healthy" and .checks["data-folder"].status == "Healthy" and .node.roles == "Api,Worker"'
podman healthcheck run "$single" >/dev/null 2>"$work/healthcheck.err" || { cat "$work/healthcheck.err"; fail "podman healthcheck run"; }
podman inspect "$single" | expect "the HEALTHCHECK passes (podman healthcheck run): healthy" \
  '.[0].State.Health.Status == "healthy"'

# ---------------------------------------------------------------------------------------------------------------------
phase "the image: a job, stopped mid-run, resumes and predicts"
ids=$(queue_long_job "$api")
read -r dataset job <<<"$ids"
ok "dataset $dataset created, job $job queued"
wait_epochs "$api" "$job" 2
podman stop -t 30 "$single" >/dev/null 2>&1
podman inspect "$single" | expect "podman stop (SIGTERM) ends the service cleanly: exit code 0, not killed" \
  '.[0].State.ExitCode == 0 and .[0].State.OOMKilled == false'
log_has "$single" "Job $job interrupted by shutdown" || fail "the log does not say job $job was interrupted by the shutdown"
podman run --rm -v "$volume:/data:ro" --entrypoint cat "$image" "/data/jobs/$job/job.json" 2>/dev/null |
  expect "the stopped job's record (on the volume) is queued again with its finished epochs kept" \
    '.state == "queued" and (.history | length) >= 2'
podman start "$single" >/dev/null 2>&1
api=http://$(podman port "$single" 8080/tcp)
wait_for 120 "/health/ready of $single after the restart" curl -fsS "$api/health/ready"
wait_job "$api" "$job" succeeded 300 >/dev/null
log_has "$single" "Job $job resumed from its checkpoint after epoch" || fail "the log does not say job $job resumed from its checkpoint"
ok "after podman start the job resumed from its checkpoint: $(podman logs "$single" 2>&1 | grep -o "resumed from its checkpoint after epoch [0-9]* of [0-9]*")"
expect_resumed_whole "$api" "$job"
request GET "$api/api/training-jobs/$job" | expect "it learned: test ROC AUC >= 0.9" '.testRocAuc >= 0.9'
fetch_unseen_images "$api" "$single"
before=$(predict_unseen "$api" "$job")
# The plots draw their text with a font shipped inside the service (the image has none) through SkiaSharp's native
# library: a PNG and an SVG must come back; and the web page is at /.
curl -fsS --max-time 60 -H "X-Api-Key: $api_key" -o "$work/roc.png" "$api/api/models/$job/plots/roc.png" || fail "GET /api/models/$job/plots/roc.png failed"
[ "$(head -c 8 "$work/roc.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "plots/roc.png is not a PNG"
svg=$(curl -fsS --max-time 60 -H "X-Api-Key: $api_key" "$api/api/models/$job/plots/confusion.svg") || fail "GET /api/models/$job/plots/confusion.svg failed"
grep -q '<desc id="plot-desc">Confusion matrix of ' <<<"$svg" || fail "plots/confusion.svg is not the confusion matrix's SVG"
ok "the image draws the plots: roc.png ($(wc -c <"$work/roc.png") bytes) and confusion.svg"
page=$(curl -fsS --max-time 60 "$api/") || fail "GET / failed"
grep -q '<script type="module" src="/app/js/app.js"></script>' <<<"$page" || fail "GET / is not the web page"
ok "the web page is at /"

# ---------------------------------------------------------------------------------------------------------------------
phase "the image: a restart keeps datasets and models"
podman restart -t 30 "$single" >/dev/null 2>&1
api=http://$(podman port "$single" 8080/tcp)
wait_for 120 "/health/ready of $single after podman restart" curl -fsS "$api/health/ready"
request GET "$api/api/datasets/$dataset" | expect "the dataset is still there: 400 images" '.imageCount == 400'
request GET "$api/api/models" | expect "the model is still there" 'any(.[]; .id == $job)' --arg job "$job"
after=$(predict_unseen "$api" "$job")
[ "$(jq -S .results <<<"$before")" = "$(jq -S .results <<<"$after")" ] || fail "the restarted service predicts differently"
ok "the same predictions, to the last digit, after the restart"
podman rm -f -t 30 "$single" >/dev/null 2>&1
podman volume rm "$volume" >/dev/null

# ---------------------------------------------------------------------------------------------------------------------
phase "docker-compose.yml up (podman-compose)"
# The file as written; only the host port is chosen here (the file's EMOTIONAPI_PORT, 8080 by default), since
# other services may hold 8080 on a shared machine.
EMOTIONAPI_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
export EMOTIONAPI_PORT
compose_project=$prefix
compose() { podman-compose -p "$compose_project" -f docker-compose.yml "$@"; }
compose up -d >"$work/compose-up.log" 2>&1 || { tail -40 "$work/compose-up.log"; fail "podman-compose up -d"; }
api=http://127.0.0.1:$EMOTIONAPI_PORT
container_of() { echo "${compose_project}_$1_1"; }
wait_for 180 "the compose API node's /health/ready" curl -fsS "$api/health/ready"
request GET "$api/health/ready" | expect "API node ready: job storage is PostgreSQL, roles Api" \
  '.status == "Healthy" and .node.roles == "Api" and (.checks["job-storage"].description | test("PostgreSQL"; "i"))'
for worker in worker-1 worker-2; do
  wait_for 120 "$worker's /health/ready" podman exec "$(container_of "$worker")" curl -fsS http://localhost:8080/health/ready
  podman exec "$(container_of "$worker")" curl -sS http://localhost:8080/health/ready |
    expect "$worker ready with roles Worker" '.status == "Healthy" and .node.roles == "Worker"'
  [ "$(podman exec "$(container_of "$worker")" curl -s -o /dev/null -w '%{http_code}' http://localhost:8080/api/datasets)" = 404 ] ||
    fail "$worker serves the API"
  ok "$worker does not serve the API (404)"
done
podman healthcheck run "$(container_of postgres)" >/dev/null 2>&1 || fail "the postgres healthcheck (pg_isready) fails"
ok "postgres healthcheck (pg_isready) passes"

# ---------------------------------------------------------------------------------------------------------------------
phase "compose: a job moves from a stopped worker to the other"
ids=$(queue_long_job "$api")
read -r dataset job <<<"$ids"
ok "dataset $dataset created, job $job queued at the API node"
wait_epochs "$api" "$job" 2
runner=''
for worker in worker-1 worker-2; do
  if log_has "$(container_of "$worker")" "Job $job started (run 1)"; then runner=$worker; fi
done
[ -n "$runner" ] || fail "no worker's log says it started job $job"
other="worker-1"
[ "$runner" != "worker-1" ] || other="worker-2"
if log_has "$(container_of api)" "Job $job started"; then fail "the API node (roles Api) ran job $job"; fi
ok "$runner trains it; stopping $runner"
# Debian 12's aardvark-dns 1.4 answers no lookup for a few milliseconds while it reloads, which it does whenever a
# container leaves the network (containers/aardvark-dns#389, fixed in 1.11). The other worker, woken at once by the
# hand-back (PostgreSQL long polling), would look "postgres" up just then. Docker's DNS has no such gap: the other
# worker is paused across the stop.
podman pause "$(container_of "$other")" >/dev/null
# podman-compose 1.0.3 does not pass stop_grace_period on: the same 30 s given here.
compose stop -t 30 "$runner" >/dev/null 2>&1
wait_for 30 "name resolution on the compose network" podman exec "$(container_of api)" getent hosts postgres
podman unpause "$(container_of "$other")" >/dev/null
podman inspect "$(container_of "$runner")" | expect "$runner stopped cleanly (exit code 0)" '.[0].State.ExitCode == 0'
log_has "$(container_of "$runner")" "Job $job interrupted by shutdown" || fail "$runner's log does not say job $job was interrupted"
ok "$runner handed job $job back"
# Resumed, or failed to start (then the job would stay queued for ever: fail now, with the reason).
resumed_or_failed() {
  podman logs "$(container_of "$other")" 2>&1 | grep -E "Job $job resumed from its checkpoint|Failed to process the job" >/dev/null
}
wait_for 120 "$other resuming job $job" resumed_or_failed
if log_has "$(container_of "$other")" "Failed to process the job"; then
  fail "$other could not start job $job, which stays queued: $(podman logs "$(container_of "$other")" 2>&1 | grep -m1 -A2 'Failed to process the job' | tail -n 1)"
fi
ok "$other: $(podman logs "$(container_of "$other")" 2>&1 | grep -o "resumed from its checkpoint after epoch [0-9]* of [0-9]*")"
wait_job "$api" "$job" succeeded 300 >/dev/null
expect_resumed_whole "$api" "$job"
request GET "$api/api/models" | expect "exactly one model results, the job's" '[.[].id] == [$job]' --arg job "$job"
fetch_unseen_images "$api" "$(container_of api)"
predict_unseen "$api" "$job" >/dev/null

# ---------------------------------------------------------------------------------------------------------------------
phase "compose down, volumes removed"
compose down -v >"$work/compose-down.log" 2>&1 || { tail -20 "$work/compose-down.log"; fail "podman-compose down -v"; }
# podman-compose 1.0.3 leaves the project's network behind.
podman network rm -f "${compose_project}_default" >/dev/null 2>&1 || true
[ -z "$(podman ps -a --filter "name=^$compose_project" --format '{{.Names}}')" ] || fail "containers left after down"
[ -z "$(podman volume ls --filter "name=^$compose_project" --format '{{.Name}}')" ] || fail "volumes left after down -v"
ok "no container or volume of the project is left"
compose_project=''
