"""Drop the single-column indexes of three foreign keys that lead a composite index.

``AlterField(db_index=False)`` would also drop every other index Django finds on the column (on PostgreSQL
the partial unique ``one_acknowledgement_per_case`` on ``cases_message.case_id``), re-create the foreign
key constraints, and on SQLite rebuild both tables. So the database only drops the three indexes by name
(the names Django gave them on both databases), and the model state records ``db_index=False``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = {
    "cases_case_assignee_id_28343c2e": ("cases_case", "assignee_id"),
    "cases_case_customer_id_3e0cf925": ("cases_case", "customer_id"),
    "cases_message_case_id_544aca6d": ("cases_message", "case_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_customer_phone"),
        ("cases", "0015_case_merged_template"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, (table, column) in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assigned_cases",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="customer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="accounts.customer",
                    ),
                ),
                migrations.AlterField(
                    model_name="message",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="messages",
                        to="cases.case",
                    ),
                ),
            ],
        ),
    ]
