import type { StageContext, StageItem, StageOutput } from '../handler/types.ts';
import { FailItem } from '../handler/signals.ts';
import { mimeOf, sniffBinary } from './contentKind.ts';
import { internalsOf } from './internals.ts';
import type { LlmParams } from './llmParams.ts';
import { roughVisibleText } from '../../../workers/tasks/detectBlockPage.ts';

const CHECK_SCHEMA = {
  type: 'object',
  properties: {
    fields: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          agrees: { type: 'boolean' },
          source_value: { type: ['string', 'null'] },
          note: { type: ['string', 'null'] },
        },
        required: ['field', 'agrees'],
      },
    },
  },
  required: ['fields'],
} as const;

const SYSTEM =
  'You audit a parser. Below is the source document. For each field the parser extracted, say whether the value is what the source says. Do not correct the parser: report what the source says in `source_value` (null when the source does not say).';

/**
 * The llm `check` mode: compare a parser stage's output with the raw artifact and record,
 * per field, agreement or a discrepancy (parser value vs. what the source says). It observes
 * and never overwrites the parser's result; rates per field tell a person which parser to fix.
 */
export async function runCheck(
  _item: StageItem,
  ctx: StageContext,
  p: LlmParams,
): Promise<StageOutput> {
  // llmParams refuses check mode without `parser` when jobs.yaml loads.
  const parser = p.parser ?? '';
  const parsed = ctx.upstream[parser];
  if (!parsed)
    throw new FailItem(
      `llm: check mode has no output from \`${parser}\` for this item; add \`${parser}\` to this stage's stage_deps`,
    );
  const fields =
    p.fields ??
    Object.keys(parsed).filter((k) => {
      const v = parsed[k];
      return v === null || ['string', 'number', 'boolean'].includes(typeof v);
    });
  const values = Object.fromEntries(fields.map((f) => [f, parsed[f] ?? null]));
  const raw =
    ctx.artifacts.upstream().find((a) => a.stage !== parser) ?? ctx.artifacts.upstream()[0];
  if (!raw)
    throw new FailItem(
      'llm: check mode found no stored source upstream for this item; add the fetch stage to this stage’s stage_deps',
    );
  if (!ctx.artifacts.has(raw.ref.sha256))
    throw new FailItem(
      `llm: the source \`${raw.stage}\` stored (${raw.ref.sha256.slice(0, 12)}…) is no longer in the artifact store (removed by gc?); reprocess \`${raw.stage}\` to fetch it again`,
    );
  const bytes = await ctx.artifacts.get(raw.ref.sha256);
  const binary = sniffBinary(bytes.subarray(0, 8192));
  if (binary)
    throw new FailItem(
      `llm: the source \`${raw.stage}\` stored is ${mimeOf(raw.ref.content_type) ?? binary}, not text; check mode compares against text — extract it first, or leave such items out`,
    );
  const source = sourceText(bytes, raw.ref.content_type, p.source);
  if (source.trim() === '')
    throw new FailItem(
      `llm: the source \`${raw.stage}\` stored has no text to check against; check what \`${raw.stage}\` fetched`,
    );
  const res = await ctx.llm.complete({
    system: `${p.system ?? SYSTEM}\n\n<source>\n${source}\n</source>`,
    user: `${p.prompt ? `${p.prompt}\n\n` : ''}Parser output:\n${JSON.stringify(values, null, 2)}\n\nReturn {"fields": [{"field", "agrees", "source_value", "note"}]} with one entry per field: ${fields.join(', ')}.`,
    schema: CHECK_SCHEMA as unknown as Record<string, unknown>,
    temperature: p.temperature,
    jsonMode: p.json_mode,
    ...(p.provider ? { provider: p.provider } : {}),
    ...(p.model ? { model: p.model } : {}),
  });
  const answers = (res.json?.fields ?? []) as {
    field: string;
    agrees: boolean;
    source_value?: string | null;
    note?: string | null;
  }[];
  const wanted = new Set(fields);
  const seen = new Map<string, (typeof answers)[number]>();
  for (const a of answers) if (wanted.has(a.field) && !seen.has(a.field)) seen.set(a.field, a);
  const { db, jobId, stage, itemId } = internalsOf(ctx);
  const now = Date.now();
  const upsert = db.prepare(
    `INSERT INTO check_results (item_id, job_id, stage, field, agrees, parser_value, source_value, note, created_at)
     VALUES (@itemId, @jobId, @stage, @field, @agrees, @parserValue, @sourceValue, @note, @now)
     ON CONFLICT (item_id, stage, field) DO UPDATE SET agrees = excluded.agrees, parser_value = excluded.parser_value,
       source_value = excluded.source_value, note = excluded.note, created_at = excluded.created_at`,
  );
  const discrepancies: Record<string, unknown>[] = [];
  db.transaction(() => {
    db.prepare(`DELETE FROM check_results WHERE item_id = ? AND stage = ?`).run(itemId, stage);
    for (const [field, a] of seen) {
      const parserValue = values[field] === null ? null : JSON.stringify(values[field]);
      upsert.run({
        itemId,
        jobId,
        stage,
        field,
        agrees: a.agrees ? 1 : 0,
        parserValue,
        sourceValue: a.source_value ?? null,
        note: a.note ?? null,
        now,
      });
      if (!a.agrees)
        discrepancies.push({
          field,
          parser_value: values[field],
          source_value: a.source_value ?? null,
          note: a.note ?? null,
        });
    }
  })();
  return {
    checked: seen.size,
    agreed: seen.size - discrepancies.length,
    unanswered: fields.filter((f) => !seen.has(f)),
    discrepancies,
  };
}

/** Visible text of an HTML artifact, or the bytes as UTF-8. */
export function sourceText(
  raw: Buffer,
  contentType: string | undefined,
  mode: 'text' | 'raw',
): string {
  const s = raw.toString('utf8');
  if (mode === 'raw') return s;
  return /html|xml/i.test(contentType ?? '') || /^\s*</.test(s) ? roughVisibleText(s) : s;
}
