from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: from the authenticator app or, where allowed, a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        error_messages={"required": _("Bitte geben Sie den Code ein.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "size": 12,
            }
        ),
    )

    def __init__(self, *args, app_only=False, autofocus=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if app_only:
            field.help_text = _("Die sechs Ziffern, die Ihre Authenticator-App gerade anzeigt.")
            field.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
        else:
            field.help_text = _(
                "Die sechs Ziffern aus Ihrer Authenticator-App – oder einer Ihrer Ersatzcodes."
            )
        if autofocus:
            field.widget.attrs["autofocus"] = True
