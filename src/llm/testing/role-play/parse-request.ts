import type { RecordedRequest } from '../protocol-server/protocol-server.ts';
import type { Conversation } from './conversation.ts';
import { parseAnthropicMessagesRequest } from './parse-anthropic-messages.ts';
import { parseOpenaiChatRequest } from './parse-openai-chat.ts';
import { parseOpenaiResponsesRequest } from './parse-openai-responses.ts';

/** Reads any recorded request into the neutral conversation; throws (a zod error) on a body no client would send. */
export function parseRequest(request: Pick<RecordedRequest, 'protocol' | 'body'>): Conversation {
  switch (request.protocol) {
    case 'openai-chat':
      return parseOpenaiChatRequest(request.body);
    case 'openai-responses':
      return parseOpenaiResponsesRequest(request.body);
    case 'anthropic-messages':
      return parseAnthropicMessagesRequest(request.body);
  }
}
