"""Form rendering: labels without colons, "(optional)" on optional fields, checkboxes
before their label, and non-field errors announced. One place for every form."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
