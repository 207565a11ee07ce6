#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: the seal platform (印章平台) on
# http://127.0.0.1:8080 with SQLite under ./data and a small demo registry. The operator's
# bearer token is written to ./data/operator.token (mode 0600); the server says so.
#   ./run.sh            the platform (Ctrl-C stops it; a restart keeps everything)
#   ./run.sh demo       the command-line demo instead (CA, seal, sign, verify under ./out/demo)
#   ./run.sh ARGS...    the platform with more `eseal serve` options (e.g. --tls-cert F --tls-key F)
# ESEAL_LISTEN and ESEAL_DATA override the address and the data folder (an address other
# machines reach needs TLS or --insecure-http: docs/security.md "Deployment defaults").
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DESEAL_MODULES=all >/dev/null
cmake --build build -j"$(nproc)" --target eseal
if [ "${1:-}" = demo ]; then
  exec scripts/demo.sh out/demo
fi
# A demo: the TSA may stamp with a clock NTP does not discipline (/healthz says so), and the
# key-encryption key file sits in the data folder (--dev). A production server leaves both
# flags out: it refuses to stamp, and so to sign, until the clock is synchronised, and wants
# its KEK outside the data folder or in an HSM.
exec build/apps/eseal serve --data "${ESEAL_DATA:-./data}" --listen "${ESEAL_LISTEN:-127.0.0.1:8080}" --demo \
  --accept-unsynchronised-clock --dev "$@"
