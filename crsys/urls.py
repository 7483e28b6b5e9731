from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from districts import views as district_views

urlpatterns = [
    path("", district_views.choose_district, name="home"),
    path("accounts/", include("districts.account_urls")),
    path("invitations/", include("schools.invitation_urls")),
    path("admin/", admin.site.urls),
    path("d/<slug:district_slug>/", include("districts.urls")),
    path("d/<slug:district_slug>/", include("schools.urls")),
    path("d/<slug:district_slug>/", include("screeners.urls")),
    path("d/<slug:district_slug>/", include("teams.urls")),
    path("d/<slug:district_slug>/", include("continuum.urls")),
    path("d/<slug:district_slug>/", include("leadership.urls")),
    path("d/<slug:district_slug>/", include("crsys.audit.urls")),
    path("api/v1/", include("crsys.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "crsys.errors.bad_request"
handler403 = "crsys.errors.permission_denied"
handler404 = "crsys.errors.page_not_found"
handler500 = "crsys.errors.server_error"
