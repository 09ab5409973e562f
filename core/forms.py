"""Form pieces every app's forms use: styled widgets, ids from raw input, a version field, service
errors shown at their fields."""

import re
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.templatetags.pickers import picker_years

_ID = re.compile(r"[0-9]{1,18}")


def as_id(value) -> int | None:
    """An identifier taken raw from a query string or a POST: ASCII digits that fit a bigint, else
    None (``str.isdigit`` also accepts "²", which ``int`` refuses)."""
    return int(value) if isinstance(value, str) and _ID.fullmatch(value) else None


class StyledFormMixin:
    """Gives every widget its Bootstrap class, so templates render fields with one include."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError at the fields it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        form.add_error(None, error)


def picked(data: dict, *names: str) -> dict:
    """The named entries of a form's cleaned_data, passed on as a service's keyword arguments."""
    return {name: data[name] for name in names}


def errors_as_text(form: forms.Form, separator: str = "；") -> str:
    """A form's errors in one line, each after its field's label: for a form that answers with a
    message instead of redrawing itself (a row edited in place, a small form on a listing page)."""
    return separator.join(
        f"{form.fields[name].label or name}：{' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


class FastSelect(forms.Select):
    """A select rendered in one pass instead of one template per option.

    Django renders every option through a template, which costs about a millisecond per hundred
    options: a province's five thousand organisations took a third of a second per page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, mark_safe(" selected") if str(option_value) in selected else "", label)
                for option_value, label in self._plain_choices()
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)

    def _plain_choices(self):
        for option_value, label in self.choices:
            option_value = getattr(option_value, "value", option_value)
            yield ("" if option_value is None else option_value), label


class RemoteSelect(FastSelect):
    """A searchable picker that loads its matches from the server as the user types
    (``static/js/pickers.js`` turns it into a Tom Select over ``url``).

    The page carries only the chosen option(s), never the whole list: a province has tens of
    thousands of cadres. The field keeps its scoped queryset, so what is posted is still checked
    against exactly what the user may choose (anything else is the field's own error). Without
    script the select offers the chosen option and an empty one.
    """

    allow_multiple_selected = False

    def __init__(
        self, url: str = "", attrs=None, params: dict | None = None, former_option: bool = False, placeholder=""
    ):
        super().__init__(attrs)
        self.url = url
        self.params = params or {}
        self.placeholder = placeholder
        # People pickers: a box "含已离任、调任干部" that asks the server for them too.
        self.former_option = former_option

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        url = str(self.url)
        if self.params:
            url += "?" + urlencode(self.params)
        attrs["data-picker"] = url
        attrs["data-picker-placeholder"] = self.placeholder or _("输入名称搜索")
        attrs["data-picker-empty"] = _("没有匹配的结果")
        return attrs

    def _plain_choices(self):
        chosen = {str(v) for v in (self._value if isinstance(self._value, list | tuple) else [self._value]) if v}
        # A key is ASCII digits that fit a bigint: str.isdigit() also takes "²" or "١", which int() refuses.
        chosen = {value for value in chosen if value.isascii() and value.isdigit() and len(value) <= 18}
        iterator = self.choices
        field = getattr(iterator, "field", None)
        if field is None:  # plain choices: as a select would
            yield from super()._plain_choices()
            return
        if not self.allow_multiple_selected and getattr(field, "empty_label", None) is not None:
            yield "", field.empty_label
        elif not self.allow_multiple_selected:
            yield "", "---------"
        if chosen:
            for obj in field.queryset.filter(pk__in=chosen):
                yield obj.pk, field.label_from_instance(obj)

    def render(self, name, value, attrs=None, renderer=None):
        self._value = value
        html = super().render(name, value, attrs, renderer)
        select_id = (attrs or {}).get("id") or self.attrs.get("id")
        if self.former_option and select_id:
            html += format_html(
                '<div class="form-check small mt-1"><input class="form-check-input" type="checkbox" id="{}-former"'
                ' data-picker-former="{}"> <label class="form-check-label" for="{}-former">{}</label></div>',
                select_id,
                select_id,
                select_id,
                _("含已离任、调任干部"),
            )
        return html


