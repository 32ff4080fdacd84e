/** Questions to the operator at a terminal: on stderr, so stdout stays the run's output. */
import { createInterface } from 'node:readline';

export interface Terminal {
  /**
   * One line typed by the operator; a secret is not echoed. Undefined at the end of the input
   * (Ctrl+D) or when the operator presses Ctrl+C, which also calls `onInterrupt`.
   */
  ask(question: string, o?: { secret?: boolean }): Promise<string | undefined>;
  /** Called when the operator presses Ctrl+C at a question. */
  onInterrupt?: () => void;
}

/** The process's terminal, when stdin is one. */
export function processTerminal(): Terminal | undefined {
  if (!process.stdin.isTTY) return undefined;
  const term: Terminal = {
    ask(question, o = {}) {
      return new Promise((resolve) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
        let muted = false;
        if (o.secret) {
          // Echo nothing the operator types; the question itself is written before muting.
          const internal = rl as unknown as { _writeToOutput(s: string): void };
          const write = internal._writeToOutput.bind(rl);
          internal._writeToOutput = (s: string) => {
            if (!muted || s === '\r\n' || s === '\n') write(s);
          };
        }
        let answered = false;
        const done = (value: string | undefined) => {
          if (answered) return;
          answered = true;
          rl.close();
          process.stdin.pause();
          resolve(value);
        };
        rl.on('SIGINT', () => {
          process.stderr.write('\n');
          done(undefined);
          term.onInterrupt?.();
        });
        rl.on('close', () => done(undefined));
        rl.question(question, (answer) => done(answer));
        muted = true;
      });
    },
  };
  return term;
}
