"""The crypto topic taxonomy (CRY-01) and the acknowledgement template (DFS-12), in en/es/ro.

Keys never change (reports group by them); labels and targets are data that admins may edit.
"""

from django.db import migrations

# key, en, es, ro, first-response hours, resolution hours [defaults]
TOPICS = [
    ("account_access", "Account access and 2FA", "Acceso a la cuenta y 2FA", "Acces la cont și 2FA", 8, 48),
    (
        "identity_verification",
        "Identity verification (KYC)",
        "Verificación de identidad (KYC)",
        "Verificarea identității (KYC)",
        24,
        120,
    ),
    ("deposit_not_credited", "Deposit not credited", "Depósito no acreditado", "Depunere necreditată", 8, 72),
    (
        "withdrawal_delayed",
        "Withdrawal delayed or on hold",
        "Retiro demorado o retenido",
        "Retragere întârziată sau blocată",
        8,
        72,
    ),
    (
        "transaction_failed",
        "Transaction failed or stuck",
        "Transacción fallida o atascada",
        "Tranzacție eșuată sau blocată",
        8,
        72,
    ),
    (
        "wrong_network_or_memo",
        "Wrong network or missing memo/tag",
        "Red equivocada o memo/etiqueta faltante",
        "Rețea greșită sau memo/tag lipsă",
        24,
        240,
    ),
    (
        "unauthorized_transaction",
        "Unauthorised transaction or account compromise",
        "Transacción no autorizada o cuenta comprometida",
        "Tranzacție neautorizată sau cont compromis",
        2,
        48,
    ),
    (
        "fraud_scam",
        "Fraud or scam report",
        "Denuncia de fraude o estafa",
        "Raportare de fraudă sau înșelătorie",
        2,
        72,
    ),
    (
        "trading",
        "Trading and order execution",
        "Trading y ejecución de órdenes",
        "Tranzacționare și executarea ordinelor",
        24,
        120,
    ),
    ("fees", "Fees and pricing", "Comisiones y precios", "Comisioane și prețuri", 24, 120),
    ("staking_rewards", "Staking and rewards", "Staking y recompensas", "Staking și recompense", 24, 120),
    (
        "account_restriction",
        "Account restriction or closure",
        "Restricción o cierre de cuenta",
        "Restricționarea sau închiderea contului",
        8,
        120,
    ),
    ("tax_documents", "Tax documents", "Documentos fiscales", "Documente fiscale", 48, 240),
    (
        "service_quality",
        "Customer-service quality",
        "Calidad del servicio al cliente",
        "Calitatea serviciului clienți",
        24,
        120,
    ),
    ("other", "Other", "Otro", "Altele", 24, 120),
]

ACKNOWLEDGEMENT = {
    "en": (
        "We received your {% if kind == 'complaint' %}complaint{% else %}request{% endif %} [{{ reference }}]",
        """Thank you for contacting us. This is an automatic confirmation that we received your message.

Your case reference: {{ reference }}
Subject: {{ subject }}

What happens next: a member of our support team (a person, not an automated system) will review your case
and reply by {{ estimated_response_at|date:"l, F j, Y, g:i A T" }} at the latest. We expect to resolve it by
{{ estimated_resolution_at|date:"l, F j, Y" }}, and we will keep you updated until it is resolved.
Please quote {{ reference }} if you contact us again about this.

We will never ask for your recovery (seed) phrase, private keys, passwords or 2FA codes, never ask for remote
access to your device, and never ask you to send funds. Anyone who does is not us.""",
    ),
    "es": (
        "Hemos recibido su {% if kind == 'complaint' %}queja{% else %}solicitud{% endif %} [{{ reference }}]",
        """Gracias por contactarnos. Esta es una confirmación automática de que recibimos su mensaje.

Referencia de su caso: {{ reference }}
Asunto: {{ subject }}

Próximos pasos: una persona de nuestro equipo de atención (no un sistema automático) revisará su caso y le
responderá a más tardar el {{ estimated_response_at|date:"j/m/Y H:i T" }}. Prevemos resolverlo antes del
{{ estimated_resolution_at|date:"j/m/Y" }} y le mantendremos informado hasta su resolución.
Indique {{ reference }} si nos escribe de nuevo sobre este asunto.

Nunca le pediremos su frase de recuperación (semilla), claves privadas, contraseñas ni códigos 2FA, ni acceso
remoto a su dispositivo, ni que nos envíe fondos. Quien lo haga no somos nosotros.""",
    ),
    "ro": (
        "Am primit {% if kind == 'complaint' %}reclamația{% else %}solicitarea{% endif %} dumneavoastră [{{ reference }}]",
        """Vă mulțumim că ne-ați contactat. Aceasta este o confirmare automată că am primit mesajul dumneavoastră.

Referința cazului: {{ reference }}
Subiect: {{ subject }}

Pașii următori: un membru al echipei noastre (o persoană, nu un sistem automat) va analiza cazul și vă va
răspunde cel târziu pe {{ estimated_response_at|date:"d.m.Y H:i T" }}. Estimăm rezolvarea până pe
{{ estimated_resolution_at|date:"d.m.Y" }} și vă vom ține la curent până la rezolvare.
Menționați {{ reference }} dacă ne scrieți din nou despre acest subiect.

Nu vă vom cere niciodată fraza de recuperare (seed), cheile private, parolele sau codurile 2FA, accesul de la
distanță la dispozitiv sau să ne trimiteți fonduri. Cine vă cere așa ceva nu suntem noi.""",
    ),
}


def load(apps, schema_editor):
    Topic = apps.get_model("cases", "Topic")
    MessageTemplate = apps.get_model("cases", "MessageTemplate")
    for position, (key, en, es, ro, first_response, resolution) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            key=key,
            defaults={
                "labels": {"en": en, "es": es, "ro": ro},
                "position": position,
                "first_response_target_hours": first_response,
                "resolution_target_hours": resolution,
            },
        )
    for language, (subject, body) in ACKNOWLEDGEMENT.items():
        MessageTemplate.objects.get_or_create(
            key="acknowledgement", language=language, version=1, defaults={"subject": subject, "body": body}
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "MessageTemplate").objects.filter(key="acknowledgement", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
