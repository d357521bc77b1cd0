"""The POST data of an admin change form as the page shows it, to change and send back."""

from datetime import date, datetime, time


def _as_posted(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (list, tuple)):
        return [str(getattr(item, "pk", item)) for item in value]
    return str(getattr(value, "pk", value))


def _form_data(form, data: dict) -> None:
    for name in form.fields:
        bound = form[name]
        widget = bound.field.widget
        if hasattr(widget, "widgets") and hasattr(widget, "decompress"):  # split date/time
            parts = widget.decompress(bound.value())
            for index, part in enumerate(parts):
                data[f"{bound.html_name}_{index}"] = _as_posted(part)
            continue
        value = _as_posted(bound.value())
        if value is not None:
            data[bound.html_name] = value


def change_form_data(response) -> dict:
    """Every field of the page's form and of its inline formsets, with its current value."""
    data: dict = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            value = formset.management_form[name].value()
            data[formset.management_form.add_prefix(name)] = "" if value is None else value
            del field
        for form in formset.forms:
            _form_data(form, data)
    return {key: value for key, value in data.items() if value is not None}
