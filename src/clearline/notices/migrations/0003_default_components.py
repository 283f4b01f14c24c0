"""Default status-page components: the platform, sign-in, trading and one per shipped network (DFS-22)."""

from django.db import migrations

PLATFORM = [
    ("website", {"en": "Website and app", "es": "Sitio web y aplicación", "ro": "Site web și aplicație"}),
    ("sign_in", {"en": "Sign-in and 2FA", "es": "Inicio de sesión y 2FA", "ro": "Autentificare și 2FA"}),
    ("trading", {"en": "Trading", "es": "Negociación", "ro": "Tranzacționare"}),
]


def load(apps, schema_editor):
    Component = apps.get_model("notices", "Component")
    Network = apps.get_model("crypto", "Network")
    for position, (key, names) in enumerate(PLATFORM):
        Component.objects.update_or_create(key=key, defaults={"names": names, "position": position})
    for position, network in enumerate(Network.objects.order_by("position"), start=len(PLATFORM)):
        Component.objects.update_or_create(
            key=network.key,
            defaults={"names": {"en": network.name}, "network": network, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("notices", "0002_notice_update_template"), ("crypto", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
