import type { StageContext, StageHandler, StageItem } from '../handler/types.ts';
import { renderTemplate } from '../llm/renderTemplate.ts';
import { fingerprintOf, parseParams } from './builtinParams.ts';
import { runCheck } from './llmCheck.ts';
import { llmParams } from './llmParams.ts';

const DEFAULT_SYSTEM =
  'You read the document below and answer the instruction that follows it. Use only what the document says.';

/**
 * `builtin/llm`: a prompt template over the item and its upstream outputs, sent to a
 * configured OpenAI-compatible provider. The document goes in the system message (a stable
 * prefix providers can cache), the instruction in the user message. With a `schema`, the
 * answer must be valid JSON matching it; a truncated or unparsable answer is an error.
 */
export const llmHandler: StageHandler = {
  version: 1,
  fingerprint: (params) => fingerprintOf(parseParams('llm', llmParams, params)),
  async run(item, ctx) {
    const p = parseParams('llm', llmParams, ctx.stage.params);
    if (p.mode === 'check') return runCheck(item, ctx, p);
    if (!p.prompt) throw new Error('builtin/llm: `prompt` is required in generate mode');
    const scope = templateScope(item, ctx);
    const prompt = renderTemplate(p.prompt, scope);
    const doc = p.document
      ? renderTemplate(p.document, scope)
      : { text: defaultDocument(ctx), missing: [] };
    const missing = [...prompt.missing, ...doc.missing];
    if (missing.length > 0) ctx.log.warn({ missing }, 'prompt template fields are empty');
    const system = `${p.system ?? DEFAULT_SYSTEM}\n\n<document>\n${doc.text}\n</document>`;
    const user = p.schema
      ? `${prompt.text}\n\nAnswer with one JSON object matching this JSON schema:\n${JSON.stringify(p.schema)}`
      : prompt.text;
    const res = await ctx.llm.complete({
      system,
      user,
      temperature: p.temperature,
      jsonMode: p.json_mode,
      ...(p.provider ? { provider: p.provider } : {}),
      ...(p.model ? { model: p.model } : {}),
      ...(p.schema ? { schema: p.schema } : {}),
    });
    return res.json ?? { text: res.text };
  },
};

export function templateScope(item: StageItem, ctx: StageContext): Record<string, unknown> {
  return {
    ...ctx.upstream,
    item: { key: item.key, id: item.id, data: item.data },
    data: item.data,
    upstream: ctx.upstream,
  };
}

/** The first upstream `text` (extract's output), else the item's own `text`. */
function defaultDocument(ctx: StageContext): string {
  for (const out of Object.values(ctx.upstream)) if (typeof out.text === 'string') return out.text;
  throw new Error(
    'builtin/llm has no document: give it an upstream stage with a `text` output (builtin/extract) or a `document:` template',
  );
}
