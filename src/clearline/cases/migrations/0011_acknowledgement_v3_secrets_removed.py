"""Acknowledgement v3: v2 plus, when intake removed a pasted secret, why and what to do (CRY-03), en/es/ro.

New variable: secrets_removed (true when a recovery phrase, private key or card number was redacted).
"""

from django.db import migrations

SECRETS_REMOVED = {
    "en": (
        "Your message contained what looks like a recovery phrase, a private key or a card number. We removed it "
        "before saving your message, so that no one, including our staff, can see it. If you shared it anywhere "
        "else, move your funds to a new wallet now."
    ),
    "es": (
        "Su mensaje contenía lo que parece una frase de recuperación, una clave privada o un número de tarjeta. Lo "
        "eliminamos antes de guardar su mensaje, para que nadie, ni siquiera nuestro personal, pueda verlo. Si lo "
        "compartió en otro lugar, traslade ahora sus fondos a una billetera nueva."
    ),
    "ro": (
        "Mesajul dvs. conținea ceva ce pare a fi o frază de recuperare, o cheie privată sau un număr de card. L-am "
        "eliminat înainte de a salva mesajul, astfel încât nimeni, nici măcar personalul nostru, să nu-l poată "
        "vedea. Dacă l-ați partajat în altă parte, mutați-vă acum fondurile într-un portofel nou."
    ),
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("cases", "MessageTemplate")
    for language, warning in SECRETS_REMOVED.items():
        previous = (
            MessageTemplate.objects.filter(key="acknowledgement", language=language)
            .order_by("-version")
            .first()
        )
        if previous is None:
            continue
        MessageTemplate.objects.update_or_create(
            key="acknowledgement",
            language=language,
            version=previous.version + 1,
            defaults={
                "subject": previous.subject,
                "body": "{% if secrets_removed %}" + warning + "\n\n{% endif %}" + previous.body,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "MessageTemplate").objects.filter(
        key="acknowledgement", body__startswith="{% if secrets_removed %}"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_transaction_receipt_contact")]
    operations = [migrations.RunPython(load, unload)]
