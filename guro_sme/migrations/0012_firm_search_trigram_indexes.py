from django.db import migrations

from guro_sme.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("guro_sme", "0011_personal_data_consent_and_erasure"),
    ]

    operations = [
        trigram_indexes(
            "guro_sme_firm",
            {
                "firm_name_trgm": "UPPER(name::text)",
                "firm_representative_trgm": "UPPER(representative::text)",
                "firm_business_number_trgm": "business_number",
            },
        ),
    ]
