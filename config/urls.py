from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Vetted — editorial workplace"
admin.site.site_title = "Vetted"
admin.site.index_title = "Articles, references and review"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]
