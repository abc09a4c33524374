from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "kinsight.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from kinsight.access import signals  # noqa: F401 - connects the audit of sign-ins
