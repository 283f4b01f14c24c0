"""The message a customer gets when a duplicate case is merged into another (PRD-04), en/es/ro.

Variables: reference (the duplicate), continues_as (the case that continues), org, track_url, website.
"""

from django.db import migrations

TEXTS = {
    "en": (
        "[{{ reference }}] Continued under {{ continues_as }}",
        "Hello,\n\nYou wrote to us about the same matter more than once, so we have joined your request "
        "{{ reference }} to {{ continues_as }}. Nothing is lost: we answer everything under {{ continues_as }} "
        "from now on. Please use that reference if you contact us about it.\n\n{{ org.name }} Customer Service",
    ),
    "es": (
        "[{{ reference }}] Continúa como {{ continues_as }}",
        "Hola:\n\nNos escribió más de una vez sobre el mismo asunto, así que hemos unido su solicitud "
        "{{ reference }} a {{ continues_as }}. No se pierde nada: desde ahora respondemos todo en "
        "{{ continues_as }}. Use esa referencia si nos contacta al respecto.\n\nAtención al cliente de "
        "{{ org.name }}",
    ),
    "ro": (
        "[{{ reference }}] Continuă ca {{ continues_as }}",
        "Bună ziua,\n\nNe-ați scris de mai multe ori despre aceeași problemă, așa că am unit solicitarea "
        "{{ reference }} cu {{ continues_as }}. Nu se pierde nimic: de acum răspundem la tot în "
        "{{ continues_as }}. Vă rugăm să folosiți această referință dacă ne contactați în legătură cu ea."
        "\n\nServiciul clienți {{ org.name }}",
    ),
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("cases", "MessageTemplate")
    for language, (subject, body) in TEXTS.items():
        MessageTemplate.objects.update_or_create(
            key="case_merged", language=language, version=1, defaults={"subject": subject, "body": body}
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "MessageTemplate").objects.filter(key="case_merged").delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_case_merged_into")]
    operations = [migrations.RunPython(load, unload)]
