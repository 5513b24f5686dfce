#!/usr/bin/env bash
# Makes Debian's chromium available at /usr/bin/chromium for the browser tests (tests/EmotionApi.BrowserTests), which
# drive it with Playwright (Playwright's own browser download does not work here). Idempotent; needs root or sudo.
set -euo pipefail

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

if [ ! -x /usr/bin/chromium ]; then
  echo "chromium.sh: installing chromium (Debian package)"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The launcher script prints its version; a broken install fails here rather than in the tests.
version=$(/usr/bin/chromium --headless --no-sandbox --disable-gpu --version 2>/dev/null | head -n 1) || { echo "chromium.sh: chromium does not start" >&2; exit 1; }
echo "$version"
echo "chromium.sh: $version ready at /usr/bin/chromium"
