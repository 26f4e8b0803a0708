#!/usr/bin/env bash
# The import rules (.dependency-cruiser.js) over every package, and the module graph in
# docs/architecture.md kept equal to the code: `--write` regenerates the graph, the default checks it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

sources=(shared-schema/src subgraphs/*/src gateway/src cli/src ui/src)
tests=(integration-tests subgraphs/*/test gateway/test shared-schema/test cli/test ui/test)
npx depcruise "${sources[@]}" "${tests[@]}" --config .dependency-cruiser.js

# The probe: a service that imports an adapter must be refused, or the rule above protects nothing (an
# allow-list that matches no path passes silently).
probe=subgraphs/session-runtime/src/services/zz-architecture-probe.ts
trap 'rm -f "$probe"' EXIT
printf "import { DockerRuntime } from '../adapters/docker-runtime';\nexport const probe = DockerRuntime;\n" >"$probe"
if refused="$(npx depcruise "$probe" --config .dependency-cruiser.js 2>&1)"; then
  echo "the rule services-use-ports-not-adapters did not fire for $probe:" >&2
  echo "$refused" >&2
  exit 1
fi
grep -q 'services-use-ports-not-adapters' <<<"$refused" ||
  { echo "the architecture probe failed for another reason:" >&2; echo "$refused" >&2; exit 1; }
rm -f "$probe"

doc=docs/architecture.md
start='<!-- dependency-graph:start (ops/lint/architecture.sh --write) -->'
end='<!-- dependency-graph:end -->'
graph="$(npx depcruise "${sources[@]}" --config .dependency-cruiser.js \
  --include-only '^(shared-schema|subgraphs|gateway|cli|ui)/' \
  --collapse '^(shared-schema|gateway|cli|ui)/src|^subgraphs/[^/]+/src/[^/.]+' \
  --output-type mermaid)"
wanted="$(DOC="$doc" START="$start" END="$end" GRAPH="$graph" node -e '
  const fs = require("node:fs");
  const { DOC, START, END, GRAPH } = process.env;
  const text = fs.readFileSync(DOC, "utf8");
  const from = text.indexOf(START), to = text.indexOf(END);
  if (from < 0 || to < from) { console.error(`${DOC} lacks the dependency-graph markers`); process.exit(2); }
  process.stdout.write(text.slice(0, from + START.length) + "\n\n```mermaid\n" + GRAPH.trim() + "\n```\n\n" + text.slice(to));
')"
if [[ "${1:-}" == "--write" ]]; then
  printf '%s\n' "$wanted" > "$doc"
  echo "wrote the module graph into $doc"
elif [[ "$wanted" != "$(cat "$doc")" ]]; then
  echo "$doc: the module graph is out of date; run: bash ops/lint/architecture.sh --write" >&2
  exit 1
fi
