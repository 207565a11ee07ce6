#!/usr/bin/env bash
# Installs what eseal needs to build and test, from Debian 12's archive only (and, for the
# browser tests, npm packages; see web/). Installs only what is missing; needs root (or
# sudo) the first time. Each package and why it was chosen: README.md "Dependencies".
set -euo pipefail

packages=(
  # toolchain and test frameworks
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # valgrind: memcheck runs our SM2 signing with the key and nonce marked secret (sm2_ct_check)
  valgrind
  # crypto, storage, formats
  libssl-dev openssl libsqlite3-dev libpq-dev postgresql
  libzip-dev libpugixml-dev libqpdf-dev
  # seal images and page rendering
  libcairo2-dev libfreetype-dev libfontconfig-dev libjpeg-dev fonts-noto-cjk
  # HTTP, JSON, command line
  libboost-dev nlohmann-json3-dev libcpp-httplib-dev libcli11-dev
  # key custody: PKCS#11 header and the SoftHSM2 token used in tests
  libp11-kit-dev softhsm2
  # end-to-end tests: HTTP client, JSON on the command line (docs/api-walkthrough.md), browser
  curl jq chromium
  # interop tests (tests/interop): an independent BouncyCastle verifier of what eseal signs, and
  # BouncyCastle PKIX as the independent timestamp (TSP/CMS) oracle
  openjdk-17-jdk-headless libbcprov-java libbcpkix-java
  # PDF interop tests (tests/interop/pdf): PDFBox + BouncyCastle as the independent PDF/SM2 oracle,
  # qpdf --check for structure, pdftoppm to render pages, Ghostscript to produce test inputs
  qpdf poppler-utils ghostscript libpdfbox2-java default-jre-headless
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "eseal: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "eseal: missing packages (${missing[*]}) and not root; install them with apt-get" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
