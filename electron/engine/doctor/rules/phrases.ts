import type { ErrorClass } from '../../runner/ErrorClassifier.ts';
import type { RuleTag } from '../types.ts';

/**
 * What an error's words say, whatever status or class wrapped them. Each entry is evidence
 * with a weight: specific wording a service writes for one situation ("API key not valid",
 * "under maintenance until", "Just a moment...") weighs more than a bare status code, so a
 * 400 that says the key is invalid is a key problem, and a 403 that says "rate limit" is a
 * rate limit. Weights: ~0.95 wording used for nothing else; ~0.9 strong; ~0.8 usual
 * meaning; ~0.65 loose hints that only beat nothing.
 */
export interface Phrase {
  name: string;
  re: RegExp;
  class: ErrorClass;
  weight: number;
  tag?: RuleTag;
  scope?: 'item' | 'job';
}

const p = (
  name: string,
  re: RegExp,
  cls: ErrorClass,
  weight: number,
  extra: { tag?: RuleTag; scope?: 'item' | 'job' } = {},
): Phrase => ({ name, re, class: cls, weight, ...extra });

export const PHRASES: readonly Phrase[] = [
  // --- Out of credit: waiting does not help, a person must pay or raise the limit.
  p(
    'billing',
    /insufficient_quota|exceeded your current quota|check your plan and billing|billing (?:hard )?limit|credit balance is too low|(?:not enough|insufficient|no remaining|out of) (?:credits?|balance|funds)|payment required|your (?:account|subscription) (?:is|has) (?:past due|expired|been suspended for non-?payment)|requires more credits|add (?:more )?credits|billing details|plan does not (?:include|allow)|upgrade your plan|free (?:tier|trial) (?:has )?(?:ended|expired)|(?:build|usage|account) tier \d|credit (?:usage )?limit (?:exceeded|reached)|positive balance|top up your|buy(?:ing)? (?:more )?credits|more credits/i,
    'systemic',
    0.93,
    { tag: 'billing' },
  ),
  p(
    'billing.no-quota',
    /quota exceeded for (?:quota )?metric[^\n]{0,160}\blimit: 0\b|free[_ ]tier[^\n]{0,120}\blimit: 0\b|(?:your )?quota (?:is|of) 0\b/i,
    'systemic',
    0.97,
    { tag: 'billing' },
  ),
  // A daily quota that names when it resets: the job waits until then (temporal, not a slow-down).
  p(
    'temporal.quota-reset',
    /(?:quota|limit)s? (?:will )?(?:be )?(?:reset|renew|refresh)(?:ed|s)? (?:at|on|in|after|tomorrow)|resets? (?:daily )?at midnight|(?:daily|monthly) (?:quota|limit)[^\n]{0,60}(?:reset|renew)s? (?:at|on|in)|daily limit exceeded[^\n]{0,80}reset/i,
    'temporal',
    0.93,
  ),
  // One request bigger than the per-minute allowance can never pass: this item is too big.
  p(
    'item.request-too-large',
    /request too large for (?:model )?[`'"]?[\w./:-]+[`'"]?[^\n]{0,80}(?:tokens per min|TPM)|requested \d+[^\n]{0,40}(?:limit \d+|exceeds)/i,
    'item_specific',
    0.96,
  ),
  // --- Slow down: the service limits how fast or how much we ask.
  p(
    'rate-limit',
    /rate[ _-]?limit(?:ed|s|ing)?(?: (?:exceeded|reached|hit))?|too[ _]many[ _]requests|(?:api )?call frequency|quota (?:exhausted|used up|depleted)|exceed(?:s|ed)? the (?:rate |request )?limit|too frequent(?:ly)?\b|(?:limit|quota) (?:was |has been )?exceeded[^\n]{0,60}\bwait\b|wait (?:one|a|an|\d+) (?:seconds?|minutes?|hours?) before (?:making|sending|trying)|(?:submission|request|rate) threshold (?:has been )?exceeded|(?:calls?|requests?|queries) per (?:second|minute|min|hour|day)|TooManyRequests|throttl(?:ed|ing)|please (?:slow down|reduce your request rate)|\bslow ?down\b|enhance your calm|request limit (?:exceeded|reached)|(?:requests|tokens) per (?:second|minute|min|hour|day)|\b[RT]PM\b[^\n]{0,40}limit|quota exceeded for (?:quota )?metric|RESOURCE_EXHAUSTED|(?:user)?RateLimitExceeded|daily (?:limit|quota) (?:exceeded|reached)|exceeded (?:the|your) (?:daily |request )?(?:quota|limit)|quota (?:has been )?exceeded|you have exceeded your quota|usage limit|concurrency limit|too many (?:concurrent|simultaneous) (?:requests|connections)|secondary rate limit|abuse detection|try again in \d+(?:\.\d+)?\s*(?:ms|s|sec|seconds?)\b/i,
    'rate_limited',
    0.9,
  ),
  // --- Closed now, open later: the job (or the item) waits for the stated time.
  p(
    'temporal.market',
    /\bmarkets? (?:is |are )?(?:currently )?(?:closed|not open)|outside (?:of )?(?:regular |normal |extended )?(?:trading|market|exchange) hours|exchange (?:is )?(?:currently )?closed|trading (?:is )?(?:currently )?(?:halted|suspended|closed|not allowed)|market holiday|exchange holiday|(?:closed|no trading) (?:for|on|due to) (?:the )?(?:\w+ )?(?:holiday|weekend)|(?:pre|post)-?market (?:hours|session)|after[- ]hours|market (?:has )?not (?:yet )?opened|before (?:the )?market opens/i,
    'temporal',
    0.93,
  ),
  p(
    'temporal.maintenance',
    /\b(?:under|undergoing|down for|in|during|scheduled|planned|ongoing) (?:\w+ )?maintenance|maintenance (?:window|mode|in progress|until|is (?:in progress|scheduled|underway)|break)|we(?:'|’)ll be back (?:soon|shortly|at|by)|back (?:up )?(?:online )?(?:shortly|soon|at|by) \d|temporarily (?:closed|offline) for (?:maintenance|upgrades?)|system (?:upgrade|update) in progress|(?:carrying out|undergoing|performing) (?:a )?(?:server |system |database )?(?:migration|upgrade|update)|server migration/i,
    'temporal',
    0.92,
  ),
  p(
    'temporal.window',
    /outside (?:of )?(?:the |our |your )?(?:(?:allowed|permitted|booking|business|service|opening|operating|submission|available|trading|office|scheduled|valid|open) ){1,3}(?:time )?(?:window|hours|period)|only (?:available|open|accepts? requests?) (?:between|during|from)|service (?:is )?(?:closed|unavailable) (?:until|outside|between)|(?:opens?|reopens?) (?:again )?(?:at|on|tomorrow)|come back (?:at|after|tomorrow|later today)|closed for the (?:day|night|weekend|holiday)|not (?:open|available) (?:on weekends|at this time|outside)/i,
    'temporal',
    0.9,
  ),
  p(
    'temporal.not-yet',
    /\bnot (?:yet )?(?:been )?(?:available|published|released|out|aired|live|public) yet\b|(?:haven|hasn|have not|has not)(?:'|’)?t? (?:yet )?aired|not[_ ](?:open|ready|started|available)[_ ]yet|(?:is|are) (?:currently )?being (?:prepared|processed|generated|computed|compiled)|(?:finished|ended|published|uploaded|released|aired) (?:only )?(?:recently|just now)|\bnot yet (?:available|published|released|aired|live|public|started|open)|(?:will be|becomes?) (?:available|published|released) (?:on|at|in|after)|(?:is|are) scheduled (?:to (?:be )?(?:start|release|publish|air|go live)|for release)|(?:release|publish|embargo)(?:d|es)? (?:date )?(?:is )?in the future|under embargo until|\bembargo(?:ed)?\b|before (?:the )?(?:release|start|opening|unlock) time|current time is before/i,
    'temporal',
    0.88,
    { scope: 'item' },
  ),
  p(
    'temporal.premiere',
    /premieres? (?:in|on|at|will begin)|this live event (?:will begin|has not started|is scheduled)|live event will begin|upcoming (?:live ?stream|live event|premiere)|(?:stream|broadcast|event) (?:is )?scheduled to (?:start|begin)|waiting for (?:the )?(?:scheduled )?(?:live ?stream|premiere) to start|is an upcoming/i,
    'temporal',
    0.92,
    { scope: 'item' },
  ),
  p(
    'temporal.venue-mode',
    /\b(?:cancel|limit|post|reduce|close)[_ -]only mode|market (?:is )?in (?:post[_ -]only|cancel[_ -]only|limit[_ -]only) mode|MarketNotOpen|MARKET_CLOSED|market[_ ]closed|closed for trading|(?:symbol|pair|market|trade|trading|instrument)[^\n]{0,20}not open(?: now| yet)?|settlement(?:_| is | )in[_ ]progress|during (?:[\w-]+ ){0,3}settlement|(?:is|are) being upgraded|upgrade is in progress|auction (?:is )?in progress|(?:must|can only|may only) be (?:submitted|placed|sent|made|cancel+ed) (?:after|before|between|during)|\bmaintenance\b|maintenan?ce mode|extended[- ]hours?|trading (?:is )?(?:currently )?paused|market[^\n]{0,30}\bnot active\b|break session|(?:lunch|midday) break|has ?holiday|\bholiday\b/i,
    'temporal',
    0.86,
  ),
  // --- A person must act: credentials, access, configuration.
  p(
    'auth.missing-key',
    /(?:api[_ -]?key|token|secret|credentials?) (?:is |was )?(?:missing|not (?:set|provided|configured|found|supplied))|missing (?:an? )?(?:api[_ -]?key|credentials?|access token|secret|bearer token|authorization header)|missing secret\b|no api[_ -]?key|\b[A-Z][A-Z0-9_]*_(?:API_KEY|TOKEN|SECRET)\b[^\n]{0,40}(?:missing|not set|not found|unset|empty|required)|you didn(?:'|’)t provide an api key|secret [`'"]?[\w-]+[`'"]? (?:is )?not (?:set|found)|no (?:auth|authentication) credentials|authentication (?:is )?required|requires authentication|no credentials (?:were )?(?:found|provided)/i,
    'systemic',
    0.94,
  ),
  p(
    'auth.rejected',
    /api[_ -]?key (?:not valid|is invalid|invalid|expired|revoked|has been (?:revoked|disabled|deleted))|invalid[_ ](?:api[_ -]?key|x-api-key|credentials|(?:access|auth|bearer|api|refresh|session|oauth|id)[_ ]token|authentication|bearer|auth|client)|\b401\b[^\n]{0,30}invalid token|invalid token[^\n]{0,30}\b401\b|incorrect api key|invalid_grant|unauthori[sz]ed_client|token (?:has )?(?:been )?(?:expired|revoked)|expired (?:token|credentials|session)|jwt (?:expired|malformed)|(?:access|refresh|auth) token (?:is )?(?:invalid|expired|revoked)|authentication_error|authentication fail(?:ed|ure)|\bunauthori[sz]ed\b|bad credentials|credentials (?:have )?expired|cookies? (?:have |has |are )?(?:expired|no longer valid|invalid)|(?:export|refresh|provide) (?:fresh |new |valid )?cookies|(?:session|login) (?:has )?expired|not logged in|re-?authenticate|permission_denied|\bPERMISSION_DENIED\b|access (?:is )?denied for (?:user|project|key|api)|forbidden: (?:invalid|missing) (?:token|key)|signature (?:does not match|mismatch)|SignatureDoesNotMatch|InvalidAccessKeyId|the security token included in the request is (?:invalid|expired)|request had invalid authentication credentials|account (?:has been |is |was )?(?:reported as |currently |temporarily )?(?:suspended|disabled|deactivated|banned|terminated|locked)|(?:is )?not enabled for (?:trading|this|api|the)|organization (?:has been )?(?:disabled|deactivated|must be verified)|must be verified to use|key (?:is )?(?:disabled|suspended)|credentials do not allow|(?:credentials|key|token) (?:does|do) not (?:allow|have (?:access|permission|the required))|grant your api key|insufficient[_ ](?:scope|permissions?|privileges)|permissions? (?:are|is) (?:not sufficient|insufficient)|missing (?:scope|permission)s?\b|(?:account|user|key|client) (?:is )?not (?:allowed|permitted|authori[sz]ed) to|\bpermission denied\b|keyring|keychain|secret service|org\.freedesktop\.(?:DBus|secrets)|libsecret|gnome-keyring/i,
    'systemic',
    0.92,
  ),
  p(
    'access.service-disabled',
    /has not been used in project|(?:api|service) (?:is |has been )?disabled|SERVICE_DISABLED|accessNotConfigured|enable (?:it|the api) by visiting|does not have (?:access|permission) to (?:the )?(?:model|project|resource|api)|not (?:allowed|authorized|permitted) to (?:access|use) (?:this )?(?:model|api|endpoint|resource)|you do not have access to (?:this )?(?:model|organization|project)|not available in your (?:region|country)|unsupported_country_region_territory|region (?:is )?not supported/i,
    'systemic',
    0.91,
  ),
  p(
    'access.plan',
    /(?:essential|basic|free|elevated|standard) access (?:level|which|only|does not)|(?:a )?different access level|access level[^\n]{0,40}(?:required|does not|insufficient)|not (?:included|available) (?:in|on|with) your (?:plan|tier|access level|subscription)|(?:is|are)n?(?:'|’)?t? not subscribed|not subscribed to|market data (?:is )?not subscribed|subscription (?:is )?(?:required|expired|inactive|not active)|not entitled|no (?:market data )?permissions? for|account (?:is )?(?:closed|restricted|frozen|not (?:active|enabled|approved|verified))|trading (?:is )?disabled|provider not (?:provided|found|supported|configured)|llm provider not provided|unknown (?:llm )?provider|no (?:llm )?provider (?:configured|found)|forbidden by administrative rules/i,
    'systemic',
    0.88,
  ),
  p(
    'block.challenge',
    /just a moment\.\.\.|attention required!? \|? ?cloudflare|cf-browser-verification|cf[_-]chl|challenge-platform|checking (?:if the site connection is secure|your browser before accessing)|enable javascript and cookies to continue|(?:verify|confirm|prove) (?:that )?you are (?:a )?human|are you a (?:robot|human)|captcha|recaptcha|hcaptcha|px-captcha|perimeterx|datadome|sorry, you have been blocked|you have been blocked|request (?:was )?blocked|access to this page has been denied|automated (?:queries|requests|access|traffic|tools?)|unusual traffic from your (?:computer|network)|bot (?:detection|protection|check)|detected (?:as )?(?:a )?bot|sign in to confirm you(?:'|’)re not a bot|not a robot|ddos protection|incapsula|akamai reference|the request could not be satisfied|blocked (?:due to|by) (?:a |an |our )?(?:network |security |firewall )?(?:policy|rules?|firewall|security)|\b403\b[^\n]{0,15}\bblocked\b|\bblocked\b[^\n]{0,15}\b403\b|access denied|AccessDenied|(?:block|deny|restrict)\w* access from your (?:country|region|location|network|ip)/i,
    'systemic',
    0.9,
    { tag: 'block' },
  ),
  p(
    'block.login-wall',
    /login[_ ]wall|please (?:log|sign) ?in(?: again)?\b|redirect(?:ed|ing)? to (?:a |the )?(?:sign[- ]?in|log[- ]?in)|sign[- ]?in (?:is )?required|log[- ]?in (?:is )?required|you must (?:be )?(?:logged|signed) in|(?:log|sign) in to (?:continue|view|read|access|see)|subscribe to (?:continue|read)|members? only content|paywall(?:ed)?/i,
    'systemic',
    0.85,
    { tag: 'block' },
  ),
  p(
    'local-service-down',
    /is the docker daemon running|cannot connect to the docker daemon|ollama[^\n]{0,80}(?:refused|not running|could not connect|failed to connect|unreachable|not responding)|(?:refused|could not connect|failed to connect)[^\n]{0,80}ollama|host=['"](?:localhost|127\.0\.0\.1|0\.0\.0\.0)['"][^\n]{0,200}(?:refused|NewConnectionError|Max retries exceeded|Failed to establish)|(?:service|server|daemon|database) (?:is )?not running|no such (?:service|container)|connection refused[^\n]{0,60}(?:localhost|127\.0\.0\.1|::1|0\.0\.0\.0)|(?:localhost|127\.0\.0\.1|\[::1\]):\d+[^\n]{0,60}(?:connection refused|ECONNREFUSED|refused)/i,
    'systemic',
    0.92,
  ),
  p(
    'tls',
    /certificate (?:has )?expired|CERT_HAS_EXPIRED|ERR_CERT_[A-Z_]+|self[- ]signed certificate|unable to (?:get local issuer|verify (?:the first|leaf)) certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERTIFICATE_VERIFY_FAILED|certificate verify failed|hostname\/?IP (?:does not|doesn't) match certificate|ERR_TLS_CERT_ALTNAME_INVALID|SSL(?:Error| routines)[^\n]{0,80}(?:certificate|verify)|invalid ssl certificate|wrong version number|unsupported protocol[^\n]{0,30}ssl|tlsv1 alert/i,
    'systemic',
    0.88,
  ),
  p(
    'model-missing',
    /model[^\n]{0,60}(?:does not exist|not found|is not (?:found|available|supported)|has been (?:deprecated|decommissioned|removed)|was decommissioned)|model_not_found|model_decommissioned|unknown model|no such model|invalid model(?: id| name)?|model [`'"][^`'"]+[`'"] not found|pull (?:the )?model first|try pulling it first/i,
    'systemic',
    0.88,
  ),
  p(
    'missing-tool',
    /ffmpeg (?:is )?not (?:found|installed)|ffprobe (?:and ffmpeg )?(?:is )?not (?:found|installed)|command not found|not found in (?:\$?PATH|path)|is not recognized as an internal or external command|no such file or directory[^\n]{0,40}(?:ffmpeg|ffprobe|yt-dlp|python3?|node|chromium|chrome)\b|error while loading shared libraries|cannot open shared object file|library not loaded|(?:executable|browser) doesn(?:'|’)t exist|please install|is not installed|ModuleNotFoundError: No module named ['"](?:yt_dlp|ffmpeg)/i,
    'systemic',
    0.9,
  ),
  p(
    'disk',
    /no space left on device|disk (?:is )?full|database or disk is full|not enough space on the disk|disk quota exceeded|read-only file system|(?:attempt to write a )?read-?only database|permission denied[^\n]{0,80}(?:data|artifacts|tributary|\.db\b|cache|output)/i,
    'systemic',
    0.93,
  ),
  p(
    'memory',
    /out of memory|heap out of memory|allocation failed|cannot allocate memory|MemoryError|OOMKilled|killed \(oom\)/i,
    'systemic',
    0.85,
  ),
  p(
    'corrupt',
    /database disk image is malformed|file is (?:encrypted or )?not a database|SQLITE_CORRUPT|SQLITE_NOTADB/i,
    'systemic',
    0.95,
  ),
  // --- This item: its content, its URL, its size.
  p(
    'item.too-long',
    /context_length_exceeded|maximum context length|context (?:length|window) (?:exceeded|is exceeded|of \d+)|too many (?:input )?tokens|reduce the length of the (?:messages|prompt|input)|prompt is too long|input (?:is )?too long|exceeds? (?:the )?(?:model(?:'|’)s )?(?:maximum |max )?(?:context|token limit|input length)|string too long|request (?:entity )?too large|payload too large|file (?:is )?too (?:large|big)|exceeds the maximum (?:file |upload )?size/i,
    'item_specific',
    0.9,
  ),
  p(
    'item.content-filter',
    /content[_ ]filter|content management policy|content_policy_violation|flagged by (?:our|the) (?:moderation|safety)|safety (?:system|filters?)|responsible ai|finish_?reason[^\n]{0,10}(?:SAFETY|content_filter)|blocked by safety|prohibited content|blocked (?:for reason|due to)[: ]+(?:SAFETY|RECITATION|PROHIBITED|BLOCKLIST|SPII|OTHER)|\bblock_?reason\b|prompt (?:was|is) blocked|prompt_feedback|none were returned|due to recitation|finish_?reason[^\n]{0,15}RECITATION|violates? (?:our )?(?:usage|content) polic(?:y|ies)/i,
    'item_specific',
    0.88,
  ),
  p(
    'item.gone',
    /video unavailable|this video (?:is private|has been removed|is no longer available|is unavailable)|private video|has been (?:deleted|removed)(?: by the (?:uploader|user|author))?|no longer (?:exists|available)|does not exist|doesn(?:'|’)t exist|page not found|not found on this server|resource not found|no such file or directory|could not find (?:the )?(?:file|page|resource|item|post|document|episode|video)|\b(?:404|410) (?:not found|gone)\b|account (?:associated with this video )?has been terminated|(?:recording|replay|vod|archive)[^\n]{0,40}(?:is )?not available|not made this video available in your country|(?:geo[- ]?(?:restricted|blocked)|not available in your (?:country|location))|members[- ]only|join this channel to get access|requires (?:a )?(?:payment|purchase|rental)|sign in to confirm your age|age[- ]restricted|inappropriate for some users|does not have a (?:videos|shorts|streams|live) tab|has no videos|no (?:videos|entries|formats?|transcripts?|captions|subtitles) (?:found|available)|requested format (?:is )?not available|unavailable for legal reasons/i,
    'item_specific',
    0.88,
  ),
  p(
    'item.bad-input',
    /invalid data found when processing input|moov atom not found|could not find codec parameters|invalid (?:url|uri|image|file|input|pdf|document|argument value for url)|unsupported (?:url|format|file (?:type|format)|media type|content[ -]type|image|protocol|codec)|is not a valid url|malformed (?:url|uri|input|document|xml|feed|pdf)|not well-formed|xml (?:syntax|parse|parsing) error|could not parse|failed to parse (?:the )?(?:document|feed|page|pdf|xml|html|file)|(?:document|file|page|body|transcript|pdf) (?:is )?empty|empty (?:document|page|transcript|file|body)|encrypted pdf|pdf (?:is )?encrypted|corrupt(?:ed)? (?:file|input|image|pdf|data)|truncated (?:file|image)|unexpected end of file|invalid (?:byte|utf-?8|encoding|start byte)|UnicodeDecodeError|cannot identify image file|not (?:a valid|an?) (?:image|pdf|zip|audio|video) file|no (?:audio|video) stream|does not contain any stream|invalid content type/i,
    'item_specific',
    0.82,
  ),
  p(
    'item.unparsable',
    /unexpected close tag|invalid character in (?:entity name|tag name|attribute)|non-whitespace before first tag|unclosed root tag|text data outside of root node|attribute without value|unquoted attribute value|mismatched tag|junk after document element|the expected token\s+is|(?:bad|invalid|broken|corrupt)[^\n]{0,20}\bxref\b|\bxref\b[^\n]{0,20}(?:invalid|error|corrupt|not found)|startxref not found|transcripts? (?:is |are )?(?:disabled|not available|unavailable)|broken (?:document|file|pdf)|cannot open broken|failed to (?:transcribe|decode|process) (?:the )?(?:audio|video|media|file|image)|invalid (?:xml|rss|atom|feed)\b|sold out|(?:have|has) been sold|no longer on sale|sale (?:has )?ended|SaleEnded|EOF marker not found|no \/Root object|is this really a pdf|PDFSyntaxError|XMLSyntaxError|SAXParseException|ExpatError|\bParseError\b|instrument (?:is )?(?:disabled|not available|not tradable|suspended)|(?:video|episode|chapter|file|page|post|track|image|media) (?:is )?not available|could not find (?:the )?(?:user|channel|account|playlist|show|series|chapter|manga|episode)|invalid (?:master |playlist |stream |manifest )?(?:url|uri|playlist|manifest|m3u8)\b|trailer not found|(?:invalid|bad|corrupt) pdf|no pdf header|(?:is|are) (?:not supported|unsupported)\b|invalid (?:symbol|ticker|pair|instrument|market|currency|asset|isin)|(?:symbol|ticker|pair|instrument|asset|currency) (?:is )?(?:invalid|unknown|not found|not supported|delisted)|unknown (?:symbol|currency|cryptocurrency|ticker|instrument|asset)|\bdelisted\b/i,
    'item_specific',
    0.84,
  ),
  // --- Our own code is wrong: the same crash on every retry.
  p(
    'code.request-shape',
    /invalid schema for (?:response_format|function|tool)|invalid json schema|unrecognized request argument|unsupported (?:parameter|value)|unknown parameter|extra (?:inputs|fields) (?:are )?not permitted|additional properties are not allowed|must contain the word ['"]?json|invalid (?:type|value) for ['"`]?(?:messages|tools?|tool_choice|response_format|model|temperature|max_tokens|role|content)|(?:messages|roles) must alternate|invalid_request_error[^\n]{0,200}(?:param|parameter|schema|field|property|argument)|is not supported (?:with|for|by) this model|does not support (?:parameter|the parameter|json_schema|response_format|tools|images|system)|['"`]?\w+['"`]? is a required property|missing required (?:parameter|field|argument|property)|required (?:parameter|field|property) ['"`]\w+['"`] (?:is )?missing|schema (?:validation )?(?:error|failed) in request|invalid json payload received|unknown name ["'\\]*\w+["'\\]* at|tool_use[^\n]{0,60}tool_result|tool_call_id|must be followed by tool (?:messages|results)|['"`][\w.]+['"`] is not of type ['"`]\w+['"`]|invalid value at ['"`]request\.|must alternate between (?:the )?(?:user|assistant)|conversation must (?:start|alternate|end)|\bmax_tokens\b[^\n]{0,40}(?:too large|greater than|maximum|> ?\d)/i,
    'code_bug',
    0.88,
  ),
  p(
    'code.sqlite',
    /(?:UNIQUE|NOT NULL|FOREIGN KEY|CHECK|PRIMARY KEY) constraint failed|has \d+ columns but \d+ values were supplied|(?:column|relation|table) ["'`]?[\w.]+["'`]? does not exist|Undefined(?:Column|Table|Function)|syntax error at or near|psycopg2?\.errors\.\w+|duplicate key value violates|violates (?:not-null|foreign key|check) constraint|SQLITE_CONSTRAINT|no such (?:table|column|function)|has no column named|near ["'][^"']*["']: syntax error|too many SQL variables|IntegrityError|ProgrammingError|datatype mismatch/i,
    'code_bug',
    0.9,
  ),
  p(
    'code.js',
    /cannot read propert(?:y|ies) of (?:undefined|null)|cannot set propert(?:y|ies) of (?:undefined|null)|is not a function|is not a constructor|is not defined|is not iterable|cannot access ['"`][^'"`]*['"`] before initialization|assignment to constant variable|maximum call stack size exceeded|invalid array length|cannot destructure|reduce of empty array with no initial value|ERR_INVALID_ARG_(?:TYPE|VALUE)|ERR_MODULE_NOT_FOUND|cannot find (?:module|package) ['"`]|the ["']\w+["'] argument must be|invalid regular expression|unexpected token [^\n]{0,30} in (?!json)|AssertionError|assertion failed|require\(\) of ES modules? is not supported|cannot be called from a running event loop|event loop is closed|\w+ is required for this request|must use import to load ES module|ERR_REQUIRE_ESM/i,
    'code_bug',
    0.86,
  ),
  // --- Passing trouble: retry soon.
  p(
    'transient.server',
    /internal server error|bad gateway|gateway time-?out|service (?:temporarily )?unavailable|temporarily unavailable|upstream (?:connect error|request timeout|prematurely closed)|disconnect\/reset before headers|server (?:is )?(?:overloaded|busy|at capacity)|overloaded(?:_error)?|the server had an error|an? (?:internal|unexpected|unknown) error (?:has )?occurred|web server (?:returned an unknown error|is down)|origin (?:is )?unreachable|connection timed out|a timeout occurred|try again later|please retry|needs to be retried|retry (?:your request|later|the request)|InternalServerError|ServiceUnavailable|InternalError|bandwidth limit|capacity (?:exceeded|constraints)/i,
    'transient',
    0.75,
  ),
  p(
    'transient.network',
    /socket hang up|connection (?:was )?(?:reset|aborted|closed|lost|dropped)(?: by peer)?|ECONNRESET|ETIMEDOUT|EPIPE|broken pipe|network (?:error|is unreachable|is down|timeout|changed)|name resolution|temporary failure in name resolution|could not resolve host|getaddrinfo|nodename nor servname|name or service not known|no address associated with hostname|failed to resolve|NameResolutionError|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_CONNECTION_(?:RESET|CLOSED|TIMED_OUT|REFUSED|ABORTED)|ERR_ADDRESS_UNREACHABLE|max retries exceeded with url|failed to establish a new connection|connection refused|remote end closed connection|RemoteDisconnected|IncompleteRead|incomplete read|premature close|(?:read|connect|request|operation|navigation) timed? ?out|timeout \d+ ?ms exceeded|timed out after|did not get any data blocks|unable to download (?:webpage|video data|json metadata)|fetch failed|network ?error|tls (?:connection|handshake) (?:was )?(?:reset|closed|timed out)|before secure tls connection was established/i,
    'transient',
    0.72,
    { tag: 'network' },
  ),
  p(
    'transient.download',
    /the downloaded file is empty|download (?:was )?interrupted|unable to download fragment/i,
    'transient',
    0.88,
  ),
  p(
    'transient.locked',
    /database is locked|SQLITE_BUSY|resource busy|EBUSY|try again \(EAGAIN\)|lock wait timeout/i,
    'transient',
    0.85,
  ),
  p(
    'transient.bad-answer',
    /unexpected token ['"]?<['"]?|is not valid json|unexpected end of (?:json )?input|JSONDecodeError|expecting value: line 1 column 1|invalid json (?:response|body)|not json/i,
    'transient',
    0.6,
  ),
];
