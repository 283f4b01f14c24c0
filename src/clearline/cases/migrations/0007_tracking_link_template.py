"""The one-time status link email (DFS-19), en/es/ro. Variables: reference, link."""

from django.db import migrations

TRACKING_LINK = {
    "en": (
        "Your link to case {{ reference }}",
        "Hello,\n\nHere is your link to see the status of case {{ reference }} and to reply to us. It works once "
        "and for 24 hours:\n\n{{ link }}\n\nIf you did not ask for it, you can ignore this message.",
    ),
    "es": (
        "Su enlace al caso {{ reference }}",
        "Hola:\n\nAquí tiene su enlace para ver el estado del caso {{ reference }} y respondernos. "
        "Funciona una vez y durante 24 horas:\n\n{{ link }}\n\nSi no lo ha pedido, puede ignorar este mensaje.",
    ),
    "ro": (
        "Linkul dvs. către cazul {{ reference }}",
        "Bună ziua,\n\nIată linkul pentru a vedea starea cazului {{ reference }} și a ne răspunde. "
        "Funcționează o singură dată, timp de 24 de ore:\n\n{{ link }}\n\n"
        "Dacă nu l-ați cerut, puteți ignora acest mesaj.",
    ),
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("cases", "MessageTemplate")
    for language, (subject, body) in TRACKING_LINK.items():
        MessageTemplate.objects.update_or_create(
            key="tracking_link", language=language, version=1, defaults={"subject": subject, "body": body}
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "MessageTemplate").objects.filter(key="tracking_link", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_tracking_request")]

    operations = [migrations.RunPython(load, unload)]
