import { EntitySchema } from '@mikro-orm/core';
import { Login } from '../../../../domain/login.entity.js';

export const LoginSchema = new EntitySchema<Login>({
  class: Login,
  tableName: 'logins',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    // `mapToPk` keeps the domain's plain id while the metadata still knows the foreign key.
    userId: {
      kind: 'm:1',
      entity: 'User',
      mapToPk: true,
      fieldName: 'user_id',
      deleteRule: 'cascade',
      updateRule: 'cascade',
      // Indexed once, by the named index below.
      index: false,
    },
    refreshTokenHash: { type: 'string', length: 255, fieldName: 'refresh_token_hash' },
    previousRefreshTokenHash: { type: 'string', length: 255, nullable: true, fieldName: 'previous_refresh_token_hash' },
    // Two JWTs, sealed and base64url-encoded: about 1 KB, more with long claims; TEXT has room.
    sealedPair: { type: 'text', nullable: true, fieldName: 'sealed_pair' },
    sealedPairExpiresAt: { type: Date, length: 3, nullable: true, fieldName: 'sealed_pair_expires_at' },
    createdAt: { type: Date, length: 3, fieldName: 'created_at' },
    lastUsedAt: { type: Date, length: 3, fieldName: 'last_used_at' },
    expiresAt: { type: Date, length: 3, fieldName: 'expires_at' },
    revokedAt: { type: Date, length: 3, nullable: true, fieldName: 'revoked_at' },
    userAgent: { type: 'text', nullable: true, fieldName: 'user_agent' },
    address: { type: 'string', length: 255, nullable: true },
  },
  // revokeAllOfUser: WHERE user_id = ? AND revoked_at IS NULL
  indexes: [{ name: 'logins_user_id_index', properties: ['userId'] }],
});
