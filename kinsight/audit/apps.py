from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kinsight.audit"
    label = "audit"
    verbose_name = "Audit"
