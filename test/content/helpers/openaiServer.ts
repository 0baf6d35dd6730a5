import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  /** Message content: a string as is, anything else JSON-encoded. */
  content?: unknown;
  finishReason?: 'stop' | 'length';
  usage?: { prompt_tokens: number; completion_tokens: number };
  status?: number;
  headers?: Record<string, string>;
  /** Hold the response this long (client timeouts). */
  delayMs?: number;
  model?: string;
  /** The `error` object of a non-200 answer (default: a generic scripted error). */
  error?: { message: string; type?: string; code?: string | null };
}

export interface ChatRequest {
  model: string;
  temperature?: number;
  max_tokens?: number;
  messages: { role: string; content: string }[];
  response_format?: unknown;
}

export interface FakeOpenAi {
  baseUrl: string;
  requests: ChatRequest[];
  /** Decides each answer; defaults to `{ content: {} }`. */
  answer: (req: ChatRequest, n: number) => ScriptedAnswer;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1: scripted answers with usage,
 * malformed JSON, truncated answers (finish_reason=length), 429s with Retry-After and slow
 * answers for timeouts.
 */
export async function startFakeOpenAi(
  answer: FakeOpenAi['answer'] = () => ({ content: {} }),
): Promise<FakeOpenAi> {
  const requests: ChatRequest[] = [];
  const fake: FakeOpenAi = { baseUrl: '', requests, answer, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
      requests.push(body);
      const a = fake.answer(body, requests.length);
      const send = () => {
        if (res.destroyed) return;
        if (a.status && a.status !== 200) {
          res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) }).end(
            JSON.stringify({
              error: a.error ?? { message: `scripted ${a.status}`, type: 'scripted' },
            }),
          );
          return;
        }
        const content = typeof a.content === 'string' ? a.content : JSON.stringify(a.content ?? {});
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: a.model ?? body.model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content },
                finish_reason: a.finishReason ?? 'stop',
              },
            ],
            usage: {
              ...(a.usage ?? { prompt_tokens: 1000, completion_tokens: 100 }),
              total_tokens: (a.usage?.prompt_tokens ?? 1000) + (a.usage?.completion_tokens ?? 100),
            },
          }),
        );
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
