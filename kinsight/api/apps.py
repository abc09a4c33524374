from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kinsight.api"
    label = "api"
    verbose_name = "API"
