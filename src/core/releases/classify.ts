/**
 * The release-note highlighter: marks items with risks from a fixed vocabulary, using
 * (1) structure: the sub-headings an item sits under and admonitions, and
 * (2) vocabulary: phrases from migration linters and upgrade guides.
 *
 * Rules are data (regex + risk + optional `unless` + scope) so users can add their own.
 *
 * Judgement calls:
 * - A fix of a problem is not the problem: "fix possible data loss", "fix breaking change in X",
 *   "fix deprecation warnings", "avoid 'database is locked' errors" are not flagged for that risk,
 *   because upgrading removes the hazard rather than introducing it.
 * - "deadlock" is not a lock risk; "downtime" only counts next to words that make it an operational
 *   requirement ("requires downtime", "downtime is expected"), not as a product metric.
 * - Warning/danger/caution/important admonitions with no other risk are `breaking`: release notes put
 *   behaviour changes that need action in them.
 * - Runtime requirements (Node.js, Python, Ruby...) count as `db_engine_requirement` alongside
 *   databases: both are things an operator must provide before upgrading.
 */
import type { Callout, Problem, Risk } from './model';
import { isRisk, RISKS } from './model';

export type RuleScope = 'text' | 'heading';

export interface Rule {
  id: string;
  risk: Risk;
  pattern: RegExp;
  /** The rule does not fire when this also matches. */
  unless?: RegExp;
  /** The rule does not fire for items under a sub-heading matching this. */
  unlessHeading?: RegExp;
  /** `text` (default): the item's text; `heading`: each sub-heading above the item. */
  scope?: RuleScope;
  /**
   * Lower-case fragments of which at least one occurs in any text the pattern matches. Lets the
   * classifier skip the rule after one scan of the item; rules without hints always run.
   */
  hints?: readonly string[];
}

