"""`load_demo` builds the demo from the seed and can run again without changing anything."""

from django.apps import apps
from django.core.management import call_command

from guro_sme.models import DistrictProfile, Firm, Organization


def row_counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if not m._meta.label.startswith("sessions")
    }


def test_load_demo_is_idempotent_loads_the_seed_firms_and_one_login_per_role(demo_state, client):
    # The first load_demo is the shared "everything" state (built by load_demo); pytest runs with
    # DEBUG=False.
    demo_state("everything")
    first = row_counts()
    call_command("load_demo", allow_production=True)
    second = row_counts()
    changed = {label: (first[label], second[label]) for label in first if first[label] != second[label]}
    assert changed == {}
    assert DistrictProfile.current().district_name == "구로구"
    assert Organization.objects.filter(name="우리은행", kind="bank").exists()
    assert Firm.objects.filter(name="(주)한드림넷", representative="서현원").exists()
    for username in ("staff", "manager", "member1"):
        response = client.post("/login/", {"username": username, "password": "guro1234!"})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200
        client.logout()
