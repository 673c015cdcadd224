"""The breadcrumb trail of every page (홈 › section › page), derived, not written per template.

The section comes from the URL the page was reached by (`request.resolver_match`: its app
namespace, or for the core's and the committee's pages the start of the URL name) and links to
the section's index; the page is its title (the `title` the view passes, or the template's title
block). A page nested under another passes `breadcrumbs`, a list of (label, url) that goes between
the section and the page:

    "breadcrumbs": [(call.title, call.get_absolute_url())],

A crumb whose page the user's roles may not open (the view's `@role_required`) is left out, so
a trail never links to a 403. Nothing here queries the database (roles are cached on the user).
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from .roles import has_role

HOME_LABEL = "홈"


@dataclass(frozen=True)
class Section:
    label: str
    index: str  # the URL name of the section's first page
    namespace: str = ""
    url_names: tuple[str, ...] = ()  # starts of URL names (within the namespace) that belong here


# First match wins: the committee's pages live in the loans namespace, so they come first.
SECTIONS: tuple[Section, ...] = (
    Section("기금운용심의위원회", "loans:meeting_list", "loans", ("meeting", "committee_")),
    Section("저리융자", "loans:index", "loans"),
    Section("사후관리", "aftercare:arrears", "aftercare"),
    Section("마케팅 지원", "marketing:index", "marketing"),
    Section("KOTRA 지사화", "kotra:index", "kotra"),
    Section("경영지원사업", "programs:index", "programs"),
    Section("보고서", "reports:index", "reports"),
    Section("엑셀 가져오기", "imports:index", "imports"),
    Section("내려받기 작업", "jobs:list", "jobs"),
    Section("기업", "firm_list", "", ("firm_",)),
    Section("접속기록", "access_log", "", ("access_log",)),
)

# Pages that show no trail: home itself, and the pages before or around signing in.
NO_TRAIL = frozenset({"home", "login", "logout", "otp_verify"})


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""  # "" for the current page


def section_of(match) -> Section | None:
    if match is None:
        return None
    namespace = match.namespace or ""
    for section in SECTIONS:
        if section.namespace != namespace:
            continue
        if not section.url_names or (match.url_name or "").startswith(section.url_names):
            return section
    return None


def _may_open(user, url: str) -> bool:
    try:
        view = resolve(url.split("?", 1)[0]).func
    except Resolver404:
        return True  # not one of ours to judge (an absolute or outside address)
    roles = getattr(view, "allowed_roles", None)
    return roles is None or has_role(user, *roles)


def trail(request, title: str = "", parents=()) -> list[Crumb]:
    """홈, the section, the parents a view passed, then the page (no link). Empty on home."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name in NO_TRAIL or not getattr(request.user, "is_authenticated", False):
        return []
    user = request.user
    crumbs = [Crumb(HOME_LABEL, reverse("home"))]
    section = section_of(match)
    title = " ".join(str(title).split())
    if section is not None:
        try:
            index_url = reverse(section.index)
        except NoReverseMatch:  # pragma: no cover - a section names its index by a known URL
            index_url = ""
        if match.view_name == section.index:
            return [*crumbs, Crumb(section.label)]
        if index_url and _may_open(user, index_url):
            crumbs.append(Crumb(section.label, index_url))
    for label, url in parents or ():
        if url and not _may_open(user, url):
            continue
        crumbs.append(Crumb(str(label), url or ""))
    if title:
        crumbs.append(Crumb(title))
    elif len(crumbs) > 1:  # no title: the last crumb is where we are
        crumbs[-1] = Crumb(crumbs[-1].label)
    else:
        return []
    return crumbs
