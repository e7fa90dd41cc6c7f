declare module 'http' {
  interface IncomingMessage {
    /** The model a request asked for after defaults; logged with the request. */
    gatewayModel?: string;
    /** The request id (x-request-id), set by the request logger first thing. */
    id: string;
  }
}

export {};
