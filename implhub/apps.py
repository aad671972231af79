from django.apps import AppConfig


class ImplhubConfig(AppConfig):
    name = "implhub"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from implhub.sessions import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="implhub-idle-clock")
