"""The contact block for the firm's transaction receipts (NYCRR-10), en/es/ro. Variable: org."""

from django.db import migrations

RECEIPT = {
    "en": (
        "Questions or complaints",
        "Questions or complaints about this transaction? Call {{ org.complaints_phone }}, email "
        "{{ org.complaints_email }}{% if org.complaint_mailing_address %} or write to "
        "{{ org.complaint_mailing_address }}{% endif %}. {{ org.name }} is licensed by the {{ org.regulator_name }}, "
        "which you may also contact at {{ org.regulator_website }} or {{ org.regulator_phone }}.",
    ),
    "es": (
        "Preguntas o reclamaciones",
        "¿Preguntas o reclamaciones sobre esta transacción? Llame al {{ org.complaints_phone }}, escriba a "
        "{{ org.complaints_email }}{% if org.complaint_mailing_address %} o por correo postal a "
        "{{ org.complaint_mailing_address }}{% endif %}. {{ org.name }} tiene licencia del {{ org.regulator_name }}, "
        "con quien también puede contactar en {{ org.regulator_website }} o en el {{ org.regulator_phone }}.",
    ),
    "ro": (
        "Întrebări sau reclamații",
        "Întrebări sau reclamații despre această tranzacție? Sunați la {{ org.complaints_phone }}, scrieți la "
        "{{ org.complaints_email }}{% if org.complaint_mailing_address %} sau prin poștă la "
        "{{ org.complaint_mailing_address }}{% endif %}. {{ org.name }} este licențiată de {{ org.regulator_name }}, "
        "pe care o puteți contacta și la {{ org.regulator_website }} sau {{ org.regulator_phone }}.",
    ),
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("cases", "MessageTemplate")
    for language, (subject, body) in RECEIPT.items():
        MessageTemplate.objects.update_or_create(
            key="transaction_receipt_contact",
            language=language,
            version=1,
            defaults={"subject": subject, "body": body},
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "MessageTemplate").objects.filter(key="transaction_receipt_contact").delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_alter_message_purpose")]

    operations = [migrations.RunPython(load, unload)]
