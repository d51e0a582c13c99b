import { describeCascadeContract } from './cascade.contract.js';
import { describeChatSessionRepositoryContract } from './chat-session-repository.contract.js';
import { describeLoginRepositoryContract } from './login-repository.contract.js';
import { describeMessageConversationContract } from './message-conversation.contract.js';
import { describeMessageIdleStreamsContract } from './message-idle-streams.contract.js';
import { describeMessageRepositoryContract } from './message-repository.contract.js';
import { describeMessageThreadContract } from './message-thread.contract.js';
import type { RepositoryTarget } from './repository-target.js';
import { describeTransactionRunnerContract } from './transaction-runner.contract.js';
import { describeUserRepositoryContract } from './user-repository.contract.js';

/**
 * Every persistence port's contract, run against one adapter. Each target file calls this one list,
 * so a suite added here runs against memory, SQLite and MySQL alike and none can be forgotten.
 */
export function describeRepositoryContracts(target: RepositoryTarget): void {
  describeUserRepositoryContract(target);
  describeCascadeContract(target);
  describeLoginRepositoryContract(target);
  describeChatSessionRepositoryContract(target);
  describeMessageRepositoryContract(target);
  describeMessageConversationContract(target);
  describeMessageThreadContract(target);
  describeMessageIdleStreamsContract(target);
  describeTransactionRunnerContract(target);
}
