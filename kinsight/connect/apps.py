from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "kinsight.connect"
    label = "connect"
    verbose_name = "Connecting agencies"
