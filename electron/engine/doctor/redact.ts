/**
 * Error messages sometimes quote credentials (a URL with `?key=`, "Incorrect API key
 * provided: sk-…", an Authorization header). Secrets never reach the database, logs or the
 * LLM, so every message the doctor stores or sends passes through the process's redactor
 * (secrets/Redactor.ts): exact values the engine handed out, then well-known key formats.
 */
export { redact } from '../secrets/Redactor.ts';
