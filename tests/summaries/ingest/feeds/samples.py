"""Small feeds written for the feed tests, one of each format."""

from __future__ import annotations

RSS_091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="0.91">
<channel>
<title>Caf\xe9 Weekly</title>
<link>http://cafe.example.org/</link>
<description>Coffee news</description>
<language>fr</language>
<item>
<title>Cr\xe8me br\xfbl\xe9e returns</title>
<link>http://cafe.example.org/news/1.html</link>
<description>The dessert is back &amp; better.</description>
</item>
</channel>
</rss>
"""

RSS_10 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://lab.example.net/">
    <title>Lab notes</title>
    <link>https://lab.example.net/</link>
    <description>Preprints</description>
    <items><rdf:Seq><rdf:li rdf:resource="https://lab.example.net/p/42"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://lab.example.net/p/42">
    <title>Fungal genomes, revisited</title>
    <link>https://lab.example.net/p/42</link>
    <description>We sequence &lt;i&gt;things&lt;/i&gt;.</description>
    <dc:creator>Ada Example</dc:creator>
    <dc:date>2023-12-18T09:30:00+09:00</dc:date>
  </item>
</rdf:RDF>
"""

RSS_20 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>The   Daily
     Example</title>
  <link>https://news.example.com/</link>
  <description>All the news that fits</description>
  <item>
    <title>Council approves &lt;b&gt;new&lt;/b&gt; budget &amp;amp; plan</title>
    <link>/2024/03/budget</link>
    <guid isPermaLink="false">tag:news.example.com,2024:budget</guid>
    <pubDate>Tue, 05 Mar 2024 18:30:00 -0500</pubDate>
    <dc:creator>Sam Reporter</dc:creator>
    <description>&lt;p&gt;The council &lt;em&gt;voted&lt;/em&gt; 7&#8211;2.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>The council voted 7&ndash;2 on <a href="/council">Tuesday</a>.</p>
<script>alert("pwned")</script><p>More.</p>]]></content:encoded>
  </item>
  <item>
    <title>Second story</title>
    <link>https://news.example.com/2024/03/second</link>
    <pubDate>Wed, 06 Mar 2024 08:00:00 GMT</pubDate>
    <author>desk@news.example.com (News Desk)</author>
    <description>Plain summary.</description>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/">
  <title type="html">Ideas &amp;amp; Notes</title>
  <link href="https://blog.example.org/"/>
  <link rel="self" href="https://blog.example.org/feed.atom"/>
  <id>urn:uuid:feed-1</id>
  <updated>2024-01-02T10:00:00Z</updated>
  <entry xml:base="/posts/2024/">
    <title>On &lt;em&gt;relative&lt;/em&gt; links</title>
    <link rel="alternate" type="text/html" href="relative-links.html"/>
    <id>urn:uuid:entry-1</id>
    <published>2024-01-01T23:30:00-02:00</published>
    <updated>2024-01-02T10:00:00Z</updated>
    <author><name>Kim Writer</name><email>kim@blog.example.org</email></author>
    <summary>A short &lt;b&gt;summary&lt;/b&gt;.</summary>
    <content type="html">&lt;p&gt;See &lt;img src="pic.png"&gt; here.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Only updated</title>
    <id>urn:uuid:entry-2</id>
    <updated>2024-01-03T12:00:00+01:00</updated>
  </entry>
</feed>
"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Micro &amp; Blog",
    "home_page_url": "https://micro.example.com/",
    "feed_url": "https://micro.example.com/feed.json",
    "authors": [{"name": "Feed Owner"}],
    "items": [
        {
            "id": "2",
            "url": "/2024/05/hello",
            "title": "Hello <script>alert(1)</script>world",
            "content_html": '<p>Hi <a href="/about">there</a></p><script>evil()</script>',
            "summary": "A greeting",
            "date_published": "2024-05-01T12:00:00+02:00",
            "authors": [{"name": "Ann Poster"}, {"name": "Bo Helper"}],
        },
        {
            "id": "1",
            "url": "https://micro.example.com/2024/04/first",
            "content_text": "Just text, no title.",
            "date_published": "not a date",
        },
    ],
}
