from django.urls import path

from . import views

app_name = "kb"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("c/<slug:key>/", views.category, name="category"),
    path("<slug:slug>/", views.article, name="article"),
    path("<slug:slug>/helpful", views.helpful, name="helpful"),
]
