"""The Django admin, with a site that requires the second factor of staff (see `core.admin_site`).

Listed in INSTALLED_APPS instead of "django.contrib.admin"; this module is imported while apps load, so
it imports no models.
"""

from django.contrib.admin.apps import AdminConfig


class OTPAdminConfig(AdminConfig):
    default_site = "motcua.core.admin_site.OTPAdminSite"