class RemoteSelectMultiple(RemoteSelect):
    allow_multiple_selected = True

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["multiple"] = True
        return attrs

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (evidence, an answer's files): a list, each file checked as one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ArchiveForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("归档原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField(required=False)


class DateChoiceForm(forms.Form):
    """The "as of" date on pages that show the team of a given day."""

    on = forms.DateField(label=_("查看日期"), required=False, widget=DateInput(attrs={"class": "form-control"}))


class AcknowledgeForm(StyledFormMixin, forms.Form):
    """已阅 with an optional answer (反馈): the recipient's trace of a 督促 note or an intervention."""

    feedback = forms.CharField(
        label=_("反馈"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("可不填；填写后对方可以看到您的反馈。"),
    )


PHONE_MESSAGE = _("手机号码应为 11 位数字，以 1 开头，例如 13800138000。")


class PreferenceForm(StyledFormMixin, forms.Form):
    """消息接收设置: an address and a phone, the digest, and per event the channels besides the site."""

    email = forms.EmailField(
        label=_("电子邮箱"), required=False, max_length=254, error_messages={"invalid": _("请输入有效的电子邮箱地址。")}
    )
    phone = forms.RegexField(
        label=_("手机号码"),
        required=False,
        regex=r"^1[3-9][0-9]{9}$",
        max_length=11,
        error_messages={"invalid": PHONE_MESSAGE, "max_length": PHONE_MESSAGE},
    )
    digest = forms.BooleanField(
        label=_("每日汇总"), required=False, help_text=_("每天 8 时汇总发送一次前一天的消息，不再逐条发送。")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, events: dict, **kwargs):
        super().__init__(*args, **kwargs)
        from core.models import Channel

        self.event_fields = []
        for code, label in events.items():
            name = f"event_{code}"
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                choices=Channel.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("未知的接收渠道：%(value)s。")},
            )
            self.event_fields.append((code, name))

    def clean(self):
        cleaned = super().clean()
        needs = {
            "email": (cleaned.get("email"), _("选择电子邮件前，请先填写电子邮箱。")),
            "sms": (cleaned.get("phone"), _("选择短信前，请先填写手机号码。")),
        }
        for _code, name in self.event_fields:
            for channel in cleaned.get(name) or []:
                present, message = needs[channel]
                if not present and "email" not in self.errors and "phone" not in self.errors:
                    self.add_error(name, message)
                    break
        return cleaned

    def channels(self) -> dict:
        return {code: self.cleaned_data[name] for code, name in self.event_fields if self.cleaned_data.get(name)}


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    """Django's form (old password, then the new one twice, checked by AUTH_PASSWORD_VALIDATORS)."""


class SearchForm(StyledFormMixin, forms.Form):
    """The header search (core.search): the text, cleaned; a kind narrows the results to one group."""

    q = forms.CharField(label=_("搜索"), required=False, strip=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = dict(kinds)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def clean_q(self):
        from core.search import clean_text

        return clean_text(self.cleaned_data["q"])

    def kind(self, raw) -> str | None:
        """The asked-for kind if it is one of the registered kinds, else None (every kind)."""
        return raw if raw in self.kinds else None


ALL_YEARS = _("全部")


class YearSelect(forms.Select):
    """The shared year picker as a form widget (for filter forms): the same years as
    ``{% year_picker %}`` (core.templatetags.pickers), with 全部 first when the field may be empty."""

    def __init__(self, attrs=None, blank_label=ALL_YEARS):
        super().__init__(attrs)
        self.blank_label = blank_label

    def get_context(self, name, value, attrs):
        try:
            selected = int(value)
        except (TypeError, ValueError):
            selected = timezone.localdate().year
        blank = [("", self.blank_label)] if self.blank_label else []
        self.choices = blank + [(year, _("%(year)s 年") % {"year": year}) for year in picker_years(selected)]
        return super().get_context(name, value, attrs)


# ---- A refused form shown again after a redirect ------------------------------------------------
# A form posted to an action URL (an upload, a move, a note) and refused must not leave the browser on
# that URL (a reload would post again, the address names no page): the view keeps the errors and the
# typed values in the session, redirects to the record's page, and the page shows the form again with
# the messages at their fields. Files cannot be kept: the user picks them again.

REFUSED = "refused_forms"


def keep_refused(request, key: str, form) -> None:
    """Keep a refused bound form's errors and typed values (files left out) for the page at ``key``."""
    kept = request.session.get(REFUSED, {})
    data = {name: request.POST.get(name, "") for name in form.fields if name not in request.FILES}
    kept[key] = {"errors": {field: list(errors) for field, errors in form.errors.items()}, "data": data}
    request.session[REFUSED] = kept


def take_refused(request, key: str, form_class, **kwargs):
    """The form kept at ``key`` rebuilt with its errors (and forgotten), or None."""
    kept = request.session.get(REFUSED)
    if not kept or key not in kept:
        return None
    refused = kept.pop(key)
    request.session[REFUSED] = kept
    form = form_class(data=refused["data"], **kwargs)
    form.cleaned_data = {}
    form._errors = forms.utils.ErrorDict(
        {field: forms.utils.ErrorList(messages) for field, messages in refused["errors"].items()}
    )
    return form
