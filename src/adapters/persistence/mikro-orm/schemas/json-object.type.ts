import { JsonType, type Platform, type TransformContext } from '@mikro-orm/core';

/**
 * A JSON column that always comes back parsed. MikroORM's MySQL platform counts on the driver to
 * parse JSON, which mysql2 does for MySQL's JSON type; on MariaDB JSON is LONGTEXT and arrives as
 * text. The domain stores only objects here, so a string read back is always their text.
 */
export class JsonObjectType extends JsonType {
  override convertToJSValue(value: unknown, platform: Platform, context?: TransformContext): unknown {
    if (typeof value === 'string') return JSON.parse(value) as unknown;
    return super.convertToJSValue(value, platform, context);
  }
}
