import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { openDatabase, type Db } from '../../engine/db/openDatabase.ts';
import { CorrectionStore } from '../../engine/doctor/CorrectionStore.ts';
import {
  correctionProblem,
  DOCTOR_ACTIONS,
  type CorrectionInput,
} from '../../engine/doctor/correctionFields.ts';
import { correctionsText, parseCorrectionLines } from '../../engine/doctor/correctionsFile.ts';
import { ACTION_OF } from '../../engine/doctor/types.ts';
import { ERROR_CLASSES } from '../../engine/runner/ErrorClassifier.ts';
import { dbFile } from '../../engine/runner/Host.ts';
import { CliError, dataDirOf, EXIT, print, type GlobalOptions } from '../context.ts';
import { ago, table } from '../table.ts';

/** Problems of a refused import shown in full; the rest are counted. */
const MAX_PROBLEMS_SHOWN = 20;

/**
 * Straight on the database, live host or not: the doctor reads corrections from it on every
 * diagnosis, so a running host follows a new one at its next error without being told, and
 * these commands work even while jobs.yaml is broken (only its data_dir is read).
 */
function openStore(g: GlobalOptions): { store: CorrectionStore; db: Db } {
  const db = openDatabase(dbFile(dataDirOf(g)));
  const store = new CorrectionStore();
  store.useDb(db);
  return { store, db };
}

function withStore<T>(g: GlobalOptions, fn: (store: CorrectionStore) => T): T {
  const { store, db } = openStore(g);
  try {
    return fn(store);
  } finally {
    db.close();
  }
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** `jobctl doctor teach | corrections | forget | export-corrections | import-corrections`. */
export function registerCorrections(doctor: Command, program: Command): void {
  const g = () => program.opts<GlobalOptions>();

  doctor
    .command('teach <signature> <class>')
    .description(
      'teach the doctor: errors with this signature are CLASS from now on (wins over rules and cache)',
    )
    .option(
      '--action <action>',
      `instead of the class's usual action: ${DOCTOR_ACTIONS.join(', ')}`,
    )
    .option('--note <text>', 'why (shown with the correction and in its decisions)')
    .addHelpText(
      'after',
      `
Classes: ${ERROR_CLASSES.join(', ')}
Copy SIGNATURE from \`jobctl failures JOB\` (quote it: signatures hold spaces and <n>).

Examples:
  jobctl doctor teach 'HTTP 403: Forbidden' item_specific --note 'geo-blocked pages'
  jobctl doctor teach 'Error: upstream said <q>' transient --action retry`,
    )
    .action((signature: string, cls: string, o: { action?: string; note?: string }) => {
      const input = { signature, class: cls, action: o.action ?? null, note: o.note ?? null };
      const problem = correctionProblem(input);
      if (problem) throw new CliError(problem.message, EXIT.usage);
      withStore(g(), (store) => {
        const correction = store.teach(input as CorrectionInput);
        const matched = store.matches(correction.signature);
        const warning =
          matched.decisions === 0
            ? 'no past decision has this signature: is it mistyped? Copy it from `jobctl failures JOB` (stored anyway)'
            : null;
        print(g(), { correction, matched, warning }, () => {
          const action = correction.action ?? `${ACTION_OF[correction.class]} (its usual action)`;
          return [
            `taught: \`${correction.signature}\` → ${correction.class}, ${action}${correction.note ? ` — ${correction.note}` : ''}`,
            matched.decisions > 0
              ? `matches ${plural(matched.decisions, 'past decision')} in ${plural(matched.jobs, 'job')}; the next error with this signature follows it`
              : `warning: ${warning}`,
          ].join('\n');
        });
      });
    });

  doctor
    .command('corrections')
    .description('list what the doctor was taught (`doctor teach`), newest first')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl doctor corrections\n  jobctl doctor corrections --json',
    )
    .action(() => {
      const corrections = withStore(g(), (store) => store.list());
      print(g(), { corrections }, () =>
        corrections.length === 0
          ? 'no corrections (teach one: jobctl doctor teach SIGNATURE CLASS)'
          : table(
              ['class', 'action', 'note', 'taught', 'hits', 'last used', 'signature'],
              corrections.map((c) => [
                c.class,
                c.action ?? `(${ACTION_OF[c.class]})`,
                (c.note ?? '').slice(0, 40),
                ago(c.createdAt),
                c.hits,
                ago(c.lastHitAt),
                c.signature,
              ]),
              ['l', 'l', 'l', 'l', 'r'],
            ) + '\n\n(action in parentheses: the class’s usual one)',
      );
    });

  doctor
    .command('forget <signature>')
    .description('remove a correction: the rules and cache judge that signature again')
    .addHelpText('after', "\nExamples:\n  jobctl doctor forget 'HTTP 403: Forbidden'")
    .action((raw: string) => {
      const signature = raw.trim();
      const forgotten = withStore(g(), (store) => store.forget(signature));
      if (!forgotten)
        throw new CliError(
          `no correction for signature \`${signature}\` (see \`jobctl doctor corrections\`)`,
          EXIT.notFound,
        );
      print(
        g(),
        { forgotten: true, signature },
        () => `forgot \`${signature}\`: the rules and cache judge it again from its next error`,
      );
    });

  doctor
    .command('export-corrections')
    .description(
      'write every correction as JSON lines: {"signature", "class", "action", "note"} (sorted by signature)',
    )
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl doctor export-corrections > corrections.jsonl\n  jobctl doctor export-corrections -o corrections.jsonl',
    )
    .action((o: { out?: string }) => {
      const list = withStore(g(), (store) => store.list());
      const text = correctionsText(list);
      if (!o.out) {
        process.stdout.write(text);
        return;
      }
      writeFileSync(o.out, text);
      print(
        g(),
        { written: list.length, file: o.out },
        () => `wrote ${plural(list.length, 'correction')} to ${o.out}`,
      );
    });

  doctor
    .command('import-corrections <file>')
    .description(
      'teach every correction of a file written by export-corrections; every line is checked first and a bad one imports nothing',
    )
    .option('--replace', 'also forget corrections that are not in the file')
    .addHelpText(
      'after',
      `
Each line: {"signature": "...", "class": "...", "action"?: "..." | null, "note"?: "..." | null}

Examples:
  jobctl doctor import-corrections corrections.jsonl
  jobctl doctor import-corrections team.jsonl --replace`,
    )
    .action((file: string, o: { replace?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        // Not readable: say which file and why; nothing was opened or changed.
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.notFound);
      }
      const { corrections, problems } = parseCorrectionLines(text);
      if (problems.length > 0) {
        const shown = problems
          .slice(0, MAX_PROBLEMS_SHOWN)
          .map((p) => `  ${file}:${p.line}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
        if (problems.length > MAX_PROBLEMS_SHOWN)
          shown.push(`  … and ${problems.length - MAX_PROBLEMS_SHOWN} more`);
        throw new CliError(
          `${file}: ${plural(problems.length, 'bad line')}; nothing imported\n${shown.join('\n')}`,
          EXIT.usage,
        );
      }
      const counts = withStore(g(), (store) =>
        store.importAll(corrections, { replace: o.replace ?? false }),
      );
      print(
        g(),
        { file, ...counts },
        () =>
          `imported ${file}: ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.removed} removed`,
      );
    });
}
