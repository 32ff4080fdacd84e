/** Command ids: the same strings as contributes.commands in package.json. */
export const Commands = {
  showLog: 'preflight.showLog',
} as const;
