/** The passwords attackers try first: a kept list, compared without regard to case. */
export interface CommonPasswordList {
  includes(password: string): boolean;
}

export const CommonPasswordList = Symbol.for('chat-backend.CommonPasswordList');