export interface Classifiable {
  text: string;
  heading: readonly string[];
  callout?: Callout;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary building blocks

const ENGINE = String.raw`(?:postgres(?:ql)?|mysql|mariadb|mongo(?:db)?|redis|valkey|sqlite3?|elasticsearch|opensearch|clickhouse|cassandra|memcached|rabbitmq|kafka|node(?:\.?js)?|python|ruby|php|java|jdk|jre|golang|erlang|elixir|\.net|dotnet|deno|npm|yarn|pnpm|rust|rustc|msrv|perl|kubernetes|k8s|git)`;
const ENGINE_HINTS = [
  'postgres', 'mysql', 'mariadb', 'mongo', 'redis', 'valkey', 'sqlite', 'elasticsearch',
  'opensearch', 'clickhouse', 'cassandra', 'memcached', 'rabbitmq', 'kafka', 'node', 'python',
  'ruby', 'php', 'java', 'jdk', 'jre', 'golang', 'erlang', 'elixir', '.net', 'dotnet', 'deno',
  'npm', 'yarn', 'pnpm', 'rust', 'msrv', 'perl', 'kubernetes', 'k8s', 'git',
];
const DB_ENGINE = String.raw`(?:postgres(?:ql)?|mysql|mariadb|mongo(?:db)?|sqlite3?|redis|valkey|elasticsearch|opensearch|clickhouse|cassandra)`;
const ENGINE_V = String.raw`\b${ENGINE}\b[\s:]*(?:versions?\s+)?(?:(?:is|of|to|from)\s+)?(?:v\.?\s?|>=\s?|≥\s?|\^|~)?\d`;
// Within one sentence: a period counts as a sentence end unless a digit follows (version numbers).
const SAME_SENTENCE = String.raw`(?:[^.\n]|\.(?=\d))`;
const ENGINE_REQ = String.raw`(?:\brequire[sd]?\b|\brequiring\b|\bminimum\b|\bmin\.|\bat\s+least\b|\b(?:or|and)\s+(?:later|newer|higher|above|greater|up)\b|\b(?:is|are|has\s+been|have\s+been|was|were)\s+(?:removed|dropped)\b|\bdrop(?:s|ped|ping)?\s+(?:\w+\s+)?support\b|\bremov\w*\s+(?:\w+\s+)?support\b|\bno\s+longer\s+support|\bunsupported\b|\bnot\s+supported\b|\bend[\s-]of[\s-]life\b|\bEOL\b|\bdeprecat\w*|\bincompatible\b|\bsupported\s+versions?\b|\bmust\s+(?:use|run|be|have)\b|\bneeds?\b|\bupgrade\s+to\b|\bbump(?:s|ed)?\s+(?:the\s+)?min)`;
const CHANGE_VERB = String.raw`(?:add(?:s|ed|ing)?|creat(?:e|es|ed|ing)|drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|renam(?:e|es|ed|ing)|alter(?:s|ed|ing)?|chang(?:e|es|ed|ing)|modif(?:y|ies|ied|ying))`;
const FILLER = String.raw`(?:\x60[^\x60\n]{1,60}\x60|(?!(?:between|to|from|in|on|for|with|of|into|and|or|when|if|that|which|by|at|as)\b)[\w.'’]+)`;
const SCHEMA_OBJECT = String.raw`(?:columns?|tables?|index|indexes|indices|constraints?|foreign\s+keys?|primary\s+keys?)`;
const NOT_DB_UI = /\b(?:csv|exports?|exported|exporting|spreadsheets?|reports?|datagrid|data\s+grid|grid|list\s+view|table\s+view|ui|dashboard|html|markdown|css|pivot|widget|docs?|documentation)\b/i;
// Slowness only matters for the database: "exports may take a while" is not an upgrade risk.
const DB_CONTEXT = String.raw`(?:migrat\w*|upgrad\w*|index\w*|tables?|database|db|backfill\w*|schema|collections?)`;
const SLOW = String.raw`\b(?:(?:may|can|could|will|might)\s+take\s+(?:a\s+(?:long|significant|considerable)\s+(?:amount\s+of\s+)?time|a\s+while|some\s+time|several\s+(?:minutes|hours)|(?:many\s+)?hours|minutes|a\s+lot\s+of\s+time|longer)|(?:on|for|with)\s+(?:very\s+)?(?:large|big|busy)\s+(?:instances|installations|databases|deployments|datasets|tables|sites|servers|collections)|depending\s+on\s+the\s+size\s+of)\b`;
// Client libraries and CI images share engine names: "update dependency redis to v4", "use Node 20 in CI".
const NOT_ENGINE_REQ = /\bdependenc(?:y|ies)\b|\bdeps\b|\b(?:client|driver|gem|crate|library|bindings|types)\b|@types\/|\bci\b|\bgithub\s+actions?\b|\bworkflows?\b|\bdevcontainer\b|\bdev\s+environment\b/i;
const FIX_OF = String.raw`\b(?:fix(?:e[sd]|ing)?|prevent(?:s|ed|ing)?|avoid(?:s|ed|ing)?|resolv(?:e|es|ed|ing))\b`;

// A bug described under "Bug fixes" is gone after the upgrade, not introduced by it.
const UNDER_FIXES = /\b(?:bug\s*fix(?:es)?|fix(?:es|ed)?|bugs)\b/i;

const t = (id: string, hints: readonly string[], risk: Risk, pattern: RegExp, unless?: RegExp, unlessHeading?: RegExp): Rule => ({
  id,
  risk,
  pattern,
  unless,
  unlessHeading,
  hints,
  scope: 'text',
});
const h = (id: string, risk: Risk, pattern: RegExp, unless?: RegExp): Rule => ({ id, risk, pattern, unless, scope: 'heading' });

/** The built-in rules. */
export const DEFAULT_RULES: readonly Rule[] = [
  // --- structure: headings -------------------------------------------------------------------
  h(
    'heading-breaking',
    'breaking',
    /\bbreaking\b|\bbackwards?[\s-]+incompatib|\bincompatib(?:le|ilities)\b|^\s*(?:removed|removals?|removed\s+features?)\s*$|\bfeatures?\s+removed\b|\bremoved\s+in\b|\bbehaviou?r\s+changes?\b|\bchanges?\s+in\s+behaviou?r\b|\baction\s+required\b|\bcompatibility\s+notes?\b/i,
    /\bnon[\s-]breaking\b/i,
  ),
  h('heading-deprecation', 'deprecation', /\bdeprecat/i),
  h('heading-security', 'security', /\bsecurity\b|\bvulnerabilit|\bCVE\b/i),
  h(
    'heading-upgrade',
    'upgrade_path',
    /\b(?:upgrad(?:e|ing)|updat(?:e|ing)|migrat(?:e|ing|ion))\s+(?:notes?|instructions?|guide|steps?|considerations?|procedure|path|information|warnings?|caveats?)\b|\bbefore\s+(?:you\s+)?(?:upgrad|updat)|\bhow\s+to\s+(?:upgrad|updat|migrat)|^\s*upgrad(?:e|ing)\s*$|^\s*upgrad(?:e|ing)\s+(?:from|to)\b|^\s*migrat(?:ing|ion)\s+(?:from|to)\b|^\s*migration\s*$/i,
  ),
  h('heading-db-migration', 'db_migration', /\b(?:database|db|schema)\s+(?:migrations?|changes?|upgrades?)\b|^\s*(?:data(?:base)?\s+)?migrations\s*$|\bdata\s+migrations?\b/i),
  h('heading-requirements', 'db_engine_requirement', /\b(?:system\s+)?requirements?\s+changes?\b|\b(?:new|minimum|updated)\s+(?:system\s+)?requirements\b/i),

  // --- breaking --------------------------------------------------------------------------------
  t(
    'breaking-change',
    ['breaking'],
    'breaking',
    /\bbreaking[\s-]+changes?\b/i,
    new RegExp(String.raw`\bnon[\s-]+breaking|\b(?:no|without(?:\s+any)?|not\s+an?|zero)\s+breaking\b|${FIX_OF}[^.\n]{0,40}\bbreaking\s+change`, 'i'),
  ),
  t('breaking-caps', ['breaking'], 'breaking', /\bBREAKING\b/),
  // Each optional part starts with a non-blank character, so a run of blanks has one way to match.
  t('breaking-prefix', ['breaking'], 'breaking', /(?:^|\n)[ \t]*(?:(?:[-*+]|\d+\.)[ \t]+)?(?:(?:\*\*|__|\[|\(|⚠️?|💥|🚨|❗)[ \t]*){0,2}breaking\b[ \t]*(?:(?:\*\*|__|\]|\))[ \t]*)?[:\-–—]/i),
  t('breaking-emoji', ['breaking'], 'breaking', /(?:⚠️?|💥|🚨|❗)\s*(?:\*\*|__)?\s*breaking\b/i),
  t('breaking-conventional-commit', ['!:', '!**:'], 'breaking', /(?:^|\n)[ \t]*(?:[-*+][ \t]+)?(?:\*\*)?[a-z]+(?:\([^)\n]{0,60}\))?!(?:\*\*)?:\s/i),
  t(
    'breaking-incompatible',
    ['compatib'],
    'breaking',
    /\bbackwards?[\s-]+incompatib|\bnot\s+backwards?[\s-]+compatible|\bno\s+longer\s+(?:backwards?[\s-]+)?compatible\b|\bincompatible\s+(?:api\s+)?changes?\b|\bbreaks?\s+(?:backwards?\s+)?compatibility\b/i,
  ),
  t('breaking-remove-deprecated', ['deprecat', 'legacy'], 'breaking', /\b(?:remov(?:e|es|ed|ing)|drop(?:s|ped|ping)?|delet(?:e|es|ed|ing))\s+(?:the\s+|all\s+|previously\s+|support\s+for\s+(?:the\s+)?)?(?:deprecated|legacy)\b/i),
  t(
    'breaking-remove-interface',
    ['remov', 'drop', 'renam'],
    'breaking',
    /\b(?:remov(?:e|es|ed|ing)|drop(?:s|ped|ping)?|renam(?:e|es|ed|ing))\b[^.\n]{0,50}?\b(?:settings?|config(?:uration)?\s+(?:options?|keys?|variables?|settings?)|environment\s+variables?|env\s+vars?|(?:cli\s+)?flags?|command[\s-]line\s+(?:options?|flags?|arguments?)|management\s+commands?|commands?|endpoints?|api\s+(?:calls?|endpoints?|methods?|support))\b/i,
    /\b(?:button|menu|page|dialog|modal|sidebar|tab|label|icon|tooltip|unnecessary|redundant|duplicated?|unused|non[\s-]working)\b/i,
  ),
  t('breaking-drop-support', ['support'], 'breaking', /\b(?:drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|end(?:s|ed)?|discontinu(?:e|es|ed|ing))\s+(?:\w+\s+)?support\s+(?:for|of)\b|\bdrop(?:s|ped|ping)?\s+(?:[\w.]+\s+){1,3}support\b|\bsupport\s+(?:for|of)\b[^.\n]{0,40}\b(?:has\s+been\s+|was\s+|is\s+)?(?:dropped|removed|discontinued)\b/i),
  t(
    'breaking-removed',
    ['remov'],
    'breaking',
    /\b(?:has\s+been|have\s+been|was|were|is|are)\s+(?:now\s+)?(?:completely\s+|fully\s+)?removed\b/i,
    new RegExp(`${FIX_OF}|\\b(?:unused|dead\\s+code|bug|when|if|once|after|whether)\\b`, 'i'),
    UNDER_FIXES,
  ),
  t(
    'breaking-default-change',
    ['default'],
    'breaking',
    /\b(?:chang|updat)(?:e|es|ed|ing)\s+(?:the\s+)?defaults?\b[^.\n]{0,60}\b(?:to|from)\b|\bdefaults?\s+(?:[\w`]+\s+){0,3}(?:has|have|was|were)\s+(?:been\s+)?changed\b|\bdefault\s+(?:[\w`]+\s+){0,2}is\s+now\b|\bno\s+longer\s+(?:\w+\s+)?by\s+default\b|\bnow\s+(?:\w+\s+){0,4}by\s+default\b|\bby\s+default\s+now\b/i,
  ),
  t(
    'breaking-no-longer',
    ['longer'],
    'breaking',
    /\bno\s+longer\s+(?:supports?|supported|accepts?|accepted|available|works?|allowed|possible|provided|exposes?|exposed|sends?|sent|ships?|included|bundled|honou?red|respected|(?:be\s+)?(?:used|read|parsed|returned))\b/i,
    new RegExp(`${FIX_OF}|\\bbug\\b|\\bregression\\b|\\bcrash`, 'i'),
    UNDER_FIXES,
  ),

