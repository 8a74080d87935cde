"""GradPhoto (学历图像工作台): graduation photos for the national diploma registry."""

__version__ = "0.1.0"
APP_NAME = "GradPhoto"
APP_TITLE_ZH = "学历图像工作台"
