from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from trepart.accounts import services
from trepart.accounts.models import Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "municipality", "is_active", "is_staff"]
    list_filter = ["municipality", "is_active", "is_staff"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "phone", "municipality"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "municipality", "password1", "password2"],
            },
        )
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Issue 15: a deactivated person's sessions end for good. Django already refuses
            # an inactive person on every request; raising the session generation keeps the
            # old sessions dead if the person is made active again.
            services.sessions_end_everywhere(obj)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent from the person page and the import (the token is never
    stored, only its hash)."""

    list_display = ["person", "created_at", "sent_at", "expires_at", "accepted_at"]
    list_filter = ["person__municipality"]
    search_fields = ["person__full_name", "person__email"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
