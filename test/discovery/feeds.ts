/** Real-world-shaped feed, sitemap and page bodies for the fixture server. */
export const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Example Engineering Blog</title>
    <link>https://blog.example.com/</link>
    <atom:link href="https://blog.example.com/feed.xml" rel="self" type="application/rss+xml"/>
    <description>Posts</description>
    <item>
      <title>Scaling SQLite to a million rows &amp; beyond</title>
      <link>https://blog.example.com/posts/sqlite?utm_source=rss&amp;utm_medium=feed</link>
      <guid isPermaLink="false">post-1001</guid>
      <pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
      <dc:creator>Ada</dc:creator>
      <category>databases</category>
      <category>performance</category>
      <description><![CDATA[<p>How we did it.</p>]]></description>
    </item>
    <item>
      <title>No guid here</title>
      <link>https://blog.example.com/posts/no-guid</link>
      <pubDate>Mon, 01 Jan 2024 09:00:00 GMT</pubDate>
    </item>
    <item>
      <title>Neither guid nor link</title>
    </item>
  </channel>
</rss>`;

export const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Atom</title>
  <id>urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6</id>
  <updated>2024-01-03T18:30:02Z</updated>
  <entry>
    <title>Atom-Powered Robots Run Amok</title>
    <link href="http://example.org/2003/12/13/atom03"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2024-01-03T18:30:02Z</updated>
    <summary>Some text.</summary>
    <author><name>John Doe</name></author>
    <category term="robots"/>
  </entry>
  <entry>
    <title>Second</title>
    <link rel="alternate" href="http://example.org/2003/12/14/second"/>
    <id>tag:example.org,2003:3.2398</id>
    <updated>2024-01-04T18:30:02Z</updated>
  </entry>
</feed>`;

export const JSON_FEED = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'My Example Feed',
  home_page_url: 'https://example.org/',
  feed_url: 'https://example.org/feed.json',
  items: [
    {
      id: '2',
      content_text: 'This is a second item.',
      url: 'https://example.org/second-item',
      tags: ['news'],
      authors: [{ name: 'Brent' }],
    },
    { id: 1, content_html: '<p>Hello, world!</p>', url: 'https://example.org/initial-post' },
    { url: 'https://example.org/only-url', title: 'Only a URL' },
  ],
});

export const LOGIN_PAGE = `<!DOCTYPE html>
<html><head><title>Sign in</title></head>
<body><form action="/login" method="post">
<input type="text" name="user"><input type="password" name="pass">
<button>Sign in</button></form></body></html>`;

export const PLAIN_HTML = `<!doctype html><html><head><title>Welcome</title></head><body><h1>Our site</h1></body></html>`;

export function urlset(urls: { loc: string; lastmod?: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.map((u) => `  <url><loc>${u.loc}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ''}<changefreq>daily</changefreq></url>`).join('\n')}
</urlset>`;
}

export function sitemapIndex(children: { loc: string; lastmod?: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${children.map((c) => `  <sitemap><loc>${c.loc}</loc>${c.lastmod ? `<lastmod>${c.lastmod}</lastmod>` : ''}</sitemap>`).join('\n')}
</sitemapindex>`;
}

export const LINKS_PAGE = `<!doctype html>
<html><head><base href="/news/"></head><body>
<nav><a href="/about">About</a><a href="mailto:hi@example.org">Mail</a></nav>
<main>
  <article><h2><a class="story" href="story-1?utm_campaign=x">  First   story </a></h2></article>
  <article><h2><a class="story" href="https://other.example.net/story-2">Second story</a></h2></article>
  <article><h2><a class="story" href="story-1">First story again</a></h2></article>
  <article><h2><a class="story" href="javascript:void(0)">Broken</a></h2></article>
  <article><h2><a class="story" href="/news/sponsored/ad-1">Sponsored</a></h2></article>
</main></body></html>`;
