from django.urls import path

from . import views

app_name = "merchants"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("near/", views.remember_location, name="remember_location"),
    path("<slug:slug>/", views.detail, name="detail"),
]
