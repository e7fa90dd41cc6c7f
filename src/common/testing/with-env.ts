/**
 * Runs `read` (a config factory) with exactly `env` set among `variables`, then puts
 * process.env back as it was: config specs must not see the developer's or CI's environment.
 */
export function withEnv<T>(
  variables: readonly string[],
  env: Record<string, string>,
  read: () => T,
): T {
  const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
  variables.forEach((name) => delete process.env[name]);
  Object.assign(process.env, env);
  try {
    return read();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  }
}
