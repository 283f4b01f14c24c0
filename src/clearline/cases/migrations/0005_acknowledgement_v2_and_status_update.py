"""Acknowledgement v2 (DFS-12, DFS-18, CRY-04, NYCRR-03) and the automatic status update (DFS-18), en/es/ro.

Variables: reference, subject, is_complaint, topic, estimated_response, estimated_resolution, answered,
waiting_on_customer, track_url, website, support_email and org (name, support_phone, regulator_name,
regulator_address, regulator_website, regulator_phone).
"""

from django.db import migrations

NEVER_ASK = {
    "en": (
        "Stay safe: {{ org.name }} will never ask for your seed phrase (recovery words), private keys, passwords or "
        "2FA codes, will never ask for remote access to your device, and will never ask you to send funds anywhere. "
        "Our only official channels are {{ website }}, {{ support_email }}{% if org.support_phone %} and "
        "{{ org.support_phone }}{% endif %}. Anyone asking for these is a scammer: stop and contact us."
    ),
    "es": (
        "Manténgase seguro: {{ org.name }} nunca le pedirá su frase semilla (palabras de recuperación), claves "
        "privadas, contraseñas ni códigos 2FA, nunca le pedirá acceso remoto a su dispositivo y nunca le pedirá que "
        "envíe fondos a ninguna dirección. Nuestros únicos canales oficiales son {{ website }}, {{ support_email }}"
        "{% if org.support_phone %} y {{ org.support_phone }}{% endif %}. Quien le pida esto es un estafador: "
        "deténgase y contáctenos."
    ),
    "ro": (
        "Rămâneți în siguranță: {{ org.name }} nu vă va cere niciodată fraza seed (cuvintele de recuperare), cheile "
        "private, parolele sau codurile 2FA, nu vă va cere niciodată acces de la distanță la dispozitiv și nu vă va "
        "cere niciodată să trimiteți fonduri nicăieri. Singurele noastre canale oficiale sunt {{ website }}, "
        "{{ support_email }}{% if org.support_phone %} și {{ org.support_phone }}{% endif %}. Cine vă cere așa "
        "ceva este un escroc: opriți-vă și contactați-ne."
    ),
}

REGULATOR = {
    "en": (
        "{% if is_complaint %}If you are not satisfied with how we handle your complaint, you may also take it to "
        "the {{ org.regulator_name }}: by post at {{ org.regulator_address }}, online at {{ org.regulator_website }}"
        ", or by phone at {{ org.regulator_phone }}.\n\n{% endif %}"
    ),
    "es": (
        "{% if is_complaint %}Si no está satisfecho con la gestión de su queja, también puede presentarla ante el "
        "{{ org.regulator_name }}: por correo postal en {{ org.regulator_address }}, en línea en "
        "{{ org.regulator_website }} o por teléfono al {{ org.regulator_phone }}.\n\n{% endif %}"
    ),
    "ro": (
        "{% if is_complaint %}Dacă nu sunteți mulțumit de modul în care tratăm reclamația, o puteți adresa și "
        "autorității {{ org.regulator_name }}: prin poștă la {{ org.regulator_address }}, online la "
        "{{ org.regulator_website }} sau telefonic la {{ org.regulator_phone }}.\n\n{% endif %}"
    ),
}

