from django.urls import path

from . import views

app_name = "services"

# /services/ and each type's guide (/services/<type>/) show the editors' Wagtail pages when
# they exist (services.models.ServiceIndexPage, ServiceGuidePage), so their URLs stay these.
urlpatterns = [
    path("", views.service_index, name="index"),
    path("track/", views.track, name="track"),
    path("track/status/", views.track_status, name="track_status"),
    path("track/status/withdraw/", views.track_withdraw, name="track_withdraw"),
    path("track/status/documents/", views.track_documents, name="track_documents"),
    path("track/status/rating/", views.track_rate, name="track_rate"),
    path("submitted/", views.done, name="done"),
    path("clear/", views.clear, name="clear"),
    path("<slug:request_type>/", views.guide, name="guide"),
    path("<slug:request_type>/apply/", views.apply, name="apply"),
    path("<slug:request_type>/check/", views.check, name="check"),
]
