"""Reads the breadcrumb trail (base.html's <nav aria-label="현재 위치">) out of a page."""

import re
from html import unescape

NAV = re.compile(r'<nav class="breadcrumbs" aria-label="현재 위치">(.*?)</nav>', re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)
LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


def trail_in(html: str) -> list[tuple[str, str | None]]:
    """[(label, url)], the current page last with url None; [] when the page has no trail."""
    found = NAV.findall(html)
    assert len(found) <= 1, "more than one breadcrumb trail"
    if not found:
        return []
    crumbs = []
    for item in ITEM.findall(found[0]):
        link = LINK.search(item)
        if link:
            crumbs.append((unescape(link.group(2).strip()), unescape(link.group(1))))
        else:
            assert 'aria-current="page"' in item
            crumbs.append((unescape(re.sub(r"<[^>]+>", "", item).strip()), None))
    assert crumbs[-1][1] is None and all(url for _, url in crumbs[:-1])
    return crumbs
