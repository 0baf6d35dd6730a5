import { FIELD_DOCS } from './fieldDocs.ts';
import { schemaFields, type SchemaField } from './schemaPaths.ts';

/** docs/jobs-yaml.md, generated from the schema (`npm run docs:config`). */
export function renderConfigDocs(): string {
  const fields = schemaFields();
  const sections: [string, (f: SchemaField) => boolean][] = [
    [
      'Top level',
      (f) => !f.path.startsWith('jobs') && !f.path.includes('.') && !f.path.includes('['),
    ],
    [
      'Jobs',
      (f) =>
        f.path.startsWith('jobs') &&
        !f.path.startsWith('jobs[].stages') &&
        !f.path.startsWith('jobs[].breakers') &&
        !f.path.startsWith('jobs[].discovery'),
    ],
    ['Discovery', (f) => f.path.startsWith('jobs[].discovery')],
    ['Stages', (f) => f.path.startsWith('jobs[].stages')],
    ['Circuit breakers', (f) => f.path.startsWith('jobs[].breakers')],
    ['Shared resources', (f) => f.path.startsWith('resources.')],
    ['LLM providers', (f) => f.path.startsWith('llm.')],
    ['Doctor, notifications, routes', (f) => /^(doctor|notifications|routes)\./.test(f.path)],
  ];
  const lines = [
    '# jobs.yaml reference',
    '',
    '<!-- Generated from electron/engine/config/schema.ts by `npm run docs:config`; a test fails when it is out of date. -->',
    '',
    'Every key jobs.yaml accepts. Unknown keys are errors (with a "did you mean" hint), and every problem is',
    'reported at once with `file:line:column` and the field path. Durations take a unit (`500ms`, `30s`, `5m`,',
    '`3h`, `1d`); rates are `N/window` (`60/min`). `[]` marks list items and `<name>` map entries.',
    '',
  ];
  const seen = new Set<string>();
  for (const [title, test] of sections) {
    const rows = fields.filter((f) => test(f) && !seen.has(f.path));
    if (rows.length === 0) continue;
    lines.push(`## ${title}`, '', '| key | type | default | meaning |', '|---|---|---|---|');
    for (const f of rows) {
      seen.add(f.path);
      const meaning = [
        f.description ?? FIELD_DOCS[f.path] ?? '',
        f.required ? '**Required.**' : '',
        f.constraints.length ? `(${f.constraints.join(', ')})` : '',
      ]
        .filter(Boolean)
        .join(' ');
      lines.push(
        `| \`${f.path}\` | ${esc(f.type)} | ${f.default === undefined ? '' : `\`${JSON.stringify(f.default)}\``} | ${esc(meaning)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

function esc(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Keys with no description anywhere (the docs test lists them). */
export function undocumentedFields(): string[] {
  return schemaFields()
    .filter((f) => !f.description && !FIELD_DOCS[f.path])
    .map((f) => f.path);
}
