#!/usr/bin/env bash
# Runs every test CredentialBot has, from a fresh clone:
#   1. the .NET suites (unit, store, Simulator, Graph adapter, protocol/auth, end-to-end with real JWT validation);
#   2. the Node checks against Microsoft's own tools: the adaptivecards renderer, the Teams manifest validator,
#      and the Microsoft 365 Agents Playground driving the real bot over HTTP and in Chromium;
#   3. the Microsoft 365 Agents Toolkit CLI's offline checks of m365agents.yml, m365agents.local.yml and the manifest.
# Installs what it needs (npm packages; Chromium and PostgreSQL through apt when running as root).
set -euo pipefail
cd "$(dirname "$0")"

# What the tests need from the system: Chromium for the browser test, openssl to make its certificate, PostgreSQL for the store and multi-instance
# tests (each test run starts private PostgreSQL servers of its own on free loopback ports; nothing else is touched).
missing=()
if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium fonts-liberation); fi
if ! command -v openssl > /dev/null; then missing+=(openssl); fi
if [ -z "${CREDENTIALBOT_PG_BIN:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then missing+=(postgresql); fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> Installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" > /dev/null
  else
    echo "Missing: sudo apt-get install -y ${missing[*]} (or set CHROMIUM_PATH / CREDENTIALBOT_PG_BIN)" >&2
    exit 1
  fi
fi

echo "==> npm ci (tests/client, tests/toolkit)"
(cd tests/client && npm ci --no-fund --loglevel=error)
# The Agents Toolkit CLI's optional keychain module (keytar) would compile native code; nothing here needs it.
(cd tests/toolkit && npm ci --ignore-scripts --no-fund --loglevel=error)

echo "==> dotnet build (Release)"
dotnet build CredentialBot.sln -c Release --nologo -v quiet

echo "==> dotnet test"
dotnet test CredentialBot.sln -c Release --no-build --nologo

echo "==> Node checks: card renderer, manifest validator, Agents Playground"
(cd tests/client && CREDENTIALBOT_DLL="$PWD/../../src/CredentialBot/bin/Release/net10.0/CredentialBot.dll" npm test --silent)

echo "==> Agents Toolkit checks: m365agents*.yml against the CLI's schema, the manifest through its validator"
(cd tests/toolkit && CREDENTIALBOT_DLL="$PWD/../../src/CredentialBot/bin/Release/net10.0/CredentialBot.dll" npm test --silent)

echo "==> All tests passed"
