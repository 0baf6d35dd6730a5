import { detectBlockPage, detectLoginForm, detectLoginRedirect } from './detectBlockPage.ts';

/**
 * QA checks over one item's merged stage outputs. Pure and CPU-bound (repeated-block
 * detection hashes every paragraph), so the audit stage runs them in the worker pool.
 */
export interface AuditCheckSpec {
  check: string;
  [param: string]: unknown;
}

export interface AuditCheckResult {
  check: string;
  passed: boolean;
  /** Why it failed (or what it measured), in words a person can act on. */
  reason: string;
  value: number | null;
}

export interface AuditInput {
  checks: AuditCheckSpec[];
  /** Item data and upstream outputs merged (later stages win). */
  doc: Record<string, unknown>;
  textField: string;
  durationField: string;
  /** The head of the raw page, when one is stored upstream (`not_block_page` looks for a sign-in form). */
  html?: string;
}

export const AUDIT_CHECKS = [
  'min_chars_per_minute',
  'no_repeated_blocks',
  'transcript_coverage',
  'required_fields',
  'duration_range',
  'not_block_page',
] as const;

export function runAuditChecks(input: AuditInput): AuditCheckResult[] {
  return input.checks.map((spec) => {
    try {
      return runOne(spec, input);
    } catch (err) {
      // Odd item data (a field of the wrong shape) fails this check for this item, with the
      // reason — never the whole stage as a bug.
      return {
        check: spec.check,
        passed: false,
        reason: `could not run on this item's data: ${(err as Error)?.message ?? String(err)}`,
        value: null,
      };
    }
  });
}

function runOne(spec: AuditCheckSpec, input: AuditInput): AuditCheckResult {
  const text = String(getPath(input.doc, input.textField) ?? '');
  const duration = num(getPath(input.doc, input.durationField));
  const r = (passed: boolean, reason: string, value: number | null = null) => ({
    check: spec.check,
    passed,
    reason,
    value,
  });
  switch (spec.check) {
    case 'min_chars_per_minute': {
      const min = num(spec.min) ?? 300;
      if (!duration)
        return r(false, `no duration in \`${input.durationField}\` to measure against`);
      const perMin = text.length / (duration / 60);
      return r(
        perMin >= min,
        `${Math.round(perMin)} chars/min (minimum ${min})`,
        Math.round(perMin * 10) / 10,
      );
    }
    case 'no_repeated_blocks': {
      const maxRatio = num(spec.max_ratio) ?? 0.2;
      const minLen = num(spec.min_length) ?? 40;
      const blocks = text
        .split(/\n+|(?<=[.!?])\s+/)
        .map((b) => b.trim().toLowerCase())
        .filter((b) => b.length >= minLen);
      const seen = new Set<string>();
      let repeated = 0;
      for (const b of blocks) {
        if (seen.has(b)) repeated++;
        else seen.add(b);
      }
      const ratio = blocks.length > 0 ? repeated / blocks.length : 0;
      return r(
        ratio <= maxRatio,
        `${repeated} of ${blocks.length} blocks repeated (${Math.round(ratio * 100)}%, max ${Math.round(maxRatio * 100)}%)`,
        Math.round(ratio * 1000) / 1000,
      );
    }
    case 'transcript_coverage': {
      const min = num(spec.min) ?? 0.8;
      const field = typeof spec.field === 'string' ? spec.field : 'coverage';
      const cov = num(getPath(input.doc, field));
      if (cov === undefined) return r(false, `no coverage value in \`${field}\``);
      return r(
        cov >= min,
        `transcript covers ${Math.round(cov * 100)}% of the media (minimum ${Math.round(min * 100)}%)`,
        cov,
      );
    }
    case 'required_fields': {
      const fields = Array.isArray(spec.fields) ? spec.fields.map(String) : [];
      const missing = fields.filter((f) => isEmpty(getPath(input.doc, f)));
      return r(
        missing.length === 0,
        missing.length ? `missing or empty: ${missing.join(', ')}` : `all ${fields.length} present`,
        missing.length,
      );
    }
    case 'duration_range': {
      const min = num(spec.min) ?? 0;
      const max = num(spec.max) ?? Number.POSITIVE_INFINITY;
      if (duration === undefined) return r(false, `no duration in \`${input.durationField}\``);
      return r(
        duration >= min && duration <= max,
        `duration ${duration}s (allowed ${min}–${max === Number.POSITIVE_INFINITY ? '∞' : max}s)`,
        duration,
      );
    }
    case 'not_block_page': {
      // The text, then the raw page's sign-in form, then fetch's redirect to a sign-in URL.
      const url = getPath(input.doc, 'url');
      const finalUrl = getPath(input.doc, 'final_url');
      const v =
        detectBlockPage(text) ??
        (input.html ? detectLoginForm(input.html) : undefined) ??
        (typeof url === 'string' && typeof finalUrl === 'string'
          ? detectLoginRedirect(url, finalUrl)
          : undefined);
      return r(!v, v ? `looks like a ${v.kind.replace('_', ' ')} page: “${v.evidence}”` : 'ok');
    }
    default:
      return r(false, `unknown check \`${spec.check}\` (checks: ${AUDIT_CHECKS.join(', ')})`);
  }
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}
