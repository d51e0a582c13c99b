import { EntitySchema } from '@mikro-orm/core';
import { User } from '../../../../domain/user.entity.js';

/**
 * Column names and sizes are the seed's. Case-insensitive uniqueness is the column collation's job
 * (utf8mb4_unicode_ci on MySQL, NOCASE on SQLite), written into each driver's migration because
 * MikroORM 6 cannot declare a collation per property.
 */
export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: 'string', primary: true, length: 255 },
    username: { type: 'string', length: 80 },
    email: { type: 'string', length: 120 },
    passwordHash: { type: 'string', length: 255, fieldName: 'password_hash' },
    createdAt: { type: Date, length: 3, fieldName: 'created_at' },
    updatedAt: { type: Date, length: 3, fieldName: 'updated_at' },
    isActive: { type: 'boolean', default: true, fieldName: 'is_active' },
    isVerified: { type: 'boolean', default: false, fieldName: 'is_verified' },
  },
  uniques: [
    // The driver-error translator tells the two conflicts apart by these names.
    { name: 'users_username_unique', properties: ['username'] },
    { name: 'users_email_unique', properties: ['email'] },
  ],
});
