#!/usr/bin/env bash
# Installs and starts services for the slow tests (PostgreSQL, Java for Spark, Chromium), writing .ci/env.
set -euo pipefail
: > .ci/env
need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q online; then
  pg_lsclusters -h | grep -q . || pg_createcluster "$ver" main >/dev/null
  pg_ctlcluster "$ver" main start
fi
su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='sarap'\"" | grep -q 1 || \
  su postgres -c "psql -c \"CREATE ROLE sarap LOGIN SUPERUSER PASSWORD 'sarap'\"" >/dev/null
echo "SARAP_TEST_PG=postgresql://sarap:sarap@127.0.0.1:5432/postgres" >> .ci/env
echo "SARAP_REQUIRE_SERVICES=1" >> .ci/env
