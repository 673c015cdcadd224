"""The breadcrumb trail in base.html (see guro_sme/breadcrumbs.py) and the tag that keeps the
page's title block for it."""

from html import unescape

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from guro_sme.breadcrumbs import trail

register = template.Library()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)  # a block inside is still overridden by the child template

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        output = self.nodelist.render(context).strip()
        context[self.name] = mark_safe(output)  # already escaped when rendered
        return output


@register.tag
def capture(parser, token):
    """{% capture name %}...{% endcapture %}: renders its content in place and keeps it as `name`."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("capture takes one name: {% capture name %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """홈 › section › page for the page being rendered; nothing on home."""
    request = context.get("request")
    if request is None:
        return {"crumbs": []}
    title = context.get("page_title") or context.get("title") or ""
    return {"crumbs": trail(request, unescape(strip_tags(str(title))), context.get("breadcrumbs") or ())}
