"""Default macros (PRD-04) in en/es/ro: the two answers a crypto desk writes most. Admins add their own."""

from django.db import migrations

MACROS = {
    "Ask for the transaction hash": {
        "en": (
            "Hello {{ customer_name }},\n\nTo trace your transaction, please send us its transaction hash (TXID) "
            "and the network it was sent on. You find both in the sending wallet's history.\n\nPlease never send "
            "your recovery phrase or private keys: we will never ask for them.\n\n{{ agent_name }}\n"
            "{{ org.name }} ({{ reference }})"
        ),
        "es": (
            "Hola {{ customer_name }}:\n\nPara rastrear su transacción, envíenos su hash de transacción (TXID) y "
            "la red por la que se envió. Encontrará ambos en el historial de la billetera de origen.\n\nNunca "
            "envíe su frase de recuperación ni sus claves privadas: nunca se las pediremos.\n\n{{ agent_name }}\n"
            "{{ org.name }} ({{ reference }})"
        ),
        "ro": (
            "Bună ziua, {{ customer_name }},\n\nPentru a urmări tranzacția, vă rugăm să ne trimiteți hash-ul "
            "tranzacției (TXID) și rețeaua pe care a fost trimisă. Le găsiți pe amândouă în istoricul portofelului "
            "expeditor.\n\nNu trimiteți niciodată fraza de recuperare sau cheile private: nu vi le vom cere "
            "niciodată.\n\n{{ agent_name }}\n{{ org.name }} ({{ reference }})"
        ),
    },
    "Withdrawal under review": {
        "en": (
            "Hello {{ customer_name }},\n\nYour withdrawal is under a routine security review. We expect to "
            "finish by {{ estimated_resolution }} and will write to you as soon as it is released. You can follow "
            "the case at {{ track_url }}.\n\n{{ agent_name }}\n{{ org.name }} ({{ reference }})"
        ),
        "es": (
            "Hola {{ customer_name }}:\n\nSu retiro está en una revisión de seguridad de rutina. Esperamos "
            "terminar antes del {{ estimated_resolution }} y le escribiremos en cuanto se libere. Puede seguir el "
            "caso en {{ track_url }}.\n\n{{ agent_name }}\n{{ org.name }} ({{ reference }})"
        ),
        "ro": (
            "Bună ziua, {{ customer_name }},\n\nRetragerea dvs. este într-o verificare de securitate de rutină. "
            "Estimăm că o vom încheia până la {{ estimated_resolution }} și vă vom scrie imediat ce este "
            "eliberată. Puteți urmări cazul la {{ track_url }}.\n\n{{ agent_name }}\n{{ org.name }} "
            "({{ reference }})"
        ),
    },
}


def load(apps, schema_editor):
    Macro = apps.get_model("cases", "Macro")
    for name, bodies in MACROS.items():
        for language, body in bodies.items():
            Macro.objects.update_or_create(name=name, language=language, defaults={"body": body})


def unload(apps, schema_editor):
    apps.get_model("cases", "Macro").objects.filter(name__in=list(MACROS)).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_macro")]
    operations = [migrations.RunPython(load, unload)]
