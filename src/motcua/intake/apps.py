from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "motcua.intake"
    label = "intake"
