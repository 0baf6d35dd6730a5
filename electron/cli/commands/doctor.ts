import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { loadConfigFile } from '../../engine/config/loadConfig.ts';
import { openDatabase, type Db } from '../../engine/db/openDatabase.ts';
import { doctorLlmOptions } from '../../engine/doctor/createDoctor.ts';
import { Doctor } from '../../engine/doctor/Doctor.ts';
import type { ErrorRecord } from '../../engine/doctor/types.ts';
import { createLogger } from '../../engine/log/logger.ts';
import { dbFile } from '../../engine/runner/Host.ts';
import { EnvSecretStore } from '../../engine/secrets/SecretStore.ts';
import { configPath, EXIT, type GlobalOptions } from '../context.ts';
import { registerCorrections } from './doctorCorrections.ts';

/** A text field; numbers (a numeric `code`, Twitter's `apiCode: 453`) are read as text. */
const Text = z.union([z.string(), z.number()]).transform(String);

/**
 * One input line of `doctor classify`. Real records come in many shapes (a child's stderr
 * alone, a response body alone), so every field is optional but one of `message`, `stderr`
 * and `body` must say something; unknown keys (an `expected` label, a `source`) are ignored.
 */
const RecordLine = z
  .object({
    message: Text.optional(),
    name: Text.optional(),
    code: Text.optional(),
    status: z
      .union([
        z.number().int(),
        z
          .string()
          .regex(/^\d{3}$/)
          .transform(Number),
      ])
      .optional(),
    body: Text.optional(),
    stderr: Text.optional(),
    stage: Text.optional(),
    headers: z.record(z.string(), Text).optional(),
    causeCode: Text.optional(),
    causeMessage: Text.optional(),
    apiCode: Text.optional(),
  })
  .refine((r) => [r.message, r.stderr, r.body].some((t) => t !== undefined && t.trim() !== ''), {
    message: 'needs at least one of `message`, `stderr` or `body`',
  });

/** A bad input line in words: what is wrong and where, never a raw dump of the parser's issues. */
function explainBadLine(err: unknown): string {
  if (err instanceof SyntaxError) return `not a JSON object (${err.message})`;
  if (err instanceof z.ZodError) {
    return err.issues
      .map((i) => {
        const field = i.path.join('.');
        if (!field) return i.message;
        return `\`${field}\`: ${i.code === 'invalid_type' || i.code === 'invalid_union' ? `expected ${field === 'status' ? 'a number' : field === 'headers' ? 'an object of strings' : 'a string'}` : i.message}`;
      })
      .join('; ');
  }
  return (err as Error).message;
}

/**
 * `jobctl doctor classify`: check error records against the doctor without running a job;
 * `teach`, `corrections`, `forget`, `export-corrections`, `import-corrections`: what a person
 * taught it (doctorCorrections.ts).
 */
export function registerDoctor(program: Command): void {
  const doctor = program
    .command('doctor')
    .description('the doctor: what errors mean and what to do about them');
  doctor
    .command('classify')
    .description('read error records as JSON lines on stdin; print one verdict per line as JSON')
    .option('--no-llm', 'rules and cache only: never ask the LLM classifier')
    .addHelpText(
      'after',
      `
Input (one JSON object per line): at least one of "message", "stderr", "body", and optionally
"name", "code", "status", "headers", "causeCode", "causeMessage", "apiCode", "stage".
Output (one per line): {"class", "action", "source", "signature", "confidence", ...}

Examples:
  echo '{"message":"read ECONNRESET","code":"ECONNRESET"}' | jobctl doctor classify --no-llm
  echo '{"stderr":"ERROR: [youtube] x: Sign in to confirm your age"}' | jobctl doctor classify --no-llm
  jobctl doctor classify < errors.jsonl > verdicts.jsonl`,
    )
    .action(async (o: { llm: boolean }) => {
      const g = program.opts<GlobalOptions>();
      const log = createLogger({ level: process.env.TRIBUTARY_LOG_LEVEL ?? 'warn' });
      const { doctor, db } = await openDoctor(g, o.llm, log);
      let bad = 0;
      try {
        const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
        let lineNo = 0;
        const badLines: string[] = [];
        for await (const line of lines) {
          lineNo++;
          if (!line.trim()) continue;
          let record: ErrorRecord;
          try {
            const json: unknown = JSON.parse(line);
            if (typeof json !== 'object' || json === null || Array.isArray(json))
              throw new SyntaxError('expected an object such as {"message": "..."}');
            const parsed = RecordLine.parse(json);
            record = Object.fromEntries(
              Object.entries(parsed).filter(([, v]) => v !== undefined),
            ) as unknown as ErrorRecord;
            record.message ??= '';
          } catch (err) {
            // A bad line is reported in place (the output stays one line per input) and counted.
            bad++;
            const why = `line ${lineNo}: ${explainBadLine(err)}`;
            badLines.push(why);
            process.stdout.write(
              `${JSON.stringify({ line: lineNo, error: `invalid record: ${why}` })}\n`,
            );
            continue;
          }
          const d = await doctor.diagnose(record, { useLlm: o.llm });
          process.stdout.write(
            `${JSON.stringify({
              class: d.class,
              action: d.action,
              source: d.source,
              signature: d.signature,
              confidence: d.confidence,
              explanation: d.explanation,
              ...(d.tag ? { tag: d.tag } : {}),
              ...(d.scope ? { scope: d.scope } : {}),
              ...(d.retryAfterMs !== undefined ? { retryAfterMs: d.retryAfterMs } : {}),
              ...(d.resumeAt !== undefined ? { resumeAt: new Date(d.resumeAt).toISOString() } : {}),
            })}\n`,
          );
        }
        if (badLines.length > 0)
          process.stderr.write(
            `${badLines.length} invalid line${badLines.length === 1 ? '' : 's'} (each answered with {"line", "error"}):\n  ${badLines.slice(0, 20).join('\n  ')}${badLines.length > 20 ? `\n  … and ${badLines.length - 20} more` : ''}\n`,
          );
      } finally {
        db?.close();
        log.flush();
      }
      if (bad > 0) process.exitCode = EXIT.usage;
    });
  registerCorrections(doctor, program);
}

/**
 * With a jobs.yaml at hand the doctor uses its database (the signature cache, the LLM
 * budget) and its LLM provider; without one, rules and an in-memory cache.
 */
async function openDoctor(
  g: GlobalOptions,
  useLlm: boolean,
  log: ReturnType<typeof createLogger>,
): Promise<{ doctor: Doctor; db: Db | undefined }> {
  const file = configPath(g);
  if (!existsSync(file)) return { doctor: new Doctor({ log }), db: undefined };
  const config = loadConfigFile(file, g.data ? { dataDir: g.data } : {});
  const db = openDatabase(dbFile(config.dataDir));
  const llm = useLlm ? await doctorLlmOptions(config, new EnvSecretStore(), log) : null;
  return { doctor: new Doctor({ db, config, log, llm }), db };
}
