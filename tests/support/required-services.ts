import { describe, it } from 'vitest';

/** An outside service some suites need, named by the variable that points at it. */
export interface Service {
  /** For the skip notice: `mysql`, `redis`. */
  readonly label: string;
  /** Where the service is, e.g. `TEST_MYSQL_URL`. */
  readonly variable: string;
  /** Set to `1` (as CI does) to make a skip a failure, e.g. `REQUIRE_MYSQL`. */
  readonly require: string;
  readonly example: string;
}

export const MYSQL: Service = { label: 'mysql', variable: 'TEST_MYSQL_URL', require: 'REQUIRE_MYSQL', example: 'mysql://root@127.0.0.1:3306' };
export const REDIS: Service = { label: 'redis', variable: 'TEST_REDIS_URL', require: 'REQUIRE_REDIS', example: 'redis://127.0.0.1:6379' };

/** The service's address, when the environment gives one. */
export const urlOf = (service: Service): string | undefined => process.env[service.variable]?.trim() || undefined;

/**
 * `describe` for tests that need outside services: they run when every service's variable is set;
 * otherwise the run says plainly what was skipped, and when a missing service is required
 * (`REQUIRE_…=1`, as in CI) the skip is a failure, one per missing service.
 */
export const describeWithServices = (title: string, services: readonly Service[], body: () => void): void => {
  const missing = services.filter((service) => urlOf(service) === undefined);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const required = missing.filter((service) => process.env[service.require] === '1');
  if (required.length > 0) {
    describe(title, () => {
      for (const service of required) {
        it(`needs ${service.variable}, because ${service.require}=1 says it must not be skipped`, () => {
          throw new Error(`${service.require}=1 but ${service.variable} is not set (e.g. ${service.variable}=${service.example})`);
        });
      }
    });
    return;
  }
  const labels = missing.map((service) => service.label).join('+');
  const settings = missing.map((service) => `${service.variable}=${service.example}`).join(' ');
  console.warn(`[${labels}] SKIPPED "${title}": set ${settings} to run it`);
  describe.skip(`${title} (skipped: ${missing.map((service) => service.variable).join(' and ')} not set)`, body);
};
