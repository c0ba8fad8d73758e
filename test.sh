#!/usr/bin/env bash
# Runs every test CredentialBot has, from a fresh clone:
#   1. the .NET suites (unit, store, Simulator, Graph adapter, protocol/auth, end-to-end with real JWT validation);
#   2. the Node checks against Microsoft's own tools: the adaptivecards renderer, the Teams manifest validator,
#      and the Microsoft 365 Agents Playground driving the real bot over HTTP and in Chromium.
# Installs what the Node checks need (npm packages; Chromium through apt when running as root).
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> Installing Chromium for the browser test"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium fonts-liberation > /dev/null
  else
    echo "Chromium is missing: sudo apt-get install -y chromium fonts-liberation (or set CHROMIUM_PATH)" >&2
    exit 1
  fi
fi

echo "==> npm ci (tests/client)"
(cd tests/client && npm ci --no-audit --no-fund --loglevel=error)

echo "==> dotnet build (Release)"
dotnet build CredentialBot.sln -c Release --nologo -v quiet

echo "==> dotnet test"
dotnet test CredentialBot.sln -c Release --no-build --nologo

echo "==> Node checks: card renderer, manifest validator, Agents Playground"
(cd tests/client && CREDENTIALBOT_DLL="$PWD/../../src/CredentialBot/bin/Release/net10.0/CredentialBot.dll" npm test --silent)

echo "==> All tests passed"