  t('breaking-now-required', ['requir', 'mandatory', 'must'], 'breaking', /\b(?:is|are)\s+now\s+(?:required|mandatory)\b|\bnow\s+requires?\b|\bmust\s+now\b|\bwill\s+be\s+required\b|\b(?:required|mandatory)\s+(?:from|since|as\s+of|starting\s+(?:with|from))\s+(?:version\s+)?v?\d/i),
  t(
    'breaking-action-required',
    ['action', 'manual', 'interven', 'you'],
    'breaking',
    /\baction\s+(?:is\s+)?required\b|\brequires?\s+(?:manual\s+)?(?:action|intervention)\b|\bmanual\s+(?:steps?|intervention|action)\b|\byou\s+(?:must|need\s+to|will\s+need\s+to|have\s+to)\s+(?:now\s+)?(?:update|change|adjust|modify|set|add|replace|rename|re-?configure|reinstall|regenerate)\b/i,
  ),

  // --- db_migration ----------------------------------------------------------------------------
  t(
    'migration-noun',
    ['migration'],
    'db_migration',
    new RegExp(String.raw`\b(?:database|db|schema|data|sql|model|${DB_ENGINE})(?:\s+\w+)?[\s-]+migrations?\b`, 'i'),
    /\bgraphql\b|\bapi\s+schema\b|\bjson\s*schema\b/i,
  ),
  t('migration-run', ['migration'], 'db_migration', /\b(?:run(?:ning|s)?|apply(?:ing)?|applies|execut(?:e|es|ing))\s+(?:the\s+|all\s+|any\s+)?(?:pending\s+|new\s+|database\s+|db\s+|required\s+)?migrations?\b/i),
  t(
    'migration-command',
    ['migrat', 'alembic', 'flask'],
    'db_migration',
    /\bmanage(?:\.py)?\s+migrate\b|\bdb:migrate\b|\brake\s+db:|\bartisan\s+migrate\b|\balembic\s+upgrade\b|\bflask\s+db\s+upgrade\b|\b(?:knex|sequelize|typeorm|prisma|diesel|goose|flyway|liquibase|ecto)\b[^.\n]{0,20}\bmigrat|\b(?:npm|yarn|pnpm)\s+run\s+(?:db:)?migrat|`migrate`/i,
  ),
  t('migrations-plural', ['migrations'], 'db_migration', /(?<![-:/@\w])migrations\b/i, /\bmigrations?\s+(?:guides?|docs?|documentation|notes?|instructions?|paths?)\b|\bgraphql\b/i),
  t(
    'migration-change',
    ['migration'],
    'db_migration',
    /\b(?:add(?:s|ed|ing)?|new|missing|fix(?:es|ed|ing)?|squash(?:es|ed)?|optimi[sz](?:e|es|ed)|revert(?:s|ed)?|reorder(?:s|ed)?|broken|failing|failed|slow)\s+(?:\w+\s+){0,2}migration\b|\bmigration\s+(?:numbers?|files?|scripts?|dependenc\w*|v?\d+)\b|\bv\d+\s+migration\b|\b\d{4}_\w+\s+migration\b|\b(?:this|the|each|that)\s+migration\s+(?:will|may|might|can|could|cannot|can't|must|should|locks?|takes?|runs?|rewrites?|adds?|drops?|removes?|deletes?|updates?|converts?|has|is|needs?|requires?)\b/i,
    /\b(?:user|account|guide|path|tool|wizard|assistant)\s+migration\b|\bmigration\s+(?:guide|path|tool|wizard|assistant)\b/i,
  ),
  t('migration-schema-op', ['column', 'table', 'index', 'indic', 'constraint', 'key'], 'db_migration', new RegExp(String.raw`\b${CHANGE_VERB}\s+(?:${FILLER}\s+){0,3}?${SCHEMA_OBJECT}\b`, 'i'), NOT_DB_UI),
  t('migration-index-build', ['index'], 'db_migration', /\bindex\s+(?:creation|builds?|building|rebuilds?|rebuilding)\b/i, /\bsearch\b|\bfull[\s-]?text\b/i),
  t('migration-sql', ['alter', 'index', 'drop', 'column', 'renam', 'null'], 'db_migration', /\b(?:ALTER\s+TABLE|CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+(?:TABLE|COLUMN|INDEX)|ADD\s+COLUMN|RENAME\s+(?:COLUMN|TABLE)|NOT\s+NULL)\b/),
  t('migration-not-null', ['null'], 'db_migration', /\bnot[\s-]null\s+constraints?\b|\bnon[\s-]nullable\s+columns?\b|\bcolumns?\s+(?:\w+\s+){0,3}(?:not[\s-]null|non[\s-]nullable)\b/i),
  t(
    'migration-type-change',
    ['from', 'type'],
    'db_migration',
    /\b(?:migrat|chang|convert|switch|alter)\w*\b[^.\n]{0,60}\bfrom\s+`?(?:int(?:eger)?|bigint|smallint|serial|uuid|varchar|char|text|jsonb?|hstore|timestamp|datetime|decimal|numeric|float|boolean)`?\s+to\s+`?(?:int(?:eger)?|bigint|uuid|varchar|text|jsonb?|hstore|timestamptz|timestamp|datetime|decimal|numeric|float|boolean|many-to-many)\b|\bcolumn\s+types?\b/i,
  ),
  t('migration-backfill', ['fill'], 'db_migration', /\bback-?fill(?:s|ed|ing)?\b/i),
  t('migration-schema', ['schema'], 'db_migration', /\b(?:database|db)\s+schema\b|\bschema\s+(?:changes?|updates?|upgrades?|versions?)\b/i, /\bgraphql\b|\bapi\b|\bjson\b|\bopenapi\b|\bswagger\b|\bsdl\b/i),
  t(
    'migration-model',
    ['model'],
    'db_migration',
    /\b(?:drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|delet(?:e|es|ed|ing)|renam(?:e|es|ed|ing))\s+(?:\w+\s+){0,2}(?:models\b|model\b(?=\s*(?:$|[.,;:()[-]|and\b))|db\s+fields?\b|database\s+fields?\b|models?\s+fields?\b)|\b(?:add|remov|drop|renam|alter|chang)\w*\s+(?:\S+\s+){0,3}fields?\s+(?:to|from|on|in|of)\s+(?:the\s+)?(?:\S+\s+)?models?\b/i,
    /\bgraphql\b|\bmodel\s+propert/i,
  ),

  // --- db_lock_or_downtime -----------------------------------------------------------------------
  t(
    'lock-table',
    ['lock'],
    'db_lock_or_downtime',
    /\block(?:s|ed|ing)?\s+(?:the\s+|a\s+|an\s+|your\s+|all\s+|each\s+)?(?:[\w`.]+\s+)?(?:tables?|database|db|collections?|rows)\b|\b(?:exclusive|table[\s-]level|access\s+exclusive|write|schema|metadata|long[\s-]held|global)\s+locks?\b|\btable\s+locks?\b|\bacquir\w*\s+(?:an?\s+)?(?:\w+\s+)?locks?\s+on\b/i,
    /\bdeadlock|\bis\s+locked\b|\bavoid\w*\b[^.\n]{0,40}\block/i,
  ),
  t(
    'downtime',
    ['downtime'],
    'db_lock_or_downtime',
    /\b(?:requires?|required|requiring|causes?|caused|causing|expects?|expected|involves?|incurs?|needs?|needed|planned|schedul\w*|brief|short|some|minimal|extended|significant|longer|period\s+of|will\s+be)\s+(?:\w+\s+){0,2}downtime\b|\bdowntime\s+(?:is|will\s+be|may\s+be|might\s+be|should\s+be)\s+(?:\w+\s+)?(?:required|expected|necessary|needed|unavoidable|inevitable)\b|\b(?:not|cannot|can't|isn't|no)\b[^.\n]{0,40}\bzero[\s-]downtime\b/i,
  ),
  t('read-only-mode', ['read', 'maintenance', 'interruption', 'unavailable', 'offline'], 'db_lock_or_downtime', /\bread[\s-]only\s+mode\b|\bmaintenance\s+(?:mode|window)\b|\bservice\s+interruption\b|\bunavailable\s+(?:during|while|until)\b|\btake\s+(?:\w+\s+){0,2}offline\b/i),
  t(
    'long-running',
    ['long', 'take', 'large', 'big', 'busy', 'size', 'background'],
    'db_lock_or_downtime',
    new RegExp(
      String.raw`\blong[\s-]running\s+(?:\w+\s+)?(?:migrations?|upgrades?)\b|\bbackground\s+migrations?\b|\b${DB_CONTEXT}\b[^.\n]{0,80}?${SLOW}|${SLOW}[^.\n]{0,80}?\b${DB_CONTEXT}\b`,
      'i',
    ),
  ),
  // CREATE INDEX CONCURRENTLY takes no lock: `unless` vetoes any item that says "concurrently".
  t(
    'index-build',
    ['index', 'indic', 'vacuum'],
    'db_lock_or_downtime',
    /\bCREATE\s+(?:UNIQUE\s+)?INDEX\b|\bREINDEX\b|\breindex(?:es|ed|ing)?\s+(?:the\s+|all\s+|your\s+)?(?:database|db|tables?|indexes|indices|collections?)\b|\b(?:run|requires?|trigger\w*|perform\w*)\s+(?:a\s+)?(?:full\s+)?reindex|\bvacuum\s+full\b|\b(?:add(?:s|ed|ing)?|creat(?:e|es|ed|ing)|build(?:s|ing)?)\s+(?:(?:a|an|the|new|missing|unique|database|db|several|multiple|(?:`[^`\n]{1,60}`|[\w.'’]+))\s+){0,2}?(?:indexes|index|indices)\b|\bindex\s+(?:creation|builds?|building|rebuilds?|rebuilding)\b/i,
    /\bconcurrently\b|\bsearch\b|\bfull[\s-]?text\b|\belastic|\bsolr\b|\bmeili|\btypesense\b|\bopensearch\b|\bdocs?\b|\bdocumentation\b/i,
  ),
  t(
    'stop-services',
    ['stop', 'shut', 'rolling'],
    'db_lock_or_downtime',
    /\b(?:stop|shut\s*down|shutdown)\s+(?:all\s+|the\s+|your\s+|any\s+)?(?:\w+\s+)?(?:servers?|services?|instances?|nodes?|workers?|containers?|application|app|processes)\b[^.\n]{0,60}\b(?:before|while|during)\b|\brolling\s+(?:upgrades?|updates?|restarts?|deploy\w*)\s+(?:is\s+|are\s+)?(?:not\s+(?:possible|supported)|impossible|unsupported)\b/i,
  ),

  // --- db_engine_requirement -------------------------------------------------------------------
  t(
    'engine-requirement',
    ENGINE_HINTS,
    'db_engine_requirement',
    new RegExp(`${ENGINE_REQ}${SAME_SENTENCE}{0,80}?${ENGINE_V}|${ENGINE_V}${SAME_SENTENCE}{0,80}?${ENGINE_REQ}`, 'i'),
    new RegExp(`^\\s*(?:[-*+]\\s+)?${FIX_OF}|${NOT_ENGINE_REQ.source}`, 'i'),
  ),
  t('engine-bump', ENGINE_HINTS, 'db_engine_requirement', new RegExp(String.raw`\b(?:updat|upgrad|bump)\w*\s+(?:[\w.]+\s+to\s+v?[\d.]+\s+and\s+)?${ENGINE}\s+to\s+v?\d|\b(?:updat|upgrad|bump|chang|switch)\w*\s+(?:the\s+)?(?:\w+\s+)?${ENGINE}\b(?:\s+versions?)?\s+(?:(?:for\s+\w+\s+)?from\s+v?\d[\w.]*\s+)?to\s+v?\d|\bupgrade\s+to\s+(?:[\w.]+\s+[\d.]+\s+and\s+)?${ENGINE}\s+v?\d`, 'i'), NOT_ENGINE_REQ),
  t('engine-incompatible', ENGINE_HINTS, 'db_engine_requirement', new RegExp(String.raw`\b(?:incompatible|unsupported|minimum|required|supported)\s+${ENGINE}\s+versions?\b|\b(?:drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|end(?:s|ed)?)\s+${ENGINE}\s*v?\d[\w.]*(?:\s+(?:and|or)\s+(?:below|older|earlier|lower))?\s+support\b`, 'i')),
  t('engine-replica-set', ['replica', 'oplog'], 'db_engine_requirement', /\b(?:require[sd]?|requiring|must\s+(?:use|run|enable|have|be)|needs?|mandatory)\b[^.\n]{0,30}\b(?:replica[\s-]?sets?|oplog)\b|\b(?:replica[\s-]?sets?|oplog)\s+(?:\w+\s+){0,2}(?:is|are)\s+(?:now\s+)?(?:required|mandatory)\b/i),

  // --- data_loss -------------------------------------------------------------------------------
  t(
    'data-loss',
    ['irreversib', 'undone', 'revert', 'rolled', 'recover', 'restor', 'reversib', 'downgrad', 'lost', 'permanent', 'loss', 'lose', 'losing', 'longer'],
    'data_loss',
    /\birreversibl[ey]\b|\b(?:cannot|can't|can\s+not)\s+be\s+(?:undone|reverted|rolled\s+back|recovered|restored)\b|\bnot\s+(?:be\s+)?(?:reversible|revertible)\b|\bnon[\s-]reversible\b|\bdowngrad\w*\b(?:[^.\n]|\.(?=\w)){0,40}?\b(?:is|are|will\s+be)\s+(?:not\s+(?:possible|supported)|impossible|unsupported)\b|\b(?:will|would|may|might|could)\s+be\s+(?:permanently\s+)?lost\b|\b(?:is|are|was|were)\s+(?:permanently\s+)?lost\b|\bpermanently\s+(?:delet|remov|eras|purg|destroy)\w*|\bdata\s+loss\b|\blos(?:e|es|ing)\s+(?:all\s+|any\s+|your\s+|some\s+|existing\s+)?(?:data|history|messages|records|files|uploads)\b|\bno\s+longer\s+(?:be\s+)?(?:stored|persisted|kept|saved|retained|recorded)\b/i,
    new RegExp(`${FIX_OF}[^.\\n]{0,60}\\b(?:data\\s+loss|lost|los(?:e|es|ing))\\b`, 'i'),
    UNDER_FIXES,
  ),

  t(
    'data-deleted',
    ['delet', 'purg', 'eras', 'wip', 'truncat', 'discard', 'drop', 'remov'],
    'data_loss',
    /\b(?:will\s+(?:permanently\s+|automatically\s+)?(?:delete|purge|remove|drop|erase|wipe|truncate|discard)|(?:deletes|purges|erases|wipes|truncates|discards))\s+(?:all|any|existing|old|older|orphan(?:ed)?|stale|unused|obsolete|expired|legacy|previous|historical|the|your)\b|\bwill\s+be\s+(?:permanently\s+|automatically\s+)?(?:deleted|purged|erased|wiped|truncated|discarded)\b|\b(?:are|is|get|gets|being)\s+(?:permanently|automatically)\s+(?:deleted|purged|erased|wiped|truncated|discarded|dropped)\b|\bremov(?:es|e)\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:\w+\s+)?data\b/i,
    new RegExp(FIX_OF, 'i'),
    UNDER_FIXES,
  ),

  t('data-drop-table', ['drop', 'remov', 'delet'], 'data_loss', new RegExp(String.raw`\b(?:drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|delet(?:e|es|ed|ing))\s+(?:${FILLER}\s+){0,3}?(?:columns?|tables?|collections?|models)\b|\b(?:drop|remov)\w*\s+(?:\S+\s+){0,3}fields?\s+from\s+(?:the\s+)?(?:\S+\s+)?models?\b|\bDROP\s+(?:TABLE|COLUMN)\b`, 'i'), NOT_DB_UI),
  t('data-backup', ['back', 'snapshot'], 'data_loss', /\b(?:back\s*up|backup|snapshot)s?\b[^.\n]{0,80}\b(?:before|prior\s+to)\b|\bbefore\s+(?:upgrading|updating|migrating|running)\b[^.\n]{0,60}\b(?:back\s*up|backup|snapshot)\b/i),

  // --- upgrade_path ----------------------------------------------------------------------------
  t(
    'upgrade-first',
    ['first', 'before', 'prior'],
    'upgrade_path',
    /\b(?:must|need\s+to|needs\s+to|have\s+to|has\s+to|should|required\s+to|requires?\s+(?:you\s+to\s+)?)\s+(?:first\s+)?(?:be\s+)?(?:upgrad|updat|migrat)\w*\s+(?:\w+\s+){0,3}?to\s+(?:version\s+|v)?\d[\w.]*(?:\.x)?\b[^.\n]{0,40}\b(?:first|before|prior)\b|\b(?:upgrade|update|migrate)\s+to\s+(?:version\s+|v)?\d[\w.]*(?:\.x)?\s+(?:first|before)\b/i,
  ),
  t(
    'upgrade-stop',
    ['stop', 'skip', 'than', 'path', 'intermediate', 'time', 'upgrading'],
    'upgrade_path',
    /\brequired\s+(?:upgrade\s+)?stops?\b|\bupgrade\s+stops?\b|\b(?:cannot|can't|can\s+not|must\s+not|should\s+not|do\s+not|don't)\s+skip\b|\bskipp?(?:ing)?\s+(?:\w+\s+){0,2}(?:versions?|releases?)\s+is\s+not\s+(?:supported|possible|allowed)\b|\bnot\s+possible\s+to\s+skip\b|\bupgrad\w*\s+(?:directly\s+)?from\s+(?:versions?\s+|releases?\s+)?(?:older|earlier|prior|lower)\s+than\b|\bupgrade\s+paths?\b|\bintermediate\s+(?:versions?|releases?|upgrades?|steps?)\b|\bone\s+(?:major\s+|minor\s+)?(?:version|release)\s+at\s+a\s+time\b|\b(?:if|when)\s+(?:you\s+are\s+|you're\s+)?upgrading\s+from\s+(?:a\s+|an\s+)?(?:version\s+)?(?:older|earlier|prior|before|v?\d)/i,
  ),
  t(
    'upgrade-before',
    ['before', 'prior'],
    'upgrade_path',
    /\b(?:before|prior\s+to)\s+(?:you\s+)?upgrad(?:e|ing)\b|\bbefore\s+(?:you\s+)?updat(?:e|ing)\s+(?:to|from|your\s+(?:instance|installation|server|deployment|cluster))\b/i,
  ),
  t('upgrade-manual', ['manual'], 'upgrade_path', /\bmanual(?:ly)?\s+(?:upgrad|migrat|run|apply|updat)\w*|\b(?:upgrad|migrat)\w*\b[^.\n]{0,60}\bmanually\b|\byou\s+(?:will\s+)?(?:need|have)\s+to\s+(?:\w+\s+){0,3}manually\b/i),

  // --- security --------------------------------------------------------------------------------
  t('security-id', ['cve-', 'ghsa-'], 'security', /\bCVE-\d{4}-\d{3,}\b|\bGHSA(?:-[0-9a-z]{4}){3}\b/i),
  t(
    'security-vocabulary',
    ['secur', 'vulnerab', 'xss', 'cross', 'csrf', 'ssrf', 'xxe', 'injection', 'rce', 'remote', 'redirect', 'escalation', 'traversal', 'denial', 'redos', 'disclosure', 'leak', 'bypass', 'arbitrary', 'clickjack', 'fixation', 'timing', 'pollution'],
    'security',
    /\bsecurity\s+(?:fix(?:es)?|issues?|vulnerabilit(?:y|ies)|advisor(?:y|ies)|patch(?:es)?|releases?|updates?|problems?|bugs?|flaws?|holes?|hardening|concerns?)\b|\bvulnerabilit(?:y|ies)\b|\bvulnerable\b|\bXSS\b|\bcross[\s-]site\s+(?:scripting|request\s+forgery)\b|\bCSRF\b|\bSSRF\b|\bXXE\b|\b(?:sql|command|code|ldap|header|template|html|shell)\s+injection\b|\bRCE\b|\bremote\s+code\s+execution\b|\bopen\s+redirects?\b|\bprivilege\s+escalation\b|\b(?:path|directory)\s+traversal\b|\bdenial[\s-]of[\s-]service\b|\bReDoS\b|\binformation\s+(?:disclosure|leak(?:age)?)\b|\bauth(?:entication|orization)?\s+bypass\b|\barbitrary\s+(?:code|file|command)s?\b|\bsecurity:|\bclickjacking\b|\bsession\s+fixation\b|\btiming\s+attacks?\b|\bprototype\s+pollution\b/i,
  ),
  t('security-dos', ['dos'], 'security', /\bDoS\b/),

  // --- deprecation -----------------------------------------------------------------------------
  t(
    'deprecation',
    ['deprecat'],
    'deprecation',
    /\bdeprecat(?:e|es|ed|ing|ions?)\b/i,
    /\b(?:fix(?:e[sd]|ing)?|silenc\w*|suppress\w*|resolv\w*|address\w*|avoid\w*|remov\w*|clean\w*|disabl\w*|hid(?:e|es|ing)|mut(?:e|es|ed|ing)|ignor\w*)\s+(?:\S+\s+){0,3}deprecat\w*\s+warnings?\b|\b(?:remov(?:e|es|ed|ing)|drop(?:s|ped|ping)?|delet\w*)\s+(?:the\s+|all\s+|previously\s+|support\s+for\s+(?:the\s+)?)?(?:\w+\s+)?deprecated\b/i,
  ),
  t(
    'removal-planned',
    ['will', 'scheduled', 'planned', 'slated', 'marked', 'end', 'sunset'],
    'deprecation',
    /\bwill\s+be\s+(?:removed|dropped|deleted|discontinued|unsupported)\s+in\b|\b(?:scheduled|planned|slated|marked)\s+for\s+(?:removal|deletion|deprecation)\b|\bwill\s+(?:no\s+longer\s+be\s+supported|stop\s+working)\b|\bend[\s-]of[\s-](?:life|support)\b|\bsunset(?:ting|ted)?\b/i,
  ),
];

// Phrases that look like risk vocabulary but are not; blanked out before matching.
const TRAPS = new RegExp(
  [
    String.raw`\b[A-Z]\w*(?:Error|Exception)\b`,
    String.raw`\bjson[\s-]?schema\w*`,
    String.raw`\bz-index\b`,
    String.raw`\bindex\.(?:html?|js|ts|tsx|jsx|md|php|vue)\b`,
    String.raw`\bindex\s+(?:pages?|files?|routes?|views?|templates?|cards?)\b`,
    String.raw`\bsearch[\s-]+index\w*`,
    String.raw`\b(?:package|pnpm|npm-shrinkwrap)-lock(?:\.json|\.yaml)?\b`,
    String.raw`\b(?:yarn|gemfile|poetry|composer|cargo|pipfile|flake|bun|mix|go\.sum|podfile|uv|pdm)\.lock\b`,
    String.raw`\block[\s-]?files?\b`,
    String.raw`\bdrop[\s-]?downs?\b`,
    String.raw`\bdropbox\b`,
    String.raw`\bdropzone\b`,
    String.raw`\bdrag[\s-]and[\s-]drop\b`,
    String.raw`\bnon[\s-]breaking\s+spaces?\b`,
    String.raw`\b(?:screen|scroll|caps|num)[\s-]?lock\b`,
    String.raw`\block[\s-]?screen\b`,
    String.raw`\bgraphql\s+schema\b`,
    String.raw`\bschema\.graphql\b`,
  ].join('|'),
  'gi',
);

// Lower-case fragments present whenever a URL or a trap phrase is.
const URL_STEMS = ['](', 'http'];
const TRAP_STEMS = ['error', 'exception', 'schema', 'index', 'lock', 'drop', 'breaking'];

// A link target ends at the first parenthesis or blank: a run of `](` then fails at once per opener.
const LINK_URL = /\]\([^()\s]*(?:\s+"[^"]*")?\)/g;
const BARE_URL = /<?\bhttps?:\/\/[^\s)>\]]+>?/g;

// Soft-wrapped lines join into one line, so "within a sentence" patterns see across the wrap;
// bullets and blank lines still start a new line.
const SOFT_BREAK = /\n(?![ \t]*(?:[-*+]\s|\d+[.)]\s|\n|$))[ \t]*/g;

function unwrap(text: string): string {
  return text.replace(SOFT_BREAK, ' ');
}

/** Heading text as heading rules see it: no markup, emoji or counts ("Removed (20 changes)"). */
function matchableHeading(text: string): string {
  return text
    .replace(/[*_`#]+/g, '')
    // Innermost parentheses only: an unclosed `(` then costs a scan to the next parenthesis, not to the end.
    .replace(/\([^()]*\)/g, ' ')
    .replace(/[^\p{L}\p{N}\s'’:,.()&/-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ALARM_CALLOUTS: ReadonlySet<Callout> = new Set(['warning', 'danger', 'caution', 'important']);

export interface Classifier {
  classify(item: Classifiable): Risk[];
}

/** Precompiles a rule set; heading results are cached (most items share a handful of headings). */
export function createClassifier(rules: readonly Rule[] = DEFAULT_RULES): Classifier {
  const textRules = rules.filter((r) => (r.scope ?? 'text') === 'text');
  const headingRules = rules.filter((r) => r.scope === 'heading');
  const headingCache = new Map<string, Risk[]>();

  const headingRisks = (heading: string): Risk[] => {
    let risks = headingCache.get(heading);
    if (!risks) {
      const text = matchableHeading(heading);
      risks = headingRules.filter((r) => fires(r, text)).map((r) => r.risk);
      headingCache.set(heading, risks);
    }
    return risks;
  };

  // One pass over the lower-cased item finds every hint, and whether URLs or trap phrases need
  // removing at all. A found fragment also counts for the fragments inside it ("longer" contains
  // "long"), since the alternation reports only the longest one at each position.
  const hints = [...new Set(textRules.flatMap((r) => r.hints ?? []))];
  const stems = [...new Set([...hints, ...URL_STEMS, ...TRAP_STEMS])].sort((a, b) => b.length - a.length);
  const stemRe = new RegExp(stems.map(escapeRegExp).join('|'), 'g');
  const enables = new Map<string, number[]>();
  const cleanups = new Map<string, { url: boolean; trap: boolean }>();
  for (const found of stems) {
    const inside = stems.filter((h) => found.includes(h));
    enables.set(
      found,
      textRules.flatMap((r, i) => (r.hints?.some((h) => inside.includes(h)) ? [i] : [])),
    );
    cleanups.set(found, { url: inside.some((h) => URL_STEMS.includes(h)), trap: inside.some((h) => TRAP_STEMS.includes(h)) });
  }
  const unhinted = textRules.flatMap((r, i) => (r.hints ? [] : [i]));
  const candidate = new Uint8Array(textRules.length);

  return {
    classify(item) {
      const found = new Set<Risk>();
      for (const heading of item.heading) for (const risk of headingRisks(heading)) found.add(risk);
      candidate.fill(0);
      for (const i of unhinted) candidate[i] = 1;
      let url = false;
      let trap = false;
      const lower = item.text.toLowerCase();
      stemRe.lastIndex = 0;
      for (let m = stemRe.exec(lower); m; m = stemRe.exec(lower)) {
        for (const i of enables.get(m[0])!) candidate[i] = 1;
        const c = cleanups.get(m[0])!;
        url ||= c.url;
        trap ||= c.trap;
        stemRe.lastIndex = m.index + 1;
      }
      // The rules see no URLs (paths and slugs are full of keywords) and no trap phrases.
      let text = item.text.includes('\n') ? unwrap(item.text) : item.text;
      if (url) text = text.replace(LINK_URL, ']').replace(BARE_URL, ' ');
      if (trap) text = text.replace(TRAPS, ' ');
      for (let i = 0; i < textRules.length; i++) {
        const rule = textRules[i];
        if (!candidate[i] || found.has(rule.risk) || !fires(rule, text)) continue;
        if (rule.unlessHeading && item.heading.some((h) => rule.unlessHeading!.test(h))) continue;
        found.add(rule.risk);
      }
      if (found.size === 0 && item.callout && ALARM_CALLOUTS.has(item.callout)) found.add('breaking');
      return RISKS.filter((r) => found.has(r));
    },
  };
}

function fires(rule: Rule, text: string): boolean {
  rule.pattern.lastIndex = 0;
  if (!rule.pattern.test(text)) return false;
  if (!rule.unless) return true;
  rule.unless.lastIndex = 0;
  return !rule.unless.test(text);
}

const defaultClassifier = createClassifier();

export function classify(item: Classifiable): Risk[] {
  return defaultClassifier.classify(item);
}

// ---------------------------------------------------------------------------------------------
// User rules

export interface UserRuleConfig {
  pattern: string;
  risk: string;
  flags?: string;
  /** A pattern that vetoes the rule when it also matches. */
  unless?: string;
  scope?: RuleScope;
}

/** Compiles rules from settings. Invalid entries are reported, never thrown. */
export function compileUserRules(config: readonly UserRuleConfig[]): { rules: Rule[]; problems: Problem[] } {
  const rules: Rule[] = [];
  const problems: Problem[] = [];
  config.forEach((entry, i) => {
    const where = `release-note rule ${i + 1}`;
    if (!entry || typeof entry.pattern !== 'string' || entry.pattern === '') {
      problems.push({ message: `${where}: "pattern" must be a non-empty string` });
      return;
    }
    if (typeof entry.risk !== 'string' || !isRisk(entry.risk)) {
      problems.push({ message: `${where}: unknown risk "${String(entry.risk)}" (expected one of ${RISKS.join(', ')})` });
      return;
    }
    if (entry.scope !== undefined && entry.scope !== 'text' && entry.scope !== 'heading') {
      problems.push({ message: `${where}: scope must be "text" or "heading"` });
      return;
    }
    // Stateful flags would make .test() depend on the previous item.
    const flags = (entry.flags ?? 'i').replace(/[gy]/g, '');
    try {
      rules.push({
        id: `user-${i + 1}`,
        risk: entry.risk,
        pattern: new RegExp(entry.pattern, flags),
        unless: entry.unless ? new RegExp(entry.unless, flags) : undefined,
        scope: entry.scope ?? 'text',
      });
    } catch (err) {
      problems.push({ message: `${where}: invalid regular expression: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
  return { rules, problems };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
