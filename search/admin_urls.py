from django.urls import path

from . import admin_views

app_name = "search_admin"
urlpatterns = [
    path("status/", admin_views.IndexStatusView.as_view(), name="status"),
    path("terms/", admin_views.SearchTermsReportView.as_view(), name="terms"),
    path(
        "terms/results/",
        admin_views.SearchTermsReportView.as_view(results_only=True),
        name="terms_results",
    ),
    path("staff/<slug:key>/", admin_views.StaffSearchView.as_view(), name="staff"),
]
