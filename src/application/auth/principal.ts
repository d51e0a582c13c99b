/** The caller a verified access token stands for. */
export interface Principal {
  readonly userId: string;
  readonly loginId: string;
}
