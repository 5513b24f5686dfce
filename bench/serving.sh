#!/usr/bin/env bash
# The serving benchmark of docs/performance.md, in one command:
#   bash bench/serving.sh
# Builds the service and the benchmark (Release), starts the service on a free loopback port with a trained
# compact-cnn 96x96 model (the preset that trains it: "compact", or "default" where no preset has that name; trained
# once and kept in $SERVING_DATA), measures the same model in-process, then loads
# POST /api/predict with wrk (Debian's package, installed when missing): one client, 16 clients, requests of 32
# images; the same again while a job of that preset trains on the same node; and 16 clients with batching
# off. Every phase is bounded in time (DURATION seconds) and in requests (MAX_REQUESTS); the load average is
# recorded beside it, and the service's own metrics (batch sizes, forward-pass time, queue wait) are read around it.
#
# Settings (environment): DURATION (10), MAX_REQUESTS (50000), SERVING_DATA (/tmp/emotionapi-serving),
# TRAINING_NICENESS (the service's default), SERVING_THREADS (unset: torch's process-wide count),
# MAX_BATCH (16, the service's default), MAX_WAIT_MS (2), SKIP_TRAINING=1 to leave out the phases during training,
# SERVING_PRESET (a preset whose network and size to measure instead of compact-cnn 96x96), COMPARE (other
# configurations measured in the same run, each on a fresh service: see below).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${SERVING_DATA:-${TMPDIR:-/tmp}/emotionapi-serving}
DURATION=${DURATION:-10}
MAX_REQUESTS=${MAX_REQUESTS:-50000}
MAX_BATCH=${MAX_BATCH:-16}
MAX_WAIT_MS=${MAX_WAIT_MS:-2}
RUN=$DATA/run-$(date -u +%Y%m%dT%H%M%SZ)
SERVICE_DLL=$ROOT/src/EmotionApi/bin/Release/net10.0/EmotionApi.dll
BENCH_DLL=$ROOT/bench/EmotionApi.Bench/bin/Release/net10.0/EmotionApi.Bench.dll
SERVICE_PID=""
# The service as deployed: API keys on (Production), one admin key for every request the benchmark makes.
KEY=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
mkdir -p "$DATA/data" "$RUN"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

stop_service() {
  if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=""
}
trap stop_service EXIT

# --- tools and builds --------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  SUDO=$([[ $(id -u) -eq 0 ]] && echo "" || echo "sudo")
  $SUDO apt-get install -y -qq wrk >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }
fi
for tool in curl jq; do command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }; done
log "building the service and the benchmark (Release)"
dotnet build -c Release -v q -nologo "$ROOT/src/EmotionApi" >"$RUN/build.log" 2>&1 || { cat "$RUN/build.log"; exit 1; }
dotnet build -c Release -v q -nologo "$ROOT/bench/EmotionApi.Bench" >>"$RUN/build.log" 2>&1 || { cat "$RUN/build.log"; exit 1; }

# --- the service -------------------------------------------------------------------------------------------------
# start_service NAME [VAR=value ...]: the Release build on a port the system picks, logging to $RUN/NAME.log.
start_service() {
  local name=$1; shift
  local settings=(
    "Storage__DataPath=$DATA/data" "Datasets__Sample__CreateOnStartup=false" "ASPNETCORE_ENVIRONMENT=Production"
    "Logging__LogLevel__Default=Warning" "Logging__LogLevel__Microsoft.Hosting.Lifetime=Information"
    "Prediction__Batching__MaxBatchImages=$MAX_BATCH" "Prediction__Batching__MaxWaitMilliseconds=$MAX_WAIT_MS"
    "Auth__Keys__0__Name=serving-bench" "Auth__Keys__0__Key=$KEY" "Auth__Keys__0__Roles__0=admin"
  )
  [[ -n "${TRAINING_NICENESS:-}" ]] && settings+=("TrainingJobs__Niceness=$TRAINING_NICENESS")
  [[ -n "${SERVING_THREADS:-}" ]] && settings+=("Prediction__Batching__Threads=$SERVING_THREADS")
  (cd "$ROOT/src/EmotionApi" && exec env "${settings[@]}" "$@" dotnet "$SERVICE_DLL" --urls http://127.0.0.1:0) >"$RUN/$name.log" 2>&1 &
  SERVICE_PID=$!
  local url=""
  for _ in $(seq 1 600); do
    url=$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$RUN/$name.log" | head -1 | sed 's/Now listening on: //' || true)
    [[ -n "$url" ]] && break
    kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$RUN/$name.log"; exit 1; }
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "the service did not start" >&2; exit 1; }
  API=$url
  until curl -sf "$API/health/ready" >/dev/null; do sleep 0.2; done
  log "service '$name' on $API (pid $SERVICE_PID)"
}

