from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "kinsight.feeds"
    label = "feeds"
    verbose_name = "Feeds"
