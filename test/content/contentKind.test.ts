import { describe, expect, it } from 'vitest';
import { chooseFormat, sniffBinary } from '../../electron/engine/builtins/contentKind.ts';
import {
  detectBlockPage,
  detectLoginForm,
  detectLoginRedirect,
  loginUrlEvidence,
} from '../../workers/tasks/detectBlockPage.ts';
import { extractText } from '../../workers/tasks/extractText.ts';
import { article } from './fixtures/pages.ts';

const buf = (s: string | number[]) =>
  typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s);

describe('sign-in URLs', () => {
  it.each([
    'https://example.com/login',
    'https://example.com/login?next=%2Fpost%2F1',
    'https://example.com/signin',
    'https://example.com/sign-in',
    'https://example.com/sign_in',
    'https://example.com/account/login',
    'https://accounts.google.com/accounts/ServiceLogin?continue=https://x.org/a',
    'https://example.com/auth/realms/main/protocol/openid-connect/auth',
    'https://example.com/session/new',
    'https://example.com/users/sign_in',
    'https://example.com/wp-login.php?redirect_to=%2Fpost',
    'https://example.com/?returnTo=%2Fpost%2F1',
    'https://example.com/gate?redirect_uri=https%3A%2F%2Fexample.com%2Fcb',
  ])('recognises %s', (url) => {
    expect(loginUrlEvidence(url)).toBeDefined();
  });

  it.each([
    'https://example.com/post/1',
    'https://example.com/blog/auth/jwt-explained',
    'https://example.com/authors/jane',
    'https://example.com/feed?next=2',
    'https://example.com/logins-are-hard',
  ])('leaves %s alone', (url) => {
    expect(loginUrlEvidence(url)).toBeUndefined();
  });

  it('flags a redirect to a sign-in URL, but not a sign-in URL requested on purpose', () => {
    expect(
      detectLoginRedirect('https://e.com/post/1', 'https://e.com/login?next=%2Fpost%2F1'),
    ).toMatchObject({ kind: 'login_wall', evidence: 'redirected to /login' });
    expect(detectLoginRedirect('https://e.com/login', 'https://e.com/login/')).toBeUndefined();
    expect(detectLoginRedirect('https://e.com/a', 'https://e.com/b')).toBeUndefined();
    expect(
      detectLoginRedirect('https://e.com/doc', 'https://login.microsoftonline.com/common/x'),
    ).toMatchObject({ kind: 'login_wall' });
  });
});

describe('sign-in forms', () => {
  const form = `<html><head><title>Log in</title></head><body><h1>Welcome back</h1>
    <form><input name="u"><input type="password" name="p"><input type="submit" value="Log in"></form></body></html>`;

  it('recognises a small page around a password field and sign-in wording', () => {
    expect(detectLoginForm(form)).toMatchObject({ kind: 'login_wall' });
    const onlyButton = `<form><input name="u"><input type=password><input type="submit" value="Sign in"></form>`;
    expect(detectLoginForm(onlyButton)).toMatchObject({ kind: 'login_wall' });
  });

  it('ignores a long article with a login box in its header, and a form without sign-in words', () => {
    const withBox = article().replace(
      '<nav>',
      '<nav><form><input type="password"><button>Sign in</button></form>',
    );
    expect(detectLoginForm(withBox)).toBeUndefined();
    expect(
      detectLoginForm('<form><input type="password"><button>Change passphrase</button></form>'),
    ).toBeUndefined();
  });

  it('recognises a sign-in form’s extracted text, which is short and asks for a password', () => {
    expect(detectBlockPage('Sign in Email Password Forgot password? Sign in')?.kind).toBe(
      'login_wall',
    );
    expect(
      detectBlockPage(`${'How to choose a good password. '.repeat(30)} Log in`),
    ).toBeUndefined();
  });
});

describe('format: auto', () => {
  it.each([
    ['text/html; charset=utf-8', '<p>x</p>', { format: 'html' }],
    ['text/markdown', '# T', { format: 'text', markdown: true }],
    ['text/plain', 'hello', { format: 'text' }],
    ['text/plain', '<!doctype html><html><body>x', { format: 'html' }],
    ['text/plain', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi', { format: 'vtt' }],
    [undefined, '1\n00:00:01,000 --> 00:00:02,000\nhi', { format: 'srt' }],
    [undefined, 'just words', { format: 'text' }],
    ['application/octet-stream', '<html><body>x</body></html>', { format: 'html' }],
    ['application/pdf', '%PDF-1.7\n', { unsupported: 'application/pdf', binary: true }],
    ['text/html', '%PDF-1.7\n', { unsupported: 'application/pdf', binary: true }],
    ['application/json', '{"a":1}', { unsupported: 'application/json', binary: false }],
  ])('reads %s starting %j as %j', (type, head, expected) => {
    expect(chooseFormat(type, buf(head))).toEqual(expected);
  });

  it('tells binaries by their bytes', () => {
    expect(sniffBinary(buf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffBinary(buf([0x41, 0x00, 0x42]))).toBe('binary data');
    expect(sniffBinary(buf('Grüße aus Köln'))).toBeNull();
  });
});

describe('plain text and Markdown extraction', () => {
  it('takes the title from front matter, else the first heading, else the first line', () => {
    expect(extractText('---\ntitle: "From front matter"\n---\n# Heading\n\nBody.').title).toBe(
      'From front matter',
    );
    expect(extractText('Intro line\n\n## Heading two\n\nBody.', { markdown: true }).title).toBe(
      'Heading two',
    );
    expect(extractText('Setext title\n============\n\nBody text.').title).toBe('Setext title');
    expect(extractText('First line of a note\nsecond line').title).toBe('First line of a note');
  });

  it('removes Markdown markup but keeps code, and collects links', () => {
    const doc = extractText(
      '# Notes\n\nSee **bold** and _em_ and `code` and [a link](https://x.org/a "t").\n\n```\nconst a_b = 1;\n```\n\n- item one\n1. item two\n> quoted\n',
    );
    expect(doc.markdown).toBe(true);
    expect(doc.text).toBe(
      'Notes\n\nSee bold and em and code and a link.\n\nconst a_b = 1;\n\nitem one\nitem two\nquoted',
    );
    expect(doc.links).toEqual([{ href: 'https://x.org/a', text: 'a link' }]);
    expect(doc.excerpt).toBe('See bold and em and code and a link.');
    expect(doc.words).toBe(19);
  });

  it('keeps plain text as written and finds its bare URLs', () => {
    const doc = extractText('Report\n\nsnake_case stays, *stars* too: https://x.org/r.', {
      markdown: false,
    });
    expect(doc.text).toBe('Report\n\nsnake_case stays, *stars* too: https://x.org/r.');
    expect(doc.links.map((l) => l.href)).toEqual(['https://x.org/r']);
  });
});
