from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kinsight.people"
    label = "people"
    verbose_name = "People"
