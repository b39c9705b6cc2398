from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes (login throttling, newsroom/login_throttle.py) under a
    Chinese name in the admin's app list."""

    verbose_name = "登录限制"
