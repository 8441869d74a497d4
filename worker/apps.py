from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "worker"
    verbose_name = "后台任务"
    default_auto_field = "django.db.models.BigAutoField"
