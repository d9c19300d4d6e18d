#!/usr/bin/env bash
# Runs the date-sensitive test files with the process clock set near Beijing midnight (00:00 UTC+8 = 16:00 UTC),
# using Debian's libfaketime. The clock starts at the given UTC time of today's date and then runs normally;
# monotonic time is left alone so timeouts behave.
#
#   bash scripts/ci/midnight.sh after  [vitest args…]   # 00:00:05 Beijing: "an hour ago" is yesterday
#   bash scripts/ci/midnight.sh before [vitest args…]   # 23:50:00 Beijing: "in an hour" is tomorrow
set -euo pipefail
cd "$(dirname "$0")/../.."

case "${1:-}" in
  after) at="16:00:05" ;;
  before) at="15:50:00" ;;
  *)
    echo "usage: $0 after|before [vitest args…]" >&2
    exit 2
    ;;
esac
shift

command -v faketime >/dev/null 2>&1 || { echo "faketime is not installed (Debian package faketime)" >&2; exit 1; }

# files whose rules or fixtures depend on the Beijing day, week, month or year
FILES=(
  tests/incidents.test.ts
  tests/incidents-intake.test.ts
  tests/analysis.test.ts
  tests/analysis-rollup.test.ts
  tests/patrol.test.ts
  tests/patrol-teams.test.ts
  tests/command-directives.test.ts
  tests/command-whistles.test.ts
  tests/map.test.ts
  tests/field-tasks.test.ts
  tests/field-tasks-periods.test.ts
  tests/field-assessment.test.ts
  tests/field-changes.test.ts
  tests/services-appointments.test.ts
  tests/portal-review.test.ts
  tests/population.test.ts
)

start="$(date -u +%F) $at"
echo "clock starts at $start UTC ($(TZ=Asia/Shanghai date -d "$start UTC" '+%F %T') Beijing)"
export FAKETIME_DONT_FAKE_MONOTONIC=1
exec faketime -f "@$start" npx vitest run "${FILES[@]}" "$@"
