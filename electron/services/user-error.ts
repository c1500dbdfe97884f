// An error whose message is meant for the user: one plain sentence saying what
// went wrong and, where possible, what to do. Anything else thrown by a service
// is treated as internal and its details stay in the log.
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}
