from django.contrib import admin

from trepart.organisation import models


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "default_language"]


@admin.register(models.ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]


class DepartmentInline(admin.TabularInline):
    model = models.Department
    extra = 0


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "service_area", "municipality"]
    list_filter = ["municipality"]
    inlines = [DepartmentInline]


@admin.register(models.Union)
class UnionAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "federation", "municipality"]


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "unit", "union", "starts_on", "ends_on"]
    list_filter = ["municipality", "role"]
    raw_id_fields = ["person", "created_by", "ended_by"]
