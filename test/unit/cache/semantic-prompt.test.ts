import { describe, expect, it } from 'vitest';
import { semanticPrompt } from '../../../shared/src/cache/semantic-prompt.ts';
import type { JsonValue } from '../../../shared/src/core/json.ts';

const user = (content: JsonValue) => ({ role: 'user', content });

describe('semanticPrompt', () => {
  it('embeds a single user message as it is and keeps system messages for exact comparison', () => {
    const body = { model: 'm', messages: [{ role: 'system', content: 'Be brief.' }, user('What is LSH?')] };
    expect(semanticPrompt('chat.completions', body, 4)).toEqual({ text: 'What is LSH?', instructions: ['system: Be brief.'], promptFields: ['messages'] });
  });

  it('joins the turns of a short conversation with their roles and text parts', () => {
    const body = { model: 'm', messages: [user([{ type: 'text', text: 'Hi' }, { type: 'text', text: 'there' }]), { role: 'assistant', content: 'Hello!' }, user('Bye')] };
    expect(semanticPrompt('chat.completions', body, 4)?.text).toBe('user: Hi\nthere\nassistant: Hello!\nuser: Bye');
  });

  it('takes a completion prompt', () => {
    expect(semanticPrompt('completions', { model: 'm', prompt: 'Once upon a time' }, 4)?.text).toBe('Once upon a time');
    expect(semanticPrompt('completions', { model: 'm', prompt: ['a', 'b'] }, 4)).toBeUndefined();
  });

  it('falls back to simple mode for tools, tool turns, images, long conversations, embeddings and empty prompts', () => {
    const messages = [user('What is the weather?')];
    expect(semanticPrompt('chat.completions', { messages, tools: [{ type: 'function', function: { name: 'w' } }] }, 4)).toBeUndefined();
    expect(semanticPrompt('chat.completions', { messages: [...messages, { role: 'tool', content: 'sunny', tool_call_id: 'c1' }] }, 4)).toBeUndefined();
    expect(semanticPrompt('chat.completions', { messages: [user([{ type: 'image_url', image_url: { url: 'data:,' } }])] }, 4)).toBeUndefined();
    expect(semanticPrompt('chat.completions', { messages: [user('1'), user('2'), user('3')] }, 2)).toBeUndefined();
    expect(semanticPrompt('embeddings', { input: 'x' }, 4)).toBeUndefined();
    expect(semanticPrompt('chat.completions', { messages: [{ role: 'system', content: 'only instructions' }] }, 4)).toBeUndefined();
    expect(semanticPrompt('chat.completions', { messages: [user('   ')] }, 4)).toBeUndefined();
  });
});
