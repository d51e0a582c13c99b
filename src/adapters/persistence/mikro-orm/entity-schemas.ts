import { ChatSessionSchema } from './schemas/chat-session.schema.js';
import { LoginSchema } from './schemas/login.schema.js';
import { MessageRevisionSchema } from './schemas/message-revision.schema.js';
import { MessageSchema } from './schemas/message.schema.js';
import { UserSchema } from './schemas/user.schema.js';

export const entitySchemas = [UserSchema, LoginSchema, ChatSessionSchema, MessageSchema, MessageRevisionSchema];
