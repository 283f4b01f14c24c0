"""The status update a notice sends to every linked open case (CRY-05, DFS-18), en/es/ro.

Variables: reference, notice_title, update, track_url (and everything an acknowledgement has).
"""

from django.db import migrations

NOTICE_UPDATE = {
    "en": (
        "Update on case {{ reference }}: {{ notice_title }}",
        "Hello,\n\nYour case {{ reference }} is affected by: {{ notice_title }}.\n\nLatest update:\n{{ update }}\n\n"
        "You do not need to do anything; we will keep you informed until your case is resolved. "
        "You can check its status at any time: {{ track_url }}",
    ),
    "es": (
        "Novedades sobre el caso {{ reference }}: {{ notice_title }}",
        "Hola:\n\nSu caso {{ reference }} se ve afectado por: {{ notice_title }}.\n\nÚltima novedad:\n{{ update }}\n\n"
        "No necesita hacer nada; le mantendremos informado hasta que su caso se resuelva. "
        "Puede consultar su estado en cualquier momento: {{ track_url }}",
    ),
    "ro": (
        "Noutăți despre cazul {{ reference }}: {{ notice_title }}",
        "Bună ziua,\n\nCazul dvs. {{ reference }} este afectat de: {{ notice_title }}.\n\nUltima actualizare:\n"
        "{{ update }}\n\nNu trebuie să faceți nimic; vă vom ține la curent până la rezolvarea cazului. "
        "Puteți verifica oricând starea lui: {{ track_url }}",
    ),
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("cases", "MessageTemplate")
    for language, (subject, body) in NOTICE_UPDATE.items():
        MessageTemplate.objects.update_or_create(
            key="notice_update", language=language, version=1, defaults={"subject": subject, "body": body}
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "MessageTemplate").objects.filter(key="notice_update", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial"), ("cases", "0008_topic_intake_form")]

    operations = [migrations.RunPython(load, unload)]
