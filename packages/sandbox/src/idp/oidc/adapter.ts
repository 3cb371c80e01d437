// oidc-provider's storage adapter over the IdP store, so sessions, codes and grants live where the
// users do (memory, or Postgres that survives a restart).
import type { OidcRecordStore, OidcPayload } from '../store/types.ts';

/**
 * `clients` answers oidc-provider's Client model from the realm's current client list, so clients
 * created or changed through the admin API take effect at once (oidc-provider caches a client
 * instance per distinct metadata, so a change makes a new one).
 */
export function adapterFor(records: OidcRecordStore, clients: (clientId: string) => OidcPayload | undefined) {
  return class StoreAdapter {
    constructor(readonly model: string) {}
    async upsert(id: string, payload: OidcPayload, expiresIn: number) {
      await records.upsert(this.model, id, payload, expiresIn);
    }
    async find(id: string) {
      if (this.model === 'Client') return clients(id);
      return records.find(this.model, id);
    }
    async findByUid(uid: string) {
      return records.findByUid(this.model, uid);
    }
    async findByUserCode(userCode: string) {
      return records.findByUserCode(this.model, userCode);
    }
    async consume(id: string) {
      await records.consume(this.model, id);
    }
    async destroy(id: string) {
      await records.destroy(this.model, id);
    }
    async revokeByGrantId(grantId: string) {
      await records.revokeByGrantId(grantId);
    }
  };
}
