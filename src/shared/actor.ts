/** Who did something, as the audit log records it: the signed-in user and their address. */
export interface Actor {
  userId: string;
  ip: string | null;
}
