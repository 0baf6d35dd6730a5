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

/** One input line of `doctor classify`; unknown keys (an `expected` label) are ignored. */
const RecordLine = z.object({
  message: z.string(),
  name: z.string().optional(),
  code: z.union([z.string(), z.number()]).transform(String).optional(),
  status: z.number().int().optional(),
  body: z.string().optional(),
  stderr: z.string().optional(),
  stage: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  causeCode: z.string().optional(),
  causeMessage: z.string().optional(),
  apiCode: z.string().optional(),
});

/** `jobctl doctor classify`: check error records against the doctor without running a job. */
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
Input (one JSON object per line): {"message": "...", "name"?, "code"?, "status"?, "body"?, "stderr"?, "stage"?}
Output (one per line): {"class", "action", "source", "signature", "confidence", ...}

Examples:
  echo '{"message":"read ECONNRESET","code":"ECONNRESET"}' | jobctl doctor classify --no-llm
  jobctl doctor classify < errors.jsonl > verdicts.jsonl`,
    )
    .action(async (o: { llm: boolean }) => {
      const g = program.opts<GlobalOptions>();
      const log = createLogger({ level: process.env.TRIBUTARY_LOG_LEVEL ?? 'warn' });
      const { doctor, db } = await openDoctor(g, o.llm, log);
      let bad = 0;
      try {
        const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
        for await (const line of lines) {
          if (!line.trim()) continue;
          let record: ErrorRecord;
          try {
            const parsed = RecordLine.parse(JSON.parse(line));
            record = Object.fromEntries(
              Object.entries(parsed).filter(([, v]) => v !== undefined),
            ) as unknown as ErrorRecord;
          } catch (err) {
            // A bad line is reported in place (the output stays one line per input) and counted.
            bad++;
            process.stdout.write(
              `${JSON.stringify({ error: `invalid record: ${(err as Error).message.split('\n')[0]}` })}\n`,
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
              ...(d.retryAfterMs !== undefined ? { retryAfterMs: d.retryAfterMs } : {}),
              ...(d.resumeAt !== undefined ? { resumeAt: new Date(d.resumeAt).toISOString() } : {}),
            })}\n`,
          );
        }
      } finally {
        db?.close();
        log.flush();
      }
      if (bad > 0) process.exitCode = EXIT.usage;
    });
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
