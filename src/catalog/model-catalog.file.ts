import { plainToInstance, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Min,
  MinLength,
  ValidateNested,
  validateSync,
  ValidationError,
} from 'class-validator';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';

import { catalogProblems } from './model-catalog.checks';
import { CatalogModel, MODEL_TIERS, ModelTier } from './model-catalog.types';

const POSITIVE_INT = { message: 'must be a positive integer' };
const PRICE = { message: 'must be a number of USD per million tokens, 0 or more' };
const NAME = { message: 'must be a non-empty string' };
const NAMES_MESSAGE = 'must be a list of non-empty strings';
const LIST = { message: NAMES_MESSAGE };
const NAMES = { each: true, message: NAMES_MESSAGE };

class CapabilitiesEntry {
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) vision?: boolean;
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) tools?: boolean;
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) jsonSchema?: boolean;
}

class CatalogEntry {
  @IsString(NAME) @MinLength(1, NAME) id: string;
  @IsString(NAME) @MinLength(1, NAME) provider: string;
  @IsOptional() @IsString(NAME) @MinLength(1, NAME) upstreamId?: string;
  @IsOptional() @IsArray(LIST) @IsString(NAMES) @MinLength(1, NAMES) aliases?: string[];
  @IsInt(POSITIVE_INT) @Min(1, POSITIVE_INT) contextWindow: number;
  @IsInt(POSITIVE_INT) @Min(1, POSITIVE_INT) maxOutput: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }, PRICE)
  @Min(0, PRICE)
  inputPricePerMTok: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }, PRICE)
  @Min(0, PRICE)
  outputPricePerMTok: number;
  @IsOptional()
  @IsObject({ message: 'must be an object with vision, tools and jsonSchema' })
  @ValidateNested()
  @Type(() => CapabilitiesEntry)
  capabilities?: CapabilitiesEntry;
  @IsIn(MODEL_TIERS, { message: `must be one of ${MODEL_TIERS.join(', ')}` }) tier: ModelTier;
  @IsOptional() @IsArray(LIST) @IsString(NAMES) @MinLength(1, NAMES) fallbacks?: string[];
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) reasoning?: boolean;
}

class CatalogFile {
  @IsArray({ message: 'must be a list of models' })
  @ValidateNested({ each: true })
  @Type(() => CatalogEntry)
  models: CatalogEntry[];
}

/**
 * Parses a model catalog: `{models: [...]}` or the bare list, as YAML or JSON (by the file's
 * extension, else by its first character). Errors name the file, the entry and the field so an
 * operator can fix the file from the boot log; several problems are reported at once.
 */
export function parseCatalogFile(text: string, source: string): CatalogModel[] {
  const raw = parseText(text, source);
  if (raw === null || typeof raw !== 'object') {
    throw new Error(`${source}: must be an object with "models" or a list of models`);
  }
  const file = plainToInstance(CatalogFile, Array.isArray(raw) ? { models: raw } : raw);
  // Unknown fields are refused: a misspelt `contextwindow` would otherwise vanish silently.
  const errors = validateSync(file, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new Error(`${source}: ${describeErrors(errors, file).join('; ')}`);
  }
  if (file.models.length === 0) {
    throw new Error(`${source}: models: must list at least one model`);
  }
  const models = file.models.map(toCatalogModel);
  const problems = catalogProblems(models);
  if (problems.length > 0) {
    throw new Error(`${source}: ${problems.join('; ')}`);
  }
  return models;
}

function parseText(text: string, source: string): unknown {
  const extension = extname(source).toLowerCase();
  const json = extension === '.json' || (extension === '' && /^\s*[[{]/.test(text));
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const format = json ? 'JSON' : 'YAML';
    throw new Error(`${source}: not valid ${format} (${(error as Error).message.split('\n')[0]})`);
  }
}

function toCatalogModel(entry: CatalogEntry): CatalogModel {
  const model: CatalogModel = {
    id: entry.id,
    provider: entry.provider,
    upstreamId: entry.upstreamId ?? entry.id,
    aliases: entry.aliases ?? [],
    contextWindow: entry.contextWindow,
    maxOutput: entry.maxOutput,
    inputPricePerMTok: entry.inputPricePerMTok,
    outputPricePerMTok: entry.outputPricePerMTok,
    capabilities: {
      vision: entry.capabilities?.vision ?? false,
      tools: entry.capabilities?.tools ?? false,
      jsonSchema: entry.capabilities?.jsonSchema ?? false,
    },
    tier: entry.tier,
    fallbacks: entry.fallbacks ?? [],
  };
  if (entry.reasoning) {
    model.reasoning = true;
  }
  return model;
}

/** `models[2].contextWindow: must be a positive integer (model "gpt-4o")`, one per field. */
function describeErrors(errors: ValidationError[], file: CatalogFile): string[] {
  return errors
    .flatMap((error) => flatten(error, ''))
    .map(({ path, message }) => {
      const index = /^models\[(\d+)\]/.exec(path)?.[1];
      const id = index === undefined ? undefined : file.models[Number(index)]?.id;
      const model = typeof id === 'string' && id.length > 0 ? ` (model "${id}")` : '';
      return `${path}: ${message}${model}`;
    });
}

function flatten(error: ValidationError, parent: string): { path: string; message: string }[] {
  const path = /^\d+$/.test(error.property)
    ? `${parent}[${error.property}]`
    : `${parent}${parent ? '.' : ''}${error.property}`;
  // Decorators sharing one message (IsInt and Min) would otherwise repeat it.
  const messages = [...new Set(Object.values(error.constraints ?? {}))].map((message) => ({
    path,
    message: message.startsWith('property ') ? 'is not a known field' : message,
  }));
  return [...messages, ...(error.children ?? []).flatMap((child) => flatten(child, path))];
}
