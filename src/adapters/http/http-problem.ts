/**
 * A failure of the HTTP exchange itself (unparsable body, wrong media type, unknown route), as
 * opposed to a `DomainError` raised by a use case. Carries its own status.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly details?: readonly string[],
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}
