import 'reflect-metadata';

import { join, resolve } from 'node:path';

import { startGateway } from './support/gateway';
import {
  appConfigWith,
  baseDocs,
  configMapName,
  container,
  deployment,
  memoryConfigWith,
  podSpec,
  productionDocs,
  secretExample,
  singleDocs,
} from './support/k8s-deployment';
import {
  BASE,
  Doc,
  find,
  generatedConfig,
  kustomization,
  PRODUCTION,
  readDocs,
  SINGLE,
} from './support/k8s-manifests';
import { POSTGRES_URL } from './support/postgres';

/**
 * The overlays checked against the base they patch and against the app booted with their
 * ConfigMap (kubectl and kustomize are not available here).
 */
const REDIS_URL = 'redis://127.0.0.1:6379';

describe('deploy/k8s overlays', () => {
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
