declare module 'http' {
  interface IncomingMessage {
    /** The model a request asked for after defaults; logged with the request. */
    gatewayModel?: string;
  }
}

export {};
