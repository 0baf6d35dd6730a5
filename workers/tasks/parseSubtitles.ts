/**
 * WebVTT / SRT → transcript text. Auto-generated captions (YouTube's among them) "roll": each
 * cue repeats the previous cue's last line before adding a new one, so naive concatenation
 * doubles most of the text. Lines seen in the last few cues are dropped.
 *
 * Coverage = seconds covered by at least one cue ÷ the media's duration (given, or the last
 * cue's end): a transcript covering 30% of a video is probably truncated or partly missing.
 */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

export interface Transcript {
  format: 'vtt' | 'srt';
  text: string;
  cues: number;
  durationSec: number;
  coveredSec: number;
  coverage: number;
  repeatedLinesRemoved: number;
}

const TIMING =
  /^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})/;
/** How many recent lines a new line is compared with (rolling captions repeat 1–2 lines). */
const RECENT = 4;

export function parseTimestamp(ts: string): number {
  const parts = ts.replace(',', '.').split(':').map(Number);
  let s = 0;
  for (const p of parts) s = s * 60 + p;
  return s;
}

export function parseCues(input: string): { format: 'vtt' | 'srt'; cues: Cue[] } {
  const src = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const format = /^WEBVTT/.test(src) ? 'vtt' : 'srt';
  const cues: Cue[] = [];
  for (const block of src.split(/\n{2,}/)) {
    const lines = block.split('\n');
    const i = lines.findIndex((l) => TIMING.test(l));
    if (i < 0) continue; // header, NOTE, STYLE and REGION blocks carry no timing
    const m = TIMING.exec(lines[i] as string);
    if (!m) continue;
    const text = lines
      .slice(i + 1)
      .map(cleanCueLine)
      .filter((l) => l.length > 0)
      .join('\n');
    cues.push({ start: parseTimestamp(m[1] as string), end: parseTimestamp(m[2] as string), text });
  }
  return { format, cues };
}

function cleanCueLine(line: string): string {
  return line
    .replace(/<\d{2}:\d{2}(?::\d{2})?[.,]\d{3}>/g, '') // karaoke word timings
    .replace(/<\/?[^>]+>/g, '') // <c>, <i>, <v Speaker>
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseSubtitles(input: string, durationSec?: number): Transcript {
  const { format, cues } = parseCues(input);
  const recent: string[] = [];
  const out: string[] = [];
  let removed = 0;
  for (const cue of cues) {
    for (const line of cue.text.split('\n')) {
      if (!line) continue;
      if (recent.includes(line)) {
        removed++;
        continue;
      }
      out.push(line);
      recent.push(line);
      if (recent.length > RECENT) recent.shift();
    }
  }
  const covered = coveredSeconds(cues);
  const lastEnd = cues.reduce((m, c) => Math.max(m, c.end), 0);
  const duration = durationSec && durationSec > 0 ? durationSec : lastEnd;
  return {
    format,
    text: out.join('\n'),
    cues: cues.length,
    durationSec: round(duration),
    coveredSec: round(covered),
    coverage: duration > 0 ? round(Math.min(1, covered / duration)) : 0,
    repeatedLinesRemoved: removed,
  };
}

/** Length of the union of cue intervals (overlapping rolling cues are counted once). */
function coveredSeconds(cues: Cue[]): number {
  const sorted = cues.filter((c) => c.end > c.start).sort((a, b) => a.start - b.start);
  let total = 0;
  let curStart = -1;
  let curEnd = -1;
  for (const c of sorted) {
    if (c.start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = c.start;
      curEnd = c.end;
    } else curEnd = Math.max(curEnd, c.end);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
