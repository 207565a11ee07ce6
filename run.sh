#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DESEAL_MODULES=all >/dev/null
cmake --build build -j"$(nproc)" --target eseal
scripts/demo.sh out/demo
