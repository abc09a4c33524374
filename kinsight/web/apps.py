from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kinsight.web"
    label = "web"
    verbose_name = "Web"
