#!/usr/bin/env bash
# Latency of POST /api/predict with one image: N sequential calls after a warm-up, median / p99 / max of
# curl's time_total (request sent to last byte received), and the service's RSS before and after.
# Usage: API=http://127.0.0.1:5198 N=300 PID=<service pid> bash bench/predict-latency.sh image.png
# (KEY=<an API key with the predictor role> for a service that asks for keys.)
# (a Release service with a trained model: dotnet run -c Release --project src/EmotionApi --urls http://127.0.0.1:5198)
set -euo pipefail
API=${API:-http://127.0.0.1:5198}
N=${N:-300}
IMAGE=$1
key=()
[ -n "${KEY:-}" ] && key=(-H "X-Api-Key: $KEY")
rss() { [ -n "${PID:-}" ] && awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$PID/status || echo "n/a"; }

for _ in $(seq 1 20); do curl -s -o /dev/null "${key[@]}" -F "files=@$IMAGE" "$API/api/predict"; done
echo "RSS after warm-up: $(rss)"
for _ in $(seq 1 "$N"); do
  curl -s -o /dev/null "${key[@]}" -w '%{http_code} %{time_total}\n' -F "files=@$IMAGE" "$API/api/predict"
done > /tmp/predict-latency.txt
echo "RSS after $N calls: $(rss)"
awk '$1 != 200 {bad++} END {if (bad) print bad " calls did not answer 200"}' /tmp/predict-latency.txt
awk '{print $2}' /tmp/predict-latency.txt | sort -n | awk '{a[NR] = $1} END {
  p99 = int(NR * 0.99); if (p99 < NR * 0.99) p99++;
  printf "n=%d  median=%.2f ms  p99=%.2f ms  max=%.2f ms\n", NR, a[int((NR + 1) / 2)] * 1000, a[p99] * 1000, a[NR] * 1000 }'
