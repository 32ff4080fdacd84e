/**
 * Pre-check steps from engine and runtime floors: each compares the running version with the floor
 * using `sort -V` and fails while it is below. Reading the running version is the one part Preflight
 * cannot know: that function fails until the team fills it in, so an unedited check never passes.
 */
import type { EngineFloor } from './floors';
import { ENGINES, type EngineId } from './stack';

/** How each engine's version is usually read; `cli` is the cluster command with its namespace. */
function versionExample(engine: EngineId, cli: string): string {
  const exec = (what: string) => `${cli} exec deploy/"$APP"-${what} --`;
  switch (engine) {
    case 'mongodb':
      return `${exec('mongodb')} mongosh --quiet --eval 'db.version()'`;
    case 'postgresql':
      return `${exec('postgresql')} psql -tAc 'SHOW server_version'`;
    case 'mysql':
    case 'mariadb':
      return `${exec(engine)} sh -c 'mysql -N -uroot -p"$MYSQL_ROOT_PASSWORD" -e "SELECT VERSION()"'`;
    case 'redis':
      return `${exec('redis')} redis-cli INFO server | sed -n 's/^redis_version://p'`;
    case 'elasticsearch':
      return `${exec('elasticsearch')} curl -s localhost:9200 | sed -n 's/.*"number" *: *"\\([^"]*\\)".*/\\1/p'`;
    case 'node':
      return `${cli} exec deploy/"$APP" -- node --version`;
    case 'python':
      return `${cli} exec deploy/"$APP" -- python3 -c 'import platform; print(platform.python_version())'`;
    case 'ruby':
      return `${cli} exec deploy/"$APP" -- ruby -e 'puts RUBY_VERSION'`;
    case 'php':
      return `${cli} exec deploy/"$APP" -- php -r 'echo PHP_VERSION;'`;
    case 'java':
      return `${cli} exec deploy/"$APP" -- java -version 2>&1 | sed -n 's/.*version "\\([^"]*\\)".*/\\1/p'`;
    case 'go':
      return `go version -m ./"$APP" | sed -n 's/.*go\\([0-9.]*\\).*/\\1/p;q'`;
    case 'erlang':
      return `${cli} exec deploy/"$APP" -- erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().'`;
    case 'kubernetes':
      return `kubectl version -o json | sed -n 's/.*"gitVersion": *"v\\([^"]*\\)".*/\\1/p' | tail -n 1`;
    case 'openshift':
      return `oc version -o json | sed -n 's/.*"openshiftVersion": *"\\([^"]*\\)".*/\\1/p'`;
  }
}

/** A step name for the check of one engine: `check-mongodb-version`. */
export function preCheckName(engine: EngineId): string {
  return `check-${engine}-version`;
}

/** One task-list step per floor. Versions and sources are quoted for the shell. */
export function preCheckSteps(floors: readonly EngineFloor[], cli: string): string[] {
  return floors.map((floor) => {
    const label = ENGINES[floor.engine].label;
    const min = floor.min.replace(/[^0-9.]/g, '');
    const why = floor.sources.join('; ').replace(/[^\w .,:;()@/+-]/g, '');
    return [
      `- [ ] Check that the running ${label} is ${floor.shown}, as $TO_VERSION needs (${why})`,
      `  \`\`\`sh ${JSON.stringify({ name: preCheckName(floor.engine), timeout: 120 })}`,
      `  required=${min}`,
      `  running_version() {`,
      `    # TODO: print the ${label} version production runs, e.g.`,
      `    #   ${versionExample(floor.engine, cli)}`,
      `    echo "TODO: read the running ${label} version" >&2`,
      `    exit 1`,
      `  }`,
      `  running="$(running_version)" || exit 1`,
      `  running="$(printf '%s' "$running" | sed -E 's/^[^0-9]*//; s/[^0-9.].*$//')"`,
      `  if [ -z "$running" ]; then echo "could not read the running ${label} version" >&2; exit 1; fi`,
      `  lowest="$(printf '%s\\n%s\\n' "$required" "$running" | sort -V | head -n 1)"`,
      `  if [ "$lowest" != "$required" ]; then`,
      `    echo "${label} $running is below $required, which $TO_VERSION needs (${why})" >&2`,
      `    exit 1`,
      `  fi`,
      `  echo "${label} $running meets $required"`,
      '  ```',
    ].join('\n');
  });
}
