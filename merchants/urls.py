from django.urls import path

from . import views

app_name = "merchants"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("near/", views.remember_location, name="remember_location"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report/sent/", views.report_sent, name="report_sent"),
]