ACKNOWLEDGEMENT = {
    "en": (
        "[{{ reference }}] We have received your {% if is_complaint %}complaint{% else %}request{% endif %}",
        "Hello,\n\n"
        "Thank you for contacting {{ org.name }}. We have received your {% if is_complaint %}complaint{% else %}"
        'request{% endif %} "{{ subject }}" and opened case {{ reference }}. Please quote this reference whenever '
        "you contact us about it.\n\n"
        "What happens next\n"
        "1. A member of our customer-service team (a person) will review your case and reply by "
        "{{ estimated_response }} at the latest.\n"
        "2. If we need more information, we will ask you. Reply to this message; there is no need to open a new "
        "case.\n"
        "3. We expect to resolve it by {{ estimated_resolution }}. We will keep you updated until it is resolved "
        "and tell you if this estimate changes.\n\n"
        "Check the status at any time, without logging in: {{ track_url }}\n\n"
        + NEVER_ASK["en"]
        + "\n\n"
        + REGULATOR["en"]
        + "{{ org.name }} Customer Service",
    ),
    "es": (
        "[{{ reference }}] Hemos recibido su {% if is_complaint %}queja{% else %}solicitud{% endif %}",
        "Hola:\n\n"
        "Gracias por contactar con {{ org.name }}. Hemos recibido su {% if is_complaint %}queja{% else %}solicitud"
        '{% endif %} "{{ subject }}" y hemos abierto el caso {{ reference }}. Indique esta referencia siempre que '
        "nos contacte sobre este asunto.\n\n"
        "Próximos pasos\n"
        "1. Una persona de nuestro equipo de atención al cliente revisará su caso y le responderá a más tardar el "
        "{{ estimated_response }}.\n"
        "2. Si necesitamos más información, se la pediremos. Responda a este mensaje; no hace falta abrir un caso "
        "nuevo.\n"
        "3. Prevemos resolverlo antes del {{ estimated_resolution }}. Le mantendremos informado hasta su resolución "
        "y le avisaremos si esta estimación cambia.\n\n"
        "Consulte el estado cuando quiera, sin iniciar sesión: {{ track_url }}\n\n"
        + NEVER_ASK["es"]
        + "\n\n"
        + REGULATOR["es"]
        + "Atención al cliente de {{ org.name }}",
    ),
    "ro": (
        "[{{ reference }}] Am primit {% if is_complaint %}reclamația{% else %}solicitarea{% endif %} dvs.",
        "Bună ziua,\n\n"
        "Vă mulțumim că ați contactat {{ org.name }}. Am primit {% if is_complaint %}reclamația{% else %}solicitarea"
        "{% endif %} dvs. „{{ subject }}” și am deschis cazul {{ reference }}. Vă rugăm să menționați această "
        "referință de fiecare dată când ne contactați în legătură cu el.\n\n"
        "Pașii următori\n"
        "1. O persoană din echipa noastră de relații cu clienții vă va analiza cazul și vă va răspunde cel târziu "
        "{{ estimated_response }}.\n"
        "2. Dacă avem nevoie de mai multe informații, vi le vom cere. Răspundeți la acest mesaj; nu este nevoie să "
        "deschideți un caz nou.\n"
        "3. Estimăm rezolvarea până {{ estimated_resolution }}. Vă vom ține la curent până la rezolvare și vă vom "
        "anunța dacă estimarea se schimbă.\n\n"
        "Verificați starea oricând, fără autentificare: {{ track_url }}\n\n"
        + NEVER_ASK["ro"]
        + "\n\n"
        + REGULATOR["ro"]
        + "Echipa de relații cu clienții {{ org.name }}",
    ),
}

STATUS_UPDATE = {
    "en": (
        "[{{ reference }}] Update on your {% if is_complaint %}complaint{% else %}request{% endif %}",
        "Hello,\n\n"
        'This is an update on case {{ reference }} ("{{ subject }}"). It is still open and being worked on.'
        "{% if not answered %} A member of our team will reply to you personally as soon as possible.{% endif %}\n\n"
        "Current estimate for resolution: {{ estimated_resolution }}.\n"
        "You do not need to do anything. If you have new information, reply to this message.\n\n"
        "Check the status at any time: {{ track_url }}\n\n"
        + NEVER_ASK["en"]
        + "\n\n"
        + REGULATOR["en"]
        + "{{ org.name }} Customer Service",
    ),
    "es": (
        "[{{ reference }}] Novedades sobre su {% if is_complaint %}queja{% else %}solicitud{% endif %}",
        "Hola:\n\n"
        'Le escribimos para informarle sobre el caso {{ reference }} ("{{ subject }}"). Sigue abierto y estamos '
        "trabajando en él.{% if not answered %} Una persona de nuestro equipo le responderá personalmente lo antes "
        "posible.{% endif %}\n\n"
        "Estimación actual de resolución: {{ estimated_resolution }}.\n"
        "No necesita hacer nada. Si tiene información nueva, responda a este mensaje.\n\n"
        "Consulte el estado cuando quiera: {{ track_url }}\n\n"
        + NEVER_ASK["es"]
        + "\n\n"
        + REGULATOR["es"]
        + "Atención al cliente de {{ org.name }}",
    ),
    "ro": (
        "[{{ reference }}] Noutăți despre {% if is_complaint %}reclamația{% else %}solicitarea{% endif %} dvs.",
        "Bună ziua,\n\n"
        "Vă scriem despre cazul {{ reference }} („{{ subject }}”). Este în continuare deschis și lucrăm la el."
        "{% if not answered %} O persoană din echipa noastră vă va răspunde personal cât mai curând.{% endif %}\n\n"
        "Estimarea actuală de rezolvare: {{ estimated_resolution }}.\n"
        "Nu trebuie să faceți nimic. Dacă aveți informații noi, răspundeți la acest mesaj.\n\n"
        "Verificați starea oricând: {{ track_url }}\n\n"
        + NEVER_ASK["ro"]
        + "\n\n"
        + REGULATOR["ro"]
        + "Echipa de relații cu clienții {{ org.name }}",
    ),
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("cases", "MessageTemplate")
    for key, version, texts in (("acknowledgement", 2, ACKNOWLEDGEMENT), ("status_update", 1, STATUS_UPDATE)):
        for language, (subject, body) in texts.items():
            MessageTemplate.objects.update_or_create(
                key=key, language=language, version=version, defaults={"subject": subject, "body": body}
            )


def unload(apps, schema_editor):
    MessageTemplate = apps.get_model("cases", "MessageTemplate")
    MessageTemplate.objects.filter(key="acknowledgement", version=2).delete()
    MessageTemplate.objects.filter(key="status_update", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_policy_and_sweep")]

    operations = [migrations.RunPython(load, unload)]
