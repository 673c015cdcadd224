"""One pattern for actions that cannot be undone: ask once, saying what will happen.

The page's button is a normal POST form marked `data-confirm="<what will happen>"`. With JavaScript,
static/js/app.js opens a <dialog> with that sentence and submits the form with `confirmed=1` when the
user agrees. Without JavaScript the form arrives without `confirmed`, and the view answers with
`confirm_page(...)`: a page that says what will happen and posts the same fields again with
`confirmed=1`. A GET of the action's URL shows the same page. Nothing changes until `confirmed=1`.

    if not is_confirmed(request):
        return confirm_page(request, title=..., consequence=..., confirm_label=..., cancel_url=...)
"""

from django.shortcuts import render

CONFIRMED = "confirmed"


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


def confirm_page(
    request,
    *,
    title: str,
    consequence: str,
    confirm_label: str,
    cancel_url: str,
    hidden: dict | None = None,
    reason: str = "",  # "" no reason; "optional" or "required": a 사유 field on the page
    style: str = "danger",
):
    """The no-JavaScript confirmation step: posts back to this URL with confirmed=1."""
    fields = {name: [value] for name, value in (hidden or {}).items()}
    # Keep what the first form sent (e.g. the action name, every ticked checkbox), except the token
    # and the reason.
    sent = request.POST if request.method == "POST" else request.GET
    fields.update({k: v for k, v in sent.lists() if k not in ("csrfmiddlewaretoken", "reason")})
    fields.pop(CONFIRMED, None)
    return render(
        request,
        "includes/confirm_page.html",
        {
            "title": title,
            "consequence": consequence,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "hidden": [(name, value) for name, values in fields.items() for value in values],
            "reason": reason,
            "reason_value": (request.POST.get("reason") or request.GET.get("reason") or "").strip(),
            "button_class": {"danger": "button danger", "primary": "button"}.get(style, "button danger"),
        },
    )
