#!/usr/bin/env bash
# The whole test suite (placeholder until the setup scripts land).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test Tool.sln -c Release
