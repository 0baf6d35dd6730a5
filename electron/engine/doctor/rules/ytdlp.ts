import { retryAfterMs } from '../retryAfter.ts';
import { resumeTime } from '../resumeTime.ts';
import type { ErrorClass } from '../../runner/ErrorClassifier.ts';
import type { Rule } from '../types.ts';

/** yt-dlp's well-known ERROR lines, most specific first. */
const LINES: [RegExp, ErrorClass, number][] = [
  [
    /sign in to confirm you(?:’|')re not a bot|confirm you are not a robot|use --cookies/i,
    'systemic',
    0.95,
  ],
  [/cookies (?:are|have) (?:no longer valid|expired)|account cookies/i, 'systemic', 0.9],
  [/HTTP Error 429|Too Many Requests/i, 'rate_limited', 0.95],
  [
    /sign in to confirm your age|age[- ]restricted|inappropriate for some users/i,
    'item_specific',
    0.85,
  ],
  [
    /private video|this video is private|video unavailable|this video has been removed|no longer available|has been terminated|does not exist|members[- ]only|join this channel|not made this video available in your country|geo[- ]?restricted|copyright claim|unsupported url|requested format is not available|no video formats found|is not a valid url|HTTP Error 404|HTTP Error 410/i,
    'item_specific',
    0.9,
  ],
  [
    /unable to extract|signature extraction failed|please report this issue|nsig extraction failed|update to the latest version/i,
    'systemic',
    0.8,
  ],
  [/HTTP Error 403/i, 'systemic', 0.7],
  [
    /HTTP Error 5\d\d|timed out|connection reset|temporary failure in name resolution|unable to download (?:webpage|video data)|did not get any data blocks|read timed out|giving up after \d+ retries|incomplete read/i,
    'transient',
    0.8,
  ],
  [/ffmpeg not found|ffprobe(?: and ffmpeg)? not found/i, 'systemic', 0.9],
];

/**
 * yt-dlp reports through stderr lines (`ERROR: [youtube] id: Video unavailable`). A premiere
 * or upcoming live stream is this item's "not yet": retried when it starts, the job runs on.
 */
export const ytdlpRule: Rule = (r, _text, now) => {
  const src = [r.stderr, r.message].filter(Boolean).join('\n');
  if (!r.stderr && !/yt-dlp|youtube-dl|^ERROR: \[|\[youtube\]/im.test(src)) return undefined;
  if (
    /premieres? in|live event will begin|this live event will|upcoming live|scheduled to start/i.test(
      src,
    )
  ) {
    const at = resumeTime(src, now);
    return {
      class: 'transient',
      rule: 'ytdlp.upcoming',
      confidence: 0.85,
      retryAfterMs: at !== undefined ? at - now : 3600_000,
    };
  }
  for (const [re, cls, confidence] of LINES) {
    if (re.test(src)) {
      const wait = cls === 'rate_limited' ? retryAfterMs(r, src, now) : undefined;
      return {
        class: cls,
        rule: `ytdlp.${re.source
          .split('|')[0]!
          .replace(/[^a-z0-9]+/gi, '-')
          .slice(0, 30)}`,
        confidence,
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      };
    }
  }
  return undefined;
};
