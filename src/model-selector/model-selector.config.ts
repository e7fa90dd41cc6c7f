import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { readFileSync } from 'node:fs';

import { envString, InvalidConfigError, validateEnv } from '../config/validate-env';
import { DEFAULT_CATALOG } from '../catalog/default-catalog';
import { parseCatalogFile } from '../catalog/model-catalog.file';
import { CatalogModel } from '../catalog/model-catalog.types';
import { SELECTION_POLICIES, SelectionPolicy } from './selection-policy';

/** Who decides `auto`: the gateway's own selector or Straico's smart_llm_selector. */
export type SelectorKind = 'gateway' | 'straico';
export const SELECTOR_KINDS: readonly SelectorKind[] = ['gateway', 'straico'];

class ModelSelectorEnv {
  @IsOptional() @IsString() MODELS_FILE?: string;
  @IsOptional() @IsIn([...SELECTOR_KINDS, '']) SELECTOR?: string;
  @IsOptional() @IsIn([...SELECTION_POLICIES, '']) SELECTOR_DEFAULT_POLICY?: string;
}

export const modelSelectorConfig = registerAs('modelSelector', () => {
  const env = validateEnv(ModelSelectorEnv);
  const modelsFile = envString(env.MODELS_FILE);
  return {
    modelsFile,
    /** The catalog file's models, else the built-in catalog; read once, at boot. */
    models: modelsFile === undefined ? DEFAULT_CATALOG : loadCatalogFile(modelsFile),
    /** Undefined: Straico's selector when Straico is configured, else the gateway's. */
    selector: envString(env.SELECTOR) as SelectorKind | undefined,
    defaultPolicy: (envString(env.SELECTOR_DEFAULT_POLICY) ?? 'balance') as SelectionPolicy,
  };
});

export type ModelSelectorConfig = ReturnType<typeof modelSelectorConfig>;

/** A bad catalog stops the boot with a message naming the variable, the file and the field. */
export function loadCatalogFile(path: string): CatalogModel[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidConfigError(
      `MODELS_FILE: ${path}: cannot be read (${(error as Error).message})`,
    );
  }
  try {
    return parseCatalogFile(text, path);
  } catch (error) {
    throw new InvalidConfigError(`MODELS_FILE: ${(error as Error).message}`);
  }
}

/**
 * SELECTOR when set, else Straico's selector if Straico is configured, else the gateway's.
 * SELECTOR=straico without STRAICO_API_KEY is a configuration error, reported at boot.
 */
export function resolveSelector(
  configured: SelectorKind | undefined,
  straicoEnabled: boolean,
): SelectorKind {
  if (configured === 'straico' && !straicoEnabled) {
    throw new InvalidConfigError('SELECTOR=straico needs Straico configured (STRAICO_API_KEY)');
  }
  return configured ?? (straicoEnabled ? 'straico' : 'gateway');
}
