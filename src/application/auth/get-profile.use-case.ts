import * as v from 'valibot';
import { invalidToken } from '../../domain/domain-error.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { userIdField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import { toUserView, type UserView } from '../views/user.view.js';

const schema = v.object({ userId: userIdField }, 'must be an object');

export class GetProfile {
  constructor(private readonly users: UserRepository) {}

  async execute(input: { userId: string }): Promise<UserView> {
    const { userId } = validate(schema, input);
    const user = await this.users.findById(userId);
    // The account vanished after the caller authenticated: their credentials name no one now.
    if (!user) throw invalidToken();
    return toUserView(user);
  }
}
