from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "kinsight.rules"
    label = "rules"
    verbose_name = "Rules and alerts"
