import * as v from 'valibot';
import { invalidToken } from '../../domain/domain-error.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { userIdField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import type { UserView } from '../views/user.view.js';

const schema = v.object({ userId: userIdField }, 'must be an object');

export class GetProfile {
  constructor(private readonly users: UserRepository) {}

  async execute(input: { userId: string }): Promise<UserView> {
    const { userId } = validate(schema, input);
    // Shown, never changed: a view built straight from storage, no entity loaded (rule 10).
    const view = await this.users.findViewById(userId);
    // The account vanished after the caller authenticated: their credentials name no one now.
    if (!view) throw invalidToken();
    return view;
  }
}
