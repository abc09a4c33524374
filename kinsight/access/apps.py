from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "kinsight.access"
    label = "access"
    verbose_name = "Access"
