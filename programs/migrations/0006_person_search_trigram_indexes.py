from django.db import migrations

from guro_sme.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_registration_consent_person_erased"),
    ]

    operations = [
        trigram_indexes(
            "programs_person",
            {"person_name_trgm": "UPPER(name::text)", "person_phone_trgm": "phone"},
        ),
    ]
