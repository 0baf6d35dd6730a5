import type { StageContext, StageHandler, StageItem } from '../handler/types.ts';
import { FailItem } from '../handler/signals.ts';
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
 * answer must be valid JSON matching it; a truncated or unparsable answer is an error. An item
 * with no document (no upstream `text`, or an empty one) fails as item-specific: sending an
 * empty document would pay for an answer about nothing.
 */
export const llmHandler: StageHandler = {
  version: 1,
  params: llmParams,
  fingerprint: (params) => fingerprintOf(parseParams('llm', llmParams, params)),
  async run(item, ctx) {
    const p = parseParams('llm', llmParams, ctx.stage.params);
    if (p.mode === 'check') return runCheck(item, ctx, p);
    // llmParams refuses a generate stage without a prompt when jobs.yaml loads.
    const scope = templateScope(item, ctx);
    const prompt = renderTemplate(p.prompt ?? '', scope);
    const doc = p.document
      ? renderTemplate(p.document, scope)
      : { text: defaultDocument(ctx), missing: [] };
    if (doc.text.trim() === '')
      throw new FailItem(
        p.document
          ? `llm: the document is empty for this item (\`document: ${p.document.slice(0, 80)}\` rendered nothing${doc.missing.length ? `; missing: ${doc.missing.join(', ')}` : ''}); check the fields it names`
          : 'llm: the document is empty for this item (the upstream `text` is blank); check what extract produced',
      );
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

/** The first upstream `text` (extract's output). */
function defaultDocument(ctx: StageContext): string {
  for (const out of Object.values(ctx.upstream)) if (typeof out.text === 'string') return out.text;
  const stages = Object.keys(ctx.upstream);
  throw new FailItem(
    `llm: no document for this item: ${stages.length ? `no upstream stage (${stages.join(', ')}) returned \`text\`` : 'the stage has no upstream stage'}; give it a builtin/extract stage in stage_deps, or a \`document:\` template`,
  );
}
