"""The satisfaction survey invitation (DFS-24), en/es/ro. Variables: reference, survey_url, subject."""

from django.db import migrations

SURVEY = {
    "en": (
        "How did we do with case {{ reference }}?",
        "Hello,\n\nWe have resolved your case {{ reference }} ({{ subject }}). Please tell us how satisfied you are "
        "with how we handled it: one to five stars and, if you like, a comment. It takes a few seconds and needs "
        "no account:\n\n{{ survey_url }}\n\nIf you are not satisfied with the outcome, reply to this message or "
        "make a complaint; we will look at it again.",
    ),
    "es": (
        "¿Qué tal lo hicimos con el caso {{ reference }}?",
        "Hola:\n\nHemos resuelto su caso {{ reference }} ({{ subject }}). Díganos cuán satisfecho está con la "
        "gestión: de una a cinco estrellas y, si lo desea, un comentario. Son unos segundos y no necesita "
        "cuenta:\n\n{{ survey_url }}\n\nSi no está satisfecho con el resultado, responda a este mensaje o "
        "presente una reclamación; lo revisaremos de nuevo.",
    ),
    "ro": (
        "Cum ne-am descurcat cu cazul {{ reference }}?",
        "Bună ziua,\n\nAm rezolvat cazul dvs. {{ reference }} ({{ subject }}). Spuneți-ne cât de mulțumit sunteți "
        "de modul în care l-am gestionat: de la una la cinci stele și, dacă doriți, un comentariu. Durează câteva "
        "secunde și nu necesită cont:\n\n{{ survey_url }}\n\nDacă nu sunteți mulțumit de rezultat, răspundeți la "
        "acest mesaj sau depuneți o reclamație; îl vom analiza din nou.",
    ),
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("cases", "MessageTemplate")
    for language, (subject, body) in SURVEY.items():
        MessageTemplate.objects.update_or_create(
            key="satisfaction_survey",
            language=language,
            version=1,
            defaults={"subject": subject, "body": body},
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "MessageTemplate").objects.filter(key="satisfaction_survey", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial"), ("cases", "0009_alter_message_purpose")]

    operations = [migrations.RunPython(load, unload)]