api() { curl -sf -H "X-Api-Key: $KEY" "$@"; }
job_state() { api "$API/api/training-jobs/$1" | jq -r .state; }
wait_for_job() { # wait_for_job ID STATE...: until the job is in one of the states
  local id=$1; shift
  while true; do
    local state; state=$(job_state "$id")
    for wanted in "$@"; do [[ "$state" == "$wanted" ]] && return 0; done
    [[ "$state" == failed || "$state" == cancelled ]] && { echo "job $id is $state" >&2; exit 1; }
    sleep 2
  done
}

start_service main
# --- a trained model (once per data folder): compact-cnn 96x96, or SERVING_PRESET's network and size ---------------
# The main figures of docs/performance.md are of compact-cnn; the preset named "default" trains another network since
# issue 9 (SERVING_PRESET=default measures that one).
if [[ -n "${SERVING_PRESET:-}" ]]; then
  PRESET=$SERVING_PRESET
  read -r NETWORK SIZE < <(api "$API/api/presets" | jq -r --arg preset "$PRESET" \
    '.presets[] | select(.name == $preset) | "\(.settings.network) \(.settings.imageHeight)x\(.settings.imageWidth)"')
  [[ -n "${NETWORK:-}" ]] || { echo "no preset named $PRESET" >&2; exit 1; }
else
  NETWORK=compact-cnn SIZE=96x96
  PRESET=$(api "$API/api/presets" | jq -r '[.presets[] | select(.settings.network == "compact-cnn" and .settings.imageHeight == 96
    and .settings.imageWidth == 96) | .name] | if any(.[]; . == "compact") then "compact" elif any(.[]; . == "default") then "default" else .[0] // empty end')
  [[ -n "$PRESET" ]] || { echo "no preset trains compact-cnn at 96x96" >&2; exit 1; }
fi
MODEL=""
for candidate in $(api "$API/api/models" | jq -r --arg network "$NETWORK" '.[] | select(.network == $network) | .id'); do
  if [[ $(api "$API/api/models/$candidate" | jq -r '"\(.imageHeight)x\(.imageWidth)"') == "$SIZE" ]]; then MODEL=$candidate; break; fi
done
if [[ -z "$MODEL" ]]; then
  log "training a model with preset $PRESET on 400 sample faces (once; kept in $DATA)"
  DATASET=$(api -X POST "$API/api/datasets/sample" -H 'Content-Type: application/json' \
    -d '{"count": 400, "seed": 1, "width": 64, "height": 64, "name": "serving-bench"}' | jq -r .id)
  MODEL=$(api -X POST "$API/api/training-jobs" -H 'Content-Type: application/json' \
    -d "{\"datasetId\": \"$DATASET\", \"preset\": \"$PRESET\"}" | jq -r .id)
  wait_for_job "$MODEL" succeeded
