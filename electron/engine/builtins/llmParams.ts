import { z } from 'zod';

export const llmParams = z
  .strictObject({
    /** `generate` answers the prompt; `check` verifies a parser stage's fields against the source. */
    mode: z.enum(['generate', 'check']).default('generate'),
    provider: z.string().optional(),
    model: z.string().optional(),
    /** The instruction, a template over the item and upstream outputs (`{{ data.title }}`). */
    prompt: z.string().optional(),
    /** Replaces the default system instruction (the document is appended to it). */
    system: z.string().optional(),
    /** Template for the document; default: the first upstream `text`. */
    document: z.string().optional(),
    /** JSON schema the answer must match; it is validated before anything is stored. */
    schema: z.record(z.string(), z.unknown()).optional(),
    json_mode: z.enum(['schema', 'object']).default('schema'),
    /** 0 for extraction: the same input should give the same answer. */
    temperature: z.number().min(0).max(2).default(0),
    /** check mode: the stage whose output is verified. */
    parser: z.string().optional(),
    /** check mode: which of the parser's fields (default: its scalar fields). */
    fields: z.array(z.string()).optional(),
    /** check mode: `text` sends the raw artifact's visible text, `raw` the bytes as text. */
    source: z.enum(['text', 'raw']).default('text'),
  })
  // Checked when jobs.yaml loads, so a missing prompt is a config error, not N failed items.
  .superRefine((p, ctx) => {
    if (p.mode === 'generate' && !p.prompt)
      ctx.addIssue({
        code: 'custom',
        path: ['prompt'],
        message:
          'required in generate mode (the instruction, e.g. "Summarize {{ extract.title }}")',
      });
    if (p.mode === 'check' && !p.parser)
      ctx.addIssue({
        code: 'custom',
        path: ['parser'],
        message: 'required in check mode (the stage whose output is verified)',
      });
  });
export type LlmParams = z.output<typeof llmParams>;
