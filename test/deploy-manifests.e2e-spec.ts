import 'reflect-metadata';

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import { appConfig } from '../src/config/app.config';
import { memoryConfig } from '../src/memory/memory.config';
import { startGateway } from './support/gateway';
import {
  BASE,
  Doc,
  envNamesTheAppReads,
  find,
  generatedConfig,
  K8S,
  kustomization,
  PRODUCTION,
  readDoc,
  readDocs,
  resourcesOf,
  ROOT,
  SINGLE,
  yamlFiles,
} from './support/k8s-manifests';
import { POSTGRES_URL } from './support/memory';

/**
 * kubectl and kustomize are not available here, so the manifests are checked against the app
 * itself: probes hit real routes, ports and env names match what the app reads, and the overlay's
 * patches and generators point at resources the base defines.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';

const baseDocs = resourcesOf(BASE);
const productionDocs = resourcesOf(PRODUCTION);
const singleDocs = resourcesOf(SINGLE);
const deployment = find(baseDocs, 'Deployment', 'llm-gateway')!;
const podSpec = deployment.spec.template.spec;
const container = podSpec.containers.find((c: Doc) => c.name === 'gateway');
const secretExample = readDoc(join(BASE, 'secret.example.yaml'));
const configMapName: string = container.envFrom.find((e: Doc) => e.configMapRef).configMapRef.name;

/** appConfig as the app reads it with only `env` set among its own variables. */
function appConfigWith(env: Record<string, string> = {}) {
  const saved = { ...process.env };
  for (const name of ['PORT', 'SHUTDOWN_GRACE_MS', 'LOG_LEVEL', 'TRUST_PROXY', 'CORS_ORIGINS']) {
    delete process.env[name];
  }
  Object.assign(process.env, env);
  try {
    return appConfig();
  } finally {
    process.env = saved;
  }
}

/** memoryConfig as the app reads it with only `env` set among the shared-state variables. */
function memoryConfigWith(env: Record<string, string>) {
  const saved = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'MULTI_REPLICA', 'MEMORY_ENABLED']) {
    delete process.env[name];
  }
  Object.assign(process.env, env);
  try {
    return memoryConfig();
  } finally {
    process.env = saved;
  }
}

const KNOWN_ENV_NAMES = envNamesTheAppReads();

function unknownEnvNames(names: string[]): string[] {
  return names.filter((name) => !KNOWN_ENV_NAMES.has(name));
}

