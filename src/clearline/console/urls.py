from django.urls import path

from . import calls, compliance, faq, mail, views

app_name = "console"
urlpatterns = [
    path("login", views.login_view, name="login"),
    path("mfa", views.mfa_view, name="mfa"),
    path("logout", views.logout_view, name="logout"),
    path("", views.queue_view, name="queue"),
    path("breaches", views.breaches_view, name="breaches"),
    path("faq/", faq.articles_view, name="faq"),
    path("faq/coverage", faq.coverage_view, name="faq_coverage"),
    path("faq/<slug:slug>/<str:language>", faq.text_view, name="faq_text"),
    path("compliance/", compliance.compliance_view, name="compliance"),
    path("compliance/packs/<str:quarter>.<str:fmt>", compliance.pack_view, name="compliance_pack"),
    path("compliance/freeze", compliance.freeze_view, name="compliance_freeze"),
    path("mail/quarantine", mail.quarantine_view, name="mail_quarantine"),
    path("mail/quarantine/<int:inbound_id>/release", mail.release_view, name="mail_release"),
    path("mail/inbound/<int:inbound_id>/original", mail.original_view, name="mail_original"),
    path("mail/inbound/<int:inbound_id>/formatted", mail.formatted_view, name="mail_formatted"),
    path("mail/attachments/<int:attachment_id>", mail.attachment_view, name="mail_attachment"),
    path("calls/<str:call_sid>/recording", calls.recording_view, name="call_recording"),
    path("calls", calls.calls_view, name="calls"),
    path("calls/seat", calls.seat_view, name="calls_seat"),
    path("calls/next", calls.take_next_view, name="calls_next"),
    path("calls/<str:call_sid>/log", calls.log_view, name="calls_log"),
    path("cases/<str:reference>", views.case_view, name="case"),
    path("cases/<str:reference>/reply", views.reply_view, name="reply"),
    path("cases/<str:reference>/reclassify", views.reclassify_view, name="reclassify"),
    path("cases/<str:reference>/assign", views.assign_view, name="assign"),
    path("cases/<str:reference>/resolve", views.resolve_view, name="resolve"),
    path("cases/<str:reference>/reopen", views.reopen_view, name="reopen"),
    path("cases/<str:reference>/merge", views.merge_view, name="merge"),
]
