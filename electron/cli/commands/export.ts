import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { ITEM_STATUS_SQL } from '../../engine/api/readModel.ts';
import { CliError, EXIT, openApi, type GlobalOptions } from '../context.ts';
import { Progress } from '../progress.ts';

export function registerExport(program: Command): void {
  program
    .command('export <job>')
    .description(
      "write a job's items with their data and every stage's result, as JSON lines or CSV",
    )
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .option('--status <status>', 'only items whose derived status is this (e.g. done)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl export hn-frontpage > items.jsonl\n  jobctl export hn-frontpage --format csv --status done -o done.csv',
    )
    .action(async (jobId: string, o: { format: string; status?: string; out?: string }) => {
      const g = program.opts<GlobalOptions>();
      if (o.format !== 'jsonl' && o.format !== 'csv')
        throw new CliError(`--format must be jsonl or csv, not ${o.format}`, EXIT.usage);
      // Reads straight from the database (WAL lets it run beside a live host) and streams row
      // by row, so a million items never sit in memory.
      const { db, close } = await openApi(g);
      try {
        const stages = (
          db
            .prepare(`SELECT stage FROM job_stages WHERE job_id = ? ORDER BY position`)
            .all(jobId) as { stage: string }[]
        ).map((r) => r.stage);
        if (stages.length === 0)
          throw new CliError(
            `unknown job \`${jobId}\` (nothing recorded for it in this data directory)`,
            EXIT.notFound,
          );
        const total = (
          db.prepare(`SELECT count(*) AS n FROM items WHERE job_id = ?`).get(jobId) as { n: number }
        ).n;
        const out: Writable = o.out ? createWriteStream(o.out) : process.stdout;
        const results = db.prepare(`SELECT stage, output FROM results WHERE item_id = ?`);
        const rows = db
          .prepare(
            `SELECT id, item_key AS key, priority, discovered_at AS discoveredAt, data, ${ITEM_STATUS_SQL} AS status
               FROM items WHERE job_id = ? ORDER BY id`,
          )
          .iterate(jobId) as IterableIterator<{
          id: number;
          key: string;
          priority: number;
          discoveredAt: number;
          data: string;
          status: string;
        }>;
        const progress = new Progress(`exporting ${jobId}`, total, g.json || !o.out);
        if (o.format === 'csv')
          await write(
            out,
            `${['id', 'key', 'status', 'priority', 'discovered_at', 'data', ...stages].map(csv).join(',')}\n`,
          );
        let n = 0;
        let written = 0;
        for (const r of rows) {
          n++;
          progress.tick(n);
          if (o.status && r.status !== o.status) continue;
          const byStage = new Map(
            (results.all(r.id) as { stage: string; output: string }[]).map((x) => [
              x.stage,
              x.output,
            ]),
          );
          const line =
            o.format === 'jsonl'
              ? JSON.stringify({
                  id: r.id,
                  key: r.key,
                  status: r.status,
                  priority: r.priority,
                  discovered_at: new Date(r.discoveredAt).toISOString(),
                  data: JSON.parse(r.data) as unknown,
                  results: Object.fromEntries(
                    stages
                      .filter((s) => byStage.has(s))
                      .map((s) => [s, JSON.parse(byStage.get(s) as string) as unknown]),
                  ),
                })
              : [
                  r.id,
                  r.key,
                  r.status,
                  r.priority,
                  new Date(r.discoveredAt).toISOString(),
                  r.data,
                  ...stages.map((s) => byStage.get(s) ?? ''),
                ]
                  .map(csv)
                  .join(',');
          await write(out, `${line}\n`);
          written++;
        }
        progress.done();
        if (o.out) {
          await new Promise<void>(
            (resolve, reject) => (out as NodeJS.WritableStream).end(() => resolve()) ?? reject,
          );
          process.stderr.write(`wrote ${written} item(s) to ${o.out}\n`);
        }
      } finally {
        close();
      }
    });
}

function csv(v: unknown): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Respects backpressure so a slow pipe does not buffer the whole export. */
function write(out: Writable, chunk: string): Promise<void> {
  return out.write(chunk) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r()));
}
