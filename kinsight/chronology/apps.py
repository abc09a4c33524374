from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "kinsight.chronology"
    label = "chronology"
    verbose_name = "Chronology"
