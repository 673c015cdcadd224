"""Writes to the firm registry. The history row records who changed what (django-simple-history)."""

from django.db import transaction

from .models import Firm


@transaction.atomic
def firm_save(*, firm: Firm, user, reason: str = "") -> Firm:
    """Create or update a firm, validated, with the acting user in its history."""
    firm.full_clean()
    firm._history_user = user
    if reason:
        firm._change_reason = reason
    firm.save()
    return firm
