/** Whether a run happens in a CI job, and the job's page, from the variables CI services set. */
export interface CiContext {
  ci: boolean;
  /** The page of the CI run or job, when the service says where it is. */
  url?: string;
}

const TRUTHY = /^(1|true|yes)$/i;

/**
 * GitHub Actions (GITHUB_ACTIONS, with the run's page from GITHUB_SERVER_URL, GITHUB_REPOSITORY and
 * GITHUB_RUN_ID), GitLab CI (GITLAB_CI, the job's page in CI_JOB_URL), and any other service that
 * sets the conventional CI=true (with BUILD_URL when it gives one, as Jenkins does).
 */
export function ciContext(env: Readonly<Record<string, string | undefined>>): CiContext {
  if (env.GITHUB_ACTIONS === 'true') {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: attempt } = env;
    const url = server && repo && run ? `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${run}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}` : undefined;
    return { ci: true, url };
  }
  if (env.GITLAB_CI === 'true') return { ci: true, url: env.CI_JOB_URL || undefined };
  if (env.CI !== undefined && TRUTHY.test(env.CI)) return { ci: true, url: env.BUILD_URL || undefined };
  return { ci: false };
}

/** Who runs a step in CI: the account that started the job, when the service says. */
export function ciActor(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.GITHUB_ACTIONS === 'true') return env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || undefined;
  if (env.GITLAB_CI === 'true') return env.GITLAB_USER_LOGIN || undefined;
  return undefined;
}
