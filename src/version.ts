/** The version the API reports in its OpenAPI document. Kept in step with package.json. */
export const APP_VERSION = '0.1.0';
