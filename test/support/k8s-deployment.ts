import { join } from 'node:path';

import { appConfig } from '../../src/config/app.config';
import { memoryConfig } from '../../src/memory/memory.config';
import { BASE, Doc, find, PRODUCTION, readDoc, resourcesOf, SINGLE } from './k8s-manifests';

/** The base Deployment and the resources every manifest suite checks against. */
export const baseDocs = resourcesOf(BASE);
export const productionDocs = resourcesOf(PRODUCTION);
export const singleDocs = resourcesOf(SINGLE);
export const deployment = find(baseDocs, 'Deployment', 'llm-gateway')!;
export const podSpec = deployment.spec.template.spec;
export const container = podSpec.containers.find((c: Doc) => c.name === 'gateway');
export const secretExample = readDoc(join(BASE, 'secret.example.yaml'));
export const configMapName: string = container.envFrom.find((e: Doc) => e.configMapRef).configMapRef
  .name;

/** appConfig as the app reads it with only `env` set among its own variables. */
export function appConfigWith(env: Record<string, string> = {}) {
  return readWith(
    ['PORT', 'SHUTDOWN_GRACE_MS', 'LOG_LEVEL', 'TRUST_PROXY', 'CORS_ORIGINS'],
    env,
    appConfig,
  );
}

/** memoryConfig as the app reads it with only `env` set among the shared-state variables. */
export function memoryConfigWith(env: Record<string, string>) {
  return readWith(
    ['DATABASE_URL', 'REDIS_URL', 'MULTI_REPLICA', 'MEMORY_ENABLED'],
    env,
    memoryConfig,
  );
}

function readWith<T>(cleared: string[], env: Record<string, string>, read: () => T): T {
  const saved = { ...process.env };
  for (const name of cleared) {
    delete process.env[name];
  }
  Object.assign(process.env, env);
  try {
    return read();
  } finally {
    process.env = saved;
  }
}