fi
api -X PUT "$API/api/models/default" -H 'Content-Type: application/json' -d "{\"modelId\": \"$MODEL\"}" >/dev/null
DATASET=$(api "$API/api/models/$MODEL" | jq -r .datasetId)
IMAGES=$DATA/data/datasets/$DATASET/images
POSITIVES=("$IMAGES"/positive/*.png)
NEGATIVES=("$IMAGES"/negative/*.png)
FACE=${POSITIVES[0]}
BATCH_FILES=("${POSITIVES[@]:0:16}" "${NEGATIVES[@]:0:16}")
log "model $MODEL ($(api "$API/api/models/$MODEL" | jq -r '"\(.network) \(.imageHeight)x\(.imageWidth)"')), image $(basename "$FACE") ($(stat -c %s "$FACE") bytes)"

# --- in-process figures, with the service idle --------------------------------------------------------------------
log "in-process: the same model and image without HTTP"
dotnet "$BENCH_DLL" serving-inprocess --model "$DATA/data/models/$MODEL" --image "$FACE" | tee "$RUN/inprocess.txt" >&2
inprocess() { grep "^$1=" "$RUN/inprocess.txt" | cut -d= -f2; }
INPROCESS_SINGLE_MS=$(inprocess inprocess_single_ms)

# --- load phases --------------------------------------------------------------------------------------------------
cat >"$RUN/predict.lua" <<'LUA'
-- POST /api/predict with the given files as one multipart request, with the API key given; stop after the given
-- number of responses. Arguments: limit, key, files.
local limit, seen = 0, 0
function init(args)
  limit = tonumber(args[1])
  wrk.headers["X-Api-Key"] = args[2]
  local boundary, parts = "emotionapi-serving-bench", {}
  for i = 3, #args do
    local file = assert(io.open(args[i], "rb"))
    local content = file:read("*a")
    file:close()
    parts[#parts + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" ..
      args[i]:match("([^/]+)$") .. "\"\r\nContent-Type: image/png\r\n\r\n" .. content .. "\r\n"
  end
  wrk.method = "POST"
  wrk.body = table.concat(parts) .. "--" .. boundary .. "--\r\n"
  wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
end
function response(status, headers, body)
  seen = seen + 1
  if limit > 0 and seen >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  io.write(string.format("requests=%d\nseconds=%.3f\nstatus_errors=%d\nsocket_errors=%d\nmin_ms=%.3f\nmean_ms=%.3f\np50_ms=%.3f\np90_ms=%.3f\np99_ms=%.3f\nmax_ms=%.3f\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency.min / 1e3, latency.mean / 1e3,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
end
LUA

# The service's own metric (sum over its series) from a /metrics scrape saved in a file.
metric() { awk -v name="$2" '$1 ~ "^"name"(\\{|$)" { sum += $NF } END { printf "%.6f", sum + 0 }' "$1"; }

# phase NAME CLIENTS IMAGES: wrk for DURATION seconds or MAX_REQUESTS responses; writes $RUN/NAME.txt (key=value).
phase() {
  local name=$1 clients=$2 images=$3
  local files=("$FACE")
  [[ $images -gt 1 ]] && files=("${BATCH_FILES[@]:0:$images}")
  sleep 1 # the previous phase's last requests, still in the service when wrk stopped, finish outside this one
  local load; load=$(load_average)
  api "$API/metrics" >"$RUN/$name.before"
  wrk -t1 -c"$clients" -d"${DURATION}s" --timeout 10s -s "$RUN/predict.lua" "$API/api/predict" -- "$MAX_REQUESTS" "$KEY" "${files[@]}" \
    >"$RUN/$name.wrk" 2>&1
  api "$API/metrics" >"$RUN/$name.after"
  {
    grep -E '^[a-z_0-9]+=' "$RUN/$name.wrk"
    echo "clients=$clients"
    echo "images_per_request=$images"
    echo "load=$load"
    for m in emotionapi_prediction_batch_size emotionapi_prediction_batch_duration_seconds emotionapi_prediction_queue_duration_seconds \
             emotionapi_prediction_duration_seconds; do
      local sum count
      sum=$(awk -v a="$(metric "$RUN/$name.after" "${m}_sum")" -v b="$(metric "$RUN/$name.before" "${m}_sum")" 'BEGIN { print a - b }')
      count=$(awk -v a="$(metric "$RUN/$name.after" "${m}_count")" -v b="$(metric "$RUN/$name.before" "${m}_count")" 'BEGIN { print a - b }')
      echo "${m}_mean=$(awk -v s="$sum" -v c="$count" 'BEGIN { if (c > 0) printf "%.6f", s / c; else print "nan" }')"
      echo "${m}_count=$count"
    done
  } >"$RUN/$name.txt"
  local value; value() { grep "^$1=" "$RUN/$name.txt" | cut -d= -f2; }
  log "$(printf '%-22s %2s clients x %2s images: %7.1f images/s, p50 %7.2f ms, p99 %7.2f ms, errors %s+%s; batch %5.1f images, forward %6.2f ms, queue %6.2f ms; load %s' \
    "$name" "$clients" "$images" "$(awk -v r="$(value requests)" -v s="$(value seconds)" -v i="$images" 'BEGIN { print r * i / s }')" \
    "$(value p50_ms)" "$(value p99_ms)" "$(value status_errors)" "$(value socket_errors)" \
    "$(value emotionapi_prediction_batch_size_mean)" "$(awk -v x="$(value emotionapi_prediction_batch_duration_seconds_mean)" 'BEGIN { print x * 1000 }')" \
    "$(awk -v x="$(value emotionapi_prediction_queue_duration_seconds_mean)" 'BEGIN { print x * 1000 }')" "$load")"
}

run_phases() { # run_phases PREFIX
  phase "$1-single-1" 1 1
  phase "$1-single-16" 16 1
  phase "$1-batch32-1" 1 32
  phase "$1-batch32-2" 2 32
}

# training_phases NAME: the phases again while a job of preset $PRESET trains on this node (its pace alone for two
# epochs first, then under the phases' load), then the job cancelled.
training_phases() {
  local name=$1
  local job; job=$(api -X POST "$API/api/training-jobs" -H 'Content-Type: application/json' \
    -d "{\"datasetId\": \"$DATASET\", \"preset\": \"$PRESET\", \"earlyStoppingPatience\": 1000}" | jq -r .id)
  wait_for_job "$job" running
  until [[ $(api "$API/api/training-jobs/$job" | jq -r '.latestEpoch.epoch // 0') -ge 2 ]]; do
    [[ $(job_state "$job") == running ]] || { echo "the training job is $(job_state "$job")" >&2; exit 1; }
    sleep 1
  done
  local alone; alone=$(api "$API/api/training-jobs/$job" | jq -r '.latestEpoch.epoch // 0')
  run_phases "$name"
  [[ $(job_state "$job") == running ]] || log "WARNING: the training job ended during the phases ($(job_state "$job"))"
  local loaded; loaded=$(api "$API/api/training-jobs/$job" | jq -r '.latestEpoch.epoch // 0')
  api -X POST "$API/api/training-jobs/$job/cancel" >/dev/null || true
  wait_for_job "$job" cancelled 2>/dev/null || true
  # The record keeps every finished epoch with its seconds.
  local seconds; seconds=$(jq -c '[.history[] | .seconds * 100 | round / 100]' "$DATA/data/jobs/$job/job.json")
  echo "$name: training epoch seconds $seconds (1-$alone alone, then under the phases up to epoch $loaded)" >>"$RUN/training-epochs.txt"
  log "$name: training epoch seconds $seconds (1-$alone alone, then under the phases up to epoch $loaded)"
}

# configuration NAME: the phases on the running service, idle and (unless SKIP_TRAINING) during a training run.
CONFIGURATIONS=()
configuration() {
  log "configuration '$1': warming up"
  wrk -t1 -c16 -d3s -s "$RUN/predict.lua" "$API/api/predict" -- 2000 "$KEY" "$FACE" >/dev/null 2>&1
  run_phases "$1-idle"
  [[ "${SKIP_TRAINING:-0}" == 1 ]] || training_phases "$1-training"
  CONFIGURATIONS+=("$1")
}

configuration default
# COMPARE="NAME:VAR=value,VAR=value ...": the same phases on a fresh service with other settings, e.g.
# COMPARE="nice0:TrainingJobs__Niceness=0 serving1:Prediction__Batching__Threads=1 active:OMP_WAIT_POLICY=ACTIVE"
for entry in ${COMPARE:-}; do
  stop_service
  IFS=, read -r -a extra <<<"${entry#*:}"
  start_service "${entry%%:*}" "${extra[@]}"
  configuration "${entry%%:*}"
done
stop_service

start_service unbatched Prediction__Batching__MaxBatchImages=1
wrk -t1 -c16 -d3s -s "$RUN/predict.lua" "$API/api/predict" -- 2000 "$KEY" "$FACE" >/dev/null 2>&1
phase unbatched-single-16 16 1
stop_service

# --- summary ------------------------------------------------------------------------------------------------------
value() { grep "^$2=" "$RUN/$1.txt" | cut -d= -f2; }
rate() { awk -v r="$(value "$1" requests)" -v s="$(value "$1" seconds)" -v i="$(value "$1" images_per_request)" 'BEGIN { printf "%.1f", r * i / s }'; }
summary() { # summary PREFIX
  local p=$1
  local batch; batch=$(awk -v a="$(rate "$p-batch32-1")" -v b="$(rate "$p-batch32-2")" 'BEGIN { print (a > b ? a : b) }')
  echo "$p: 16 single-image clients $(rate "$p-single-16") images/s = $(awk -v a="$(rate "$p-single-16")" -v b="$batch" 'BEGIN { printf "%.2f", a / b }') of 32-image requests ($batch images/s; target >= 0.8)"
  local forward; forward=$(awk -v s="$(value "$p-single-1" emotionapi_prediction_batch_duration_seconds_mean)" 'BEGIN { printf "%.3f", s * 1000 }')
  echo "$p: one client p50 $(value "$p-single-1" p50_ms) ms = $(awk -v a="$(value "$p-single-1" p50_ms)" -v b="$INPROCESS_SINGLE_MS" 'BEGIN { printf "%.2f", a / b }')x the in-process single image ($INPROCESS_SINGLE_MS ms; target <= 1.2), p99 $(value "$p-single-1" p99_ms) ms"
  # The service's own forward passes of one image in the same seconds: the same comparison, free of the load's drift between the two measurements.
  echo "$p: one client p50 = $(awk -v a="$(value "$p-single-1" p50_ms)" -v b="$forward" 'BEGIN { printf "%.2f", a / b }')x the mean forward pass of its single images in the same phase ($forward ms)"
  # Where a lone request's time goes (means of the same requests): the forward pass; the rest of the predictor
  # (reading the form's image, decoding, the batcher's hand-offs); HTTP (wrk, Kestrel, routing, auth, the form, JSON).
  local predictor; predictor=$(awk -v s="$(value "$p-single-1" emotionapi_prediction_duration_seconds_mean)" 'BEGIN { printf "%.3f", s * 1000 }')
  echo "$p: one client mean $(value "$p-single-1" mean_ms) ms = forward pass $forward + rest of the predictor $(awk -v a="$predictor" -v b="$forward" 'BEGIN { printf "%.3f", a - b }') + HTTP $(awk -v a="$(value "$p-single-1" mean_ms)" -v b="$predictor" 'BEGIN { printf "%.3f", a - b }') ms; fastest request $(value "$p-single-1" min_ms) ms = $(awk -v a="$(value "$p-single-1" min_ms)" -v b="$(inprocess inprocess_single_best_ms)" 'BEGIN { printf "%.2f", a / b }')x the in-process best ($(inprocess inprocess_single_best_ms) ms)"
  echo "$p: 16 clients p50 $(value "$p-single-16" p50_ms) ms, p99 $(value "$p-single-16" p99_ms) ms = $(awk -v a="$(value "$p-single-16" p99_ms)" -v b="$(value "$p-single-16" p50_ms)" 'BEGIN { printf "%.2f", a / b }')x p50 (target <= 4)"
}
{
  echo "serving benchmark $(date -u +%FT%TZ), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "settings: PRESET=$PRESET MAX_BATCH=$MAX_BATCH MAX_WAIT_MS=$MAX_WAIT_MS TRAINING_NICENESS=${TRAINING_NICENESS:-default} SERVING_THREADS=${SERVING_THREADS:-default} DURATION=$DURATION"
  echo "in-process: one image $INPROCESS_SINGLE_MS ms (best $(inprocess inprocess_single_best_ms)), decoding $(inprocess inprocess_decode_ms) ms, batch of 32 $(inprocess inprocess_batch32_images_per_second) images/s; one image right after another $(inprocess inprocess_single_back_to_back_ms) ms, after a 2 ms pause $(inprocess inprocess_single_after_pause_ms) ms"
  echo "in-process images/s by batch size: $(grep '_sweep_' "$RUN/inprocess.txt" | sed 's/inprocess_batch\([0-9]*\)_sweep_images_per_second=/\1: /' | paste -sd, | sed 's/,/, /g')"
  for name in "${CONFIGURATIONS[@]}"; do
    summary "$name-idle"
    if [[ -f "$RUN/$name-training-single-1.txt" ]]; then summary "$name-training"; fi
  done
  if [[ -f "$RUN/training-epochs.txt" ]]; then cat "$RUN/training-epochs.txt"; fi
  echo "batching off: 16 single-image clients $(rate unbatched-single-16) images/s, p50 $(value unbatched-single-16 p50_ms) ms, p99 $(value unbatched-single-16 p99_ms) ms"
  echo "phases (load average 1/5/15 min at each start):"
  for f in "$RUN"/*-*.txt; do
    n=$(basename "$f" .txt)
    [[ "$n" == inprocess || "$n" == training-epochs ]] && continue
    printf '  %-22s %7s images/s  p50 %8s ms  p99 %8s ms  batch %s  forward %s s  queue %s s  load %s\n' "$n" "$(rate "$n")" \
      "$(value "$n" p50_ms)" "$(value "$n" p99_ms)" "$(value "$n" emotionapi_prediction_batch_size_mean)" \
      "$(value "$n" emotionapi_prediction_batch_duration_seconds_mean)" "$(value "$n" emotionapi_prediction_queue_duration_seconds_mean)" "$(value "$n" load)"
  done
  echo "files: $RUN"
} | tee "$RUN/summary.txt"
