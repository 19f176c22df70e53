/** Who did something, as the audit log records it: the signed-in user and their address. */
export interface Actor {
  userId: string;
  ip: string | null;
  /** Set when the request used an API key: `userId` is then the key's creator. */
  apiKeyId?: string;
}
