import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../electron/engine/discovery/normalizeUrl.ts';
import {
  hostMatches,
  routeUrl,
  type RoutesConfig,
} from '../../electron/engine/discovery/routes.ts';

const routes: RoutesConfig = {
  rules: [
    { host: 'youtube.com', path: '^/watch', job: 'yt-videos' },
    { host: 'youtube.com', path: '^/@', job: 'yt-channels' },
    { host: '*.substack.com', job: 'newsletters' },
    { path: '\\.pdf$', job: 'papers' },
  ],
};

describe('normalizeUrl', () => {
  it('strips tracking parameters by rule so one page is one item', () => {
    expect(
      normalizeUrl('https://Example.com:443/a?utm_source=x&utm_medium=y&id=3&fbclid=z&gclid=q#top'),
    ).toBe('https://example.com/a?id=3');
  });

  it('sorts the remaining parameters and keeps repeated names in order', () => {
    expect(normalizeUrl('http://x.org/p?b=2&a=1&b=1')).toBe('http://x.org/p?a=1&b=2&b=1');
  });

  it('keeps the path as written, trailing slash included', () => {
    expect(normalizeUrl('https://x.org/a/')).toBe('https://x.org/a/');
    expect(normalizeUrl('https://x.org')).toBe('https://x.org/');
  });

  it('drops credentials and the fragment', () => {
    expect(normalizeUrl('https://u:p@x.org/a#b')).toBe('https://x.org/a');
  });

  it('refuses anything but http(s)', () => {
    expect(() => normalizeUrl('ftp://x.org/a')).toThrow(/only http\(s\)/);
    expect(() => normalizeUrl('javascript:alert(1)')).toThrow(/only http\(s\)/);
    expect(() => normalizeUrl('not a url')).toThrow(/not a valid URL/);
  });
});

describe('routeUrl', () => {
  it('sends a URL to the first matching rule', () => {
    const r = routeUrl('https://www.youtube.com/watch?v=abc&si=share&utm_source=tw', routes);
    expect(r).toMatchObject({ jobId: 'yt-videos', rule: 0 });
    expect('normalized' in r && r.normalized).toBe('https://www.youtube.com/watch?si=share&v=abc');
  });

  it('matches a host and its subdomains, but not a look-alike host', () => {
    expect(hostMatches('youtube.com', 'm.youtube.com')).toBe(true);
    expect(hostMatches('youtube.com', 'youtube.com')).toBe(true);
    expect(hostMatches('youtube.com', 'notyoutube.com')).toBe(false);
    expect(hostMatches('*.substack.com', 'substack.com')).toBe(false);
    expect(hostMatches('*.substack.com', 'a.substack.com')).toBe(true);
  });

  it('tests the path rule against path and query', () => {
    expect(routeUrl('https://youtube.com/@someone', routes)).toMatchObject({
      jobId: 'yt-channels',
    });
    expect(routeUrl('https://arxiv.org/pdf/1234.pdf', routes)).toMatchObject({ jobId: 'papers' });
  });

  it('sends an unmatched URL to the default job when there is one', () => {
    expect(routeUrl('https://example.org/x', { ...routes, default: 'inbox' })).toMatchObject({
      jobId: 'inbox',
      rule: 'default',
    });
  });

  it('refuses an unmatched URL with a message listing the routes', () => {
    const r = routeUrl('https://example.org/x', routes);
    expect('refused' in r && r.refused).toMatch(/no route matches example\.org\/x/);
    expect('refused' in r && r.refused).toMatch(/youtube\.com path ~ \/\^\/watch\/ → yt-videos/);
  });

  it('refuses when no routes are configured, saying so', () => {
    const r = routeUrl('https://example.org/x', undefined);
    expect('refused' in r && r.refused).toMatch(/no `routes:` are configured/);
  });

  it('refuses non-http URLs before routing', () => {
    expect(routeUrl('mailto:a@b.c', { rules: [], default: 'inbox' })).toMatchObject({
      refused: expect.stringMatching(/only http\(s\)/),
    });
  });
});
