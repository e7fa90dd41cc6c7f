import 'reflect-metadata';

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import {
  appConfigWith,
  baseDocs,
  configMapName,
  container,
  deployment,
  podSpec,
  productionDocs,
  secretExample,
} from './support/k8s-deployment';
import {
  BASE,
  Doc,
  envNamesTheAppReads,
  find,
  generatedConfig,
  K8S,
  kustomization,
  PRODUCTION,
  readDocs,
  ROOT,
  SINGLE,
  yamlFiles,
} from './support/k8s-manifests';

/**
 * kubectl and kustomize are not available here, so the manifests are checked against the app
 * itself: probes hit real routes, ports and env names match what the app reads, and the overlay's
 * patches and generators point at resources the base defines. The overlays: deploy-overlays.
 */
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
});
