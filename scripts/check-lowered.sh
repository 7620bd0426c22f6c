#!/usr/bin/env bash
# Dev helper: build the fixtures with tspc and compare every lowered run with its expected output.
cd "$(dirname "$0")/.."
npx tsc -p transformer/tsconfig.json || exit 1
npx tspc -p fixtures/lowering/tsconfig.lowered.json 2>&1 | grep -v nodedir | grep -v TS2454
for f in fixtures/.local/node/*.js; do
  n=$(basename "$f" .js); exp=fixtures/lowering/$n.expected.txt
  [ -f "$exp" ] || continue
  if diff -q <(timeout 10 node "$f" 2>&1) "$exp" >/dev/null; then echo "ok $n"; else echo "FAIL $n"; fi
done | grep -c '^ok'
