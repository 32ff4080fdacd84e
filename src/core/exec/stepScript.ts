/**
 * The script a step runs as. A step is one execution with one exit code: the first failing
 * command of a multi-line block ends the step with that command's status, without ending the
 * operator's shell (which `set -e` in an interactive shell would do). The block runs inside a
 * shell function in the current shell, so `cd` and `export` persist to later steps like they
 * would for a person typing them. An ERR trap that returns from that function gives the
 * "stop at the first failure" behaviour.
 */

export type ShellKind = 'bash' | 'zsh' | 'posix';

/** Which wrapper a shell takes, from its path or name (`/bin/bash`, `zsh`, `sh`). */
export function shellKind(shell: string): ShellKind {
  const base = shell.split(/[\\/]/).pop()!.replace(/\.exe$/i, '').toLowerCase();
  if (base === 'bash') return 'bash';
  if (base === 'zsh') return 'zsh';
  return 'posix';
}

/** Single-quotes a string for any POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface StepScriptOptions {
  shell: ShellKind;
  /** A directory to run this step in; the shell returns to where it was afterwards. */
  cwd?: string;
}

const FN = '__preflight_step';

/**
 * Script text that runs `code` and ends with the step's status. For bash and zsh the script is
 * meant to be sourced by an interactive shell; for other shells it runs as its own process with
 * `set -e` (they have no ERR trap).
 */
export function stepScript(code: string, o: StepScriptOptions): string {
  const body = code.endsWith('\n') ? code : `${code}\n`;
  if (o.shell === 'posix') {
    const cd = o.cwd ? `cd -- ${shellQuote(o.cwd)}\n` : '';
    return `set -e\n${cd}${body}`;
  }
  // pipefail for the step only: a failing `cmd | tee log` fails the step.
  const localOptions = o.shell === 'bash' ? 'local - ; set -o pipefail' : 'setopt localoptions pipefail';
  const subshell = o.shell === 'bash' ? 'BASH_SUBSHELL' : 'ZSH_SUBSHELL';
  const enter = o.cwd ? `  cd -- ${shellQuote(o.cwd)} || return $?\n` : '';
  const leave = o.cwd ? `cd -- "$__preflight_prev" 2>/dev/null; ` : '';
  return [
    `__preflight_saved_err_trap="$(trap -p ERR 2>/dev/null)"`,
    // `exit N` in a step ends the step with N instead of closing the operator's shell; in a
    // subshell of the step it is the real exit.
    `__preflight_level=$${subshell}`,
    `exit() { if [ "$${subshell}" != "$__preflight_level" ]; then builtin exit "$@"; fi; __preflight_exit="\${1:-$?}"; return 1; }`,
    `unset __preflight_exit; __preflight_prev="$PWD"`,
    `${FN}() {`,
    `  ${localOptions}`,
    `  trap 'return $?' ERR`,
    enter + body.replace(/\n$/, ''),
    `}`,
    // The trap is removed before anything else runs so a failure below cannot trigger it.
    `${FN}; __preflight_rc=$?; trap - ERR; ${leave}unset -f ${FN} exit`,
    `if [ -n "\${__preflight_exit+set}" ]; then __preflight_rc=$__preflight_exit; fi`,
    `eval "$__preflight_saved_err_trap"; unset __preflight_saved_err_trap __preflight_exit __preflight_level __preflight_prev`,
    `(exit $__preflight_rc)`,
    '',
  ].join('\n');
}
