import type { ErrorClass } from '../../runner/ErrorClassifier.ts';
import type { Rule, RuleHit, RuleTag } from '../types.ts';

type Line = [RegExp, ErrorClass, number, { tag?: RuleTag; scope?: 'item' | 'job'; name: string }];

/**
 * yt-dlp's ERROR lines. The age gate and the bot check both end in "Use --cookies…", so the
 * sentence before it decides: an age-restricted video is that one video's problem (it must
 * not pause a whole channel), "not a bot" means YouTube refuses this machine.
 */
const LINES: Line[] = [
  [
    /sign in to confirm you(?:'|’)re not a bot|confirm you are not a robot/i,
    'systemic',
    0.97,
    { tag: 'block', name: 'bot-check' },
  ],
  [
    /sign in to confirm your age|age[- ]restricted|inappropriate for some users|age verification/i,
    'item_specific',
    0.96,
    { name: 'age-gate' },
  ],
  [
    /cookies (?:are|have) (?:no longer valid|expired)|account cookies|cookies? (?:file )?(?:is )?(?:invalid|expired)/i,
    'systemic',
    0.93,
    { name: 'cookies' },
  ],
  [
    /HTTP Error 429|Too Many Requests|rate[- ]limited by YouTube|(?:account|ip|you) (?:has|have) been rate[- ]limited/i,
    'rate_limited',
    0.96,
    { name: '429' },
  ],
  [
    /the downloaded file is empty|fragment \d+ not found|unable to download fragment|did not get any data/i,
    'transient',
    0.9,
    { name: 'download-empty' },
  ],
  [
    /premieres? in|this live event will begin|live event will begin|upcoming live|scheduled to start|premiere will begin|waiting for (?:the )?(?:scheduled )?(?:stream|premiere)/i,
    'temporal',
    0.96,
    { scope: 'item', name: 'upcoming' },
  ],
  [
    /does not have a (?:videos|shorts|streams|live|playlists) tab|has no (?:videos|uploads)|this channel has no/i,
    'item_specific',
    0.94,
    { name: 'no-tab' },
  ],
  [
    /(?:recording|replay|stream recording|live stream recording)[^\n]{0,30}(?:is )?not available|this live stream recording is not available/i,
    'item_specific',
    0.94,
    { name: 'no-recording' },
  ],
  [
    /private video|this video is private|video unavailable|this video has been removed|no longer available|has been terminated|does not exist|members[- ]only|join this channel|not made this video available in your country|geo[- ]?restricted|copyright claim|unsupported url|requested format is not available|no video formats found|is not a valid url|HTTP Error 404|HTTP Error 410|this video is (?:not available|unavailable)|removed for violating/i,
    'item_specific',
    0.94,
    { name: 'unavailable' },
  ],
  [
    /unable to extract|signature extraction failed|nsig extraction failed|please report this issue|update to the latest version|confirm you are on the latest version|(?:is|seems) (?:outdated|too old)/i,
    'systemic',
    0.92,
    { name: 'extractor' },
  ],
  [
    /ffmpeg (?:is )?not (?:found|installed)|ffprobe(?: and ffmpeg)? (?:is )?not (?:found|installed)|postprocessing: ffmpeg not found/i,
    'systemic',
    0.96,
    { name: 'ffmpeg-missing' },
  ],
  [/HTTP Error 403/i, 'systemic', 0.75, { name: '403' }],
  [
    /temporary failure in name resolution|name or service not known|getaddrinfo failed|nodename nor servname|\[Errno -?\d+\] (?:Temporary failure|Name or service)|network is unreachable|connection refused/i,
    'transient',
    0.88,
    { tag: 'network', name: 'network' },
  ],
  [
    /HTTP Error 5\d\d|timed out|connection reset|unable to download (?:webpage|video data|json metadata)|did not get any data blocks|read timed out|giving up after \d+ retries|incomplete read|IncompleteRead|remote end closed connection/i,
    'transient',
    0.85,
    { name: 'download' },
  ],
];

/**
 * yt-dlp reports through stderr lines (`ERROR: [youtube] id: Video unavailable`). The last
 * ERROR line is the one that ended the run; earlier WARNING lines are context.
 */
export const ytdlpRule: Rule = (r) => {
  const src = [r.stderr, r.message].filter(Boolean).join('\n');
  if (!/yt-dlp|youtube-dl|^ERROR: \[|\[youtube|\[download\]|\[generic\]/im.test(src))
    return undefined;
  const errors = src.split('\n').filter((l) => /^\s*ERROR:/.test(l));
  const ordered = errors.length > 0 ? [...errors].reverse() : [src];
  for (const chunk of ordered) {
    for (const [re, cls, confidence, extra] of LINES) {
      if (!re.test(chunk)) continue;
      const hit: RuleHit = { class: cls, rule: `ytdlp.${extra.name}`, confidence };
      if (extra.tag) hit.tag = extra.tag;
      if (extra.scope) hit.scope = extra.scope;
      return hit;
    }
  }
  return undefined;
};
