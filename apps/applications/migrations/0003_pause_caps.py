"""Pauses have a cap: store the last day a running pause stops the clock (paused_until) instead of
a clock_paused flag that stayed true after the consulted party's 15 working days or the payment
period had run out. Open applications paused today are recomputed from their event log."""

from django.db import migrations, models

OPEN_STATUSES = [
    "pending_confirmation",
    "in_progress",
    "awaiting_correction",
    "consulting",
    "awaiting_payment",
]


def store_pause_caps(apps, schema_editor):
    from apps.applications import deadlines
    from apps.applications.clock import clock_events

    Application = apps.get_model("applications", "Application")
    for application in Application.objects.filter(clock_paused=True, status__in=OPEN_STATUSES).iterator():
        events = application.events.order_by("at", "pk")
        try:
            computation = deadlines.compute_deadline(events=clock_events(events))
        except ValueError:
            continue  # a log the engine refuses keeps its old value; the next transition says why
        application.due_date = computation.due_date_at_cap
        application.due_provisional = computation.provisional_at_cap
        application.paused_until = computation.paused_until
        application.save(update_fields=["due_date", "due_provisional", "paused_until"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_fee_paid_index"),
        ("workdays", "0002_seed_calendar"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="paused_until",
            field=models.DateField(
                blank=True,
                help_text="征求意见或收费通知至迟暂停计算到此日（条例第三十二条、第三十四条；缴费期限），次日起恢复计算。",
                null=True,
                verbose_name="暂停计算至",
            ),
        ),
        migrations.RunPython(store_pause_caps, migrations.RunPython.noop),
        migrations.RemoveField(model_name="application", name="clock_paused"),
        migrations.AlterField(
            model_name="application",
            name="received_on",
            field=models.DateField(
                blank=True,
                help_text="条例第三十一条：当面提交为提交之日；挂号邮寄为签收之日；平信、互联网（含电子邮件）、传真为双方确认之日。",
                null=True,
                verbose_name="收到申请之日",
            ),
        ),
    ]
