import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsString } from 'class-validator';

import { envFlag, envString, FLAG_VALUES, validateEnv } from '../config/validate-env';

class AuthEnv {
  @IsOptional() @IsString() GATEWAY_API_KEYS?: string;
  @IsOptional() @IsString() GATEWAY_KEYS_FILE?: string;
  @IsOptional() @IsIn(FLAG_VALUES) AUTH_DISABLED?: string;
}

export const authConfig = registerAs('auth', () => {
  const env = validateEnv(AuthEnv);
  return {
    apiKeys: (env.GATEWAY_API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key.length > 0),
    keysFile: envString(env.GATEWAY_KEYS_FILE),
    disabled: envFlag(env.AUTH_DISABLED),
  };
});

export type AuthConfig = ReturnType<typeof authConfig>;
