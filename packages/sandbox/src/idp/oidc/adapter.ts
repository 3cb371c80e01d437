// oidc-provider's storage adapter over the IdP store, so sessions, codes and grants live where the
// users do (memory, or Postgres that survives a restart).
import type { OidcRecordStore, OidcPayload } from '../store/types.ts';

export function adapterFor(records: OidcRecordStore) {
  return class StoreAdapter {
    constructor(readonly model: string) {}
    async upsert(id: string, payload: OidcPayload, expiresIn: number) {
      await records.upsert(this.model, id, payload, expiresIn);
    }
    async find(id: string) {
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