describe('deploy/k8s manifests', () => {
  it('should all parse as YAML with apiVersion and kind', () => {
    const files = yamlFiles(K8S);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      for (const doc of readDocs(file)) {
        expect({ file: relative(ROOT, file), apiVersion: typeof doc.apiVersion }).toEqual({
          file: relative(ROOT, file),
          apiVersion: 'string',
        });
        expect(typeof doc.kind).toBe('string');
      }
    }
  });

  it.each([
    ['base', BASE],
    ['overlays/production', PRODUCTION],
    ['overlays/single', SINGLE],
  ])('should list only files that exist in the %s kustomization', (_name, dir) => {
    const k = kustomization(dir);
    const listed = [
      ...((k.resources ?? []) as string[]),
      ...((k.patches ?? []) as Doc[]).filter((p) => p.path).map((p) => p.path as string),
    ];
    expect(listed.length).toBeGreaterThan(0);
    for (const entry of listed) {
      const path = resolve(dir, entry);
      const exists =
        existsSync(path) &&
        (!statSync(path).isDirectory() || existsSync(join(path, 'kustomization.yaml')));
      expect({ entry, exists }).toEqual({ entry, exists: true });
    }
  });

  it('should keep the Secret example out of the kustomization, but match the name pods use', () => {
    expect(kustomization(BASE).resources).not.toContain('secret.example.yaml');
    expect(secretExample.kind).toBe('Secret');
    const secretRef = container.envFrom.find((e: Doc) => e.secretRef).secretRef;
    expect(secretRef.name).toBe(secretExample.metadata.name);
    expect(secretRef.optional).not.toBe(true);
    expect(kustomization(BASE).configMapGenerator.map((g: Doc) => g.name)).toContain(configMapName);
  });

  it('should only name env variables the app reads', () => {
    // The collector itself works: names from several modules are found, invented ones are not.
    expect(KNOWN_ENV_NAMES.size).toBeGreaterThan(30);
    expect(
      unknownEnvNames(['PORT', 'TRUST_PROXY', 'CORS_ORIGINS', 'DATABASE_URL', 'THROTTLE_LIMIT']),
    ).toEqual([]);
    expect(unknownEnvNames(['PORT', 'NOT_A_SETTING'])).toEqual(['NOT_A_SETTING']);

    const named = new Map<string, string>();
    const note = (names: string[], where: string) =>
      names.forEach((name) => named.set(name, where));
    note(Object.keys(generatedConfig([BASE, PRODUCTION], configMapName)), 'ConfigMap');
    note(Object.keys(secretExample.stringData ?? {}), 'secret.example.yaml');
    note(Object.keys(secretExample.data ?? {}), 'secret.example.yaml');
    note(
      ((container.env ?? []) as Doc[]).map((e) => e.name as string),
      'Deployment env',
    );
    expect(named.size).toBeGreaterThan(5);
    const unknown = unknownEnvNames([...named.keys()]).map(
      (name) => `${name} (${named.get(name)})`,
    );
    expect(unknown).toEqual([]);
  });

  it('should keep secrets out of the ConfigMap', () => {
    const config = generatedConfig([BASE, PRODUCTION], configMapName);
    for (const name of Object.keys(config)) {
      expect(name).not.toMatch(/KEY|TOKEN|SECRET|PASSWORD|_URL$/);
    }
    for (const name of ['OPENAI_API_KEY', 'GATEWAY_API_KEYS', 'DATABASE_URL', 'REDIS_URL']) {
      expect(Object.keys(secretExample.stringData)).toContain(name);
    }
  });

  it("should listen on the app's default port, named http, which the Service targets", () => {
    const port = appConfigWith().port;
    const http = container.ports.find((p: Doc) => p.name === 'http');
    expect(http.containerPort).toBe(port);
    const config = generatedConfig([BASE, PRODUCTION], configMapName);
    if (config.PORT !== undefined) {
      expect(Number(config.PORT)).toBe(http.containerPort);
    }
    const service = find(baseDocs, 'Service', 'llm-gateway')!;
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 'http' })]);
  });

  it('should select the pods from the Service, the PDB and the HPA', () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(labels).toEqual(expect.objectContaining(deployment.spec.selector.matchLabels));
    const service = find(baseDocs, 'Service', 'llm-gateway')!;
    expect(labels).toEqual(expect.objectContaining(service.spec.selector));
    const pdb = find(baseDocs, 'PodDisruptionBudget', 'llm-gateway')!;
    expect(labels).toEqual(expect.objectContaining(pdb.spec.selector.matchLabels));
    const hpa = find(productionDocs, 'HorizontalPodAutoscaler', 'llm-gateway')!;
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    // The HPA owns the replica count; a fixed one would be reset on every apply.
    expect(deployment.spec.replicas).toBeUndefined();
  });

  it('should give the gateway time to drain before the kubelet kills it', () => {
    const config = generatedConfig([BASE, PRODUCTION], configMapName);
    const graceMs = Number(config.SHUTDOWN_GRACE_MS ?? appConfigWith().shutdownGraceMs);
    expect(graceMs).toBe(appConfigWith().shutdownGraceMs);
    const preStop: string[] = container.lifecycle.preStop.exec.command;
    expect(preStop[0]).toBe('sleep');
    const preStopMs = Number(preStop[1]) * 1000;
    expect(podSpec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(graceMs + preStopMs);
  });

  it('should run as non-root on a read-only root filesystem, writing only /data and /tmp', () => {
    expect(podSpec.securityContext.runAsNonRoot).toBe(true);
    expect(podSpec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(podSpec.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toEqual(
      expect.objectContaining({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      }),
    );
    const mounts = new Map<string, string>(
      container.volumeMounts.map((m: Doc) => [m.mountPath, m.name]),
    );
    expect([...mounts.keys()].sort()).toEqual(['/data', '/tmp']);
    const volumes = podSpec.volumes.map((v: Doc) => v.name);
    expect(volumes).toEqual(expect.arrayContaining([...mounts.values()]));
    const dataDir = container.env.find((e: Doc) => e.name === 'DATA_DIR');
    expect(dataDir.value).toBe('/data');
    expect(container.resources.requests).toEqual(
      expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
    );
    expect(container.resources.limits.memory).toEqual(expect.any(String));
  });

  it('should build an image that runs as the uid the pods expect, on the same port', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^USER ${podSpec.securityContext.runAsUser}\\b`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${container.ports[0].containerPort}$`, 'm'));
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    const image = (container.image as string).split(':')[0];
    expect(kustomization(PRODUCTION).images.map((i: Doc) => i.name)).toContain(image);
  });

  describe('overlays/production', () => {
    const overlay = kustomization(PRODUCTION);

    it.each([
      ['overlays/production', PRODUCTION],
      ['overlays/single', SINGLE],
    ])('should patch only resources and containers of the base in %s', (_name, dir) => {
      const overlay = kustomization(dir);
      const patches = (overlay.patches ?? []) as Doc[];
      expect(patches.length).toBeGreaterThan(0);
      for (const patch of patches) {
        const docs = patch.path ? readDocs(resolve(dir, patch.path)) : [];
        const targets = patch.target
          ? [patch.target as Doc]
          : docs.map((d) => ({ ...d, ...d.metadata }));
        for (const target of targets) {
          const resource = find(baseDocs, target.kind, target.name);
          expect({
            patch: patch.path,
            kind: target.kind,
            name: target.name,
            found: !!resource,
          }).toEqual({
            patch: patch.path,
            kind: target.kind,
            name: target.name,
            found: true,
          });
        }
        for (const doc of docs) {
          const names = (doc.spec?.template?.spec?.containers ?? []).map((c: Doc) => c.name);
          for (const name of names) {
            expect(podSpec.containers.map((c: Doc) => c.name)).toContain(name);
          }
        }
      }
    });

    it('should merge into the base ConfigMap rather than make a second one', () => {
      for (const generator of (overlay.configMapGenerator ?? []) as Doc[]) {
        expect(generator.behavior).toBe('merge');
        expect(kustomization(BASE).configMapGenerator.map((g: Doc) => g.name)).toContain(
          generator.name,
        );
      }
    });

    it('should set HPA bounds that leave replicas through a drain', () => {
      const hpa = find(productionDocs, 'HorizontalPodAutoscaler', 'llm-gateway')!;
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
      expect(overlay.images[0].newTag).toEqual(expect.any(String));
    });

    it('should require the shared stores: non-optional Secret keys and MULTI_REPLICA=true', () => {
      expect(generatedConfig([BASE, PRODUCTION], configMapName).MULTI_REPLICA).toBe('true');
      const patch = readDocs(join(PRODUCTION, 'deployment-shared-state.yaml'))[0];
      const env = patch.spec.template.spec.containers[0].env as Doc[];
      for (const name of ['DATABASE_URL', 'REDIS_URL']) {
        expect(env.find((e) => e.name === name)?.valueFrom.secretKeyRef).toEqual({
          name: secretExample.metadata.name,
          key: name,
          optional: false,
        });
      }
      expect(overlay.patches.map((p: Doc) => p.path)).toContain('deployment-shared-state.yaml');
    });

    it('should make the gateway refuse to start with its ConfigMap but without them', () => {
      const config = generatedConfig([BASE, PRODUCTION], configMapName);
      expect(() => memoryConfigWith(config)).toThrow(
        /MULTI_REPLICA=true needs DATABASE_URL \(shared memories\) and REDIS_URL/,
      );
      expect(
        memoryConfigWith({ ...config, DATABASE_URL: POSTGRES_URL, REDIS_URL }).databaseUrl,
      ).toBe(POSTGRES_URL);
    });
  });

  describe('memory split across pods', () => {
    it('should run the base as one pod: no HPA, no replica count above one', () => {
      expect(find(baseDocs, 'HorizontalPodAutoscaler', 'llm-gateway')).toBeUndefined();
      expect(deployment.spec.replicas ?? 1).toBe(1);
      expect(generatedConfig([BASE], configMapName).MULTI_REPLICA).toBeUndefined();
    });

    it('should run overlays/single as one pod, replaced not surged, with /data on a claim', () => {
      expect(find(singleDocs, 'HorizontalPodAutoscaler', 'llm-gateway')).toBeUndefined();
      const patch = readDocs(join(SINGLE, 'deployment-single.yaml'))[0];
      expect(patch.spec.replicas).toBe(1);
      expect(patch.spec.strategy).toEqual({ type: 'Recreate', rollingUpdate: null });
      const data = (patch.spec.template.spec.volumes as Doc[]).find((v) => v.name === 'data')!;
      expect(data.emptyDir).toBeNull();
      const claim = find(singleDocs, 'PersistentVolumeClaim', data.persistentVolumeClaim.claimName);
      expect(claim?.spec.accessModes).toEqual(['ReadWriteOnce']);
      const mount = container.volumeMounts.find((m: Doc) => m.name === 'data');
      const dataDir = container.env.find((e: Doc) => e.name === 'DATA_DIR');
      expect(mount.mountPath).toBe(dataDir.value);
    });

    it.each([
      ['base', baseDocs, [BASE]],
      ['overlays/single', singleDocs, [BASE, SINGLE]],
      ['overlays/production', productionDocs, [BASE, PRODUCTION]],
    ])('should let %s run several pods only with MULTI_REPLICA=true', (_name, docs, dirs) => {
      const hpa = find(docs, 'HorizontalPodAutoscaler', 'llm-gateway');
      const several = (hpa?.spec.maxReplicas ?? 1) > 1;
      const multi = generatedConfig(dirs, configMapName).MULTI_REPLICA === 'true';
      expect({ several, multi }).toEqual({ several, multi: several });
    });
  });

  describe.each([
    ['base', [BASE]],
    ['overlays/single', [BASE, SINGLE]],
    ['overlays/production', [BASE, PRODUCTION]],
  ])('the app booted with the %s ConfigMap', (_name, dirs) => {
    it('should accept every value and answer the probe paths with 200', async () => {
      const config = generatedConfig(dirs, configMapName);
      // Booting validates every value but LOG_LEVEL, silenced here and checked on its own.
      expect(appConfigWith(config).logLevel).toBe(config.LOG_LEVEL ?? 'info');
      // The memory store is irrelevant to the probes.
      const gateway = await startGateway({
        ...config,
        // The Secret's shared stores, which the multi-replica overlay requires.
        ...(config.MULTI_REPLICA === 'true' ? { REDIS_URL } : {}),
        MEMORY_ENABLED: 'false',
        LOG_LEVEL: 'silent',
      });
      try {
        const probes = ['startupProbe', 'livenessProbe', 'readinessProbe'].map(
          (probe) => container[probe].httpGet as Doc,
        );
        expect(probes.map((p) => p.path)).toEqual([
          '/health/live',
          '/health/live',
          '/health/ready',
        ]);
        for (const probe of probes) {
          expect(probe.port).toBe('http');
          const response = await fetch(`${gateway.url}${probe.path}`);
          expect({ path: probe.path, status: response.status }).toEqual({
            path: probe.path,
            status: 200,
          });
        }
      } finally {
        await gateway.close();
      }
    });
  });
});
