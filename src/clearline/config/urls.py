from django.urls import include, path

from clearline.config.api import api
from clearline.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("console/", include("clearline.console.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("faq/", include("clearline.kb.urls")),
    path("status/", include("clearline.notices.urls")),
    path("feedback/", include("clearline.feedback.urls")),
    path("complaints/", include("clearline.compliance.urls")),
    path("hooks/voice/", include("clearline.channels.voice.urls")),
    path("", include("clearline.web.urls")),
]
