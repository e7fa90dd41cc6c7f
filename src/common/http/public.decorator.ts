import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_ROUTE = 'gateway:isPublicRoute';

/** Health probes, docs and metrics answer without a proxy key. */
export const Public = () => SetMetadata(IS_PUBLIC_ROUTE, true);
