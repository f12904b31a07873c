#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; a fresh machine does not have it, and as root we can install it.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (a few minutes, once)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at $browser: install Debian's 'chromium' package or set CHROMIUM_PATH." >&2
exit 1
