/**
 * The script a step runs as. A step is one execution with one exit code: the first failing
 * command of a multi-line block ends the step with that command's status, without ending the
 * operator's shell (which `set -e` in an interactive shell would do). In bash the block runs
 * inside a shell function in the current shell, so `cd` and `export` persist to later steps like
 * they would for a person typing them; an ERR trap that returns from that function gives the
 * "stop at the first failure" behaviour. zsh gets the same wrapper with its own means: the
 * function runs with the local options ERR_RETURN and PIPE_FAIL. Other shells run each step as its
 * own process with `set -e`.
 */

export type ShellKind = 'bash' | 'zsh' | 'posix';

/** Which wrapper a shell takes, from its path or name (`/bin/bash`, `zsh`, `sh`). */
export function shellKind(shell: string): ShellKind {
  const base = shell.split(/[\\/]/).pop()!.replace(/\.exe$/i, '').toLowerCase();
  return base === 'bash' ? 'bash' : base === 'zsh' ? 'zsh' : 'posix';
}

/** Whether steps of this shell can share one long-lived shell, so that `cd` and `export` carry over. */
export function keepsSession(kind: ShellKind): boolean {
  return kind !== 'posix';
}

/** Single-quotes a string for any POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface StepScriptOptions {
  shell: ShellKind;
  /** A directory to run this step in; the shell returns to where it was afterwards. */
  cwd?: string;
  /**
   * For a step sourced by a long-lived shell: variables exported before the step runs, so each
   * step sees the values current when it starts, not those of the terminal's first step.
   */
  exports?: Readonly<Record<string, string>>;
  /**
   * Secret variables, read NUL-separated from a FIFO (so their values never touch the disk or the
   * terminal) and unset again when the step ends.
   */
  secrets?: { names: readonly string[]; fifo: string };
  /** Further names unset when the step ends. */
  unset?: readonly string[];
}

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function names(list: readonly string[] | undefined): string[] {
  return (list ?? []).filter((n) => SAFE_NAME.test(n));
}

/** Lines that set the step's environment in the shell that sources the script. */
function prelude(o: StepScriptOptions): string[] {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(o.exports ?? {})) {
    if (SAFE_NAME.test(name)) lines.push(`export ${name}=${shellQuote(value)}`);
  }
  const secret = names(o.secrets?.names);
  if (secret.length && o.secrets) {
    lines.push(`{ ${secret.map((n) => `IFS= read -r -d '' ${n};`).join(' ')} } < ${shellQuote(o.secrets.fifo)}`, `export ${secret.join(' ')}`);
  }
  return lines;
}

/** The names the step's script unsets when it ends. */
export function cleanupNames(o: Pick<StepScriptOptions, 'secrets' | 'unset'>): string[] {
  return [...new Set([...names(o.secrets?.names), ...names(o.unset)])];
}

const FN = '__preflight_step';

/**
 * Script text that runs `code` and ends with the step's status. For bash and zsh the script is
 * meant to be sourced by a long-lived shell (the operator's terminal, the CLI's session), and can
 * also run as its own process; for other shells it runs as its own process with `set -e`.
 */
export function stepScript(code: string, o: StepScriptOptions): string {
  const body = code.endsWith('\n') ? code : `${code}\n`;
  if (o.shell === 'posix') {
    const cd = o.cwd ? `cd -- ${shellQuote(o.cwd)}\n` : '';
    return `set -e\n${cd}${body}`;
  }
  return o.shell === 'zsh' ? zshScript(body, o) : bashScript(body, o);
}

function bashScript(body: string, o: StepScriptOptions): string {
  const enter = o.cwd ? `  cd -- ${shellQuote(o.cwd)} || return $?\n` : '';
  const leave = o.cwd ? `cd -- "$__preflight_prev" 2>/dev/null; ` : '';
  const cleanup = cleanupNames(o);
  return [
    ...prelude(o),
    `__preflight_saved_err_trap="$(trap -p ERR)"`,
    `__preflight_prev="$PWD"; __preflight_level=$BASH_SUBSHELL; unset __preflight_exit`,
    // `exit N` in a step ends the step with N instead of closing the operator's shell; in a
    // subshell of the step it is the real exit.
    `exit() { if [ "$BASH_SUBSHELL" != "$__preflight_level" ]; then builtin exit "$@"; fi; __preflight_exit="\${1:-$?}"; return 1; }`,
    `${FN}() {`,
    // pipefail for the step only: a failing `cmd | tee log` fails the step.
    `  local - ; set -o pipefail`,
    // Functions do not inherit ERR traps, so it is set inside. It returns only from the step's
    // own body: the failing call of the step itself must not return from the sourced script
    // before the clean-up below has run.
    `  trap '__preflight_s=$?; if [ "\${FUNCNAME[0]:-}" = ${FN} ]; then return $__preflight_s; fi' ERR`,
    enter + body.replace(/\n$/, ''),
    `}`,
    `${FN}; __preflight_rc=$?`,
    `trap - ERR; ${leave}unset -f ${FN} exit`,
    `if [ -n "\${__preflight_exit+set}" ]; then __preflight_rc=$__preflight_exit; fi`,
    `eval "$__preflight_saved_err_trap"`,
    `unset __preflight_saved_err_trap __preflight_exit __preflight_level __preflight_prev __preflight_s${cleanup.length ? ` ${cleanup.join(' ')}` : ''}`,
    `(exit $__preflight_rc)`,
    '',
  ].join('\n');
}

/**
 * The zsh form: ERR_RETURN ends the step's function at its first failing command (with the same
 * exceptions as bash's ERR trap: conditions, `&&` and `||` lists), LOCAL_OPTIONS puts the
 * operator's options back when it returns. No trap is set, so the operator's own stay untouched.
 */
function zshScript(body: string, o: StepScriptOptions): string {
  const enter = o.cwd ? `  cd -- ${shellQuote(o.cwd)} || return $?\n` : '';
  const leave = o.cwd ? `cd -- "$__preflight_prev" 2>/dev/null; ` : '';
  const cleanup = cleanupNames(o);
  return [
    ...prelude(o),
    `__preflight_prev="$PWD"; __preflight_level=$ZSH_SUBSHELL; unset __preflight_exit`,
    `exit() { if [ "$ZSH_SUBSHELL" != "$__preflight_level" ]; then builtin exit "$@"; fi; __preflight_exit="\${1:-$?}"; return 1; }`,
    `${FN}() {`,
    `  setopt localoptions errreturn pipefail`,
    enter + body.replace(/\n$/, ''),
    `}`,
    `${FN}; __preflight_rc=$?`,
    `${leave}unset -f ${FN} exit`,
    `if [ -n "\${__preflight_exit+set}" ]; then __preflight_rc=$__preflight_exit; fi`,
    `unset __preflight_exit __preflight_level __preflight_prev${cleanup.length ? ` ${cleanup.join(' ')}` : ''}`,
    `(exit $__preflight_rc)`,
    '',
  ].join('\n');
}
