declare module 'http' {
  interface IncomingMessage {
    /** The model a request asked for after defaults; logged with the request. */
    gatewayModel?: string;
    /**
     * The request id (x-request-id), a string set by the request logger first thing; typed as
     * pino-http typed it, so that code written against it is unchanged.
     */
    id: string | number | object;
  }
}

export {};
