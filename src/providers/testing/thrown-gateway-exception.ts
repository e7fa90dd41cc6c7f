import { GatewayException } from '../../common/errors/gateway.exception';

/** The GatewayException `action` throws; anything else it throws, or no throw, fails the test. */
export function thrownGatewayException(action: () => unknown): GatewayException {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayException) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a GatewayException');
}
