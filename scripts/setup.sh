#!/usr/bin/env bash
# Installs the Debian packages readmit needs. Idempotent: quick and quiet when
# everything is present. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  g++ cmake make git pkg-config
  libboost-dev libeigen3-dev libtbb-dev libyaml-cpp-dev
  catch2 libcli11-dev nlohmann-json3-dev libbenchmark-dev
  clang libclang-rt-14-dev
  python3-numpy python3-pandas python3-matplotlib python3-scipy
  python3-yaml
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt_get=(sudo apt-get)
else
  echo "setup: these Debian packages are missing: ${missing[*]}" >&2
  echo "setup: run this script as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
